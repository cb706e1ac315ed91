package okta

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestRecordedRequestsSentByTheClientMatchTheSpec sends every recorded
// request body through the client, decoded into the request models, and
// lets specChecked validate what goes on the wire against Okta's OpenAPI
// document: the client half of issue #3 item 6.
func TestRecordedRequestsSentByTheClientMatchTheSpec(t *testing.T) {
	sent := 0
	for _, rec := range loadRecordings(t) {
		if !hasBody(rec.RequestBody) {
			continue
		}
		t.Run(rec.File, func(t *testing.T) {
			send := sender(t, rec)
			c, _, _ := newTestClient(t, ok(`{}`))
			if err := send(c); err != nil {
				t.Fatal(err)
			}
			sent++
		})
	}
	t.Logf("sent %d recorded request bodies through the client", sent)
}

// sender returns the client call that sends rec's request body.
func sender(t *testing.T, rec recording) func(*Client) error {
	t.Helper()
	ctx := context.Background()
	path, query, _ := strings.Cut(rec.Path, "?")
	segments := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")
	switch {
	case segments[0] == "device-assurances":
		var body DeviceAssurance
		mustDecode(t, rec.RequestBody, &body)
		if rec.Method == http.MethodPost {
			return func(c *Client) error { _, err := c.CreateDeviceAssurance(ctx, body); return err }
		}
		return func(c *Client) error { _, err := c.ReplaceDeviceAssurance(ctx, segments[1], body); return err }
	case segments[0] == "policies" && len(segments) >= 3 && segments[2] == "rules":
		var body PolicyRule
		mustDecode(t, rec.RequestBody, &body)
		if rec.Method == http.MethodPost {
			activate := !strings.Contains(query, "activate=false")
			return func(c *Client) error { _, err := c.CreatePolicyRule(ctx, segments[1], body, activate); return err }
		}
		return func(c *Client) error { _, err := c.ReplacePolicyRule(ctx, segments[1], segments[3], body); return err }
	default:
		t.Fatalf("no client call sends %s %s", rec.Method, rec.Path)
		return nil
	}
}

func mustDecode(t *testing.T, raw []byte, out any) {
	t.Helper()
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatal(err)
	}
}
