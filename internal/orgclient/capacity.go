package orgclient

import (
	"fmt"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// CapacityError is returned instead of sending a request when the bucket's
// last figures show that this operator has used its share of the window
// (spec.capacityPercent). It unwraps to an *okta.RateLimitError, so that
// okta.Class(err) is ClassRateLimited and callers requeue after Reset, as
// for a real 429, without Okta's limit ever being reached.
type CapacityError struct {
	// Bucket is the exhausted bucket.
	Bucket okta.Bucket
	// Percent is the org's capacityPercent.
	Percent int
	// Limit and Remaining are the bucket's last figures.
	Limit, Remaining int
	// Reset is when the window resets.
	Reset time.Time
}

// Error says which bucket and until when.
func (e *CapacityError) Error() string {
	return fmt.Sprintf("okta: bucket %s has %d of %d requests left in this window, which capacityPercent %d leaves to other clients; next window at %s",
		e.Bucket, e.Remaining, e.Limit, e.Percent, e.Reset.UTC().Format(time.RFC3339))
}

// Unwrap presents the error as a 429.
func (e *CapacityError) Unwrap() error {
	return &okta.RateLimitError{
		APIError: &okta.APIError{Class: okta.ClassRateLimited, ErrorSummary: e.Error()},
		Limit:    e.Limit, Remaining: e.Remaining, Reset: e.Reset,
	}
}

// capped is an okta.API that keeps (100 - percent)% of every bucket for
// the org's other clients. Concurrent calls may overshoot by the number of
// requests in flight, since figures are only known from responses.
type capped struct {
	api     okta.API
	percent int
	now     func() time.Time
}

// admit refuses a call to bucket once its remaining requests are down to
// the reserve of the other clients, until the window resets.
func (c *capped) admit(bucket okta.Bucket) error {
	rl, ok := c.api.RateLimits()[bucket]
	// Limit 0 is a concurrency 429, not a window: nothing to reserve.
	if !ok || rl.Limit <= 0 || rl.Reset.IsZero() || !c.now().Before(rl.Reset) {
		return nil
	}
	reserve := rl.Limit * (100 - c.percent) / 100
	if rl.Remaining > reserve {
		return nil
	}
	return &CapacityError{Bucket: bucket, Percent: c.percent, Limit: rl.Limit, Remaining: rl.Remaining, Reset: rl.Reset}
}

// withCapacity wraps api unless percent lets it use the whole bucket.
func withCapacity(api okta.API, percent int32, now func() time.Time) okta.API {
	if percent <= 0 || percent >= 100 {
		// 0 is an object written before the CRD default existed: no limit,
		// as before. 100 still stops at 0 remaining, which Okta would refuse
		// anyway: the client's own 429 handling covers it.
		return api
	}
	return &capped{api: api, percent: int(percent), now: now}
}

// through admits a call to bucket, then makes it.
func through[T any](c *capped, bucket okta.Bucket, call func() (T, error)) (T, error) {
	if err := c.admit(bucket); err != nil {
		var zero T
		return zero, err
	}
	return call()
}

// throughErr is through for calls that return only an error.
func throughErr(c *capped, bucket okta.Bucket, call func() error) error {
	if err := c.admit(bucket); err != nil {
		return err
	}
	return call()
}
