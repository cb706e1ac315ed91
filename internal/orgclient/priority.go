package orgclient

import (
	"context"
)

// Priority orders the calls of one org's client when its share of Okta's
// rate limits or its request slots run short: the work of new and changed
// objects goes ahead of resync traffic.
type Priority int

const (
	// PriorityHigh is the default, for a context WithPriority never marked:
	// creating, updating or deleting objects whose spec changed.
	PriorityHigh Priority = iota
	// PriorityLow is resync and background traffic (the periodic pass of
	// a Ready object, the System Log watcher). Its calls are refused while
	// the bucket is down to LowPriorityHeadroomPercent above the share kept
	// for the org's other clients, and get a request slot only when no
	// high-priority call waits for one and ReservedHighSlots stay free.
	PriorityLow
)

// String names the priority.
func (p Priority) String() string {
	if p == PriorityLow {
		return "low"
	}
	return "high"
}

type priorityKey struct{}

// WithPriority marks the Okta calls made with ctx (through a client that
// Resolve returned) with p.
func WithPriority(ctx context.Context, p Priority) context.Context {
	return context.WithValue(ctx, priorityKey{}, p)
}

// PriorityFrom returns the priority WithPriority put in ctx, PriorityHigh
// if none.
func PriorityFrom(ctx context.Context) Priority {
	if p, ok := ctx.Value(priorityKey{}).(Priority); ok {
		return p
	}
	return PriorityHigh
}
