// Package plan predicts what the operator would do to an Okta org for a
// set of manifests, by running the operator's own reconcilers against the
// org through a DryRun client: reads go to the org, writes are recorded
// and never sent. What a plan predicts is therefore what the controllers
// send, not a second implementation of their decisions.
package plan

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/deviceassurance"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/posturecheck"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/signinrule"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/tenancy"
)

// maxPasses bounds the passes over one object: a create or an update
// settles in two (the write, then a pass that finds nothing to do).
const maxPasses = 4

// Actions of a Change.
const (
	ActionCreate   = "create"
	ActionUpdate   = "update"
	ActionNoChange = "no-change"
	ActionRefused  = "refused"
	ActionBlocked  = "blocked"
	// ActionDelete and ActionOrphan are for objects being deleted (plan
	// --prune): the Okta object is deleted, or left in Okta as the
	// object is released (deletionPolicy Orphan, or nothing to delete).
	ActionDelete = "delete"
	ActionOrphan = "orphan"
)

// Change is what the operator would do for one object.
type Change struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// Action is create, update, no-change, refused (the operator would stop
	// with a terminal condition) or blocked (it would wait, e.g. for a
	// dependency the manifests do not hold).
	Action string `json:"action"`
	// OktaID is the Okta object's ID, when it exists already.
	OktaID string `json:"oktaID,omitempty"`
	// Fields are the differences of an update, path by path.
	Fields []FieldChange `json:"fields,omitempty"`
	// Writes are the requests the operator would send, in order.
	Writes []Write `json:"writes,omitempty"`
	// Reason and Message are the object's Ready condition's after the
	// dry run, for refused and blocked objects.
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
}

// Plan is what applying the manifests would do.
type Plan struct {
	Changes []Change `json:"changes"`
}

// HasChanges says whether any object would be written.
func (p Plan) HasChanges() bool {
	return slices.ContainsFunc(p.Changes, func(c Change) bool { return len(c.Writes) > 0 })
}

// HasRefusals says whether any object would be refused or blocked.
func (p Plan) HasRefusals() bool {
	return slices.ContainsFunc(p.Changes, func(c Change) bool { return c.Action == ActionRefused || c.Action == ActionBlocked })
}

// Scheme holds the operator's kinds.
func Scheme() *runtime.Scheme {
	s := runtime.NewScheme()
	if err := assurancev1alpha1.AddToScheme(s); err != nil {
		panic(err)
	}
	return s
}

// Run plans objs (DevicePostureChecks, DeviceAssurancePolicies and
// SignInRuleBindings, with a namespace each) against the org that api
// reads. Each object's status is taken as given: an object already
// applied to a cluster carries the Okta ID its status holds there.
//
// Each object is first defaulted and validated with schemas, the CRDs' (as
// the API server would on apply); one the API server would refuse is a
// refused Change and is not planned further.
func Run(ctx context.Context, api okta.API, objs []managed.Object, schemas Schemas) (Plan, error) {
	return RunWithRights(ctx, api, objs, schemas, nil)
}

// Rights gives what a namespace may do in the org (a ClusterOktaOrg's
// tenants grants); nil grants every namespace everything.
type Rights func(ctx context.Context, namespace string) (tenancy.Rights, error)

// RunWithRights is Run for an org whose tenancy grants the objects'
// namespaces rights: what a grant forbids plans as the operator's
// NotGranted refusal.
func RunWithRights(ctx context.Context, api okta.API, objs []managed.Object, schemas Schemas, rights Rights) (Plan, error) {
	dry := NewDryRun(api)
	var orgs managed.OrgResolver = fixedOrg{api: dry}
	if rights != nil {
		orgs = grantingOrg{fixedOrg: fixedOrg{api: dry}, rights: rights}
	}
	p, _, err := run(ctx, orgs, dry.Writes, objs, schemas)
	return p, err
}

// run reconciles objs through the org orgs resolves to, which records the
// writes it is given (writes returns them), and returns the plan and the
// objects as the passes left them.
func run(ctx context.Context, orgs managed.OrgResolver, writes func() []Write, objs []managed.Object, schemas Schemas) (Plan, []managed.Object, error) {
	scheme := Scheme()
	seeded := make([]client.Object, 0, len(objs))
	var refused []Change
	for i, obj := range objs {
		obj = obj.DeepCopyObject().(managed.Object)
		kind := kindOf(scheme, obj)
		if deleting(obj) {
			obj.SetUID(types.UID(fmt.Sprintf("plan-%d", i)))
			obj.SetResourceVersion("")
			seeded = append(seeded, obj)
			continue
		}
		errs, err := schemas.Admit(ctx, kind, obj)
		if err != nil {
			return Plan{}, nil, fmt.Errorf("%s %s/%s: %w", kind, obj.GetNamespace(), obj.GetName(), err)
		}
		if len(errs) > 0 {
			refused = append(refused, Change{Kind: kind, Namespace: obj.GetNamespace(), Name: obj.GetName(), Action: ActionRefused,
				Reason: "Invalid", Message: errs.ToAggregate().Error()})
			continue
		}
		obj.SetUID(types.UID(fmt.Sprintf("plan-%d", i)))
		obj.SetResourceVersion("")
		seeded = append(seeded, obj)
	}
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(seeded...).WithStatusSubresource(seeded...).Build()
	events := newEventLog()
	opts := managed.Options{Client: c, Orgs: orgs, Recorder: events}
	reconcilers := map[string]reconcile.Reconciler{
		"DevicePostureCheck":    posturecheck.New(opts),
		"DeviceAssurancePolicy": deviceassurance.New(opts),
		"SignInRuleBinding":     signinrule.New(opts),
	}
	ordered := order(scheme, seeded)
	changes := make([]Change, 0, len(ordered)+len(refused))
	changes = append(changes, refused...)
	if err := sweep(ctx, scheme, reconcilers, writes, ordered); err != nil {
		return Plan{}, nil, err
	}
	finals := make([]managed.Object, 0, len(ordered))
	for _, obj := range ordered {
		kind := kindOf(scheme, obj)
		final := obj.DeepCopyObject().(managed.Object)
		err := c.Get(ctx, client.ObjectKeyFromObject(obj), final)
		released := apierrors.IsNotFound(err) && deleting(obj)
		if err != nil && !released {
			return Plan{}, nil, err
		}
		finals = append(finals, final)
		change := describe(kind, final, writes(), events.updated(obj.GetUID()))
		if deleting(obj) {
			change = describeDeletion(change, released)
		}
		changes = append(changes, change)
	}
	relabel(changes, finals, scheme)
	return Plan{Changes: changes}, finals, nil
}

// relabel shows, in the bodies of the writes, the IDs the dry run made up
// for objects it would create as "(new KIND NAMESPACE/NAME)": a rule that
// names a policy the plan creates reads as naming that object.
func relabel(changes []Change, finals []managed.Object, scheme *runtime.Scheme) {
	labels := map[string]string{}
	for _, obj := range finals {
		if id := obj.OktaID(); strings.HasPrefix(id, PlannedIDPrefix) {
			labels[id] = fmt.Sprintf("(new %s %s/%s)", kindOf(scheme, obj), obj.GetNamespace(), obj.GetName())
		}
	}
	if len(labels) == 0 {
		return
	}
	var walk func(v any) any
	walk = func(v any) any {
		switch t := v.(type) {
		case string:
			if label, ok := labels[t]; ok {
				return label
			}
		case map[string]any:
			for k, child := range t {
				t[k] = walk(child)
			}
		case []any:
			for i, child := range t {
				t[i] = walk(child)
			}
		}
		return v
	}
	for i := range changes {
		for j := range changes[i].Writes {
			if body := changes[i].Writes[j].Body; body != nil {
				changes[i].Writes[j].Body = walk(toMap(body))
			}
		}
		for j := range changes[i].Fields {
			changes[i].Fields[j].After = walk(changes[i].Fields[j].After)
		}
	}
}

// maxSweeps bounds the rounds over every object. One round is enough
// unless a write changes another object's Okta object: Okta moves the
// other rules of a policy when a rule takes a priority one of them holds,
// and their bindings then put them back. A second round sees that; a third
// that still writes means two bindings want one priority and the operator
// would keep rewriting them.
const maxSweeps = 3

// sweep settles every object in order, round after round, until a round
// sends nothing.
func sweep(ctx context.Context, scheme *runtime.Scheme, reconcilers map[string]reconcile.Reconciler, writes func() []Write, ordered []client.Object) error {
	for round := range maxSweeps {
		before := len(writes())
		var wrote []string
		for _, obj := range ordered {
			kind := kindOf(scheme, obj)
			n := len(writes())
			if err := settle(ctx, reconcilers[kind], writes, obj); err != nil {
				return fmt.Errorf("%s %s/%s: %w", kind, obj.GetNamespace(), obj.GetName(), err)
			}
			if len(writes()) > n {
				wrote = append(wrote, kind+" "+obj.GetNamespace()+"/"+obj.GetName())
			}
		}
		if round > 0 && len(writes()) == before {
			return nil
		}
		if round == maxSweeps-1 && len(wrote) > 0 {
			return fmt.Errorf("the operator would keep rewriting %s: each write undoes another (e.g. two rules of one policy with the same priority)", strings.Join(wrote, ", "))
		}
	}
	return nil
}

// settle runs passes over obj until one sends nothing.
func settle(ctx context.Context, r reconcile.Reconciler, writes func() []Write, obj client.Object) error {
	req := ctrl.Request{NamespacedName: client.ObjectKeyFromObject(obj)}
	for range maxPasses {
		before := len(writes())
		if _, err := r.Reconcile(ctx, req); err != nil {
			return err
		}
		if len(writes()) == before {
			return nil
		}
	}
	return fmt.Errorf("the operator would still be writing after %d passes: it would not settle", maxPasses)
}

// kindRank orders the kinds so that what an object names is planned
// before it: checks, then policies, then bindings.
var kindRank = map[string]int{"DevicePostureCheck": 0, "DeviceAssurancePolicy": 1, "SignInRuleBinding": 2}

func order(scheme *runtime.Scheme, objs []client.Object) []client.Object {
	out := slices.Clone(objs)
	slices.SortStableFunc(out, func(a, b client.Object) int {
		if d := kindRank[kindOf(scheme, a)] - kindRank[kindOf(scheme, b)]; d != 0 {
			return d
		}
		return strings.Compare(a.GetNamespace()+"/"+a.GetName(), b.GetNamespace()+"/"+b.GetName())
	})
	return out
}

func kindOf(scheme *runtime.Scheme, obj client.Object) string {
	gvks, _, err := scheme.ObjectKinds(obj)
	if err != nil || len(gvks) == 0 {
		return ""
	}
	return gvks[0].Kind
}

// describe turns what the dry run recorded for one object into a Change.
func describe(kind string, after managed.Object, all []Write, updated [][]string) Change {
	c := Change{Kind: kind, Namespace: after.GetNamespace(), Name: after.GetName(), OktaID: after.OktaID()}
	if strings.HasPrefix(c.OktaID, PlannedIDPrefix) {
		c.OktaID = ""
	}
	for _, w := range all {
		if w.Object == after.GetUID() {
			c.Writes = append(c.Writes, w)
		}
	}
	ready := meta.FindStatusCondition(after.GetManagedStatus().Conditions, assurancev1alpha1.ConditionReady)
	stalled := meta.IsStatusConditionTrue(after.GetManagedStatus().Conditions, assurancev1alpha1.ConditionStalled)
	switch {
	case len(c.Writes) > 0 && c.Writes[0].Method == http.MethodPost && !strings.Contains(c.Writes[0].Path, "/lifecycle/"):
		c.Action = ActionCreate
	case len(c.Writes) > 0:
		c.Action = ActionUpdate
		c.Fields = fieldChanges(c.Writes, updated)
	case ready != nil && ready.Status == "True":
		c.Action = ActionNoChange
	case stalled:
		c.Action = ActionRefused
	default:
		c.Action = ActionBlocked
	}
	if c.Action == ActionRefused || c.Action == ActionBlocked {
		if ready != nil {
			c.Reason, c.Message = ready.Reason, ready.Message
		}
	}
	if id := after.OktaID(); strings.HasPrefix(id, PlannedIDPrefix) {
		for i := range c.Writes {
			c.Writes[i].Path = strings.ReplaceAll(c.Writes[i].Path, id, "(new)")
		}
	}
	return c
}

// deleting says whether obj is being deleted (a plan of a prune).
func deleting(obj client.Object) bool { return !obj.GetDeletionTimestamp().IsZero() }

// describeDeletion says what deleting the object does to its Okta object:
// deleted, left (the object was released without a write), or waiting.
func describeDeletion(c Change, released bool) Change {
	switch {
	case slices.ContainsFunc(c.Writes, func(w Write) bool { return w.Method == http.MethodDelete }):
		c.Action = ActionDelete
	case released:
		c.Action, c.Reason, c.Message = ActionOrphan, "", ""
	default:
		c.Action = ActionBlocked
	}
	return c
}

// fixedOrg resolves every object's org to the one being planned against.
type fixedOrg struct{ api okta.API }

func (o fixedOrg) Resolve(context.Context, string, *assurancev1alpha1.OrgReference) (okta.API, error) {
	return o.api, nil
}

// grantingOrg is a fixedOrg whose tenancy grants namespaces their rights
// (a managed.RightsResolver).
type grantingOrg struct {
	fixedOrg
	rights Rights
}

func (o grantingOrg) Rights(ctx context.Context, namespace string, _ *assurancev1alpha1.OrgReference) (tenancy.Rights, error) {
	return o.rights(ctx, namespace)
}

// CopyStatus sets obj's status to from's, an object of the same kind: the
// status an object holds in a cluster, with its Okta IDs.
func CopyStatus(obj, from managed.Object) {
	switch o := obj.(type) {
	case *assurancev1alpha1.DeviceAssurancePolicy:
		o.Status = from.(*assurancev1alpha1.DeviceAssurancePolicy).Status
	case *assurancev1alpha1.DevicePostureCheck:
		o.Status = from.(*assurancev1alpha1.DevicePostureCheck).Status
	case *assurancev1alpha1.SignInRuleBinding:
		o.Status = from.(*assurancev1alpha1.SignInRuleBinding).Status
	}
}
