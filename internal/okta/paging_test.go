package okta

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// pagedServer serves pages[i] for `after=i` and links each page to the
// next; the last page links nowhere unless endless.
type pagedServer struct {
	mu      sync.Mutex
	pages   []string
	endless bool
	seen    []string // raw queries
	srv     *httptest.Server
}

func newPagedServer(t *testing.T, endless bool, pages ...string) *pagedServer {
	t.Helper()
	p := &pagedServer{pages: pages, endless: endless}
	p.srv = httptest.NewServer(p)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *pagedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.seen = append(p.seen, r.URL.RawQuery)
	p.mu.Unlock()
	index := 0
	if after := r.URL.Query().Get("after"); after != "" {
		_, _ = fmt.Sscanf(after, "cursor%d", &index)
	}
	self := p.srv.URL + r.URL.RequestURI()
	w.Header().Add("Link", "<"+self+`>; rel="self"`)
	if index+1 < len(p.pages) || p.endless {
		next := r.URL.Query()
		next.Del("since")
		next.Set("after", fmt.Sprintf("cursor%d", index+1))
		w.Header().Add("Link", "<"+p.srv.URL+r.URL.Path+"?"+next.Encode()+`>; rel="next"`)
	}
	w.Header().Set("Content-Type", "application/json")
	body := "[]"
	if index < len(p.pages) {
		body = p.pages[index]
	}
	_, _ = w.Write([]byte(body))
}

func (p *pagedServer) client(t *testing.T) *Client {
	t.Helper()
	c, err := New(Config{OrgURL: p.srv.URL, Credentials: APIToken(testToken), HTTPClient: specChecked(t, p.srv.Client()), Clock: newFakeClock()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (p *pagedServer) queries() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

func policyPage(ids ...string) string {
	items := make([]string, 0, len(ids))
	for _, id := range ids {
		items = append(items, `{"id":"`+id+`","name":"`+id+`","type":"ACCESS_POLICY","_embedded":{"resourceType":"APP"}}`)
	}
	return "[" + strings.Join(items, ",") + "]"
}

func TestListPoliciesFollowsNextLinks(t *testing.T) {
	p := newPagedServer(t, false, policyPage("rst1", "rst2"), policyPage("rst3"))
	got, err := p.client(t).ListPolicies(context.Background(), PolicyListOptions{Type: PolicyTypeAccess, Q: "App"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[2].ID != "rst3" || got[0].Embedded.ResourceType != "APP" {
		t.Errorf("got %+v", got)
	}
	want := []string{"q=App&type=ACCESS_POLICY", "after=cursor1&q=App&type=ACCESS_POLICY"}
	if q := p.queries(); fmt.Sprint(q) != fmt.Sprint(want) {
		t.Errorf("queries %q, want %q", q, want)
	}
}

// A server whose every page links to another page, however many there are,
// gets an error after maxPages requests: the caller's worker is not held
// for ever and its memory stays bounded.
func TestEndlessNextLinksStopAtThePageBudget(t *testing.T) {
	pages := make([]string, maxPages+10)
	for i := range pages {
		pages[i] = policyPage(fmt.Sprint("rst", i))
	}
	p := newPagedServer(t, true, pages...)
	_, err := p.client(t).ListPolicies(context.Background(), PolicyListOptions{Type: PolicyTypeAccess})
	if err == nil || !strings.Contains(err.Error(), "more than 1000 pages") {
		t.Fatalf("err = %v, want the page budget's error", err)
	}
	if n := len(p.queries()); n != maxPages {
		t.Errorf("%d requests, want maxPages = %d", n, maxPages)
	}
}

func TestNextLinkToAnotherHostIsRefused(t *testing.T) {
	c, _, _ := newTestClient(t, cannedResponse{status: 200, body: policyPage("rst1"), header: map[string]string{
		"Link": `<https://evil.example.com/api/v1/policies?after=x>; rel="next"`,
	}})
	_, err := c.ListPolicies(context.Background(), PolicyListOptions{Type: PolicyTypeAccess})
	if err == nil || !strings.Contains(err.Error(), "not the org") {
		t.Errorf("want a refusal, got %v", err)
	}
}

func TestLinkHeaderParsing(t *testing.T) {
	h := http.Header{}
	h.Add("Link", `<https://o/api/v1/logs?after=a>; rel="self"`)
	h.Add("Link", `<https://o/api/v1/logs?after=b>; rel="next"`)
	if got := nextLink(h); got != "https://o/api/v1/logs?after=b" {
		t.Errorf("nextLink = %q", got)
	}
	combined := http.Header{"Link": {`<https://o/a>; rel="self", <https://o/b>; rel=next`}}
	if got := nextLink(combined); got != "https://o/b" {
		t.Errorf("nextLink = %q", got)
	}
	if got := nextLink(http.Header{}); got != "" {
		t.Errorf("nextLink = %q", got)
	}
}

const logEvent = `{"uuid":"%s","published":"2026-11-29T12:00:00.000Z","eventType":"device.assurance.policy.update",
 "actor":{"id":"0oa1","type":"PublicClientApp"},"outcome":{"result":"SUCCESS"},
 "target":[{"id":"daekwr3rzajxbHUsN1d7","type":"DeviceAssurance","detailEntry":{"policyName":"Windows","policyPlatform":"WINDOWS"},
  "changeDetails":{"from":{"osVersion":"10.0"},"to":{"osVersion":"11.0"}}}],
 "transaction":{"id":"abc","type":"WEB","detail":{"requestApiTokenId":"00T1"}}}`

func logPage(uuids ...string) string {
	items := make([]string, 0, len(uuids))
	for _, u := range uuids {
		items = append(items, fmt.Sprintf(logEvent, u))
	}
	return "[" + strings.Join(items, ",") + "]"
}

func TestListLogEventsSendsTheQuery(t *testing.T) {
	p := newPagedServer(t, false, logPage("e1"))
	page, err := p.client(t).ListLogEvents(context.Background(), LogQuery{
		Since:     time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		Until:     time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
		Filter:    `eventType eq "device.assurance.policy.update"`,
		Limit:     200,
		SortOrder: SortDescending,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "filter=eventType+eq+%22device.assurance.policy.update%22&limit=200&since=2026-11-01T00%3A00%3A00.000Z&sortOrder=DESCENDING&until=2026-11-02T00%3A00%3A00.000Z"
	if q := p.queries(); len(q) != 1 || q[0] != want {
		t.Errorf("query %q, want %q", q, want)
	}
	ev := page.Events[0]
	if ev.Target[0].DetailEntry["policyName"] != "Windows" || ev.Target[0].ChangeDetails.To["osVersion"] != "11.0" ||
		ev.Transaction.Detail["requestApiTokenId"] != "00T1" || page.After != "" || page.NextURL != "" {
		t.Errorf("decoded %+v", page)
	}
	if _, err := p.client(t).ListLogEvents(context.Background(), LogQuery{Since: time.Now(), After: "x"}); err == nil {
		t.Error("since and after together must be refused")
	}
}

func TestLogPollerStopsOnAnEmptyPageAndResumes(t *testing.T) {
	// A polling query never runs out of next links
	// (docs/okta-api-behaviour.md §4.2).
	p := newPagedServer(t, true, logPage("e1", "e2"), logPage("e3"))
	poller := NewLogPoller(p.client(t), LogQuery{Filter: `eventType sw "device.assurance"`, Since: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)})
	events, err := poller.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 3 || events[2].UUID != "e3" {
		t.Fatalf("first poll got %d events", len(events))
	}
	if poller.Cursor() != "cursor3" {
		t.Errorf("cursor %q, want the empty page's next cursor3", poller.Cursor())
	}
	p.mu.Lock()
	p.pages = append(p.pages, "[]", logPage("e4")) // cursor2 was empty; cursor3 now has e4
	p.mu.Unlock()
	events, err = poller.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].UUID != "e4" {
		t.Errorf("second poll got %+v", events)
	}
	q := p.queries()
	if len(q) != 5 || !strings.Contains(q[0], "sortOrder=ASCENDING") || !strings.Contains(q[0], "since=") || !strings.Contains(q[3], "after=cursor3") {
		t.Errorf("queries %q", q)
	}
}
