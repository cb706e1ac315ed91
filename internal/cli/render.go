package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/spf13/cobra"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/plan"
)

func init() { subcommands = append(subcommands, newRenderCommand) }

type renderOptions struct {
	org       OrgFlags
	files     []string
	namespace string
}

func newRenderCommand() *cobra.Command {
	o := &renderOptions{}
	cmd := &cobra.Command{
		Use:   "render -f DIR|FILE|- ...",
		Short: "Print the exact Okta request bodies the operator would send for manifests",
		Long: `render prints each request the operator would send to make an org match the
manifests, with its JSON body. Without --org-url it renders against an empty
simulated org in which the app sign-in policies the bindings name exist, so
every object is created; with --org-url it renders against that org (reads
only), as plan does.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd.Context(), cmd.InOrStdin(), cmd.OutOrStdout())
		},
	}
	o.org.Add(cmd.Flags())
	addManifestFlags(cmd, &o.files, &o.namespace)
	return cmd
}

func (o *renderOptions) run(ctx context.Context, stdin io.Reader, stdout io.Writer) error {
	manifests, err := plan.Load(o.files, stdin, o.namespace)
	if err != nil {
		return err
	}
	api, stop, err := o.target(ctx, manifests.Objects)
	if err != nil {
		return err
	}
	defer stop()
	schemas, err := plan.LoadSchemas()
	if err != nil {
		return err
	}
	p, err := plan.Run(ctx, api, manifests.Objects, schemas)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, c := range p.Changes {
		if c.Action == plan.ActionRefused || c.Action == plan.ActionBlocked {
			fmt.Fprintf(&b, "# %s %s/%s: %s: %s: %s\n", c.Kind, c.Namespace, c.Name, c.Action, c.Reason, c.Message)
			continue
		}
		for _, w := range c.Writes {
			fmt.Fprintf(&b, "# %s %s/%s\n%s %s\n", c.Kind, c.Namespace, c.Name, w.Method, w.Path)
			if w.Body != nil {
				raw, err := json.MarshalIndent(w.Body, "", "  ")
				if err != nil {
					return err
				}
				b.Write(raw)
				b.WriteString("\n")
			}
		}
	}
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		return err
	}
	if p.HasRefusals() {
		return exitError{code: ExitError}
	}
	return nil
}

// target is the org to render against: the one the flags name (read
// only), or an empty simulated org with the app sign-in policies the
// bindings name.
func (o *renderOptions) target(ctx context.Context, objs []managed.Object) (okta.API, func(), error) {
	if o.org.URL != "" {
		api, err := o.org.Client(userAgent)
		return okta.ReadOnly(api), func() {}, err
	}
	const token = "render"
	sim := httptest.NewServer(oktasim.New(oktasim.Options{APITokens: []string{token}, RateLimits: oktasim.RateLimits{Disabled: true}}))
	api, err := okta.New(okta.Config{OrgURL: sim.URL, Credentials: okta.APIToken(token), HTTPClient: sim.Client()})
	if err != nil {
		sim.Close()
		return nil, nil, err
	}
	if err := createSignInPolicies(ctx, sim, token, objs); err != nil {
		sim.Close()
		return nil, nil, err
	}
	return api, sim.Close, nil
}

// createSignInPolicies creates, in the simulated org, each app sign-in
// policy a binding names by name and the org lacks.
func createSignInPolicies(ctx context.Context, sim *httptest.Server, token string, objs []managed.Object) error {
	have := map[string]bool{"Okta Dashboard": true, "Okta Admin Console": true}
	for _, obj := range objs {
		b, ok := obj.(*assurancev1alpha1.SignInRuleBinding)
		if !ok || b.Spec.Policy.Name == "" || have[b.Spec.Policy.Name] {
			continue
		}
		have[b.Spec.Policy.Name] = true
		body, err := json.Marshal(map[string]string{"type": "ACCESS_POLICY", "name": b.Spec.Policy.Name, "status": "ACTIVE"})
		if err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, sim.URL+"/api/v1/policies", strings.NewReader(string(body)))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "SSWS "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := sim.Client().Do(req)
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("simulated org: create the app sign-in policy %q: %s", b.Spec.Policy.Name, resp.Status)
		}
	}
	return nil
}
