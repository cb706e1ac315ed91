package managed

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/source"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/observemode"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/shard"
)

// inUseRecheck backs up the watches of the objects that keep an Okta object
// from being deleted.
const inUseRecheck = 30 * time.Second

// Options configure the reconciler of every kind.
type Options struct {
	// Client reads and writes the objects.
	Client client.Client
	// Orgs resolves the org of an object.
	Orgs OrgResolver
	// Recorder records events on the objects.
	Recorder events.EventRecorder
	// Resync is how often a Ready object is compared with the org again;
	// each requeue adds up to 10% jitter so objects do not resync together.
	Resync time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxBackoff caps the retry delay of a failing object
	// (lifecycle.DefaultMaxBackoff when zero).
	MaxBackoff time.Duration
	// Concurrency is the number of workers.
	Concurrency int
	// DriftEvents, when set, enqueues the objects whose Okta object the
	// org's System Log shows was changed outside the operator.
	DriftEvents source.Source
	// PassTimeout bounds one reconcile pass (DefaultPassTimeout when
	// zero): a slow or hostile org cannot hold a worker for ever.
	PassTimeout time.Duration
}

// DefaultPassTimeout bounds a pass when Options.PassTimeout is zero: a few
// Okta calls, each with its own deadline and bounded retries.
const DefaultPassTimeout = 2 * time.Minute

// statusWriteTimeout bounds the status write at the end of a pass, which
// runs even when the pass ran out of time.
const statusWriteTimeout = 30 * time.Second

// Descriptor names one kind for the shared reconciler.
type Descriptor[T Object] struct {
	// Kind is the API kind, e.g. DeviceAssurancePolicy: the metric label.
	Kind string
	// Noun names the Okta object in messages, e.g. "Okta policy".
	Noun string
	// Finalizer keeps the object until its Okta object is dealt with.
	Finalizer string
	// New returns an empty object; NewList an empty list of the kind.
	New     func() T
	NewList func() client.ObjectList
}

// Reconciler reconciles the objects of one kind into their Okta objects.
type Reconciler[T Object] struct {
	Options
	Descriptor[T]
	External External[T]

	// cache reads the manager's indexes, for the watches.
	cache client.Reader
	// workers counts the passes of the namespaces with a share of them.
	workers namespaceWorkers
}

// New returns the reconciler of one kind.
func New[T Object](d Descriptor[T], external External[T], opts Options) *Reconciler[T] {
	return &Reconciler[T]{Options: opts, Descriptor: d, External: external}
}

// Reconcile resolves the org, then deletes, creates or updates the Okta
// object, and writes the status once at the end.
func (r *Reconciler[T]) Reconcile(ctx context.Context, req ctrl.Request) (result ctrl.Result, retErr error) {
	obj := r.New()
	if err := r.Client.Get(ctx, req.NamespacedName, obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	p, err := r.startPass(obj)
	if err != nil {
		return ctrl.Result{}, err
	}
	passStarted := p.now()
	var out outcome.Outcome
	// The status is written with the caller's context, not the pass's,
	// whose deadline may have passed.
	defer func(ctx context.Context) {
		retErr = errors.Join(retErr, r.endPass(ctx, p, out, passStarted))
		if p.release != nil {
			p.release()
		}
	}(ctx)
	// Okta calls carry the pass's urgency, and the object they are made for
	// (the System Log watcher tells the owner of an Okta object that
	// another object's write touched it).
	ctx = orgclient.WithWriter(orgclient.WithUrgency(ctx, passUrgency(obj)), obj.GetUID())
	// The org's capability of a kind is named after the kind: an org
	// without the kind's OAuth scope is refused before any Okta call.
	ctx = orgclient.WithCapability(ctx, assurancev1alpha1.OrgCapabilityName(r.Kind))
	ctx, cancel := context.WithTimeout(ctx, r.passTimeout())
	defer cancel()

	api, orgErr := r.Orgs.Resolve(ctx, obj.GetNamespace(), obj.GetManagedSpec().OrgRef)
	p.API = api
	deleting := !obj.GetDeletionTimestamp().IsZero()
	switch {
	case obj.GetManagedSpec().Suspend && !deleting:
		out = outcome.Suspend()
	case deleting:
		out = r.finalize(ctx, p, orgErr)
	case orgErr != nil && servedByOtherShard(obj, orgErr):
		// Shards whose selectors overlap both see this object; the one
		// that serves its org keeps its status.
		out = outcome.Outcome{Deferred: true, RequeueAfter: shard.LeaseDuration}
	case orgErr != nil:
		out = outcome.OrgNotReady(orgErr)
	default:
		out = r.sync(ctx, p)
	}
	return out.Result(lifecycle.Jitter(r.Resync))
}

// servedByOtherShard says whether another shard serves the object's org
// and has made the object Ready: its status is not this shard's to write.
// An object only this shard sees is told which shard serves its org.
func servedByOtherShard(obj Object, orgErr error) bool {
	var notReady *orgclient.NotReadyError
	return errors.As(orgErr, &notReady) && notReady.Reason == orgclient.ReasonServedByAnotherShard &&
		meta.IsStatusConditionTrue(obj.GetManagedStatus().Conditions, assurancev1alpha1.ConditionReady)
}

func (r *Reconciler[T]) startPass(obj T) (*Pass[T], error) {
	patcher, err := NewStatusPatcher(r.Client, obj)
	if err != nil {
		return nil, err
	}
	return &Pass[T]{Obj: obj, Recorder: r.Recorder, kind: r.Kind, subject: r.Noun, status: patcher, now: r.now,
		owners: owners{kind: r.Kind, cache: r.cache, newList: r.NewList}}, nil
}

// sync checks the namespace's rights in the org, puts the finalizer on
// before anything can be created in Okta, then lets the kind make the Okta
// object match the spec.
func (r *Reconciler[T]) sync(ctx context.Context, p *Pass[T]) outcome.Outcome {
	if out, ok := r.permitted(ctx, p); !ok {
		return out
	}
	if r.workerShare(p) {
		return outcome.Outcome{Deferred: true, RequeueAfter: workerWait}
	}
	ctx = orgclient.WithTenantBudget(ctx, p.Obj.GetNamespace(), p.Rights.RateBudgetPercent())
	if err := lifecycle.EnsureFinalizer(ctx, r.Client, p.Obj, r.Finalizer); err != nil {
		return outcome.Transient(outcome.ReasonProgressing, err)
	}
	if !p.Reports() {
		// Drifted is only ever True under driftPolicy Report.
		observemode.Clear(p.Conditions())
	}
	if id := p.Obj.OktaID(); id != "" {
		// Two objects that took one Okta object at the same moment: the one
		// created first keeps it, the other lets go without a write.
		if out, ok := p.Claim(ctx, id); !ok {
			r.External.Forget(p.Obj)
			return out
		}
	}
	return r.External.Sync(ctx, p)
}

// finalize deletes the Okta object (or leaves it, for Orphan) and then
// releases the object.
func (r *Reconciler[T]) finalize(ctx context.Context, p *Pass[T], orgErr error) outcome.Outcome {
	if !controllerutil.ContainsFinalizer(p.Obj, r.Finalizer) {
		return outcome.Outcome{}
	}
	if EffectiveDeletionPolicy(p.Obj) == assurancev1alpha1.DeletionPolicyDelete && r.External.HasOktaObject(p.Obj) {
		if orgclient.IsNamespaceNotSelected(orgErr) {
			// The cluster admin took the org away from this namespace: the
			// operator no longer acts on its behalf there, deletes
			// included. The Okta object stays for the admin to keep or
			// remove; the object is released instead of waiting for ever.
			p.Recorder.Eventf(p.Obj, nil, "Warning", "Orphaned", "Delete",
				"Left %s %s in Okta: the org no longer serves this namespace (%v)", r.Noun, p.Obj.OktaID(), orgErr)
			return r.release(ctx, p)
		}
		if orgErr != nil {
			return outcome.Waiting(outcome.ReasonOrgNotReady, "cannot delete the "+r.Noun+" until the org is ready: "+orgErr.Error(), outcome.OrgRecheck)
		}
		if out, used := r.inUse(ctx, p.Obj); used {
			return out
		}
		if out, done := r.delete(ctx, p); !done {
			return out
		}
	}
	return r.release(ctx, p)
}

// release removes the finalizer: the object may go.
func (r *Reconciler[T]) release(ctx context.Context, p *Pass[T]) outcome.Outcome {
	if err := lifecycle.RemoveFinalizer(ctx, r.Client, p.Obj, r.Finalizer); err != nil {
		return outcome.Transient(outcome.ReasonProgressing, err)
	}
	return outcome.Outcome{}
}

// delete deletes the Okta object, unless another object of the cluster
// manages it too: that one keeps it.
func (r *Reconciler[T]) delete(ctx context.Context, p *Pass[T]) (outcome.Outcome, bool) {
	elsewhere, err := p.ManagedElsewhere(ctx, p.Obj.OktaID())
	if err != nil {
		return outcome.Transient(outcome.ReasonProgressing, err), false
	}
	if elsewhere {
		p.Event("Released", "Delete", "Left %s %s in Okta: another object manages it", r.Noun, p.Obj.OktaID())
		return outcome.Outcome{}, true
	}
	return r.External.Delete(ctx, p)
}

// inUse makes the deletion wait while other objects of the namespace use
// the Okta object: deleting a folder of YAML at once then removes the users
// first and the used after, without a 409 loop.
func (r *Reconciler[T]) inUse(ctx context.Context, obj T) (outcome.Outcome, bool) {
	checker, ok := r.External.(InUseChecker[T])
	if !ok {
		return outcome.Outcome{}, false
	}
	kind, users, err := checker.UsedBy(ctx, r.Client, obj)
	if err != nil {
		return outcome.Transient(outcome.ReasonProgressing, err), true
	}
	if len(users) == 0 {
		return outcome.Outcome{}, false
	}
	return outcome.Waiting(outcome.ReasonInUse, "waiting for "+kind+" "+strings.Join(users, ", ")+
		" to stop using this "+strings.TrimPrefix(r.Noun, "Okta ")+" before deleting it from Okta", inUseRecheck), true
}

// endPass writes the outcome into the status, unless the object is gone.
func (r *Reconciler[T]) endPass(ctx context.Context, p *Pass[T], out outcome.Outcome, passStarted time.Time) error {
	obj := p.Obj
	if !obj.GetDeletionTimestamp().IsZero() && !controllerutil.ContainsFinalizer(obj, r.Finalizer) {
		return nil
	}
	status := obj.GetManagedStatus()
	if !out.Deferred {
		// A pass put off has not observed the generation.
		status.ObservedGeneration = obj.GetGeneration()
	}
	outcome.ApplyFor(r.Kind, obj, &status.Conditions, out, passStarted, r.now())
	ctx, cancel := context.WithTimeout(ctx, statusWriteTimeout)
	defer cancel()
	return client.IgnoreNotFound(p.status.Patch(ctx, obj))
}

// EffectiveDeletionPolicy applies the default: Delete for an Okta object
// this object created, Orphan for one it adopted.
func EffectiveDeletionPolicy(obj Object) assurancev1alpha1.DeletionPolicy {
	if p := obj.GetManagedSpec().DeletionPolicy; p != "" {
		return p
	}
	if obj.IsAdopted() {
		return assurancev1alpha1.DeletionPolicyOrphan
	}
	return assurancev1alpha1.DeletionPolicyDelete
}

// passUrgency is the urgency of the pass's Okta calls.
func passUrgency(obj Object) orgclient.Urgency {
	return lifecycle.PassUrgency(obj, obj.GetManagedStatus())
}

func (r *Reconciler[T]) passTimeout() time.Duration {
	if r.PassTimeout > 0 {
		return r.PassTimeout
	}
	return DefaultPassTimeout
}

func (r *Reconciler[T]) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Describe is the Descriptor of the kind whose API type is T (a pointer,
// e.g. *DeviceAssurancePolicy: its Kind is the type's name) and whose list
// type is L.
func Describe[T Object, L any, PL interface {
	*L
	client.ObjectList
}](noun, finalizer string) Descriptor[T] {
	elem := reflect.TypeFor[T]().Elem()
	return Descriptor[T]{
		Kind: elem.Name(), Noun: noun, Finalizer: finalizer,
		New:     func() T { return reflect.New(elem).Interface().(T) },
		NewList: func() client.ObjectList { return PL(new(L)) },
	}
}
