package oktasim

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// tryDo is do that returns the transport error instead of failing.
func (o *testOrg) tryDo(ctx context.Context, method, path string, body any) (int, http.Header, []byte, error) {
	o.t.Helper()
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			o.t.Fatal(err)
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, o.srv.URL+path, reader)
	if err != nil {
		o.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "SSWS "+testToken)
	// A fresh connection each time, so that the transport's silent retry of
	// an idempotent request on a reused connection does not hide a fault.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, raw, err
}

func (o *testOrg) deviceAssuranceCount() int {
	o.org.mu.Lock()
	defer o.org.mu.Unlock()
	return len(o.org.deviceAssures)
}

func (o *testOrg) faultHits(id string) int {
	for _, s := range o.org.Faults() {
		if s.ID == id {
			return s.Hits
		}
	}
	o.t.Fatalf("no fault %s", id)
	return 0
}

func TestFaultStatusBodies(t *testing.T) {
	now := time.Date(2026, 4, 20, 3, 30, 0, 0, time.UTC)
	tests := []struct {
		status      int
		code        string
		summary     string
		contentType string
	}{
		{500, "E0000009", "Internal Server Error", "application/json"},
		{503, "E0000010", "Service is in read only mode", "application/json"},
		{423, "E0000239", "Policy priorities are being reconciled. Please try again later.", "application/json"},
		{429, "E0000047", "API call exceeded rate limit due to too many requests.", "application/json"},
		{502, "", "", "text/html"},
		{504, "", "", "text/html"},
	}
	for _, tc := range tests {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			o := newTestOrg(t, Options{Now: func() time.Time { return now }})
			id := o.org.InjectFault(Fault{Status: tc.status, Method: "POST", Path: "/api/v1/device-assurances", ResetAfter: 7 * time.Second})
			status, header, raw, err := o.tryDo(t.Context(), "POST", "/api/v1/device-assurances", androidDA("faulted"))
			if err != nil {
				t.Fatal(err)
			}
			if status != tc.status || !strings.HasPrefix(header.Get("Content-Type"), tc.contentType) {
				t.Fatalf("status %d %q, want %d %s: %s", status, header.Get("Content-Type"), tc.status, tc.contentType, raw)
			}
			if header.Get("X-Okta-Request-Id") == "" {
				t.Error("no X-Okta-Request-Id")
			}
			if tc.code != "" {
				var body map[string]any
				if err := json.Unmarshal(raw, &body); err != nil {
					t.Fatal(err)
				}
				if body["errorCode"] != tc.code || body["errorSummary"] != tc.summary || body["errorLink"] != tc.code {
					t.Errorf("body %s", raw)
				}
			} else if !strings.Contains(string(raw), strconv.Itoa(tc.status)) {
				t.Errorf("body %s", raw)
			}
			if tc.status == 429 {
				wantReset := strconv.FormatInt(now.Add(7*time.Second).Unix(), 10)
				if header.Get("X-Rate-Limit-Reset") != wantReset || header.Get("X-Rate-Limit-Remaining") != "0" || header.Get("X-Rate-Limit-Limit") != "50" {
					t.Errorf("429 headers %v, want reset %s", header, wantReset)
				}
			}
			if n := o.deviceAssuranceCount(); n != 0 {
				t.Errorf("%d policies created behind a %d", n, tc.status)
			}
			if o.faultHits(id) != 1 {
				t.Errorf("hits %d", o.faultHits(id))
			}
			// The GET is not matched: served normally.
			mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 200)
		})
	}
}

func TestFault429ResetDefaultsToTheFaultsEnd(t *testing.T) {
	now := time.Date(2026, 4, 20, 3, 30, 0, 0, time.UTC)
	o := newTestOrg(t, Options{Now: func() time.Time { return now }})
	o.org.InjectFault(Fault{Status: 429, For: 5 * time.Second})
	r := o.do("GET", "/api/v1/policies?type=ACCESS_POLICY", nil)
	assertError(t, r, 429, "E0000047", "")
	if got, want := r.header.Get("X-Rate-Limit-Reset"), strconv.FormatInt(now.Add(5*time.Second).Unix(), 10); got != want {
		t.Errorf("reset %s, want %s", got, want)
	}
}

func TestFaultDelay(t *testing.T) {
	o := newTestOrg(t, Options{})
	o.org.InjectFault(Fault{Effect: EffectDelay, Delay: 300 * time.Millisecond, Method: "POST"})

	start := time.Now()
	status, _, _, err := o.tryDo(t.Context(), "POST", "/api/v1/device-assurances", androidDA("slow"))
	if err != nil || status != 200 {
		t.Fatalf("status %d err %v", status, err)
	}
	if elapsed := time.Since(start); elapsed < 300*time.Millisecond {
		t.Errorf("answered after %v, before the delay", elapsed)
	}
	if o.deviceAssuranceCount() != 1 {
		t.Error("the delayed POST did not create the policy")
	}

	// A client that gives up before the delay ends: nothing is served.
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, _, _, err := o.tryDo(ctx, "POST", "/api/v1/device-assurances", androidDA("abandoned")); err == nil {
		t.Fatal("no timeout")
	}
	time.Sleep(400 * time.Millisecond)
	if n := o.deviceAssuranceCount(); n != 1 {
		t.Errorf("%d policies: the abandoned request was served", n)
	}
}

func TestFaultDropResponseCommitsButDoesNotAnswer(t *testing.T) {
	o := newTestOrg(t, Options{})
	o.org.InjectFault(Fault{Effect: EffectDropResponse, Method: "POST", Path: "/api/v1/device-assurances", Count: 1})
	status, _, _, err := o.tryDo(t.Context(), "POST", "/api/v1/device-assurances", androidDA("lost-answer"))
	if err == nil {
		t.Fatalf("the client got an answer (%d)", status)
	}
	if n := o.deviceAssuranceCount(); n != 1 {
		t.Fatalf("%d policies, want the one the POST created", n)
	}
	list := o.do("GET", "/api/v1/device-assurances", nil)
	if len(list.array()) != 1 || dig(list.array()[0], "name") != "lost-answer" {
		t.Errorf("list %s", list.raw)
	}
	// Count 1: the next POST is answered.
	status, _, _, err = o.tryDo(t.Context(), "POST", "/api/v1/device-assurances", androidDA("answered"))
	if err != nil || status != 200 {
		t.Fatalf("second POST: %d %v", status, err)
	}
	counts := o.do("GET", "/_oktasim/requests", nil)
	if !strings.Contains(string(counts.raw), `{"method":"POST","template":"/api/v1/device-assurances","status":200,"count":2}`) {
		t.Errorf("request counts %s", counts.raw)
	}
}

func TestFaultUnreachableChangesNothing(t *testing.T) {
	o := newTestOrg(t, Options{})
	o.org.InjectFault(Fault{Effect: EffectUnreachable})
	for _, req := range []struct{ method, path string }{
		{"POST", "/api/v1/device-assurances"}, {"GET", "/api/v1/device-assurances"}, {"POST", "/oauth2/v1/token"},
	} {
		var body any
		if req.method == "POST" {
			body = androidDA("never")
		}
		if status, _, _, err := o.tryDo(t.Context(), req.method, req.path, body); err == nil {
			t.Errorf("%s %s answered %d", req.method, req.path, status)
		}
	}
	if n := o.deviceAssuranceCount(); n != 0 {
		t.Errorf("%d policies created while unreachable", n)
	}
	// The inspection routes are not faulted.
	mustStatus(t, o.do("GET", "/_oktasim/state", nil), 200)
	o.org.ClearFaults()
	mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 200)
}

func TestFaultMatching(t *testing.T) {
	type req struct {
		method, path string
		faulted      bool
	}
	tests := []struct {
		name  string
		fault Fault
		reqs  []req
	}{
		{"method only", Fault{Status: 500, Method: "put"}, []req{
			{"PUT", "/api/v1/device-assurances/x", true}, {"GET", "/api/v1/device-assurances", false}}},
		{"several methods", Fault{Status: 500, Method: "PUT|DELETE"}, []req{
			{"PUT", "/api/v1/device-assurances/x", true}, {"DELETE", "/api/v1/device-assurances/x", true}, {"GET", "/api/v1/device-assurances/x", false}}},
		{"path prefix on segments", Fault{Status: 500, Path: "/api/v1/device-assurances"}, []req{
			{"GET", "/api/v1/device-assurances", true}, {"GET", "/api/v1/device-assurances/x", true},
			{"GET", "/api/v1/device-posture-checks", false}, {"GET", "/api/v1/policies", false}}},
		{"route template", Fault{Status: 500, Path: "/api/v1/device-assurances/{id}"}, []req{
			{"GET", "/api/v1/device-assurances/x", true}, {"GET", "/api/v1/device-assurances", false}}},
		{"bucket", Fault{Status: 500, Bucket: "api-v1"}, []req{
			{"GET", "/api/v1/policies?type=ACCESS_POLICY", true}, {"GET", "/api/v1/device-assurances", false}}},
		{"everything", Fault{Status: 500}, []req{
			{"GET", "/api/v1/logs", true}, {"GET", "/api/v1/device-assurances", true}, {"GET", "/_oktasim/state", false}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := newTestOrg(t, Options{})
			o.org.InjectFault(tc.fault)
			for _, r := range tc.reqs {
				status, _, raw, err := o.tryDo(t.Context(), r.method, r.path, nil)
				if err != nil {
					t.Fatal(err)
				}
				if faulted := status == 500 && strings.Contains(string(raw), "E0000009"); faulted != r.faulted {
					t.Errorf("%s %s: status %d, want faulted %v", r.method, r.path, status, r.faulted)
				}
			}
		})
	}
}

func TestFaultExpiry(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 4, 20, 3, 30, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }

	t.Run("count", func(t *testing.T) {
		o := newTestOrg(t, Options{Now: clock})
		id := o.org.InjectFault(Fault{Status: 503, Count: 3})
		got := make([]int, 0, 5)
		for range 5 {
			got = append(got, o.do("GET", "/api/v1/device-assurances", nil).status)
		}
		if want := []int{503, 503, 503, 200, 200}; !slicesEqual(got, want) {
			t.Errorf("statuses %v, want %v", got, want)
		}
		if s := o.org.Faults()[0]; s.ID != id || s.Hits != 3 || s.Active {
			t.Errorf("status %+v", s)
		}
	})
	t.Run("for", func(t *testing.T) {
		o := newTestOrg(t, Options{Now: clock})
		o.org.InjectFault(Fault{Status: 503, For: 10 * time.Second})
		mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 503)
		advance(9 * time.Second)
		mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 503)
		advance(time.Second)
		mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 200)
		if s := o.org.Faults()[0]; s.Hits != 2 || s.Active || s.ExpiresAt == nil {
			t.Errorf("status %+v", s)
		}
	})
	t.Run("until, with a count that ends first", func(t *testing.T) {
		o := newTestOrg(t, Options{Now: clock})
		o.org.InjectFault(Fault{Status: 500, Until: clock().Add(time.Minute), Count: 1})
		mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 500)
		mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 200)
	})
	t.Run("until", func(t *testing.T) {
		o := newTestOrg(t, Options{Now: clock})
		o.org.InjectFault(Fault{Status: 500, Until: clock().Add(time.Minute)})
		mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 500)
		advance(time.Minute)
		mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 200)
	})
	t.Run("no limit until removed; the first active fault applies", func(t *testing.T) {
		o := newTestOrg(t, Options{Now: clock})
		first := o.org.InjectFault(Fault{Status: 500})
		o.org.InjectFault(Fault{Status: 503})
		advance(time.Hour)
		mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 500)
		if !o.org.RemoveFault(first) || o.org.RemoveFault(first) {
			t.Error("RemoveFault")
		}
		mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 503)
		o.org.ClearFaults()
		mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 200)
	})
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFaultsDoNotConsumeRateLimit(t *testing.T) {
	o := newTestOrg(t, Options{RateLimits: RateLimits{DeviceAssurances: 2}})
	o.org.InjectFault(Fault{Status: 503, Count: 5})
	for range 5 {
		mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 503)
	}
	mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 200)
	mustStatus(t, o.do("GET", "/api/v1/device-assurances", nil), 200)
	assertError(t, o.do("GET", "/api/v1/device-assurances", nil), 429, "E0000047", "")
}

func TestFaultsFromOptions(t *testing.T) {
	o := newTestOrg(t, Options{Faults: []Fault{{Status: 502, Method: "GET"}}})
	if status, _, _, _ := o.tryDo(t.Context(), "GET", "/api/v1/device-assurances", nil); status != 502 {
		t.Errorf("status %d", status)
	}
	if _, err := NewOrg(Options{Faults: []Fault{{Status: 200}}}); err == nil {
		t.Error("NewOrg accepted a fault with status 200")
	}
}

func TestFaultsConcurrently(t *testing.T) {
	o := newTestOrg(t, Options{})
	id := o.org.InjectFault(Fault{Status: 500, Count: 20})
	var wg sync.WaitGroup
	var mu sync.Mutex
	faulted := 0
	for range 50 {
		wg.Go(func() {
			status, _, _, err := o.tryDo(t.Context(), "GET", "/api/v1/device-assurances", nil)
			if err != nil {
				t.Error(err)
			}
			if status == 500 {
				mu.Lock()
				faulted++
				mu.Unlock()
			}
			_ = o.org.Faults()
		})
	}
	wg.Wait()
	if faulted != 20 || o.faultHits(id) != 20 {
		t.Errorf("%d faulted, %d hits, want 20", faulted, o.faultHits(id))
	}
}

func TestFaultHTTPAPI(t *testing.T) {
	o := newTestOrg(t, Options{})
	tests := []struct {
		name       string
		method     string
		path       string
		body       string
		wantStatus int
		wantBody   string
	}{
		{"empty list", "GET", "/_oktasim/faults", "", 200, `[]`},
		{"inject", "POST", "/_oktasim/faults", `{"status":503,"method":"POST","path":"/api/v1/device-assurances","count":3}`, 201, `{"id":"fault-1"}`},
		{"inject a delay", "POST", "/_oktasim/faults", `{"effect":"delay","delay":"1.5s","for":"2m"}`, 201, `{"id":"fault-2"}`},
		{"invalid effect", "POST", "/_oktasim/faults", `{"effect":"explode"}`, 400, `unknown effect`},
		{"invalid duration", "POST", "/_oktasim/faults", `{"effect":"delay","delay":"soon"}`, 400, `delay`},
		{"not JSON", "POST", "/_oktasim/faults", `status=503`, 400, `fault`},
		{"list", "GET", "/_oktasim/faults", "", 200,
			`"fault":{"effect":"status","method":"POST","path":"/api/v1/device-assurances","status":503,"count":3},"hits":0,"active":true`},
		{"list shows durations", "GET", "/_oktasim/faults", "", 200, `"fault":{"effect":"delay","delay":"1.5s","for":"2m0s"}`},
		{"remove one", "DELETE", "/_oktasim/faults/fault-2", "", 204, ``},
		{"remove unknown", "DELETE", "/_oktasim/faults/fault-2", "", 404, `no fault`},
	}
	for _, tc := range tests {
		var body io.Reader
		if tc.body != "" {
			body = strings.NewReader(tc.body)
		}
		req, _ := http.NewRequestWithContext(t.Context(), tc.method, o.srv.URL+tc.path, body)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != tc.wantStatus || !strings.Contains(string(raw), tc.wantBody) {
			t.Errorf("%s: %d %s, want %d containing %s", tc.name, resp.StatusCode, raw, tc.wantStatus, tc.wantBody)
		}
	}

	// The injected fault applies, and its hits show in the list.
	status, _, _, err := o.tryDo(t.Context(), "POST", "/api/v1/device-assurances", androidDA("x"))
	if err != nil || status != 503 {
		t.Fatalf("POST: %d %v", status, err)
	}
	list := o.do("GET", "/_oktasim/faults", nil)
	if len(list.array()) != 1 || dig(list.array()[0], "hits") != jsonNumber("1") {
		t.Errorf("list %s", list.raw)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodDelete, o.srv.URL+"/_oktasim/faults", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE all: %v %v", resp, err)
	}
	_ = resp.Body.Close()
	if len(o.org.Faults()) != 0 {
		t.Error("faults left")
	}
}

func TestParseFault(t *testing.T) {
	until := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		spec    string
		want    Fault
		wantErr string
	}{
		{"status=503,method=POST,path=/api/v1/device-assurances,count=3",
			Fault{Effect: EffectStatus, Status: 503, Method: "POST", Path: "/api/v1/device-assurances", Count: 3}, ""},
		{"delay=5s,for=2m", Fault{Effect: EffectDelay, Delay: 5 * time.Second, For: 2 * time.Minute}, ""},
		{"drop-response,method=POST,bucket=device-assurances", Fault{Effect: EffectDropResponse, Method: "POST", Bucket: "device-assurances"}, ""},
		{"unreachable,until=2026-05-01T12:00:00Z", Fault{Effect: EffectUnreachable, Until: until}, ""},
		{"status=429,reset=10s,path=/api/v1/device-assurances/{id}", Fault{Effect: EffectStatus, Status: 429, ResetAfter: 10 * time.Second, Path: "/api/v1/device-assurances/{id}"}, ""},
		{"effect=unreachable", Fault{Effect: EffectUnreachable}, ""},
		{"method=POST", Fault{}, "no effect"},
		{"status=200", Fault{}, "not an HTTP error status"},
		{"status=abc", Fault{}, "status"},
		{"delay=5", Fault{}, "delay"},
		{"unreachable,colour=red", Fault{}, "unknown item"},
		{"unreachable=yes", Fault{}, "takes no value"},
		{"status=500,path=api", Fault{}, "must start with /"},
		{"status=500,count=-1", Fault{}, "negative"},
	}
	for _, tc := range tests {
		got, err := ParseFault(tc.spec)
		switch {
		case tc.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: error %v, want %q", tc.spec, err, tc.wantErr)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.spec, err)
		case !got.Until.Equal(tc.want.Until) || func() bool { got.Until, tc.want.Until = time.Time{}, time.Time{}; return got != tc.want }():
			t.Errorf("%q: %+v, want %+v", tc.spec, got, tc.want)
		}
	}
}

func TestFaultJSONRoundTrip(t *testing.T) {
	f := Fault{Effect: EffectDelay, Method: "GET", Delay: 1500 * time.Millisecond, For: time.Minute, Count: 2,
		Until: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	raw, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var back Fault
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !back.Until.Equal(f.Until) || back.Delay != f.Delay || back.For != f.For || back.Count != 2 || back.Method != http.MethodGet {
		t.Errorf("%s → %+v", raw, back)
	}
	if err := json.Unmarshal([]byte(`{"effect":"delay","delay":2000000000}`), &back); err != nil || back.Delay != 2*time.Second {
		t.Errorf("nanoseconds: %+v %v", back, err)
	}
}
