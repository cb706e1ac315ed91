package oktasim

import (
	"fmt"
	"net/http"
)

// clonePolicy is POST /api/v1/policies/{policyId}/clone: a copy named
// "[cloned] <name>" whose answer has created and lastUpdated null
// (pysdk-032). The rules are copied with new ids.
func (o *Org) clonePolicy(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	src := o.findPolicy(r.PathValue("policyId"))
	if src == nil {
		return notFoundError(r.PathValue("policyId"), policyEntity)
	}
	clone := o.newAccessPolicy("[cloned] "+src.name, src.description, false, nil)
	clone.rules = clone.rules[:0]
	for _, rule := range src.rules {
		copied := *rule
		copied.id = newID(prefixRule)
		copied.conditions = copyMap(rule.conditions)
		copied.actions = copyMap(rule.actions)
		clone.rules = append(clone.rules, &copied)
	}
	rendered, _ := renderPolicy(clone, baseURL(r)).(orderedObject)
	for i, f := range rendered {
		if f.Key == "created" || f.Key == "lastUpdated" {
			rendered[i].Value = nil
		}
	}
	writeJSON(w, http.StatusOK, rendered)
	return nil
}

// listPolicyApps is GET /api/v1/policies/{policyId}/app. Applications are
// not simulated, so the list is empty, with the Link header of pysdk-034.
func (o *Org) listPolicyApps(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	p := o.findPolicy(r.PathValue("policyId"))
	if p == nil {
		return notFoundError(r.PathValue("policyId"), policyEntity)
	}
	w.Header().Set("Link", fmt.Sprintf(`<%s/api/v1/policies/%s/app?limit=20>; rel="self"`, baseURL(r), p.id))
	writeJSON(w, http.StatusOK, []any{})
	return nil
}

// activatePolicy and deactivatePolicy serve the lifecycle links a policy
// advertises (tfprov-384); they answer 204 like the rule lifecycle calls.
func (o *Org) activatePolicy(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	return o.setPolicyStatus(w, r, statusActive)
}

func (o *Org) deactivatePolicy(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	return o.setPolicyStatus(w, r, statusInactive)
}

// setPolicyStatus changes a policy's status; the system policy has no
// lifecycle links (pysdk-030) and gets 405.
func (o *Org) setPolicyStatus(w http.ResponseWriter, r *http.Request, status string) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	p := o.findPolicy(r.PathValue("policyId"))
	if p == nil {
		return notFoundError(r.PathValue("policyId"), policyEntity)
	}
	if p.system {
		return methodNotAllowedError()
	}
	if p.status != status {
		p.status, p.updated = status, o.clock()
	}
	writeNoContent(w)
	return nil
}
