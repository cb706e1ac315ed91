package orgclient

import (
	"context"
	"testing"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// countingDA is an org with device assurance policies that counts lists and
// gets; any other call panics through the nil embedded API.
type countingDA struct {
	okta.API
	policies    map[string]okta.DeviceAssuranceResponse
	lists, gets int
}

func (c *countingDA) ListDeviceAssurances(context.Context) ([]okta.DeviceAssuranceResponse, error) {
	c.lists++
	out := make([]okta.DeviceAssuranceResponse, 0, len(c.policies))
	for _, p := range c.policies {
		out = append(out, p)
	}
	return out, nil
}

func (c *countingDA) GetDeviceAssurance(_ context.Context, id string) (*okta.DeviceAssuranceResponse, error) {
	c.gets++
	p, ok := c.policies[id]
	if !ok {
		return nil, &okta.APIError{Class: okta.ClassNotFound}
	}
	return &p, nil
}

func (c *countingDA) ReplaceDeviceAssurance(_ context.Context, id string, p okta.DeviceAssurance) (*okta.DeviceAssuranceResponse, error) {
	r := okta.DeviceAssuranceResponse{ID: id, DeviceAssurance: p}
	c.policies[id] = r
	return &r, nil
}

func named(id, name string) okta.DeviceAssuranceResponse {
	return okta.DeviceAssuranceResponse{ID: id, DeviceAssurance: okta.DeviceAssurance{Name: name}}
}

func TestSnapshotsServeResyncReadsFromOneList(t *testing.T) {
	now := time.Unix(1700000000, 0)
	s := NewSnapshots(time.Minute)
	s.now = func() time.Time { return now }
	org := &countingDA{policies: map[string]okta.DeviceAssuranceResponse{}}
	for _, id := range []string{"dae1", "dae2", "dae3"} {
		org.policies[id] = named(id, "before")
	}
	api := s.wrap(orgID{}, "https://example.okta.com", org)
	low := WithUrgency(context.Background(), UrgencyLow)

	for _, id := range []string{"dae1", "dae2", "dae3", "dae1"} {
		got, err := api.GetDeviceAssurance(low, id)
		if err != nil || got.ID != id {
			t.Fatalf("GetDeviceAssurance(%s) = %v, %v", id, got, err)
		}
	}
	if org.lists != 1 || org.gets != 0 {
		t.Fatalf("four resync reads cost %d lists and %d gets, want 1 list", org.lists, org.gets)
	}

	// A new or changed object reads Okta itself.
	if _, err := api.GetDeviceAssurance(context.Background(), "dae1"); err != nil || org.gets != 1 {
		t.Fatalf("a high-urgency read did not go to Okta (gets %d, err %v)", org.gets, err)
	}

	// An object created after the list is read, never reported missing.
	org.policies["dae4"] = named("dae4", "new")
	if got, err := api.GetDeviceAssurance(low, "dae4"); err != nil || got.Name != "new" || org.gets != 2 {
		t.Fatalf("an object missing from the snapshot: %v, %v (gets %d)", got, err, org.gets)
	}

	// The operator's own write drops the object from the snapshot.
	if _, err := api.ReplaceDeviceAssurance(context.Background(), "dae2", okta.DeviceAssurance{Name: "written"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := api.GetDeviceAssurance(low, "dae2"); got.Name != "written" {
		t.Fatalf("after the operator's PUT the snapshot answered %q", got.Name)
	}

	// An out-of-band change seen in the System Log does too.
	org.policies["dae3"] = named("dae3", "console edit")
	s.Invalidate("dae3")
	if got, _ := api.GetDeviceAssurance(low, "dae3"); got.Name != "console edit" {
		t.Fatalf("after Invalidate the snapshot answered %q", got.Name)
	}

	// After the TTL the list is taken again, once.
	now = now.Add(time.Minute)
	for _, id := range []string{"dae1", "dae3"} {
		if _, err := api.GetDeviceAssurance(low, id); err != nil {
			t.Fatal(err)
		}
	}
	if org.lists != 2 {
		t.Fatalf("lists = %d after the TTL, want 2", org.lists)
	}
}

func TestNilSnapshotsLeaveTheClientAlone(t *testing.T) {
	var s *Snapshots
	org := &countingDA{}
	if got := s.wrap(orgID{}, "https://example.okta.com", org); got != org {
		t.Fatal("a nil Snapshots wrapped the client")
	}
}

// countingPolicies is an org that counts app sign-in policy lists.
type countingPolicies struct {
	okta.API
	lists int
}

func (c *countingPolicies) ListPolicies(_ context.Context, opts okta.PolicyListOptions) ([]okta.Policy, error) {
	c.lists++
	return []okta.Policy{{ID: "rst" + opts.Q, Name: opts.Q}}, nil
}

func TestSnapshotsShareThePolicyLookupsOfResyncs(t *testing.T) {
	now := time.Unix(1700000000, 0)
	s := NewSnapshots(time.Minute)
	s.now = func() time.Time { return now }
	org := &countingPolicies{}
	api := s.wrap(orgID{}, "https://example.okta.com", org)
	low := WithUrgency(context.Background(), UrgencyLow)
	dashboard := okta.PolicyListOptions{Type: okta.PolicyTypeAccess, Q: "Okta Dashboard"}
	for range 3 {
		if got, err := api.ListPolicies(low, dashboard); err != nil || got[0].ID != "rstOkta Dashboard" {
			t.Fatalf("ListPolicies = %v, %v", got, err)
		}
	}
	if _, err := api.ListPolicies(low, okta.PolicyListOptions{Type: okta.PolicyTypeAccess, Q: "Other"}); err != nil {
		t.Fatal(err)
	}
	if org.lists != 2 {
		t.Fatalf("lists = %d, want one per query", org.lists)
	}
	if _, err := api.ListPolicies(context.Background(), dashboard); err != nil || org.lists != 3 {
		t.Fatalf("a new binding's lookup was answered from the cache (lists %d, err %v)", org.lists, err)
	}
	now = now.Add(time.Minute)
	if _, err := api.ListPolicies(low, dashboard); err != nil || org.lists != 4 {
		t.Fatalf("lists = %d after the TTL, want a new one", org.lists)
	}
}
