package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
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
	api, stop, err := o.target(manifests.Objects)
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
// only), or an empty simulated org seeded with the app sign-in policies
// the bindings name.
func (o *renderOptions) target(objs []managed.Object) (okta.API, func(), error) {
	if o.org.URL != "" {
		api, err := o.org.Client(userAgent)
		return okta.ReadOnly(api), func() {}, err
	}
	const token = "render"
	sim := httptest.NewServer(oktasim.New(oktasim.Options{APITokens: []string{token}, RateLimits: oktasim.RateLimits{Disabled: true},
		Seed: &oktasim.Seed{Policies: signInPolicies(objs)}}))
	api, err := okta.New(okta.Config{OrgURL: sim.URL, Credentials: okta.APIToken(token), HTTPClient: sim.Client()})
	if err != nil {
		sim.Close()
		return nil, nil, err
	}
	return api, sim.Close, nil
}

// signInPolicies are the app sign-in policies the bindings name that a new
// org lacks, by name or by ID.
func signInPolicies(objs []managed.Object) []oktasim.SeedPolicy {
	have := map[string]bool{"Okta Dashboard": true, "Okta Admin Console": true}
	var out []oktasim.SeedPolicy
	for _, obj := range objs {
		b, ok := obj.(*assurancev1alpha1.SignInRuleBinding)
		if !ok {
			continue
		}
		ref := b.Spec.Policy
		key := ref.Name + "\x00" + ref.ID
		if have[key] || have[ref.Name] {
			continue
		}
		have[key] = true
		name := ref.Name
		if name == "" {
			name = "App sign-in policy " + ref.ID
		}
		out = append(out, oktasim.SeedPolicy{ID: ref.ID, Name: name})
	}
	return out
}
