package okta

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Bucket names a rate-limit bucket. Okta counts requests per endpoint group
// (docs/okta-api-behaviour.md §6); the buckets below are the operator's view
// of them. The device-assurances and posture-check endpoints are not in any
// published table, so they get their own names and the headers tell the real
// numbers.
type Bucket string

// The rate-limit buckets the client records.
const (
	BucketDeviceAssurances   Bucket = "device-assurances"
	BucketDevicePostureCheck Bucket = "device-posture-checks"
	BucketLogs               Bucket = "logs"
	BucketToken              Bucket = "token"
	// BucketAPIv1 is the "/api/v1 catch-all" bucket (policies and rules).
	BucketAPIv1 Bucket = "api-v1"
)

// bucketOf maps a request path to its bucket.
func bucketOf(path string) Bucket {
	switch {
	case strings.HasPrefix(path, "/api/v1/device-assurances"):
		return BucketDeviceAssurances
	case strings.HasPrefix(path, "/api/v1/device-posture-checks"):
		return BucketDevicePostureCheck
	case strings.HasPrefix(path, "/api/v1/logs"):
		return BucketLogs
	case strings.HasPrefix(path, "/oauth2/"):
		return BucketToken
	default:
		return BucketAPIv1
	}
}

// RateLimit is the last rate-limit state Okta reported for a bucket.
type RateLimit struct {
	// Limit is X-Rate-Limit-Limit; 0 on a concurrency 429.
	Limit int
	// Remaining is X-Rate-Limit-Remaining.
	Remaining int
	// Reset is X-Rate-Limit-Reset (UTC epoch seconds).
	Reset time.Time
	// ObservedAt is when the response was received.
	ObservedAt time.Time
}

// parseRateLimitHeaders reads the X-Rate-Limit-* headers; ok is false when
// the response had none (e.g. the terraform recordings strip them).
func parseRateLimitHeaders(h http.Header, now time.Time) (RateLimit, bool) {
	limit, okLimit := headerInt(h, "X-Rate-Limit-Limit")
	remaining, okRemaining := headerInt(h, "X-Rate-Limit-Remaining")
	reset, okReset := headerInt(h, "X-Rate-Limit-Reset")
	rl := RateLimit{Limit: limit, Remaining: remaining, ObservedAt: now}
	if okReset {
		rl.Reset = time.Unix(int64(reset), 0).UTC()
	}
	return rl, okLimit || okRemaining || okReset
}

func headerInt(h http.Header, name string) (int, bool) {
	v := strings.TrimSpace(h.Get(name))
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, false
	}
	return n, true
}

// rateLimits records the last state per bucket; safe for concurrent use.
type rateLimits struct {
	mu      sync.Mutex
	buckets map[Bucket]RateLimit
}

func (r *rateLimits) record(bucket Bucket, h http.Header, now time.Time) {
	rl, ok := parseRateLimitHeaders(h, now)
	if !ok {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.buckets == nil {
		r.buckets = map[Bucket]RateLimit{}
	}
	r.buckets[bucket] = rl
}

func (r *rateLimits) snapshot() map[Bucket]RateLimit {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[Bucket]RateLimit, len(r.buckets))
	for k, v := range r.buckets {
		out[k] = v
	}
	return out
}

// waitForReset is how long to wait before retrying a 429: until the reset,
// measured against the server's Date header when present so that clock skew
// does not matter (Okta's formula: reset − Date + 1 s,
// docs/okta-api-behaviour.md §6).
func waitForReset(h http.Header, now time.Time) (time.Duration, bool) {
	reset, ok := headerInt(h, "X-Rate-Limit-Reset")
	if !ok {
		return 0, false
	}
	reference := now
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		reference = date
	}
	wait := time.Unix(int64(reset), 0).Sub(reference) + time.Second
	if wait < time.Second {
		wait = time.Second
	}
	return wait, true
}
