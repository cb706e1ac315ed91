package managed

import (
	"context"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/observemode"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/metrics"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/tenancy"
)

// Pass is one reconcile pass over one object: what a Kind needs to do its
// part and to record it.
type Pass[T Object] struct {
	// Obj is the object, whose status the pass changes in memory; it is
	// written at the end of the pass.
	Obj T
	// API is the org's Okta client (nil while the org is not ready).
	API okta.API
	// Recorder records the pass's events on Obj.
	Recorder events.EventRecorder
	// Rights are what the object's namespace may do in its org.
	Rights tenancy.Rights

	kind    string
	subject string
	status  *StatusPatcher
	owners  owners
	now     func() time.Time
	// release gives back what the pass holds (its namespace's share of
	// the workers) once its status is written.
	release func()
}

// Now is the pass's clock.
func (p *Pass[T]) Now() time.Time { return p.now() }

// Reports tells whether the object is in observe mode (spec.driftPolicy
// Report): the pass never writes to an Okta object that exists.
func (p *Pass[T]) Reports() bool {
	return observemode.Reports(p.Obj.GetManagedSpec().DriftPolicy)
}

// Reporter reports drift of this kind's objects in observe mode.
func (p *Pass[T]) Reporter() observemode.Reporter {
	return observemode.Reporter{Recorder: p.Recorder, Kind: p.kind}
}

// Conditions are the object's conditions, changed in memory.
func (p *Pass[T]) Conditions() *[]metav1.Condition {
	return &p.Obj.GetManagedStatus().Conditions
}

// Synced records that the Okta object was found to match the spec now.
func (p *Pass[T]) Synced(message string) outcome.Outcome {
	now := metav1.NewTime(p.now())
	p.Obj.GetManagedStatus().LastSyncTime = &now
	return outcome.Synced(message)
}

// Failed classifies the error of an Okta call made to do action, e.g.
// "read the policy".
func (p *Pass[T]) Failed(action string, err error) outcome.Outcome {
	return outcome.Failed(action, err, p.now())
}

// Warn records a failed Okta call as a Warning event.
func (p *Pass[T]) Warn(reason, action string, err error) {
	lifecycle.Warn(p.Recorder, p.Obj, reason, action, err)
}

// Event records a Normal event.
func (p *Pass[T]) Event(reason, action, format string, args ...any) {
	p.Recorder.Eventf(p.Obj, nil, "Normal", reason, action, format, args...)
}

// Recovered records that the Okta object id is the one an interrupted
// create of this object made: the create is no longer pending. Its reason
// is not Created: events of one object, reason and action form one series,
// which would hide this note behind the create's.
func (p *Pass[T]) Recovered(id string) {
	p.Event("Recovered", "Create", "Recorded %s %s, created by an interrupted pass", p.subject, id)
	p.Obj.GetManagedStatus().PendingCreate = nil
}

// Created records the Okta object id that the pass's create made, with the
// request's ID, and ends the pass Ready.
func (p *Pass[T]) Created(id, requestID string) outcome.Outcome {
	p.Event("Created", "Create", "Created %s %s%s", p.subject, id, lifecycle.RequestRef(requestID))
	return p.Synced(p.subject + " " + id + " matches the spec")
}

// noun is the Okta object's kind without "Okta", e.g. "policy".
func (p *Pass[T]) noun() string { return strings.TrimPrefix(p.subject, "Okta ") }

// Recreating records that the Okta object id was deleted outside
// Kubernetes and will be created again.
func (p *Pass[T]) Recreating(id string) {
	p.Recorder.Eventf(p.Obj, nil, "Warning", "Recreating", "Create", "%s %s was deleted outside Kubernetes; creating it again", p.subject, id)
}

// Converge is the end of a pass that found the Okta object: under
// spec.driftPolicy Report it reports the differing fields (detail names
// the nested ones) and writes nothing; otherwise it calls write when
// fields differ. Either way the object is Synced with message once the
// Okta object matches, and the write (or the write avoided) is counted.
func (p *Pass[T]) Converge(ctx context.Context, c Change) outcome.Outcome {
	fields := c.Fields
	if p.Reports() {
		if out, drifted := p.Reporter().Observed(p.Obj, p.Conditions(), p.Obj.GetGeneration(), c.Subject, c.detail()); drifted {
			return out
		}
		fields = nil
	}
	if len(fields) == 0 {
		metrics.WritesAvoided.WithLabelValues(p.kind).Inc()
		return p.Synced(c.Subject + " matches the spec")
	}
	requestID, err := c.Write(ctx)
	if err != nil {
		p.Warn("UpdateFailed", "Update", err)
		return p.Failed("update the "+c.Noun, err)
	}
	p.Event("Updated", "Update", "Updated %s in %s%s", strings.Join(fields, ", "), c.Subject, lifecycle.RequestRef(requestID))
	metrics.DriftCorrected.WithLabelValues(p.kind).Inc()
	return p.Synced(c.Subject + " matches the spec")
}

// Change is what a pass found when it compared the Okta object with the
// desired one.
type Change struct {
	// Subject names the Okta object in messages, e.g. "Okta policy dae…".
	Subject string
	// Noun is the Okta object's kind in messages, e.g. "policy".
	Noun string
	// Fields are the top-level fields that differ.
	Fields []string
	// Detail names the nested fields behind Fields for the observe mode's
	// report (nil: Fields).
	Detail func() []string
	// Write sends the desired object and returns the request ID.
	Write func(ctx context.Context) (requestID string, err error)
}

func (c Change) detail() []string {
	if c.Detail == nil || len(c.Fields) == 0 {
		return c.Fields
	}
	return c.Detail()
}

// ReadOrRecreate reads the Okta object id that the status holds, with get:
// found, update compares and converges it; deleted outside Kubernetes, it
// is reported (observe mode: never recreated) or recreated.
func ReadOrRecreate[T Object, R any](ctx context.Context, p *Pass[T], id string, get func(context.Context, string) (R, error),
	recreate func() outcome.Outcome, update func(R) outcome.Outcome) outcome.Outcome {
	observed, err := get(ctx, id)
	switch {
	case okta.IsNotFound(err) && p.Reports():
		return p.Reporter().Deleted(p.Obj, p.Conditions(), p.Obj.GetGeneration(), p.subject+" "+id)
	case okta.IsNotFound(err):
		return recreate()
	case err != nil:
		return p.Failed("read the "+p.noun(), err)
	}
	return update(observed)
}
