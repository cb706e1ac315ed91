// Package outcome is how the controllers turn the result of a reconcile pass
// into kstatus conditions and a requeue: every error is classified once,
// here, into terminal (Stalled, no requeue), waiting (requeue after a known
// time) or transient (controller-runtime's backoff).
package outcome

import (
	"errors"
	"fmt"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/handler"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// Reasons of the Ready condition shared by the controllers.
const (
	ReasonSynced          = "Synced"
	ReasonOrgNotReady     = "OrgNotReady"
	ReasonOktaRejected    = "OktaRejected"
	ReasonRateLimited     = "RateLimited"
	ReasonAccessDenied    = "AccessDenied"
	ReasonOktaUnavailable = "OktaUnavailable"
	ReasonInUse           = "InUse"
	ReasonInvalidSpec     = "InvalidSpec"
	ReasonProgressing     = "Progressing"
	ReasonSuspended       = "Suspended"
	// ReasonOktaBusy: Okta answered 423 Locked (E0000239, policy
	// priorities being reconciled) even after the client's own retries.
	ReasonOktaBusy = "OktaBusy"
	// ReasonMissingScope: the org's access token lacks the OAuth scope the
	// object's kind needs; an Okta admin grants it, and the org's next
	// check wakes the object.
	ReasonMissingScope = orgclient.ReasonMissingScope
)

const (
	// AccessDeniedRecheck is how often a pass blocked by missing
	// permissions or features looks again: a person must fix the org, which
	// no watch sees.
	AccessDeniedRecheck = 5 * time.Minute
	// OrgRecheck is how soon an object waiting for its org looks again; a
	// change of the org object wakes it sooner.
	OrgRecheck = 10 * time.Second
	// BusyRecheck is how soon a pass that found Okta reconciling policy
	// priorities (423) tries again: Okta finishes within seconds.
	BusyRecheck       = 5 * time.Second
	minRateLimitDelay = time.Second
)

// Outcome is what one reconcile pass found; the status and the requeue are
// computed from it.
type Outcome struct {
	// Ready is true when the org matches the spec.
	Ready bool
	// Reason and Message describe the Ready condition.
	Reason, Message string
	// Stalled is true when only a change of the spec (or of the org, by a
	// person) can help: no requeue.
	Stalled bool
	// RequeueAfter is set when the wait has a known length.
	RequeueAfter time.Duration
	// Err is a transient error: controller-runtime retries with backoff.
	Err error
	// Suspended is true when spec.suspend stops every Okta call: nothing is
	// retried until the spec changes.
	Suspended bool
	// Deferred is true when the org's budget put off a low-urgency pass
	// (the resync of an object Ready at its generation, see
	// lifecycle.PassUrgency): the conditions stay as they are (Apply
	// leaves them) and the pass comes back at RequeueAfter, the reset.
	Deferred bool
}

// Suspend is the outcome of an object whose spec.suspend is true.
func Suspend() Outcome {
	return Outcome{Reason: ReasonSuspended, Suspended: true,
		Message: "spec.suspend is true: the controller makes no Okta call for this object until it is false"}
}

// Synced is a Ready outcome.
func Synced(message string) Outcome {
	return Outcome{Ready: true, Reason: ReasonSynced, Message: message}
}

// Waiting is a not-Ready outcome that looks again after a known time.
func Waiting(reason, message string, after time.Duration) Outcome {
	return Outcome{Reason: reason, Message: message, RequeueAfter: after}
}

// Stall is a terminal outcome: no requeue until the object changes.
func Stall(reason, message string) Outcome {
	return Outcome{Reason: reason, Message: message, Stalled: true}
}

// Transient is an outcome retried with controller-runtime's backoff.
func Transient(reason string, err error) Outcome {
	return Outcome{Reason: reason, Message: err.Error(), Err: err}
}

// OrgNotReady waits for the object's org; an org that lacks the OAuth
// scope of the object's kind is waited for as for a missing permission,
// under its own reason and the org's message, which names the scope.
func OrgNotReady(err error) Outcome {
	if nr, ok := errors.AsType[*orgclient.NotReadyError](err); ok && nr.Reason == orgclient.ReasonMissingScope {
		return Waiting(ReasonMissingScope, nr.Message, AccessDeniedRecheck)
	}
	return Waiting(ReasonOrgNotReady, err.Error(), OrgRecheck)
}

// Failed classifies the error of an Okta call made to do action.
func Failed(action string, err error, now time.Time) Outcome {
	message := fmt.Sprintf("%s: %v", action, err)
	switch okta.Class(err) {
	case okta.ClassInvalid:
		// Okta's 400 lists every cause; retrying the same body cannot help.
		return Stall(ReasonOktaRejected, message)
	case okta.ClassRateLimited:
		if ce, ok := errors.AsType[*orgclient.CapacityError](err); ok && ce.Urgency == orgclient.UrgencyLow {
			// Nothing is known to have changed since the object was last
			// found Ready: it stays Ready until its resync can be afforded.
			return Outcome{Reason: ReasonRateLimited, Message: message, RequeueAfter: untilReset(err, now), Deferred: true}
		}
		return Waiting(ReasonRateLimited, message, untilReset(err, now))
	case okta.ClassLocked:
		// Not a failure of Okta: it is busy with another write to the same
		// policy. No backoff growing with each pass.
		return Waiting(ReasonOktaBusy, message, BusyRecheck)
	case okta.ClassForbidden:
		return forbidden(action, message, err)
	case okta.ClassUnauthorized, okta.ClassFeatureNotEnabled:
		return Waiting(ReasonAccessDenied, message, AccessDeniedRecheck)
	default:
		return Outcome{Reason: ReasonOktaUnavailable, Message: message, Err: err}
	}
}

// forbidden tells a 403 for lack of an OAuth scope from one for lack of an
// admin role permission (E0000006 without a scope challenge).
func forbidden(action, message string, err error) Outcome {
	switch {
	case okta.MissingScope(err) != "":
		return Waiting(ReasonMissingScope, fmt.Sprintf("%s: the org's access token lacks the OAuth scope %s; grant it to the service app "+
			"(Okta Admin Console > Applications > Applications > the app > Okta API Scopes) and check the org's status.capabilities: %v",
			action, okta.MissingScope(err), err), AccessDeniedRecheck)
	case okta.IsAdminRoleDenied(err):
		return Waiting(ReasonAccessDenied, fmt.Sprintf("%s: the admin role of the org's credentials (the service app's role, or the "+
			"API token's admin's) lacks the permission for this operation; assign one that allows it: %v", action, err), AccessDeniedRecheck)
	default:
		return Waiting(ReasonAccessDenied, message, AccessDeniedRecheck)
	}
}

func untilReset(err error, now time.Time) time.Duration {
	var rl *okta.RateLimitError
	if errors.As(err, &rl) && rl.Reset.After(now) {
		return rl.Reset.Sub(now) + minRateLimitDelay
	}
	return minRateLimitDelay
}

// Result is what Reconcile returns; a Ready object comes back after resync.
func (o Outcome) Result(resync time.Duration) (ctrl.Result, error) {
	switch {
	case o.Err != nil:
		return ctrl.Result{}, o.Err
	case o.Stalled, o.Suspended:
		return ctrl.Result{}, nil
	case o.RequeueAfter > 0:
		return ctrl.Result{RequeueAfter: o.RequeueAfter}, nil
	case o.Ready:
		// A resync of an object that is Ready goes after new objects and
		// changes: with thousands of objects, their resyncs must not hold
		// back the one object a user just applied.
		return ctrl.Result{RequeueAfter: resync, Priority: new(handler.LowPriority)}, nil
	default:
		return ctrl.Result{RequeueAfter: time.Second}, nil
	}
}
