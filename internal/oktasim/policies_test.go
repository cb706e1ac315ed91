package oktasim

import (
	"net/url"
	"strings"
	"testing"
)

func TestPolicyListPagingAndQuery(t *testing.T) {
	o := newTestOrg(t, Options{})
	for _, name := range []string{"Device policy A", "Device policy B", "Other"} {
		mustStatus(t, o.do("POST", "/api/v1/policies", map[string]any{"name": name, "type": "ACCESS_POLICY"}), 200)
	}
	all := o.do("GET", "/api/v1/policies?type=ACCESS_POLICY", nil)
	mustStatus(t, all, 200)
	if len(all.array()) != 6 || nextLink(all) != "" {
		t.Fatalf("unpaged list: %d policies, next %q", len(all.array()), nextLink(all))
	}
	if links := all.header.Values("Link"); len(links) != 1 || !strings.HasSuffix(links[0], `/api/v1/policies?type=ACCESS_POLICY>; rel="self"`) {
		t.Errorf("Link %v (pysdk-030 has one rel=self)", links)
	}
	var names []string
	link := "/api/v1/policies?type=ACCESS_POLICY&limit=2&q=" + url.QueryEscape("device")
	for link != "" {
		r := o.do("GET", link, nil)
		mustStatus(t, r, 200)
		for _, p := range r.array() {
			names = append(names, p.(map[string]any)["name"].(string))
		}
		link = nextLink(r)
		if len(names) > 10 {
			t.Fatal("paging does not end")
		}
	}
	if strings.Join(names, ",") != "Device policy A,Device policy B" {
		t.Errorf("q=device pages: %v", names)
	}
	assertError(t, o.do("GET", "/api/v1/policies", nil), 400, "E0000001", "")
	if got := o.do("GET", "/api/v1/policies?type=OKTA_SIGN_ON", nil); len(got.array()) != 0 {
		t.Errorf("OKTA_SIGN_ON list %s", got.raw)
	}
}

func TestPolicyCreateAndEndpointsAround(t *testing.T) {
	o := newTestOrg(t, Options{})
	created := o.do("POST", "/api/v1/policies", map[string]any{"name": "testAcc", "description": "Sign On Policy", "type": "ACCESS_POLICY"})
	mustStatus(t, created, 200)
	p := created.object()
	if id, _ := p["id"].(string); !strings.HasPrefix(id, "rst") || !idPattern.MatchString(id) {
		t.Errorf("policy id %v", p["id"])
	}
	if _, ok := p["conditions"]; !ok || p["conditions"] != nil || p["status"] != "ACTIVE" || p["system"] != false {
		t.Errorf("policy %s", created.raw)
	}
	id := p["id"].(string)
	rules := o.do("GET", "/api/v1/policies/"+id+"/rules", nil)
	if len(rules.array()) != 1 || rules.array()[0].(map[string]any)["name"] != "Catch-all Rule" {
		t.Errorf("new policy rules %s", rules.raw)
	}
	assertError(t, o.do("POST", "/api/v1/policies/"+id+"/mappings", map[string]any{"resourceId": "0oa1", "resourceType": "ACCESS_POLICY"}),
		400, "E0000001", "Api validation failed: Policy mappings are no longer supported on this endpoint.")
	clone := o.do("POST", "/api/v1/policies/"+id+"/clone", nil)
	mustStatus(t, clone, 200)
	if clone.object()["name"] != "[cloned] testAcc" || clone.object()["created"] != nil {
		t.Errorf("clone %s", clone.raw)
	}
	mustStatus(t, o.do("POST", "/api/v1/policies/"+id+"/lifecycle/deactivate", nil), 204)
	inactive := o.do("GET", "/api/v1/policies/"+id, nil)
	if inactive.object()["status"] != "INACTIVE" || dig(inactive.object(), "_links", "activate") == nil {
		t.Errorf("deactivated policy %s", inactive.raw)
	}
	mustStatus(t, o.do("POST", "/api/v1/policies/"+id+"/lifecycle/activate", nil), 204)
	mustStatus(t, o.do("DELETE", "/api/v1/policies/"+id, nil), 204)
	assertError(t, o.do("GET", "/api/v1/policies/"+id, nil), 404, "E0000007", "")
}
