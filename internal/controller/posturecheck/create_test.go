package posturecheck

import (
	"strings"
	"testing"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

func TestUnadoptable(t *testing.T) {
	desired := okta.PostureCheck{Name: "Firewall", VariableName: "macOSFirewall", Platform: okta.PlatformMacOS,
		Type: typeCustom, MappingType: "CHECKBOX", Query: "SELECT 1;"}
	observed := func(edit func(*okta.PostureCheckResponse)) *okta.PostureCheckResponse {
		c := &okta.PostureCheckResponse{ID: "dch3m8o4rWhwReDeM1c5", PostureCheck: desired}
		c.Name, c.Query = "made by hand", "SELECT 0;"
		edit(c)
		return c
	}
	for _, tt := range []struct {
		name     string
		observed *okta.PostureCheckResponse
		want     []string // fragments of the refusal; none: adoptable
	}{
		{"a custom check whose other fields differ: the PUT fixes them",
			observed(func(*okta.PostureCheckResponse) {}), nil},
		{"a check listed without a type is a custom one",
			observed(func(c *okta.PostureCheckResponse) { c.Type = "" }), nil},
		{"Okta's built-in check",
			observed(func(c *okta.PostureCheckResponse) { c.ID, c.Type = "dchbuiltin0macfirewl", "BUILTIN" }),
			[]string{"dchbuiltin0macfirewl", "built-in (BUILTIN)", `variableName "macOSFirewall" instead`}},
		{"another variableName",
			observed(func(c *okta.PostureCheckResponse) { c.VariableName = "macFirewall" }),
			[]string{`has variableName "macFirewall", not "macOSFirewall" (spec.variableName)`, "cannot change"}},
		{"another platform",
			observed(func(c *okta.PostureCheckResponse) { c.Platform = okta.PlatformWindows }),
			[]string{"is for WINDOWS, not MACOS (spec.platform)"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := unadoptable(desired, tt.observed)
			if len(tt.want) == 0 {
				if got != "" {
					t.Errorf("refused: %s", got)
				}
				return
			}
			for _, fragment := range tt.want {
				if !strings.Contains(got, fragment) {
					t.Errorf("%q does not say %q", got, fragment)
				}
			}
		})
	}
}
