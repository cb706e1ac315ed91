package oktasim

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	defaultLogLimit  = 100
	maxLogLimit      = 1000
	defaultLogWindow = 7 * 24 * time.Hour   // since defaults to 7 days before until
	maxSinceAge      = 180 * 24 * time.Hour // older since is refused (docs/okta-api-behaviour.md §4.1)
	maxKeywords      = 10
	maxKeywordLength = 40
)

// logEventKeyOrder is the key order of real System Log events.
var logEventKeyOrder = keyOrder{
	"": {"actor", "client", "device", "authenticationContext", "displayMessage", "eventType", "outcome",
		"published", "securityContext", "severity", "debugContext", "legacyEventType", "transaction", "uuid",
		"version", "request", "target"},
	"actor":    {"id", "type", "alternateId", "displayName", "detailEntry"},
	"target[]": {"id", "type", "alternateId", "displayName", "detailEntry", "changeDetails"},
	"outcome":  {"result", "reason"},
}

// logQuery is a parsed GET /api/v1/logs request
// (docs/okta-api-behaviour.md §4.1, §4.2).
type logQuery struct {
	since, until time.Time
	untilSet     bool
	after        int // persistence sequence the page starts after; -1 when unset
	filter       filterExpr
	keywords     []string
	limit        int
	descending   bool
}

// polling is the request shape with infinite pages: no until, ascending
// (docs/okta-api-behaviour.md §4.2).
func (q logQuery) polling() bool { return !q.untilSet && !q.descending }

func parseLogQuery(v url.Values, now time.Time) (logQuery, *apiError) {
	q := logQuery{after: -1, limit: defaultLogLimit, until: now}
	var e *apiError
	if raw := v.Get("until"); raw != "" {
		if q.until, e = parseLogTime("until", raw); e != nil {
			return q, e
		}
		q.untilSet = true
	}
	q.since = q.until.Add(-defaultLogWindow)
	if raw := v.Get("since"); raw != "" {
		if v.Get("after") != "" {
			return q, validationError("since", "since and after cannot be used together.")
		}
		if q.since, e = parseLogTime("since", raw); e != nil {
			return q, e
		}
		if now.Sub(q.since) > maxSinceAge {
			return q, logQueryError("since parameter is over 180 days prior to the current day.")
		}
	}
	if raw := v.Get("after"); raw != "" {
		if q.after, e = decodeCursor(raw); e != nil {
			return q, e
		}
	}
	if e = q.parseOptions(v); e != nil {
		return q, e
	}
	return q, nil
}

func (q *logQuery) parseOptions(v url.Values) *apiError {
	if raw := v.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > maxLogLimit {
			return validationError("limit", "limit: The limit must be between 0 and 1000.")
		}
		q.limit = n
	}
	switch v.Get("sortOrder") {
	case "", "ASCENDING":
	case "DESCENDING":
		q.descending = true
	default:
		return validationError("sortOrder", "sortOrder: The value must be ASCENDING or DESCENDING.")
	}
	if raw := v.Get("filter"); raw != "" {
		f, err := parseFilter(raw)
		if err != nil {
			return logQueryError("filter: " + err.Error())
		}
		q.filter = f
	}
	q.keywords = strings.Fields(strings.ToLower(v.Get("q")))
	if len(q.keywords) > maxKeywords {
		return validationError("q", "q: At most 10 keywords are allowed.")
	}
	for _, k := range q.keywords {
		if len(k) > maxKeywordLength {
			return validationError("q", "q: A keyword can have at most 40 characters.")
		}
	}
	return nil
}

func parseLogTime(name, raw string) (time.Time, *apiError) {
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		return time.Time{}, validationError(name, name+": The value must be an ISO 8601 date-time.")
	}
	return t, nil
}

// Cursors are opaque to clients ("Don't attempt to craft requests that use
// this value", docs/okta-api-behaviour.md §4.1).
func encodeCursor(seq int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("oktasim-log:" + strconv.Itoa(seq)))
}

func decodeCursor(raw string) (int, *apiError) {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	rest, ok := strings.CutPrefix(string(b), "oktasim-log:")
	n, convErr := strconv.Atoi(rest)
	if err != nil || !ok || convErr != nil || n < 0 {
		return 0, logQueryError("after: the cursor is not valid.")
	}
	return n, nil
}

// matches applies the time bounds, filter and keywords to one event.
func (q logQuery) matches(ev *logEvent) bool {
	if ev.published.Before(q.since.Truncate(time.Second)) || (q.untilSet && !ev.published.Before(q.until)) {
		return false
	}
	if q.filter != nil && !q.filter.match(ev.body) {
		return false
	}
	if len(q.keywords) > 0 {
		text, _ := json.Marshal(ev.body)
		lower := strings.ToLower(string(text))
		for _, k := range q.keywords {
			if !strings.Contains(lower, k) {
				return false
			}
		}
	}
	return true
}

// listLogs serves the System Log. Pages follow persistence order; a
// polling request always gets a next link, even on an empty page, and a
// bounded one only while events remain (docs/okta-api-behaviour.md §4.2, §10
// item 10).
func (o *Org) listLogs(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	q, e := parseLogQuery(r.URL.Query(), o.clock())
	if e != nil {
		return e
	}
	o.mu.Lock()
	page, cursor, more := o.selectEvents(q)
	o.mu.Unlock()

	base := baseURL(r)
	links := []string{fmt.Sprintf(`<%s%s>; rel="self"`, base, r.URL.RequestURI())}
	if more || q.polling() {
		links = append(links, fmt.Sprintf(`<%s/api/v1/logs?%s>; rel="next"`, base, nextLogQuery(r.URL.Query(), cursor).Encode()))
	}
	w.Header()["Link"] = links
	writeJSON(w, http.StatusOK, page)
	return nil
}

// selectEvents returns one page, the cursor for the next page and whether
// more matching events exist after it. Callers hold o.mu.
func (o *Org) selectEvents(q logQuery) ([]any, int, bool) {
	page := make([]any, 0, min(q.limit, len(o.events)))
	cursor := q.after
	if cursor < 0 && !q.descending {
		// An empty polling page resumes after everything persisted so far.
		cursor = 0
	}
	n := len(o.events)
	for i := range n {
		ev := o.events[i]
		if q.descending {
			ev = o.events[n-1-i]
		}
		if !q.afterCursor(ev.seq) || !q.matches(ev) {
			continue
		}
		if len(page) == q.limit {
			return page, cursor, true
		}
		page = append(page, ordered(ev.body, logEventKeyOrder))
		cursor = ev.seq
	}
	if len(page) == 0 && !q.descending && q.after < 0 {
		cursor = n
	}
	return page, cursor, false
}

func (q logQuery) afterCursor(seq int) bool {
	if q.after < 0 {
		return true
	}
	if q.descending {
		return seq < q.after
	}
	return seq > q.after
}

// nextLogQuery keeps the request's parameters except since, which cannot
// be combined with after.
func nextLogQuery(v url.Values, cursor int) url.Values {
	next := cloneQuery(v)
	next.Del("since")
	next.Set("after", encodeCursor(cursor))
	return next
}
