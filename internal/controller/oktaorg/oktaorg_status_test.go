package oktaorg

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

var (
	t0 = metav1.NewTime(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC))
	t1 = metav1.NewTime(t0.Add(5 * time.Minute))
)

func cond(condType string, status metav1.ConditionStatus, reason, message string, gen int64, at metav1.Time) metav1.Condition {
	return metav1.Condition{Type: condType, Status: status, Reason: reason, Message: message, ObservedGeneration: gen, LastTransitionTime: at}
}

func TestComputeStatus(t *testing.T) {
	ok := outcome{action: actionRecheck, reason: ReasonConnected, message: "ok"}
	noSecret := outcome{action: actionStall, reason: "SecretNotFound", message: "Secret a/b not found"}
	forbidden := outcome{action: actionStallRecheck, reason: ReasonForbidden, message: "E0000006"}
	down := outcome{action: actionBackoff, reason: ReasonUnreachable, message: "refused"}
	limited := outcome{action: actionRetryAt, reason: ReasonRateLimited, message: "429"}
	reset := metav1.NewTime(time.Unix(1_800_000_000, 0).UTC())
	readyStatus := v1alpha1.OktaOrgStatus{
		ObservedGeneration: 1,
		Conditions:         []metav1.Condition{cond("Ready", "True", ReasonConnected, "ok", 1, t0)},
		GrantedScopes:      []v1alpha1.OAuthScope{"okta.logs.read"},
		Capabilities:       []v1alpha1.OrgCapability{{Name: v1alpha1.CapabilityDriftDetection, Available: true}},
		RateLimits:         []v1alpha1.RateLimitStatus{{Bucket: "logs", Limit: 60, Remaining: 59}},
	}
	tests := []struct {
		name string
		prev v1alpha1.OktaOrgStatus
		in   statusInput
		want v1alpha1.OktaOrgStatus
	}{
		{
			name: "first pass, ready, with rate limits and scopes",
			in: statusInput{generation: 1, outcome: ok, now: t0, scopes: []string{"okta.policies.manage", "okta.logs.read"},
				rateLimits: map[okta.Bucket]okta.RateLimit{okta.BucketDeviceAssurances: {Limit: 100, Remaining: 99, Reset: reset.Time}}},
			want: v1alpha1.OktaOrgStatus{
				ObservedGeneration: 1,
				Conditions:         []metav1.Condition{cond("Ready", "True", ReasonConnected, "ok", 1, t0)},
				GrantedScopes:      []v1alpha1.OAuthScope{"okta.logs.read", "okta.policies.manage"},
				RateLimits:         []v1alpha1.RateLimitStatus{{Bucket: "device-assurances", Limit: 100, Remaining: 99, Reset: &reset}},
			},
		},
		{
			name: "first pass, missing Secret: Ready False and Stalled, no Reconciling",
			in:   statusInput{generation: 1, outcome: noSecret, now: t0},
			want: v1alpha1.OktaOrgStatus{ObservedGeneration: 1, Conditions: []metav1.Condition{
				cond("Ready", "False", "SecretNotFound", "Secret a/b not found", 1, t0),
				cond("Stalled", "True", "SecretNotFound", "Secret a/b not found", 1, t0),
			}},
		},
		{
			name: "ready again: Stalled removed, rate limits merged",
			prev: v1alpha1.OktaOrgStatus{ObservedGeneration: 1, Conditions: []metav1.Condition{
				cond("Ready", "False", "SecretNotFound", "gone", 1, t0), cond("Stalled", "True", "SecretNotFound", "gone", 1, t0),
			}, RateLimits: []v1alpha1.RateLimitStatus{{Bucket: "logs", Limit: 60, Remaining: 1}}},
			in: statusInput{generation: 2, outcome: ok, now: t1,
				rateLimits: map[okta.Bucket]okta.RateLimit{okta.BucketDeviceAssurances: {Limit: 100, Remaining: 98}}},
			want: v1alpha1.OktaOrgStatus{ObservedGeneration: 2,
				Conditions: []metav1.Condition{cond("Ready", "True", ReasonConnected, "ok", 2, t1)},
				RateLimits: []v1alpha1.RateLimitStatus{{Bucket: "device-assurances", Limit: 100, Remaining: 98}, {Bucket: "logs", Limit: 60, Remaining: 1}}},
		},
		{
			name: "still ready: lastTransitionTime kept",
			prev: readyStatus,
			in: statusInput{generation: 1, outcome: ok, now: t1, scopes: []string{"okta.logs.read"},
				capabilities: readyStatus.Capabilities},
			want: readyStatus,
		},
		{
			name: "unreachable: Reconciling while retrying, scopes and capabilities kept",
			prev: readyStatus,
			in:   statusInput{generation: 1, outcome: down, now: t1},
			want: v1alpha1.OktaOrgStatus{ObservedGeneration: 1, Conditions: []metav1.Condition{
				cond("Ready", "False", ReasonUnreachable, "refused", 1, t1),
				cond("Reconciling", "True", ReasonProgressingWithRetry, "refused", 1, t1),
			}, GrantedScopes: readyStatus.GrantedScopes, Capabilities: readyStatus.Capabilities, RateLimits: readyStatus.RateLimits},
		},
		{
			name: "rate limited: Reconciling",
			in:   statusInput{generation: 1, outcome: limited, now: t0},
			want: v1alpha1.OktaOrgStatus{ObservedGeneration: 1, Conditions: []metav1.Condition{
				cond("Ready", "False", ReasonRateLimited, "429", 1, t0),
				cond("Reconciling", "True", ReasonProgressingWithRetry, "429", 1, t0),
			}},
		},
		{
			name: "forbidden after unreachable: Reconciling removed, Stalled, scopes and capabilities dropped",
			prev: v1alpha1.OktaOrgStatus{ObservedGeneration: 1, Conditions: []metav1.Condition{
				cond("Ready", "False", ReasonUnreachable, "refused", 1, t0),
				cond("Reconciling", "True", ReasonProgressingWithRetry, "refused", 1, t0),
			}, GrantedScopes: []v1alpha1.OAuthScope{"okta.logs.read"}, Capabilities: readyStatus.Capabilities},
			in: statusInput{generation: 1, outcome: forbidden, now: t1},
			want: v1alpha1.OktaOrgStatus{ObservedGeneration: 1, Conditions: []metav1.Condition{
				cond("Ready", "False", ReasonForbidden, "E0000006", 1, t0),
				cond("Stalled", "True", ReasonForbidden, "E0000006", 1, t1),
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := computeStatus(tt.prev, tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("computeStatus (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMergeRateLimitsClampsAndCaps(t *testing.T) {
	latest := map[okta.Bucket]okta.RateLimit{}
	for i := range 20 {
		latest[okta.Bucket(string(rune('a'+i)))] = okta.RateLimit{Limit: 1 << 40, Remaining: -1}
	}
	got := mergeRateLimits(nil, latest)
	if len(got) != maxRateLimits {
		t.Fatalf("len = %d, want %d", len(got), maxRateLimits)
	}
	if got[0].Bucket != "a" || got[0].Limit != 1<<31-1 || got[0].Remaining != 0 {
		t.Errorf("got[0] = %+v", got[0])
	}
}

func TestTransition(t *testing.T) {
	ready := []metav1.Condition{cond("Ready", "True", ReasonConnected, "ok", 1, t0)}
	noSecret := []metav1.Condition{cond("Ready", "False", "SecretNotFound", "Secret a/b not found", 1, t0)}
	unauthorized := []metav1.Condition{cond("Ready", "False", ReasonUnauthorized, "401", 1, t0)}
	tests := []struct {
		name       string
		prev, next []metav1.Condition
		want       *readyTransition
	}{
		{"first pass ready", nil, ready, &readyTransition{corev1.EventTypeNormal, ReasonConnected, "ok"}},
		{"first pass failing", nil, noSecret, &readyTransition{corev1.EventTypeWarning, "SecretNotFound", "Secret a/b not found"}},
		{"still ready", ready, ready, nil},
		{"still failing for the same reason", noSecret, noSecret, nil},
		{"failing for another reason", noSecret, unauthorized, &readyTransition{corev1.EventTypeWarning, ReasonUnauthorized, "401"}},
		{"recovered", unauthorized, ready, &readyTransition{corev1.EventTypeNormal, ReasonConnected, "ok"}},
		{"lost", ready, unauthorized, &readyTransition{corev1.EventTypeWarning, ReasonUnauthorized, "401"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := transition(tt.prev, tt.next)
			if ok != (tt.want != nil) || (ok && got != *tt.want) {
				t.Errorf("transition = %+v, %v; want %+v", got, ok, tt.want)
			}
		})
	}
}

func TestGrantedScopesKeepOnlyWhatTheCRDHolds(t *testing.T) {
	got := grantedScopes([]string{"okta.policies.manage", "openid", "okta.logs.read", "okta.policies.manage", "okta.x"})
	if diff := cmp.Diff([]v1alpha1.OAuthScope{"okta.logs.read", "okta.policies.manage"}, got); diff != "" {
		t.Errorf("grantedScopes (-want +got):\n%s", diff)
	}
	many := make([]string, 0, 100)
	for i := range 100 {
		many = append(many, fmt.Sprintf("okta.scope%c%c.read", 'a'+i/26, 'a'+i%26))
	}
	if got := grantedScopes(many); len(got) != maxGrantedScopes {
		t.Errorf("%d scopes kept, want the CRD's %d", len(got), maxGrantedScopes)
	}
}
