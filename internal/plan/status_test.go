package plan

import (
	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
)

func copyStatusForTest(obj, from managed.Object) {
	switch o := obj.(type) {
	case *assurancev1alpha1.DeviceAssurancePolicy:
		o.Status = from.(*assurancev1alpha1.DeviceAssurancePolicy).Status
	case *assurancev1alpha1.DevicePostureCheck:
		o.Status = from.(*assurancev1alpha1.DevicePostureCheck).Status
	case *assurancev1alpha1.SignInRuleBinding:
		o.Status = from.(*assurancev1alpha1.SignInRuleBinding).Status
	}
}
