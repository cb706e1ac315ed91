package orgclient

import (
	"context"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// The okta.API methods of capped, each admitted against its bucket.

var _ okta.API = (*capped)(nil)

const (
	bDA  = okta.BucketDeviceAssurances
	bPC  = okta.BucketDevicePostureCheck
	bAPI = okta.BucketAPIv1
	bLog = okta.BucketLogs
)

func (c *capped) RateLimits() map[okta.Bucket]okta.RateLimit { return c.api.RateLimits() }

func (c *capped) ListDeviceAssurances(ctx context.Context) ([]okta.DeviceAssuranceResponse, error) {
	return through(c, bDA, func() ([]okta.DeviceAssuranceResponse, error) { return c.api.ListDeviceAssurances(ctx) })
}

func (c *capped) GetDeviceAssurance(ctx context.Context, id string) (*okta.DeviceAssuranceResponse, error) {
	return through(c, bDA, func() (*okta.DeviceAssuranceResponse, error) { return c.api.GetDeviceAssurance(ctx, id) })
}

func (c *capped) CreateDeviceAssurance(ctx context.Context, p okta.DeviceAssurance) (*okta.DeviceAssuranceResponse, error) {
	return through(c, bDA, func() (*okta.DeviceAssuranceResponse, error) { return c.api.CreateDeviceAssurance(ctx, p) })
}

func (c *capped) ReplaceDeviceAssurance(ctx context.Context, id string, p okta.DeviceAssurance) (*okta.DeviceAssuranceResponse, error) {
	return through(c, bDA, func() (*okta.DeviceAssuranceResponse, error) { return c.api.ReplaceDeviceAssurance(ctx, id, p) })
}

func (c *capped) DeleteDeviceAssurance(ctx context.Context, id string) error {
	return throughErr(c, bDA, func() error { return c.api.DeleteDeviceAssurance(ctx, id) })
}

func (c *capped) ListPostureChecks(ctx context.Context) ([]okta.PostureCheckResponse, error) {
	return through(c, bPC, func() ([]okta.PostureCheckResponse, error) { return c.api.ListPostureChecks(ctx) })
}

func (c *capped) ListDefaultPostureChecks(ctx context.Context) ([]okta.PostureCheckResponse, error) {
	return through(c, bPC, func() ([]okta.PostureCheckResponse, error) { return c.api.ListDefaultPostureChecks(ctx) })
}

func (c *capped) GetPostureCheck(ctx context.Context, id string) (*okta.PostureCheckResponse, error) {
	return through(c, bPC, func() (*okta.PostureCheckResponse, error) { return c.api.GetPostureCheck(ctx, id) })
}

func (c *capped) CreatePostureCheck(ctx context.Context, p okta.PostureCheck) (*okta.PostureCheckResponse, error) {
	return through(c, bPC, func() (*okta.PostureCheckResponse, error) { return c.api.CreatePostureCheck(ctx, p) })
}

func (c *capped) ReplacePostureCheck(ctx context.Context, id string, p okta.PostureCheck) (*okta.PostureCheckResponse, error) {
	return through(c, bPC, func() (*okta.PostureCheckResponse, error) { return c.api.ReplacePostureCheck(ctx, id, p) })
}

func (c *capped) DeletePostureCheck(ctx context.Context, id string) error {
	return throughErr(c, bPC, func() error { return c.api.DeletePostureCheck(ctx, id) })
}

func (c *capped) ListPolicies(ctx context.Context, opts okta.PolicyListOptions) ([]okta.Policy, error) {
	return through(c, bAPI, func() ([]okta.Policy, error) { return c.api.ListPolicies(ctx, opts) })
}

func (c *capped) GetPolicy(ctx context.Context, id string) (*okta.Policy, error) {
	return through(c, bAPI, func() (*okta.Policy, error) { return c.api.GetPolicy(ctx, id) })
}

func (c *capped) ListPolicyRules(ctx context.Context, policyID string) ([]okta.PolicyRuleResponse, error) {
	return through(c, bAPI, func() ([]okta.PolicyRuleResponse, error) { return c.api.ListPolicyRules(ctx, policyID) })
}

func (c *capped) GetPolicyRule(ctx context.Context, policyID, ruleID string) (*okta.PolicyRuleResponse, error) {
	return through(c, bAPI, func() (*okta.PolicyRuleResponse, error) { return c.api.GetPolicyRule(ctx, policyID, ruleID) })
}

func (c *capped) CreatePolicyRule(ctx context.Context, policyID string, rule okta.PolicyRule, activate bool) (*okta.PolicyRuleResponse, error) {
	return through(c, bAPI, func() (*okta.PolicyRuleResponse, error) { return c.api.CreatePolicyRule(ctx, policyID, rule, activate) })
}

func (c *capped) ReplacePolicyRule(ctx context.Context, policyID, ruleID string, rule okta.PolicyRule) (*okta.PolicyRuleResponse, error) {
	return through(c, bAPI, func() (*okta.PolicyRuleResponse, error) { return c.api.ReplacePolicyRule(ctx, policyID, ruleID, rule) })
}

func (c *capped) DeletePolicyRule(ctx context.Context, policyID, ruleID string) error {
	return throughErr(c, bAPI, func() error { return c.api.DeletePolicyRule(ctx, policyID, ruleID) })
}

func (c *capped) ActivatePolicyRule(ctx context.Context, policyID, ruleID string) error {
	return throughErr(c, bAPI, func() error { return c.api.ActivatePolicyRule(ctx, policyID, ruleID) })
}

func (c *capped) DeactivatePolicyRule(ctx context.Context, policyID, ruleID string) error {
	return throughErr(c, bAPI, func() error { return c.api.DeactivatePolicyRule(ctx, policyID, ruleID) })
}

func (c *capped) ListLogEvents(ctx context.Context, q okta.LogQuery) (*okta.LogPage, error) {
	return through(c, bLog, func() (*okta.LogPage, error) { return c.api.ListLogEvents(ctx, q) })
}

func (c *capped) NextLogEvents(ctx context.Context, page *okta.LogPage) (*okta.LogPage, error) {
	return through(c, bLog, func() (*okta.LogPage, error) { return c.api.NextLogEvents(ctx, page) })
}
