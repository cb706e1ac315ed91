// Command demo walks Okta's device assurance guide through the operator on
// this machine: a local control plane, the Okta org simulator and the
// manager as separate processes, and kubectl. Run it with make demo; with
// DEMO_KEEP=1 it leaves everything running for your own YAML.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/localenv"
)

// step is one section of the guide, applied as a YAML file, and the objects
// it creates or changes.
type step struct {
	file    string
	objects []object
}

type object struct{ kind, name string }

var guide = []step{
	{"01-device-assurance-policy.yaml", []object{{"deviceassurancepolicy", "device-assurance-ios"}}},
	{"02-device-assurance-policy-edit.yaml", []object{{"deviceassurancepolicy", "device-assurance-ios"}}},
	{"03-sign-in-rule-binding.yaml", []object{{"signinrulebinding", "device-assurance-rule"}}},
	{"04-posture-check-and-policy.yaml", []object{{"deviceposturecheck", "macos-firewall"}, {"deviceassurancepolicy", "device-assurance-macos"}}},
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	started := time.Now()
	heading("Starting kube-apiserver, etcd, the Okta org simulator and the operator")
	env, err := localenv.Start(ctx, localenv.Options{RepoRoot: root, Assets: os.Getenv("KUBEBUILDER_ASSETS")})
	if err != nil {
		return err
	}
	keep := os.Getenv("DEMO_KEEP") == "1"
	defer func() {
		if !keep {
			env.Stop()
			_ = os.RemoveAll(env.Dir)
		}
	}()
	if err := connectOrg(ctx, env); err != nil {
		return err
	}
	for i, s := range guide {
		if err := walk(ctx, env, i+1, s); err != nil {
			return err
		}
	}
	if err := consoleEdit(ctx, env); err != nil {
		return err
	}
	if err := sharedOrg(ctx, env); err != nil {
		return err
	}
	fmt.Printf("\nThe guide took %s, start to finish.\n", time.Since(started).Round(100*time.Millisecond))
	if keep {
		return waitForUser(ctx, env)
	}
	return nil
}

// connectOrg installs the API token and the default ClusterOktaOrg, then
// starts the manager.
func connectOrg(ctx context.Context, env *localenv.Env) error {
	if err := env.ConnectDefaultOrg(ctx); err != nil {
		return err
	}
	if _, err := env.StartManager(ctx, "--drift-poll-interval="+demoPollInterval.String()); err != nil {
		return err
	}
	if _, err := env.Kubectl(ctx, "", "wait", "--for=condition=Ready", "--timeout=60s", "clusteroktaorg/default"); err != nil {
		return err
	}
	out, err := env.Kubectl(ctx, "", "get", "clusteroktaorg")
	fmt.Print(out)
	return err
}

func walk(ctx context.Context, env *localenv.Env, n int, s step) error {
	path := filepath.Join(env.RepoRoot, "config", "samples", "guide", s.file)
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	heading(fmt.Sprintf("Step %d: kubectl apply -f %s", n, filepath.Join("config", "samples", "guide", s.file)))
	fmt.Print(comment(string(raw)))
	since := nextSecond()
	if _, err := env.Kubectl(ctx, "", "apply", "-f", path); err != nil {
		return err
	}
	for _, o := range s.objects {
		ref := o.kind + "/" + o.name
		if _, err := env.Kubectl(ctx, "", "wait", "--for=jsonpath={.status.observedGeneration}="+generation(ctx, env, ref), "--timeout=60s", ref); err != nil {
			return err
		}
		if _, err := env.Kubectl(ctx, "", "wait", "--for=condition=Ready", "--timeout=60s", ref); err != nil {
			return err
		}
	}
	for _, o := range s.objects {
		if err := show(ctx, env, o, o.kind+"/"+o.name); err != nil {
			return err
		}
	}
	return showEvents(ctx, env, since)
}

func show(ctx context.Context, env *localenv.Env, o object, ref string) error {
	sub("kubectl get " + o.kind)
	out, err := env.Kubectl(ctx, "", "get", o.kind, o.name)
	if err != nil {
		return err
	}
	fmt.Print(out)
	statusJSON, err := env.Kubectl(ctx, "", "get", ref, "-o", "jsonpath={.status}")
	if err != nil {
		return err
	}
	sub("status")
	fmt.Println(indent([]byte(statusJSON)))
	var st struct{ ID, PolicyID, RuleID string }
	if err := json.Unmarshal([]byte(statusJSON), &st); err != nil {
		return err
	}
	orgPath := map[string]string{
		"deviceassurancepolicy": "/api/v1/device-assurances/" + st.ID,
		"deviceposturecheck":    "/api/v1/device-posture-checks/" + st.ID,
		"signinrulebinding":     "/api/v1/policies/" + st.PolicyID + "/rules/" + st.RuleID,
	}[o.kind]
	sub("the org: GET " + orgPath)
	body, err := oktaGet(ctx, env, orgPath)
	if err != nil {
		return err
	}
	fmt.Println(indent(body))
	return nil
}

// showEvents prints the System Log events since the step started, as the
// guide's last section reads them.
func showEvents(ctx context.Context, env *localenv.Env, since time.Time) error {
	q := url.Values{"since": {since.UTC().Format(time.RFC3339)}, "until": {time.Now().Add(time.Second).UTC().Format(time.RFC3339)}}
	sub("System Log: GET /api/v1/logs?" + q.Encode())
	body, err := oktaGet(ctx, env, "/api/v1/logs?"+q.Encode())
	if err != nil {
		return err
	}
	var events []struct {
		Published, EventType, DisplayMessage string
		Target                               []struct {
			ID, DisplayName string
			ChangeDetails   json.RawMessage
		}
	}
	if err := json.Unmarshal(body, &events); err != nil {
		return err
	}
	for _, e := range events {
		line := fmt.Sprintf("%s  %-34s", e.Published, e.EventType)
		for _, t := range e.Target {
			line += fmt.Sprintf("  %s (%s)", t.DisplayName, t.ID)
			if len(t.ChangeDetails) > 0 && string(t.ChangeDetails) != "null" {
				line += "  changed: " + compact(t.ChangeDetails)
			}
		}
		fmt.Println(line)
	}
	return nil
}

func oktaGet(ctx context.Context, env *localenv.Env, path string) ([]byte, error) {
	return oktaCall(ctx, env, http.MethodGet, path, nil)
}

// oktaCall sends one request to the simulated org as its admin and returns
// the body of a 200 answer.
func oktaCall(ctx context.Context, env *localenv.Env, method, path string, body io.Reader) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, env.SimURL+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "SSWS "+env.SimToken)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, raw)
	}
	return raw, nil
}

// nextSecond waits for the next whole second and returns it: System Log
// times have whole seconds, so the events of a step are exactly those
// published from then on.
func nextSecond() time.Time {
	next := time.Now().Truncate(time.Second).Add(time.Second)
	time.Sleep(time.Until(next))
	return next
}

func generation(ctx context.Context, env *localenv.Env, ref string) string {
	out, err := env.Kubectl(ctx, "", "get", ref, "-o", "jsonpath={.metadata.generation}")
	if err != nil {
		return "1"
	}
	return strings.TrimSpace(out)
}

func waitForUser(ctx context.Context, env *localenv.Env) error {
	heading("The environment keeps running (DEMO_KEEP=1)")
	fmt.Printf(`  export KUBECONFIG=%s
  kubectl get dap,sirb,clusteroktaorg
  Okta org simulator: %s  (API token: %s)
  curl -H "Authorization: SSWS %s" %s/api/v1/device-assurances
  Inspect the org: curl %s/_oktasim/state
  Logs: %s
Press Ctrl-C to stop and clean up.
`, env.Kubeconfig, env.SimURL, env.SimToken, env.SimToken, env.SimURL, env.SimURL, env.Dir)
	<-ctx.Done()
	env.Stop()
	return os.RemoveAll(env.Dir)
}

func heading(s string) { fmt.Printf("\n=== %s\n", s) }
func sub(s string)     { fmt.Printf("--- %s\n", s) }

// comment returns the leading comment of a YAML file.
func comment(yaml string) string {
	var b strings.Builder
	for _, line := range strings.Split(yaml, "\n") {
		if !strings.HasPrefix(line, "#") {
			break
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func indent(raw []byte) string {
	var out bytes.Buffer
	if json.Indent(&out, raw, "", "  ") != nil {
		return string(raw)
	}
	return out.String()
}

func compact(raw []byte) string {
	var out bytes.Buffer
	if json.Compact(&out, raw) != nil {
		return string(raw)
	}
	return out.String()
}
