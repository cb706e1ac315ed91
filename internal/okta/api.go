package okta

import "context"

// DeviceAssuranceAPI manages device assurance policies.
type DeviceAssuranceAPI interface {
	ListDeviceAssurances(ctx context.Context) ([]DeviceAssuranceResponse, error)
	GetDeviceAssurance(ctx context.Context, id string) (*DeviceAssuranceResponse, error)
	CreateDeviceAssurance(ctx context.Context, policy DeviceAssurance) (*DeviceAssuranceResponse, error)
	ReplaceDeviceAssurance(ctx context.Context, id string, policy DeviceAssurance) (*DeviceAssuranceResponse, error)
	DeleteDeviceAssurance(ctx context.Context, id string) error
}

// PostureCheckAPI manages device posture checks.
type PostureCheckAPI interface {
	ListPostureChecks(ctx context.Context) ([]PostureCheckResponse, error)
	ListDefaultPostureChecks(ctx context.Context) ([]PostureCheckResponse, error)
	GetPostureCheck(ctx context.Context, id string) (*PostureCheckResponse, error)
	CreatePostureCheck(ctx context.Context, check PostureCheck) (*PostureCheckResponse, error)
	ReplacePostureCheck(ctx context.Context, id string, check PostureCheck) (*PostureCheckResponse, error)
	DeletePostureCheck(ctx context.Context, id string) error
}

// PolicyAPI reads app sign-in policies and manages their rules.
type PolicyAPI interface {
	ListPolicies(ctx context.Context, opts PolicyListOptions) ([]Policy, error)
	GetPolicy(ctx context.Context, id string) (*Policy, error)
	ListPolicyRules(ctx context.Context, policyID string) ([]PolicyRuleResponse, error)
	GetPolicyRule(ctx context.Context, policyID, ruleID string) (*PolicyRuleResponse, error)
	CreatePolicyRule(ctx context.Context, policyID string, rule PolicyRule, activate bool) (*PolicyRuleResponse, error)
	ReplacePolicyRule(ctx context.Context, policyID, ruleID string, rule PolicyRule) (*PolicyRuleResponse, error)
	DeletePolicyRule(ctx context.Context, policyID, ruleID string) error
	ActivatePolicyRule(ctx context.Context, policyID, ruleID string) error
	DeactivatePolicyRule(ctx context.Context, policyID, ruleID string) error
}

// SystemLogAPI reads the System Log; poll it with NewLogPoller.
type SystemLogAPI interface {
	LogPager
}

// API is everything the controllers use; *Client implements it, tests use
// fakes.
type API interface {
	DeviceAssuranceAPI
	PostureCheckAPI
	PolicyAPI
	SystemLogAPI
	// RateLimits returns the last rate-limit state per bucket.
	RateLimits() map[Bucket]RateLimit
}

var _ API = (*Client)(nil)
