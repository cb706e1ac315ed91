package okta

import (
	"context"
	"errors"
	"fmt"
)

// ErrWriteRefused is the error of every write through ReadOnly.
var ErrWriteRefused = errors.New("refused: this command only reads from Okta")

// ReadOnly wraps api so that every call that would change the org fails
// with ErrWriteRefused before anything is sent; reads go through. Every
// method is spelled out (nothing is embedded), so that a write method
// added to API does not compile here until it is refused too.
func ReadOnly(api API) API { return readOnly{api: api} }

type readOnly struct{ api API }

var _ API = readOnly{}

func refused(call string) error { return fmt.Errorf("%s: %w", call, ErrWriteRefused) }

func (r readOnly) ListDeviceAssurances(ctx context.Context) ([]DeviceAssuranceResponse, error) {
	return r.api.ListDeviceAssurances(ctx)
}

func (r readOnly) GetDeviceAssurance(ctx context.Context, id string) (*DeviceAssuranceResponse, error) {
	return r.api.GetDeviceAssurance(ctx, id)
}

func (readOnly) CreateDeviceAssurance(context.Context, DeviceAssurance) (*DeviceAssuranceResponse, error) {
	return nil, refused("create a device assurance policy")
}

func (readOnly) ReplaceDeviceAssurance(context.Context, string, DeviceAssurance) (*DeviceAssuranceResponse, error) {
	return nil, refused("replace a device assurance policy")
}

func (readOnly) DeleteDeviceAssurance(context.Context, string) error {
	return refused("delete a device assurance policy")
}

func (r readOnly) ListPostureChecks(ctx context.Context) ([]PostureCheckResponse, error) {
	return r.api.ListPostureChecks(ctx)
}

func (r readOnly) ListDefaultPostureChecks(ctx context.Context) ([]PostureCheckResponse, error) {
	return r.api.ListDefaultPostureChecks(ctx)
}

func (r readOnly) GetPostureCheck(ctx context.Context, id string) (*PostureCheckResponse, error) {
	return r.api.GetPostureCheck(ctx, id)
}

func (readOnly) CreatePostureCheck(context.Context, PostureCheck) (*PostureCheckResponse, error) {
	return nil, refused("create a posture check")
}

func (readOnly) ReplacePostureCheck(context.Context, string, PostureCheck) (*PostureCheckResponse, error) {
	return nil, refused("replace a posture check")
}

func (readOnly) DeletePostureCheck(context.Context, string) error {
	return refused("delete a posture check")
}

func (r readOnly) ListPolicies(ctx context.Context, opts PolicyListOptions) ([]Policy, error) {
	return r.api.ListPolicies(ctx, opts)
}

func (r readOnly) GetPolicy(ctx context.Context, id string) (*Policy, error) {
	return r.api.GetPolicy(ctx, id)
}

func (r readOnly) ListPolicyRules(ctx context.Context, policyID string) ([]PolicyRuleResponse, error) {
	return r.api.ListPolicyRules(ctx, policyID)
}

func (r readOnly) GetPolicyRule(ctx context.Context, policyID, ruleID string) (*PolicyRuleResponse, error) {
	return r.api.GetPolicyRule(ctx, policyID, ruleID)
}

func (readOnly) CreatePolicyRule(context.Context, string, PolicyRule, bool) (*PolicyRuleResponse, error) {
	return nil, refused("create a rule")
}

func (readOnly) ReplacePolicyRule(context.Context, string, string, PolicyRule) (*PolicyRuleResponse, error) {
	return nil, refused("replace a rule")
}

func (readOnly) DeletePolicyRule(context.Context, string, string) error {
	return refused("delete a rule")
}

func (readOnly) ActivatePolicyRule(context.Context, string, string) error {
	return refused("activate a rule")
}

func (readOnly) DeactivatePolicyRule(context.Context, string, string) error {
	return refused("deactivate a rule")
}

func (r readOnly) ListLogEvents(ctx context.Context, q LogQuery) (*LogPage, error) {
	return r.api.ListLogEvents(ctx, q)
}

func (r readOnly) NextLogEvents(ctx context.Context, page *LogPage) (*LogPage, error) {
	return r.api.NextLogEvents(ctx, page)
}

func (r readOnly) RateLimits() map[Bucket]RateLimit { return r.api.RateLimits() }
