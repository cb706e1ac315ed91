package fidelity_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
	"github.com/okta-assurance-operator/okta-assurance-operator/test/fixtures"
)

const replayToken = "replay-token"

// replayOrg is a fresh simulated org plus the mapping from the IDs of the
// recorded org to the IDs of the objects created here in their place.
type replayOrg struct {
	t   *testing.T
	srv *httptest.Server
	ids map[string]string
}

type request struct {
	method, path string
	body         []byte
}

func newReplayOrg(t *testing.T) *replayOrg {
	t.Helper()
	org := oktasim.New(oktasim.Options{
		APITokens:  []string{replayToken},
		RateLimits: oktasim.RateLimits{Disabled: true},
	})
	srv := httptest.NewServer(org)
	t.Cleanup(srv.Close)
	return &replayOrg{t: t, srv: srv, ids: map[string]string{}}
}

func (o *replayOrg) send(method, path string, body []byte) (int, []byte) {
	o.t.Helper()
	var rd io.Reader
	if len(body) > 0 {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(o.t.Context(), method, o.srv.URL+path, rd)
	if err != nil {
		o.t.Fatal(err)
	}
	req.Header.Set("Authorization", "SSWS "+replayToken)
	req.Header.Set("Accept", "application/json")
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := o.srv.Client().Do(req)
	if err != nil {
		o.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		o.t.Fatal(err)
	}
	return resp.StatusCode, out
}

// create sends a create request and returns the new object's ID, or "" with
// the reason when the simulator refused it.
func (o *replayOrg) create(path string, body []byte) (string, string) {
	status, out := o.send(http.MethodPost, path, body)
	if status != http.StatusOK {
		return "", "setup: POST " + path + " answered " + itoa(status) + ": " + truncate(string(out))
	}
	var obj struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(out, &obj); err != nil || obj.ID == "" {
		return "", "setup: POST " + path + " returned no id"
	}
	return obj.ID, ""
}

var (
	daItemPath     = regexp.MustCompile(`^/api/v1/device-assurances/([^/?]+)$`)
	policyItemPath = regexp.MustCompile(`^/api/v1/policies/([^/?]+)(/clone|/app|/mappings)?$`)
	rulesPath      = regexp.MustCompile(`^/api/v1/policies/([^/?]+)/rules(\?.*)?$`)
	ruleItemPath   = regexp.MustCompile(`^/api/v1/policies/([^/?]+)/rules/([^/?]+)(/lifecycle/(activate|deactivate))?$`)
)

// prepare creates what rec's request needs and returns the request to send,
// or a reason why it cannot be replayed.
func (o *replayOrg) prepare(rec fixtures.Recording) (request, string) {
	body := nonNull(rec.RequestBody)
	switch {
	case strings.HasPrefix(rec.Path, "/api/v1/device-assurances"):
		return o.prepareDeviceAssurance(rec, body)
	case ruleItemPath.MatchString(rec.Path), rulesPath.MatchString(rec.Path):
		return o.prepareRule(rec, body)
	case strings.HasPrefix(rec.Path, "/api/v1/policies"):
		return o.preparePolicy(rec, body)
	}
	return request{}, "no replay for " + rec.Path
}

func (o *replayOrg) prepareDeviceAssurance(rec fixtures.Recording, body []byte) (request, string) {
	m := daItemPath.FindStringSubmatch(rec.Path)
	if m == nil { // the collection: create, or list what the recorded list held
		if rec.Method == http.MethodGet {
			for _, item := range arrayItems(rec.ResponseBody) {
				if _, why := o.create("/api/v1/device-assurances", stripReadOnly(item)); why != "" {
					return request{}, why
				}
			}
		}
		return request{rec.Method, rec.Path, body}, ""
	}
	if rec.Status == http.StatusNotFound {
		return request{rec.Method, rec.Path, body}, ""
	}
	seed := minimalDeviceAssurance
	switch rec.Method {
	case http.MethodPut:
		seed = body
	case http.MethodGet:
		seed = stripReadOnly(rec.ResponseBody)
	}
	id, why := o.create("/api/v1/device-assurances", seed)
	return request{rec.Method, "/api/v1/device-assurances/" + id, body}, why
}

var minimalDeviceAssurance = []byte(`{"name":"replay","platform":"IOS","jailbreak":false}`)

func (o *replayOrg) preparePolicy(rec fixtures.Recording, body []byte) (request, string) {
	m := policyItemPath.FindStringSubmatch(rec.Path)
	if m == nil || rec.Status == http.StatusNotFound {
		return request{rec.Method, rec.Path, body}, ""
	}
	// Act on a policy like the recorded one: the recorded request for a
	// replace, the recorded answer for the rest.
	seed := stripReadOnly(rec.ResponseBody)
	if rec.Method == http.MethodPut {
		seed = body
	}
	if !isPolicy(seed) {
		seed = []byte(`{"name":"replay","type":"ACCESS_POLICY"}`)
	}
	policyID, why := o.create("/api/v1/policies", seed)
	return request{rec.Method, "/api/v1/policies/" + policyID + m[2], body}, why
}

func isPolicy(body []byte) bool {
	var p struct{ Name, Type string }
	return json.Unmarshal(body, &p) == nil && p.Name != "" && p.Type == "ACCESS_POLICY"
}

func (o *replayOrg) prepareRule(rec fixtures.Recording, body []byte) (request, string) {
	if rec.Status == http.StatusNotFound && strings.Contains(string(rec.ResponseBody), "RuleSetEntity") {
		return request{rec.Method, rec.Path, body}, ""
	}
	policyID, why := o.accessPolicy()
	if why != "" {
		return request{}, why
	}
	body, why = o.mapDeviceAssuranceIDs(body)
	if why != "" {
		return request{}, why
	}
	rules := "/api/v1/policies/" + policyID + "/rules"
	if m := rulesPath.FindStringSubmatch(rec.Path); m != nil {
		if rec.Method == http.MethodGet {
			for _, item := range arrayItems(rec.ResponseBody) {
				if why := o.createRuleLike(rules, item); why != "" {
					return request{}, why
				}
			}
		}
		return request{rec.Method, rules + m[2], body}, ""
	}
	m := ruleItemPath.FindStringSubmatch(rec.Path)
	if rec.Status == http.StatusNotFound {
		return request{rec.Method, rules + "/" + m[2] + m[3], body}, ""
	}
	ruleID, why := o.ruleFor(rules, rec, body)
	return request{rec.Method, rules + "/" + ruleID + m[3], body}, why
}

// ruleFor creates the rule that an item request acts on: the catch-all rule
// when the recording shows a system rule, else a rule like the recorded one.
func (o *replayOrg) ruleFor(rules string, rec fixtures.Recording, body []byte) (string, string) {
	if isSystemRule(rec.ResponseBody) {
		return o.recordedCatchAll(rules, rec)
	}
	seed := body
	if rec.Method != http.MethodPut {
		seed = rec.ResponseBody
	}
	seed, why := o.mapDeviceAssuranceIDs(stripReadOnly(seed))
	if why != "" {
		return "", why
	}
	if len(seed) == 0 {
		seed = minimalRule
	}
	if isInactiveRule(rec.ResponseBody) && rec.Method == http.MethodGet {
		return o.create(rules+"?activate=false", seed)
	}
	return o.create(rules, seed)
}

func isInactiveRule(body []byte) bool {
	var r struct {
		Status string `json:"status"`
	}
	return json.Unmarshal(body, &r) == nil && r.Status == "INACTIVE"
}

var minimalRule = []byte(`{"name":"replay","type":"ACCESS_POLICY","actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"type":"ASSURANCE","factorMode":"1FA"}}}}`)

func (o *replayOrg) createRuleLike(rules string, recorded []byte) string {
	if isSystemRule(recorded) {
		_, why := o.replaceCatchAll(rules, recorded)
		return why
	}
	seed, why := o.mapDeviceAssuranceIDs(stripReadOnly(recorded))
	if why != "" {
		return why
	}
	_, why = o.create(rules, seed)
	return why
}

func (o *replayOrg) accessPolicy() (string, string) {
	status, out := o.send(http.MethodGet, "/api/v1/policies?type=ACCESS_POLICY", nil)
	var policies []struct {
		ID     string `json:"id"`
		System bool   `json:"system"`
	}
	if status != http.StatusOK || json.Unmarshal(out, &policies) != nil || len(policies) == 0 {
		return "", "setup: the org lists no ACCESS_POLICY policy: " + truncate(string(out))
	}
	return policies[0].ID, ""
}

// recordedCatchAll makes the catch-all rule hold what the recorded org's
// did before a GET (its actions depend on the org, docs/okta-api-behaviour.md,
// R24).
func (o *replayOrg) recordedCatchAll(rules string, rec fixtures.Recording) (string, string) {
	if rec.Method != http.MethodGet {
		return o.catchAllRule(rules)
	}
	return o.replaceCatchAll(rules, rec.ResponseBody)
}

func (o *replayOrg) replaceCatchAll(rules string, recorded []byte) (string, string) {
	id, why := o.catchAllRule(rules)
	if why != "" {
		return "", why
	}
	var rule map[string]any
	if json.Unmarshal(recorded, &rule) != nil {
		return "", "setup: unreadable catch-all rule"
	}
	for _, k := range []string{"id", "created", "lastUpdated", "_links", "status"} {
		delete(rule, k)
	}
	seed, err := json.Marshal(rule)
	if err != nil {
		return "", err.Error()
	}
	if status, out := o.send(http.MethodPut, rules+"/"+id, seed); status != http.StatusOK {
		return "", "setup: PUT catch-all answered " + itoa(status) + ": " + truncate(string(out))
	}
	return id, ""
}

func (o *replayOrg) catchAllRule(rules string) (string, string) {
	status, out := o.send(http.MethodGet, rules, nil)
	var list []struct {
		ID     string `json:"id"`
		System bool   `json:"system"`
	}
	if status == http.StatusOK && json.Unmarshal(out, &list) == nil {
		for _, r := range list {
			if r.System {
				return r.ID, ""
			}
		}
	}
	return "", "setup: the policy has no catch-all rule"
}

var deviceAssuranceID = regexp.MustCompile(`"(dae[A-Za-z0-9]{17})"`)

// mapDeviceAssuranceIDs replaces the recorded org's device assurance IDs in
// a rule body with policies created here.
func (o *replayOrg) mapDeviceAssuranceIDs(body []byte) ([]byte, string) {
	var why string
	out := deviceAssuranceID.ReplaceAllFunc(body, func(match []byte) []byte {
		recorded := strings.Trim(string(match), `"`)
		if id, ok := o.ids[recorded]; ok {
			return []byte(`"` + id + `"`)
		}
		id, err := o.create("/api/v1/device-assurances", minimalDeviceAssurance)
		if err != "" {
			why = err
			return match
		}
		o.ids[recorded] = id
		return []byte(`"` + id + `"`)
	})
	return out, why
}

func isSystemRule(body []byte) bool {
	var r struct {
		System bool `json:"system"`
	}
	return json.Unmarshal(body, &r) == nil && r.System
}

func itoa(i int) string { return strconv.Itoa(i) }

func truncate(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
