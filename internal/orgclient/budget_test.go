package orgclient

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

func TestRefusal(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	reset := now.Add(30 * time.Second)
	da := okta.BucketDeviceAssurances
	window := func(limit, remaining int) map[okta.Bucket]okta.RateLimit {
		return map[okta.Bucket]okta.RateLimit{da: {Limit: limit, Remaining: remaining, Reset: reset}}
	}
	concurrency := func(reset, observed time.Time) map[okta.Bucket]okta.RateLimit {
		return map[okta.Bucket]okta.RateLimit{
			da:                     {Limit: 100, Remaining: 99, Reset: now.Add(time.Minute)},
			okta.BucketConcurrency: {Reset: reset, ObservedAt: observed},
		}
	}
	const high, low = UrgencyHigh, UrgencyLow
	tests := []struct {
		name     string
		figures  map[okta.Bucket]okta.RateLimit
		p        Urgency
		percent  int
		inFlight int
		// refused is the bucket of the refusal, "" for none.
		refused okta.Bucket
		until   time.Time
	}{
		{"no figures", nil, low, 50, 0, "", time.Time{}},
		{"high above the reserve", window(100, 51), high, 50, 0, "", time.Time{}},
		{"high down to the reserve", window(100, 50), high, 50, 0, da, reset},
		// The share is sized from the live limit: 50% of 1000.
		{"larger live limit", window(1000, 501), high, 50, 0, "", time.Time{}},
		{"in-flight requests count", window(100, 53), high, 50, 3, da, reset},
		{"low keeps 10% of the limit above the reserve", window(100, 61), low, 50, 0, "", time.Time{}},
		{"low down to the headroom", window(100, 60), low, 50, 0, da, reset},
		{"low with in flight", window(100, 62), low, 50, 2, da, reset},
		{"low headroom is at least one request", window(5, 4), low, 50, 0, "", time.Time{}},
		{"low headroom of one request reached", window(5, 3), low, 50, 0, da, reset},
		{"high, whole bucket: Okta's 429 stops it", window(100, 0), high, 100, 0, "", time.Time{}},
		{"low, whole bucket: headroom still kept", window(100, 10), low, 100, 0, da, reset},
		{"low, unset percent: headroom still kept", window(100, 10), low, 0, 0, da, reset},
		{"low, unset percent, room left", window(100, 11), low, 0, 0, "", time.Time{}},
		{"window over", map[okta.Bucket]okta.RateLimit{da: {Limit: 100, Remaining: 0, Reset: now}}, low, 50, 0, "", time.Time{}},
		{"concurrency figures in the bucket (Limit 0)", window(0, 0), low, 50, 0, "", time.Time{}},
		{"other bucket exhausted", map[okta.Bucket]okta.RateLimit{okta.BucketLogs: {Limit: 60, Remaining: 0, Reset: reset}}, low, 50, 0, "", time.Time{}},
		{"after a concurrency 429, high waits", concurrency(now.Add(5*time.Second), now.Add(-time.Second)), high, 100, 0,
			okta.BucketConcurrency, now.Add(5 * time.Second)},
		{"after a concurrency 429, low waits", concurrency(now.Add(5*time.Second), now), low, 50, 0,
			okta.BucketConcurrency, now.Add(5 * time.Second)},
		{"concurrency pause is bounded", concurrency(now.Add(time.Hour), now.Add(-time.Second)), high, 50, 0,
			okta.BucketConcurrency, now.Add(MaxConcurrencyPause - time.Second)},
		{"concurrency pause over", concurrency(now, now.Add(-5*time.Second)), high, 50, 0, "", time.Time{}},
		{"concurrency pause bounded and over", concurrency(now.Add(time.Hour), now.Add(-MaxConcurrencyPause)), low, 50, 0, "", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ce := Refusal(tt.figures, da, tt.p, tt.percent, tt.inFlight, now)
			if tt.refused == "" {
				if ce != nil {
					t.Fatalf("refused: %v", ce)
				}
				return
			}
			if ce == nil {
				t.Fatal("not refused")
			}
			if ce.Bucket != tt.refused || !ce.Reset.Equal(tt.until) || ce.Urgency != tt.p {
				t.Errorf("refusal %+v, want bucket %s until %s", ce, tt.refused, tt.until)
			}
			var rl *okta.RateLimitError
			if okta.Class(ce) != okta.ClassRateLimited || !errors.As(error(ce), &rl) || !rl.Reset.Equal(tt.until) {
				t.Errorf("%v does not read as a 429 resetting at %s", ce, tt.until)
			}
			if tt.refused == okta.BucketConcurrency && !rl.Concurrency() {
				t.Error("a concurrency refusal does not read as a concurrency 429")
			}
		})
	}
}

func TestCapacityErrorMessages(t *testing.T) {
	reset := time.Date(2026, 11, 29, 12, 0, 30, 0, time.UTC)
	for _, tt := range []struct {
		err  CapacityError
		want string
	}{
		{CapacityError{Bucket: okta.BucketAPIv1, Percent: 50, Limit: 600, Remaining: 300, Reset: reset},
			"bucket api-v1 has 300 of 600 requests left in this window, which capacityPercent 50 leaves to other clients; next window at 2026-11-29T12:00:30Z"},
		{CapacityError{Bucket: okta.BucketAPIv1, Percent: 50, Limit: 600, Remaining: 350, Reset: reset, Urgency: UrgencyLow, InFlight: 2},
			"(2 more in flight), which capacityPercent 50 leaves to other clients and to changed objects ahead of resyncs"},
		{CapacityError{Bucket: okta.BucketConcurrency, Reset: reset}, "concurrency limit; next attempt at 2026-11-29T12:00:30Z"},
	} {
		if got := tt.err.Error(); !strings.Contains(got, tt.want) {
			t.Errorf("%q lacks %q", got, tt.want)
		}
	}
}

func TestPriorityDefaultsToHigh(t *testing.T) {
	ctx := context.Background()
	if UrgencyFrom(ctx) != UrgencyHigh {
		t.Error("an unmarked context is not high urgency")
	}
	if UrgencyFrom(WithUrgency(ctx, UrgencyLow)) != UrgencyLow || UrgencyLow.String() != "low" || UrgencyHigh.String() != "high" {
		t.Error("WithUrgency lost the urgency")
	}
}

func TestReservedHighSlots(t *testing.T) {
	for n, want := range map[int]int{0: 0, 1: 0, 2: 1, 3: 1, 4: 1, 8: 2, 12: 3, 40: 10} {
		if got := ReservedHighSlots(n); got != want {
			t.Errorf("ReservedHighSlots(%d) = %d, want %d", n, got, want)
		}
	}
}

// blockingAPI holds every ListDeviceAssurances call until released, and
// records the most calls it saw at once and the order they started in.
type blockingAPI struct {
	okta.API
	limits  map[okta.Bucket]okta.RateLimit
	release chan struct{}
	started chan string
	mu      sync.Mutex
	now     int
	peak    int
}

func newBlockingAPI() *blockingAPI {
	return &blockingAPI{release: make(chan struct{}), started: make(chan string, 100)}
}

func (b *blockingAPI) RateLimits() map[okta.Bucket]okta.RateLimit { return b.limits }

func (b *blockingAPI) ListDeviceAssurances(ctx context.Context) ([]okta.DeviceAssuranceResponse, error) {
	b.mu.Lock()
	b.now++
	b.peak = max(b.peak, b.now)
	b.mu.Unlock()
	b.started <- UrgencyFrom(ctx).String()
	<-b.release
	b.mu.Lock()
	b.now--
	b.mu.Unlock()
	return nil, nil
}

// waitFor polls until cond holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func governedFor(api okta.API, slots int) *governed {
	return &governed{api: api, gate: newGate(slots), now: time.Now}
}

func TestInFlightCap(t *testing.T) {
	inner := newBlockingAPI()
	api := governedFor(inner, 3)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { _, _ = api.ListDeviceAssurances(context.Background()) })
	}
	waitFor(t, "3 calls in flight and 7 waiting", func() bool {
		inUse, high, _ := api.gate.counts()
		return inUse == 3 && high == 7
	})
	close(inner.release)
	wg.Wait()
	if inner.peak != 3 {
		t.Errorf("%d calls in flight at once, want 3", inner.peak)
	}
	if inUse, high, low := api.gate.counts(); inUse != 0 || high != 0 || low != 0 {
		t.Errorf("slots not all returned: %d in use, %d+%d waiting", inUse, high, low)
	}
}

func TestHighPriorityGoesFirst(t *testing.T) {
	inner := newBlockingAPI()
	api := governedFor(inner, 4) // one slot reserved for high urgency
	low := WithUrgency(context.Background(), UrgencyLow)
	var wg sync.WaitGroup
	call := func(ctx context.Context) { wg.Go(func() { _, _ = api.ListDeviceAssurances(ctx) }) }

	// Low-urgency calls get three slots, not the reserved fourth.
	for range 4 {
		call(low)
	}
	waitFor(t, "3 low in flight, 1 waiting", func() bool {
		inUse, _, lowWaiting := api.gate.counts()
		return inUse == 3 && lowWaiting == 1
	})
	// A high-urgency call takes the reserved slot at once; the next one
	// waits, ahead of the waiting low-urgency call.
	call(context.Background())
	started := map[string]int{}
	for range 4 {
		started[<-inner.started]++
	}
	if started["low"] != 3 || started["high"] != 1 {
		t.Fatalf("started %v, want 3 low and 1 high", started)
	}
	call(context.Background())
	waitFor(t, "1 high and 1 low waiting", func() bool {
		inUse, high, lowWaiting := api.gate.counts()
		return inUse == 4 && high == 1 && lowWaiting == 1
	})
	inner.release <- struct{}{}
	if got := <-inner.started; got != "high" {
		t.Errorf("a freed slot went to a %s-urgency call ahead of a waiting high-urgency one", got)
	}
	close(inner.release)
	wg.Wait()
	if got := <-inner.started; got != "low" {
		t.Errorf("last started %s, want the waiting low-urgency call", got)
	}
}

func TestWaitingForASlotEndsWithTheContext(t *testing.T) {
	inner := newBlockingAPI()
	api := governedFor(inner, 1)
	go func() { _, _ = api.ListDeviceAssurances(context.Background()) }()
	<-inner.started
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := api.ListDeviceAssurances(ctx); done <- err }()
	waitFor(t, "a waiting call", func() bool { _, high, _ := api.gate.counts(); return high == 1 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want the context's", err)
	}
	if _, high, _ := api.gate.counts(); high != 0 {
		t.Error("the cancelled call still waits")
	}
	close(inner.release)
	waitFor(t, "the slot back", func() bool { inUse, _, _ := api.gate.counts(); return inUse == 0 })
}

// A high-urgency call that gives up lets the low-urgency calls behind it
// have the free slots.
func TestCancelledHighCallUnblocksLowOnes(t *testing.T) {
	g := newGate(4)
	ctx := context.Background()
	for range 4 {
		if err := g.acquire(ctx, UrgencyHigh); err != nil {
			t.Fatal(err)
		}
	}
	highCtx, cancelHigh := context.WithCancel(ctx)
	highDone := make(chan error)
	go func() { highDone <- g.acquire(highCtx, UrgencyHigh) }()
	lowDone := make(chan error)
	go func() { lowDone <- g.acquire(ctx, UrgencyLow) }()
	waitFor(t, "both waiting", func() bool { _, h, l := g.counts(); return h == 1 && l == 1 })
	g.release()
	g.release() // two free: the high one takes one, the low one must wait (reserved)
	if err := <-highDone; err != nil {
		t.Fatal(err)
	}
	waitFor(t, "low still waiting for the reserve", func() bool { inUse, _, l := g.counts(); return inUse == 3 && l == 1 })
	cancelHigh()
	g.release() // 2 in use: the low one goes
	if err := <-lowDone; err != nil {
		t.Fatal(err)
	}
}

// Resolve's clients refuse before sending once a 429 told the figures, and
// wait for the reset of a concurrency 429 instead of drawing more.
func TestRefusalFollowsOkta429s(t *testing.T) {
	reset := time.Now().Add(20 * time.Second).Truncate(time.Second)
	var served atomic.Int32
	var concurrency atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		served.Add(1)
		limit := "600"
		if concurrency.Load() {
			limit = "0"
		}
		w.Header().Set("X-Rate-Limit-Limit", limit)
		w.Header().Set("X-Rate-Limit-Remaining", "0")
		w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(reset.Unix(), 10))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}`))
	}))
	defer srv.Close()
	for _, tt := range []struct {
		name        string
		concurrency bool
		bucket      okta.Bucket
	}{
		{"window 429", false, okta.BucketDeviceAssurances},
		{"concurrency 429", true, okta.BucketConcurrency},
	} {
		t.Run(tt.name, func(t *testing.T) {
			concurrency.Store(tt.concurrency)
			served.Store(0)
			client, err := okta.New(okta.Config{OrgURL: srv.URL, Credentials: okta.APIToken(plantedToken),
				Retry: okta.RetryConfig{MaxAttempts: 1}})
			if err != nil {
				t.Fatal(err)
			}
			api := &governed{api: client, gate: newGate(8), enforce: true, percent: 50, now: time.Now}
			if _, err := api.ListDeviceAssurances(context.Background()); !okta.IsRateLimited(err) {
				t.Fatalf("first call: %v", err)
			}
			_, err = api.ListDeviceAssurances(context.Background())
			var ce *CapacityError
			if !errors.As(err, &ce) || ce.Bucket != tt.bucket || !ce.Reset.Equal(reset) {
				t.Errorf("second call: %v, want a CapacityError on %s until %s", err, tt.bucket, reset)
			}
			if n := served.Load(); n != 1 {
				t.Errorf("Okta saw %d requests, want 1", n)
			}
		})
	}
}

func TestCacheSharesOneGatePerOrg(t *testing.T) {
	spec := tokenSpec("https://example.okta.com", "okta", "token")
	spec.CapacityPercent = 50
	obj := oktaOrg("team-a", "org", spec)
	markReady(&obj.Status)
	kc := newFakeClient(t, obj, secret("team-a", "okta", map[string]string{"token": plantedToken}))
	c := NewCache(kc, operatorNamespace, WithCapacityLimits(), WithMaxInFlight(3))
	ref := &v1alpha1.OrgReference{Kind: v1alpha1.OrgKindOktaOrg, Name: "org"}
	ctx := context.Background()
	a, err := c.Resolve(ctx, "team-a", ref)
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Resolve(ctx, "team-a", ref)
	if err != nil {
		t.Fatal(err)
	}
	org, err := c.View(obj)
	if err != nil {
		t.Fatal(err)
	}
	check, err := c.Client(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	ga, gb, gc := a.(*governed), b.(*governed), check.(*governed)
	if ga.gate != gb.gate || ga.gate != gc.gate || ga.gate.max != 3 {
		t.Error("the clients of one org do not share its request slots")
	}
	if !ga.enforce || ga.percent != 50 || gc.enforce {
		t.Errorf("Resolve enforces %v (%d%%), Client %v", ga.enforce, ga.percent, gc.enforce)
	}
	if NewCache(kc, operatorNamespace).maxInFlight != DefaultMaxInFlight || NewCache(kc, operatorNamespace, WithMaxInFlight(0)).maxInFlight != DefaultMaxInFlight {
		t.Error("the default is not DefaultMaxInFlight")
	}
	c.Forget(org.Kind, org.Key)
	if len(c.gates) != 0 {
		t.Error("Forget kept the org's gate")
	}
}
