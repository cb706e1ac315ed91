package posturecheck

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/tenancy"
)

// Finalizer keeps a DevicePostureCheck until its Okta check is deleted or
// orphaned.
const Finalizer = "assurance.okta-operator.dev/device-posture-check"

// Reconciler makes the org's custom device posture check match each
// DevicePostureCheck.
type Reconciler = managed.Reconciler[*assurancev1alpha1.DevicePostureCheck]

type pass = managed.Pass[*assurancev1alpha1.DevicePostureCheck]

// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=deviceposturechecks,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=deviceposturechecks/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=deviceposturechecks/finalizers,verbs=update
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=oktaorgs;clusteroktaorgs;deviceassurancepolicies,verbs=get;list;watch

// New returns the reconciler of DevicePostureChecks.
func New(opts managed.Options) *Reconciler {
	kind := managed.Describe[*assurancev1alpha1.DevicePostureCheck, assurancev1alpha1.DevicePostureCheckList]("Okta posture check", Finalizer)
	return managed.New(kind, external{}, opts)
}

// external is what is particular to posture checks.
type external struct{}

// Sync creates, adopts, recreates or updates the Okta check.
func (external) Sync(ctx context.Context, p *pass) outcome.Outcome {
	obj := p.Obj
	desired := desiredCheck(obj)
	if obj.Status.ID == "" {
		return createOrAdopt(ctx, p, desired)
	}
	return managed.ReadOrRecreate(ctx, p, obj.Status.ID, p.API.GetPostureCheck,
		func() outcome.Outcome { return recreate(ctx, p, desired) },
		func(observed *okta.PostureCheckResponse) outcome.Outcome { return update(ctx, p, desired, observed) })
}

// update writes the full desired check, only when it differs from what the
// org holds once what Okta owns is normalized away.
func update(ctx context.Context, p *pass, desired okta.PostureCheck, observed *okta.PostureCheckResponse) outcome.Outcome {
	recordObserved(&p.Obj.Status, observed)
	fields := drift(desired, observed.PostureCheck)
	return p.Converge(ctx, managed.Change{
		Subject: "Okta posture check " + observed.ID, Noun: "posture check", Fields: fields,
		Detail: func() []string { return driftPaths(fields, desired, observed.PostureCheck) },
		Write: func(ctx context.Context) (string, error) {
			updated, err := p.API.ReplacePostureCheck(ctx, observed.ID, desired)
			if err != nil {
				return "", err
			}
			recordObserved(&p.Obj.Status, updated)
			return updated.RequestID, nil
		},
	})
}

// Watch wakes the checks a policy starts or stops naming, so that a check
// waiting to be deleted proceeds once no policy uses it.
func (external) Watch(b *builder.Builder, _ client.Reader) *builder.Builder {
	ref := managed.PoliciesNameChecks
	return b.Watches(&assurancev1alpha1.DeviceAssurancePolicy{}, ref.EnqueueTargets(), builder.WithPredicates(ref.NamesChanged()))
}

// Permits refuses a posture check to a namespace not granted them: a check
// runs on every device of the org.
func (external) Permits(rights tenancy.Rights, _ *assurancev1alpha1.DevicePostureCheck) error {
	return rights.PostureChecks()
}

// UsedBy names the policies that require the check: Okta refuses to delete
// a check a policy includes.
func (external) UsedBy(ctx context.Context, c client.Reader, obj *assurancev1alpha1.DevicePostureCheck) (string, []string, error) {
	names, err := managed.PoliciesNameChecks.UsedBy(ctx, c, obj)
	return managed.PoliciesNameChecks.Kind, names, err
}
