package plan

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
)

// ListPolicies reads the org's policies; the plan never writes them.
func (d *DryRun) ListPolicies(ctx context.Context, opts okta.PolicyListOptions) ([]okta.Policy, error) {
	return baseList(ctx, d, fmt.Sprintf("policies %+v", opts), func(ctx context.Context) ([]okta.Policy, error) {
		return d.base.ListPolicies(ctx, opts)
	})
}

// GetPolicy reads one policy.
func (d *DryRun) GetPolicy(ctx context.Context, id string) (*okta.Policy, error) {
	return d.base.GetPolicy(ctx, id)
}

func (d *DryRun) rulesOf(policyID string) *overlay[okta.PolicyRuleResponse] {
	o, ok := d.rules[policyID]
	if !ok {
		o = &overlay[okta.PolicyRuleResponse]{}
		d.rules[policyID] = o
	}
	return o
}

func rulePath(policyID, ruleID string) string {
	path := policiesPath + "/" + policyID + "/rules"
	if ruleID != "" {
		path += "/" + ruleID
	}
	return path
}

// ListPolicyRules reads a policy's rules with the plan's writes applied.
func (d *DryRun) ListPolicyRules(ctx context.Context, policyID string) ([]okta.PolicyRuleResponse, error) {
	base, err := baseList(ctx, d, "rules "+policyID, func(ctx context.Context) ([]okta.PolicyRuleResponse, error) {
		return d.base.ListPolicyRules(ctx, policyID)
	})
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.rulesOf(policyID).list(base, func(r okta.PolicyRuleResponse) string { return r.ID }), nil
}

// GetPolicyRule reads one rule as the plan's writes leave it.
func (d *DryRun) GetPolicyRule(ctx context.Context, policyID, ruleID string) (*okta.PolicyRuleResponse, error) {
	d.mu.Lock()
	r, found, gone := d.rulesOf(policyID).get(ruleID)
	d.mu.Unlock()
	switch {
	case gone:
		return nil, notFound(rulePath(policyID, ruleID))
	case found:
		return &r, nil
	}
	return d.base.GetPolicyRule(ctx, policyID, ruleID)
}

// placement is where Okta puts a rule given its priority, and the other
// rules of the policy it moves (oktasim.PlaceRule, from the recordings):
// Okta moves them itself, so the plan records no write for them, but the
// operator's next pass over their bindings sees them moved.
type placement struct {
	priority *int
	moved    []okta.PolicyRuleResponse
}

// place computes where rule ruleID (empty for a new rule) lands when it
// asks for priority p in policyID.
func (d *DryRun) place(ctx context.Context, policyID, ruleID string, p *int) (placement, error) {
	if p == nil {
		return placement{}, nil
	}
	rules, err := d.ListPolicyRules(ctx, policyID)
	if err != nil {
		return placement{}, err
	}
	others := make([]okta.PolicyRuleResponse, 0, len(rules))
	for _, r := range rules {
		if r.ID != ruleID && (r.System == nil || !*r.System) && r.Priority != nil {
			others = append(others, r)
		}
	}
	slices.SortStableFunc(others, func(a, b okta.PolicyRuleResponse) int { return *a.Priority - *b.Priority })
	priorities := make([]int, len(others))
	for i, r := range others {
		priorities[i] = *r.Priority
	}
	at, after := oktasim.PlaceRule(priorities, *p)
	out := placement{priority: &at}
	for i, r := range others {
		if after[i] != priorities[i] {
			r.Priority = &after[i]
			out.moved = append(out.moved, r)
		}
	}
	return out, nil
}

// apply keeps the moved rules in the overlay; d.mu must be held.
func (pl placement) apply(o *overlay[okta.PolicyRuleResponse]) {
	for _, r := range pl.moved {
		o.put(r.ID, r)
	}
}

// CreatePolicyRule records the create, with the activate query the
// client sends.
func (d *DryRun) CreatePolicyRule(ctx context.Context, policyID string, rule okta.PolicyRule, activate bool) (*okta.PolicyRuleResponse, error) {
	pl, err := d.place(ctx, policyID, "", rule.Priority)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	path := rulePath(policyID, "") + "?activate=true"
	status := "ACTIVE"
	if !activate {
		path = rulePath(policyID, "") + "?activate=false"
		status = "INACTIVE"
	}
	d.record(ctx, http.MethodPost, path, rule, nil)
	created := okta.PolicyRuleResponse{PolicyRule: rule, ID: d.newID(), Status: status}
	if pl.priority != nil {
		created.Priority = pl.priority
	}
	pl.apply(d.rulesOf(policyID))
	d.rulesOf(policyID).put(created.ID, created)
	return &created, nil
}

// ReplacePolicyRule records the replace.
func (d *DryRun) ReplacePolicyRule(ctx context.Context, policyID, ruleID string, rule okta.PolicyRule) (*okta.PolicyRuleResponse, error) {
	before, err := d.GetPolicyRule(ctx, policyID, ruleID)
	if err != nil {
		return nil, err
	}
	pl, err := d.place(ctx, policyID, ruleID, rule.Priority)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.record(ctx, http.MethodPut, rulePath(policyID, ruleID), rule, before.PolicyRule)
	replaced := *before
	replaced.PolicyRule = rule
	if pl.priority != nil {
		replaced.Priority = pl.priority
	}
	pl.apply(d.rulesOf(policyID))
	d.rulesOf(policyID).put(ruleID, replaced)
	return &replaced, nil
}

// DeletePolicyRule records the delete.
func (d *DryRun) DeletePolicyRule(ctx context.Context, policyID, ruleID string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.record(ctx, http.MethodDelete, rulePath(policyID, ruleID), nil, nil)
	d.rulesOf(policyID).remove(ruleID)
	return nil
}

// ActivatePolicyRule records the activation.
func (d *DryRun) ActivatePolicyRule(ctx context.Context, policyID, ruleID string) error {
	return d.setRuleStatus(ctx, policyID, ruleID, "activate", "ACTIVE")
}

// DeactivatePolicyRule records the deactivation.
func (d *DryRun) DeactivatePolicyRule(ctx context.Context, policyID, ruleID string) error {
	return d.setRuleStatus(ctx, policyID, ruleID, "deactivate", "INACTIVE")
}

func (d *DryRun) setRuleStatus(ctx context.Context, policyID, ruleID, verb, status string) error {
	rule, err := d.GetPolicyRule(ctx, policyID, ruleID)
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.record(ctx, http.MethodPost, rulePath(policyID, ruleID)+"/lifecycle/"+verb, nil, nil)
	rule.Status = status
	d.rulesOf(policyID).put(ruleID, *rule)
	return nil
}
