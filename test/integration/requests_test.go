package integration_test

import (
	"net/http"
	"sync"

	"k8s.io/apimachinery/pkg/types"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// objectRequests records every request the manager sends to Okta under the
// object whose pass sent it, so that a spec can say "no Okta call for this
// object" exactly, whatever the other objects do at the same time.
var objectRequests = &requestsByObject{byUID: map[types.UID][]string{}}

type requestsByObject struct {
	mu    sync.Mutex
	byUID map[types.UID][]string
}

func (r *requestsByObject) transport(base http.RoundTripper) http.RoundTripper {
	return roundTripper(func(req *http.Request) (*http.Response, error) {
		if uid := orgclient.WriterFrom(req.Context()); uid != "" {
			r.mu.Lock()
			r.byUID[uid] = append(r.byUID[uid], req.Method+" "+req.URL.Path)
			r.mu.Unlock()
		}
		return base.RoundTrip(req)
	})
}

// of returns the requests the passes over the object with uid sent.
func (r *requestsByObject) of(uid types.UID) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.byUID[uid]...)
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
