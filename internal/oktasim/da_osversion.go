package oktasim

import "slices"

// Dynamic OS version rules (docs/okta-api-behaviour.md §1.3, §10 items 1 and
// 2).

var dynamicTypes = []string{"MINIMUM", "EXACT", "EXACT_ANY_SUPPORTED"}

func validateOSVersion(v *validation, body map[string]any, platform string) {
	if raw, ok := body["osVersion"]; ok {
		osv, isObject := raw.(map[string]any)
		if !isObject {
			v.add("osVersion", "osVersion: The field must be an object.")
		} else {
			validateOSVersionObject(v, "osVersion", osv, platform == "WINDOWS")
		}
		if _, both := body["osVersionConstraints"]; both {
			v.add("osVersion", "osVersion: You can't specify both osVersion.minimum and osVersionConstraints.")
		}
	}
	if raw, ok := body["osVersionConstraints"]; ok {
		validateOSVersionConstraints(v, raw)
	}
}

// validateOSVersionObject checks {minimum} or {dynamicVersionRequirement};
// Windows osVersion has only minimum.
func validateOSVersionObject(v *validation, path string, osv map[string]any, minimumOnly bool) {
	_, hasMin := osv["minimum"]
	dyn, hasDyn := osv["dynamicVersionRequirement"]
	for key := range osv {
		if key != "minimum" && key != "dynamicVersionRequirement" {
			v.add(path, "%s.%s: The property is not supported.", path, key)
		}
	}
	switch {
	case hasMin && hasDyn:
		v.add(path, "%s: You can't specify both minimum and dynamicVersionRequirement.", path)
	case hasDyn && minimumOnly:
		v.add(path, "%s: Windows supports dynamic versions only through osVersionConstraints.", path)
	case hasDyn:
		validateDynamicRequirement(v, path+".dynamicVersionRequirement", dyn, dynamicTypes)
	case hasMin:
		if s, ok := osv["minimum"].(string); !ok || s == "" {
			v.add(path, "%s.minimum: The field must be a version string.", path)
		}
	default:
		v.add(path, "%s: Specify minimum or dynamicVersionRequirement.", path)
	}
}

func validateDynamicRequirement(v *validation, path string, raw any, types []string) {
	dyn, ok := raw.(map[string]any)
	if !ok {
		v.add(path, "%s: The field must be an object.", path)
		return
	}
	kind, _ := stringAt(dyn, "type")
	if !slices.Contains(types, kind) {
		v.add(path, "%s.type: The field must be one of %v.", path, types)
		return
	}
	distance, hasDistance := dyn["distanceFromLatestMajor"]
	_, hasPatch := dyn["latestSecurityPatch"]
	switch kind {
	case "MINIMUM", "EXACT":
		if n, ok := intValue(distance); !hasDistance || !ok || n < 0 || n > 1 {
			v.add(path, "%s.distanceFromLatestMajor: must be 0 or 1 for type %s.", path, kind)
		}
	case "EXACT_ANY_SUPPORTED":
		if hasDistance {
			v.add(path, "%s.distanceFromLatestMajor: You can't specify it for type EXACT_ANY_SUPPORTED.", path)
		}
	case "NOT_ALLOWED":
		if hasDistance || hasPatch {
			v.add(path, "%s: You can't specify distanceFromLatestMajor or latestSecurityPatch for type NOT_ALLOWED.", path)
		}
	}
	if p, ok := dyn["latestSecurityPatch"]; ok {
		if _, isBool := p.(bool); !isBool {
			v.add(path, "%s.latestSecurityPatch: The field must be a boolean.", path)
		}
	}
}

// validateOSVersionConstraints: 1 or 2 items, each a distinct
// WINDOWS_11/WINDOWS_10 with minimum or a dynamic requirement (which may
// also be NOT_ALLOWED here).
func validateOSVersionConstraints(v *validation, raw any) {
	const path = "osVersionConstraints"
	items, ok := raw.([]any)
	if !ok || len(items) < 1 || len(items) > 2 {
		v.add(path, "%s: The field must be a list of one or two constraints.", path)
		return
	}
	seen := map[string]bool{}
	for _, item := range items {
		c, isObject := item.(map[string]any)
		major, _ := stringAt(c, "majorVersionConstraint")
		if !isObject || (major != "WINDOWS_11" && major != "WINDOWS_10") {
			v.add(path, "%s.majorVersionConstraint: The field must be WINDOWS_11 or WINDOWS_10.", path)
			continue
		}
		if seen[major] {
			v.add(path, "%s: Each requirement must correspond to a different major version.", path)
		}
		seen[major] = true
		rest := copyMap(c)
		delete(rest, "majorVersionConstraint")
		if dyn, hasDyn := rest["dynamicVersionRequirement"]; hasDyn && len(rest) == 1 {
			validateDynamicRequirement(v, path+".dynamicVersionRequirement", dyn, append(slices.Clone(dynamicTypes), "NOT_ALLOWED"))
			continue
		}
		validateOSVersionObject(v, path, rest, false)
	}
}
