package cli

import (
	"context"
	"errors"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// ErrReadOnly is what a write through ReadOnly returns: the command only
// ever reads, so a write would be a bug, refused before any request.
var ErrReadOnly = errors.New("okta-assurance only reads from Okta: a write was refused before it was sent")

// ReadOnly passes reads to api and refuses every write.
func ReadOnly(api okta.API) okta.API { return readOnly{api} }

type readOnly struct{ okta.API }

func (readOnly) CreateDeviceAssurance(context.Context, okta.DeviceAssurance) (*okta.DeviceAssuranceResponse, error) {
	return nil, ErrReadOnly
}

func (readOnly) ReplaceDeviceAssurance(context.Context, string, okta.DeviceAssurance) (*okta.DeviceAssuranceResponse, error) {
	return nil, ErrReadOnly
}

func (readOnly) DeleteDeviceAssurance(context.Context, string) error { return ErrReadOnly }

func (readOnly) CreatePostureCheck(context.Context, okta.PostureCheck) (*okta.PostureCheckResponse, error) {
	return nil, ErrReadOnly
}

func (readOnly) ReplacePostureCheck(context.Context, string, okta.PostureCheck) (*okta.PostureCheckResponse, error) {
	return nil, ErrReadOnly
}

func (readOnly) DeletePostureCheck(context.Context, string) error { return ErrReadOnly }

func (readOnly) CreatePolicyRule(context.Context, string, okta.PolicyRule, bool) (*okta.PolicyRuleResponse, error) {
	return nil, ErrReadOnly
}

func (readOnly) ReplacePolicyRule(context.Context, string, string, okta.PolicyRule) (*okta.PolicyRuleResponse, error) {
	return nil, ErrReadOnly
}

func (readOnly) DeletePolicyRule(context.Context, string, string) error { return ErrReadOnly }

func (readOnly) ActivatePolicyRule(context.Context, string, string) error { return ErrReadOnly }

func (readOnly) DeactivatePolicyRule(context.Context, string, string) error { return ErrReadOnly }
