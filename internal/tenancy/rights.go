// Package tenancy decides what a namespace may do in an Okta org that the
// cluster admin shares: the rights a ClusterOktaOrg's tenants entries grant
// it. Only cluster-scoped objects grant; a namespaced OktaOrg is the
// namespace's own org and its objects may do everything there.
package tenancy

import (
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/labels"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// The kinds a quota counts.
const (
	KindDeviceAssurancePolicy = "DeviceAssurancePolicy"
	KindDevicePostureCheck    = "DevicePostureCheck"
	KindSignInRuleBinding     = "SignInRuleBinding"
)

// Rights are what one namespace may do in one org.
type Rights struct {
	// Unrestricted grants everything: the org has no tenants entries, or
	// it is the namespace's own OktaOrg.
	Unrestricted bool
	// Org and Namespace name whose rights these are, for messages.
	Org, Namespace string
	// Grants are the names of the tenants entries that select the
	// namespace; empty for a namespace none selects.
	Grants []string

	signInPolicies                                                 []v1alpha1.SignInPolicyReference
	priorities                                                     []v1alpha1.PriorityBand
	adoption, catchAllRule, postureChecks, denyAccess, anyPriority bool
	maxObjects                                                     map[string]int32
	// rateBudget and workers are the largest rateBudgetPercent and
	// workerPercent of the grants, 100 once a grant sets none.
	rateBudget, workers int32
}

// Everything are the rights of a namespace in an org that grants
// everything.
func Everything(org, namespace string) Rights {
	return Rights{Unrestricted: true, Org: org, Namespace: namespace}
}

// Of computes the rights that grants give a namespace with these labels:
// the union of the entries that select it. No grants at all is Everything.
func Of(org, namespace string, namespaceLabels map[string]string, grants []v1alpha1.TenantGrant) Rights {
	if len(grants) == 0 {
		return Everything(org, namespace)
	}
	r := Rights{Org: org, Namespace: namespace}
	for i := range grants {
		g := &grants[i]
		if !selects(&g.NamespaceSelector, namespaceLabels) {
			continue
		}
		r.add(g)
	}
	return r
}

func selects(selector *metav1.LabelSelector, namespaceLabels map[string]string) bool {
	sel, err := metav1.LabelSelectorAsSelector(selector)
	return err == nil && sel.Matches(labels.Set(namespaceLabels))
}

func (r *Rights) add(g *v1alpha1.TenantGrant) {
	r.Grants = append(r.Grants, g.Name)
	r.signInPolicies = append(r.signInPolicies, g.SignInPolicies...)
	if g.RulePriorities == nil {
		r.anyPriority = true
	} else {
		r.priorities = append(r.priorities, *g.RulePriorities)
	}
	r.adoption = r.adoption || g.AllowAdoption
	r.catchAllRule = r.catchAllRule || g.AllowCatchAllRule
	r.postureChecks = r.postureChecks || g.AllowPostureChecks
	r.denyAccess = r.denyAccess || g.AllowDenyAccess
	r.addQuota(g.MaxObjects)
	r.rateBudget = largestShare(r.rateBudget, g.RateBudgetPercent)
	r.workers = largestShare(r.workers, g.WorkerPercent)
}

// largestShare is the union of two shares: the larger, 100 for none.
func largestShare(current int32, share *int32) int32 {
	if share == nil {
		return 100
	}
	return max(current, *share)
}

// WorkerPercent is the share of each controller's workers that the
// namespace's objects may hold at once: 100 for every worker.
func (r Rights) WorkerPercent() int {
	if r.Unrestricted || r.workers <= 0 || r.workers >= 100 {
		return 100
	}
	return int(r.workers)
}

// RateBudgetPercent is the share of the operator's rate budget of the org
// that the namespace may use in one window: 100 for the whole budget.
func (r Rights) RateBudgetPercent() int {
	if r.Unrestricted || r.rateBudget <= 0 || r.rateBudget >= 100 {
		return 100
	}
	return int(r.rateBudget)
}

// addQuota keeps, per kind, the largest cap of the grants; a grant without
// a cap for a kind lifts it.
func (r *Rights) addQuota(q *v1alpha1.ObjectQuota) {
	if r.maxObjects == nil {
		r.maxObjects = map[string]int32{}
	}
	caps := map[string]*int32{}
	if q != nil {
		caps = map[string]*int32{KindDeviceAssurancePolicy: q.DeviceAssurancePolicies,
			KindDevicePostureCheck: q.DevicePostureChecks, KindSignInRuleBinding: q.SignInRuleBindings}
	}
	for _, kind := range []string{KindDeviceAssurancePolicy, KindDevicePostureCheck, KindSignInRuleBinding} {
		current, capped := r.maxObjects[kind]
		limit := caps[kind]
		switch {
		case limit == nil:
			r.maxObjects[kind] = -1 // no cap
		case !capped:
			r.maxObjects[kind] = *limit
		case current >= 0 && *limit > current:
			r.maxObjects[kind] = *limit
		}
	}
}

// NotGrantedError is a right a namespace lacks.
type NotGrantedError struct {
	// Field is the spec field that asks for it, e.g. spec.adopt.
	Field string
	// Message says what is missing and which grant setting would give it.
	Message string
}

func (e *NotGrantedError) Error() string { return e.Field + ": " + e.Message }

func (r Rights) refuse(field, format string, args ...any) error {
	what := fmt.Sprintf(format, args...)
	if len(r.Grants) == 0 {
		return &NotGrantedError{Field: field, Message: fmt.Sprintf("%s: no tenants entry of %s selects namespace %s, so it may use nothing there", what, r.Org, r.Namespace)}
	}
	return &NotGrantedError{Field: field, Message: fmt.Sprintf("%s: the tenants entries of %s that select namespace %s (%s) do not grant it",
		what, r.Org, r.Namespace, strings.Join(r.Grants, ", "))}
}

// Adoption allows taking over an Okta object that exists already.
func (r Rights) Adoption() error {
	if r.Unrestricted || r.adoption {
		return nil
	}
	return r.refuse("spec.adopt", "adopting an existing Okta object needs allowAdoption")
}

// PostureChecks allows managing DevicePostureChecks.
func (r Rights) PostureChecks() error {
	if r.Unrestricted || r.postureChecks {
		return nil
	}
	return r.refuse("spec", "a DevicePostureCheck needs allowPostureChecks")
}

// CatchAllRule allows managing the actions of a Catch-all Rule.
func (r Rights) CatchAllRule() error {
	if r.Unrestricted || r.catchAllRule {
		return nil
	}
	return r.refuse("spec.adopt", "managing the Catch-all Rule needs allowCatchAllRule")
}

// DenyAccess allows a rule that denies access.
func (r Rights) DenyAccess() error {
	if r.Unrestricted || r.denyAccess {
		return nil
	}
	return r.refuse("spec.rule.actions.appSignOn.access", "a rule that denies access needs allowDenyAccess")
}

// SignInPolicy allows writing rules into the app sign-in policy ref.
func (r Rights) SignInPolicy(ref v1alpha1.SignInPolicyReference) error {
	if r.Unrestricted {
		return nil
	}
	if slices.ContainsFunc(r.signInPolicies, func(g v1alpha1.SignInPolicyReference) bool {
		return (ref.ID != "" && g.ID == ref.ID) || (ref.Name != "" && g.Name == ref.Name)
	}) {
		return nil
	}
	which := "id " + ref.ID
	if ref.Name != "" {
		which = fmt.Sprintf("name %q", ref.Name)
	}
	return r.refuse("spec.policy", "the app sign-in policy with %s is not in signInPolicies", which)
}

// Priority allows a rule at priority p (nil: left to Okta).
func (r Rights) Priority(p *int32) error {
	if r.Unrestricted || r.anyPriority {
		return nil
	}
	if p != nil && slices.ContainsFunc(r.priorities, func(b v1alpha1.PriorityBand) bool { return *p >= b.Min && *p <= b.Max }) {
		return nil
	}
	var bands []string
	for _, b := range r.priorities {
		bands = append(bands, fmt.Sprintf("%d–%d", b.Min, b.Max))
	}
	granted := strings.Join(bands, ", ")
	if granted == "" {
		granted = "(none granted)"
	}
	if p == nil {
		return r.refuse("spec.rule.priority", "a rule must set its priority within rulePriorities %s", granted)
	}
	return r.refuse("spec.rule.priority", "priority %d is outside rulePriorities %s", *p, granted)
}

// Quota allows the object at position (0 for the oldest) among the
// namespace's objects of kind in the org.
func (r Rights) Quota(kind string, position int) error {
	if r.Unrestricted {
		return nil
	}
	limit, capped := r.maxObjects[kind]
	if !capped || limit < 0 || position < int(limit) {
		return nil
	}
	return r.refuse("metadata.name", "maxObjects allows %d %s objects, and this is number %d", max(limit, 0), kind, position+1)
}

// Capped tells whether objects of kind are counted.
func (r Rights) Capped(kind string) bool {
	limit, capped := r.maxObjects[kind]
	return !r.Unrestricted && capped && limit >= 0
}

// Use allows using the org at all: some tenants entry selects the
// namespace.
func (r Rights) Use() error {
	if r.Unrestricted || len(r.Grants) > 0 {
		return nil
	}
	return r.refuse("spec.orgRef", "using this org needs a tenants entry")
}
