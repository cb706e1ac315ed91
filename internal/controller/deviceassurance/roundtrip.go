package deviceassurance

import (
	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// Drift is what a pass over obj would change in the Okta policy observed:
// the paths (e.g. osVersion.minimum) in which the body the controller
// would send differs from what Okta holds once Okta's own rewrites are
// undone, exactly as the controller compares them; none when applying obj
// makes no write. variables maps the DevicePostureCheck names of checkRef
// items to their variableName. It lets a tool that writes specs (the
// export command) prove that each spec round-trips to no change.
func Drift(obj *assurancev1alpha1.DeviceAssurancePolicy, variables map[string]string, observed okta.DeviceAssurance) ([]string, error) {
	desired, err := desiredPolicy(obj, variables)
	if err != nil {
		return nil, err
	}
	fields := drift(desired, observed)
	if len(fields) == 0 {
		return nil, nil
	}
	return driftPaths(fields, desired, observed), nil
}
