package signinrule

import (
	"context"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// update writes the full desired rule, only when it differs from what the
// org holds once Okta's own rewrites are normalized away, then applies the
// status with the lifecycle calls. Under spec.driftPolicy Report it never
// writes: it reports the difference, the status included.
func update(ctx context.Context, p *pass, desired okta.PolicyRule, observed *okta.PolicyRuleResponse) outcome.Outcome {
	obj := p.Obj
	if isSystem(observed) {
		return updateCatchAll(ctx, p, desired, observed)
	}
	recordObserved(&obj.Status, observed)
	if desired.Priority == nil {
		// A binding without a priority sends the one Okta reports, so
		// that its PUT never moves the rule.
		desired.Priority = observed.Priority
	}
	if p.Reports() {
		return report(p, ruleDrift(obj, desired, observed))
	}
	out := p.Converge(ctx, managed.Change{
		Subject: "Okta rule " + observed.ID, Noun: "rule", Fields: drift(desired, observed.PolicyRule),
		Write: func(ctx context.Context) (string, error) {
			updated, err := p.API.ReplacePolicyRule(ctx, obj.Status.PolicyID, observed.ID, desired)
			if err != nil {
				return "", err
			}
			recordObserved(&obj.Status, updated)
			return updated.RequestID, nil
		},
	})
	if !out.Ready {
		return out
	}
	if out, ok := applyStatus(ctx, p, observed); !ok {
		return out
	}
	return synced(p)
}

// updateCatchAll manages the actions of the Catch-all Rule, the only part
// of it that can change.
func updateCatchAll(ctx context.Context, p *pass, desired okta.PolicyRule, observed *okta.PolicyRuleResponse) outcome.Outcome {
	obj := p.Obj
	if err := p.Rights.CatchAllRule(); err != nil {
		// Known only once the rule is read: refused before any write.
		return managed.NotGranted(err)
	}
	recordObserved(&obj.Status, observed)
	if obj.Spec.Rule.Conditions != nil {
		return outcome.Stall(ReasonCatchAllConditions, "Okta rule "+observed.ID+" is the Catch-all Rule: only its actions can be managed; remove spec.rule.conditions")
	}
	if !wantsActive(obj) {
		return outcome.Stall(ReasonCatchAllStatus, "Okta rule "+observed.ID+" is the Catch-all Rule: it cannot be deactivated; set spec.rule.status to ACTIVE")
	}
	if p.Reports() {
		return report(p, actionsDrift(desired, observed.PolicyRule))
	}
	out := p.Converge(ctx, managed.Change{
		Subject: "the Catch-all Rule " + observed.ID, Noun: "Catch-all Rule", Fields: actionsDrift(desired, observed.PolicyRule),
		Write: func(ctx context.Context) (string, error) {
			updated, err := p.API.ReplacePolicyRule(ctx, obj.Status.PolicyID, observed.ID, catchAllBody(desired, observed))
			if err != nil {
				return "", err
			}
			recordObserved(&obj.Status, updated)
			return updated.RequestID, nil
		},
	})
	if !out.Ready {
		return out
	}
	return synced(p)
}

// applyStatus activates or deactivates the rule when Okta's status differs
// from the spec.
func applyStatus(ctx context.Context, p *pass, observed *okta.PolicyRuleResponse) (outcome.Outcome, bool) {
	obj := p.Obj
	active := wantsActive(obj)
	if (observed.Status == string(assurancev1alpha1.RuleStatusActive)) == active {
		return outcome.Outcome{}, true
	}
	call, reason, verb := p.API.DeactivatePolicyRule, "Deactivated", "Deactivate"
	if active {
		call, reason, verb = p.API.ActivatePolicyRule, "Activated", "Activate"
	}
	if err := call(ctx, obj.Status.PolicyID, observed.ID); err != nil {
		p.Warn(verb+"Failed", verb, err)
		return p.Failed(verb+" the rule", err), false
	}
	p.Event(reason, verb, "%s Okta rule %s", reason, observed.ID)
	return outcome.Outcome{}, true
}

// synced ends a pass that found the rule as the spec wants it.
func synced(p *pass) outcome.Outcome {
	return p.Synced("Okta rule " + p.Obj.Status.RuleID + " of policy " + p.Obj.Status.PolicyID + " matches the spec")
}
