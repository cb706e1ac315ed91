package plan

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/tenancy"
)

const simToken = "plan-test-token"

// sentWrites records the requests that change the org, as sent: what the
// operator's reconcilers really send, to compare with what a plan
// predicted.
type sentWrites struct {
	base http.RoundTripper
	mu   sync.Mutex
	all  []Write
	gets []string
}

// reads counts the GETs of path.
func (s *sentWrites) reads(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, p := range s.gets {
		if p == path {
			n++
		}
	}
	return n
}

func (s *sentWrites) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodGet {
		s.mu.Lock()
		s.gets = append(s.gets, req.URL.Path)
		s.mu.Unlock()
	}
	if req.Method != http.MethodGet {
		w := Write{Object: orgclient.WriterFrom(req.Context()), Method: req.Method, Path: req.URL.Path}
		if req.URL.RawQuery != "" {
			w.Path += "?" + req.URL.RawQuery
		}
		if req.Body != nil {
			raw, _ := io.ReadAll(req.Body)
			req.Body = io.NopCloser(bytes.NewReader(raw))
			if len(raw) > 0 {
				var body any
				_ = json.Unmarshal(raw, &body)
				w.Body = body
			}
		}
		s.mu.Lock()
		s.all = append(s.all, w)
		s.mu.Unlock()
	}
	return s.base.RoundTrip(req)
}

func (s *sentWrites) writes() []Write {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Write(nil), s.all...)
}

// org is a simulated org, read through a client whose writes are recorded.
type org struct {
	api  okta.API
	sent *sentWrites
}

func newOrg(t *testing.T) org {
	t.Helper()
	sim := httptest.NewServer(oktasim.New(oktasim.Options{APITokens: []string{simToken}, RateLimits: oktasim.RateLimits{Disabled: true}}))
	t.Cleanup(sim.Close)
	sent := &sentWrites{base: sim.Client().Transport}
	api, err := okta.New(okta.Config{OrgURL: sim.URL, Credentials: okta.APIToken(simToken), HTTPClient: &http.Client{Transport: sent}})
	if err != nil {
		t.Fatal(err)
	}
	return org{api: api, sent: sent}
}

// apply makes the org match objs with the operator's reconcilers, as the
// operator would, and returns the objects with the status it wrote.
func (o org) apply(t *testing.T, objs []managed.Object) []managed.Object {
	t.Helper()
	before := len(o.sent.writes())
	p, finals, err := run(context.Background(), fixedOrg{api: o.api}, func() []Write { return o.sent.writes()[before:] }, objs, loadSchemas(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Changes {
		if c.Action == ActionRefused || c.Action == ActionBlocked {
			t.Fatalf("apply: %s %s: %s: %s", c.Kind, c.Name, c.Reason, c.Message)
		}
	}
	return finals
}

func loadSchemas(t *testing.T) Schemas {
	t.Helper()
	s, err := LoadSchemas()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func guide(t *testing.T, files ...string) []managed.Object {
	t.Helper()
	paths := make([]string, 0, len(files))
	for _, f := range files {
		paths = append(paths, filepath.Join("..", "..", "config", "samples", "guide", f))
	}
	m, err := Load(paths, nil, "default")
	if err != nil {
		t.Fatal(err)
	}
	return m.Objects
}

// withStatus gives each object the status an earlier apply left on the
// object of the same kind, namespace and name: the cluster's view.
func withStatus(objs, applied []managed.Object) []managed.Object {
	out := make([]managed.Object, 0, len(objs))
	for _, obj := range objs {
		obj = obj.DeepCopyObject().(managed.Object)
		for _, a := range applied {
			if fmt.Sprintf("%T", a) == fmt.Sprintf("%T", obj) && a.GetName() == obj.GetName() && a.GetNamespace() == obj.GetNamespace() {
				CopyStatus(obj, a)
			}
		}
		out = append(out, obj)
	}
	return out
}

func actions(p Plan) string {
	out := make([]string, 0, len(p.Changes))
	for _, c := range p.Changes {
		out = append(out, c.Kind+"/"+c.Name+"="+c.Action)
	}
	return strings.Join(out, " ")
}

// requests lists writes as "METHOD path", created IDs shown as (new).
func requests(writes []Write, created map[string]bool) []string {
	out := make([]string, 0, len(writes))
	for _, w := range writes {
		path := w.Path
		for id := range created {
			path = strings.ReplaceAll(path, id, "(new)")
		}
		out = append(out, w.Method+" "+path)
	}
	return out
}

func predicted(p Plan) []Write {
	var out []Write
	for _, c := range p.Changes {
		out = append(out, c.Writes...)
	}
	return out
}

func TestPlanPredictsTheOperatorsWritesAndThenNoChange(t *testing.T) {
	ctx := context.Background()
	o := newOrg(t)
	schemas := loadSchemas(t)

	// A new org: everything is created.
	objs := guide(t, "01-device-assurance-policy.yaml", "03-sign-in-rule-binding.yaml", "04-posture-check-and-policy.yaml")
	first, err := Run(ctx, o.api, objs, schemas)
	if err != nil {
		t.Fatal(err)
	}
	want := "DevicePostureCheck/macos-firewall=create DeviceAssurancePolicy/device-assurance-ios=create " +
		"DeviceAssurancePolicy/device-assurance-macos=create SignInRuleBinding/device-assurance-rule=create"
	if got := actions(first); got != want {
		t.Fatalf("actions\n got: %s\nwant: %s", got, want)
	}
	if len(o.sent.writes()) != 0 {
		t.Fatalf("the plan sent %v", o.sent.writes())
	}
	applied := o.apply(t, objs)
	created := map[string]bool{}
	for _, a := range applied {
		created[a.OktaID()] = true
	}
	if got, want := requests(o.sent.writes(), created), requests(predicted(first), nil); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("the operator sent\n%s\nthe plan predicted\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Applied: nothing to do.
	again, err := Run(ctx, o.api, withStatus(objs, applied), schemas)
	if err != nil {
		t.Fatal(err)
	}
	if again.HasChanges() || strings.Count(actions(again), "=no-change") != 4 {
		t.Fatalf("after apply: %s", actions(again))
	}

	// The guide's edit: a 30-day grace period (Okta reads P30D back as
	// PT720H) and remediation shown.
	edited := withStatus(guide(t, "02-device-assurance-policy-edit.yaml", "03-sign-in-rule-binding.yaml", "04-posture-check-and-policy.yaml"), applied)
	update, err := Run(ctx, o.api, edited, schemas)
	if err != nil {
		t.Fatal(err)
	}
	ios := update.Changes[1]
	if ios.Name != "device-assurance-ios" || ios.Action != ActionUpdate {
		t.Fatalf("the edited policy: %+v (plan %s)", ios, actions(update))
	}
	paths := make([]string, 0, len(ios.Fields))
	for _, f := range ios.Fields {
		paths = append(paths, f.Path)
	}
	if got := strings.Join(paths, " "); got != "displayRemediationMode gracePeriod" {
		t.Errorf("fields %q, want the grace period and the remediation mode only", got)
	}
	sentBefore := len(o.sent.writes())
	reapplied := o.apply(t, edited)
	if got, want := requests(o.sent.writes()[sentBefore:], nil), requests(predicted(update), nil); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("the operator sent %v, the plan predicted %v", got, want)
	}
	settled, err := Run(ctx, o.api, withStatus(edited, reapplied), schemas)
	if err != nil {
		t.Fatal(err)
	}
	if settled.HasChanges() {
		t.Fatalf("P30D, read back as PT720H, is still a change: %s", actions(settled))
	}
}

func TestPlanRefusesWhatTheAPIServerWould(t *testing.T) {
	o := newOrg(t)
	m, err := Load([]string{"-"}, strings.NewReader(`apiVersion: assurance.okta-operator.dev/v1alpha1
kind: DeviceAssurancePolicy
metadata: {name: bad}
spec:
  name: Bad
  platform: IOS
  gracePeriod: {type: BY_DURATION}
`), "default")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Run(context.Background(), o.api, m.Objects, loadSchemas(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 1 || p.Changes[0].Action != ActionRefused || !strings.Contains(p.Changes[0].Message, "gracePeriod") {
		t.Fatalf("plan %+v", p.Changes)
	}
	if !p.HasRefusals() || p.HasChanges() {
		t.Fatal("a refused object is a refusal, not a change")
	}
}

func TestPlanSaysWhenTwoRulesWouldFightOverOnePriority(t *testing.T) {
	o := newOrg(t)
	objs := guide(t, "01-device-assurance-policy.yaml", "03-sign-in-rule-binding.yaml")
	rival := objs[1].DeepCopyObject().(managed.Object)
	rival.SetName("rival")
	rival.(*assurancev1alpha1.SignInRuleBinding).Spec.Rule.Name = "Rival Rule"
	_, err := Run(context.Background(), o.api, append(objs, rival), loadSchemas(t))
	if err == nil || !strings.Contains(err.Error(), "would keep rewriting") || !strings.Contains(err.Error(), "default/rival") {
		t.Fatalf("err = %v, want the two bindings named as fighting", err)
	}
	if len(o.sent.writes()) != 0 {
		t.Fatalf("the plan sent %v", o.sent.writes())
	}
}

func TestPlanAppliesTheOrgsTenancyGrants(t *testing.T) {
	o := newOrg(t)
	objs := guide(t, "01-device-assurance-policy.yaml", "03-sign-in-rule-binding.yaml")
	grants := []assurancev1alpha1.TenantGrant{{Name: "payments",
		NamespaceSelector: metav1.LabelSelector{MatchLabels: map[string]string{"team": "payments"}}}}
	rights := func(_ context.Context, namespace string) (tenancy.Rights, error) {
		return tenancy.Of("shared", namespace, map[string]string{"team": "storefront"}, grants), nil
	}
	p, err := RunWithRights(context.Background(), o.api, objs, loadSchemas(t), rights)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Changes {
		if c.Reason != "NotGranted" || len(c.Writes) > 0 || !strings.Contains(c.Message, "no tenants entry") {
			t.Errorf("%s %s: %s %s: %s (writes %v)", c.Kind, c.Name, c.Action, c.Reason, c.Message, c.Writes)
		}
	}
	if !p.HasRefusals() || p.HasChanges() {
		t.Fatalf("plan %s", actions(p))
	}
}

func TestPlanOfADeletionDeletesOrLeavesTheOktaObject(t *testing.T) {
	ctx := context.Background()
	o := newOrg(t)
	objs := guide(t, "01-device-assurance-policy.yaml")
	applied := o.apply(t, objs)
	for _, tt := range []struct {
		policy assurancev1alpha1.DeletionPolicy
		want   string
	}{{assurancev1alpha1.DeletionPolicyDelete, ActionDelete}, {assurancev1alpha1.DeletionPolicyOrphan, ActionOrphan}} {
		gone := applied[0].DeepCopyObject().(managed.Object)
		gone.GetManagedSpec().DeletionPolicy = tt.policy
		now := metav1.Now()
		gone.SetDeletionTimestamp(&now)
		p, err := Run(ctx, o.api, []managed.Object{gone}, loadSchemas(t))
		if err != nil {
			t.Fatal(err)
		}
		c := p.Changes[0]
		wantWrites := map[string]int{ActionDelete: 1, ActionOrphan: 0}[tt.want]
		if c.Action != tt.want || len(c.Writes) != wantWrites || c.OktaID != applied[0].OktaID() {
			t.Errorf("deletionPolicy %s: %+v", tt.policy, c)
		}
	}
	if _, err := o.api.GetDeviceAssurance(ctx, applied[0].OktaID()); err != nil {
		t.Fatalf("the plan deleted the policy: %v", err)
	}
}

func TestAPlanListsEachOfTheOrgsListsOnce(t *testing.T) {
	o := newOrg(t)
	objs := guide(t, "01-device-assurance-policy.yaml", "04-posture-check-and-policy.yaml")
	p, err := Run(context.Background(), o.api, objs, loadSchemas(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(p); strings.Count(got, "=create") != 3 {
		t.Fatalf("plan %s", got)
	}
	for _, path := range []string{"/api/v1/device-assurances", "/api/v1/device-posture-checks"} {
		if n := o.sent.reads(path); n != 1 {
			t.Errorf("%d lists of %s for two policies and a check, want 1", n, path)
		}
	}
}
