package export

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/deviceassurance"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/posturecheck"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/signinrule"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// Reader is all Run asks of an org: lists, nothing that writes.
type Reader interface {
	ListPostureChecks(ctx context.Context) ([]okta.PostureCheckResponse, error)
	ListDeviceAssurances(ctx context.Context) ([]okta.DeviceAssuranceResponse, error)
	ListPolicies(ctx context.Context, opts okta.PolicyListOptions) ([]okta.Policy, error)
	ListPolicyRules(ctx context.Context, policyID string) ([]okta.PolicyRuleResponse, error)
}

// The kinds exported, in the order they are written and applied.
const (
	KindPostureCheck = "DevicePostureCheck"
	KindPolicy       = "DeviceAssurancePolicy"
	KindBinding      = "SignInRuleBinding"
)

// resourceTypeApp is the resource type of app sign-in policies; the other
// ACCESS_POLICY, the Okta account management policy, has
// END_USER_ACCOUNT_MANAGEMENT (docs/okta-api-behaviour.md §3.1).
const resourceTypeApp = "APP"

// Options say what to export and how to write it.
type Options struct {
	// Namespace is every object's metadata.namespace; empty leaves it out.
	Namespace string
	// OrgRef is every object's spec.orgRef; nil leaves it out (the
	// ClusterOktaOrg named default).
	OrgRef *assurancev1alpha1.OrgReference
	// Policies are the names of the app sign-in policies whose rules are
	// exported; empty means every app sign-in policy.
	Policies []string
	// AllRules exports every rule of those policies, the Catch-all Rule
	// included; otherwise only the rules that require device assurance
	// (conditions.device.assurance.include).
	AllRules bool
	// SkipPostureChecks leaves the org's custom posture checks out.
	SkipPostureChecks bool
}

// Object is one exported object.
type Object struct {
	// Kind is KindPostureCheck, KindPolicy or KindBinding.
	Kind string
	// Name is metadata.name.
	Name string
	// Okta names the Okta object it holds, for messages, e.g.
	// `Okta policy dae3m8o4rWhwReDeM1c5 "Device assurance iOS" (IOS)`.
	Okta string
	// Manifest is the object as YAML.
	Manifest []byte
	// Drift lists what applying the manifest would change in Okta, as the
	// object's controller compares it; empty when it would write nothing.
	Drift []string
	// Notes say how a shape Okta holds that the API refuses was written.
	Notes []string
}

// Result is an export: posture checks, then device assurance policies,
// then bindings, each kind sorted by name.
type Result struct {
	Objects []Object
}

// Drifted are the objects that applying would change in Okta.
func (r *Result) Drifted() []Object {
	var out []Object
	for _, o := range r.Objects {
		if len(o.Drift) > 0 {
			out = append(out, o)
		}
	}
	return out
}

// Count is the number of objects of a kind.
func (r *Result) Count(kind string) int {
	n := 0
	for _, o := range r.Objects {
		if o.Kind == kind {
			n++
		}
	}
	return n
}

// ParseOrgRef reads KIND/NAME, e.g. ClusterOktaOrg/prod or OktaOrg/team.
func ParseOrgRef(s string) (*assurancev1alpha1.OrgReference, error) {
	kind, name, ok := strings.Cut(s, "/")
	switch {
	case !ok || name == "" || strings.Contains(name, "/"):
		return nil, fmt.Errorf("%q: want KIND/NAME, e.g. ClusterOktaOrg/prod", s)
	case kind != string(assurancev1alpha1.OrgKindOktaOrg) && kind != string(assurancev1alpha1.OrgKindClusterOktaOrg):
		return nil, fmt.Errorf("%q: the kind is OktaOrg or ClusterOktaOrg", s)
	}
	return &assurancev1alpha1.OrgReference{Kind: assurancev1alpha1.OrgKind(kind), Name: name}, nil
}

// Run reads the org and returns its objects: every custom posture check,
// every device assurance policy, and the chosen rules of its app sign-in
// policies. Each object adopts its Okta object by ID, and is checked by
// its controller's own comparison: Object.Drift lists what applying it
// would change.
//
// Policies require the exported posture checks by checkRef (the
// DevicePostureCheck's name), and the others (Okta's built-in checks, or
// every check when they are skipped) by variableName.
func Run(ctx context.Context, api Reader, opts Options) (*Result, error) {
	var checks []okta.PostureCheckResponse
	if !opts.SkipPostureChecks {
		all, err := api.ListPostureChecks(ctx)
		if err != nil {
			return nil, fmt.Errorf("list the org's posture checks: %w", err)
		}
		for _, c := range all {
			if isCustom(c.PostureCheck) {
				checks = append(checks, c)
			}
		}
	}
	policies, err := api.ListDeviceAssurances(ctx)
	if err != nil {
		return nil, fmt.Errorf("list the org's device assurance policies: %w", err)
	}
	rules, signInPolicies, err := chooseRules(ctx, api, opts)
	if err != nil {
		return nil, err
	}

	b := builder{opts: opts, signInPolicies: signInPolicies}
	b.name(checks, policies, rules)
	var result Result
	var errs []error
	for _, c := range checks {
		result.Objects = append(result.Objects, b.postureCheck(c))
	}
	for _, p := range policies {
		o, err := b.policy(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		result.Objects = append(result.Objects, o)
	}
	for _, r := range rules {
		o, err := b.binding(r)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		result.Objects = append(result.Objects, o)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	order := map[string]int{KindPostureCheck: 0, KindPolicy: 1, KindBinding: 2}
	sort.SliceStable(result.Objects, func(i, j int) bool {
		a, b := result.Objects[i], result.Objects[j]
		if a.Kind != b.Kind {
			return order[a.Kind] < order[b.Kind]
		}
		return a.Name < b.Name
	})
	return &result, nil
}

// policyRule is a rule with the app sign-in policy it belongs to.
type policyRule struct {
	policy okta.Policy
	rule   okta.PolicyRuleResponse
}

// chooseRules lists the org's app sign-in policies and the rules to
// export from the chosen ones. It also returns every ACCESS_POLICY
// policy, by which a binding's policy is named (by name when the name is
// unique, by ID otherwise).
func chooseRules(ctx context.Context, api Reader, opts Options) ([]policyRule, []okta.Policy, error) {
	all, err := api.ListPolicies(ctx, okta.PolicyListOptions{Type: okta.PolicyTypeAccess})
	if err != nil {
		return nil, nil, fmt.Errorf("list the org's app sign-in policies: %w", err)
	}
	var chosen []okta.Policy
	if len(opts.Policies) == 0 {
		for _, p := range all {
			if p.Embedded == nil || p.Embedded.ResourceType == "" || p.Embedded.ResourceType == resourceTypeApp {
				chosen = append(chosen, p)
			}
		}
	} else {
		var missing []string
		for _, name := range opts.Policies {
			found := false
			for _, p := range all {
				if p.Name == name {
					found = true
					if !slices.ContainsFunc(chosen, func(c okta.Policy) bool { return c.ID == p.ID }) {
						chosen = append(chosen, p)
					}
				}
			}
			if !found {
				missing = append(missing, fmt.Sprintf("%q", name))
			}
		}
		if len(missing) > 0 {
			return nil, nil, fmt.Errorf("--policy: the org has no app sign-in policy named %s", strings.Join(missing, ", "))
		}
	}
	var out []policyRule
	for _, p := range chosen {
		rules, err := api.ListPolicyRules(ctx, p.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("list the rules of policy %s (%q): %w", p.ID, p.Name, err)
		}
		for _, r := range rules {
			if opts.AllRules || usesAssurance(&r) {
				out = append(out, policyRule{policy: p, rule: r})
			}
		}
	}
	return out, all, nil
}

// usesAssurance tells whether a rule requires device assurance policies.
func usesAssurance(r *okta.PolicyRuleResponse) bool {
	c := r.Conditions
	return c != nil && c.Device != nil && c.Device.Assurance != nil && len(c.Device.Assurance.Include) > 0
}

// builder turns Okta objects into exported objects.
type builder struct {
	opts           Options
	signInPolicies []okta.Policy
	// names are the object names by Okta ID.
	names map[string]string
	// policyNames maps device assurance policy IDs to object names, and
	// policyIDs the reverse.
	policyNames, policyIDs map[string]string
	// checkNames maps the variableNames of the exported posture checks to
	// object names, and checkVariables the reverse.
	checkNames, checkVariables map[string]string
}

// name chooses every object's name: from its Okta name, unique per kind.
func (b *builder) name(checks []okta.PostureCheckResponse, policies []okta.DeviceAssuranceResponse, rules []policyRule) {
	b.names = map[string]string{}
	var reqs []nameRequest
	for _, c := range checks {
		reqs = append(reqs, nameRequest{ID: c.ID, Base: dnsName(c.Name, "posture-check"), Qualifier: dnsName(c.VariableName, "")})
	}
	b.checkNames, b.checkVariables = map[string]string{}, map[string]string{}
	checkNames := uniqueNames(reqs)
	for _, c := range checks {
		name := checkNames[c.ID]
		b.names[c.ID] = name
		b.checkNames[c.VariableName] = name
		b.checkVariables[name] = c.VariableName
	}
	reqs = reqs[:0]
	for _, p := range policies {
		reqs = append(reqs, nameRequest{ID: p.ID, Base: dnsName(p.Name, "device-assurance"), Qualifier: dnsName(string(p.Platform), "")})
	}
	b.policyNames, b.policyIDs = uniqueNames(reqs), map[string]string{}
	for id, name := range b.policyNames {
		b.names[id] = name
		b.policyIDs[name] = id
	}
	reqs = reqs[:0]
	for _, r := range rules {
		reqs = append(reqs, nameRequest{ID: r.rule.ID, Base: dnsName(r.policy.Name+" "+r.rule.Name, "rule")})
	}
	for id, name := range uniqueNames(reqs) {
		b.names[id] = name
	}
}

func (b *builder) meta(id string) objectMeta {
	return objectMeta{Name: b.names[id], Namespace: b.opts.Namespace}
}

func (b *builder) managed() assurancev1alpha1.ManagedSpec {
	return assurancev1alpha1.ManagedSpec{OrgRef: b.opts.OrgRef}
}

func (b *builder) postureCheck(c okta.PostureCheckResponse) Object {
	spec := PostureCheckSpec(c.PostureCheck)
	spec.ManagedSpec = b.managed()
	spec.Adopt = &assurancev1alpha1.PostureCheckAdoption{ID: c.ID}
	o := Object{Kind: KindPostureCheck, Name: b.names[c.ID], Okta: fmt.Sprintf("Okta posture check %s %q", c.ID, c.Name)}
	obj := &assurancev1alpha1.DevicePostureCheck{}
	o.Manifest, o.Drift = render(KindPostureCheck, b.meta(c.ID), spec, obj, func() ([]string, error) {
		return posturecheck.Drift(obj, c.PostureCheck), nil
	})
	return o
}

func (b *builder) policy(p okta.DeviceAssuranceResponse) (Object, error) {
	o := Object{Kind: KindPolicy, Name: b.names[p.ID], Okta: fmt.Sprintf("Okta policy %s %q (%s)", p.ID, p.Name, p.Platform)}
	spec, err := PolicySpec(p.DeviceAssurance)
	if err != nil {
		return o, fmt.Errorf("%s: %w", o.Okta, err)
	}
	spec.ManagedSpec = b.managed()
	spec.Adopt = &assurancev1alpha1.Adoption{ID: p.ID}
	b.checkRefs(spec.DevicePostureChecks)
	obj := &assurancev1alpha1.DeviceAssurancePolicy{}
	o.Manifest, o.Drift = render(KindPolicy, b.meta(p.ID), spec, obj, func() ([]string, error) {
		return deviceassurance.Drift(obj, b.checkVariables, p.DeviceAssurance)
	})
	return o, nil
}

// checkRefs names each exported posture check a policy requires by its
// object (checkRef) instead of its variableName: the policy then waits for
// the check object, and follows it. The other checks stay required by
// variableName.
func (b *builder) checkRefs(checks *assurancev1alpha1.DevicePostureChecks) {
	if checks == nil {
		return
	}
	for i, item := range checks.Include {
		if name, ok := b.checkNames[item.VariableName]; ok {
			checks.Include[i].CheckRef = &assurancev1alpha1.LocalObjectReference{Name: name}
			checks.Include[i].VariableName = ""
		}
	}
}

func (b *builder) binding(r policyRule) (Object, error) {
	o := Object{Kind: KindBinding, Name: b.names[r.rule.ID],
		Okta: fmt.Sprintf("Okta rule %s %q of policy %s %q", r.rule.ID, r.rule.Name, r.policy.ID, r.policy.Name)}
	rule, notes, err := RuleSpec(&r.rule, b.policyNames)
	if err != nil {
		return o, fmt.Errorf("%s: %w", o.Okta, err)
	}
	o.Notes = notes
	spec := assurancev1alpha1.SignInRuleBindingSpec{
		ManagedSpec: b.managed(),
		Policy:      b.policyRef(r.policy),
		Rule:        rule,
		Adopt:       &assurancev1alpha1.RuleAdoption{ID: r.rule.ID},
	}
	obj := &assurancev1alpha1.SignInRuleBinding{}
	o.Manifest, o.Drift = render(KindBinding, b.meta(r.rule.ID), spec, obj, func() ([]string, error) {
		return signinrule.Drift(obj, b.policyIDs, &r.rule)
	})
	return o, nil
}

// policyRef names an app sign-in policy by its name when no other
// ACCESS_POLICY policy has it, by its ID otherwise: a binding resolves a
// name to exactly one policy.
func (b *builder) policyRef(p okta.Policy) assurancev1alpha1.SignInPolicyReference {
	same := 0
	for _, other := range b.signInPolicies {
		if other.Name == p.Name {
			same++
		}
	}
	if same == 1 {
		return assurancev1alpha1.SignInPolicyReference{Name: p.Name}
	}
	return assurancev1alpha1.SignInPolicyReference{ID: p.ID}
}

// objectMeta is the metadata an exported object has: no status, no
// creationTimestamp, nothing the API server sets.
type objectMeta struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
}

// manifest is an exported object as written.
type manifest struct {
	APIVersion string     `json:"apiVersion"`
	Kind       string     `json:"kind"`
	Metadata   objectMeta `json:"metadata"`
	Spec       any        `json:"spec"`
}

// render writes the object as YAML, reads it back into obj as the API
// server would (strictly: a field the API lacks is an error) and returns
// what drift, which compares obj with Okta's object, finds. Comparing the
// object read back, not the one built, proves the manifest itself.
func render(kind string, meta objectMeta, spec any, obj any, drift func() ([]string, error)) ([]byte, []string) {
	out, err := yaml.Marshal(manifest{APIVersion: assurancev1alpha1.GroupVersion.String(), Kind: kind, Metadata: meta, Spec: spec})
	if err != nil {
		return nil, []string{"cannot be written: " + err.Error()}
	}
	if err := yaml.UnmarshalStrict(out, obj); err != nil {
		return out, []string{"cannot be read back: " + err.Error()}
	}
	fields, err := drift()
	if err != nil {
		return out, []string{"cannot be compared: " + err.Error()}
	}
	return out, fields
}
