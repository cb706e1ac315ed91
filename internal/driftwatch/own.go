package driftwatch

import (
	"net/http"
	"sync"
)

// ownRequestCapacity bounds the remembered request ids: far more writes
// than one poll interval sees at Okta's write rates.
const ownRequestCapacity = 8192

// OwnRequests remembers the X-Okta-Request-Id of the operator's own writes.
// Okta uses the request id as the transaction id of the System Log events a
// request causes, which tells the operator's changes from anybody else's
// even when both use the same admin account's API token. Safe for
// concurrent use.
type OwnRequests struct {
	mu   sync.Mutex
	ids  map[string]struct{}
	ring []string
	next int
}

// NewOwnRequests returns an empty set.
func NewOwnRequests() *OwnRequests {
	return &OwnRequests{ids: map[string]struct{}{}, ring: make([]string, ownRequestCapacity)}
}

// Add remembers id, forgetting the oldest one when full.
func (o *OwnRequests) Add(id string) {
	if id == "" {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.ids[id]; ok {
		return
	}
	if old := o.ring[o.next]; old != "" {
		delete(o.ids, old)
	}
	o.ring[o.next] = id
	o.ids[id] = struct{}{}
	o.next = (o.next + 1) % len(o.ring)
}

// Has says whether id is one of the operator's requests.
func (o *OwnRequests) Has(id string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, ok := o.ids[id]
	return ok
}

// Transport records the request id of every response to a request that can
// change the org (anything but GET and HEAD), whatever its status: a
// failed write may still have changed something.
func (o *OwnRequests) Transport(base http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		resp, err := base.RoundTrip(req)
		if resp != nil && req.Method != http.MethodGet && req.Method != http.MethodHead {
			o.Add(resp.Header.Get("X-Okta-Request-Id"))
		}
		return resp, err
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
