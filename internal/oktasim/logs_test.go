package oktasim

import (
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var nextLinkPattern = regexp.MustCompile(`<([^>]+)>; rel="next"`)

func nextLink(r response) string {
	for _, l := range r.header.Values("Link") {
		if m := nextLinkPattern.FindStringSubmatch(l); m != nil {
			return m[1]
		}
	}
	return ""
}

func eventTypes(r response) []string {
	out := make([]string, 0, len(r.array()))
	for _, e := range r.array() {
		out = append(out, e.(map[string]any)["eventType"].(string))
	}
	return out
}

// makeLogHistory creates, updates and deletes a DA and a rule.
func makeLogHistory(t *testing.T, o *testOrg) (daID string) {
	t.Helper()
	da := o.do("POST", "/api/v1/device-assurances", androidDA("Android"))
	daID = da.object()["id"].(string)
	mustStatus(t, o.do("PUT", "/api/v1/device-assurances/"+daID, map[string]any{"name": "Android 13", "platform": "ANDROID",
		"osVersion": map[string]any{"minimum": "13"}, "jailbreak": false}), 200)
	policyID := o.firstPolicyID()
	rule := o.do("POST", "/api/v1/policies/"+policyID+"/rules", simpleRule("r", 0))
	ruleID := rule.object()["id"].(string)
	mustStatus(t, o.do("POST", "/api/v1/policies/"+policyID+"/rules/"+ruleID+"/lifecycle/deactivate", nil), 204)
	mustStatus(t, o.do("DELETE", "/api/v1/policies/"+policyID+"/rules/"+ruleID, nil), 204)
	mustStatus(t, o.do("DELETE", "/api/v1/device-assurances/"+daID, nil), 204)
	return daID
}

func TestSystemLogEventsAndFilters(t *testing.T) {
	o := newTestOrg(t, Options{})
	daID := makeLogHistory(t, o)
	tests := []struct {
		filter string
		want   []string
	}{
		{`eventType eq "device.assurance.policy.update"`, []string{"device.assurance.policy.update"}},
		{`event_type eq "device.assurance.policy.add"`, []string{"device.assurance.policy.add"}},
		{`target.id eq "` + daID + `"`, []string{"device.assurance.policy.add", "device.assurance.policy.update", "device.assurance.policy.delete"}},
		{`eventType sw "policy.rule"`, []string{"policy.rule.add", "policy.rule.deactivate", "policy.rule.delete"}},
		{`eventType eq "policy.rule.add" or eventType eq "device.assurance.policy.delete"`, []string{"policy.rule.add", "device.assurance.policy.delete"}},
		{`eventType sw "device.assurance" and (target.id eq "nope" or eventType eq "device.assurance.policy.add")`, []string{"device.assurance.policy.add"}},
	}
	for _, tc := range tests {
		t.Run(tc.filter, func(t *testing.T) {
			r := o.do("GET", "/api/v1/logs?filter="+url.QueryEscape(tc.filter), nil)
			mustStatus(t, r, 200)
			if got := eventTypes(r); strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	update := o.do("GET", "/api/v1/logs?filter="+url.QueryEscape(`eventType eq "device.assurance.policy.update"`), nil).array()[0].(map[string]any)
	target := update["target"].([]any)[0].(map[string]any)
	if dig(target, "detailEntry", "policyName") != "Android 13" || dig(target, "detailEntry", "policyPlatform") != "ANDROID" {
		t.Errorf("detailEntry %v", target["detailEntry"])
	}
	if dig(target, "changeDetails", "from", "osVersion") != "12" || dig(target, "changeDetails", "to", "osVersion") != "13" ||
		dig(target, "changeDetails", "to", "name") != "Android 13" {
		t.Errorf("changeDetails %v", target["changeDetails"])
	}
	if dig(update, "actor", "type") != "User" || dig(update, "outcome", "result") != "SUCCESS" || dig(update, "transaction", "id") == "" {
		t.Errorf("event %v", update)
	}
	assertError(t, o.do("GET", "/api/v1/logs?filter="+url.QueryEscape(`eventType eq`), nil), 400, "E0000053", "")
}

func TestSystemLogPaging(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); now = now.Add(time.Second); return now }
	o := newTestOrg(t, Options{Now: clock})
	makeLogHistory(t, o)

	// Polling: pages of 2 until an empty page, which still has a next link.
	link := o.srv.URL + "/api/v1/logs?limit=2&since=" + url.QueryEscape("2026-06-01T00:00:00Z")
	var all []string
	for range 10 {
		r := o.do("GET", link, nil)
		mustStatus(t, r, 200)
		link = nextLink(r)
		if link == "" {
			t.Fatal("a polling page has no next link")
		}
		if strings.Contains(link, "since=") {
			t.Errorf("next link repeats since: %s", link)
		}
		if len(r.array()) == 0 {
			break
		}
		all = append(all, eventTypes(r)...)
	}
	if len(all) != 6 {
		t.Fatalf("polled %d events: %v", len(all), all)
	}
	// New events appear on the saved next link.
	mustStatus(t, o.do("POST", "/api/v1/device-assurances", androidDA("later")), 200)
	if got := eventTypes(o.do("GET", link, nil)); len(got) != 1 || got[0] != "device.assurance.policy.add" {
		t.Errorf("after the empty page: %v", got)
	}

	// Bounded and descending: finite pages.
	bounded := "/api/v1/logs?limit=4&sortOrder=DESCENDING&since=" + url.QueryEscape("2026-06-01T00:00:00Z") +
		"&until=" + url.QueryEscape("2026-06-02T00:00:00Z")
	first := o.do("GET", bounded, nil)
	if got := eventTypes(first); len(got) != 4 || got[0] != "device.assurance.policy.add" {
		t.Errorf("descending first page %v", got)
	}
	second := o.do("GET", nextLink(first), nil)
	if len(second.array()) != 3 || nextLink(second) != "" {
		t.Errorf("last bounded page: %d events, next %q", len(second.array()), nextLink(second))
	}
	assertError(t, o.do("GET", "/api/v1/logs?since=2020-01-01T00:00:00Z", nil), 400, "E0000053", "")
	assertError(t, o.do("GET", "/api/v1/logs?after=forged", nil), 400, "E0000053", "")
}

func TestParseFilterTable(t *testing.T) {
	event := map[string]any{"eventType": "device.assurance.policy.add",
		"target": []any{map[string]any{"id": "dae1"}, map[string]any{"id": "rst1"}}, "outcome": map[string]any{"result": "SUCCESS"}}
	tests := []struct {
		filter string
		match  bool
		err    bool
	}{
		{`eventType eq "device.assurance.policy.add"`, true, false},
		{`eventType ne "device.assurance.policy.add"`, false, false},
		{`target.id eq "rst1"`, true, false},
		{`eventType co "assurance"`, true, false},
		{`not (outcome.result eq "FAILURE")`, true, false},
		{`actor.id pr`, false, false},
		{`published gt "2020"`, false, true},
		{`eventType eq "unterminated`, false, true},
		{`(eventType eq "x"`, false, true},
	}
	for _, tc := range tests {
		f, err := parseFilter(tc.filter)
		if (err != nil) != tc.err {
			t.Errorf("%s: err %v", tc.filter, err)
			continue
		}
		if err == nil && f.match(event) != tc.match {
			t.Errorf("%s: match %v", tc.filter, !tc.match)
		}
	}
}
