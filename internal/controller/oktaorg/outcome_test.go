package oktaorg

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

func TestClassify(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	org := orgclient.Org{SecretNamespace: "team-a", Spec: &v1alpha1.OktaOrgSpec{URL: "https://example.okta.com",
		APIToken: &v1alpha1.APITokenAuth{SecretRef: v1alpha1.SecretKeyReference{Name: "okta", Key: "token"}}}}
	apiErr := func(class okta.ErrorClass, status int, code string) *okta.APIError {
		return &okta.APIError{Class: class, Method: "GET", Path: "/api/v1/device-assurances", StatusCode: status,
			ErrorCode: code, ErrorSummary: "summary", RequestID: "req-1"}
	}
	rateLimited := func(reset time.Time) error {
		return &okta.RateLimitError{APIError: apiErr(okta.ClassRateLimited, 429, okta.CodeRateLimited), Reset: reset}
	}
	tests := []struct {
		name       string
		err        error
		action     action
		reason     string
		message    string
		retryAfter time.Duration
	}{
		{"success", nil, actionRecheck, ReasonConnected, "call to https://example.okta.com succeeded", 0},
		{"config error", &orgclient.ConfigError{Reason: orgclient.ReasonSecretNotFound, Message: "Secret team-a/okta not found"},
			actionStall, orgclient.ReasonSecretNotFound, "Secret team-a/okta not found", 0},
		{"wrapped config error", fmt.Errorf("building: %w", &orgclient.ConfigError{Reason: orgclient.ReasonInvalidPrivateKey, Message: "bad key"}),
			actionStall, orgclient.ReasonInvalidPrivateKey, "bad key", 0},
		{"401", apiErr(okta.ClassUnauthorized, 401, okta.CodeInvalidToken), actionStallRecheck, ReasonUnauthorized,
			`rejected the credentials in Secret team-a/okta key "token": okta: GET /api/v1/device-assurances: HTTP 401 E0000011: summary [requestId req-1]`, 0},
		{"403", apiErr(okta.ClassForbidden, 403, okta.CodeAccessDenied), actionStallRecheck, ReasonForbidden, "E0000006", 0},
		{"feature", apiErr(okta.ClassFeatureNotEnabled, 401, okta.CodeFeatureNotEnabled), actionStallRecheck, ReasonFeatureNotEnabled, "E0000015", 0},
		{"404", apiErr(okta.ClassNotFound, 404, ""), actionStallRecheck, ReasonUnexpectedResponse, "is https://example.okta.com an Okta org?", 0},
		{"429 with reset", rateLimited(now.Add(42 * time.Second)), actionRetryAt, ReasonRateLimited, "HTTP 429", 42 * time.Second},
		{"429 reset passed", rateLimited(now.Add(-time.Second)), actionRetryAt, ReasonRateLimited, "HTTP 429", time.Second},
		{"429 without reset", rateLimited(time.Time{}), actionRetryAt, ReasonRateLimited, "HTTP 429", time.Minute},
		{"429 joined with the probe timeout", errors.Join(rateLimited(now.Add(10*time.Second)), errors.New("context deadline exceeded")),
			actionRetryAt, ReasonRateLimited, "HTTP 429", 10 * time.Second},
		{"5xx", apiErr(okta.ClassTransient, 503, ""), actionBackoff, ReasonUnreachable, "HTTP 503", 0},
		{"network", &okta.TransportError{Method: "GET", Path: "/api/v1/device-assurances", Err: errors.New("connection refused")},
			actionBackoff, ReasonUnreachable, "connection refused", 0},
		{"other", errors.New("reading Secret team-a/okta: timeout"), actionBackoff, ReasonCheckFailed, "reading Secret", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.err, org, now)
			if got.action != tt.action || got.reason != tt.reason || got.retryAfter != tt.retryAfter {
				t.Errorf("classify = {%d %s %s}, want {%d %s %s}", got.action, got.reason, got.retryAfter, tt.action, tt.reason, tt.retryAfter)
			}
			if !strings.Contains(got.message, tt.message) {
				t.Errorf("message %q does not contain %q", got.message, tt.message)
			}
			if (got.action == actionBackoff) != (got.err != nil) {
				t.Errorf("err = %v for action %d: only backoff returns an error", got.err, got.action)
			}
		})
	}
}

// An OktaOrg's Secret is not watched: its Secret reasons are re-checked
// periodically; a ClusterOktaOrg's are watched, so they just stall, as do
// spec reasons of either kind.
func TestClassifySecretReasonsByKind(t *testing.T) {
	now := time.Now()
	for _, tt := range []struct {
		kind   v1alpha1.OrgKind
		reason string
		want   action
	}{
		{v1alpha1.OrgKindOktaOrg, orgclient.ReasonSecretNotFound, actionStallSecretRecheck},
		{v1alpha1.OrgKindOktaOrg, orgclient.ReasonSecretForbidden, actionStallSecretRecheck},
		{v1alpha1.OrgKindOktaOrg, orgclient.ReasonSecretKeyMissing, actionStallSecretRecheck},
		{v1alpha1.OrgKindOktaOrg, orgclient.ReasonInvalidPrivateKey, actionStallSecretRecheck},
		{v1alpha1.OrgKindOktaOrg, orgclient.ReasonInvalidCABundle, actionStall},
		{v1alpha1.OrgKindOktaOrg, orgclient.ReasonInvalidSpec, actionStall},
		{v1alpha1.OrgKindClusterOktaOrg, orgclient.ReasonSecretNotFound, actionStall},
		{v1alpha1.OrgKindClusterOktaOrg, orgclient.ReasonSecretForbidden, actionStall},
	} {
		org := orgclient.Org{Kind: tt.kind, Spec: &v1alpha1.OktaOrgSpec{URL: "https://example.okta.com"}}
		got := classify(&orgclient.ConfigError{Reason: tt.reason, Message: "m"}, org, now)
		if got.action != tt.want || got.reason != tt.reason || !got.stalled() {
			t.Errorf("%s %s: got {%d %s stalled=%t}, want {%d %s stalled}", tt.kind, tt.reason, got.action, got.reason, got.stalled(), tt.want, tt.reason)
		}
	}
}

func TestSecretRecheckIntervalDefault(t *testing.T) {
	if got := (Options{}).withDefaults().SecretRecheckInterval; got != DefaultSecretRecheckInterval {
		t.Errorf("default = %s, want %s", got, DefaultSecretRecheckInterval)
	}
	if got := (Options{CheckInterval: 2 * time.Second}).withDefaults().SecretRecheckInterval; got != 2*time.Second {
		t.Errorf("with a 2s check interval = %s, want 2s", got)
	}
}
