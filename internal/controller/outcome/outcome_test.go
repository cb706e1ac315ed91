package outcome

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/handler"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
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
			apply(&status.Conditions, Stall("Old", "old"), 1, metav1.Time{})
			apply(&status.Conditions, Outcome{Reason: "Old"}, 1, metav1.Time{})
			apply(&status.Conditions, tt.out, 7, metav1.Time{})

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
	locked := &okta.APIError{Class: okta.ClassLocked, StatusCode: 423, ErrorCode: okta.CodePolicyLocked, ErrorSummary: "Policy lock exception"}
	if o := Failed("update the rule", locked, now); o.Reason != ReasonOktaBusy || o.RequeueAfter != BusyRecheck || o.Err != nil ||
		o.Stalled || o.Ready || !contains(o.Message, "update the rule") {
		t.Errorf("423: %+v", o)
	}
	if res, err := Failed("update the rule", locked, now).Result(time.Hour); err != nil || res.RequeueAfter != BusyRecheck {
		t.Errorf("423 result: %+v, %v", res, err)
	}
}

func TestForbiddenSaysWhetherAScopeOrTheAdminRoleIsMissing(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	noScope := &okta.APIError{Class: okta.ClassForbidden, StatusCode: 403, ErrorCode: "E0000006", MissingScope: "okta.devicePostureChecks.manage"}
	noRole := &okta.APIError{Class: okta.ClassForbidden, StatusCode: 403, ErrorCode: "E0000006", Path: "/api/v1/device-posture-checks"}
	if o := Failed("create the posture check", noScope, now); o.Reason != ReasonMissingScope || o.RequeueAfter != AccessDeniedRecheck ||
		o.Stalled || !contains(o.Message, "lacks the OAuth scope okta.devicePostureChecks.manage") {
		t.Errorf("403 insufficient_scope: %+v", o)
	}
	if o := Failed("create the posture check", noRole, now); o.Reason != ReasonAccessDenied || o.RequeueAfter != AccessDeniedRecheck ||
		!contains(o.Message, "the admin role of the org's credentials") || !contains(o.Message, "create the posture check") {
		t.Errorf("403 E0000006: %+v", o)
	}
}

func TestAnOrgWithoutTheKindsScopeIsWaitedFor(t *testing.T) {
	msg := "ClusterOktaOrg default was not granted okta.devicePostureChecks.manage, which DevicePostureCheck needs: grant it"
	o := OrgNotReady(fmt.Errorf("resolve: %w", &orgclient.NotReadyError{Kind: "ClusterOktaOrg", Name: "default",
		Reason: orgclient.ReasonMissingScope, Message: msg}))
	if o.Reason != ReasonMissingScope || o.Message != msg || o.Stalled || o.RequeueAfter != AccessDeniedRecheck {
		t.Errorf("MissingScope: %+v", o)
	}
	o = OrgNotReady(&orgclient.NotReadyError{Kind: "ClusterOktaOrg", Name: "default", Reason: orgclient.ReasonOrgNotReady, Message: "x"})
	if o.Reason != ReasonOrgNotReady || o.RequeueAfter != OrgRecheck {
		t.Errorf("OrgNotReady: %+v", o)
	}
}

func TestCapacityRefusals(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	refusal := func(p orgclient.Urgency) error {
		return fmt.Errorf("read the policy: %w", &orgclient.CapacityError{Bucket: okta.BucketDeviceAssurances, Percent: 50,
			Limit: 100, Remaining: 55, Reset: now.Add(20 * time.Second), Urgency: p})
	}
	// A high-urgency pass waits, not Ready, like a 429.
	if o := Failed("read", refusal(orgclient.UrgencyHigh), now); o.Deferred || o.Reason != ReasonRateLimited || o.RequeueAfter != 21*time.Second {
		t.Errorf("high: %+v", o)
	}
	// A resync put off keeps the object's conditions.
	o := Failed("read", refusal(orgclient.UrgencyLow), now)
	if !o.Deferred || o.Ready || o.Err != nil || o.RequeueAfter != 21*time.Second {
		t.Fatalf("low: %+v", o)
	}
	var conditions []metav1.Condition
	apply(&conditions, Synced("matches"), 3, metav1.Time{})
	before := append([]metav1.Condition(nil), conditions...)
	apply(&conditions, o, 3, metav1.Time{})
	ApplyFor("Deferred", &metav1.ObjectMeta{Generation: 3}, &conditions, o, now, now)
	if len(conditions) != 1 || conditions[0] != before[0] {
		t.Errorf("a deferred resync changed the conditions: %+v", conditions)
	}
	if res, err := o.Result(time.Hour); err != nil || res.RequeueAfter != 21*time.Second {
		t.Errorf("deferred result: %+v, %v", res, err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// A Ready object's resync goes after new objects and changes in the
// controllers' priority queue; a failing or waiting object keeps the
// priority it was queued with.
func TestOnlyAResyncIsLowPriority(t *testing.T) {
	res, err := Synced("matches the spec").Result(time.Hour)
	if err != nil || res.RequeueAfter != time.Hour || res.Priority == nil || *res.Priority != handler.LowPriority {
		t.Errorf("Synced: %+v, %v; want a resync at low priority", res, err)
	}
	for name, o := range map[string]Outcome{
		"waiting":   Waiting(ReasonProgressing, "a dependency", time.Minute),
		"transient": Transient(ReasonProgressing, errors.New("boom")),
	} {
		if res, _ := o.Result(time.Hour); res.Priority != nil {
			t.Errorf("%s: priority %d, want the one it was queued with", name, *res.Priority)
		}
	}
}
