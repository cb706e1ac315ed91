package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/localenv"
)

// tenantObjects are what config/samples/tenancy creates in the teams'
// namespaces.
var tenantObjects = []struct{ namespace, ref string }{
	{"payments", "deviceassurancepolicy/payments-macos"},
	{"payments", "signinrulebinding/payments-managed-macs"},
	{"storefront", "deviceassurancepolicy/storefront-windows"},
	{"storefront", "signinrulebinding/storefront-windows-admins"},
}

// trespass is what the payments team tries beyond its grant: a rule at
// priority 0 of the storefront team's app sign-in policy, and taking over
// the storefront team's device assurance policy by name.
//
//nolint:gosec // G101: YAML with a policy name, no credentials.
const trespass = `apiVersion: assurance.okta-operator.dev/v1alpha1
kind: SignInRuleBinding
metadata: {name: take-over-storefront, namespace: payments}
spec:
  orgRef: {kind: ClusterOktaOrg, name: shared}
  policy: {name: Storefront Admin}
  rule:
    name: Payments first
    priority: 0
    conditions:
      device:
        registered: true
        assurance:
          include: [{name: payments-macos}]
    actions:
      appSignOn:
        access: ALLOW
        verificationMethod: {type: ASSURANCE, factorMode: 2FA, reauthenticateIn: PT2H}
---
apiVersion: assurance.okta-operator.dev/v1alpha1
kind: DeviceAssurancePolicy
metadata: {name: adopt-storefront-windows, namespace: payments}
spec:
  orgRef: {kind: ClusterOktaOrg, name: shared}
  name: Storefront Windows
  platform: WINDOWS
  adopt: {byName: true}
`

// sharedOrg walks config/samples/tenancy: the cluster admin shares the org
// with two app teams, each limited to its own app sign-in policy and
// priority band, and the payments team's attempts to reach past its grant
// are refused before any Okta call.
func sharedOrg(ctx context.Context, env *localenv.Env) error {
	heading("Two app teams share the org: kubectl apply -k config/samples/tenancy (as the cluster admin)")
	// The admission policy that refuses what a grant forbids, part of
	// config/default; the demo's control plane has only the CRDs.
	if _, err := env.Kubectl(ctx, "", "apply", "-k", filepath.Join(env.RepoRoot, "config", "tenancy-admission")); err != nil {
		return err
	}
	for _, name := range []string{"Payments Portal", "Storefront Admin"} {
		body := strings.NewReader(fmt.Sprintf(`{"type":"ACCESS_POLICY","name":%q,"status":"ACTIVE"}`, name))
		if _, err := oktaCall(ctx, env, "POST", "/api/v1/policies", body); err != nil {
			return fmt.Errorf("creating the app sign-in policy %q: %w", name, err)
		}
	}
	fmt.Println("(the apps' sign-in policies \"Payments Portal\" and \"Storefront Admin\" exist in the org)")
	if err := applyTenancySample(ctx, env); err != nil {
		return err
	}
	for _, o := range tenantObjects {
		if _, err := env.Kubectl(ctx, "", "wait", "-n", o.namespace, "--for=condition=Ready", "--timeout=60s", o.ref); err != nil {
			return err
		}
	}
	sub("kubectl get deviceassurancepolicy,signinrulebinding -n payments; … -n storefront")
	for _, ns := range []string{"payments", "storefront"} {
		out, err := env.Kubectl(ctx, "", "get", "deviceassurancepolicy,signinrulebinding", "-n", ns)
		if err != nil {
			return err
		}
		fmt.Print(out)
	}
	return refuseTrespass(ctx, env)
}

// applyTenancySample applies the sample with the shared org pointed at the
// simulator.
func applyTenancySample(ctx context.Context, env *localenv.Env) error {
	dir := filepath.Join(env.RepoRoot, "config", "samples", "tenancy")
	for _, file := range []string{"namespaces.yaml", "clusteroktaorg.yaml", "payments.yaml", "storefront.yaml"} {
		raw, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			return err
		}
		yaml := string(raw)
		if file == "clusteroktaorg.yaml" {
			const sampleURL = "  url: https://example.okta.com\n"
			if !strings.Contains(yaml, sampleURL) {
				return fmt.Errorf("%s no longer has %q", file, strings.TrimSpace(sampleURL))
			}
			yaml = strings.Replace(yaml, sampleURL, "  url: "+env.SimURL+"\n  allowInsecureHTTP: true # the local simulator speaks plain HTTP\n", 1)
		}
		if _, err := env.Kubectl(ctx, yaml, "apply", "-f", "-"); err != nil {
			return err
		}
	}
	return nil
}

// editorBinding gives the group payments-devs one of the operator's editor
// roles in namespace payments. In a cluster those roles aggregate to the
// built-in edit role, which is what an app team usually gets; the demo's
// control plane has no controller manager to aggregate them, so it binds
// them one by one.
const editorBinding = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: payments-devs-%[1]s, namespace: payments}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %[1]s}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: payments-devs}
`

// asPaymentsDeveloper are kubectl's flags to act as a member of
// payments-devs.
var asPaymentsDeveloper = []string{"--as=alice", "--as-group=payments-devs"}

// grantEditRole installs the operator's editor roles and binds them to the
// payments team.
func grantEditRole(ctx context.Context, env *localenv.Env) error {
	for _, kind := range []string{"deviceassurancepolicy", "deviceposturecheck", "signinrulebinding"} {
		role := filepath.Join(env.RepoRoot, "config", "rbac", kind+"_editor_role.yaml")
		if _, err := env.Kubectl(ctx, "", "apply", "-f", role); err != nil {
			return err
		}
		if _, err := env.Kubectl(ctx, fmt.Sprintf(editorBinding, kind+"-editor-role"), "apply", "-f", "-"); err != nil {
			return err
		}
	}
	return nil
}

// refuseTrespass applies, as a payments developer, what the payments team
// may not do and shows how it is refused: at admission where the grant can
// be judged there, else by the operator's NotGranted condition.
func refuseTrespass(ctx context.Context, env *localenv.Env) error {
	heading("The payments team reaches past its grant (kubectl apply --as-group=payments-devs: the edit role in namespace payments)")
	if err := grantEditRole(ctx, env); err != nil {
		return err
	}
	fmt.Print(trespass)
	out, err := env.Kubectl(ctx, trespass, append([]string{"apply", "-f", "-"}, asPaymentsDeveloper...)...)
	switch {
	case err != nil && strings.Contains(err.Error(), "denied request"):
		fmt.Printf("refused at admission:\n%s\n", err)
	case err != nil:
		return err
	default:
		fmt.Print(out)
		if err := showNotGranted(ctx, env); err != nil {
			return err
		}
	}
	return widenGrant(ctx, env)
}

// showNotGranted shows the operator's refusal of what admission let in
// (the policy was not loaded yet, or is not installed).
func showNotGranted(ctx context.Context, env *localenv.Env) error {
	for _, ref := range []string{"signinrulebinding/take-over-storefront", "deviceassurancepolicy/adopt-storefront-windows"} {
		if _, err := env.Kubectl(ctx, "", "wait", "-n", "payments", "--for=jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}=NotGranted", "--timeout=60s", ref); err != nil {
			return err
		}
		sub("kubectl get -n payments " + ref + " -o jsonpath={.status.conditions[?(@.type==\"Ready\")].message}")
		msg, err := env.Kubectl(ctx, "", "get", "-n", "payments", ref, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].message}")
		if err != nil {
			return err
		}
		fmt.Println(msg)
	}
	deadline, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	_, err := env.Kubectl(deadline, trespass, "delete", "-f", "-", "--wait=true")
	return err
}

// widenGrant shows that a payments developer cannot change the grants.
func widenGrant(ctx context.Context, env *localenv.Env) error {
	sub("kubectl edit clusteroktaorg/shared --as-group=payments-devs (to widen the grant)")
	_, err := env.Kubectl(ctx, "", append([]string{"patch", "clusteroktaorg/shared", "--type=json",
		`-p=[{"op":"add","path":"/spec/tenants/0/allowAdoption","value":true}]`}, asPaymentsDeveloper...)...)
	if err == nil {
		return fmt.Errorf("a payments developer could change the shared org's grants")
	}
	_, refusal, _ := strings.Cut(err.Error(), "Error from server")
	fmt.Println("Error from server " + strings.TrimSpace(refusal))
	return nil
}
