package okta

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// AccessDenial is an operation that Okta refused with 403 E0000006 for a
// reason other than a missing scope: the admin role of the credentials
// lacks the permission (IsAdminRoleDenied).
type AccessDenial struct {
	// Method and Path are the refused request's (path without query).
	Method, Path string
	// Bucket groups the operation with its kind: device assurance
	// policies, posture checks, policies and rules (api-v1), System Log.
	Bucket Bucket
	// At is when Okta refused it.
	At time.Time
}

// AccessDenialMaxAge is how long a refusal is reported without being seen
// again. A refused object retries within minutes (its recheck), so a
// refusal that still holds is seen again well within it; one whose object
// was deleted or changed fades.
const AccessDenialMaxAge = 30 * time.Minute

// AccessDenials returns the operations Okta refused for lack of an admin
// role permission in the last AccessDenialMaxAge, one per method and
// bucket, sorted; a later success of the same method in the same bucket
// clears it. The org check reports them in the org's status.
func (c *Client) AccessDenials() []AccessDenial { return c.denials.snapshot(c.clock.Now()) }

// accessDenials records the AccessDenials; safe for concurrent use.
type accessDenials struct {
	mu     sync.Mutex
	byKind map[string]AccessDenial
}

// observe records the outcome of one response: a role refusal, or a
// success that clears the refusal of the same method and bucket.
func (d *accessDenials) observe(method, path string, status int, err error, now time.Time) {
	bucket := bucketOf(path)
	key := method + " " + string(bucket)
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case IsAdminRoleDenied(err):
		if d.byKind == nil {
			d.byKind = map[string]AccessDenial{}
		}
		d.byKind[key] = AccessDenial{Method: method, Path: path, Bucket: bucket, At: now}
	case status >= http.StatusOK && status < http.StatusMultipleChoices:
		delete(d.byKind, key)
	}
}

func (d *accessDenials) snapshot(now time.Time) []AccessDenial {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]AccessDenial, 0, len(d.byKind))
	for key, denial := range d.byKind {
		if now.Sub(denial.At) > AccessDenialMaxAge {
			delete(d.byKind, key)
			continue
		}
		out = append(out, denial)
	}
	slices.SortFunc(out, func(a, b AccessDenial) int {
		if c := strings.Compare(string(a.Bucket), string(b.Bucket)); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
	return out
}
