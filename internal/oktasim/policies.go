package oktasim

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

const (
	policyEntity     = "RuleSetEntity" // 404 suffix for an unknown policy (tfprov-402)
	typeAccessPolicy = "ACCESS_POLICY"
)

// policyTypes are the PolicyType values the list accepts; only
// ACCESS_POLICY policies exist in the simulated org.
var policyTypes = []string{"OKTA_SIGN_ON", "PASSWORD", "MFA_ENROLL", "IDP_DISCOVERY", "ACCESS_POLICY",
	"PROFILE_ENROLLMENT", "POST_AUTH_SESSION", "ENTITY_RISK", "DEVICE_SIGNAL_COLLECTION"}

var policyKeyOrder = keyOrder{
	"":                  {"id", "status", "name", "description", "priority", "system", "conditions", "created", "lastUpdated", "_links", "type"},
	"_links":            {"mappings", "self", "rules", "activate", "deactivate"},
	"_links.mappings":   {"href", "hints"},
	"_links.self":       {"href", "hints"},
	"_links.rules":      {"href", "hints"},
	"_links.activate":   {"href", "hints"},
	"_links.deactivate": {"href", "hints"},
}

// renderPolicy: conditions is always null for ACCESS_POLICY
// (docs/okta-api-behaviour.md, R28); a system policy has only self and rules
// links (pysdk-030).
func renderPolicy(p *accessPolicy, base string) any {
	href := base + "/api/v1/policies/" + p.id
	links := map[string]any{"rules": link(href+"/rules", "GET", "POST")}
	if p.system {
		links["self"] = link(href, "GET", "PUT")
	} else {
		links["self"] = link(href, "GET", "PUT", "DELETE")
		links["mappings"] = link(href+"/mappings", "GET", "POST")
		if p.status == statusActive {
			links["deactivate"] = link(href+"/lifecycle/deactivate", "POST")
		} else {
			links["activate"] = link(href+"/lifecycle/activate", "POST")
		}
	}
	out := map[string]any{
		"id": p.id, "status": p.status, "name": p.name, "priority": p.priority, "system": p.system,
		"conditions": nil, "created": formatOktaTime(p.created), "lastUpdated": formatOktaTime(p.updated),
		"_links": links, "type": typeAccessPolicy,
	}
	if p.description != "" {
		out["description"] = p.description
	}
	return ordered(out, policyKeyOrder)
}

// listPolicies serves GET /api/v1/policies?type=…&q=…&status=…&limit=…&after=…
// with a Link rel="self" and, when more remain, rel="next"
// (docs/okta-api-behaviour.md §3.1 and R29).
func (o *Org) listPolicies(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	q := r.URL.Query()
	kind := q.Get("type")
	if !slices.Contains(policyTypes, kind) {
		return validationError("type", "type: The policy type is required and must be a valid PolicyType.")
	}
	limit, e := parseLimit(q.Get("limit"), 1000)
	if e != nil {
		return e
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	matches := o.matchingPolicies(kind, q.Get("q"), q.Get("status"))
	start := 0
	if after := q.Get("after"); after != "" {
		start = len(matches)
		for i, p := range matches {
			if p.id == after {
				start = i + 1
			}
		}
	}
	end := len(matches)
	if limit > 0 && start+limit < end {
		end = start + limit
	}
	base := baseURL(r)
	links := []string{fmt.Sprintf(`<%s%s>; rel="self"`, base, r.URL.RequestURI())}
	if end < len(matches) {
		next := cloneQuery(q)
		next.Set("after", matches[end-1].id)
		next.Set("limit", strconv.Itoa(limit))
		links = append(links, fmt.Sprintf(`<%s/api/v1/policies?%s>; rel="next"`, base, next.Encode()))
	}
	out := make([]any, 0, end-start)
	for _, p := range matches[start:end] {
		out = append(out, renderPolicy(p, base))
	}
	w.Header()["Link"] = links
	writeJSON(w, http.StatusOK, out)
	return nil
}

// matchingPolicies filters by type, q (a case-insensitive name prefix,
// docs/okta-api-behaviour.md §3.1) and status.
func (o *Org) matchingPolicies(kind, prefix, status string) []*accessPolicy {
	if kind != typeAccessPolicy {
		return nil
	}
	var out []*accessPolicy
	for _, p := range o.policies {
		if prefix != "" && !strings.HasPrefix(strings.ToLower(p.name), strings.ToLower(prefix)) {
			continue
		}
		if status != "" && p.status != status {
			continue
		}
		out = append(out, p)
	}
	return out
}

func parseLimit(raw string, maximum int) (int, *apiError) {
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		return 0, validationError("limit", "limit: The limit must be a non-negative integer.")
	}
	return min(n, maximum), nil
}

func cloneQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, vs := range q {
		out[k] = slices.Clone(vs)
	}
	return out
}

func (o *Org) getPolicy(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	p := o.findPolicy(r.PathValue("policyId"))
	if p == nil {
		return notFoundError(r.PathValue("policyId"), policyEntity)
	}
	writeJSON(w, http.StatusOK, renderPolicy(p, baseURL(r)))
	return nil
}

// readPolicyBody validates a policy body: only ACCESS_POLICY is simulated.
func readPolicyBody(r *http.Request) (name, description string, e *apiError) {
	body, err := decodeObject(r.Body)
	if err != nil {
		return "", "", malformedBodyError()
	}
	var v validation
	if body["type"] != typeAccessPolicy {
		v.add("type", "type: Only ACCESS_POLICY policies are supported by this org.")
	}
	name, _ = stringAt(body, "name")
	if name == "" {
		v.add("name", "name: The field cannot be left blank.")
	}
	description, _ = stringAt(body, "description")
	return name, description, v.err()
}

// createPolicy adds an app sign-in policy with its Catch-all Rule
// (docs/okta-api-behaviour.md §3.1, R25).
func (o *Org) createPolicy(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	name, description, e := readPolicyBody(r)
	if e != nil {
		return e
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	p := o.newAccessPolicy(name, description, false, defaultCatchAllActions())
	writeJSON(w, http.StatusOK, renderPolicy(p, baseURL(r)))
	return nil
}

func (o *Org) replacePolicy(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	name, description, e := readPolicyBody(r)
	if e != nil {
		return e
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	p := o.findPolicy(r.PathValue("policyId"))
	if p == nil {
		return notFoundError(r.PathValue("policyId"), policyEntity)
	}
	p.name, p.description, p.updated = name, description, o.clock()
	writeJSON(w, http.StatusOK, renderPolicy(p, baseURL(r)))
	return nil
}

// deletePolicy removes a policy and its rules; the system policy has no
// DELETE in its hints (pysdk-030), so it answers like a method not allowed.
func (o *Org) deletePolicy(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	p := o.findPolicy(r.PathValue("policyId"))
	if p == nil {
		return notFoundError(r.PathValue("policyId"), policyEntity)
	}
	if p.system {
		return methodNotAllowedError()
	}
	o.policies = slices.DeleteFunc(o.policies, func(x *accessPolicy) bool { return x == p })
	writeNoContent(w)
	return nil
}

// Policy mappings: the list is empty and a POST is refused with the
// recorded message (pysdk-036, pysdk-037, docs/okta-api-behaviour.md, R28).
func (o *Org) listPolicyMappings(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.findPolicy(r.PathValue("policyId")) == nil {
		return notFoundError(r.PathValue("policyId"), policyEntity)
	}
	writeJSON(w, http.StatusOK, []any{})
	return nil
}

func (o *Org) createPolicyMapping(_ http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.findPolicy(r.PathValue("policyId")) == nil {
		return notFoundError(r.PathValue("policyId"), policyEntity)
	}
	return validationError("Policy mappings are no longer supported on this endpoint.")
}
