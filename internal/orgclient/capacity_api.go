package orgclient

import (
	"context"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// The okta.API methods of governed, each admitted against its bucket.

var _ okta.API = (*governed)(nil)

const (
	bDA  = okta.BucketDeviceAssurances
	bPC  = okta.BucketDevicePostureCheck
	bAPI = okta.BucketAPIv1
	bLog = okta.BucketLogs
)

func (c *governed) RateLimits() map[okta.Bucket]okta.RateLimit { return c.api.RateLimits() }

func (c *governed) ListDeviceAssurances(ctx context.Context) ([]okta.DeviceAssuranceResponse, error) {
	return through(ctx, c, bDA, func() ([]okta.DeviceAssuranceResponse, error) { return c.api.ListDeviceAssurances(ctx) })
}

func (c *governed) GetDeviceAssurance(ctx context.Context, id string) (*okta.DeviceAssuranceResponse, error) {
	return through(ctx, c, bDA, func() (*okta.DeviceAssuranceResponse, error) { return c.api.GetDeviceAssurance(ctx, id) })
}

func (c *governed) CreateDeviceAssurance(ctx context.Context, p okta.DeviceAssurance) (*okta.DeviceAssuranceResponse, error) {
	return through(ctx, c, bDA, func() (*okta.DeviceAssuranceResponse, error) { return c.api.CreateDeviceAssurance(ctx, p) })
}

func (c *governed) ReplaceDeviceAssurance(ctx context.Context, id string, p okta.DeviceAssurance) (*okta.DeviceAssuranceResponse, error) {
	return through(ctx, c, bDA, func() (*okta.DeviceAssuranceResponse, error) { return c.api.ReplaceDeviceAssurance(ctx, id, p) })
}

func (c *governed) DeleteDeviceAssurance(ctx context.Context, id string) error {
	return throughErr(ctx, c, bDA, func() error { return c.api.DeleteDeviceAssurance(ctx, id) })
}

func (c *governed) ListPostureChecks(ctx context.Context) ([]okta.PostureCheckResponse, error) {
	return through(ctx, c, bPC, func() ([]okta.PostureCheckResponse, error) { return c.api.ListPostureChecks(ctx) })
}

func (c *governed) ListDefaultPostureChecks(ctx context.Context) ([]okta.PostureCheckResponse, error) {
	return through(ctx, c, bPC, func() ([]okta.PostureCheckResponse, error) { return c.api.ListDefaultPostureChecks(ctx) })
}

func (c *governed) GetPostureCheck(ctx context.Context, id string) (*okta.PostureCheckResponse, error) {
	return through(ctx, c, bPC, func() (*okta.PostureCheckResponse, error) { return c.api.GetPostureCheck(ctx, id) })
}

func (c *governed) CreatePostureCheck(ctx context.Context, p okta.PostureCheck) (*okta.PostureCheckResponse, error) {
	return through(ctx, c, bPC, func() (*okta.PostureCheckResponse, error) { return c.api.CreatePostureCheck(ctx, p) })
}

func (c *governed) ReplacePostureCheck(ctx context.Context, id string, p okta.PostureCheck) (*okta.PostureCheckResponse, error) {
	return through(ctx, c, bPC, func() (*okta.PostureCheckResponse, error) { return c.api.ReplacePostureCheck(ctx, id, p) })
}

func (c *governed) DeletePostureCheck(ctx context.Context, id string) error {
	return throughErr(ctx, c, bPC, func() error { return c.api.DeletePostureCheck(ctx, id) })
}

func (c *governed) ListPolicies(ctx context.Context, opts okta.PolicyListOptions) ([]okta.Policy, error) {
	return through(ctx, c, bAPI, func() ([]okta.Policy, error) { return c.api.ListPolicies(ctx, opts) })
}

func (c *governed) GetPolicy(ctx context.Context, id string) (*okta.Policy, error) {
	return through(ctx, c, bAPI, func() (*okta.Policy, error) { return c.api.GetPolicy(ctx, id) })
}

func (c *governed) ListPolicyRules(ctx context.Context, policyID string) ([]okta.PolicyRuleResponse, error) {
	return through(ctx, c, bAPI, func() ([]okta.PolicyRuleResponse, error) { return c.api.ListPolicyRules(ctx, policyID) })
}

func (c *governed) GetPolicyRule(ctx context.Context, policyID, ruleID string) (*okta.PolicyRuleResponse, error) {
	return through(ctx, c, bAPI, func() (*okta.PolicyRuleResponse, error) { return c.api.GetPolicyRule(ctx, policyID, ruleID) })
}

func (c *governed) CreatePolicyRule(ctx context.Context, policyID string, rule okta.PolicyRule, activate bool) (*okta.PolicyRuleResponse, error) {
	return through(ctx, c, bAPI, func() (*okta.PolicyRuleResponse, error) { return c.api.CreatePolicyRule(ctx, policyID, rule, activate) })
}

func (c *governed) ReplacePolicyRule(ctx context.Context, policyID, ruleID string, rule okta.PolicyRule) (*okta.PolicyRuleResponse, error) {
	return through(ctx, c, bAPI, func() (*okta.PolicyRuleResponse, error) { return c.api.ReplacePolicyRule(ctx, policyID, ruleID, rule) })
}

func (c *governed) DeletePolicyRule(ctx context.Context, policyID, ruleID string) error {
	return throughErr(ctx, c, bAPI, func() error { return c.api.DeletePolicyRule(ctx, policyID, ruleID) })
}

func (c *governed) ActivatePolicyRule(ctx context.Context, policyID, ruleID string) error {
	return throughErr(ctx, c, bAPI, func() error { return c.api.ActivatePolicyRule(ctx, policyID, ruleID) })
}

func (c *governed) DeactivatePolicyRule(ctx context.Context, policyID, ruleID string) error {
	return throughErr(ctx, c, bAPI, func() error { return c.api.DeactivatePolicyRule(ctx, policyID, ruleID) })
}

func (c *governed) ListLogEvents(ctx context.Context, q okta.LogQuery) (*okta.LogPage, error) {
	return through(ctx, c, bLog, func() (*okta.LogPage, error) { return c.api.ListLogEvents(ctx, q) })
}

func (c *governed) NextLogEvents(ctx context.Context, page *okta.LogPage) (*okta.LogPage, error) {
	return through(ctx, c, bLog, func() (*okta.LogPage, error) { return c.api.NextLogEvents(ctx, page) })
}
