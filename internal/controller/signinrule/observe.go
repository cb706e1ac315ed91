package signinrule

import (
	"sort"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/metrics"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// ruleSubject names the binding's Okta rule in messages.
func ruleSubject(obj *assurancev1alpha1.SignInRuleBinding) string {
	return "Okta rule " + obj.Status.RuleID + " of policy " + obj.Status.PolicyID
}

// ruleDrift is what update compares, the rule's status included: what
// update would write, or activate or deactivate. desired carries the
// priority update sends.
func ruleDrift(obj *assurancev1alpha1.SignInRuleBinding, desired okta.PolicyRule, observed *okta.PolicyRuleResponse) []string {
	fields := drift(desired, observed.PolicyRule)
	if (observed.Status == string(assurancev1alpha1.RuleStatusActive)) != wantsActive(obj) {
		fields = append(fields, "status")
		sort.Strings(fields)
	}
	return fields
}

// report is the end of a pass in observe mode: Drifted lists fields, or,
// when there are none, the binding is Synced without a write.
func report(p *pass, fields []string) outcome.Outcome {
	obj := p.Obj
	if out, drifted := p.Reporter().Observed(obj, p.Conditions(), obj.Generation, ruleSubject(obj), fields); drifted {
		return out
	}
	metrics.WritesAvoided.WithLabelValues("SignInRuleBinding").Inc()
	return synced(p)
}

// reportMoved reports, in observe mode, a rule held by another policy than
// the one the spec names: the policy differs, and so may the rule.
func reportMoved(p *pass, desired okta.PolicyRule, observed *okta.PolicyRuleResponse) outcome.Outcome {
	obj := p.Obj
	recordObserved(&obj.Status, observed)
	var fields []string
	if isSystem(observed) {
		fields = actionsDrift(desired, observed.PolicyRule)
	} else {
		if desired.Priority == nil {
			desired.Priority = observed.Priority
		}
		fields = ruleDrift(obj, desired, observed)
	}
	fields = append(fields, "policy")
	sort.Strings(fields)
	return report(p, fields)
}
