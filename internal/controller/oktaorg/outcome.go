package oktaorg

import (
	"errors"
	"fmt"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// Ready and progress reasons; the failure reasons are those of
// orgclient.ConfigError plus the ones below.
const (
	ReasonConnected            = "Connected"
	ReasonUnauthorized         = "Unauthorized"
	ReasonForbidden            = "Forbidden"
	ReasonFeatureNotEnabled    = "FeatureNotEnabled"
	ReasonRateLimited          = "RateLimited"
	ReasonUnreachable          = "Unreachable"
	ReasonUnexpectedResponse   = "UnexpectedResponse"
	ReasonCheckFailed          = "CheckFailed"
	ReasonProgressingWithRetry = "ProgressingWithRetry"
)

// rateLimitWindow is Okta's rate-limit window, the wait after a 429 that
// carried no reset time.
const rateLimitWindow = time.Minute

// action is what the result of a check asks the controller to do next. Every
// error is mapped to exactly one action, here and nowhere else.
type action int

const (
	// actionRecheck: Ready; check again after the check interval.
	actionRecheck action = iota
	// actionStall: Stalled until the spec or the Secret changes, which the
	// watches notice; no requeue. Only a ClusterOktaOrg's Secret is
	// watched: see actionStallSecretRecheck.
	actionStall
	// actionStallRecheck: Stalled on something only an Okta admin can fix
	// (a missing scope or feature), which no watch sees; check again after
	// the check interval.
	actionStallRecheck
	// actionStallSecretRecheck: Stalled on an OktaOrg's Secret (missing,
	// not readable by the operator, no such key, not a key), which is not
	// watched; check again after the Secret recheck interval.
	actionStallSecretRecheck
	// actionRetryAt: Reconciling; try again at a known time (429 reset).
	actionRetryAt
	// actionBackoff: Reconciling; try again with the controller's backoff.
	actionBackoff
)

// outcome is the classified result of one check.
type outcome struct {
	action action
	// reason and message go into the Ready (and Stalled) condition.
	reason, message string
	// retryAfter is the wait for actionRetryAt.
	retryAfter time.Duration
	// err is returned to controller-runtime for actionBackoff.
	err error
}

func (o outcome) ready() bool { return o.action == actionRecheck }
func (o outcome) stalled() bool {
	return o.action == actionStall || o.action == actionStallRecheck || o.action == actionStallSecretRecheck
}
func (o outcome) reconciling() bool { return o.action == actionRetryAt || o.action == actionBackoff }

// classify maps the error of a check (nil: success) to an outcome. Okta's
// errors carry no credential, and the messages here only add the Secret's
// name and key.
func classify(err error, org orgclient.Org, now time.Time) outcome {
	if err == nil {
		return outcome{action: actionRecheck, reason: ReasonConnected, message: "an authenticated call to " + org.Spec.URL + " succeeded"}
	}
	if ce, ok := orgclient.AsConfigError(err); ok {
		if org.Kind == v1alpha1.OrgKindOktaOrg && orgclient.IsSecretReason(ce.Reason) {
			// The operator neither watches tenant namespaces nor sees a
			// RoleBinding appear: look at the Secret again now and then.
			return outcome{action: actionStallSecretRecheck, reason: ce.Reason, message: ce.Message}
		}
		return outcome{action: actionStall, reason: ce.Reason, message: ce.Message}
	}
	if scope := okta.MissingScope(err); scope != "" && org.Spec.OAuth != nil {
		return missingScopeOutcome(org, scope, err)
	}
	switch okta.Class(err) {
	case okta.ClassUnauthorized:
		// A change of a ClusterOktaOrg's Secret is watched (an OktaOrg's
		// is not), but an admin may also fix this in
		// Okta (re-activate a token unused for 30 days, re-enable the
		// service app), which no watch sees: look again now and then.
		return outcome{action: actionStallRecheck, reason: ReasonUnauthorized,
			message: fmt.Sprintf("the org rejected the credentials in %s: %v", secretDescription(org), err)}
	case okta.ClassForbidden:
		if okta.IsAdminRoleDenied(err) {
			return outcome{action: actionStallRecheck, reason: ReasonForbidden,
				message: fmt.Sprintf("%s lacks the permission to list device assurance policies: %s: %v", roleHolder(org), roleFix(org), err)}
		}
		return outcome{action: actionStallRecheck, reason: ReasonForbidden,
			message: fmt.Sprintf("the credentials in %s lack a role or scope: %v", secretDescription(org), err)}
	case okta.ClassFeatureNotEnabled:
		return outcome{action: actionStallRecheck, reason: ReasonFeatureNotEnabled, message: err.Error()}
	case okta.ClassNotFound, okta.ClassInvalid, okta.ClassConflict:
		// A 4xx on a plain list call: spec.url is probably not an Okta org.
		return outcome{action: actionStallRecheck, reason: ReasonUnexpectedResponse,
			message: fmt.Sprintf("is %s an Okta org? %v", org.Spec.URL, err)}
	case okta.ClassRateLimited:
		return outcome{action: actionRetryAt, reason: ReasonRateLimited, message: err.Error(), retryAfter: untilReset(err, now)}
	case okta.ClassTransient:
		return outcome{action: actionBackoff, reason: ReasonUnreachable, message: transportMessage(err, org.Spec.URL), err: err}
	default:
		return outcome{action: actionBackoff, reason: ReasonCheckFailed, message: transportMessage(err, org.Spec.URL), err: err}
	}
}

// untilReset is the wait until the rate-limit window of a 429 resets.
func untilReset(err error, now time.Time) time.Duration {
	var rl *okta.RateLimitError
	if !errors.As(err, &rl) || rl.Reset.IsZero() {
		return rateLimitWindow
	}
	return max(rl.Reset.Sub(now), time.Second)
}

func secretDescription(org orgclient.Org) string {
	ref, _ := orgclient.SecretRef(org.Spec)
	return fmt.Sprintf("Secret %s/%s key %q", org.SecretNamespace, ref.Name, ref.Key)
}
