package okta

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// ListPolicyRules returns every rule of a policy, the catch-all rule
// included. The list is a bare array without paging
// (docs/okta-api-behaviour.md, R27).
func (c *Client) ListPolicyRules(ctx context.Context, policyID string) ([]PolicyRuleResponse, error) {
	var out []PolicyRuleResponse
	_, err := c.do(ctx, call{method: http.MethodGet, path: rulesPath(policyID), idempotent: true}, &out)
	return out, err
}

// GetPolicyRule returns one rule; IsNotFound(err) if it or its policy is
// gone.
func (c *Client) GetPolicyRule(ctx context.Context, policyID, ruleID string) (*PolicyRuleResponse, error) {
	var out PolicyRuleResponse
	_, err := c.do(ctx, call{method: http.MethodGet, path: rulePath(policyID, ruleID), idempotent: true}, &out)
	return orNil(&out, err)
}

// CreatePolicyRule creates a rule, ACTIVE when activate is true and
// INACTIVE otherwise. It is never retried once it may have reached Okta.
func (c *Client) CreatePolicyRule(ctx context.Context, policyID string, rule PolicyRule, activate bool) (*PolicyRuleResponse, error) {
	var out PolicyRuleResponse
	op := call{
		method: http.MethodPost,
		path:   rulesPath(policyID),
		query:  url.Values{"activate": {strconv.FormatBool(activate)}},
		body:   withRuleType(rule),
	}
	h, err := c.do(ctx, op, &out)
	out.RequestID = h.Get(requestIDHeader)
	return orNil(&out, err)
}

// ReplacePolicyRule replaces the whole rule, actions included
// (docs/okta-api-behaviour.md §3.4); omitted fields are removed or reset to
// Okta's defaults.
func (c *Client) ReplacePolicyRule(ctx context.Context, policyID, ruleID string, rule PolicyRule) (*PolicyRuleResponse, error) {
	var out PolicyRuleResponse
	op := call{method: http.MethodPut, path: rulePath(policyID, ruleID), body: withRuleType(rule), idempotent: true}
	h, err := c.do(ctx, op, &out)
	out.RequestID = h.Get(requestIDHeader)
	return orNil(&out, err)
}

// DeletePolicyRule deletes a rule. The catch-all rule cannot be deleted.
func (c *Client) DeletePolicyRule(ctx context.Context, policyID, ruleID string) error {
	_, err := c.do(ctx, call{method: http.MethodDelete, path: rulePath(policyID, ruleID), idempotent: true}, nil)
	return err
}

// ActivatePolicyRule activates a rule (204). Retried like a PUT: activating
// an active rule changes nothing.
func (c *Client) ActivatePolicyRule(ctx context.Context, policyID, ruleID string) error {
	return c.ruleLifecycle(ctx, policyID, ruleID, "activate")
}

// DeactivatePolicyRule deactivates a rule (204). Retried like a PUT.
func (c *Client) DeactivatePolicyRule(ctx context.Context, policyID, ruleID string) error {
	return c.ruleLifecycle(ctx, policyID, ruleID, "deactivate")
}

func (c *Client) ruleLifecycle(ctx context.Context, policyID, ruleID, action string) error {
	op := call{method: http.MethodPost, path: rulePath(policyID, ruleID) + "/lifecycle/" + action, idempotent: true}
	_, err := c.do(ctx, op, nil)
	return err
}

// withRuleType fills in the rule type, which Okta requires.
func withRuleType(rule PolicyRule) PolicyRule {
	if rule.Type == "" {
		rule.Type = PolicyTypeAccess
	}
	return rule
}

func rulesPath(policyID string) string {
	return policyPath(policyID) + "/rules"
}

func rulePath(policyID, ruleID string) string {
	return rulesPath(policyID) + "/" + url.PathEscape(ruleID)
}
