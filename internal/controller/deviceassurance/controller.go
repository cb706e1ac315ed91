package deviceassurance

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// Finalizer keeps a DeviceAssurancePolicy until its Okta policy is deleted
// or orphaned.
const Finalizer = "assurance.okta-operator.dev/device-assurance-policy"

// Reconciler makes the org's device assurance policy match each
// DeviceAssurancePolicy.
type Reconciler = managed.Reconciler[*assurancev1alpha1.DeviceAssurancePolicy]

type pass = managed.Pass[*assurancev1alpha1.DeviceAssurancePolicy]

// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=deviceassurancepolicies,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=deviceassurancepolicies/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=deviceassurancepolicies/finalizers,verbs=update
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=oktaorgs;clusteroktaorgs;signinrulebindings;deviceposturechecks,verbs=get;list;watch

// New returns the reconciler of DeviceAssurancePolicies.
func New(opts managed.Options) *Reconciler {
	kind := managed.Describe[*assurancev1alpha1.DeviceAssurancePolicy, assurancev1alpha1.DeviceAssurancePolicyList]("Okta policy", Finalizer)
	return managed.New(kind, &external{client: opts.Client}, opts)
}

// external is what is particular to device assurance policies.
type external struct {
	// client reads the DevicePostureChecks a policy names.
	client client.Reader
}

// Sync resolves the posture checks the policy names, then creates, adopts,
// recreates or updates the Okta policy.
func (e *external) Sync(ctx context.Context, p *pass) outcome.Outcome {
	obj := p.Obj
	variables, out, ok := e.resolvePostureChecks(ctx, p)
	if !ok {
		return out
	}
	desired, err := desiredPolicy(obj, variables)
	if err != nil {
		return outcome.Stall(outcome.ReasonInvalidSpec, err.Error())
	}
	if obj.Status.ID == "" {
		return createOrAdopt(ctx, p, desired)
	}
	return managed.ReadOrRecreate(ctx, p, obj.Status.ID, p.API.GetDeviceAssurance,
		func() outcome.Outcome { return recreate(ctx, p, desired) },
		func(observed *okta.DeviceAssuranceResponse) outcome.Outcome { return update(ctx, p, desired, observed) })
}

// update writes the full desired policy, only when it differs from what the
// org holds once Okta's own rewrites are normalized away.
func update(ctx context.Context, p *pass, desired okta.DeviceAssurance, observed *okta.DeviceAssuranceResponse) outcome.Outcome {
	recordObserved(&p.Obj.Status, observed)
	fields := drift(desired, observed.DeviceAssurance)
	return p.Converge(ctx, managed.Change{
		Subject: "Okta policy " + observed.ID, Noun: "policy", Fields: fields,
		Detail: func() []string { return driftPaths(fields, desired, observed.DeviceAssurance) },
		Write: func(ctx context.Context) (string, error) {
			updated, err := p.API.ReplaceDeviceAssurance(ctx, observed.ID, desired)
			if err != nil {
				return "", err
			}
			recordObserved(&p.Obj.Status, updated)
			return updated.RequestID, nil
		},
	})
}

// Watch wakes the policies a binding names (one waiting to be deleted
// proceeds once the binding lets go of it) and those that name a posture
// check (they proceed once it exists in Okta).
func (e *external) Watch(b *builder.Builder, cache client.Reader) *builder.Builder {
	return b.
		Watches(&assurancev1alpha1.SignInRuleBinding{}, managed.BindingsNamePolicies.EnqueueTargets()).
		Watches(&assurancev1alpha1.DevicePostureCheck{}, managed.PoliciesNameChecks.EnqueueReferrers(cache))
}

// UsedBy names the bindings whose rule names the policy: Okta refuses to
// delete a policy a rule uses.
func (e *external) UsedBy(ctx context.Context, c client.Reader, obj *assurancev1alpha1.DeviceAssurancePolicy) (string, []string, error) {
	names, err := managed.BindingsNamePolicies.UsedBy(ctx, c, obj)
	return managed.BindingsNamePolicies.Kind, names, err
}
