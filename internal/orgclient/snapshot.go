package orgclient

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/shard"
)

// Snapshots serve the reads of resync passes (UrgencyLow) from one list
// per org, kind (and app sign-in policy, for rules) and TTL, instead of one
// GET per object (and the app sign-in policy lookups of bindings from one
// answer per query and TTL): with N objects resynced over a period P, the reads fall
// from N/P to about one list per TTL, whatever N. Passes of new, changed or
// drifted objects (UrgencyHigh) always read the object itself.
//
// A snapshot only ever answers "here it is": an object missing from it is
// read directly, so an object created after the list was taken is never
// reported as deleted. The operator's own writes drop the object from the
// snapshot, and so does Invalidate, which the System Log watcher calls for
// every object changed out of band.
type Snapshots struct {
	ttl time.Duration
	now func() time.Time

	mu    sync.Mutex
	orgs  map[orgID]*orgSnapshots
	dirty map[string]time.Time // Okta ID → when it was invalidated
	// staleness counts Invalidate calls: a name ledger listed before the
	// last one may miss a policy someone else made.
	staleness atomic.Uint64
	// names answer the name checks of creates (names.go), one ledger per
	// Okta org: two org objects of the cluster may name the same org.
	names map[string]*nameLedger
}

// NewSnapshots keeps each list for ttl.
func NewSnapshots(ttl time.Duration) *Snapshots {
	return &Snapshots{ttl: ttl, now: time.Now, orgs: map[orgID]*orgSnapshots{}, dirty: map[string]time.Time{}, names: map[string]*nameLedger{}}
}

// WithSnapshots makes the clients that Resolve returns answer resync reads
// from s.
func WithSnapshots(s *Snapshots) Option {
	return func(c *Cache) { c.snapshots = s }
}

// Invalidate makes the next read of each id go to Okta, whatever the
// snapshot taken before holds.
func (s *Snapshots) Invalidate(ids ...string) {
	s.staleness.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, id := range ids {
		s.dirty[id] = now
	}
	// Forget marks older than any snapshot alive.
	for id, at := range s.dirty {
		if now.Sub(at) > 2*s.ttl {
			delete(s.dirty, id)
		}
	}
}

// fresh says whether a snapshot taken at taken may answer for id.
func (s *Snapshots) fresh(id string, taken time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.dirty[id]
	return !ok || at.Before(taken)
}

func (s *Snapshots) of(id orgID) *orgSnapshots {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orgs[id]
	if !ok {
		o = &orgSnapshots{rules: map[string]*snapshot[okta.PolicyRuleResponse]{}}
		s.orgs[id] = o
	}
	return o
}

// ledger returns the name ledger of the Okta org at url.
func (s *Snapshots) ledger(url string) *nameLedger {
	key := shard.NormalizeURL(url)
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.names[key]
	if !ok {
		l = &nameLedger{}
		s.names[key] = l
	}
	return l
}

// forget drops an org's snapshots (it was deleted or its spec changed).
func (s *Snapshots) forget(id orgID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.orgs, id)
}

// orgSnapshots are one org's lists.
type orgSnapshots struct {
	assurances snapshot[okta.DeviceAssuranceResponse]
	checks     snapshot[okta.PostureCheckResponse]
	// policies are the app sign-in policy lookups of bindings (by name or
	// ID), which the operator never changes.
	policyLists results[[]okta.Policy]
	policies    results[*okta.Policy]
	mu          sync.Mutex
	rules       map[string]*snapshot[okta.PolicyRuleResponse] // by policy ID

	// Lists that new and changed objects need at the same time (a create's
	// name check, a binding's policy lookup) are shared, never reused.
	assuranceLists coalescer[[]okta.DeviceAssuranceResponse]
	checkLists     coalescer[[]okta.PostureCheckResponse]
	ruleLists      coalescer[[]okta.PolicyRuleResponse]
	policyQueries  coalescer[[]okta.Policy]
}

// results keeps answers by key for the TTL; its lock is held while asking,
// so that concurrent passes share one request.
type results[T any] struct {
	mu      sync.Mutex
	answers map[string]answer[T]
}

type answer[T any] struct {
	taken time.Time
	value T
}

func (r *results[T]) get(ctx context.Context, s *Snapshots, key string, ask func(context.Context) (T, error)) (T, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := s.now()
	if a, ok := r.answers[key]; ok && now.Sub(a.taken) < s.ttl {
		return a.value, nil
	}
	value, err := ask(ctx)
	if err != nil {
		return value, err
	}
	if r.answers == nil {
		r.answers = map[string]answer[T]{}
	}
	for k, a := range r.answers {
		if now.Sub(a.taken) >= s.ttl {
			delete(r.answers, k)
		}
	}
	r.answers[key] = answer[T]{taken: now, value: value}
	return value, nil
}

func (o *orgSnapshots) rulesOf(policyID string) *snapshot[okta.PolicyRuleResponse] {
	o.mu.Lock()
	defer o.mu.Unlock()
	r, ok := o.rules[policyID]
	if !ok {
		r = &snapshot[okta.PolicyRuleResponse]{}
		o.rules[policyID] = r
	}
	return r
}

// snapshot is one list by ID. Its lock is held while listing, so that the
// passes that need it at the same time share one request.
//
// Items are kept as JSON, decoded at each lookup: at 10,000 policies the
// decoded list took three times the memory (docs/performance.md), and a
// resync reads each item once per period.
type snapshot[T any] struct {
	mu    sync.Mutex
	taken time.Time
	items map[string][]byte
}

// lookup returns id from a list younger than the TTL, listing again when
// needed; ok is false when the caller must read the object itself.
func lookup[T any](ctx context.Context, s *Snapshots, snap *snapshot[T], id string,
	list func(context.Context) ([]T, error), idOf func(T) string) (T, bool) {
	var zero T
	snap.mu.Lock()
	defer snap.mu.Unlock()
	if snap.items == nil || s.now().Sub(snap.taken) >= s.ttl {
		taken := s.now()
		items, err := list(ctx)
		if err != nil {
			// The direct read reports the error, or succeeds if the list
			// alone failed.
			return zero, false
		}
		snap.items, snap.taken = make(map[string][]byte, len(items)), taken
		for _, item := range items {
			if raw, err := json.Marshal(item); err == nil {
				snap.items[idOf(item)] = raw
			}
		}
	}
	raw, ok := snap.items[id]
	if !ok || !s.fresh(id, snap.taken) {
		return zero, false
	}
	var item T
	if err := json.Unmarshal(raw, &item); err != nil {
		return zero, false
	}
	return item, true
}

// drop removes id after the operator wrote it.
func drop[T any](snap *snapshot[T], id string) {
	snap.mu.Lock()
	defer snap.mu.Unlock()
	delete(snap.items, id)
}

// snapshotted is an okta.API whose low-urgency reads use the snapshots.
type snapshotted struct {
	okta.API
	s     *Snapshots
	org   *orgSnapshots
	names *nameLedger
}

// wrap gives api, the client of the org object id for the Okta org at url,
// its snapshots.
func (s *Snapshots) wrap(id orgID, url string, api okta.API) okta.API {
	if s == nil || s.ttl <= 0 {
		return api
	}
	return &snapshotted{API: api, s: s, org: s.of(id), names: s.ledger(url)}
}

func (a *snapshotted) GetDeviceAssurance(ctx context.Context, id string) (*okta.DeviceAssuranceResponse, error) {
	if UrgencyFrom(ctx) == UrgencyLow {
		if item, ok := lookup(ctx, a.s, &a.org.assurances, id, a.ListDeviceAssurances,
			func(d okta.DeviceAssuranceResponse) string { return d.ID }); ok {
			return &item, nil
		}
	}
	got, err := a.API.GetDeviceAssurance(ctx, id)
	if okta.IsNotFound(err) {
		a.names.wrote(id, nil, err)
	}
	return got, err
}

func (a *snapshotted) ReplaceDeviceAssurance(ctx context.Context, id string, p okta.DeviceAssurance) (*okta.DeviceAssuranceResponse, error) {
	drop(&a.org.assurances, id)
	replaced, err := a.API.ReplaceDeviceAssurance(ctx, id, p)
	a.names.wrote(id, replaced, err)
	return replaced, err
}

func (a *snapshotted) DeleteDeviceAssurance(ctx context.Context, id string) error {
	drop(&a.org.assurances, id)
	err := a.API.DeleteDeviceAssurance(ctx, id)
	a.names.wrote(id, nil, err)
	return err
}

func (a *snapshotted) GetPostureCheck(ctx context.Context, id string) (*okta.PostureCheckResponse, error) {
	if UrgencyFrom(ctx) == UrgencyLow {
		if item, ok := lookup(ctx, a.s, &a.org.checks, id, a.ListPostureChecks,
			func(c okta.PostureCheckResponse) string { return c.ID }); ok {
			return &item, nil
		}
	}
	return a.API.GetPostureCheck(ctx, id)
}

func (a *snapshotted) ReplacePostureCheck(ctx context.Context, id string, p okta.PostureCheck) (*okta.PostureCheckResponse, error) {
	drop(&a.org.checks, id)
	return a.API.ReplacePostureCheck(ctx, id, p)
}

func (a *snapshotted) DeletePostureCheck(ctx context.Context, id string) error {
	drop(&a.org.checks, id)
	return a.API.DeletePostureCheck(ctx, id)
}

func (a *snapshotted) GetPolicyRule(ctx context.Context, policyID, ruleID string) (*okta.PolicyRuleResponse, error) {
	if UrgencyFrom(ctx) == UrgencyLow {
		list := func(ctx context.Context) ([]okta.PolicyRuleResponse, error) {
			return a.ListPolicyRules(ctx, policyID)
		}
		if item, ok := lookup(ctx, a.s, a.org.rulesOf(policyID), ruleID, list,
			func(r okta.PolicyRuleResponse) string { return r.ID }); ok {
			return &item, nil
		}
	}
	return a.API.GetPolicyRule(ctx, policyID, ruleID)
}

// Every rule write can move the priorities of the policy's other rules:
// the whole policy's snapshot goes.
func (a *snapshotted) dropRules(policyID string) {
	a.org.mu.Lock()
	defer a.org.mu.Unlock()
	delete(a.org.rules, policyID)
}

func (a *snapshotted) CreatePolicyRule(ctx context.Context, policyID string, rule okta.PolicyRule, activate bool) (*okta.PolicyRuleResponse, error) {
	a.dropRules(policyID)
	return a.API.CreatePolicyRule(ctx, policyID, rule, activate)
}

func (a *snapshotted) ReplacePolicyRule(ctx context.Context, policyID, ruleID string, rule okta.PolicyRule) (*okta.PolicyRuleResponse, error) {
	a.dropRules(policyID)
	return a.API.ReplacePolicyRule(ctx, policyID, ruleID, rule)
}

func (a *snapshotted) DeletePolicyRule(ctx context.Context, policyID, ruleID string) error {
	a.dropRules(policyID)
	return a.API.DeletePolicyRule(ctx, policyID, ruleID)
}

func (a *snapshotted) ActivatePolicyRule(ctx context.Context, policyID, ruleID string) error {
	a.dropRules(policyID)
	return a.API.ActivatePolicyRule(ctx, policyID, ruleID)
}

func (a *snapshotted) DeactivatePolicyRule(ctx context.Context, policyID, ruleID string) error {
	a.dropRules(policyID)
	return a.API.DeactivatePolicyRule(ctx, policyID, ruleID)
}

func (a *snapshotted) ListPolicies(ctx context.Context, opts okta.PolicyListOptions) ([]okta.Policy, error) {
	key := fmt.Sprintf("%+v", opts)
	if UrgencyFrom(ctx) != UrgencyLow {
		return a.org.policyQueries.do(ctx, key, func(ctx context.Context) ([]okta.Policy, error) { return a.API.ListPolicies(ctx, opts) })
	}
	return a.org.policyLists.get(ctx, a.s, key, func(ctx context.Context) ([]okta.Policy, error) { return a.API.ListPolicies(ctx, opts) })
}

func (a *snapshotted) GetPolicy(ctx context.Context, id string) (*okta.Policy, error) {
	if UrgencyFrom(ctx) != UrgencyLow {
		return a.API.GetPolicy(ctx, id)
	}
	return a.org.policies.get(ctx, a.s, id, func(ctx context.Context) (*okta.Policy, error) { return a.API.GetPolicy(ctx, id) })
}

func (a *snapshotted) ListDeviceAssurances(ctx context.Context) ([]okta.DeviceAssuranceResponse, error) {
	return a.org.assuranceLists.do(ctx, "", a.API.ListDeviceAssurances)
}

func (a *snapshotted) ListPostureChecks(ctx context.Context) ([]okta.PostureCheckResponse, error) {
	return a.org.checkLists.do(ctx, "", a.API.ListPostureChecks)
}

func (a *snapshotted) ListPolicyRules(ctx context.Context, policyID string) ([]okta.PolicyRuleResponse, error) {
	return a.org.ruleLists.do(ctx, policyID, func(ctx context.Context) ([]okta.PolicyRuleResponse, error) {
		return a.API.ListPolicyRules(ctx, policyID)
	})
}
