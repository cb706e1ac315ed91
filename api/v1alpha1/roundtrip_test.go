package v1alpha1

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/okta-assurance-operator/okta-assurance-operator/test/fixtures"
)

// TestSpecRoundTripsOktaBodies proves that the spec mirrors Okta's JSON: every
// body Okta accepted decodes into DeviceAssurancePolicySpec with no unknown
// field and encodes back to the same JSON, so nothing a user writes is lost on
// the way to Okta.
func TestSpecRoundTripsOktaBodies(t *testing.T) {
	bodies, err := fixtures.DeviceAssuranceBodies()
	if err != nil {
		t.Fatal(err)
	}
	tested := 0
	for _, b := range bodies {
		if !b.Accepted {
			continue
		}
		tested++
		t.Run(b.Name, func(t *testing.T) {
			var spec DeviceAssurancePolicySpec
			dec := json.NewDecoder(bytes.NewReader(b.Body))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&spec); err != nil {
				t.Fatalf("decode: %v", err)
			}
			encoded, err := json.Marshal(spec)
			if err != nil {
				t.Fatal(err)
			}
			if !jsonEqual(t, encoded, b.Body) {
				t.Errorf("round trip changed the body\n got: %s\nwant: %s", encoded, b.Body)
			}
		})
	}
	if tested < 40 {
		t.Fatalf("only %d accepted bodies; the fixtures are missing", tested)
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(va, vb)
}
