package posturecheck

import (
	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// Drift is what a pass over obj would change in the Okta check observed:
// the paths (e.g. remediationSettings.link.customUrl) in which the body the
// controller would send differs from what Okta holds once what Okta owns is
// normalized away, exactly as the controller compares them; none when
// applying obj makes no write. It lets a tool that writes specs (the export
// command) prove that each spec round-trips to no change.
func Drift(obj *assurancev1alpha1.DevicePostureCheck, observed okta.PostureCheck) []string {
	desired := desiredCheck(obj)
	fields := drift(desired, observed)
	if len(fields) == 0 {
		return nil
	}
	return driftPaths(fields, desired, observed)
}
