package managed

import (
	"context"
	"errors"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// CreateOnce sends a create at most once per recorded intent: it writes
// status.pendingCreate (the name the Okta object is created with) before
// create is called, so that a pass interrupted after the create reached
// Okta finds the record and looks for what it made instead of creating a
// second object. The record is cleared when the create succeeds or Okta
// refused it (nothing was created); after any other error it stays, and
// the next pass looks before it creates.
//
// An error writing the intent is returned as is, and create is not called.
func CreateOnce[T Object, R any](ctx context.Context, p *Pass[T], name string, create func(context.Context) (R, error)) (R, error) {
	status := p.Obj.GetManagedStatus()
	previous := status.PendingCreate
	status.PendingCreate = &assurancev1alpha1.PendingCreate{Name: name, RequestedAt: metav1.NewTime(p.now())}
	if err := p.status.Patch(ctx, p.Obj); err != nil {
		status.PendingCreate = previous
		var zero R
		return zero, &IntentError{Err: err}
	}
	created, err := create(ctx)
	if err == nil || nothingCreated(err) {
		status.PendingCreate = nil
	}
	return created, err
}

// IntentError is the failure to record a create's intent: nothing was sent
// to Okta.
type IntentError struct{ Err error }

func (e *IntentError) Error() string { return fmt.Sprintf("record the create: %v", e.Err) }

func (e *IntentError) Unwrap() error { return e.Err }

// nothingCreated tells whether Okta refused a create outright.
func nothingCreated(err error) bool {
	switch okta.Class(err) {
	case okta.ClassInvalid, okta.ClassRateLimited:
		return true
	default:
		return false
	}
}

// Create is CreateOnce with its failures classified: ok is false, with the
// outcome of the pass, when the intent could not be recorded (retried) or
// the create failed (a Warning event, and outcome.Failed for action, e.g.
// "create the policy").
func Create[T Object, R any](ctx context.Context, p *Pass[T], name string, create func(context.Context) (R, error)) (R, outcome.Outcome, bool) {
	created, err := CreateOnce(ctx, p, name, create)
	if intent, ok := errors.AsType[*IntentError](err); ok {
		return created, outcome.Transient(outcome.ReasonProgressing, intent), false
	}
	if err != nil {
		p.Warn("CreateFailed", "Create", err)
		return created, p.Failed("create the "+p.noun(), err), false
	}
	return created, outcome.Outcome{}, true
}
