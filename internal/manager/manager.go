// Package manager wires the operator's controllers into a
// controller-runtime manager; cmd/main.go and the integration tests share it.
package manager

import (
	"context"
	"fmt"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/deviceassurance"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/oktaorg"
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

// SetupControllers registers every controller with mgr.
func SetupControllers(ctx context.Context, mgr ctrl.Manager, opts Options) error {
	orgs := orgclient.NewCache(mgr.GetClient(), opts.ClusterResourceNamespace,
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
	rules := &signinrule.Reconciler{Client: mgr.GetClient(), Orgs: orgs, Recorder: recorder, Resync: opts.Resync}
	if err := rules.SetupWithManager(ctx, mgr, opts.Concurrency); err != nil {
		return fmt.Errorf("set up the SignInRuleBinding controller: %w", err)
	}
	return nil
}
