package oktasim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultEffect is what an injected fault does to a matching request.
type FaultEffect string

// Fault effects.
const (
	// EffectStatus answers with Fault.Status and Okta's error body for it;
	// the org changes nothing.
	EffectStatus FaultEffect = "status"
	// EffectDelay waits Fault.Delay (or until the client gives up) and then
	// serves the request normally.
	EffectDelay FaultEffect = "delay"
	// EffectDropResponse serves the request (the org commits it, e.g. a POST
	// creates the object) but closes the connection instead of answering.
	EffectDropResponse FaultEffect = "drop-response"
	// EffectUnreachable closes the connection without serving the request:
	// the org changes nothing.
	EffectUnreachable FaultEffect = "unreachable"
)

// Fault is a failure injected in front of the Okta API routes (everything
// but /_oktasim). A request matches when its method, path and bucket match;
// the first active matching fault, in the order they were injected, applies.
// A fault lasts for its first Count matching requests and until For after
// it was injected, or Until; without either it lasts until removed.
type Fault struct {
	// Effect is what the fault does; it may be left empty when Status or
	// Delay says it.
	Effect FaultEffect
	// Method matches the HTTP method ("POST", or "GET|PUT"); empty or "*"
	// is any method.
	Method string
	// Path matches a route template exactly when it has a "{"
	// ("/api/v1/device-assurances/{id}"), otherwise a path prefix on
	// segment boundaries ("/api/v1/device-assurances" matches the list and
	// every policy). Empty is every path, including /oauth2/v1/token.
	Path string
	// Bucket matches the rate-limit bucket: device-assurances,
	// device-posture-checks, api-v1, logs, oauth2. Empty is any bucket.
	Bucket string

	// Status is the HTTP status of EffectStatus.
	Status int
	// Delay is how long EffectDelay waits.
	Delay time.Duration
	// ResetAfter is, for a 429, how far in the future X-Rate-Limit-Reset
	// is; zero means until the fault ends, or 60 s if it has no end time.
	ResetAfter time.Duration

	// Count is how many matching requests the fault applies to; 0 is no
	// limit.
	Count int
	// For is how long the fault lasts after it was injected; 0 is no limit.
	For time.Duration
	// Until is when the fault ends; zero is no limit.
	Until time.Time
}

// FaultStatus describes an injected fault and what it has done so far.
type FaultStatus struct {
	ID    string `json:"id"`
	Fault Fault  `json:"fault"`
	// Hits is how many requests the fault has applied to.
	Hits int `json:"hits"`
	// Active is false once the fault has used its Count or passed its end.
	Active bool `json:"active"`
	// InjectedAt is when the fault was injected; ExpiresAt when it ends by
	// time (absent if it does not).
	InjectedAt time.Time  `json:"injectedAt"`
	ExpiresAt  *time.Time `json:"expiresAt,omitempty"`
}

// faultJSON is the JSON form of Fault: durations as Go duration strings
// ("1.5s", "2m"), also accepted as integer nanoseconds.
type faultJSON struct {
	Effect     FaultEffect     `json:"effect,omitempty"`
	Method     string          `json:"method,omitempty"`
	Path       string          `json:"path,omitempty"`
	Bucket     string          `json:"bucket,omitempty"`
	Status     int             `json:"status,omitempty"`
	Delay      json.RawMessage `json:"delay,omitempty"`
	ResetAfter json.RawMessage `json:"resetAfter,omitempty"`
	Count      int             `json:"count,omitempty"`
	For        json.RawMessage `json:"for,omitempty"`
	Until      *time.Time      `json:"until,omitempty"`
}

// MarshalJSON writes durations as strings such as "1.5s".
func (f Fault) MarshalJSON() ([]byte, error) {
	dur := func(d time.Duration) json.RawMessage {
		if d == 0 {
			return nil
		}
		return json.RawMessage(strconv.Quote(d.String()))
	}
	j := faultJSON{Effect: f.Effect, Method: f.Method, Path: f.Path, Bucket: f.Bucket, Status: f.Status,
		Delay: dur(f.Delay), ResetAfter: dur(f.ResetAfter), Count: f.Count, For: dur(f.For)}
	if !f.Until.IsZero() {
		until := f.Until
		j.Until = &until
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads durations as strings ("5s") or integer nanoseconds.
func (f *Fault) UnmarshalJSON(data []byte) error {
	var j faultJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	out := Fault{Effect: j.Effect, Method: j.Method, Path: j.Path, Bucket: j.Bucket, Status: j.Status, Count: j.Count}
	for _, d := range []struct {
		name string
		raw  json.RawMessage
		to   *time.Duration
	}{{"delay", j.Delay, &out.Delay}, {"resetAfter", j.ResetAfter, &out.ResetAfter}, {"for", j.For, &out.For}} {
		v, err := parseJSONDuration(d.raw)
		if err != nil {
			return fmt.Errorf("fault %s: %w", d.name, err)
		}
		*d.to = v
	}
	if j.Until != nil {
		out.Until = *j.Until
	}
	*f = out
	return nil
}

func parseJSONDuration(raw json.RawMessage) (time.Duration, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return time.ParseDuration(s)
	}
	var n int64
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, errors.New("want a duration string such as \"5s\" or integer nanoseconds")
	}
	return time.Duration(n), nil
}

// normalized fills in an implied Effect and checks the fault.
func (f Fault) normalized() (Fault, error) {
	if f.Effect == "" {
		switch {
		case f.Status != 0:
			f.Effect = EffectStatus
		case f.Delay != 0:
			f.Effect = EffectDelay
		}
	}
	switch f.Effect {
	case EffectStatus:
		if f.Status < 400 || f.Status > 599 {
			return f, fmt.Errorf("fault: status %d is not an HTTP error status (400-599)", f.Status)
		}
	case EffectDelay:
		if f.Delay <= 0 {
			return f, errors.New("fault: a delay fault needs a positive delay")
		}
	case EffectDropResponse, EffectUnreachable:
	case "":
		return f, errors.New("fault: no effect: want status, delay, drop-response or unreachable")
	default:
		return f, fmt.Errorf("fault: unknown effect %q: want status, delay, drop-response or unreachable", f.Effect)
	}
	if f.Count < 0 || f.For < 0 || f.Delay < 0 || f.ResetAfter < 0 {
		return f, errors.New("fault: count, for, delay and resetAfter must not be negative")
	}
	if f.Path != "" && !strings.HasPrefix(f.Path, "/") {
		return f, fmt.Errorf("fault: path %q must start with /", f.Path)
	}
	return f, nil
}

// ParseFault parses the compact form of a fault used by cmd/oktasim's
// --fault flag: comma-separated items, one of them the effect,
//
//	status=CODE | delay=DURATION | drop-response | unreachable
//
// and any of method=M (M1|M2 for several), path=PREFIX_OR_TEMPLATE,
// bucket=B, count=N, for=DURATION, until=RFC3339, reset=DURATION. E.g.
// "status=503,method=POST,path=/api/v1/device-assurances,count=3" or
// "delay=5s,for=2m".
func ParseFault(spec string) (Fault, error) {
	var f Fault
	for item := range strings.SplitSeq(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		key, value, hasValue := strings.Cut(item, "=")
		var err error
		switch key {
		case "drop-response", "unreachable":
			if hasValue {
				return f, fmt.Errorf("fault %q: %s takes no value", spec, key)
			}
			f.Effect = FaultEffect(key)
		case "effect":
			f.Effect = FaultEffect(value)
		case "status":
			f.Status, err = strconv.Atoi(value)
		case "delay":
			f.Delay, err = time.ParseDuration(value)
		case "reset":
			f.ResetAfter, err = time.ParseDuration(value)
		case "method":
			f.Method = value
		case "path":
			f.Path = value
		case "bucket":
			f.Bucket = value
		case "count":
			f.Count, err = strconv.Atoi(value)
		case "for":
			f.For, err = time.ParseDuration(value)
		case "until":
			f.Until, err = time.Parse(time.RFC3339, value)
		default:
			return f, fmt.Errorf("fault %q: unknown item %q", spec, item)
		}
		if err != nil {
			return f, fmt.Errorf("fault %q: %s: %w", spec, key, err)
		}
	}
	nf, err := f.normalized()
	if err != nil {
		return f, fmt.Errorf("fault %q: %w", spec, err)
	}
	return nf, nil
}

// activeFault is an injected fault with its bookkeeping.
type activeFault struct {
	id       string
	fault    Fault
	injected time.Time
	expires  time.Time // zero: no end time
	hits     int
}

func (a *activeFault) active(now time.Time) bool {
	if a.fault.Count > 0 && a.hits >= a.fault.Count {
		return false
	}
	return a.expires.IsZero() || now.Before(a.expires)
}

func (a *activeFault) matches(r *http.Request, template, bucket string) bool {
	f := a.fault
	if f.Method != "" && f.Method != "*" {
		if !slices.ContainsFunc(strings.FieldsFunc(f.Method, func(c rune) bool { return c == '|' || c == '+' }),
			func(m string) bool { return strings.EqualFold(m, r.Method) }) {
			return false
		}
	}
	if f.Bucket != "" && f.Bucket != bucket {
		return false
	}
	switch {
	case f.Path == "":
	case strings.Contains(f.Path, "{"):
		if f.Path != template {
			return false
		}
	default:
		prefix := strings.TrimSuffix(f.Path, "/")
		if r.URL.Path != prefix && !strings.HasPrefix(r.URL.Path, prefix+"/") && f.Path != template {
			return false
		}
	}
	return true
}

// faultInjector holds the org's faults; it is safe for concurrent use.
type faultInjector struct {
	now func() time.Time

	mu     sync.Mutex
	seq    int
	faults []*activeFault
}

func newFaultInjector(now func() time.Time) *faultInjector {
	return &faultInjector{now: now}
}

func (fi *faultInjector) add(f Fault) (string, error) {
	f, err := f.normalized()
	if err != nil {
		return "", err
	}
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.seq++
	now := fi.now()
	a := &activeFault{id: "fault-" + strconv.Itoa(fi.seq), fault: f, injected: now}
	if f.For > 0 {
		a.expires = now.Add(f.For)
	}
	if !f.Until.IsZero() && (a.expires.IsZero() || f.Until.Before(a.expires)) {
		a.expires = f.Until
	}
	fi.faults = append(fi.faults, a)
	return a.id, nil
}

// match finds the fault that applies to the request and counts the hit.
func (fi *faultInjector) match(r *http.Request, template, bucket string) (Fault, time.Time, bool) {
	if fi == nil {
		return Fault{}, time.Time{}, false
	}
	fi.mu.Lock()
	defer fi.mu.Unlock()
	now := fi.now()
	for _, a := range fi.faults {
		if a.active(now) && a.matches(r, template, bucket) {
			a.hits++
			return a.fault, a.expires, true
		}
	}
	return Fault{}, time.Time{}, false
}

// InjectFault adds a fault and returns its id. It panics if the fault is
// invalid (no effect, a status outside 400-599, a delay fault without a
// delay); the HTTP API and ParseFault return those errors instead.
func (o *Org) InjectFault(f Fault) string {
	id, err := o.faults.add(f)
	if err != nil {
		panic("oktasim: " + err.Error())
	}
	return id
}

// RemoveFault removes a fault; it reports whether the id was known.
func (o *Org) RemoveFault(id string) bool {
	fi := o.faults
	fi.mu.Lock()
	defer fi.mu.Unlock()
	for i, a := range fi.faults {
		if a.id == id {
			fi.faults = slices.Delete(fi.faults, i, i+1)
			return true
		}
	}
	return false
}

// ClearFaults removes every fault.
func (o *Org) ClearFaults() {
	fi := o.faults
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.faults = nil
}

// Faults lists the injected faults, expired ones included, in the order
// they were injected.
func (o *Org) Faults() []FaultStatus {
	fi := o.faults
	fi.mu.Lock()
	defer fi.mu.Unlock()
	now := fi.now()
	out := make([]FaultStatus, 0, len(fi.faults))
	for _, a := range fi.faults {
		s := FaultStatus{ID: a.id, Fault: a.fault, Hits: a.hits, Active: a.active(now), InjectedAt: a.injected}
		if !a.expires.IsZero() {
			expires := a.expires
			s.ExpiresAt = &expires
		}
		out = append(out, s)
	}
	return out
}

// injectFault applies the fault matching the request, if any. It returns
// true when the fault has answered (or dropped) the request; false means
// serve it normally with serve(rec) (after a delay fault has waited).
// serve applies the rate limits and the handler.
func (o *Org) injectFault(rec *statusRecorder, r *http.Request, template, bucket string, serve func(http.ResponseWriter)) bool {
	f, expires, ok := o.faults.match(r, template, bucket)
	if !ok {
		return false
	}
	switch f.Effect {
	case EffectStatus:
		o.writeFaultStatus(rec, f, expires, bucket)
		return true
	case EffectDelay:
		// Read the body first: the server notices a client that hangs up
		// (and cancels the request's context) only once the body is read.
		if r.Body != nil && r.Body != http.NoBody {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				return true
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		timer := time.NewTimer(f.Delay)
		defer timer.Stop()
		select {
		case <-timer.C:
			return false
		case <-r.Context().Done():
			// The client gave up (e.g. its request timeout): nothing is served.
			return true
		}
	case EffectDropResponse:
		discard := &statusRecorder{ResponseWriter: &discardWriter{header: http.Header{}}}
		serve(discard)
		rec.status = discard.status // counted as served: the org did serve it
		closeConnection(rec.ResponseWriter)
		return true
	case EffectUnreachable:
		closeConnection(rec.ResponseWriter) // counted with status 0: no response
		return true
	}
	return false
}

// writeFaultStatus answers with Okta's error for status.
func (o *Org) writeFaultStatus(w http.ResponseWriter, f Fault, expires time.Time, bucket string) {
	now := o.clock()
	switch f.Status {
	case http.StatusTooManyRequests:
		reset := f.ResetAfter
		if reset == 0 {
			reset = rateLimitWindow
			if !expires.IsZero() && expires.After(now) {
				reset = expires.Sub(now)
			}
		}
		limit := o.limiter.limits[bucket] // read-only after construction
		setRateLimitHeaders(w, limit, 0, now.Add(reset+time.Second-1).Unix())
		writeError(w, rateLimitError())
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		// 502 and 504 come from Okta's edge, not from the API, so they carry
		// no Okta error envelope. No recording shows one; this HTML page is
		// a guess at what a load balancer sends.
		text := strconv.Itoa(f.Status) + " " + http.StatusText(f.Status)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte("<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" +
			text + "</h1></center>\r\n</body>\r\n</html>\r\n"))
	default:
		writeError(w, faultError(f.Status))
	}
}

// faultError is Okta's error body for an injected status.
func faultError(status int) *apiError {
	switch status {
	case http.StatusInternalServerError:
		return &apiError{status: status, code: "E0000009", summary: "Internal Server Error"} // docs/okta-api-behaviour.md §5
	case http.StatusServiceUnavailable:
		// E0000010 "Read only database exception", the one 503 of Okta's
		// error-code list (developer.okta.com/docs/reference/error-codes);
		// not recorded.
		return &apiError{status: status, code: "E0000010", summary: "Service is in read only mode"}
	case http.StatusLocked:
		// E0000239 "Policy lock exception" (423), as quoted in
		// okta/terraform-provider-okta#2151 and listed in Okta's error-code
		// list. No recording, and nothing in docs/okta-api-behaviour.md, has
		// the body, so the envelope (no causes) is a guess.
		return &apiError{status: status, code: "E0000239",
			summary: "Policy priorities are being reconciled. Please try again later."}
	case http.StatusTooManyRequests:
		return rateLimitError()
	case http.StatusNotFound:
		return notFoundError("", "Servlet")
	case http.StatusUnauthorized:
		return invalidTokenError()
	case http.StatusForbidden:
		return accessDeniedError()
	case http.StatusMethodNotAllowed:
		return methodNotAllowedError()
	case http.StatusBadRequest:
		return validationError("injected fault")
	default:
		// No Okta code is known for this status: the envelope without
		// errorCode, as the in-use 409 has.
		return &apiError{status: status, summary: http.StatusText(status)}
	}
}

// closeConnection ends the request without a response: it hijacks the
// connection and closes it, or, where hijacking is not supported (HTTP/2),
// aborts the handler, which resets the stream.
func closeConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// discardWriter swallows a response that a drop-response fault never sends.
type discardWriter struct{ header http.Header }

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}
