package oktaorg

import (
	"math"
	"regexp"
	"slices"
	"sort"

	corev1 "k8s.io/api/core/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// The CRD's bounds of the status lists.
const (
	// maxRateLimits is the MaxItems of status.rateLimits.
	maxRateLimits = 16
	// maxGrantedScopes is the MaxItems of status.grantedScopes, and
	// maxScopeLength the MaxLength of an OAuthScope.
	maxGrantedScopes = 64
	maxScopeLength   = 128
)

// statusInput is everything one pass learned; computeStatus turns it into
// the new status. Keeping this pure makes the status table-testable.
type statusInput struct {
	generation int64
	outcome    outcome
	// rateLimits are the client's last figures; nil when no client was built.
	rateLimits map[okta.Bucket]okta.RateLimit
	// scopes are the granted OAuth scopes, known only after a success.
	scopes []string
	// capabilities are what the org can serve, known only after a success.
	capabilities []v1alpha1.OrgCapability
	now          metav1.Time
}

// computeStatus returns the status after a pass, starting from prev.
func computeStatus(prev v1alpha1.OktaOrgStatus, in statusInput) v1alpha1.OktaOrgStatus {
	next := *prev.DeepCopy()
	next.ObservedGeneration = in.generation
	next.Conditions = computeConditions(next.Conditions, in)
	next.GrantedScopes = whileReady(next.GrantedScopes, in, grantedScopes(in.scopes))
	next.Capabilities = whileReady(next.Capabilities, in, in.capabilities)
	next.RateLimits = mergeRateLimits(next.RateLimits, in.rateLimits)
	return next
}

// computeConditions follows kstatus: Ready always, Reconciling and Stalled
// only while True. SetStatusCondition keeps lastTransitionTime when the
// status does not change.
func computeConditions(conds []metav1.Condition, in statusInput) []metav1.Condition {
	o := in.outcome
	set := func(condType string, status metav1.ConditionStatus, reason, message string) {
		apimeta.SetStatusCondition(&conds, metav1.Condition{
			Type: condType, Status: status, Reason: reason, Message: message,
			ObservedGeneration: in.generation, LastTransitionTime: in.now,
		})
	}
	setWhile := func(condType string, active bool, reason string) {
		if active {
			set(condType, metav1.ConditionTrue, reason, o.message)
		} else {
			apimeta.RemoveStatusCondition(&conds, condType)
		}
	}
	readyStatus := metav1.ConditionFalse
	if o.ready() {
		readyStatus = metav1.ConditionTrue
	}
	set(v1alpha1.ConditionReady, readyStatus, o.reason, o.message)
	setWhile(v1alpha1.ConditionReconciling, o.reconciling(), ReasonProgressingWithRetry)
	setWhile(v1alpha1.ConditionStalled, o.stalled(), o.reason)
	return conds
}

// whileReady is what a pass learned of the org's grants (known) after a
// success; it is unknown once the credentials are refused, and unchanged
// while retrying.
func whileReady[T any](prev []T, in statusInput, known []T) []T {
	switch {
	case in.outcome.ready():
		return known
	case in.outcome.stalled():
		return nil
	default:
		return prev
	}
}

// oktaScope is the CRD's pattern of an OAuthScope.
var oktaScope = regexp.MustCompile(`^okta\.[A-Za-z]+\.[A-Za-z]+$`)

// grantedScopes sorts the granted scopes, without duplicates. They come
// from Okta's token response: those the CRD could not hold (another kind
// of scope, more than maxGrantedScopes) are left out, so that the status
// is always written.
func grantedScopes(scopes []string) []v1alpha1.OAuthScope {
	out := make([]v1alpha1.OAuthScope, 0, len(scopes))
	for _, s := range scopes {
		if len(s) <= maxScopeLength && oktaScope.MatchString(s) {
			out = append(out, v1alpha1.OAuthScope(s))
		}
	}
	if len(out) == 0 {
		return nil
	}
	slices.Sort(out)
	out = slices.Compact(out)
	return out[:min(len(out), maxGrantedScopes)]
}

// mergeRateLimits overlays the client's figures on the previous ones, so
// that a bucket not used since a new client was built keeps its last
// figures. Sorted by bucket, at most maxRateLimits.
func mergeRateLimits(prev []v1alpha1.RateLimitStatus, latest map[okta.Bucket]okta.RateLimit) []v1alpha1.RateLimitStatus {
	byBucket := make(map[string]v1alpha1.RateLimitStatus, len(prev)+len(latest))
	for _, rl := range prev {
		byBucket[rl.Bucket] = rl
	}
	for bucket, rl := range latest {
		byBucket[string(bucket)] = rateLimitStatus(bucket, rl)
	}
	if len(byBucket) == 0 {
		return nil
	}
	out := make([]v1alpha1.RateLimitStatus, 0, len(byBucket))
	for _, rl := range byBucket {
		out = append(out, rl)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Bucket < out[j].Bucket })
	if len(out) > maxRateLimits {
		out = out[:maxRateLimits]
	}
	return out
}

func rateLimitStatus(bucket okta.Bucket, rl okta.RateLimit) v1alpha1.RateLimitStatus {
	out := v1alpha1.RateLimitStatus{Bucket: string(bucket), Limit: clampInt32(rl.Limit), Remaining: clampInt32(rl.Remaining)}
	if !rl.Reset.IsZero() {
		reset := metav1.NewTime(rl.Reset.UTC())
		out.Reset = &reset
	}
	return out
}

func clampInt32(n int) int32 {
	return int32(max(min(n, math.MaxInt32), 0))
}

// readyTransition is the event for a change of the Ready condition: its
// status, or its reason while False (e.g. SecretNotFound → Unauthorized).
type readyTransition struct {
	eventType, reason, note string
}

// transition returns the event to record between two condition lists, if any.
func transition(prev, next []metav1.Condition) (readyTransition, bool) {
	before := apimeta.FindStatusCondition(prev, v1alpha1.ConditionReady)
	after := apimeta.FindStatusCondition(next, v1alpha1.ConditionReady)
	if after == nil {
		return readyTransition{}, false
	}
	if before != nil && before.Status == after.Status && before.Reason == after.Reason {
		return readyTransition{}, false
	}
	if after.Status == metav1.ConditionTrue {
		return readyTransition{eventType: corev1.EventTypeNormal, reason: after.Reason, note: after.Message}, true
	}
	return readyTransition{eventType: corev1.EventTypeWarning, reason: after.Reason, note: after.Message}, true
}
