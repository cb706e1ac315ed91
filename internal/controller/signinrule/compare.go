package signinrule

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// drift returns the parts of the rule (name, priority, conditions.<x>,
// actions.appSignOn) in which what Okta holds differs from what the spec
// asks for, once Okta's own rewrites are normalized away: nothing when the
// rule is up to date, so a steady binding costs no write. A desired rule
// without a priority leaves the priority out of the comparison.
func drift(desired, observed okta.PolicyRule) []string {
	want, have := normalizedRule(desired), normalizedRule(observed)
	if desired.Priority == nil {
		delete(want, "priority")
		delete(have, "priority")
	}
	undoUnsentConstraintDefaults(want, have)
	var paths []string
	diffPaths(want, have, "", map[string]bool{"": true, "conditions": true, "actions": true}, &paths)
	sort.Strings(paths)
	return paths
}

// actionsDrift compares only the actions: all that can be managed on the
// Catch-all Rule.
func actionsDrift(desired, observed okta.PolicyRule) []string {
	return drift(okta.PolicyRule{Actions: desired.Actions}, okta.PolicyRule{Actions: observed.Actions})
}

// normalizedRule is the comparable part of a rule (name, priority,
// conditions, actions) as generic JSON, in a canonical form that undoes
// what Okta changes on its own (docs/okta-api-behaviour.md, R18 to R22):
//   - nulls, empty objects and empty lists are dropped (docs/okta-api-behaviour.md, R19), which
//     also removes the defaults people.users.exclude [], userType
//     {include: [], exclude: []} and platform.exclude [] (docs/okta-api-behaviour.md, R18);
//   - the defaults that mean "no restriction" are dropped on both sides:
//     riskScore ANY, network ANYWHERE, keepMeSignedIn NOT_ALLOWED without
//     a prompt frequency, and an ASSURANCE reauthenticateIn of PT12H
//     (docs/okta-api-behaviour.md, R18; tfprov-105, tfprov-364);
//   - constraint types and methods are lower case (docs/okta-api-behaviour.md §3.5), and lists
//     of strings, which are all sets of IDs or enum values, are sorted.
func normalizedRule(rule okta.PolicyRule) map[string]any {
	raw, err := json.Marshal(okta.PolicyRule{Name: rule.Name, Priority: rule.Priority, Conditions: rule.Conditions, Actions: rule.Actions})
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	if c, ok := m["conditions"].(map[string]any); ok {
		if risk, ok := c["riskScore"].(map[string]any); ok && risk["level"] == "ANY" {
			delete(c, "riskScore")
		}
		if network, ok := c["network"].(map[string]any); ok && network["connection"] == "ANYWHERE" &&
			isEmpty(network["include"]) && isEmpty(network["exclude"]) {
			delete(c, "network")
		}
	}
	appSignOn := path(m, "actions", "appSignOn")
	if kmsi := path(appSignOn, "keepMeSignedIn"); kmsi != nil && kmsi["postAuth"] == "NOT_ALLOWED" && isEmpty(kmsi["postAuthPromptFrequency"]) {
		delete(appSignOn, "keepMeSignedIn")
	}
	if vm := path(appSignOn, "verificationMethod"); vm != nil {
		if vm["type"] == okta.VerificationAssurance && vm["reauthenticateIn"] == "PT12H" {
			delete(vm, "reauthenticateIn")
		}
		constraints, _ := vm["constraints"].([]any)
		for _, c := range constraints {
			for _, kind := range constraintKinds {
				if k := path(asMap(c), kind); k != nil {
					lowerStrings(k, "types")
					lowerStrings(k, "methods")
				}
			}
		}
	}
	out, _ := canonical(m).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	return out
}

var constraintKinds = []string{"knowledge", "possession"}

// constraintDefaults are constraint properties whose value Okta may fill in
// when they are not sent: required (always returned, docs/okta-api-behaviour.md §3.3)
// and userPresence (Okta's default is REQUIRED).
var constraintDefaults = map[string]any{"required": nil, "userPresence": "REQUIRED"}

// undoUnsentConstraintDefaults removes from have the constraint properties
// that Okta fills in when want does not set them.
func undoUnsentConstraintDefaults(want, have map[string]any) {
	wantC, _ := path(want, "actions", "appSignOn", "verificationMethod")["constraints"].([]any)
	haveC, _ := path(have, "actions", "appSignOn", "verificationMethod")["constraints"].([]any)
	for i := range min(len(wantC), len(haveC)) {
		for _, kind := range constraintKinds {
			w, h := path(asMap(wantC[i]), kind), path(asMap(haveC[i]), kind)
			if h == nil {
				continue
			}
			for key, value := range constraintDefaults {
				if _, set := w[key]; !set && (value == nil || h[key] == value) {
					delete(h, key)
				}
			}
			if len(h) == 0 && w == nil {
				delete(asMap(haveC[i]), kind)
			}
		}
	}
}

// canonical drops nulls, empty objects and empty lists, and sorts lists of
// strings.
func canonical(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, item := range t {
			if c := canonical(item); c == nil {
				delete(t, k)
			} else {
				t[k] = c
			}
		}
		if len(t) == 0 {
			return nil
		}
		return t
	case []any:
		out := make([]any, 0, len(t))
		allStrings := true
		for _, item := range t {
			c := canonical(item)
			if c == nil {
				c = map[string]any{} // keep positions: [{}] is not []
			}
			if _, ok := c.(string); !ok {
				allStrings = false
			}
			out = append(out, c)
		}
		if len(out) == 0 {
			return nil
		}
		if allStrings {
			sort.Slice(out, func(i, j int) bool { return out[i].(string) < out[j].(string) })
		}
		return out
	default:
		return v
	}
}

// diffPaths appends the paths at which want and have differ, descending
// into the objects named in expand.
func diffPaths(want, have map[string]any, prefix string, expand map[string]bool, out *[]string) {
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range have {
		keys[k] = true
	}
	for k := range keys {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		w, wok := want[k].(map[string]any)
		h, hok := have[k].(map[string]any)
		if expand[p] && wok && hok {
			diffPaths(w, h, p, expand, out)
			continue
		}
		if !reflect.DeepEqual(want[k], have[k]) {
			*out = append(*out, p)
		}
	}
}

func path(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		if m == nil {
			return nil
		}
		m, _ = m[k].(map[string]any)
	}
	return m
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func isEmpty(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case []any:
		return len(t) == 0
	default:
		return false
	}
}

func lowerStrings(m map[string]any, key string) {
	items, _ := m[key].([]any)
	for i, item := range items {
		if s, ok := item.(string); ok {
			items[i] = strings.ToLower(s)
		}
	}
}
