package okta

import (
	"context"
	"net/http"
	"net/url"
)

const deviceAssurancesPath = "/api/v1/device-assurances"

// ListDeviceAssurances returns every device assurance policy of the org,
// all platforms. The endpoint is not paginated (docs/okta-api-behaviour.md,
// R14).
func (c *Client) ListDeviceAssurances(ctx context.Context) ([]DeviceAssuranceResponse, error) {
	var out []DeviceAssuranceResponse
	_, err := c.do(ctx, call{method: http.MethodGet, path: deviceAssurancesPath, idempotent: true}, &out)
	return out, err
}

// GetDeviceAssurance returns one policy; IsNotFound(err) if it is gone.
func (c *Client) GetDeviceAssurance(ctx context.Context, id string) (*DeviceAssuranceResponse, error) {
	var out DeviceAssuranceResponse
	_, err := c.do(ctx, call{method: http.MethodGet, path: deviceAssurancePath(id), idempotent: true}, &out)
	return orNil(&out, err)
}

// CreateDeviceAssurance creates a policy (Okta answers 200, not 201). It is
// never retried once it may have reached Okta: on a transient error the
// caller must look for the policy (e.g. by name) before creating it again.
func (c *Client) CreateDeviceAssurance(ctx context.Context, policy DeviceAssurance) (*DeviceAssuranceResponse, error) {
	var out DeviceAssuranceResponse
	h, err := c.do(ctx, call{method: http.MethodPost, path: deviceAssurancesPath, body: policy}, &out)
	out.RequestID = h.Get(requestIDHeader)
	return orNil(&out, err)
}

// ReplaceDeviceAssurance replaces the whole policy with policy: omitted
// fields are removed, and the response lacks createdDate and createdBy
// (docs/okta-api-behaviour.md, R7 and R5).
func (c *Client) ReplaceDeviceAssurance(ctx context.Context, id string, policy DeviceAssurance) (*DeviceAssuranceResponse, error) {
	var out DeviceAssuranceResponse
	op := call{method: http.MethodPut, path: deviceAssurancePath(id), body: policy, idempotent: true}
	h, err := c.do(ctx, op, &out)
	out.RequestID = h.Get(requestIDHeader)
	return orNil(&out, err)
}

// DeleteDeviceAssurance deletes a policy. A policy still used by a rule
// gives IsConflict(err) (docs/okta-api-behaviour.md §1.8); an unknown id gives
// IsNotFound.
func (c *Client) DeleteDeviceAssurance(ctx context.Context, id string) error {
	_, err := c.do(ctx, call{method: http.MethodDelete, path: deviceAssurancePath(id), idempotent: true}, nil)
	return err
}

func deviceAssurancePath(id string) string {
	return deviceAssurancesPath + "/" + url.PathEscape(id)
}

// orNil returns (nil, err) on error so that callers never see a half-filled
// object.
func orNil[T any](v *T, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
}
