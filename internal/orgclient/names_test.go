package orgclient

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// namesOrg is an org of device assurance policies that counts lists; its
// create fails with createErr when set (the policy may or may not exist).
type namesOrg struct {
	countingDA
	mu        sync.Mutex
	next      int
	createErr error
}

func newNamesOrg(policies ...okta.DeviceAssuranceResponse) *namesOrg {
	o := &namesOrg{countingDA: countingDA{policies: map[string]okta.DeviceAssuranceResponse{}}}
	for _, p := range policies {
		o.policies[p.ID] = p
	}
	return o
}

func (o *namesOrg) ListDeviceAssurances(ctx context.Context) ([]okta.DeviceAssuranceResponse, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.countingDA.ListDeviceAssurances(ctx)
}

func (o *namesOrg) CreateDeviceAssurance(_ context.Context, p okta.DeviceAssurance) (*okta.DeviceAssuranceResponse, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.next++
	r := okta.DeviceAssuranceResponse{ID: fmt.Sprintf("dae%d", o.next), DeviceAssurance: p}
	o.policies[r.ID] = r
	return &r, o.createErr
}

func (o *namesOrg) DeleteDeviceAssurance(_ context.Context, id string) error {
	delete(o.policies, id)
	return nil
}

func iosPolicy(id, name string) okta.DeviceAssuranceResponse {
	return okta.DeviceAssuranceResponse{ID: id, DeviceAssurance: okta.DeviceAssurance{Name: name, Platform: okta.PlatformIOS}}
}

// newLedgerAPI returns the org's client with snapshots and a settable clock.
func newLedgerAPI(org okta.API) (*snapshotted, *Snapshots, *time.Time) {
	now := time.Unix(1700000000, 0)
	s := NewSnapshots(time.Minute)
	s.now = func() time.Time { return now }
	return s.wrap(orgID{}, "https://example.okta.com", org).(*snapshotted), s, &now
}

func as(writer string) context.Context {
	return WithWriter(context.Background(), types.UID(writer))
}

func reserve(t *testing.T, api NameChecker, writer, name string) *NameReservation {
	t.Helper()
	r, err := api.ReserveDeviceAssuranceName(as(writer), name, okta.PlatformIOS)
	if err != nil {
		t.Fatalf("reserve %q for %s: %v", name, writer, err)
	}
	return r
}

func TestNameLedgerChecksABurstOfCreatesWithOneList(t *testing.T) {
	org := newNamesOrg(iosPolicy("daeHand", "made by hand"))
	api, _, _ := newLedgerAPI(org)
	for i := range 50 {
		name := fmt.Sprintf("policy %d", i)
		r := reserve(t, api, fmt.Sprintf("uid%d", i), name)
		if !r.Reserved() {
			t.Fatalf("%q is free but was not reserved: %+v", name, r)
		}
		if _, err := api.CreateDeviceAssurance(as("x"), okta.DeviceAssurance{Name: name, Platform: okta.PlatformIOS}); err != nil {
			t.Fatal(err)
		}
		r.Release()
	}
	if org.lists != 1 {
		t.Fatalf("50 creates listed the org %d times, want 1", org.lists)
	}
	// What was there and what the operator made since are both taken.
	for _, name := range []string{"made by hand", "policy 7"} {
		if r := reserve(t, api, "late", name); r.Reserved() || len(r.Taken) != 1 {
			t.Fatalf("%q: %+v, want taken by one policy", name, r)
		}
	}
	// The same name on another platform is another name.
	r, err := api.ReserveDeviceAssuranceName(as("mac"), "policy 7", okta.PlatformMacOS)
	if err != nil || !r.Reserved() {
		t.Fatalf("policy 7 on macOS: %+v, %v", r, err)
	}
}

func TestNameLedgerReservesANameForOneObjectAtATime(t *testing.T) {
	api, _, _ := newLedgerAPI(newNamesOrg())
	payments := reserve(t, api, "payments", "Shared")
	if !payments.Reserved() {
		t.Fatal("a free name was not reserved")
	}
	if again := reserve(t, api, "payments", "Shared"); !again.Reserved() {
		t.Fatal("the holder's own retry was refused")
	}
	storefront := reserve(t, api, "storefront", "Shared")
	if storefront.Reserved() || !storefront.Creating {
		t.Fatalf("a second object got a name being created: %+v", storefront)
	}
	payments.Release()
	payments.Release()
	if r := reserve(t, api, "storefront", "Shared"); !r.Reserved() {
		t.Fatal("a released name (the create was abandoned) stayed reserved")
	}
}

func TestNameLedgerGivesANameToExactlyOneOfManyAtTheSameMoment(t *testing.T) {
	org := newNamesOrg()
	api, _, _ := newLedgerAPI(org)
	var wg sync.WaitGroup
	var mu sync.Mutex
	winners := 0
	for i := range 20 {
		wg.Go(func() {
			writer := as(fmt.Sprintf("ns%d", i))
			r, err := api.ReserveDeviceAssuranceName(writer, "Shared", okta.PlatformIOS)
			if err != nil {
				t.Error(err)
				return
			}
			defer r.Release()
			if !r.Reserved() {
				return
			}
			if _, err := api.CreateDeviceAssurance(writer, okta.DeviceAssurance{Name: "Shared", Platform: okta.PlatformIOS}); err != nil {
				t.Error(err)
			}
			mu.Lock()
			winners++
			mu.Unlock()
		})
	}
	wg.Wait()
	if winners != 1 || len(org.policies) != 1 {
		t.Fatalf("%d objects created %d policies named Shared, want 1", winners, len(org.policies))
	}
}

func TestNameLedgerSeesOthersPoliciesThroughTheSystemLogOrAFreshList(t *testing.T) {
	org := newNamesOrg()
	api, s, now := newLedgerAPI(org)
	reserve(t, api, "first", "first").Release()
	org.policies["daeConsole"] = iosPolicy("daeConsole", "from the console")

	// The System Log watcher reports a change someone else made.
	s.Invalidate("daeConsole")
	if r := reserve(t, api, "a", "from the console"); r.Reserved() {
		t.Fatal("a policy reported by the System Log was not seen")
	}
	if org.lists != 2 {
		t.Fatalf("lists = %d, want a new list after Invalidate", org.lists)
	}

	// Unreported, it is seen once the list is older than NameLedgerMaxAge.
	org.policies["daeLater"] = iosPolicy("daeLater", "later")
	*now = now.Add(NameLedgerMaxAge)
	if r := reserve(t, api, "b", "later"); r.Reserved() {
		t.Fatal("a policy made before a lone create's check was not seen")
	}
	if org.lists != 3 {
		t.Fatalf("lists = %d, want a new list past the max age", org.lists)
	}
}

func TestNameLedgerFollowsTheOperatorsWrites(t *testing.T) {
	org := newNamesOrg(iosPolicy("dae1", "old name"), iosPolicy("dae2", "deleted"), iosPolicy("dae3", "gone"))
	api, _, _ := newLedgerAPI(org)
	reserve(t, api, "x", "anything").Release()

	if _, err := api.ReplaceDeviceAssurance(as("x"), "dae1", okta.DeviceAssurance{Name: "new name", Platform: okta.PlatformIOS}); err != nil {
		t.Fatal(err)
	}
	if err := api.DeleteDeviceAssurance(as("x"), "dae2"); err != nil {
		t.Fatal(err)
	}
	delete(org.policies, "dae3") // deleted in the console; a read finds it gone
	if _, err := api.GetDeviceAssurance(as("x"), "dae3"); !okta.IsNotFound(err) {
		t.Fatalf("get dae3: %v", err)
	}
	for name, free := range map[string]bool{"old name": true, "new name": false, "deleted": true, "gone": true} {
		if r := reserve(t, api, "y", name); r.Reserved() != free {
			t.Errorf("%q: reserved %v, want %v", name, r.Reserved(), free)
		} else {
			r.Release()
		}
	}
	if org.lists != 1 {
		t.Fatalf("lists = %d: the writes should have kept the ledger", org.lists)
	}

	// A create whose result is unknown (a timeout) may have made the
	// policy: the next check lists the org.
	org.createErr = &okta.APIError{Class: okta.ClassTransient}
	if _, err := api.CreateDeviceAssurance(as("x"), okta.DeviceAssurance{Name: "maybe", Platform: okta.PlatformIOS}); err == nil {
		t.Fatal("the create did not fail")
	}
	if r := reserve(t, api, "z", "maybe"); r.Reserved() || org.lists != 2 {
		t.Fatalf("after an unknown create result: %+v, lists %d; want the org listed and the name taken", r, org.lists)
	}
}
