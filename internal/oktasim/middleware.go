package oktasim

import (
	"net/http"
	"strconv"
	"strings"
)

// statusRecorder remembers the status a handler wrote, for request counts.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// requestKey is one row of GET /_oktasim/requests.
type requestKey struct {
	Method   string
	Template string
	Status   int
}

// wrap adds what every Okta API response carries: a request id, the
// concurrency and per-bucket rate limits with their X-Rate-Limit-* headers
// (docs/okta-api-behaviour.md §6, R15), the request count for inspection, and
// the injected faults.
func (o *Org) wrap(pattern, bucket string, next http.Handler) http.Handler {
	template := pattern
	if i := strings.IndexByte(pattern, ' '); i >= 0 {
		template = pattern[i+1:]
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		defer func() { o.countRequest(r.Method, template, rec.status) }()
		reqID := randomString(base62Alphabet, 27)
		rec.Header().Set("X-Okta-Request-Id", reqID)
		r = withRequestID(r, reqID)

		// Injected faults (faults.go) come before the rate limits: a fault
		// that answers for the org consumes none.
		serve := func(w http.ResponseWriter) { o.serveLimited(w, r, bucket, next) }
		if o.injectFault(rec, r, template, bucket, serve) {
			return
		}
		serve(rec)
	})
}

// serveLimited applies the concurrency and bucket limits, then next.
func (o *Org) serveLimited(w http.ResponseWriter, r *http.Request, bucket string, next http.Handler) {
	if !o.limiter.acquire() {
		// A concurrency 429 reports Limit and Remaining 0
		// (docs/okta-api-behaviour.md §6).
		setRateLimitHeaders(w, 0, 0, o.clock().Unix()+1)
		writeError(w, rateLimitError())
		return
	}
	defer o.limiter.release()

	verdict := o.limiter.take(bucket, o.clock())
	setRateLimitHeaders(w, verdict.limit, verdict.remaining, verdict.reset.Unix())
	if !verdict.allowed {
		writeError(w, rateLimitError())
		return
	}
	next.ServeHTTP(w, r)
}

func setRateLimitHeaders(w http.ResponseWriter, limit, remaining int, reset int64) {
	w.Header().Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
	w.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(remaining))
	w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(reset, 10))
}

// authorized authenticates the caller and checks the operation's scope.
func (o *Org) authorized(scope string, h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := o.authenticate(r)
		if err != nil {
			writeError(w, err)
			return
		}
		if !p.hasScope(scope) {
			writeError(w, insufficientScopeError(r, scope))
			return
		}
		if err := h(w, r, p); err != nil {
			writeError(w, err)
		}
	})
}

func (o *Org) countRequest(method, template string, status int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.requestCounts[requestKey{method, template, status}]++
}
