package faults_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
)

const (
	orgName    = "sim"
	daPath     = "/api/v1/device-assurances"
	policyName = "Okta Dashboard" // an app sign-in policy every simulated org has
)

// recoveryBound is how long after a fault ends every object must be Ready,
// however long the fault lasted: one backoff cap (the manager's MaxBackoff:
// the longest a failing object waits for its next pass) plus one pass (the
// Okta client's own retries of a GET: up to 4 attempts of requestTimeout
// with up to 3.5 s of waits) plus the org's recheck.
const recoveryBound = maxBackoff + 4*requestTimeout + 4*time.Second + orgCheck

// env is one spec's world: a namespace, a simulated org behind an
// httptest server, an OktaOrg for it, and the objects under test.
type env struct {
	ns       string
	org      *oktasim.Org
	sim      *httptest.Server
	posts    atomic.Int64 // POST /api/v1/device-assurances seen by the simulator
	stop     func()
	policies []*assurancev1alpha1.DeviceAssurancePolicy
	binding  *assurancev1alpha1.SignInRuleBinding
	row      matrixRow

	mu      sync.Mutex
	written map[string][]write // Ready conditions the operator wrote, by object name
}

var envCount atomic.Int64

// write is a Ready condition the operator wrote, and when.
type write struct {
	at time.Time
	metav1.Condition
}

func newEnv(fault string) *env {
	e := &env{ns: fmt.Sprintf("faults-%d", envCount.Add(1)), written: map[string][]write{}}
	number, _, _ := strings.Cut(CurrentSpecReport().LeafNodeText, " ")
	e.row = matrixRow{Fault: number + " " + fault, Objects: "5 DeviceAssurancePolicy + 1 SignInRuleBinding", Outcome: "FAIL"}
	e.org = oktasim.New(oktasim.Options{APITokens: []string{apiToken}, RateLimits: oktasim.RateLimits{Disabled: true}})
	e.sim = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == daPath {
			e.posts.Add(1)
		}
		e.org.ServeHTTP(w, r)
	}))
	DeferCleanup(e.cleanup)

	Expect(k8s.Create(suiteCtx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: e.ns}})).To(Succeed())
	Expect(k8s.Create(suiteCtx, &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Namespace: e.ns, Name: "okta-assurance-secret-reader"},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "secret-reader"},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.ServiceAccountKind, Namespace: operatorNamespace, Name: "controller-manager"}},
	})).To(Succeed())
	Expect(k8s.Create(suiteCtx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: e.ns, Name: "okta-api-token"},
		StringData: map[string]string{"token": apiToken}})).To(Succeed())
	org := &assurancev1alpha1.OktaOrg{ObjectMeta: metav1.ObjectMeta{Namespace: e.ns, Name: orgName}}
	org.Spec.URL, org.Spec.AllowInsecureHTTP = e.sim.URL, true
	org.Spec.APIToken = &assurancev1alpha1.APITokenAuth{SecretRef: assurancev1alpha1.SecretKeyReference{Name: "okta-api-token", Key: "token"}}
	Expect(k8s.Create(suiteCtx, org)).To(Succeed())
	return e
}

// start starts a manager whose status writes are recorded (and passed to
// hook, if any).
func (e *env) start(hook func(obj client.Object, kill func()) error) {
	e.stop = startManager(managerOptions{statusWrite: func(obj client.Object, kill func()) error {
		e.recordWrite(obj)
		if hook != nil {
			return hook(obj, kill)
		}
		return nil
	}})
}

func (e *env) recordWrite(obj client.Object) {
	var conditions []metav1.Condition
	switch o := obj.(type) {
	case *assurancev1alpha1.DeviceAssurancePolicy:
		conditions = o.Status.Conditions
	case *assurancev1alpha1.SignInRuleBinding:
		conditions = o.Status.Conditions
	default:
		return
	}
	if c := meta.FindStatusCondition(conditions, assurancev1alpha1.ConditionReady); c != nil {
		e.mu.Lock()
		e.written[obj.GetName()] = append(e.written[obj.GetName()], write{at: time.Now(), Condition: *c})
		e.mu.Unlock()
	}
}

func (e *env) waitOrgReady() {
	org := &assurancev1alpha1.OktaOrg{}
	Eventually(func(g Gomega) {
		g.Expect(k8s.Get(suiteCtx, client.ObjectKey{Namespace: e.ns, Name: orgName}, org)).To(Succeed())
		g.Expect(meta.IsStatusConditionTrue(org.Status.Conditions, assurancev1alpha1.ConditionReady)).To(BeTrue(), "%+v", org.Status.Conditions)
	}).WithTimeout(30 * time.Second).Should(Succeed())
}

// specs of the five policies: several platforms, a field to compare.
var policySpecs = []string{
	`{platform: MACOS, osVersion: {minimum: "14.4"}}`,
	`{platform: MACOS, osVersion: {minimum: "14.5"}, screenLockType: {include: [BIOMETRIC]}}`,
	`{platform: MACOS, osVersion: {minimum: "15.0"}, secureHardwarePresent: true}`,
	`{platform: IOS, osVersion: {minimum: "17.0"}, jailbreak: false}`,
	`{platform: ANDROID, osVersion: {minimum: "13"}}`,
}

// createObjects creates the five policies and a rule that requires two of
// them.
func (e *env) createObjects() {
	for i, spec := range policySpecs {
		p := &assurancev1alpha1.DeviceAssurancePolicy{}
		p.Namespace, p.Name = e.ns, fmt.Sprintf("dap-%d", i+1)
		Expect(yaml.Unmarshal([]byte(spec), &p.Spec)).To(Succeed())
		p.Spec.Name = fmt.Sprintf("%s policy %d", e.ns, i+1)
		p.Spec.OrgRef = &assurancev1alpha1.OrgReference{Kind: assurancev1alpha1.OrgKindOktaOrg, Name: orgName}
		Expect(k8s.Create(suiteCtx, p)).To(Succeed())
		e.policies = append(e.policies, p)
	}
	b := &assurancev1alpha1.SignInRuleBinding{}
	b.Namespace, b.Name = e.ns, "rule"
	Expect(yaml.Unmarshal([]byte(`
orgRef: {kind: OktaOrg, name: sim}
policy: {name: Okta Dashboard}
rule:
  name: Device Assurance Rule
  priority: 1
  conditions:
    device:
      managed: true
      registered: true
      assurance:
        include: [{name: dap-4}, {name: dap-1}]
  actions:
    appSignOn:
      access: ALLOW
      verificationMethod: {type: ASSURANCE, factorMode: 2FA, reauthenticateIn: PT2H, constraints: [{knowledge: {types: [password]}}]}
`), &b.Spec)).To(Succeed())
	Expect(k8s.Create(suiteCtx, b)).To(Succeed())
	e.binding = b
}

// observeNotReady waits (until deadline) for every policy to have been
// reported not Ready with one of reasons and a message naming one of
// causes; it returns what was seen, e.g. "5/5 OktaUnavailable: …". A
// policy whose status was not written at all until the fault ended passes
// too (its first pass was still waiting inside the Okta client, e.g. for a
// 429's reset, or had not started), but at least one policy must report
// the fault; any other write fails the check.
func (e *env) observeNotReady(faultEnd, deadline time.Time, reasons, causes []string) string {
	var seen map[string]metav1.Condition
	var silent []string
	snapshot := func() (wrongWrites map[string][]write) {
		seen, silent, wrongWrites = map[string]metav1.Condition{}, nil, map[string][]write{}
		e.mu.Lock()
		defer e.mu.Unlock()
		for _, p := range e.policies {
			for _, c := range e.written[p.Name] {
				if c.Status == metav1.ConditionFalse && slices.Contains(reasons, c.Reason) &&
					slices.ContainsFunc(causes, func(cause string) bool { return strings.Contains(c.Message, cause) }) {
					seen[p.Name] = c.Condition
					break
				}
			}
			if _, ok := seen[p.Name]; !ok {
				if !slices.ContainsFunc(e.written[p.Name], func(w write) bool { return w.at.Before(faultEnd) }) {
					silent = append(silent, p.Name)
				} else {
					wrongWrites[p.Name] = slices.Clone(e.written[p.Name])
				}
			}
		}
		return wrongWrites
	}
	for time.Now().Before(deadline) {
		if snapshot(); len(seen) == len(e.policies) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	wrong := snapshot()
	Expect(wrong).To(BeEmpty(), "while the fault lasts, every policy that reports must say it is not Ready (%v) and name the cause (%v)", reasons, causes)
	Expect(seen).NotTo(BeEmpty(), "while the fault lasts, the policies say they are not Ready and why")
	byReason := map[string]int{}
	example := map[string]string{}
	for _, c := range seen {
		byReason[c.Reason]++
		example[c.Reason] = c.Message
	}
	var parts []string
	for reason, n := range byReason {
		msg := example[reason]
		if len(msg) > 160 {
			msg = msg[:160] + "…"
		}
		parts = append(parts, fmt.Sprintf("%d/%d Ready=False %s (%q)", n, len(e.policies), reason, msg))
	}
	sort.Strings(parts)
	if len(silent) > 0 {
		parts = append(parts, fmt.Sprintf("%d/%d no status yet (first pass still waiting in the Okta client)", len(silent), len(e.policies)))
	}
	return strings.Join(parts, "; ")
}

// waitAllReady waits until every object is Ready for its generation, at
// most recoveryBound after the fault ended.
func (e *env) waitAllReady(faultEnded time.Time) {
	bound := recoveryBound
	Eventually(func(g Gomega) {
		for _, p := range e.policies {
			g.Expect(k8s.Get(suiteCtx, client.ObjectKeyFromObject(p), p)).To(Succeed())
			c := meta.FindStatusCondition(p.Status.Conditions, assurancev1alpha1.ConditionReady)
			g.Expect(c).NotTo(BeNil(), "%s has no Ready condition", p.Name)
			g.Expect(c.Status).To(Equal(metav1.ConditionTrue), "%s: %s: %s", p.Name, c.Reason, c.Message)
			g.Expect(p.Status.ObservedGeneration).To(Equal(p.Generation))
		}
		g.Expect(k8s.Get(suiteCtx, client.ObjectKeyFromObject(e.binding), e.binding)).To(Succeed())
		c := meta.FindStatusCondition(e.binding.Status.Conditions, assurancev1alpha1.ConditionReady)
		g.Expect(c).NotTo(BeNil(), "the binding has no Ready condition")
		g.Expect(c.Status).To(Equal(metav1.ConditionTrue), "binding: %s: %s", c.Reason, c.Message)
	}).WithTimeout(time.Until(faultEnded.Add(bound))).WithPolling(250*time.Millisecond).Should(Succeed(),
		"every object is Ready within %v after the fault ended", bound)
	e.row.Recovery = fmt.Sprintf("all 6 Ready %.1fs after the fault ended (bound %v)", time.Since(faultEnded).Seconds(), bound)
}

// simDA is a device assurance policy in GET /_oktasim/state.
type simDA struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Platform  string `json:"platform"`
	OSVersion struct {
		Minimum string `json:"minimum"`
	} `json:"osVersion"`
}

// simState is GET /_oktasim/state, as far as the checks need it.
type simState struct {
	DeviceAssurances []simDA `json:"deviceAssurances"`
	Policies         []struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		Rules []struct {
			ID         string `json:"id"`
			Name       string `json:"name"`
			Priority   int    `json:"priority"`
			Conditions struct {
				Device struct {
					Assurance struct {
						Include []string `json:"include"`
					} `json:"assurance"`
				} `json:"device"`
			} `json:"conditions"`
		} `json:"rules"`
	} `json:"policies"`
}

func (e *env) state() simState {
	resp, err := http.Get(e.sim.URL + "/_oktasim/state") //nolint:noctx // a test
	Expect(err).NotTo(HaveOccurred())
	defer func() { _ = resp.Body.Close() }()
	var s simState
	Expect(json.NewDecoder(resp.Body).Decode(&s)).To(Succeed())
	return s
}

// checkOkta asserts that the org holds exactly one policy per object, no
// other, each the one the object's status names and matching its spec, and
// exactly one rule for the binding, requiring the right policies.
func (e *env) checkOkta() {
	s := e.state()
	byName := map[string]int{}
	for _, d := range s.DeviceAssurances {
		byName[d.Name]++
	}
	var duplicates, lost, mismatched []string
	wanted := map[string]bool{}
	ids := map[string]string{}
	for _, p := range e.policies {
		Expect(k8s.Get(suiteCtx, client.ObjectKeyFromObject(p), p)).To(Succeed())
		wanted[p.Spec.Name] = true
		ids[p.Name] = p.Status.ID
		if n := byName[p.Spec.Name]; n > 1 {
			duplicates = append(duplicates, fmt.Sprintf("%s ×%d", p.Spec.Name, n))
		}
		i := slices.IndexFunc(s.DeviceAssurances, func(d simDA) bool { return d.ID == p.Status.ID })
		if p.Status.ID == "" || i < 0 {
			lost = append(lost, fmt.Sprintf("%s (status.id %q)", p.Name, p.Status.ID))
			continue
		}
		d := s.DeviceAssurances[i]
		if d.Name != p.Spec.Name || d.Platform != string(p.Spec.Platform) || p.Spec.OSVersion == nil || d.OSVersion.Minimum != p.Spec.OSVersion.Minimum {
			mismatched = append(mismatched, fmt.Sprintf("%s: Okta has %s/%s/%s", p.Name, d.Name, d.Platform, d.OSVersion.Minimum))
		}
	}
	var orphans []string
	for _, d := range s.DeviceAssurances {
		if !wanted[d.Name] {
			orphans = append(orphans, d.ID+" "+d.Name)
		}
	}

	Expect(k8s.Get(suiteCtx, client.ObjectKeyFromObject(e.binding), e.binding)).To(Succeed())
	rules, ruleFound := 0, false
	for _, pol := range s.Policies {
		if pol.Name != policyName {
			continue
		}
		for _, r := range pol.Rules {
			if r.Name != e.binding.Spec.Rule.Name {
				continue
			}
			rules++
			if r.ID == e.binding.Status.RuleID {
				ruleFound = true
				want := []string{ids["dap-4"], ids["dap-1"]}
				got := slices.Clone(r.Conditions.Device.Assurance.Include)
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(got, want) {
					mismatched = append(mismatched, fmt.Sprintf("rule requires %v, want %v", got, want))
				}
			}
		}
	}
	if rules > 1 {
		duplicates = append(duplicates, fmt.Sprintf("rule %q ×%d", e.binding.Spec.Rule.Name, rules))
	}
	if !ruleFound {
		lost = append(lost, fmt.Sprintf("rule (status.ruleID %q)", e.binding.Status.RuleID))
	}
	e.row.OktaPolicies = fmt.Sprintf("%d policies + %d rule for 5+1 objects; %d duplicates, %d orphans, %d lost, %d mismatched",
		len(s.DeviceAssurances), rules, len(duplicates), len(orphans), len(lost), len(mismatched))
	Expect(duplicates).To(BeEmpty(), "duplicates in Okta")
	Expect(orphans).To(BeEmpty(), "Okta policies without an object")
	Expect(lost).To(BeEmpty(), "objects whose status.id is not in Okta")
	Expect(mismatched).To(BeEmpty(), "Okta content that does not match the spec")
}

// cleanup stops the manager, removes the spec's objects without a
// controller (finalizers stripped) and records the matrix row.
func (e *env) cleanup() {
	report := CurrentSpecReport()
	if !report.Failed() {
		e.row.Outcome = "PASS"
	} else if e.row.Outcome == "FAIL" {
		msg := report.Failure.Message
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		e.row.Outcome = "FAIL: " + msg
	}
	recordRow(e.row)
	if e.stop != nil {
		e.stop()
	}
	e.sim.Close()
	var objs []client.Object
	for _, p := range e.policies {
		objs = append(objs, p)
	}
	if e.binding != nil {
		objs = append(objs, e.binding)
	}
	objs = append(objs, &assurancev1alpha1.OktaOrg{ObjectMeta: metav1.ObjectMeta{Namespace: e.ns, Name: orgName}})
	for _, obj := range objs {
		Eventually(func() error {
			if err := k8s.Get(suiteCtx, client.ObjectKeyFromObject(obj), obj); err != nil {
				return client.IgnoreNotFound(err)
			}
			obj.SetFinalizers(nil)
			if err := k8s.Update(suiteCtx, obj); err != nil {
				return err
			}
			return client.IgnoreNotFound(k8s.Delete(suiteCtx, obj))
		}).WithTimeout(10 * time.Second).Should(Succeed())
	}
}
