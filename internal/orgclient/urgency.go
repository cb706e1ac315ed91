package orgclient

import (
	"context"
)

// Urgency orders the calls of one org's client when its share of Okta's
// rate limits or its request slots run short: the work of new and changed
// objects goes ahead of resync traffic. (It has nothing to do with the
// priority of an Okta rule, spec.rule.priority of a SignInRuleBinding.)
type Urgency int

const (
	// UrgencyHigh is the default, for a context WithUrgency never marked:
	// creating, updating or deleting objects whose spec changed.
	UrgencyHigh Urgency = iota
	// UrgencyLow is resync and background traffic (the periodic pass of
	// a Ready object, the System Log watcher). Its calls are refused while
	// the bucket is down to LowUrgencyHeadroomPercent above the share kept
	// for the org's other clients, and get a request slot only when no
	// high-urgency call waits for one and ReservedHighSlots stay free.
	UrgencyLow
)

// String names the urgency.
func (p Urgency) String() string {
	if p == UrgencyLow {
		return "low"
	}
	return "high"
}

type urgencyKey struct{}

// WithUrgency marks the Okta calls made with ctx (through a client that
// Resolve returned) with urgency p.
func WithUrgency(ctx context.Context, p Urgency) context.Context {
	return context.WithValue(ctx, urgencyKey{}, p)
}

// UrgencyFrom returns the urgency WithUrgency put in ctx, UrgencyHigh
// if none.
func UrgencyFrom(ctx context.Context) Urgency {
	if p, ok := ctx.Value(urgencyKey{}).(Urgency); ok {
		return p
	}
	return UrgencyHigh
}
