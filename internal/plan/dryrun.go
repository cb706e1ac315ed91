package plan

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"

	"k8s.io/apimachinery/pkg/types"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// Write is one request the operator would send to change the org.
type Write struct {
	// Object is the UID of the object whose pass would send it.
	Object types.UID `json:"-"`
	// Method and Path are the request's, e.g. PUT
	// /api/v1/device-assurances/dae…; a created object's ID is shown as
	// "(new)".
	Method string `json:"method"`
	Path   string `json:"path"`
	// Body is what would be sent; Before is what the org holds now, for a
	// replace.
	Body   any `json:"body,omitempty"`
	Before any `json:"-"`
}

// PlannedIDPrefix starts the IDs the dry run gives the objects it would
// create, which appear in paths as "(new)".
const PlannedIDPrefix = "planned-"

// DryRun is an okta.API that reads from an org and records the writes
// instead of sending them: what it returns for a write is what the org
// would hold after it, so that the controllers' next pass sees the write
// done, as it would in the org. It never sends anything but GETs.
type DryRun struct {
	base okta.API

	mu       sync.Mutex
	writes   []Write
	next     int
	policies overlay[okta.DeviceAssuranceResponse]
	checks   overlay[okta.PostureCheckResponse]
	// rules are keyed by policy ID, then rule ID.
	rules map[string]*overlay[okta.PolicyRuleResponse]

	// listMu guards lists, the org's lists as first read, by key.
	listMu sync.Mutex
	lists  map[string][]byte
}

// NewDryRun reads from base, which it never writes to.
func NewDryRun(base okta.API) *DryRun {
	return &DryRun{base: base, rules: map[string]*overlay[okta.PolicyRuleResponse]{}, lists: map[string][]byte{}}
}

// baseList reads one of the org's lists once per plan and answers later
// reads with a copy of it: a plan is the org as read when it ran, and the
// controllers' name checks and rule lookups would otherwise list the org
// again for every object. Reads of single objects still go to the org.
func baseList[T any](ctx context.Context, d *DryRun, key string, list func(context.Context) ([]T, error)) ([]T, error) {
	d.listMu.Lock()
	defer d.listMu.Unlock()
	raw, ok := d.lists[key]
	if !ok {
		items, err := list(ctx)
		if err != nil {
			return nil, err
		}
		if raw, err = json.Marshal(items); err != nil {
			return nil, err
		}
		d.lists[key] = raw
	}
	// A copy per read: the caller may change what it gets.
	var out []T
	return out, json.Unmarshal(raw, &out)
}

var _ okta.API = (*DryRun)(nil)

// Writes returns the recorded writes in order.
func (d *DryRun) Writes() []Write {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.writes)
}

func (d *DryRun) record(ctx context.Context, method, path string, body, before any) {
	d.writes = append(d.writes, Write{Object: orgclient.WriterFrom(ctx), Method: method, Path: path, Body: body, Before: before})
}

func (d *DryRun) newID() string {
	d.next++
	return fmt.Sprintf("%s%d", PlannedIDPrefix, d.next)
}

// overlay holds what the dry run's writes changed: objects created or
// replaced, and IDs deleted.
type overlay[R any] struct {
	objects map[string]R
	order   []string
	deleted map[string]bool
}

func (o *overlay[R]) put(id string, r R) {
	if o.objects == nil {
		o.objects, o.deleted = map[string]R{}, map[string]bool{}
	}
	if _, ok := o.objects[id]; !ok {
		o.order = append(o.order, id)
	}
	o.objects[id] = r
	delete(o.deleted, id)
}

func (o *overlay[R]) remove(id string) {
	if o.objects == nil {
		o.objects, o.deleted = map[string]R{}, map[string]bool{}
	}
	delete(o.objects, id)
	o.deleted[id] = true
}

// get returns the overlay's version of id: found says it has one, gone
// that it was deleted.
func (o *overlay[R]) get(id string) (r R, found, gone bool) {
	r, found = o.objects[id]
	return r, found, o.deleted[id]
}

// list applies the overlay to the org's list.
func (o *overlay[R]) list(base []R, id func(R) string) []R {
	out := make([]R, 0, len(base)+len(o.order))
	seen := map[string]bool{}
	for _, r := range base {
		rid := id(r)
		seen[rid] = true
		if o.deleted[rid] {
			continue
		}
		if mine, ok := o.objects[rid]; ok {
			r = mine
		}
		out = append(out, r)
	}
	for _, rid := range o.order {
		if mine, ok := o.objects[rid]; ok && !seen[rid] {
			out = append(out, mine)
		}
	}
	return out
}

func notFound(path string) error {
	return &okta.APIError{Class: okta.ClassNotFound, StatusCode: http.StatusNotFound, Method: http.MethodGet, Path: path,
		ErrorCode: "E0000007", ErrorSummary: "Not found: Resource not found (deleted by the plan)"}
}
