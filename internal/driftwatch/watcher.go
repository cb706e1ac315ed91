package driftwatch

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/source"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=oktaorgs/status;clusteroktaorgs/status,verbs=get;patch
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=deviceassurancepolicies/status;deviceposturechecks/status;signinrulebindings/status,verbs=get;patch

// DefaultInterval is the time between two reads of an org's System Log.
const DefaultInterval = time.Minute

// logPageSize is Okta's largest page: a bulk apply of the operator's own
// changes is read in few requests.
const logPageSize = 1000

// channelSize buffers the objects handed to one controller.
const channelSize = 1024

// OrgClients gives the Okta client of an org; *orgclient.Cache is one.
type OrgClients interface {
	View(obj client.Object) (orgclient.Org, error)
	Client(ctx context.Context, org orgclient.Org) (okta.API, error)
	// Claim is nil when this manager serves org: another shard may.
	Claim(ctx context.Context, org orgclient.Org) error
}

// Watcher polls the System Log of every Ready org with drift detection on.
// It is a manager Runnable and runs on the leader only.
type Watcher struct {
	// Client reads orgs and objects from the manager's cache and patches
	// their status.
	Client   client.Client
	Orgs     OrgClients
	Own      *OwnRequests
	Recorder events.EventRecorder
	// Invalidate, when set, is told the Okta IDs an out-of-band change
	// named before their objects are enqueued, so that no cached read
	// hides the change from the pass it triggers.
	Invalidate func(ids ...string)
	// Interval is the default poll interval of an org (DefaultInterval when
	// zero); an org's spec.driftDetection.pollInterval overrides it.
	Interval time.Duration
	// Tick is how often due orgs are looked for (a second when zero).
	Tick time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu       sync.Mutex
	channels map[Kind]chan event.GenericEvent
	polling  map[orgTarget]bool
	attempts map[orgTarget]time.Time
}

// Source is the controller source that receives kind's objects touched by
// an out-of-band change; nil for a nil Watcher (drift detection off).
func (w *Watcher) Source(kind Kind) source.Source {
	if w == nil {
		return nil
	}
	return source.Channel(w.channel(kind), &handler.EnqueueRequestForObject{})
}

func (w *Watcher) channel(kind Kind) chan event.GenericEvent {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.channels == nil {
		w.channels = map[Kind]chan event.GenericEvent{}
	}
	ch, ok := w.channels[kind]
	if !ok {
		ch = make(chan event.GenericEvent, channelSize)
		w.channels[kind] = ch
	}
	return ch
}

// Start polls until ctx ends.
func (w *Watcher) Start(ctx context.Context) error {
	tick := w.Tick
	if tick <= 0 {
		tick = time.Second
	}
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		for _, org := range w.dueOrgs(ctx) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer w.done(org.target)
				w.poll(ctx, org)
			}()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// watchedOrg is an org due for a read.
type watchedOrg struct {
	target orgTarget
	obj    client.Object
	view   orgclient.Org
}

// dueOrgs lists the Ready orgs with drift detection on whose interval has
// passed since their last read, and marks them as being polled.
func (w *Watcher) dueOrgs(ctx context.Context) []watchedOrg {
	var objs []client.Object
	oktaOrgs := &assurancev1alpha1.OktaOrgList{}
	clusterOrgs := &assurancev1alpha1.ClusterOktaOrgList{}
	if err := w.Client.List(ctx, oktaOrgs); err == nil {
		for i := range oktaOrgs.Items {
			objs = append(objs, &oktaOrgs.Items[i])
		}
	}
	if err := w.Client.List(ctx, clusterOrgs); err == nil {
		for i := range clusterOrgs.Items {
			objs = append(objs, &clusterOrgs.Items[i])
		}
	}
	now := w.now()
	var due []watchedOrg
	for _, obj := range objs {
		view, err := w.Orgs.View(obj)
		if err != nil || !watched(view) || w.Orgs.Claim(ctx, view) != nil {
			continue
		}
		target := orgTarget{kind: view.Kind, name: view.Key.Name, namespace: view.Key.Namespace}
		if w.claim(target, lastPoll(view), interval(view, w.Interval), now) {
			due = append(due, watchedOrg{target: target, obj: obj, view: view})
		}
	}
	return due
}

// watched says whether the watcher reads org's System Log at all: not
// when drift detection is off, nor while the org is not Ready or its
// access token lacks okta.logs.read (its status.capabilities says so, and
// the resync alone finds drift).
func watched(org orgclient.Org) bool {
	return assurancev1alpha1.SystemLogRead(org.Spec, org.Status) &&
		meta.IsStatusConditionTrue(org.Status.Conditions, assurancev1alpha1.ConditionReady)
}

// interval is the org's poll interval.
func interval(org orgclient.Org, fallback time.Duration) time.Duration {
	if dd := org.Spec.DriftDetection; dd != nil && dd.PollInterval != nil && dd.PollInterval.Duration > 0 {
		return dd.PollInterval.Duration
	}
	if fallback > 0 {
		return fallback
	}
	return DefaultInterval
}

func lastPoll(org orgclient.Org) time.Time {
	if dw := org.Status.DriftWatch; dw != nil && dw.LastPollTime != nil {
		return dw.LastPollTime.Time
	}
	return time.Time{}
}

// claim marks target as being polled when it is due: its last read (the
// persisted one, or the last attempt of this process, failed or not) is
// at least one interval ago and no read of it is running.
func (w *Watcher) claim(target orgTarget, persisted time.Time, every time.Duration, now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.polling == nil {
		w.polling, w.attempts = map[orgTarget]bool{}, map[orgTarget]time.Time{}
	}
	last := persisted
	if a := w.attempts[target]; a.After(last) {
		last = a
	}
	if w.polling[target] || now.Sub(last) < every {
		return false
	}
	w.polling[target], w.attempts[target] = true, now
	return true
}

func (w *Watcher) done(target orgTarget) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.polling, target)
}

// poll reads the org's new events, wakes the objects that others changed,
// and persists the cursor.
func (w *Watcher) poll(ctx context.Context, org watchedOrg) {
	log := ctrl.LoggerFrom(ctx).WithValues("org", org.target.kind, "name", org.target.name, "namespace", org.target.namespace)
	status := org.view.Status.DriftWatch.DeepCopy()
	if status == nil {
		status = &assurancev1alpha1.DriftWatchStatus{}
	}
	now := w.now()
	events, cursor, err := w.read(ctx, org, status, now)
	if err != nil {
		log.Info("System Log read failed; next try in one interval", "error", err.Error())
		status.Message = "reading the System Log: " + err.Error()
		if okta.Class(err) == okta.ClassInvalid && status.Cursor != "" {
			// Okta refuses a cursor it no longer knows: read on from the
			// last successful read instead.
			status.Cursor = ""
		}
		w.patchOrg(ctx, org.obj, status, log)
		return
	}
	id := identity{own: w.Own}
	if org.view.Spec.OAuth != nil {
		id.clientID = org.view.Spec.OAuth.ClientID
	}
	for _, ev := range events {
		if !relevant(ev.EventType) {
			continue
		}
		writer, own := id.writer(ev)
		if own {
			// A write made for one object may touch the Okta object of
			// another, which must hear of it as of anybody else's.
			w.handleFor(ctx, org, ev, writer)
			continue
		}
		w.handle(ctx, org, ev)
		c := change(ev)
		status.LastOutOfBandChange = &c
		status.OutOfBandChanges++
	}
	status.Cursor = truncate(cursor, 2048)
	status.LastPollTime = &metav1.Time{Time: now}
	status.Message = ""
	w.patchOrg(ctx, org.obj, status, log)
}

// read returns the events since the persisted cursor (or, without one,
// since the last read, or one interval back) and the cursor to go on from.
func (w *Watcher) read(ctx context.Context, org watchedOrg, status *assurancev1alpha1.DriftWatchStatus, now time.Time) ([]okta.LogEvent, string, error) {
	api, err := w.Orgs.Client(ctx, org.view)
	if err != nil {
		return nil, "", err
	}
	q := okta.LogQuery{Filter: eventFilter(), Limit: logPageSize, After: status.Cursor}
	if q.After == "" {
		q.Since = now.Add(-interval(org.view, w.Interval))
		if status.LastPollTime != nil {
			q.Since = status.LastPollTime.Time
		}
	}
	poller := okta.NewLogPoller(api, q)
	// The watcher's reads yield to new and changed objects.
	events, err := poller.Poll(orgclient.WithUrgency(ctx, orgclient.UrgencyLow))
	return events, poller.Cursor(), err
}

// handle records ev, which someone else than the operator caused, on the
// objects it names and enqueues them.
func (w *Watcher) handle(ctx context.Context, org watchedOrg, ev okta.LogEvent) {
	observeOutOfBand(org.view, ev.EventType)
	ids := targetIDs(ev)
	if w.Invalidate != nil {
		w.Invalidate(ids...)
	}
	matches, err := w.objectsNamed(ctx, org.target, ids)
	if err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "find the objects of a System Log event", "eventType", ev.EventType)
		return
	}
	w.notify(ctx, matches, change(ev))
}

// handleFor handles ev, which the operator caused for the object writer
// (empty: unknown): the objects other than writer that manage one of the
// Okta objects it names are told, as of an out-of-band change. Objects that
// only share an app sign-in policy with the rule written are not: every
// binding's own write would wake all the others.
func (w *Watcher) handleFor(ctx context.Context, org watchedOrg, ev okta.LogEvent, writer types.UID) {
	if writer == "" {
		return
	}
	ids := targetIDs(ev)
	matches, err := w.objectsNamed(ctx, org.target, ids)
	if err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "find the objects of a System Log event", "eventType", ev.EventType)
		return
	}
	var owners []match
	for _, m := range matches {
		if m.obj.GetUID() != writer && slices.Contains(ids, m.obj.(managedObject).OktaID()) {
			owners = append(owners, m)
		}
	}
	if len(owners) == 0 {
		return
	}
	if w.Invalidate != nil {
		w.Invalidate(ids...)
	}
	c := change(ev)
	// Who wrote is another object of the cluster, perhaps of another
	// namespace: not named.
	c.Actor = "this operator, for another object"
	w.notify(ctx, owners, c)
}

// notify records c on the matched objects, with a Warning event, and
// enqueues them.
func (w *Watcher) notify(ctx context.Context, matches []match, c assurancev1alpha1.OutOfBandChange) {
	log := ctrl.LoggerFrom(ctx)
	for _, m := range matches {
		if err := w.recordChange(ctx, m.obj, c); err != nil {
			log.Error(err, "record an out-of-band change", "kind", m.kind, "object", client.ObjectKeyFromObject(m.obj))
		}
		if w.Recorder != nil {
			w.Recorder.Eventf(m.obj, nil, "Warning", "OutOfBandChange", "DetectDrift",
				"%s by %s at %s (System Log event %s); comparing with the spec", c.EventType, orUnknown(c.Actor),
				c.Time.UTC().Format(time.RFC3339), c.EventID)
		}
		w.enqueue(ctx, m)
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown actor"
	}
	return s
}

// patchOrg writes status.driftWatch with a merge patch of that field only.
func (w *Watcher) patchOrg(ctx context.Context, obj client.Object, status *assurancev1alpha1.DriftWatchStatus, log interface {
	Error(error, string, ...any)
}) {
	patch, err := driftWatchPatch(status)
	if err == nil {
		err = client.IgnoreNotFound(w.Client.Status().Patch(ctx, obj, client.RawPatch(types.MergePatchType, patch)))
	}
	if err != nil {
		log.Error(err, "persist the System Log cursor")
	}
}

// driftWatchPatch is the merge patch that sets status.driftWatch to s. A
// cleared cursor or message is sent as null: omitted, the merge would keep
// the old value.
func driftWatchPatch(s *assurancev1alpha1.DriftWatchStatus) ([]byte, error) {
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	fields := map[string]any{}
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, err
	}
	for _, key := range []string{"cursor", "message"} {
		if _, ok := fields[key]; !ok {
			fields[key] = nil
		}
	}
	return json.Marshal(map[string]any{"status": map[string]any{"driftWatch": fields}})
}

func (w *Watcher) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}
