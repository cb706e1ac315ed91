// Package manager wires the operator's controllers into a
// controller-runtime manager; cmd/main.go and the integration tests share it.
package manager

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/deviceassurance"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/oktaorg"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/posturecheck"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/signinrule"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/driftwatch"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/metrics"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/shard"
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
	// MaxBackoff caps the retry delay of a failing object or org
	// (lifecycle.DefaultMaxBackoff when zero): every object is retried
	// within this long after an outage ends.
	MaxBackoff time.Duration
	// DriftPollInterval is how often each org's System Log is read for
	// changes made outside the operator (an org's
	// spec.driftDetection.pollInterval overrides it); 0 turns the System
	// Log watcher off for every org.
	DriftPollInterval time.Duration
	// MaxInFlight is how many requests to one org are in flight at most,
	// for all controllers together; 0 means orgclient.DefaultMaxInFlight.
	MaxInFlight int
	// OrgConnections is what org objects may connect to: the zero value
	// allows Okta's own domains over verified TLS only.
	OrgConnections orgclient.ConnectionPolicy
	// ReconcileTimeout bounds one pass over a managed object
	// (managed.DefaultPassTimeout when zero).
	ReconcileTimeout time.Duration
	// OktaTransport, when set, wraps the transport of every request to
	// Okta, outside the operator's own wrappers: tests use it to see which
	// object's pass made which request (orgclient.WriterFrom).
	OktaTransport func(http.RoundTripper) http.RoundTripper
	// ShardName is this manager's shard (shard.DefaultName when empty):
	// the name under which it claims each Okta org it serves, so that no
	// two shards spend one org's rate limit (package shard).
	ShardName string
}

// CacheOptions are the cache options of a manager given to SetupControllers:
// it caches (lists and watches) the Secrets of clusterResourceNamespace
// only, those of the ClusterOktaOrgs, which a Role of that namespace grants.
// The Secrets of OktaOrgs, in tenant namespaces, are read with direct GETs
// (the manager's API reader) where the tenant granted `get`.
//
// The cache keeps no managedFields: nothing reads them, and at 10,000
// objects they are a large part of the manager's memory.
func CacheOptions(clusterResourceNamespace string) cache.Options {
	return ShardCacheOptions(clusterResourceNamespace, nil)
}

// ShardCacheOptions are CacheOptions for a manager that serves only the
// orgs and managed objects that selector selects (nil: all), one shard
// of several (--watch-label-selector).
func ShardCacheOptions(clusterResourceNamespace string, selector labels.Selector) cache.Options {
	byObject := map[client.Object]cache.ByObject{
		&corev1.Secret{}: {Namespaces: map[string]cache.Config{clusterResourceNamespace: {}}},
	}
	if selector != nil && !selector.Empty() {
		for _, obj := range []client.Object{&assurancev1alpha1.OktaOrg{}, &assurancev1alpha1.ClusterOktaOrg{},
			&assurancev1alpha1.DeviceAssurancePolicy{}, &assurancev1alpha1.DevicePostureCheck{}, &assurancev1alpha1.SignInRuleBinding{}} {
			byObject[obj] = cache.ByObject{Label: selector}
		}
	}
	return cache.Options{ByObject: byObject, DefaultTransform: cache.TransformStripManagedFields()}
}

// SetupControllers registers every controller with mgr, whose cache must be
// configured with CacheOptions(opts.ClusterResourceNamespace).
func SetupControllers(ctx context.Context, mgr ctrl.Manager, opts Options) error {
	if opts.ClusterResourceNamespace == "" {
		return errors.New("a cluster resource namespace is required: ClusterOktaOrgs read their Secrets there")
	}
	if err := metrics.RegisterStatusCollector(&metrics.StatusCollector{Reader: mgr.GetClient(),
		NoSystemLogWatcher: opts.DriftPollInterval <= 0}); err != nil {
		return err
	}
	own := driftwatch.NewOwnRequests()
	snapshots := orgclient.NewSnapshots(snapshotTTL(opts.Resync))
	claims := shard.New(mgr.GetAPIReader(), mgr.GetClient(), opts.ClusterResourceNamespace, opts.ShardName)
	if err := mgr.Add(claims); err != nil {
		return fmt.Errorf("add the shard's org claims: %w", err)
	}
	orgs := orgclient.NewCache(mgr.GetClient(), opts.ClusterResourceNamespace,
		orgclient.WithOktaOrgSecretReader(mgr.GetAPIReader()),
		orgclient.WithRequestTimeout(opts.OktaRequestTimeout), orgclient.WithCapacityLimits(),
		orgclient.WithTransport(oktaTransport(own, opts.OktaTransport)), orgclient.WithMaxInFlight(opts.MaxInFlight),
		orgclient.WithSnapshots(snapshots), orgclient.WithConnectionPolicy(opts.OrgConnections), orgclient.WithShardClaims(claims),
		// A window 429 goes back to the controller, which shows RateLimited
		// and requeues at the reset instead of holding a worker; a
		// concurrency 429 (reset within a second or two) is waited out.
		orgclient.WithRetry(okta.RetryConfig{MaxRateLimitWait: maxClientRateLimitWait}))
	orgOpts := oktaorg.Options{CheckInterval: opts.OrgCheckInterval, MaxConcurrentReconciles: opts.Concurrency, MaxBackoff: opts.MaxBackoff,
		DriftWatchOff: opts.DriftPollInterval <= 0}
	if err := oktaorg.SetupOktaOrgWithManager(ctx, mgr, orgs, orgOpts); err != nil {
		return fmt.Errorf("set up the OktaOrg controller: %w", err)
	}
	if err := oktaorg.SetupClusterOktaOrgWithManager(ctx, mgr, orgs, orgOpts); err != nil {
		return fmt.Errorf("set up the ClusterOktaOrg controller: %w", err)
	}
	recorder := mgr.GetEventRecorder("okta-assurance-operator")
	watcher, err := setupDriftWatcher(ctx, mgr, orgs, own, snapshots, recorder, opts.DriftPollInterval)
	if err != nil {
		return err
	}
	base := managed.Options{MaxBackoff: opts.MaxBackoff, Client: mgr.GetClient(), Orgs: orgs, Recorder: recorder,
		Resync: opts.Resync, Concurrency: opts.Concurrency, PassTimeout: opts.ReconcileTimeout}
	kinds := []struct {
		kind  driftwatch.Kind
		setup func(ctx context.Context, mgr ctrl.Manager, opts managed.Options) error
	}{
		{driftwatch.KindDeviceAssurancePolicy, func(ctx context.Context, mgr ctrl.Manager, o managed.Options) error {
			return deviceassurance.New(o).SetupWithManager(ctx, mgr)
		}},
		{driftwatch.KindDevicePostureCheck, func(ctx context.Context, mgr ctrl.Manager, o managed.Options) error {
			return posturecheck.New(o).SetupWithManager(ctx, mgr)
		}},
		{driftwatch.KindSignInRuleBinding, func(ctx context.Context, mgr ctrl.Manager, o managed.Options) error {
			return signinrule.New(o).SetupWithManager(ctx, mgr)
		}},
	}
	for _, k := range kinds {
		metrics.StartKindCounters(string(k.kind))
		o := base
		o.DriftEvents = watcher.Source(k.kind)
		if err := k.setup(ctx, mgr, o); err != nil {
			return fmt.Errorf("set up the %s controller: %w", k.kind, err)
		}
	}
	return nil
}

// setupDriftWatcher adds the System Log watcher to mgr unless interval is 0
// (then it returns nil, whose Source is nil).
func setupDriftWatcher(ctx context.Context, mgr ctrl.Manager, orgs *orgclient.Cache, own *driftwatch.OwnRequests,
	snapshots *orgclient.Snapshots, recorder events.EventRecorder, interval time.Duration) (*driftwatch.Watcher, error) {
	if interval <= 0 {
		return nil, nil
	}
	// The watcher finds objects by managed.OktaIDIndex, which the
	// controllers register.
	if err := managed.RegisterIndexes(ctx, mgr); err != nil {
		return nil, err
	}
	w := &driftwatch.Watcher{Client: mgr.GetClient(), Orgs: orgs, Own: own, Recorder: recorder, Interval: interval,
		Invalidate: snapshots.Invalidate}
	if err := mgr.Add(w); err != nil {
		return nil, fmt.Errorf("add the System Log watcher: %w", err)
	}
	return w, nil
}

// maxClientRateLimitWait is the longest 429 reset the Okta client waits
// for itself.
const maxClientRateLimitWait = 2 * time.Second

// snapshotTTL is how long a list answers the resync reads of its objects:
// a tenth of the resync period, at most a minute, so that a resync never
// looks at data much older than the period promises.
func snapshotTTL(resync time.Duration) time.Duration {
	return min(time.Minute, resync/10)
}

// oktaTransport records the operator's own writes for the drift watcher,
// then applies the caller's wrapper, if any.
func oktaTransport(own *driftwatch.OwnRequests, outer func(http.RoundTripper) http.RoundTripper) func(http.RoundTripper) http.RoundTripper {
	if outer == nil {
		return own.Transport
	}
	return func(base http.RoundTripper) http.RoundTripper { return outer(own.Transport(base)) }
}
