package signinrule

import (
	"context"
	"fmt"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// createOrAdopt gives a binding without a rule ID its rule: the one it was
// told to adopt, the one an interrupted create of its own made, or a new
// one. It never creates a second rule: a create is recorded in the status
// before it is sent, and a pass that finds that record looks in the policy
// first.
func (e *external) createOrAdopt(ctx context.Context, p *pass, desired okta.PolicyRule) outcome.Outcome {
	obj := p.Obj
	api := p.API
	policyID := obj.Status.PolicyID
	if adopt := obj.Spec.Adopt; adopt != nil && adopt.ID != "" {
		return e.adoptByID(ctx, p, desired, adopt.ID)
	}
	name := desired.Name
	ours := obj.Status.PendingCreate != nil
	if ours {
		name = obj.Status.PendingCreate.Name
	}
	matches, err := namedRules(ctx, api, policyID, name)
	if err != nil {
		return p.Failed("list the policy's rules", err)
	}
	adoptByName := obj.Spec.Adopt != nil && obj.Spec.Adopt.ByName
	switch {
	case len(matches) > 1 && (ours || adoptByName):
		return outcome.Stall(ReasonAmbiguousName, fmt.Sprintf("%d rules of Okta policy %s are named %q; rename all but one, or adopt one by id",
			len(matches), policyID, name))
	case len(matches) == 1 && ours:
		// An earlier pass created it but could not record its ID.
		if out, ok := p.Claim(ctx, matches[0].ID); !ok {
			return out
		}
		p.Recovered(matches[0].ID)
		return update(ctx, p, desired, &matches[0])
	case len(matches) == 1 && adoptByName:
		return e.adopt(ctx, p, desired, &matches[0])
	case len(matches) > 0:
		return outcome.Waiting(ReasonNameConflict, fmt.Sprintf("rule %s of Okta policy %s is already named %q and this binding did not create it; "+
			"set spec.adopt to manage it, or choose another spec.rule.name", matches[0].ID, policyID, name), nameConflictRecheck)
	}
	return e.create(ctx, p, desired)
}

// create sends the POST once, into the policy recorded in the status (a
// deletion must know where to look), and records the new rule.
func (e *external) create(ctx context.Context, p *pass, desired okta.PolicyRule) outcome.Outcome {
	obj := p.Obj
	created, out, ok := managed.Create(ctx, p, desired.Name,
		func(ctx context.Context) (*okta.PolicyRuleResponse, error) {
			return p.API.CreatePolicyRule(ctx, obj.Status.PolicyID, desired, wantsActive(obj))
		})
	if !ok {
		return out
	}
	recordObserved(&obj.Status, created)
	p.Event("Created", "Create", "Created Okta rule %s in policy %s%s",
		created.ID, obj.Status.PolicyID, lifecycle.RequestRef(created.RequestID))
	return synced(p)
}

// recreate replaces a rule that was deleted outside Kubernetes.
func (e *external) recreate(ctx context.Context, p *pass, desired okta.PolicyRule) outcome.Outcome {
	obj := p.Obj
	gone := obj.Status.RuleID
	p.Recreating(gone)
	// The deleted rule's ID stays until something takes its place.
	obj.Status.Adopted = false
	obj.Status.Priority = nil
	out := e.createOrAdopt(ctx, p, desired)
	if obj.Status.RuleID == gone {
		forget(obj)
	}
	return out
}

// Forget clears the rule from the status; the policy stays recorded.
func (e *external) Forget(obj *assurancev1alpha1.SignInRuleBinding) { forget(obj) }

func forget(obj *assurancev1alpha1.SignInRuleBinding) {
	obj.Status.RuleID = ""
	obj.Status.Adopted = false
	obj.Status.Priority = nil
}

func (e *external) adoptByID(ctx context.Context, p *pass, desired okta.PolicyRule, id string) outcome.Outcome {
	obj := p.Obj
	api := p.API
	observed, err := api.GetPolicyRule(ctx, obj.Status.PolicyID, id)
	if okta.IsNotFound(err) {
		return outcome.Stall(ReasonAdoptionFailed, fmt.Sprintf("spec.adopt.id: Okta policy %s has no rule %s", obj.Status.PolicyID, id))
	}
	if err != nil {
		return p.Failed("read the rule to adopt", err)
	}
	return e.adopt(ctx, p, desired, observed)
}

func (e *external) adopt(ctx context.Context, p *pass, desired okta.PolicyRule, observed *okta.PolicyRuleResponse) outcome.Outcome {
	obj := p.Obj
	if out, ok := p.Claim(ctx, observed.ID); !ok {
		return out
	}
	obj.Status.Adopted = true
	p.Event("Adopted", "Adopt", "Adopted Okta rule %s of policy %s", observed.ID, obj.Status.PolicyID)
	return update(ctx, p, desired, observed)
}

// namedRules lists the rules of a policy with exactly this name.
func namedRules(ctx context.Context, api okta.PolicyAPI, policyID, name string) ([]okta.PolicyRuleResponse, error) {
	all, err := api.ListPolicyRules(ctx, policyID)
	if err != nil {
		return nil, err
	}
	var matches []okta.PolicyRuleResponse
	for _, rule := range all {
		if rule.Name == name {
			matches = append(matches, rule)
		}
	}
	return matches, nil
}
