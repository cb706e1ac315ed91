// Command manager runs the okta-assurance-operator controllers.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/metrics/filters"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/oktaorg"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/manager"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/shard"
)

// The controllers record Events. Leader election's Lease is granted in the
// operator's namespace only (config/rbac/leader_election_role.yaml).
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// options are the manager's flags.
type options struct {
	metricsAddr, probeAddr   string
	pprofAddr                string
	metricsSecure            bool
	leaderElect              bool
	resync                   time.Duration
	concurrency              int
	clusterResourceNamespace string
	oktaRequestTimeout       time.Duration
	orgCheckInterval         time.Duration
	driftPollInterval        time.Duration
	oktaMaxInFlight          int
	maxBackoff               time.Duration
	orgConnections           orgclient.ConnectionPolicy
	reconcileTimeout         time.Duration
	watchSelector            labels.Selector
}

func parseFlags() (options, zap.Options) {
	var o options
	zapOpts := zap.Options{}
	flag.StringVar(&o.metricsAddr, "metrics-bind-address", ":8080", "Address the metrics endpoint binds to; 0 disables it.")
	flag.StringVar(&o.probeAddr, "health-probe-bind-address", ":8081", "Address the health and readiness probes bind to.")
	flag.BoolVar(&o.metricsSecure, "metrics-secure", true,
		"Serve metrics over HTTPS, only to callers whose token may GET /metrics (TokenReview and SubjectAccessReview); false serves plain HTTP to anyone.")
	flag.StringVar(&o.pprofAddr, "pprof-bind-address", "", "Address Go's pprof endpoints bind to, for profiling memory and CPU; empty (the default) disables them.")
	flag.BoolVar(&o.leaderElect, "leader-elect", false, "Elect a leader, so that only one replica writes to Okta.")
	flag.DurationVar(&o.resync, "resync-period", 0,
		"How often a Ready object is compared with the org again (plus up to 10% jitter). Default: 1h with the System Log watcher on, which notices changes made outside the operator within one poll; 10m with it off.")
	flag.DurationVar(&o.maxBackoff, "max-backoff", lifecycle.DefaultMaxBackoff,
		"Longest retry delay of an object or org whose Okta calls fail (doubling from 0.5s): every object is retried within this long after an outage ends.")
	flag.DurationVar(&o.driftPollInterval, "drift-poll-interval", time.Minute,
		"How often each org's System Log is read for changes made outside the operator (one logs request per org and interval, whatever the number of objects); an org's spec.driftDetection overrides it; 0 turns the watcher off.")
	flag.IntVar(&o.concurrency, "concurrency", 4, "Objects of each kind reconciled in parallel.")
	flag.StringVar(&o.clusterResourceNamespace, "cluster-resource-namespace", defaultNamespace(),
		"Namespace whose Secrets ClusterOktaOrgs read, the only one whose Secrets the manager caches and watches (default: the manager's own namespace).")
	flag.DurationVar(&o.oktaRequestTimeout, "okta-request-timeout", 30*time.Second, "Deadline of one request to Okta.")
	flag.DurationVar(&o.orgCheckInterval, "org-check-interval", oktaorg.DefaultCheckInterval,
		"How often a Ready OktaOrg or ClusterOktaOrg checks its credentials again.")
	flag.IntVar(&o.oktaMaxInFlight, "okta-max-in-flight", orgclient.DefaultMaxInFlight,
		"Requests in flight to one Okta org at most, all controllers together; keep it well below the org's concurrency limit (35 or 75), which its other clients share.")
	flag.Func("allowed-org-hosts",
		"Comma-separated hosts an OktaOrg or ClusterOktaOrg spec.url may name: exact names, or *.domain for its subdomains (e.g. a custom domain login.example.com). Default: Okta's own domains "+strings.Join(orgclient.DefaultAllowedHosts, ",")+"; when set, list those too if they are still wanted.",
		func(v string) error {
			for _, h := range strings.Split(v, ",") {
				if h = strings.TrimSpace(h); h != "" {
					o.orgConnections.AllowedHosts = append(o.orgConnections.AllowedHosts, h)
				}
			}
			return nil
		})
	flag.BoolVar(&o.orgConnections.AllowInsecure, "allow-insecure-org-connections", false,
		"Honour spec.allowInsecureHTTP and spec.insecureSkipTLSVerify of org objects: for local simulators and tests only; without it such an org is refused.")
	flag.DurationVar(&o.reconcileTimeout, "reconcile-timeout", managed.DefaultPassTimeout,
		"Longest time one pass over a managed object may take, Okta calls included; a pass that runs out is retried with backoff.")
	namespacedOrgs := flag.Bool("namespaced-okta-orgs", true,
		"Let namespaced OktaOrgs connect; false leaves only the cluster admin's ClusterOktaOrgs.")
	flag.Func("watch-label-selector",
		"Serve only the orgs and objects with these labels (e.g. shard=a), one shard of several manager Deployments; "+
			"each Okta org is served by one shard (docs/performance.md).",
		func(v string) (err error) {
			o.watchSelector, err = labels.Parse(v)
			return err
		})
	zapOpts.BindFlags(flag.CommandLine)
	flag.Parse()
	o.orgConnections.DisableNamespacedOrgs = !*namespacedOrgs
	if o.resync == 0 {
		o.resync = defaultResync(o.driftPollInterval)
	}
	return o, zapOpts
}

// defaultResync is the full resync period: rare when the System Log
// watcher notices out-of-band changes, so that the steady-state cost does
// not grow with the number of objects.
func defaultResync(driftPollInterval time.Duration) time.Duration {
	if driftPollInterval > 0 {
		return time.Hour
	}
	return 10 * time.Minute
}

// shardName names the shard of a manager by its selector: Deployments with
// the same selector are replicas of one shard.
func shardName(selector labels.Selector) string {
	if selector == nil || selector.Empty() {
		return shard.DefaultName
	}
	return selector.String()
}

// leaderElectionID is the Lease of the shard's leader election: one leader
// per shard, whatever the number of shards.
func leaderElectionID(selector labels.Selector) string {
	const id = "okta-assurance-operator.okta-operator.dev"
	if name := shardName(selector); name != shard.DefaultName {
		sum := sha256.Sum256([]byte(name))
		return hex.EncodeToString(sum[:6]) + "." + id
	}
	return id
}

// defaultNamespace is the namespace the manager runs in, from the
// downward API (POD_NAMESPACE) or the service account mount.
func defaultNamespace() string {
	if ns := os.Getenv("POD_NAMESPACE"); ns != "" {
		return ns
	}
	if ns, err := os.ReadFile("/var/run/secrets/kubernetes.io/serviceaccount/namespace"); err == nil {
		return string(ns)
	}
	return "okta-assurance-system"
}

// defaultGCPercent is the manager's GOGC unless the environment sets one.
// Its heap is mostly the informer cache, which lives as long as the
// process; Go's default of 100 lets the heap grow to twice that between
// collections, so the RSS at 10,000 objects was twice what the manager
// holds. 50 keeps it nearer, for a little more CPU (docs/performance.md).
const defaultGCPercent = 50

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
	opts, zapOpts := parseFlags()
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zapOpts)))
	setupLog := ctrl.Log.WithName("setup")
	if err := run(ctrl.SetupSignalHandler(), opts); err != nil {
		setupLog.Error(err, "manager stopped with an error")
		os.Exit(1)
	}
}

func run(ctx context.Context, opts options) error {
	if opts.oktaMaxInFlight < 1 {
		return fmt.Errorf("--okta-max-in-flight must be at least 1, not %d", opts.oktaMaxInFlight)
	}
	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(assurancev1alpha1.AddToScheme(scheme))

	metrics := metricsserver.Options{BindAddress: opts.metricsAddr, SecureServing: opts.metricsSecure}
	if opts.metricsSecure {
		// Authenticate and authorize every scrape against the API server;
		// without a certificate in CertDir the server makes a self-signed one.
		metrics.FilterProvider = filters.WithAuthenticationAndAuthorization
	}
	mgr, err := ctrl.NewManager(ctrl.GetConfigOrDie(), ctrl.Options{
		Scheme:  scheme,
		Metrics: metrics,
		// Secrets are cached in the operator's namespace only.
		Cache:                  manager.ShardCacheOptions(opts.clusterResourceNamespace, opts.watchSelector),
		HealthProbeBindAddress: opts.probeAddr,
		PprofBindAddress:       opts.pprofAddr,
		LeaderElection:         opts.leaderElect,
		LeaderElectionID:       leaderElectionID(opts.watchSelector),
		// Out of a cluster there is no namespace to infer; use the
		// operator's own.
		LeaderElectionNamespace: opts.clusterResourceNamespace,
	})
	if err != nil {
		return fmt.Errorf("create the manager: %w", err)
	}
	if err := manager.SetupControllers(ctx, mgr, manager.Options{
		ClusterResourceNamespace: opts.clusterResourceNamespace,
		Resync:                   opts.resync,
		Concurrency:              opts.concurrency,
		OktaRequestTimeout:       opts.oktaRequestTimeout,
		OrgCheckInterval:         opts.orgCheckInterval,
		DriftPollInterval:        opts.driftPollInterval,
		MaxBackoff:               opts.maxBackoff,
		MaxInFlight:              opts.oktaMaxInFlight,
		OrgConnections:           opts.orgConnections,
		ReconcileTimeout:         opts.reconcileTimeout,
		ShardName:                shardName(opts.watchSelector),
	}); err != nil {
		return err
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return err
	}
	ctrl.Log.WithName("setup").Info("starting manager", "clusterResourceNamespace", opts.clusterResourceNamespace, "shard", shardName(opts.watchSelector))
	return mgr.Start(ctx)
}
