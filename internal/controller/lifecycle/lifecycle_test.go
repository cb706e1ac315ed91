package lifecycle

import (
	"testing"
	"time"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

func TestJitterStaysWithinTenPercent(t *testing.T) {
	for range 1000 {
		if got := Jitter(10 * time.Minute); got < 10*time.Minute || got > 11*time.Minute {
			t.Fatalf("Jitter(10m) = %s", got)
		}
	}
	if got := Jitter(0); got != 0 {
		t.Errorf("Jitter(0) = %s", got)
	}
}

func TestOrgKeyDefaultsToTheDefaultClusterOktaOrg(t *testing.T) {
	tests := []struct {
		ref  *assurancev1alpha1.OrgReference
		want string
	}{
		{nil, "ClusterOktaOrg/default"},
		{&assurancev1alpha1.OrgReference{Kind: assurancev1alpha1.OrgKindClusterOktaOrg, Name: "default"}, "ClusterOktaOrg/default"},
		{&assurancev1alpha1.OrgReference{Kind: assurancev1alpha1.OrgKindOktaOrg, Name: "staging"}, "OktaOrg/staging"},
	}
	for _, tt := range tests {
		if got := OrgKey(tt.ref); got != tt.want {
			t.Errorf("OrgKey(%v) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}

func TestRequestRef(t *testing.T) {
	if got := RequestRef(""); got != "" {
		t.Errorf("RequestRef(\"\") = %q", got)
	}
	if got := RequestRef("XyZ"); got != " [requestId XyZ]" {
		t.Errorf("RequestRef = %q", got)
	}
}
