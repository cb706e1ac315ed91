package oktasim

import (
	"sync"
	"time"
)

// RateLimits configures the org's rate limits. A zero field takes its
// default: 50 requests per 60 s for each bucket, the x-rate-limit-limit the
// python recordings show (docs/okta-api-behaviour.md, R15), and 75 concurrent
// requests, the Workforce concurrency limit (docs/okta-api-behaviour.md §6).
type RateLimits struct {
	// Disabled turns enforcement and counting off: the headers are still
	// sent, always with the whole window remaining, so that a client that
	// paces itself on them (capacityPercent) is never slowed in tests.
	Disabled bool
	// Requests per 60-second window, per bucket.
	DeviceAssurances    int
	DevicePostureChecks int
	API                 int // the /api/v1 catch-all, including policies and rules
	Logs                int
	Token               int
	// Concurrency is the number of requests served at the same time.
	Concurrency int
}

const (
	defaultBucketLimit = 50
	defaultConcurrency = 75
	rateLimitWindow    = 60 * time.Second
)

type rateWindow struct {
	start time.Time
	count int
}

type rateVerdict struct {
	allowed          bool
	limit, remaining int
	reset            time.Time
}

// rateLimiter keeps one fixed 60-second window per bucket, started by the
// first request after the previous window ended; Okta says its counters
// are per minute but not aligned to wall-clock minutes
// (docs/okta-api-behaviour.md §6).
type rateLimiter struct {
	disabled    bool
	limits      map[string]int
	concurrency int

	mu       sync.Mutex
	windows  map[string]*rateWindow
	inFlight int
}

func newRateLimiter(cfg RateLimits) *rateLimiter {
	orDefault := func(n int) int {
		if n <= 0 {
			return defaultBucketLimit
		}
		return n
	}
	concurrency := cfg.Concurrency
	if concurrency <= 0 {
		concurrency = defaultConcurrency
	}
	return &rateLimiter{
		disabled: cfg.Disabled,
		limits: map[string]int{
			bucketDeviceAssurances:    orDefault(cfg.DeviceAssurances),
			bucketPostureChecks:       orDefault(cfg.DevicePostureChecks),
			bucketAPI:                 orDefault(cfg.API),
			bucketLogs:                orDefault(cfg.Logs),
			bucketAuthorizationServer: orDefault(cfg.Token),
		},
		concurrency: concurrency,
		windows:     map[string]*rateWindow{},
	}
}

// take counts one request against bucket.
func (l *rateLimiter) take(bucket string, now time.Time) rateVerdict {
	l.mu.Lock()
	defer l.mu.Unlock()
	limit := l.limits[bucket]
	win := l.windows[bucket]
	if win == nil || !now.Before(win.start.Add(rateLimitWindow)) {
		win = &rateWindow{start: now}
		l.windows[bucket] = win
	}
	reset := win.start.Add(rateLimitWindow)
	if l.disabled {
		return rateVerdict{allowed: true, limit: limit, remaining: limit, reset: reset}
	}
	if win.count >= limit {
		return rateVerdict{allowed: false, limit: limit, remaining: 0, reset: reset}
	}
	win.count++
	return rateVerdict{allowed: true, limit: limit, remaining: max(limit-win.count, 0), reset: reset}
}

// acquire admits one more concurrent request, if the limit allows.
func (l *rateLimiter) acquire() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inFlight >= l.concurrency && !l.disabled {
		return false
	}
	l.inFlight++
	return true
}

func (l *rateLimiter) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inFlight--
}
