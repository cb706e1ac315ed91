package oktasim

import "slices"

// prepareDeviceAssuranceBody strips the read-only fields a client may send
// back and drops nulls and empty objects, before validation.
func prepareDeviceAssuranceBody(in map[string]any) map[string]any {
	body := copyMap(in)
	for _, k := range daReadOnlyKeys {
		delete(body, k)
	}
	if dropEmpty(body) == nil {
		return map[string]any{}
	}
	return body
}

// normalizeDeviceAssurance applies what the server changes in a valid
// body before storing it:
//   - set-like include lists are written in the server's order
//     (docs/okta-api-behaviour.md, R8);
//   - a BY_DURATION grace period is expressed in hours, "P30D" → "PT720H"
//     (docs/okta-api-behaviour.md, R6);
//   - displayRemediationMode defaults to HIDE, as the newest recordings
//     show (docs/okta-api-behaviour.md, R4), unless variant says otherwise.
func normalizeDeviceAssurance(body map[string]any, variant OrgVariant) map[string]any {
	out := copyMap(body)
	platform, _ := stringAt(out, "platform")
	if det, ok := objectAt(out, "diskEncryptionType"); ok {
		det["include"] = toAnyList(canonicalOrder(det["include"], diskEncryptionValues[platform]))
	}
	if gp, ok := objectAt(out, "gracePeriod"); ok && gp["type"] == "BY_DURATION" {
		if expiry, isString := gp["expiry"].(string); isString {
			gp["expiry"] = normalizeDuration(expiry)
		}
	}
	if _, ok := out["displayRemediationMode"]; !ok && !variant.OmitRemediationModeDefault {
		out["displayRemediationMode"] = "HIDE"
	}
	return out
}

// canonicalOrder returns the strings of list in the order of canonical,
// without duplicates; values not in canonical keep their relative order
// at the end.
func canonicalOrder(list any, canonical []string) []string {
	values, _ := stringList(list)
	out := make([]string, 0, len(values))
	for _, c := range canonical {
		if slices.Contains(values, c) {
			out = append(out, c)
		}
	}
	for _, val := range values {
		if !slices.Contains(out, val) {
			out = append(out, val)
		}
	}
	return out
}
