package driftwatch

import (
	"net/http"
	"sync"

	"k8s.io/apimachinery/pkg/types"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// ownRequestCapacity bounds the remembered request ids: far more writes
// than one poll interval sees at Okta's write rates.
const ownRequestCapacity = 8192

// OwnRequests remembers the X-Okta-Request-Id of the operator's own writes,
// and which object each was made for. Okta uses the request id as the
// transaction id of the System Log events a request causes, which tells the
// operator's changes from anybody else's even when both use the same admin
// account's API token, and a write made for one object to the Okta object
// of another from that object's own. Safe for concurrent use.
type OwnRequests struct {
	mu   sync.Mutex
	ids  map[string]types.UID
	ring []string
	next int
}

// NewOwnRequests returns an empty set.
func NewOwnRequests() *OwnRequests {
	return &OwnRequests{ids: map[string]types.UID{}, ring: make([]string, ownRequestCapacity)}
}

// Add remembers id, made for the object writer (empty: unknown), forgetting
// the oldest one when full.
func (o *OwnRequests) Add(id string, writer types.UID) {
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
	o.ids[id] = writer
	o.next = (o.next + 1) % len(o.ring)
}

// Has says whether id is one of the operator's requests.
func (o *OwnRequests) Has(id string) bool {
	_, ok := o.Writer(id)
	return ok
}

// Writer says whether id is one of the operator's requests, and for which
// object it was made (empty: unknown).
func (o *OwnRequests) Writer(id string) (types.UID, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	writer, ok := o.ids[id]
	return writer, ok
}

// Transport records the request id of every response to a request that can
// change the org (anything but GET and HEAD), whatever its status: a
// failed write may still have changed something.
func (o *OwnRequests) Transport(base http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		resp, err := base.RoundTrip(req)
		if resp != nil && req.Method != http.MethodGet && req.Method != http.MethodHead {
			o.Add(resp.Header.Get("X-Okta-Request-Id"), orgclient.WriterFrom(req.Context()))
		}
		return resp, err
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
