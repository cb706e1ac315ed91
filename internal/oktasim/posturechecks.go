package oktasim

import (
	"net/http"
	"slices"
)

// postureCheckEntity is the entity named in posture check 404s. No
// posture check 404 is recorded; the name follows the DA DELETE pattern.
const postureCheckEntity = "DevicePostureCheckEntity"

var postureCheckReadOnlyKeys = []string{"id", "createdDate", "createdBy", "lastUpdate", "lastUpdatedBy", "_links", "createdUpdate"}

var postureCheckKeyOrder = keyOrder{
	"": {"id", "name", "description", "variableName", "platform", "type", "mappingType", "query",
		"remediationSettings", "createdDate", "createdBy", "lastUpdate", "lastUpdatedBy", "_links"},
	"remediationSettings":         {"message", "link"},
	"remediationSettings.message": {"defaultI18nKey", "customText"},
	"remediationSettings.link":    {"defaultUrl", "customUrl"},
	"_links":                      {"self"},
	"_links.self":                 {"href", "hints"},
}

// allPostureChecks returns the built-in checks followed by the custom ones.
func (o *Org) allPostureChecks() []*postureCheck {
	return append(slices.Clone(builtInPostureChecks), o.postureChecks...)
}

// builtInPostureChecks are what GET /default serves: checks "defined by
// Okta", always type BUILTIN (docs/okta-api-behaviour.md §2). The real set is
// not documented in the sources; these two are stand-ins so that /default and
// references to built-in checks can be exercised.
var builtInPostureChecks = []*postureCheck{
	{id: "dchbuiltin0macfirewl", body: map[string]any{"name": "Firewall enabled (built-in)", "description": "Checks that the macOS application firewall is on",
		"variableName": "oktaBuiltInMacOSFirewall", "platform": "MACOS", "type": "BUILTIN", "mappingType": "CHECKBOX",
		"query": "SELECT CASE WHEN global_state = 0 THEN 0 ELSE 1 END AS firewall_enabled FROM alf;",
		"remediationSettings": map[string]any{"message": map[string]any{"defaultI18nKey": "posture.check.firewall.remediation", "customText": nil},
			"link": map[string]any{"defaultUrl": "https://support.apple.com/guide/mac-help/mh34041/mac", "customUrl": nil}}}},
	{id: "dchbuiltin0winfirewl", body: map[string]any{"name": "Firewall enabled (built-in)", "description": "Checks that Windows Defender Firewall is on",
		"variableName": "oktaBuiltInWindowsFirewall", "platform": "WINDOWS", "type": "BUILTIN", "mappingType": "CHECKBOX",
		"query": "SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END AS firewall_enabled FROM windows_security_center WHERE firewall != 'Good';",
		"remediationSettings": map[string]any{"message": map[string]any{"defaultI18nKey": "posture.check.firewall.remediation", "customText": nil},
			"link": map[string]any{"defaultUrl": "https://support.microsoft.com/windows/firewall", "customUrl": nil}}}},
}

func renderPostureCheck(p *postureCheck, base string) any {
	out := copyMap(p.body)
	out["id"] = p.id
	if !p.audit.created.IsZero() {
		out["createdDate"] = formatOktaTime(p.audit.created)
		out["createdBy"] = p.audit.createdBy
		out["lastUpdate"] = formatOktaTime(p.audit.updated)
		out["lastUpdatedBy"] = p.audit.updatedBy
	}
	allow := []string{"GET", "PUT", "DELETE"}
	if p.stringField("type") == "BUILTIN" {
		allow = []string{"GET"}
	}
	out["_links"] = map[string]any{"self": link(base+"/api/v1/device-posture-checks/"+p.id, allow...)}
	return ordered(out, postureCheckKeyOrder)
}

// validatePostureCheck checks a custom posture check body
// (docs/okta-api-behaviour.md §2). self is the check being replaced, excluded
// from the uniqueness test.
func (o *Org) validatePostureCheck(body map[string]any, self *postureCheck) *apiError {
	var v validation
	for _, key := range []string{"name", "variableName", "query"} {
		if s, ok := stringAt(body, key); !ok || s == "" {
			v.add(key, "%s: The field cannot be left blank.", key)
		}
	}
	if p, _ := stringAt(body, "platform"); p != "MACOS" && p != "WINDOWS" {
		v.add("platform", "platform: The field must be one of [MACOS WINDOWS].")
	}
	if t, ok := body["type"]; ok && t != "CUSTOM" {
		v.add("type", "type: Only CUSTOM device posture checks can be created or replaced.")
	}
	if m, ok := body["mappingType"]; ok && m != "CHECKBOX" && m != "TEXTBOX" {
		v.add("mappingType", "mappingType: The field must be one of [CHECKBOX TEXTBOX].")
	}
	if name, _ := stringAt(body, "variableName"); name != "" {
		if other := o.findPostureCheckByVariable(name); other != nil && other != self {
			v.add("variableName", "variableName: A device posture check with this variableName already exists.")
		}
	}
	return v.err()
}

// checkPostureCheck validates a decoded body; callers hold o.mu.
func (o *Org) checkPostureCheck(raw map[string]any, self *postureCheck) (map[string]any, *apiError) {
	for _, k := range postureCheckReadOnlyKeys {
		delete(raw, k)
	}
	if e := o.validatePostureCheck(raw, self); e != nil {
		return nil, e
	}
	if _, ok := raw["type"]; !ok {
		raw["type"] = "CUSTOM"
	}
	return raw, nil
}

func (o *Org) listPostureChecks(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]any, 0, len(o.postureChecks))
	for _, p := range o.postureChecks {
		out = append(out, renderPostureCheck(p, baseURL(r)))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (o *Org) listDefaultPostureChecks(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	out := make([]any, 0, len(builtInPostureChecks))
	for _, p := range builtInPostureChecks {
		out = append(out, renderPostureCheck(p, baseURL(r)))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (o *Org) getPostureCheck(w http.ResponseWriter, r *http.Request, _ *principal) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	p := o.findAnyPostureCheck(r.PathValue("id"))
	if p == nil {
		return notFoundError(r.PathValue("id"), postureCheckEntity)
	}
	writeJSON(w, http.StatusOK, renderPostureCheck(p, baseURL(r)))
	return nil
}

func (o *Org) findAnyPostureCheck(id string) *postureCheck {
	for _, p := range o.allPostureChecks() {
		if p.id == id {
			return p
		}
	}
	return nil
}

func (o *Org) createPostureCheck(w http.ResponseWriter, r *http.Request, p *principal) *apiError {
	raw, err := decodeObject(r.Body)
	if err != nil {
		return malformedBodyError()
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	body, e := o.checkPostureCheck(raw, nil)
	if e != nil {
		return e
	}
	pc := &postureCheck{id: newID(prefixPostureCheck), audit: newAudit(o.clock(), p.actorID), body: body}
	o.postureChecks = append(o.postureChecks, pc)
	o.recordEvent(r, p, "device.posture.check.add", "Add device posture check", []any{postureCheckTarget(pc, nil)})
	writeJSON(w, http.StatusOK, renderPostureCheck(pc, baseURL(r)))
	return nil
}

func (o *Org) replacePostureCheck(w http.ResponseWriter, r *http.Request, p *principal) *apiError {
	raw, err := decodeObject(r.Body)
	o.mu.Lock()
	defer o.mu.Unlock()
	pc := o.findPostureCheck(r.PathValue("id"))
	if pc == nil {
		return notFoundError(r.PathValue("id"), postureCheckEntity)
	}
	if err != nil {
		return malformedBodyError()
	}
	body, e := o.checkPostureCheck(raw, pc)
	if e != nil {
		return e
	}
	before := pc.body
	pc.body = body
	pc.audit.updated, pc.audit.updatedBy = o.clock(), p.actorID
	o.recordEvent(r, p, "device.posture.check.update", "Update device posture check",
		[]any{postureCheckTarget(pc, daChangeDetails(before, body))})
	writeJSON(w, http.StatusOK, renderPostureCheck(pc, baseURL(r)))
	return nil
}

// Delete answers 409 while a device assurance policy uses the check
// (docs/okta-api-behaviour.md §1.8).
func (o *Org) deletePostureCheck(w http.ResponseWriter, r *http.Request, p *principal) *apiError {
	o.mu.Lock()
	defer o.mu.Unlock()
	pc := o.findPostureCheck(r.PathValue("id"))
	if pc == nil {
		return notFoundError(r.PathValue("id"), postureCheckEntity)
	}
	if o.postureCheckInUse(pc.stringField("variableName")) {
		return inUseError("Device posture check is in use and can't be deleted.")
	}
	o.postureChecks = slices.DeleteFunc(o.postureChecks, func(x *postureCheck) bool { return x == pc })
	o.recordEvent(r, p, "device.posture.check.delete", "Delete device posture check", []any{postureCheckTarget(pc, nil)})
	writeNoContent(w)
	return nil
}

func (o *Org) postureCheckInUse(variableName string) bool {
	for _, d := range o.deviceAssures {
		dpc, _ := objectAt(d.body, "devicePostureChecks")
		items, _ := dpc["include"].([]any)
		for _, item := range items {
			if m, ok := item.(map[string]any); ok && m["variableName"] == variableName {
				return true
			}
		}
	}
	return false
}

// postureCheckTarget carries DevicePostureCheckResourceDetails
// (docs/okta-api-behaviour.md §2).
func postureCheckTarget(pc *postureCheck, changes map[string]any) map[string]any {
	t := map[string]any{
		"id": pc.id, "type": "DevicePostureCheck", "alternateId": pc.stringField("variableName"), "displayName": pc.stringField("name"),
		"detailEntry": map[string]any{"postureCheckName": pc.stringField("name"),
			"postureCheckVariableName": pc.stringField("variableName"), "postureCheckPlatform": pc.stringField("platform")},
	}
	if changes != nil {
		t["changeDetails"] = changes
	}
	return t
}
