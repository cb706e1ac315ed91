package orgclient

import (
	"context"
	"fmt"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

const (
	// LowUrgencyHeadroomPercent is the part of a bucket's limit, above the
	// share kept for the org's other clients, that low-urgency calls leave
	// to high-urgency ones (at least one request).
	LowUrgencyHeadroomPercent = 10
	// MaxConcurrencyPause bounds how long calls are refused after a
	// concurrency 429, whose reset is only Okta's suggestion.
	MaxConcurrencyPause = 30 * time.Second
)

// CapacityError is returned instead of sending a request when the bucket's
// last figures show that this operator has used its share of the window
// (spec.capacityPercent; for a low-urgency call, that share less the
// headroom kept for high-urgency calls), or while the org's concurrency
// limit was just hit. It unwraps to an *okta.RateLimitError, so that
// okta.Class(err) is ClassRateLimited and callers requeue after Reset, as
// for a real 429, without Okta's limit ever being reached.
type CapacityError struct {
	// Bucket is the exhausted bucket; okta.BucketConcurrency after a
	// concurrency 429.
	Bucket okta.Bucket
	// Percent is the org's capacityPercent.
	Percent int
	// Limit and Remaining are the bucket's last figures (0 and 0 for the
	// concurrency limit).
	Limit, Remaining int
	// Reset is when the window resets.
	Reset time.Time
	// Urgency is the urgency of the refused call.
	Urgency Urgency
	// InFlight is how many requests to the bucket were in flight, not yet
	// counted in Remaining.
	InFlight int
	// Tenant is set when the refusal is the namespace's share of the budget
	// (TenantPercent of the operator's, TenantAllowed requests a window),
	// not the org's.
	Tenant                       string
	TenantPercent, TenantAllowed int
}

// Error says which bucket and until when.
func (e *CapacityError) Error() string {
	reset := e.Reset.UTC().Format(time.RFC3339)
	if e.Bucket == okta.BucketConcurrency {
		return fmt.Sprintf("okta: the org answered 429 to a request beyond its concurrency limit; next attempt at %s", reset)
	}
	if e.Tenant != "" {
		return fmt.Sprintf("okta: namespace %s used its %d requests to bucket %s in this window (rateBudgetPercent %d of the operator's share); next window at %s",
			e.Tenant, e.TenantAllowed, e.Bucket, e.TenantPercent, reset)
	}
	msg := fmt.Sprintf("okta: bucket %s has %d of %d requests left in this window", e.Bucket, e.Remaining, e.Limit)
	if e.InFlight > 0 {
		msg += fmt.Sprintf(" (%d more in flight)", e.InFlight)
	}
	if e.Urgency == UrgencyLow {
		return fmt.Sprintf("%s, which capacityPercent %d leaves to other clients and to changed objects ahead of resyncs; next window at %s",
			msg, e.Percent, reset)
	}
	return fmt.Sprintf("%s, which capacityPercent %d leaves to other clients; next window at %s", msg, e.Percent, reset)
}

// Unwrap presents the error as a 429.
func (e *CapacityError) Unwrap() error {
	return &okta.RateLimitError{
		APIError: &okta.APIError{Class: okta.ClassRateLimited, ErrorSummary: e.Error()},
		Limit:    e.Limit, Remaining: e.Remaining, Reset: e.Reset,
	}
}

// Refusal decides whether a call of urgency p to bucket may be sent now,
// given the client's last figures, the org's capacityPercent and the
// requests to bucket already in flight; it returns nil to send it.
//
//   - After a concurrency 429 (okta.BucketConcurrency), every call waits for
//     its reset, at most MaxConcurrencyPause after it was seen.
//   - Otherwise only a live window counts (a Limit, a Reset in the future):
//     the share of the other clients is Limit × (100 − percent) / 100 of
//     the live X-Rate-Limit-Limit, and a high-urgency call is refused once
//     Remaining − inFlight is down to it. A percent of 0 (unset) or 100
//     keeps nothing for them: Okta's own 429 stops those calls.
//   - A low-urgency call also leaves LowUrgencyHeadroomPercent of Limit
//     (at least 1) above that share to high-urgency calls.
func Refusal(figures map[okta.Bucket]okta.RateLimit, bucket okta.Bucket, p Urgency, percent, inFlight int, now time.Time) *CapacityError {
	if cc, ok := figures[okta.BucketConcurrency]; ok && !cc.Reset.IsZero() {
		until := cc.Reset
		if !cc.ObservedAt.IsZero() && until.After(cc.ObservedAt.Add(MaxConcurrencyPause)) {
			until = cc.ObservedAt.Add(MaxConcurrencyPause)
		}
		if now.Before(until) {
			return &CapacityError{Bucket: okta.BucketConcurrency, Percent: percent, Reset: until, Urgency: p}
		}
	}
	rl, ok := figures[bucket]
	// Limit 0 is a concurrency 429 recorded by an older client: not a window.
	if !ok || rl.Limit <= 0 || rl.Reset.IsZero() || !now.Before(rl.Reset) {
		return nil
	}
	floor := 0
	shared := percent > 0 && percent < 100
	if shared {
		floor = rl.Limit * (100 - percent) / 100
	}
	if p == UrgencyLow {
		floor += max(1, rl.Limit*LowUrgencyHeadroomPercent/100)
	} else if !shared {
		return nil
	}
	if rl.Remaining-inFlight > floor {
		return nil
	}
	return &CapacityError{Bucket: bucket, Percent: percent, Limit: rl.Limit, Remaining: rl.Remaining,
		Reset: rl.Reset, Urgency: p, InFlight: inFlight}
}

// governed is the okta.API of one org as the controllers use it: every
// call takes one of the org's request slots (shared by all its clients) and,
// when enforce is set, is refused as Refusal says.
type governed struct {
	api     okta.API
	gate    *gate
	enforce bool
	percent int
	now     func() time.Time
}

// withCapacity is a client enforcing percent, with no slot limit.
func withCapacity(api okta.API, percent int32, now func() time.Time) okta.API {
	return &governed{api: api, gate: newGate(0), enforce: true, percent: int(percent), now: now}
}

// refusal applies Refusal to a call; inFlight is read under the gate's lock.
func (c *governed) refusal(bucket okta.Bucket, p Urgency, figures map[okta.Bucket]okta.RateLimit) func(int) error {
	return func(inFlight int) error {
		if !c.enforce {
			return nil
		}
		if ce := Refusal(figures, bucket, p, c.percent, inFlight, c.now()); ce != nil {
			return ce
		}
		return nil
	}
}

// through admits a call to bucket, then makes it: refused at once if the
// figures say so, else after a request slot is free, checked again then
// (figures change while waiting).
func through[T any](ctx context.Context, c *governed, bucket okta.Bucket, call func() (T, error)) (T, error) {
	var zero T
	p := UrgencyFrom(ctx)
	if c.enforce {
		if ce := Refusal(c.api.RateLimits(), bucket, p, c.percent, 0, c.now()); ce != nil {
			return zero, ce
		}
		if err := c.tenantRefusal(ctx, bucket); err != nil {
			return zero, err
		}
	}
	if err := c.gate.acquire(ctx, p); err != nil {
		return zero, err
	}
	defer c.gate.release()
	var figures map[okta.Bucket]okta.RateLimit
	if c.enforce {
		figures = c.api.RateLimits()
	}
	if err := c.gate.admit(bucket, c.refusal(bucket, p, figures)); err != nil {
		return zero, err
	}
	defer c.gate.done(bucket)
	return call()
}

// throughErr is through for calls that return only an error.
func throughErr(ctx context.Context, c *governed, bucket okta.Bucket, call func() error) error {
	_, err := through(ctx, c, bucket, func() (struct{}, error) { return struct{}{}, call() })
	return err
}
