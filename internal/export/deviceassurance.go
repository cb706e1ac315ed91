package export

import (
	"strconv"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/deviceassurance"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// PolicySpec is the spec of a DeviceAssurancePolicy that keeps the Okta
// policy observed as it is: the inverse of the controller's desiredPolicy
// (internal/controller/deviceassurance/desired.go), a JSON conversion
// since the spec mirrors Okta's body field for field, without what Okta
// adds or rewrites on its own:
//   - displayRemediationMode HIDE, which Okta adds to a policy written
//     without one (docs/okta-api-behaviour.md, R4);
//   - a BY_DURATION grace period in hours, written back in days when it is
//     whole days (PT720H is P30D, docs/okta-api-behaviour.md, R6);
//   - the order of set-like lists, which Okta may change
//     (docs/okta-api-behaviour.md, R8): they are sorted, so that a
//     re-export shows only real changes;
//   - nulls and empty objects.
//
// Posture checks are required by variableName, as Okta holds them; Run
// names the exported ones by checkRef. The operator's own fields (orgRef,
// adopt, …) are the caller's.
func PolicySpec(observed okta.DeviceAssurance) (assurancev1alpha1.DeviceAssurancePolicySpec, error) {
	var spec assurancev1alpha1.DeviceAssurancePolicySpec
	m := toMap(observed)
	if m["displayRemediationMode"] == string(assurancev1alpha1.RemediationModeHide) {
		delete(m, "displayRemediationMode")
	}
	if gp := object(m, "gracePeriod"); gp != nil && gp["type"] == string(assurancev1alpha1.GracePeriodByDuration) {
		if expiry, ok := gp["expiry"].(string); ok {
			gp["expiry"] = readableDuration(expiry)
		}
	}
	sortStringLists(m)
	sortObjects(m["osVersionConstraints"], "majorVersionConstraint")
	sortObjects(object(m, "devicePostureChecks")["include"], "variableName")
	if prune(m) == nil {
		m = map[string]any{}
	}
	err := fromMap(m, &spec)
	return spec, err
}

// readableDuration writes a duration of weeks, days, hours, minutes and
// seconds in its largest whole unit: PT720H is P30D, PT90M is PT90M. The
// controller compares durations by their length
// (internal/controller/deviceassurance/compare.go), so both spellings are
// the same policy. Durations with years or months are kept as they are.
func readableDuration(s string) string {
	total, ok := deviceassurance.DurationSeconds(s)
	if !ok {
		return s
	}
	const day, hour, minute = 24 * 3600, 3600, 60
	switch {
	case total == 0:
		return "PT0S"
	case total%day == 0:
		return "P" + strconv.FormatInt(total/day, 10) + "D"
	case total%hour == 0:
		return "PT" + strconv.FormatInt(total/hour, 10) + "H"
	case total%minute == 0:
		return "PT" + strconv.FormatInt(total/minute, 10) + "M"
	default:
		return "PT" + strconv.FormatInt(total, 10) + "S"
	}
}
