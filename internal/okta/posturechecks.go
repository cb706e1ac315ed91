package okta

import (
	"context"
	"net/http"
	"net/url"
)

const postureChecksPath = "/api/v1/device-posture-checks"

// ListPostureChecks returns the org's device posture checks
// (docs/okta-api-behaviour.md §2).
func (c *Client) ListPostureChecks(ctx context.Context) ([]PostureCheckResponse, error) {
	var out []PostureCheckResponse
	_, err := c.do(ctx, call{method: http.MethodGet, path: postureChecksPath, idempotent: true}, &out)
	return out, err
}

// ListDefaultPostureChecks returns the BUILTIN posture checks Okta defines
// (GET /api/v1/device-posture-checks/default).
func (c *Client) ListDefaultPostureChecks(ctx context.Context) ([]PostureCheckResponse, error) {
	var out []PostureCheckResponse
	_, err := c.do(ctx, call{method: http.MethodGet, path: postureChecksPath + "/default", idempotent: true}, &out)
	return out, err
}

// GetPostureCheck returns one posture check; IsNotFound(err) if it is gone.
func (c *Client) GetPostureCheck(ctx context.Context, id string) (*PostureCheckResponse, error) {
	var out PostureCheckResponse
	_, err := c.do(ctx, call{method: http.MethodGet, path: postureCheckPath(id), idempotent: true}, &out)
	return orNil(&out, err)
}

// CreatePostureCheck creates a posture check. Like every create it is never
// retried once it may have reached Okta.
func (c *Client) CreatePostureCheck(ctx context.Context, check PostureCheck) (*PostureCheckResponse, error) {
	var out PostureCheckResponse
	h, err := c.do(ctx, call{method: http.MethodPost, path: postureChecksPath, body: check}, &out)
	out.RequestID = h.Get(requestIDHeader)
	return orNil(&out, err)
}

// ReplacePostureCheck replaces the whole posture check.
func (c *Client) ReplacePostureCheck(ctx context.Context, id string, check PostureCheck) (*PostureCheckResponse, error) {
	var out PostureCheckResponse
	op := call{method: http.MethodPut, path: postureCheckPath(id), body: check, idempotent: true}
	h, err := c.do(ctx, op, &out)
	out.RequestID = h.Get(requestIDHeader)
	return orNil(&out, err)
}

// DeletePostureCheck deletes a posture check; IsConflict(err) while a device
// assurance policy still uses it.
func (c *Client) DeletePostureCheck(ctx context.Context, id string) error {
	_, err := c.do(ctx, call{method: http.MethodDelete, path: postureCheckPath(id), idempotent: true}, nil)
	return err
}

func postureCheckPath(id string) string {
	return postureChecksPath + "/" + url.PathEscape(id)
}
