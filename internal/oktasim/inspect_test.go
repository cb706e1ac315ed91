package oktasim

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestInspectionEndpoints(t *testing.T) {
	o := newTestOrg(t, Options{})
	mustStatus(t, o.do("POST", "/api/v1/device-assurances", androidDA("a")), 200)
	mustStatus(t, o.do("GET", "/api/v1/device-assurances/daeq7aawzwxRmCRLe1d7", nil), 404)

	state := o.doAuth("GET", "/_oktasim/state", nil, "", nil)
	mustStatus(t, state, 200)
	if len(state.object()["deviceAssurances"].([]any)) != 1 || len(state.object()["policies"].([]any)) != 3 {
		t.Errorf("state %s", state.raw)
	}
	firstPolicy := state.object()["policies"].([]any)[0].(map[string]any)
	if len(firstPolicy["rules"].([]any)) != 1 {
		t.Errorf("policy rules in state: %v", firstPolicy["rules"])
	}
	counts := o.doAuth("GET", "/_oktasim/requests", nil, "", nil)
	mustStatus(t, counts, 200)
	want := map[string]bool{"POST /api/v1/device-assurances 200": false, "GET /api/v1/device-assurances/{id} 404": false}
	for _, c := range counts.array() {
		m := c.(map[string]any)
		key := m["method"].(string) + " " + m["template"].(string) + " " + m["status"].(json.Number).String()
		if _, ok := want[key]; ok && m["count"] == jsonInt(1) {
			want[key] = true
		}
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("request count %q missing in %s", k, counts.raw)
		}
	}
}

func TestLoadSeed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "seed.json")
	seed := `{
  "deviceAssurances": [{"id": "daeSeed0000000000001", "name": "Seeded", "platform": "IOS", "jailbreak": false}],
  "policies": [{"id": "rstSeed0000000000001", "name": "Seeded policy", "rules": [{
    "name": "uses seeded DA", "priority": 0, "type": "ACCESS_POLICY",
    "conditions": {"device": {"registered": true, "managed": false, "assurance": {"include": ["daeSeed0000000000001"]}}},
    "actions": {"appSignOn": {"access": "ALLOW", "verificationMethod": {"factorMode": "2FA", "type": "ASSURANCE"}}}}]}]
}`
	if err := os.WriteFile(path, []byte(seed), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSeed(path)
	if err != nil {
		t.Fatal(err)
	}
	o := newTestOrg(t, Options{Seed: s})
	mustStatus(t, o.do("GET", "/api/v1/device-assurances/daeSeed0000000000001", nil), 200)
	rules := o.do("GET", "/api/v1/policies/rstSeed0000000000001/rules", nil)
	mustStatus(t, rules, 200)
	if len(rules.array()) != 2 {
		t.Errorf("seeded rules %s", rules.raw)
	}
	assertError(t, o.do("DELETE", "/api/v1/device-assurances/daeSeed0000000000001", nil), 409, "", "")

	bad := &Seed{DeviceAssurances: []map[string]any{{"name": "x", "platform": "CHROMEOS"}}}
	if _, err := NewOrg(Options{Seed: bad}); err == nil {
		t.Error("an invalid seed was accepted")
	}
}
