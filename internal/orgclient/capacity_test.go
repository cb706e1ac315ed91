package orgclient

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
)

// figuresAPI reports fixed rate-limit figures and counts the calls that
// got through.
type figuresAPI struct {
	okta.API
	limits map[okta.Bucket]okta.RateLimit
	calls  int
}

func (f *figuresAPI) RateLimits() map[okta.Bucket]okta.RateLimit { return f.limits }

func (f *figuresAPI) ListDeviceAssurances(context.Context) ([]okta.DeviceAssuranceResponse, error) {
	f.calls++
	return nil, nil
}

func TestCapacity(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	reset := now.Add(30 * time.Second)
	da := func(limit, remaining int, reset time.Time) map[okta.Bucket]okta.RateLimit {
		return map[okta.Bucket]okta.RateLimit{okta.BucketDeviceAssurances: {Limit: limit, Remaining: remaining, Reset: reset}}
	}
	tests := []struct {
		name    string
		percent int32
		limits  map[okta.Bucket]okta.RateLimit
		refused bool
	}{
		{"no figures yet", 50, nil, false},
		{"above the reserve", 50, da(100, 51, reset), false},
		{"down to the reserve", 50, da(100, 50, reset), true},
		{"small share", 10, da(100, 90, reset), true},
		{"window over", 50, da(100, 0, now), false},
		{"concurrency 429 figures", 50, da(0, 0, reset), false},
		{"other bucket exhausted", 50, map[okta.Bucket]okta.RateLimit{okta.BucketLogs: {Limit: 60, Remaining: 0, Reset: reset}}, false},
		{"whole bucket allowed", 100, da(100, 0, reset), false},
		{"unset (pre-default object)", 0, da(100, 0, reset), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inner := &figuresAPI{limits: tt.limits}
			api := withCapacity(inner, tt.percent, func() time.Time { return now })
			_, err := api.ListDeviceAssurances(context.Background())
			if refused := err != nil; refused != tt.refused {
				t.Fatalf("err = %v, want refused %v", err, tt.refused)
			}
			if !tt.refused {
				return
			}
			if inner.calls != 0 {
				t.Error("a refused call reached the client")
			}
			var rl *okta.RateLimitError
			if okta.Class(err) != okta.ClassRateLimited || !errors.As(err, &rl) || !rl.Reset.Equal(reset) {
				t.Errorf("err = %v: want a rate-limit error resetting at %s", err, reset)
			}
		})
	}
}

func TestResolveEnforcesCapacityAgainstTheSimulator(t *testing.T) {
	org := oktasim.New(oktasim.Options{APITokens: []string{plantedToken}, RateLimits: oktasim.RateLimits{DeviceAssurances: 4}})
	srv := httptest.NewServer(org)
	defer srv.Close()
	spec := tokenSpec(srv.URL, "okta", "token")
	spec.AllowInsecureHTTP = true
	spec.CapacityPercent = 50
	obj := oktaOrg("team-a", "org", spec)
	markReady(&obj.Status)
	c := NewCache(newFakeClient(t, obj, secret("team-a", "okta", map[string]string{"token": plantedToken})),
		operatorNamespace, WithCapacityLimits(), WithConnectionPolicy(LocalSimulatorPolicy()))
	ref := &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindOktaOrg, Name: "org"}
	ctx := context.Background()

	var refused error
	sent := 0
	for range 4 {
		api, err := c.Resolve(ctx, "team-a", ref)
		if err != nil {
			t.Fatal(err)
		}
		if _, refused = api.ListDeviceAssurances(ctx); refused != nil {
			break
		}
		sent++
	}
	// Half of a bucket of 4: two requests, then the rest is left to others.
	if sent != 2 {
		t.Errorf("sent %d requests before stopping, want 2", sent)
	}
	var ce *CapacityError
	if !errors.As(refused, &ce) || ce.Remaining != 2 || !strings.Contains(refused.Error(), "capacityPercent 50") {
		t.Errorf("err = %v, want a CapacityError with 2 remaining", refused)
	}
}
