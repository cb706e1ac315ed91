package deviceassurance

import (
	"regexp"
	"sort"
	"strconv"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/observemode"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// drift returns the top-level fields in which what Okta holds differs from
// what the spec asks for, after normalizing what Okta changes on its own:
// nothing when the policy is up to date, so a steady object costs no write.
func drift(desired, observed okta.DeviceAssurance) []string {
	return managed.ChangedFields(normalized(desired), normalized(observed))
}

// normalized is the policy as generic JSON with Okta's own rewrites undone.
func normalized(p okta.DeviceAssurance) map[string]any {
	m := managed.JSONMap(p)
	if m == nil {
		return nil
	}
	// A missing remediation mode is HIDE (docs/okta-api-behaviour.md, R4).
	if m["displayRemediationMode"] == nil {
		m["displayRemediationMode"] = "HIDE"
	}
	// Okta reorders set-like arrays (docs/okta-api-behaviour.md, R8).
	sortStrings(m, "diskEncryptionType", "include")
	sortStrings(m, "screenLockType", "include")
	sortObjects(m["osVersionConstraints"], "majorVersionConstraint")
	if checks, ok := m["devicePostureChecks"].(map[string]any); ok {
		sortObjects(checks["include"], "variableName")
	}
	// Okta returns a BY_DURATION P30D as PT720H (docs/okta-api-behaviour.md, R6).
	if gp, ok := m["gracePeriod"].(map[string]any); ok && gp["type"] == "BY_DURATION" {
		if s, ok := gp["expiry"].(string); ok {
			gp["expiry"] = canonicalDuration(s)
		}
	}
	return m
}

func sortStrings(m map[string]any, object, list string) {
	o, ok := m[object].(map[string]any)
	if !ok {
		return
	}
	items, ok := o[list].([]any)
	if !ok {
		return
	}
	sort.Slice(items, func(i, j int) bool { return toString(items[i]) < toString(items[j]) })
}

func sortObjects(v any, key string) {
	items, ok := v.([]any)
	if !ok {
		return
	}
	sort.Slice(items, func(i, j int) bool {
		return toString(items[i].(map[string]any)[key]) < toString(items[j].(map[string]any)[key])
	})
}

func toString(v any) string {
	s, _ := v.(string)
	return s
}

var isoDuration = regexp.MustCompile(`^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

// canonicalDuration writes a duration of weeks, days, hours, minutes and
// seconds as total seconds, so P30D and PT720H compare equal. Durations with
// years or months have no fixed length; they are compared as written.
func canonicalDuration(s string) string {
	total, ok := DurationSeconds(s)
	if !ok {
		return s
	}
	return "PT" + strconv.FormatInt(total, 10) + "S"
}

// DurationSeconds is the length in seconds of an ISO 8601 duration of
// weeks, days, hours, minutes and seconds (P30D, PT720H); ok is false for
// anything else, e.g. a duration with years or months.
func DurationSeconds(s string) (total int64, ok bool) {
	m := isoDuration.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	units := []int64{7 * 24 * 3600, 24 * 3600, 3600, 60, 1}
	for i, unit := range units {
		if m[i+1] == "" {
			continue
		}
		n, err := strconv.ParseInt(m[i+1], 10, 64)
		if err != nil {
			return 0, false
		}
		total += n * unit
	}
	return total, true
}

// driftPaths names the nested fields behind the top-level fields of drift,
// e.g. osVersion.minimum, for the observe mode's report.
func driftPaths(fields []string, desired, observed okta.DeviceAssurance) []string {
	return observemode.Detail(fields, normalized(desired), normalized(observed))
}
