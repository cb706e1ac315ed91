package lifecycle

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

func TestPassUrgencyPutsResyncLast(t *testing.T) {
	t0 := metav1.NewTime(time.Unix(1700000000, 0))
	later := metav1.NewTime(t0.Add(time.Minute))
	ready := func(gen int64) []metav1.Condition {
		return []metav1.Condition{{Type: assurancev1alpha1.ConditionReady, Status: metav1.ConditionTrue, ObservedGeneration: gen}}
	}
	deleting := metav1.NewTime(t0.Time)
	cases := []struct {
		name     string
		gen      int64
		deletion *metav1.Time
		state    *assurancev1alpha1.ManagedStatus
		want     orgclient.Urgency
	}{
		{"resync of a Ready object", 2, nil, &assurancev1alpha1.ManagedStatus{Conditions: ready(2), ObservedGeneration: 2, LastSyncTime: &t0}, orgclient.UrgencyLow},
		{"a new object", 1, nil, &assurancev1alpha1.ManagedStatus{}, orgclient.UrgencyHigh},
		{"a changed spec", 3, nil, &assurancev1alpha1.ManagedStatus{Conditions: ready(2), ObservedGeneration: 2, LastSyncTime: &t0}, orgclient.UrgencyHigh},
		{"Ready for an older generation", 3, nil, &assurancev1alpha1.ManagedStatus{Conditions: ready(2), ObservedGeneration: 3, LastSyncTime: &t0}, orgclient.UrgencyHigh},
		{"a failing object", 2, nil, &assurancev1alpha1.ManagedStatus{Conditions: []metav1.Condition{{Type: assurancev1alpha1.ConditionReady,
			Status: metav1.ConditionFalse, ObservedGeneration: 2}}, ObservedGeneration: 2}, orgclient.UrgencyHigh},
		{"an object being deleted", 2, &deleting, &assurancev1alpha1.ManagedStatus{Conditions: ready(2), ObservedGeneration: 2, LastSyncTime: &t0}, orgclient.UrgencyHigh},
		{"changed out of band since the last sync", 2, nil, &assurancev1alpha1.ManagedStatus{Conditions: ready(2), ObservedGeneration: 2, LastSyncTime: &t0,
			LastOutOfBandChange: &assurancev1alpha1.OutOfBandChange{EventType: "x", Time: later}}, orgclient.UrgencyHigh},
		{"an out-of-band change already corrected", 2, nil, &assurancev1alpha1.ManagedStatus{Conditions: ready(2), ObservedGeneration: 2, LastSyncTime: &later,
			LastOutOfBandChange: &assurancev1alpha1.OutOfBandChange{EventType: "x", Time: t0}}, orgclient.UrgencyLow},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obj := &assurancev1alpha1.DeviceAssurancePolicy{ObjectMeta: metav1.ObjectMeta{Generation: tc.gen, DeletionTimestamp: tc.deletion}}
			if got := PassUrgency(obj, tc.state); got != tc.want {
				t.Fatalf("PassUrgency = %s, want %s", got, tc.want)
			}
		})
	}
}
