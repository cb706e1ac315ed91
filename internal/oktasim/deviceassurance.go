package oktasim

import (
	"net/http"
	"slices"
)

// Entity names the real org appends to 404 summaries: a GET names the rule
// manager, a DELETE the entity (pysdk-021/022 vs pysdk-014,
// docs/okta-api-behaviour.md, R12). PUT is not recorded; it is taken to behave
// like GET.
const (
	daEntityOnRead   = "DeviceAssuranceRuleManagerImpl"
	daEntityOnDelete = "DeviceAssuranceEntity"
)

// renderDeviceAssurance builds the response object. A PUT response omits
// createdDate and createdBy (docs/okta-api-behaviour.md, R5: tfprov-063 vs
// tfprov-064, pysdk-017 vs pysdk-018).
func renderDeviceAssurance(d *deviceAssurance, base string, forPut bool) any {
	out := copyMap(d.body)
	out["id"] = d.id
	if !forPut {
		out["createdDate"] = formatOktaTime(d.audit.created)
		out["createdBy"] = d.audit.createdBy
	}
	out["lastUpdate"] = formatOktaTime(d.audit.updated)
	out["lastUpdatedBy"] = d.audit.updatedBy
	// Undocumented fields every real response has (docs/okta-api-behaviour.md,
	// R2).
	out["resourceId"] = d.id
	out["resourceDisplayName"] = map[string]any{"value": d.name(), "sensitive": false}
	out["resourceType"] = "DeviceAssurancePolicyEntity"
	out["_links"] = map[string]any{"self": link(base+"/api/v1/device-assurances/"+d.id, "GET", "PUT", "DELETE")}
	return ordered(out, daKeyOrder)
}

// link is a HAL link with hints.allow, as every recorded _links entry has.
func link(href string, methods ...string) map[string]any {
	return map[string]any{"href": href, "hints": map[string]any{"allow": toAnyList(methods)}}
}

// The list is a bare array with every platform and no paging
// (docs/okta-api-behaviour.md, R14).
func (o *Org) listDeviceAssurances(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]any, 0, len(o.deviceAssures))
	for _, d := range o.deviceAssures {
		out = append(out, renderDeviceAssurance(d, baseURL(r), false))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (o *Org) getDeviceAssurance(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	d := o.findDeviceAssurance(r.PathValue("id"))
	if d == nil {
		return notFoundError(r.PathValue("id"), daEntityOnRead)
	}
	writeJSON(w, http.StatusOK, renderDeviceAssurance(d, baseURL(r), false))
	return nil
}

// checkDeviceAssurance validates and normalises a decoded request body.
// Callers hold o.mu (posture check lookups read state).
func (o *Org) checkDeviceAssurance(raw map[string]any) (map[string]any, *apiError) {
	body := prepareDeviceAssuranceBody(raw)
	if e := validateDeviceAssurance(body, o.postureCheckExists); e != nil {
		return nil, e
	}
	return normalizeDeviceAssurance(body, o.variant), nil
}

func (o *Org) postureCheckExists(variableName, platform string) bool {
	p := o.findPostureCheckByVariable(variableName)
	return p != nil && p.stringField("platform") == platform
}

// Create answers 200, not 201 (docs/okta-api-behaviour.md §0 and "Where
// Okta's examples disagree with the recordings").
func (o *Org) createDeviceAssurance(w http.ResponseWriter, r *http.Request, p *principal) *apiError {
	raw, err := decodeObject(r.Body)
	if err != nil {
		return malformedBodyError()
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	body, e := o.checkDeviceAssurance(raw)
	if e != nil {
		return e
	}
	d := &deviceAssurance{id: newID(prefixDeviceAssurance), audit: newAudit(o.clock(), p.actorID), body: body}
	o.deviceAssures = append(o.deviceAssures, d)
	o.recordEvent(r, p, "device.assurance.policy.add", "Add device assurance policy", []any{daTarget(d, nil)})
	writeJSON(w, http.StatusOK, renderDeviceAssurance(d, baseURL(r), false))
	return nil
}

// Replace is a full replace: omitted fields disappear
// (docs/okta-api-behaviour.md, R7).
func (o *Org) replaceDeviceAssurance(w http.ResponseWriter, r *http.Request, p *principal) *apiError {
	raw, err := decodeObject(r.Body)
	o.mu.Lock()
	defer o.mu.Unlock()
	d := o.findDeviceAssurance(r.PathValue("id"))
	if d == nil {
		return notFoundError(r.PathValue("id"), daEntityOnRead)
	}
	if err != nil {
		return malformedBodyError()
	}
	body, e := o.checkDeviceAssurance(raw)
	if e != nil {
		return e
	}
	before := d.body
	d.body = body
	d.audit.updated, d.audit.updatedBy = o.clock(), p.actorID
	o.recordEvent(r, p, "device.assurance.policy.update", "Update device assurance policy",
		[]any{daTarget(d, daChangeDetails(before, body))})
	writeJSON(w, http.StatusOK, renderDeviceAssurance(d, baseURL(r), true))
	return nil
}

// Delete answers 204, or 409 while a rule still uses the policy
// (docs/okta-api-behaviour.md §1.8).
func (o *Org) deleteDeviceAssurance(w http.ResponseWriter, r *http.Request, p *principal) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	d := o.findDeviceAssurance(r.PathValue("id"))
	if d == nil {
		return notFoundError(r.PathValue("id"), daEntityOnDelete)
	}
	if o.deviceAssuranceInUse(d.id) {
		return inUseError("Device assurance is in use and cannot be deleted.")
	}
	o.deviceAssures = slices.DeleteFunc(o.deviceAssures, func(x *deviceAssurance) bool { return x == d })
	o.recordEvent(r, p, "device.assurance.policy.delete", "Delete device assurance policy", []any{daTarget(d, nil)})
	writeNoContent(w)
	return nil
}

// deviceAssuranceInUse reports whether any rule's
// conditions.device.assurance.include names id.
func (o *Org) deviceAssuranceInUse(id string) bool {
	for _, pol := range o.policies {
		for _, rule := range pol.rules {
			if slices.Contains(ruleAssuranceIDs(rule.conditions), id) {
				return true
			}
		}
	}
	return false
}

// ruleAssuranceIDs returns conditions.device.assurance.include.
func ruleAssuranceIDs(conditions map[string]any) []string {
	device, _ := objectAt(conditions, "device")
	assurance, _ := objectAt(device, "assurance")
	ids, _ := stringList(assurance["include"])
	return ids
}
