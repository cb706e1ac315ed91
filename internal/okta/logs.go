package okta

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

const logsPath = "/api/v1/logs"

// Sort orders of the System Log.
const (
	SortAscending  = "ASCENDING"
	SortDescending = "DESCENDING"
)

// defaultPollPages bounds the pages one Poll reads before returning, so a
// busy org cannot keep a reconcile loop inside one call.
const defaultPollPages = 50

// LogQuery is a System Log query (docs/okta-api-behaviour.md §4.1).
type LogQuery struct {
	// Since is the lower bound; Okta rejects more than 180 days ago.
	Since time.Time
	// Until is the upper bound; leave it zero for polling.
	Until time.Time
	// Filter is a SCIM filter, e.g. `eventType eq "device.assurance.policy.update"`.
	Filter string
	// Q are keywords.
	Q string
	// Limit is the page size (0–1000; 0 leaves Okta's default of 100).
	Limit int
	// SortOrder is SortAscending (polling) or SortDescending.
	SortOrder string
	// After is an opaque cursor from LogPage.After or LogPoller.Cursor;
	// it excludes Since.
	After string
}

func (q LogQuery) values() (url.Values, error) {
	if q.After != "" && !q.Since.IsZero() {
		return nil, errors.New("okta: a System Log query takes since or after, not both")
	}
	v := url.Values{}
	setIf(v, "since", formatLogTime(q.Since))
	setIf(v, "until", formatLogTime(q.Until))
	setIf(v, "filter", q.Filter)
	setIf(v, "q", q.Q)
	setIf(v, "sortOrder", q.SortOrder)
	setIf(v, "after", q.After)
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	return v, nil
}

func setIf(v url.Values, key, value string) {
	if value != "" {
		v.Set(key, value)
	}
}

func formatLogTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// LogPage is one page of System Log events.
type LogPage struct {
	// Events are the page's events.
	Events []LogEvent
	// After is the opaque `after` cursor of the rel="next" link, "" if
	// none; persist it to resume a query later (LogQuery.After).
	After string
	// NextURL is the rel="next" link as Okta sent it, "" if none.
	NextURL string
}

// ListLogEvents reads the first page of a query.
func (c *Client) ListLogEvents(ctx context.Context, q LogQuery) (*LogPage, error) {
	values, err := q.values()
	if err != nil {
		return nil, err
	}
	return c.logPage(ctx, call{method: http.MethodGet, path: logsPath, query: values, idempotent: true})
}

// NextLogEvents follows the rel="next" link of page; it returns (nil, nil)
// when there is none. A polling query always has one
// (docs/okta-api-behaviour.md §4.2).
func (c *Client) NextLogEvents(ctx context.Context, page *LogPage) (*LogPage, error) {
	if page == nil || page.NextURL == "" {
		return nil, nil
	}
	next, err := c.sameOrigin(page.NextURL)
	if err != nil {
		return nil, err
	}
	return c.logPage(ctx, call{method: http.MethodGet, next: next, idempotent: true})
}

func (c *Client) logPage(ctx context.Context, op call) (*LogPage, error) {
	page := &LogPage{}
	header, err := c.do(ctx, op, &page.Events)
	if err != nil {
		return nil, err
	}
	if raw := nextLink(header); raw != "" {
		next, err := c.sameOrigin(raw)
		if err != nil {
			return nil, err
		}
		page.NextURL, page.After = next.String(), next.Query().Get("after")
	}
	return page, nil
}

// LogPager reads System Log pages; *Client implements it.
type LogPager interface {
	ListLogEvents(ctx context.Context, q LogQuery) (*LogPage, error)
	NextLogEvents(ctx context.Context, page *LogPage) (*LogPage, error)
}

// LogPoller reads a polling query (Until unset, ascending) page by page.
// Okta never stops sending next links for such a query, so each Poll stops
// at the first empty page and the next Poll resumes from its next link
// (docs/okta-api-behaviour.md §4.2). Not safe for concurrent use.
type LogPoller struct {
	pager    LogPager
	query    LogQuery
	last     *LogPage
	maxPages int
}

// NewLogPoller starts polling q through pager. SortOrder is forced to
// ascending and Until to zero, which is what makes Okta treat the query as
// polling. Set q.After to resume from a persisted Cursor.
func NewLogPoller(pager LogPager, q LogQuery) *LogPoller {
	q.SortOrder = SortAscending
	q.Until = time.Time{}
	return &LogPoller{pager: pager, query: q, maxPages: defaultPollPages}
}

// Poll returns the events published since the previous Poll, reading pages
// until an empty one (or a page bound, in which case the next Poll goes on).
func (p *LogPoller) Poll(ctx context.Context) ([]LogEvent, error) {
	var events []LogEvent
	for range p.maxPages {
		page, err := p.fetch(ctx)
		if err != nil {
			return events, err
		}
		if page == nil {
			return events, nil
		}
		if page.NextURL != "" {
			p.last = page
		}
		if len(page.Events) == 0 {
			return events, nil
		}
		events = append(events, page.Events...)
		if page.NextURL == "" {
			return events, nil
		}
	}
	return events, nil
}

func (p *LogPoller) fetch(ctx context.Context) (*LogPage, error) {
	if p.last != nil {
		return p.pager.NextLogEvents(ctx, p.last)
	}
	return p.pager.ListLogEvents(ctx, p.query)
}

// Cursor is the opaque `after` value to resume from; persist it and pass it
// as LogQuery.After to continue after a restart.
func (p *LogPoller) Cursor() string {
	if p.last == nil {
		return p.query.After
	}
	return p.last.After
}
