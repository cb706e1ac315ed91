package oktaorg

import (
	"context"
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// Defaults of Options.
const (
	DefaultCheckInterval         = 5 * time.Minute
	DefaultSecretRecheckInterval = time.Minute
	DefaultProbeTimeout          = 30 * time.Second
)

// SecretNameIndex is the field index of ClusterOktaOrg on the names of the
// Secrets they refer to.
const SecretNameIndex = ".spec.secretRefs.name" //nolint:gosec // an index name, not a credential

// Options configure the OktaOrg and ClusterOktaOrg controllers.
type Options struct {
	// CheckInterval is how often a Ready org is checked again, plus up to
	// 10% jitter. Default DefaultCheckInterval. It is also when a Ready
	// OktaOrg notices that its Secret changed: tenant namespaces are not
	// watched.
	CheckInterval time.Duration
	// SecretRecheckInterval is how often an OktaOrg stalled on its Secret
	// (SecretNotFound, SecretForbidden, SecretKeyMissing,
	// InvalidPrivateKey) looks again, plus up to 10% jitter: the operator
	// watches neither that Secret nor the RoleBinding that grants it.
	// Default DefaultSecretRecheckInterval, or CheckInterval if shorter.
	SecretRecheckInterval time.Duration
	// ProbeTimeout bounds one check, the client's retries included.
	// Default DefaultProbeTimeout.
	ProbeTimeout time.Duration
	// MaxConcurrentReconciles is the number of workers; default 1.
	MaxConcurrentReconciles int
	// MaxBackoff caps the retry delay of a failing org
	// (lifecycle.DefaultMaxBackoff when zero).
	MaxBackoff time.Duration
	// DriftWatchOff says that the manager runs without the System Log
	// watcher (--drift-poll-interval=0): no org then needs okta.logs.read.
	DriftWatchOff bool
}

func (o Options) withDefaults() Options {
	if o.CheckInterval <= 0 {
		o.CheckInterval = DefaultCheckInterval
	}
	if o.SecretRecheckInterval <= 0 {
		o.SecretRecheckInterval = min(DefaultSecretRecheckInterval, o.CheckInterval)
	}
	if o.ProbeTimeout <= 0 {
		o.ProbeTimeout = DefaultProbeTimeout
	}
	return o
}

// SetupOktaOrgWithManager registers the OktaOrg controller. cache must be
// the one given to the other controllers as their orgclient.Resolver. An
// OktaOrg's Secret is not watched (the manager caches no tenant Secret):
// the controller reads it at every check, every CheckInterval, and every
// SecretRecheckInterval while it is missing or forbidden.
func SetupOktaOrgWithManager(ctx context.Context, mgr ctrl.Manager, cache *orgclient.Cache, opts Options) error {
	return setup(ctx, mgr, cache, v1alpha1.OrgKindOktaOrg, opts)
}

// SetupClusterOktaOrgWithManager registers the ClusterOktaOrg controller;
// its Secrets are read and watched in cache.ClusterResourceNamespace(),
// through the manager's cache, which must hold that namespace's Secrets
// (manager.CacheOptions).
func SetupClusterOktaOrgWithManager(ctx context.Context, mgr ctrl.Manager, cache *orgclient.Cache, opts Options) error {
	if cache.ClusterResourceNamespace() == "" {
		return errors.New("ClusterOktaOrg needs a cluster resource namespace to read its Secrets from")
	}
	return setup(ctx, mgr, cache, v1alpha1.OrgKindClusterOktaOrg, opts)
}

func setup(ctx context.Context, mgr ctrl.Manager, cache *orgclient.Cache, kind v1alpha1.OrgKind, opts Options) error {
	obj, err := orgclient.NewObject(kind)
	if err != nil {
		return err
	}
	r := &Reconciler{
		kind: kind, client: mgr.GetClient(), cache: cache, opts: opts.withDefaults(), now: time.Now,
		recorder: mgr.GetEventRecorder("okta-assurance-operator"),
	}
	// Status patches must not trigger a pass (each pass refreshes the
	// rate-limit figures, which would loop): only spec and annotation
	// changes do, e.g. a reconcile-now annotation.
	specChanged := predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{})
	b := ctrl.NewControllerManagedBy(mgr).
		Named(lowerKind(kind)).
		For(obj, builder.WithPredicates(specChanged)).
		WithOptions(lifecycle.ControllerOptions(max(opts.MaxConcurrentReconciles, 1), opts.MaxBackoff))
	if kind == v1alpha1.OrgKindClusterOktaOrg {
		// Only the operator's namespace is watched: a ClusterOktaOrg
		// reacts to a change of its Secret at once.
		err = mgr.GetFieldIndexer().IndexField(ctx, obj, SecretNameIndex, func(o client.Object) []string {
			org, err := cache.View(o)
			if err != nil {
				return nil
			}
			return orgclient.SecretNames(org.Spec)
		})
		if err != nil {
			return fmt.Errorf("indexing %s by Secret name: %w", kind, err)
		}
		b = b.Watches(&corev1.Secret{}, handler.EnqueueRequestsFromMapFunc(r.orgsForSecret),
			builder.WithPredicates(predicate.ResourceVersionChangedPredicate{}))
	}
	return b.Complete(r)
}

// orgsForSecret maps a Secret of the cluster resource namespace to the
// ClusterOktaOrgs that read it.
func (r *Reconciler) orgsForSecret(ctx context.Context, secret client.Object) []reconcile.Request {
	if secret.GetNamespace() != r.cache.ClusterResourceNamespace() {
		return nil
	}
	var list v1alpha1.ClusterOktaOrgList
	if err := r.client.List(ctx, &list, client.MatchingFields{SecretNameIndex: secret.GetName()}); err != nil {
		log.FromContext(ctx).Error(err, "listing orgs that use a Secret", "secret", client.ObjectKeyFromObject(secret))
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(list.Items))
	for _, o := range list.Items {
		reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Name: o.Name}})
	}
	return reqs
}

func lowerKind(kind v1alpha1.OrgKind) string {
	if kind == v1alpha1.OrgKindClusterOktaOrg {
		return "clusteroktaorg"
	}
	return "oktaorg"
}
