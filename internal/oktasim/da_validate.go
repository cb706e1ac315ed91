package oktasim

import (
	"fmt"
	"slices"
	"time"
)

// validation collects the causes of an E0000001 answer. The first subject
// recorded becomes the errorSummary suffix.
type validation struct {
	subject string
	causes  []string
}

func (v *validation) add(subject, format string, args ...any) {
	if v.subject == "" {
		v.subject = subject
	}
	v.causes = append(v.causes, fmt.Sprintf(format, args...))
}

func (v *validation) err() *apiError {
	if len(v.causes) == 0 {
		return nil
	}
	return validationError(v.subject, v.causes...)
}

// postureCheckLookup tells whether a posture check variable exists for a platform.
type postureCheckLookup func(variableName, platform string) bool

// validateDeviceAssurance checks a device assurance body against the
// per-platform schema and the documented rules (docs/okta-api-behaviour.md §1,
// §10). The body must already have its read-only keys removed and empty
// objects dropped.
func validateDeviceAssurance(body map[string]any, postureExists postureCheckLookup) *apiError {
	var v validation
	platform, _ := stringAt(body, "platform")
	if !slices.Contains(platforms, platform) {
		v.add("platform", "platform: The field must be one of %v.", platforms)
		return v.err()
	}
	if name, ok := stringAt(body, "name"); !ok || name == "" {
		v.add("name", "name: The field cannot be left blank.")
	}
	allowed := daConditionKeys[platform]
	conditions := 0
	for key := range body {
		switch {
		case daBaseKeys[key]:
		case slices.Contains(allowed, key):
			if key != "devicePostureChecks" {
				conditions++
			}
		default:
			v.add(key, "%s: The property is not supported for the %s platform.", key, platform)
		}
	}
	if conditions == 0 {
		// The real message for a policy with no condition (pysdk-004,
		// docs/okta-api-behaviour.md, R11); a posture check alone is not a
		// standard condition (docs/okta-api-behaviour.md §1.5).
		v.add("deviceAssuranceMediated", "Please select at least one device condition before saving")
		return v.err()
	}
	validateOSVersion(&v, body, platform)
	validateIncludeList(&v, body, "diskEncryptionType", diskEncryptionValues[platform])
	validateIncludeList(&v, body, "screenLockType", screenLockValues)
	for _, key := range []string{"jailbreak", "secureHardwarePresent"} {
		if val, ok := body[key]; ok {
			checkField(&v, key, val, fieldSpec{kind: kindBool})
		}
	}
	validateSignalProviders(&v, body, platform)
	validateCallerContext(&v, body)
	validateGracePeriod(&v, body)
	if mode, ok := body["displayRemediationMode"]; ok {
		checkField(&v, "displayRemediationMode", mode, fieldSpec{kind: kindEnum, values: []string{"HIDE", "SHOW"}})
	}
	validateDevicePostureChecks(&v, body, platform, postureExists)
	return v.err()
}

// checkField validates one scalar or {minimum} value against spec.
func checkField(v *validation, path string, val any, spec fieldSpec) {
	switch spec.kind {
	case kindBool:
		if _, ok := val.(bool); !ok {
			v.add(path, "%s: The field must be a boolean.", path)
		}
	case kindString:
		if _, ok := val.(string); !ok {
			v.add(path, "%s: The field must be a string.", path)
		}
	case kindEnum:
		if s, ok := val.(string); !ok || !slices.Contains(spec.values, s) {
			v.add(path, "%s: The field must be one of %v.", path, spec.values)
		}
	case kindMinimum:
		m, ok := val.(map[string]any)
		minimum, isString := m["minimum"].(string)
		if !ok || len(m) != 1 || !isString || minimum == "" {
			v.add(path, "%s: The field must be an object with a minimum version string.", path)
		}
	}
}

// checkObject validates every key of obj against specs.
func checkObject(v *validation, path string, obj map[string]any, specs ...map[string]fieldSpec) {
	for key, val := range obj {
		spec, found := lookupSpec(key, specs)
		if !found {
			v.add(path+"."+key, "%s.%s: The property is not supported.", path, key)
			continue
		}
		checkField(v, path+"."+key, val, spec)
	}
}

func lookupSpec(key string, specs []map[string]fieldSpec) (fieldSpec, bool) {
	for _, s := range specs {
		if spec, ok := s[key]; ok {
			return spec, true
		}
	}
	return fieldSpec{}, false
}

func validateIncludeList(v *validation, body map[string]any, key string, allowed []string) {
	obj, present := body[key]
	if !present {
		return
	}
	m, ok := obj.(map[string]any)
	values, isList := stringList(m["include"])
	if !ok || !isList || len(m) != 1 {
		v.add(key, "%s: The field must be an object with an include list.", key)
		return
	}
	for _, val := range values {
		if !slices.Contains(allowed, val) {
			v.add(key, "%s.include: %q is not one of %v.", key, val, allowed)
		}
	}
}

func validateSignalProviders(v *validation, body map[string]any, platform string) {
	raw, present := body["thirdPartySignalProviders"]
	if !present {
		return
	}
	providers, ok := raw.(map[string]any)
	if !ok {
		v.add("thirdPartySignalProviders", "thirdPartySignalProviders: The field must be an object.")
		return
	}
	for name, val := range providers {
		path := "thirdPartySignalProviders." + name
		obj, isObject := val.(map[string]any)
		if !slices.Contains(signalProviders[platform], name) || !isObject {
			v.add(path, "%s: The signal provider is not supported for the %s platform.", path, platform)
			continue
		}
		switch name {
		case "dtc":
			checkObject(v, path, obj, dtcCommonFields, dtcPlatformFields[platform])
		case "androidDeviceTrust":
			checkObject(v, path, obj, androidDeviceTrustFields)
			validateAndroidDeviceTrustDependencies(v, body, obj)
		case "devicePostureIdP":
			checkObject(v, path, obj, devicePostureIDPFields)
		}
	}
}

// validateAndroidDeviceTrustDependencies enforces the two documented
// dependencies of Android Device Trust signals
// (docs/okta-api-behaviour.md §1.6).
func validateAndroidDeviceTrustDependencies(v *validation, body, adt map[string]any) {
	if _, ok := adt["screenLockComplexity"]; ok {
		if _, has := body["screenLockType"]; !has {
			v.add("screenLockComplexity", "thirdPartySignalProviders.androidDeviceTrust.screenLockComplexity: requires a screenLockType.include value.")
		}
	}
	if adt["requireMajorVersionUpdate"] == true {
		osv, _ := objectAt(body, "osVersion")
		dyn, _ := objectAt(osv, "dynamicVersionRequirement")
		if t, _ := stringAt(dyn, "type"); t != "MINIMUM" && t != "EXACT" {
			v.add("requireMajorVersionUpdate", "thirdPartySignalProviders.androidDeviceTrust.requireMajorVersionUpdate: requires osVersion.dynamicVersionRequirement with type MINIMUM or EXACT.")
		}
	}
}

// validateCallerContext: managedApp is Android-only and can only be true
// (docs/okta-api-behaviour.md §1.6).
func validateCallerContext(v *validation, body map[string]any) {
	raw, present := body["callerContext"]
	if !present {
		return
	}
	cc, ok := raw.(map[string]any)
	if !ok || len(cc) != 1 || cc["managedApp"] != true {
		v.add("callerContext", "callerContext: managedApp is the only property and must be true.")
	}
}

func validateGracePeriod(v *validation, body map[string]any) {
	raw, present := body["gracePeriod"]
	if !present {
		return
	}
	gp, ok := raw.(map[string]any)
	if !ok {
		v.add("gracePeriod", "gracePeriod: The field must be an object.")
		return
	}
	expiry, _ := stringAt(gp, "expiry")
	switch gp["type"] {
	case "BY_DURATION":
		if !isISODuration(expiry) {
			v.add("gracePeriod", "gracePeriod.expiry: %q is not an ISO 8601 duration.", expiry)
		}
	case "BY_DATE_TIME":
		if _, err := time.Parse(time.RFC3339, expiry); err != nil {
			v.add("gracePeriod", "gracePeriod.expiry: %q is not an ISO 8601 date-time.", expiry)
		}
	default:
		v.add("gracePeriod", "gracePeriod.type: The field must be one of [BY_DATE_TIME BY_DURATION].")
	}
}

// validateDevicePostureChecks: posture checks exist only for MACOS and
// WINDOWS; each item names an existing check of the same platform and a
// string value (docs/okta-api-behaviour.md §1.5, §2).
func validateDevicePostureChecks(v *validation, body map[string]any, platform string, exists postureCheckLookup) {
	raw, present := body["devicePostureChecks"]
	if !present {
		return
	}
	dpc, ok := raw.(map[string]any)
	items, isList := dpc["include"].([]any)
	if !ok || !isList {
		v.add("devicePostureChecks", "devicePostureChecks: The field must be an object with an include list.")
		return
	}
	for _, item := range items {
		m, _ := item.(map[string]any)
		name, _ := stringAt(m, "variableName")
		if _, isString := m["value"].(string); !isString || name == "" {
			v.add("devicePostureChecks", "devicePostureChecks.include: each item needs a variableName and a string value.")
			continue
		}
		if exists != nil && !exists(name, platform) {
			v.add("devicePostureChecks", "devicePostureChecks.include: no %s device posture check has the variableName %q.", platform, name)
		}
	}
}
