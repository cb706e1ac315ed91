package plan

import (
	"context"
	"net/http"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// ListPolicies reads the org's policies; the plan never writes them.
func (d *DryRun) ListPolicies(ctx context.Context, opts okta.PolicyListOptions) ([]okta.Policy, error) {
	return d.base.ListPolicies(ctx, opts)
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
	base, err := d.base.ListPolicyRules(ctx, policyID)
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

// CreatePolicyRule records the create, with the activate query the
// client sends.
func (d *DryRun) CreatePolicyRule(ctx context.Context, policyID string, rule okta.PolicyRule, activate bool) (*okta.PolicyRuleResponse, error) {
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
	d.rulesOf(policyID).put(created.ID, created)
	return &created, nil
}

// ReplacePolicyRule records the replace.
func (d *DryRun) ReplacePolicyRule(ctx context.Context, policyID, ruleID string, rule okta.PolicyRule) (*okta.PolicyRuleResponse, error) {
	before, err := d.GetPolicyRule(ctx, policyID, ruleID)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.record(ctx, http.MethodPut, rulePath(policyID, ruleID), rule, before.PolicyRule)
	replaced := *before
	replaced.PolicyRule = rule
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
