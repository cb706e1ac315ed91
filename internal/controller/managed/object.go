package managed

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/tenancy"
)

// Object is the API type of a kind the operator manages in Okta.
type Object interface {
	client.Object
	GetManagedSpec() *assurancev1alpha1.ManagedSpec
	GetManagedStatus() *assurancev1alpha1.ManagedStatus
	// IsAdopted tells whether the Okta object existed before this object
	// took it over.
	IsAdopted() bool
	// OktaIDs are the Okta IDs the status holds.
	OktaIDs() []string
	// OktaID is the Okta ID of the object it manages, empty before it has
	// one.
	OktaID() string
	// WantsAdoption tells whether the spec asks to take over an Okta
	// object that exists already.
	WantsAdoption() bool
}

// External is what one kind adds to the shared reconciler: its Okta
// calls, desired body, dependencies and kind-specific conditions.
type External[T Object] interface {
	// Sync makes the Okta object match the spec. The finalizer is on the
	// object and the org is resolved.
	Sync(ctx context.Context, p *Pass[T]) outcome.Outcome
	// HasOktaObject tells whether the object holds an Okta object, or may
	// hold one from a create whose result was never recorded.
	HasOktaObject(obj T) bool
	// Delete deletes the Okta object of an object being deleted under
	// deletionPolicy Delete; done is false while it must be retried.
	Delete(ctx context.Context, p *Pass[T]) (out outcome.Outcome, done bool)
	// Forget clears the Okta object from the status (its IDs, adopted),
	// without touching it in Okta: another object manages it.
	Forget(obj T)
}

// InUseChecker is an External whose Okta objects other objects of the cluster
// may use: deletion waits until none does, since Okta refuses to delete an
// object in use (409).
type InUseChecker[T Object] interface {
	// UsedBy names the kind and the objects of obj's namespace that use it.
	UsedBy(ctx context.Context, c client.Reader, obj T) (kind string, names []string, err error)
}

// Watcher is an External that watches other objects than its own and its org.
type Watcher interface {
	// Watch adds the kind's own watches to b; cache reads the manager's
	// indexes.
	Watch(b *builder.Builder, cache client.Reader) *builder.Builder
}

// RightsResolver is an OrgResolver that also says what a namespace may do
// in a shared org (the tenants of a ClusterOktaOrg). Without it, every
// namespace may do everything.
type RightsResolver interface {
	Rights(ctx context.Context, namespace string, ref *assurancev1alpha1.OrgReference) (tenancy.Rights, error)
}

// Permitter is an External with rights of its own kind to check before any
// Okta call, e.g. the app sign-in policy a binding writes into.
type Permitter[T Object] interface {
	Permits(rights tenancy.Rights, obj T) error
}

// OrgResolver gives the Okta client for the org an object refers to; any
// error means the org cannot be used yet.
type OrgResolver interface {
	Resolve(ctx context.Context, namespace string, ref *assurancev1alpha1.OrgReference) (okta.API, error)
}
