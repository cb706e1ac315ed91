package driftwatch

import (
	"context"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/event"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/shard"
)

// fakeLog is an org whose System Log answers with pages; every other call
// fails the test (the embedded nil okta.API panics).
type fakeLog struct {
	okta.API
	queries []okta.LogQuery
	pages   []*okta.LogPage
	err     error
}

func (f *fakeLog) ListLogEvents(_ context.Context, q okta.LogQuery) (*okta.LogPage, error) {
	f.queries = append(f.queries, q)
	return f.next()
}

func (f *fakeLog) NextLogEvents(context.Context, *okta.LogPage) (*okta.LogPage, error) {
	return f.next()
}

func (f *fakeLog) next() (*okta.LogPage, error) {
	if f.err != nil {
		return nil, f.err
	}
	if len(f.pages) == 0 {
		return &okta.LogPage{NextURL: "https://example.okta.com/api/v1/logs?after=end", After: "end"}, nil
	}
	p := f.pages[0]
	f.pages = f.pages[1:]
	return p, nil
}

// fakeOrgs serves every org with api; claimErr, when set, is another
// shard's claim on every org.
type fakeOrgs struct {
	api      okta.API
	claimErr error
}

func (f fakeOrgs) View(obj client.Object) (orgclient.Org, error) {
	return orgclient.View(obj, "okta-system")
}
func (f fakeOrgs) Client(context.Context, orgclient.Org) (okta.API, error) { return f.api, nil }
func (f fakeOrgs) Claim(context.Context, orgclient.Org) error              { return f.claimErr }

func newPollFixture(t *testing.T, status assurancev1alpha1.OktaOrgStatus) (*Watcher, *fakeLog, client.Client, watchedOrg) {
	t.Helper()
	scheme := runtime.NewScheme()
	if err := assurancev1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	org := &assurancev1alpha1.ClusterOktaOrg{ObjectMeta: metav1.ObjectMeta{Name: "default"}, Status: status}
	b := fake.NewClientBuilder().WithScheme(scheme).WithObjects(org).WithStatusSubresource(org,
		&assurancev1alpha1.DeviceAssurancePolicy{}, &assurancev1alpha1.DevicePostureCheck{}, &assurancev1alpha1.SignInRuleBinding{})
	for _, k := range managedKinds {
		b = b.WithIndex(k.object, OktaIDIndex, managed.OktaIDsOf) // as the manager's cache has
	}
	c := b.Build()
	logs := &fakeLog{}
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	w := &Watcher{Client: c, Orgs: fakeOrgs{api: logs}, Own: NewOwnRequests(), Interval: time.Minute, Now: func() time.Time { return now }}
	view, err := orgclient.View(org, "okta-system")
	if err != nil {
		t.Fatal(err)
	}
	return w, logs, c, watchedOrg{target: orgTarget{kind: view.Kind, name: "default"}, obj: org, view: view}
}

func driftWatchOf(t *testing.T, c client.Client) *assurancev1alpha1.DriftWatchStatus {
	t.Helper()
	org := &assurancev1alpha1.ClusterOktaOrg{}
	if err := c.Get(context.Background(), client.ObjectKey{Name: "default"}, org); err != nil {
		t.Fatal(err)
	}
	return org.Status.DriftWatch
}

func TestPollResumesFromThePersistedCursor(t *testing.T) {
	w, logs, c, org := newPollFixture(t, assurancev1alpha1.OktaOrgStatus{DriftWatch: &assurancev1alpha1.DriftWatchStatus{Cursor: "persisted"}})
	w.poll(context.Background(), org)
	if len(logs.queries) != 1 || logs.queries[0].After != "persisted" || !logs.queries[0].Since.IsZero() {
		t.Fatalf("queries = %+v, want one resuming after the persisted cursor", logs.queries)
	}
	if q := logs.queries[0]; q.Filter != eventFilter() || q.SortOrder != okta.SortAscending || q.Limit != logPageSize {
		t.Fatalf("query = %+v, want the polling query", q)
	}
	dw := driftWatchOf(t, c)
	if dw.Cursor != "end" || dw.LastPollTime == nil || dw.Message != "" {
		t.Fatalf("driftWatch = %+v, want the new cursor persisted", dw)
	}
}

func TestPollWithoutCursorStartsAtTheLastPoll(t *testing.T) {
	last := metav1.NewTime(time.Date(2026, 11, 29, 11, 58, 0, 0, time.UTC))
	w, logs, _, org := newPollFixture(t, assurancev1alpha1.OktaOrgStatus{DriftWatch: &assurancev1alpha1.DriftWatchStatus{LastPollTime: &last}})
	w.poll(context.Background(), org)
	if len(logs.queries) != 1 || !logs.queries[0].Since.Equal(last.Time) {
		t.Fatalf("queries = %+v, want since the last poll", logs.queries)
	}
	w, logs, _, org = newPollFixture(t, assurancev1alpha1.OktaOrgStatus{})
	w.poll(context.Background(), org)
	if want := w.Now().Add(-time.Minute); !logs.queries[0].Since.Equal(want) {
		t.Fatalf("since = %s, want one interval back (%s) on the first poll", logs.queries[0].Since, want)
	}
}

func TestPollDropsACursorOktaRefuses(t *testing.T) {
	w, logs, c, org := newPollFixture(t, assurancev1alpha1.OktaOrgStatus{DriftWatch: &assurancev1alpha1.DriftWatchStatus{Cursor: "stale"}})
	logs.err = &okta.APIError{Class: okta.ClassInvalid, ErrorSummary: "Invalid after"}
	w.poll(context.Background(), org)
	dw := driftWatchOf(t, c)
	if dw.Cursor != "" || dw.Message == "" {
		t.Fatalf("driftWatch = %+v, want the cursor dropped and the error shown", dw)
	}
}

func TestPollKeepsTheCursorOnATransientError(t *testing.T) {
	w, logs, c, org := newPollFixture(t, assurancev1alpha1.OktaOrgStatus{DriftWatch: &assurancev1alpha1.DriftWatchStatus{Cursor: "good"}})
	logs.err = &okta.APIError{Class: okta.ClassTransient, ErrorSummary: "Internal Server Error"}
	w.poll(context.Background(), org)
	dw := driftWatchOf(t, c)
	if dw.Cursor != "good" || dw.Message == "" || dw.LastPollTime != nil {
		t.Fatalf("driftWatch = %+v, want the cursor kept and the error shown", dw)
	}
}

func TestPollCountsOnlyOthersChanges(t *testing.T) {
	w, logs, c, org := newPollFixture(t, assurancev1alpha1.OktaOrgStatus{DriftWatch: &assurancev1alpha1.DriftWatchStatus{Cursor: "c", OutOfBandChanges: 2}})
	w.Own.Add("mine", "")
	logs.pages = []*okta.LogPage{{
		Events: []okta.LogEvent{
			logEvent("device.assurance.policy.update", "mine", "00uop", "dae1"),
			logEvent("device.assurance.policy.update", "theirs", "00uada", "dae1"),
		},
		NextURL: "https://example.okta.com/api/v1/logs?after=c2", After: "c2",
	}}
	w.poll(context.Background(), org)
	dw := driftWatchOf(t, c)
	if dw.OutOfBandChanges != 3 || dw.LastOutOfBandChange == nil || dw.LastOutOfBandChange.Actor != "00uada" || dw.Cursor != "end" {
		t.Fatalf("driftWatch = %+v, want one more change, by the admin", dw)
	}
}

// A write the operator made for one object that touched the Okta object of
// another wakes that other object, as anybody else's change would; the
// writer itself, and objects that only share an app sign-in policy with
// the rule written, are not told.
func TestPollWakesTheOwnerOfAnOktaObjectTheOperatorWroteForAnotherObject(t *testing.T) {
	w, logs, c, org := newPollFixture(t, assurancev1alpha1.OktaOrgStatus{DriftWatch: &assurancev1alpha1.DriftWatchStatus{Cursor: "c"}})
	owner := &assurancev1alpha1.SignInRuleBinding{ObjectMeta: metav1.ObjectMeta{Namespace: "team-a", Name: "owner", UID: "uid-owner"}}
	owner.Status.RuleID, owner.Status.PolicyID = "rul1", "rst1"
	writer := &assurancev1alpha1.SignInRuleBinding{ObjectMeta: metav1.ObjectMeta{Namespace: "team-b", Name: "writer", UID: "uid-writer"}}
	writer.Status.RuleID, writer.Status.PolicyID = "rul2", "rst1"
	for _, obj := range []client.Object{owner, writer} {
		if err := c.Create(context.Background(), obj); err != nil {
			t.Fatal(err)
		}
		if err := c.Status().Update(context.Background(), obj); err != nil {
			t.Fatal(err)
		}
	}
	w.Own.Add("req-own-rule", "uid-writer")
	w.Own.Add("req-other-rule", "uid-writer")
	logs.pages = []*okta.LogPage{{
		Events: []okta.LogEvent{
			logEvent("policy.rule.update", "req-own-rule", "00uop", "rul2", "rst1"),
			logEvent("policy.rule.update", "req-other-rule", "00uop", "rul1", "rst1"),
		},
		NextURL: "https://example.okta.com/api/v1/logs?after=c2", After: "c2",
	}}
	w.poll(context.Background(), org)

	woken := drain(w.channel(KindSignInRuleBinding))
	if len(woken) != 1 || woken[0] != "team-a/owner" {
		t.Fatalf("woken = %v, want only the owner of the rule written for another object", woken)
	}
	got := &assurancev1alpha1.SignInRuleBinding{}
	if err := c.Get(context.Background(), client.ObjectKeyFromObject(owner), got); err != nil {
		t.Fatal(err)
	}
	if got.Status.LastOutOfBandChange == nil || got.Status.LastOutOfBandChange.Actor != "this operator, for another object" {
		t.Fatalf("lastOutOfBandChange = %+v, want the operator's write for another object, the writer not named", got.Status.LastOutOfBandChange)
	}
	if dw := driftWatchOf(t, c); dw.OutOfBandChanges != 0 {
		t.Errorf("the org counts %d out-of-band changes: the operator's own writes are not", dw.OutOfBandChanges)
	}
}

// drain returns the namespace/name of the objects queued on ch.
func drain(ch chan event.GenericEvent) []string {
	var out []string
	for {
		select {
		case e := <-ch:
			out = append(out, e.Object.GetNamespace()+"/"+e.Object.GetName())
		default:
			return out
		}
	}
}

func TestAnOrgAnotherShardServesIsNotPolled(t *testing.T) {
	ready := assurancev1alpha1.OktaOrgStatus{ObservedGeneration: 0,
		Conditions: []metav1.Condition{{Type: assurancev1alpha1.ConditionReady, Status: metav1.ConditionTrue, Reason: "Connected"}}}
	w, _, _, _ := newPollFixture(t, ready)
	if due := w.dueOrgs(context.Background()); len(due) != 1 {
		t.Fatalf("a Ready org this shard serves: %d due, want 1", len(due))
	}
	w, _, _, _ = newPollFixture(t, ready)
	w.Orgs = fakeOrgs{claimErr: &shard.ConflictError{URL: "https://acme.okta.com", Holder: "shard=a", Shard: "shard=b"}}
	if due := w.dueOrgs(context.Background()); len(due) != 0 {
		t.Fatalf("an org another shard serves was due for a poll: %+v", due)
	}
}

func TestAnOrgWithoutTheLogsScopeIsNotPolled(t *testing.T) {
	status := func(available bool) assurancev1alpha1.OktaOrgStatus {
		return assurancev1alpha1.OktaOrgStatus{
			Conditions: []metav1.Condition{{Type: assurancev1alpha1.ConditionReady, Status: metav1.ConditionTrue, Reason: "Connected"}},
			Capabilities: []assurancev1alpha1.OrgCapability{
				{Name: assurancev1alpha1.CapabilityDeviceAssurancePolicy, Available: true},
				{Name: assurancev1alpha1.CapabilityDriftDetection, Available: available, MissingScope: "okta.logs.read"},
			},
		}
	}
	w, _, _, _ := newPollFixture(t, status(false))
	if due := w.dueOrgs(context.Background()); len(due) != 0 {
		t.Fatalf("an org without okta.logs.read was due for a poll: %+v", due)
	}
	w, _, _, _ = newPollFixture(t, status(true))
	if due := w.dueOrgs(context.Background()); len(due) != 1 {
		t.Fatalf("an org with okta.logs.read: %d due, want 1", len(due))
	}
}
