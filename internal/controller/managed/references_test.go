package managed

import (
	"context"
	"reflect"
	"testing"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// policy is a DeviceAssurancePolicy of namespace ns whose include list holds
// checkRefs to refs and raw variableNames for each "var:" item.
func policy(ns string, refs ...string) *assurancev1alpha1.DeviceAssurancePolicy {
	p := &assurancev1alpha1.DeviceAssurancePolicy{}
	p.Namespace, p.Name = ns, "p"
	if refs == nil {
		return p
	}
	p.Spec.DevicePostureChecks = &assurancev1alpha1.DevicePostureChecks{}
	for _, ref := range refs {
		item := assurancev1alpha1.DevicePostureCheckValue{Value: "1"}
		if len(ref) > 4 && ref[:4] == "var:" {
			item.VariableName = ref[4:]
		} else {
			item.CheckRef = &assurancev1alpha1.LocalObjectReference{Name: ref}
		}
		p.Spec.DevicePostureChecks.Include = append(p.Spec.DevicePostureChecks.Include, item)
	}
	return p
}

func TestPoliciesNameChecksByCheckRef(t *testing.T) {
	tests := []struct {
		name   string
		policy *assurancev1alpha1.DeviceAssurancePolicy
		want   []string
	}{
		{"no posture checks", policy("ns"), nil},
		{"by checkRef, sorted", policy("ns", "zeta", "alpha"), []string{"alpha", "zeta"}},
		{"raw variableNames are not objects of the namespace", policy("ns", "var:oktaBuiltInMacOSFirewall", "firewall"), []string{"firewall"}},
		{"only raw variableNames", policy("ns", "var:a"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PoliciesNameChecks.Names(tt.policy); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Names = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTargetsWakeTheNamedChecksOfTheNamespace(t *testing.T) {
	got := PoliciesNameChecks.Targets(context.Background(), policy("team-a", "firewall", "var:builtin", "disk"))
	want := []reconcile.Request{
		{NamespacedName: types.NamespacedName{Namespace: "team-a", Name: "disk"}},
		{NamespacedName: types.NamespacedName{Namespace: "team-a", Name: "firewall"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("requests = %v, want %v", got, want)
	}
	if got := PoliciesNameChecks.Targets(context.Background(), &assurancev1alpha1.DevicePostureCheck{}); got != nil {
		t.Errorf("another kind: %v", got)
	}
}

func TestNamesChanged(t *testing.T) {
	withStatus := policy("ns", "firewall")
	withStatus.Status.ID = "dae1"
	withStatus.Generation = 2
	tests := []struct {
		name     string
		old, new *assurancev1alpha1.DeviceAssurancePolicy
		want     bool
	}{
		{"a status patch", policy("ns", "firewall"), withStatus, false},
		{"another value or raw check only", policy("ns", "firewall"), policy("ns", "firewall", "var:builtin"), false},
		{"the check is dropped", policy("ns", "firewall"), policy("ns", "var:builtin"), true},
		{"a check is added", policy("ns", "firewall"), policy("ns", "firewall", "disk"), true},
		{"posture checks removed", policy("ns", "firewall"), policy("ns"), true},
	}
	changed := PoliciesNameChecks.NamesChanged()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := changed.Update(event.UpdateEvent{ObjectOld: tt.old, ObjectNew: tt.new}); got != tt.want {
				t.Errorf("Update = %v, want %v", got, tt.want)
			}
		})
	}
	if !changed.Delete(event.DeleteEvent{Object: policy("ns", "firewall")}) {
		t.Error("a deleted policy releases its checks")
	}
	if !changed.Create(event.CreateEvent{Object: policy("ns", "firewall")}) {
		t.Error("a created policy is seen")
	}
}
