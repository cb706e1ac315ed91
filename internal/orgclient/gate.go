package orgclient

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// DefaultMaxInFlight is how many requests one org's client has in flight at
// most unless WithMaxInFlight says otherwise: well below Okta's org-wide
// concurrency limit (35 on the smallest plans, 75 otherwise,
// docs/okta-api-behaviour.md §6), which the org's other clients share.
const DefaultMaxInFlight = 8

// ReservedHighSlots is how many request slots low-urgency calls leave free
// for high-urgency ones: a quarter of the slots, at least one (none when
// there is a single slot, which low-urgency calls still get when no
// high-urgency call waits).
func ReservedHighSlots(maxInFlight int) int {
	if maxInFlight <= 1 {
		return 0
	}
	return min(max(1, maxInFlight/4), maxInFlight-1)
}

// gate holds the request slots of one org, shared by every client built
// for it, and counts the requests in flight per bucket. Waiting high-
// urgency calls get a freed slot first, in arrival order; low-urgency
// calls wait while a high-urgency call does or while only the reserved
// slots are free. A gate with max 0 has no limit but still counts.
type gate struct {
	mu sync.Mutex
	// max is the number of slots (0: unlimited); lowMax how many of them
	// low-urgency calls may hold.
	max, lowMax int
	inUse       int
	high, low   []*waiter
	inFlight    map[okta.Bucket]int
	// tenants counts each namespace's calls per bucket and window, for
	// the namespaces that have a share of the budget.
	tenants map[tenantBucket]*tenantWindow
}

type waiter struct {
	ready   chan struct{}
	granted bool
}

func newGate(maxInFlight int) *gate {
	g := &gate{inFlight: map[okta.Bucket]int{}}
	if maxInFlight > 0 {
		g.max, g.lowMax = maxInFlight, maxInFlight-ReservedHighSlots(maxInFlight)
	}
	return g
}

// acquire takes a slot for a call of urgency p, waiting until one is free
// or ctx ends.
func (g *gate) acquire(ctx context.Context, p Urgency) error {
	if g.max == 0 {
		return nil
	}
	g.mu.Lock()
	if g.free(p) {
		g.inUse++
		g.mu.Unlock()
		return nil
	}
	w := &waiter{ready: make(chan struct{})}
	if p == UrgencyLow {
		g.low = append(g.low, w)
	} else {
		g.high = append(g.high, w)
	}
	g.mu.Unlock()

	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
	}
	g.mu.Lock()
	if w.granted {
		// Granted as ctx ended: hand the slot on.
		g.mu.Unlock()
		g.release()
	} else {
		g.high = slices.DeleteFunc(g.high, func(o *waiter) bool { return o == w })
		g.low = slices.DeleteFunc(g.low, func(o *waiter) bool { return o == w })
		// A high-urgency call that gives up may unblock low-urgency ones.
		g.dispatch()
		g.mu.Unlock()
	}
	return fmt.Errorf("okta: waiting for one of the org's %d request slots: %w", g.max, ctx.Err())
}

// free tells whether a call of urgency p may take a slot at once; g.mu is
// held. Calls that find others of their urgency waiting queue behind them.
func (g *gate) free(p Urgency) bool {
	if p == UrgencyLow {
		return len(g.high) == 0 && len(g.low) == 0 && g.inUse < g.lowMax
	}
	return len(g.high) == 0 && g.inUse < g.max
}

// release frees a slot taken by acquire and hands it to the next waiter.
func (g *gate) release() {
	if g.max == 0 {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inUse--
	g.dispatch()
}

// dispatch hands the free slots to the waiters, high urgency first; g.mu
// is held.
func (g *gate) dispatch() {
	for len(g.high) > 0 && g.inUse < g.max {
		g.grant(&g.high)
	}
	for len(g.high) == 0 && len(g.low) > 0 && g.inUse < g.lowMax {
		g.grant(&g.low)
	}
}

// grant gives a slot to the first waiter of queue; g.mu is held.
func (g *gate) grant(queue *[]*waiter) {
	w := (*queue)[0]
	*queue = (*queue)[1:]
	w.granted = true
	g.inUse++
	close(w.ready)
}

// admit counts a request to bucket as in flight unless refuse, given how
// many are already, returns an error.
func (g *gate) admit(bucket okta.Bucket, refuse func(inFlight int) error) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := refuse(g.inFlight[bucket]); err != nil {
		return err
	}
	g.inFlight[bucket]++
	return nil
}

// done ends a request admitted to bucket.
func (g *gate) done(bucket okta.Bucket) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inFlight[bucket]--
}

// counts returns the slots in use and the waiting calls, for tests.
func (g *gate) counts() (inUse, highWaiting, lowWaiting int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.inUse, len(g.high), len(g.low)
}
