package plan

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadBuildsAKustomizationAndSkipsOtherKinds(t *testing.T) {
	m, err := Load([]string{filepath.Join("..", "..", "config", "samples", "tenancy")}, nil, "default")
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(m.Objects))
	for _, obj := range m.Objects {
		names = append(names, obj.GetNamespace()+"/"+obj.GetName())
	}
	want := "payments/payments-macos payments/payments-managed-macs storefront/storefront-windows storefront/storefront-windows-admins"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("objects %q, want %q", got, want)
	}
	if len(m.Skipped) != 3 {
		t.Errorf("skipped %v, want the two Namespaces and the ClusterOktaOrg", m.Skipped)
	}
}

func TestLoadNamesAnUnknownField(t *testing.T) {
	_, err := Load([]string{"-"}, strings.NewReader(`apiVersion: assurance.okta-operator.dev/v1alpha1
kind: DeviceAssurancePolicy
metadata: {name: typo}
spec: {name: Typo, platform: IOS, jailBroken: false}
`), "default")
	if err == nil || !strings.Contains(err.Error(), "jailBroken") {
		t.Fatalf("err = %v, want one naming the unknown field", err)
	}
}

func TestLoadGivesTheDefaultNamespace(t *testing.T) {
	m, err := Load([]string{filepath.Join("..", "..", "config", "samples", "guide", "01-device-assurance-policy.yaml")}, nil, "team-a")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Objects) != 1 || m.Objects[0].GetNamespace() != "team-a" {
		t.Fatalf("objects %v", m.Objects)
	}
}
