package orgclient

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// countingAPI answers ListDeviceAssurances at once and reports fixed
// rate-limit figures.
type countingAPI struct {
	okta.API
	limits map[okta.Bucket]okta.RateLimit
	calls  int
}

func (c *countingAPI) RateLimits() map[okta.Bucket]okta.RateLimit { return c.limits }

func (c *countingAPI) ListDeviceAssurances(context.Context) ([]okta.DeviceAssuranceResponse, error) {
	c.calls++
	return nil, nil
}

func TestANamespaceWithARateShareWaitsForTheNextWindowWhileOthersGoOn(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	reset := now.Add(40 * time.Second)
	inner := &countingAPI{limits: map[okta.Bucket]okta.RateLimit{
		okta.BucketDeviceAssurances: {Limit: 100, Remaining: 100, Reset: reset},
	}}
	clock := now
	api := &governed{api: inner, gate: newGate(0), enforce: true, percent: 50, now: func() time.Time { return clock }}
	burst := WithTenantBudget(context.Background(), "team-burst", 10) // 10% of 50 of 100: 5 a window
	other := WithTenantBudget(context.Background(), "team-quiet", 10)
	whole := WithTenantBudget(context.Background(), "team-admin", 100)

	for i := range 5 {
		if _, err := api.ListDeviceAssurances(burst); err != nil {
			t.Fatalf("call %d of the share refused: %v", i+1, err)
		}
	}
	_, err := api.ListDeviceAssurances(burst)
	var ce *CapacityError
	if !errors.As(err, &ce) || ce.Tenant != "team-burst" || !ce.Reset.Equal(reset) || okta.Class(err) != okta.ClassRateLimited {
		t.Fatalf("the 6th call = %v, want a CapacityError of the namespace's share, waiting for the reset", err)
	}
	if want := "okta: namespace team-burst used its 5 requests to bucket device-assurances in this window (rateBudgetPercent 10 of the operator's share)"; len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
		t.Errorf("message = %q", err)
	}
	if _, err := api.ListDeviceAssurances(other); err != nil {
		t.Errorf("another namespace is held back by the first one's burst: %v", err)
	}
	for range 20 {
		if _, err := api.ListDeviceAssurances(whole); err != nil {
			t.Fatalf("a namespace without a share is limited: %v", err)
		}
	}
	if _, err := api.ListDeviceAssurances(context.Background()); err != nil {
		t.Errorf("a call without a namespace is limited: %v", err)
	}

	clock = reset.Add(time.Second)
	inner.limits[okta.BucketDeviceAssurances] = okta.RateLimit{Limit: 100, Remaining: 70, Reset: clock.Add(time.Minute)}
	if _, err := api.ListDeviceAssurances(burst); err != nil {
		t.Errorf("the next window does not give the namespace its share again: %v", err)
	}
	if inner.calls != 5+1+20+1+1 {
		t.Errorf("calls sent = %d, want every call but the refused one", inner.calls)
	}
}
