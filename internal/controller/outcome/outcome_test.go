package outcome

import (
	"errors"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

func TestApplyOutcomeFollowsKstatus(t *testing.T) {
	tests := []struct {
		name                         string
		out                          Outcome
		ready                        metav1.ConditionStatus
		wantReconciling, wantStalled bool
	}{
		{"synced", Synced("ok"), metav1.ConditionTrue, false, false},
		{"waiting for the org", Waiting(ReasonOrgNotReady, "org", time.Second), metav1.ConditionFalse, true, false},
		{"transient", Transient(ReasonOktaUnavailable, errors.New("x")), metav1.ConditionFalse, true, false},
		{"stalled", Stall(ReasonOktaRejected, "400"), metav1.ConditionFalse, false, true},
		{"suspended", Suspend(), metav1.ConditionFalse, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status := &assurancev1alpha1.DeviceAssurancePolicyStatus{}
			// Start from the opposite state, to see conditions removed too.
			Apply(&status.Conditions, Stall("Old", "old"), 1)
			Apply(&status.Conditions, Outcome{Reason: "Old"}, 1)
			Apply(&status.Conditions, tt.out, 7)

			ready := meta.FindStatusCondition(status.Conditions, assurancev1alpha1.ConditionReady)
			if ready == nil || ready.Status != tt.ready || ready.Reason != tt.out.Reason || ready.ObservedGeneration != 7 {
				t.Fatalf("Ready = %+v", ready)
			}
			if got := meta.IsStatusConditionTrue(status.Conditions, assurancev1alpha1.ConditionReconciling); got != tt.wantReconciling {
				t.Errorf("Reconciling = %v", got)
			}
			if got := meta.FindStatusCondition(status.Conditions, assurancev1alpha1.ConditionStalled) != nil; got != tt.wantStalled {
				t.Errorf("Stalled present = %v", got)
			}
		})
	}
}

func TestSuspendedIsNotRequeued(t *testing.T) {
	res, err := Suspend().Result(time.Minute)
	if err != nil || res.RequeueAfter != 0 {
		t.Errorf("Result = %+v, %v; want no requeue", res, err)
	}
}

func TestFailedClassifiesOnce(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	invalid := &okta.APIError{Class: okta.ClassInvalid, StatusCode: 400, ErrorCode: "E0000001", Causes: []string{"Please select at least one device condition before saving"}}
	rateLimited := &okta.RateLimitError{APIError: &okta.APIError{Class: okta.ClassRateLimited, StatusCode: 429}, Reset: now.Add(30 * time.Second)}
	forbidden := &okta.APIError{Class: okta.ClassForbidden, StatusCode: 403, ErrorCode: "E0000006"}
	unavailable := &okta.APIError{Class: okta.ClassTransient, StatusCode: 503}

	if o := Failed("create", invalid, now); !o.Stalled || o.Reason != ReasonOktaRejected || o.Err != nil ||
		!contains(o.Message, "Please select at least one device condition") {
		t.Errorf("400: %+v", o)
	}
	if o := Failed("create", rateLimited, now); o.Stalled || o.Err != nil || o.RequeueAfter != 31*time.Second {
		t.Errorf("429: %+v", o)
	}
	if o := Failed("create", forbidden, now); o.Reason != ReasonAccessDenied || o.RequeueAfter != AccessDeniedRecheck || o.Err != nil {
		t.Errorf("403: %+v", o)
	}
	if o := Failed("create", unavailable, now); o.Err == nil || o.Stalled {
		t.Errorf("503: %+v", o)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
