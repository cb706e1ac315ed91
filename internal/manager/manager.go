// Package manager wires the operator's controllers into a
// controller-runtime manager; cmd/main.go and the integration tests share it.
package manager

import (
	"context"
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/deviceassurance"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/oktaorg"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/posturecheck"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/signinrule"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// Options configure the controllers.
type Options struct {
	// ClusterResourceNamespace is where ClusterOktaOrgs read their Secrets.
	ClusterResourceNamespace string
	// Resync is how often a Ready object is compared with the org again.
	Resync time.Duration
	// Concurrency is how many objects of each kind are reconciled at once.
	Concurrency int
	// OktaRequestTimeout is the deadline of one request to Okta.
	OktaRequestTimeout time.Duration
	// OrgCheckInterval is how often a Ready org checks its credentials.
	OrgCheckInterval time.Duration
}

// CacheOptions are the cache options of a manager given to SetupControllers:
// it caches (lists and watches) the Secrets of clusterResourceNamespace
// only, those of the ClusterOktaOrgs, which a Role of that namespace grants.
// The Secrets of OktaOrgs, in tenant namespaces, are read with direct GETs
// (the manager's API reader) where the tenant granted `get`.
func CacheOptions(clusterResourceNamespace string) cache.Options {
	return cache.Options{ByObject: map[client.Object]cache.ByObject{
		&corev1.Secret{}: {Namespaces: map[string]cache.Config{clusterResourceNamespace: {}}},
	}}
}

// SetupControllers registers every controller with mgr, whose cache must be
// configured with CacheOptions(opts.ClusterResourceNamespace).
func SetupControllers(ctx context.Context, mgr ctrl.Manager, opts Options) error {
	if opts.ClusterResourceNamespace == "" {
		return errors.New("a cluster resource namespace is required: ClusterOktaOrgs read their Secrets there")
	}
	orgs := orgclient.NewCache(mgr.GetClient(), opts.ClusterResourceNamespace,
		orgclient.WithOktaOrgSecretReader(mgr.GetAPIReader()),
		orgclient.WithRequestTimeout(opts.OktaRequestTimeout), orgclient.WithCapacityLimits())
	orgOpts := oktaorg.Options{CheckInterval: opts.OrgCheckInterval, MaxConcurrentReconciles: opts.Concurrency}
	if err := oktaorg.SetupOktaOrgWithManager(ctx, mgr, orgs, orgOpts); err != nil {
		return fmt.Errorf("set up the OktaOrg controller: %w", err)
	}
	if err := oktaorg.SetupClusterOktaOrgWithManager(ctx, mgr, orgs, orgOpts); err != nil {
		return fmt.Errorf("set up the ClusterOktaOrg controller: %w", err)
	}
	recorder := mgr.GetEventRecorder("okta-assurance-operator")
	policies := &deviceassurance.Reconciler{Client: mgr.GetClient(), Orgs: orgs, Recorder: recorder, Resync: opts.Resync}
	if err := policies.SetupWithManager(ctx, mgr, opts.Concurrency); err != nil {
		return fmt.Errorf("set up the DeviceAssurancePolicy controller: %w", err)
	}
	checks := &posturecheck.Reconciler{Client: mgr.GetClient(), Orgs: orgs, Recorder: recorder, Resync: opts.Resync}
	if err := checks.SetupWithManager(ctx, mgr, opts.Concurrency); err != nil {
		return fmt.Errorf("set up the DevicePostureCheck controller: %w", err)
	}
	rules := &signinrule.Reconciler{Client: mgr.GetClient(), Orgs: orgs, Recorder: recorder, Resync: opts.Resync}
	if err := rules.SetupWithManager(ctx, mgr, opts.Concurrency); err != nil {
		return fmt.Errorf("set up the SignInRuleBinding controller: %w", err)
	}
	return nil
}
