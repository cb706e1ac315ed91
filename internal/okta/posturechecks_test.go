package okta

import (
	"context"
	"net/http"
	"testing"
)

// TestPostureCheckWritesCarryTheRequestID: events about a create or replace
// name Okta's X-Okta-Request-Id, as for device assurances; reads do not.
func TestPostureCheckWritesCarryTheRequestID(t *testing.T) {
	ctx := context.Background()
	const id = "dch3m8o4rWhwReDeM1c5"
	withID := cannedResponse{status: http.StatusOK, body: `{"id":"` + id + `","type":"CUSTOM"}`,
		header: map[string]string{"X-Okta-Request-Id": "req-pc-1"}}
	tests := []struct {
		name string
		call func(*Client) (*PostureCheckResponse, error)
		want string
	}{
		{"create", func(c *Client) (*PostureCheckResponse, error) { return c.CreatePostureCheck(ctx, postureCheck) }, "req-pc-1"},
		{"replace", func(c *Client) (*PostureCheckResponse, error) { return c.ReplacePostureCheck(ctx, id, postureCheck) }, "req-pc-1"},
		{"get", func(c *Client) (*PostureCheckResponse, error) { return c.GetPostureCheck(ctx, id) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, _ := newTestClient(t, withID)
			got, err := tt.call(c)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != id || got.RequestID != tt.want {
				t.Errorf("ID %q RequestID %q, want %q %q", got.ID, got.RequestID, id, tt.want)
			}
		})
	}
}
