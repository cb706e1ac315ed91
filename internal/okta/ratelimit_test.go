package okta

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func TestRateLimitsAreRecordedPerBucket(t *testing.T) {
	headers := func(limit, remaining string) map[string]string {
		return map[string]string{"X-Rate-Limit-Limit": limit, "X-Rate-Limit-Remaining": remaining, "X-Rate-Limit-Reset": "1758217275"}
	}
	c, _, _ := newTestClient(t,
		cannedResponse{status: 200, body: `[]`, header: headers("50", "49")},
		cannedResponse{status: 200, body: `[]`, header: headers("1200", "1100")},
		cannedResponse{status: 200, body: `[]`, header: headers("120", "7")},
		cannedResponse{status: 200, body: `[]`}, // no headers: the last state stays
	)
	ctx := context.Background()
	if _, err := c.ListDeviceAssurances(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListPolicyRules(ctx, policyID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListLogEvents(ctx, LogQuery{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListPolicyRules(ctx, policyID); err != nil {
		t.Fatal(err)
	}
	reset := time.Unix(1758217275, 0).UTC()
	want := map[Bucket]RateLimit{
		BucketDeviceAssurances: {Limit: 50, Remaining: 49, Reset: reset},
		BucketAPIv1:            {Limit: 1200, Remaining: 1100, Reset: reset},
		BucketLogs:             {Limit: 120, Remaining: 7, Reset: reset},
	}
	got := c.RateLimits()
	if len(got) != len(want) {
		t.Fatalf("buckets %v", got)
	}
	for bucket, w := range want {
		g := got[bucket]
		if g.Limit != w.Limit || g.Remaining != w.Remaining || !g.Reset.Equal(w.Reset) || g.ObservedAt.IsZero() {
			t.Errorf("%s = %+v, want %+v", bucket, g, w)
		}
	}
}

func TestBucketOf(t *testing.T) {
	for path, want := range map[string]Bucket{
		"/api/v1/device-assurances/dae1": BucketDeviceAssurances,
		"/api/v1/device-posture-checks":  BucketDevicePostureCheck,
		"/api/v1/logs":                   BucketLogs,
		"/api/v1/policies/rst1/rules":    BucketAPIv1,
		"/oauth2/v1/token":               BucketToken,
	} {
		if got := bucketOf(path); got != want {
			t.Errorf("bucketOf(%s) = %s, want %s", path, got, want)
		}
	}
}

func TestWaitForResetUsesTheServerDate(t *testing.T) {
	h := http.Header{"X-Rate-Limit-Reset": {"1795953630"}, "Date": {serverDate}}
	// The local clock is an hour off; the server's Date decides.
	wait, ok := waitForReset(h, time.Date(2026, 11, 29, 13, 0, 0, 0, time.UTC))
	if !ok || wait != 31*time.Second {
		t.Errorf("wait %v", wait)
	}
	if wait, ok := waitForReset(http.Header{"X-Rate-Limit-Reset": {"1"}}, time.Now()); !ok || wait != time.Second {
		t.Errorf("a past reset waits the minimum, got %v", wait)
	}
	if _, ok := waitForReset(http.Header{}, time.Now()); ok {
		t.Error("no header, no wait")
	}
}
