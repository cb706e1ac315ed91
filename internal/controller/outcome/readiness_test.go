package outcome

import (
	"errors"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

const (
	ready       = assurancev1alpha1.ConditionReady
	reconciling = assurancev1alpha1.ConditionReconciling
	stalled     = assurancev1alpha1.ConditionStalled
)

func cond(condType string, status metav1.ConditionStatus, generation int64, since time.Time) metav1.Condition {
	return metav1.Condition{Type: condType, Status: status, ObservedGeneration: generation, Reason: "R",
		LastTransitionTime: metav1.NewTime(since)}
}

func TestTimeToReady(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	created := now.Add(-10 * time.Minute)
	passStarted := now.Add(-2 * time.Second)
	at := func(ago time.Duration) time.Time { return now.Add(-ago) }
	const T, F = metav1.ConditionTrue, metav1.ConditionFalse
	tests := []struct {
		name        string
		before      []metav1.Condition
		out         Outcome
		generation  int64
		passStarted time.Time
		want        time.Duration
		observe     bool
	}{
		{"not Ready: nothing yet", nil, Waiting(ReasonRateLimited, "429", time.Minute), 1, passStarted, 0, false},
		{"stalled: nothing yet", nil, Stall(ReasonOktaRejected, "400"), 1, passStarted, 0, false},
		{"new object Ready in its first pass: since creation", nil, Synced("ok"), 1, passStarted, 10 * time.Minute, true},
		{"new object that waited: since first seen not Ready",
			[]metav1.Condition{cond(ready, F, 1, at(9*time.Minute)), cond(reconciling, T, 1, at(9*time.Minute))},
			Synced("ok"), 1, passStarted, 9 * time.Minute, true},
		{"resync of a Ready object", []metav1.Condition{cond(ready, T, 4, at(time.Hour))}, Synced("ok"), 4, passStarted, 0, false},
		{"spec edit Ready in one pass: since the pass began", []metav1.Condition{cond(ready, T, 4, at(time.Hour))},
			Synced("ok"), 5, passStarted, 2 * time.Second, true},
		{"spec edit Ready in one pass, pass start unknown", []metav1.Condition{cond(ready, T, 4, at(time.Hour))},
			Synced("ok"), 5, time.Time{}, 0, true},
		{"spec edit that waited",
			[]metav1.Condition{cond(ready, F, 5, at(time.Hour)), cond(reconciling, T, 5, at(3*time.Minute))},
			Synced("ok"), 5, passStarted, 3 * time.Minute, true},
		{"waiting about an older generation does not count: first pass of this one",
			[]metav1.Condition{cond(ready, F, 4, at(time.Hour)), cond(reconciling, T, 4, at(time.Hour))},
			Synced("ok"), 5, passStarted, 2 * time.Second, true},
		{"stalled, then fixed in Okta",
			[]metav1.Condition{cond(ready, F, 5, at(time.Hour)), cond(stalled, T, 5, at(20*time.Minute))},
			Synced("ok"), 5, passStarted, 20 * time.Minute, true},
		{"the earliest of Reconciling and Stalled",
			[]metav1.Condition{cond(ready, F, 5, at(time.Hour)), cond(stalled, T, 5, at(20*time.Minute)), cond(reconciling, T, 5, at(30*time.Minute))},
			Synced("ok"), 5, passStarted, 30 * time.Minute, true},
		{"a fallen object recovers: since it fell",
			[]metav1.Condition{cond(ready, F, 3, at(40*time.Second)), cond(reconciling, T, 3, at(40*time.Second))},
			Synced("ok"), 3, passStarted, 40 * time.Second, true},
		{"clock skew counts as 0", nil, Synced("ok"), 1, passStarted, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := created
			if tt.name == "clock skew counts as 0" {
				c = now.Add(time.Minute)
			}
			got, observe := TimeToReady(tt.before, tt.out, tt.generation, c, tt.passStarted, now)
			if observe != tt.observe || got != tt.want {
				t.Errorf("TimeToReady = %v, %v; want %v, %v", got, observe, tt.want, tt.observe)
			}
		})
	}
}

// histogramCount reads how many waits of kind were observed.
func histogramCount(t *testing.T, kind string) uint64 {
	t.Helper()
	families, err := ctrlmetrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "okta_assurance_time_to_ready_seconds" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "kind" && l.GetValue() == kind {
					return m.GetHistogram().GetSampleCount()
				}
			}
		}
	}
	return 0
}

// A generation's wait is measured across passes through the conditions
// alone, as after a restart, and observed once.
func TestApplyForObservesEachGenerationOnce(t *testing.T) {
	const kind = "ApplyForTestKind"
	start := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	obj := &metav1.ObjectMeta{Generation: 1, CreationTimestamp: metav1.NewTime(start)}
	var conditions []metav1.Condition
	pass := func(o Outcome, at time.Time) { ApplyFor(kind, obj, &conditions, o, at.Add(-time.Second), at) }

	pass(Synced("ok"), start.Add(3*time.Second)) // created and Ready in one pass
	pass(Synced("ok"), start.Add(time.Hour))     // resync
	if n := histogramCount(t, kind); n != 1 {
		t.Fatalf("%d observations after a create and a resync, want 1", n)
	}

	// A spec edit waits for a rate-limit window over two passes; Reconciling
	// starts afresh for the new generation.
	obj.Generation = 2
	pass(Waiting(ReasonRateLimited, "429", time.Minute), start.Add(2*time.Hour))
	rec := meta.FindStatusCondition(conditions, reconciling)
	if rec == nil || !rec.LastTransitionTime.Time.Equal(start.Add(2*time.Hour)) || rec.ObservedGeneration != 2 {
		t.Fatalf("Reconciling = %+v", rec)
	}
	pass(Transient(ReasonOktaUnavailable, errors.New("503")), start.Add(2*time.Hour+30*time.Second))
	// Another edit while still waiting: the wait of generation 3 starts now.
	obj.Generation = 3
	pass(Waiting(ReasonOktaBusy, "423", BusyRecheck), start.Add(2*time.Hour+40*time.Second))
	rec = meta.FindStatusCondition(conditions, reconciling)
	if rec == nil || !rec.LastTransitionTime.Time.Equal(start.Add(2*time.Hour+40*time.Second)) {
		t.Fatalf("Reconciling of generation 3 = %+v", rec)
	}
	before := append([]metav1.Condition(nil), conditions...)
	if d, ok := TimeToReady(before, Synced("ok"), 3, obj.CreationTimestamp.Time, time.Time{}, start.Add(2*time.Hour+100*time.Second)); !ok || d != time.Minute {
		t.Errorf("generation 3 waited %v (%v), want 1m", d, ok)
	}
	pass(Synced("ok"), start.Add(2*time.Hour+100*time.Second))
	if n := histogramCount(t, kind); n != 2 {
		t.Errorf("%d observations, want 2", n)
	}
	if meta.FindStatusCondition(conditions, reconciling) != nil {
		t.Error("Reconciling left on a Ready object")
	}
	r := meta.FindStatusCondition(conditions, ready)
	if r == nil || r.Status != metav1.ConditionTrue || !r.LastTransitionTime.Time.Equal(start.Add(2*time.Hour+100*time.Second)) {
		t.Errorf("Ready = %+v", r)
	}
}

func TestReadyAt(t *testing.T) {
	conditions := []metav1.Condition{cond(ready, metav1.ConditionTrue, 2, time.Now())}
	if !ReadyAt(conditions, 2) || ReadyAt(conditions, 3) || ReadyAt(nil, 1) {
		t.Error("ReadyAt")
	}
}
