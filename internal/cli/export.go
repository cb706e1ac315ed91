package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/export"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

func init() { subcommands = append(subcommands, newExportCommand) }

// exportFlags are the flags of export besides the org's.
type exportFlags struct {
	output        string
	namespace     string
	orgRef        string
	policies      []string
	allRules      bool
	postureChecks bool
}

func newExportCommand() *cobra.Command {
	var org OrgFlags
	var flags exportFlags
	cmd := &cobra.Command{
		Use:   "export -o DIR",
		Short: "Write the org's device assurance policies, posture checks and rules as the operator's manifests",
		Long: `export reads the org (GETs only) and writes a DeviceAssurancePolicy for every
device assurance policy, a DevicePostureCheck for every custom posture check,
and a SignInRuleBinding for every rule of the org's app sign-in policies that
requires device assurance (or the rules --policy and --all-rules choose).
Posture checks, policies and rules are adopted by ID (spec.adopt.id),
policies name the exported checks (checkRef), rules name the exported
policies, and Okta's defaults are left out.

Every object is checked with its controller's own comparison before it is
written: applying the folder makes no write to Okta. An object that would
differ is still written, with a warning naming it and the fields, and the
exit code is 2.

Output: DIR/<kind plural>/<name>.yaml and DIR/kustomization.yaml, or one
YAML stream on standard output with -o -.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runExport(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), &org, &flags)
		},
	}
	org.Add(cmd.Flags())
	fs := cmd.Flags()
	fs.StringVarP(&flags.output, "output", "o", "", "the directory to write to, or - for one YAML stream on standard output")
	fs.StringVar(&flags.namespace, "namespace", "", "metadata.namespace of every object (default: none, the namespace of kubectl's context)")
	fs.StringVar(&flags.orgRef, "org-ref", "", "spec.orgRef of every object as KIND/NAME, e.g. ClusterOktaOrg/prod (default: none, the ClusterOktaOrg named default)")
	fs.StringArrayVar(&flags.policies, "policy", nil, "the app sign-in policy, by exact name, whose rules are exported (repeatable; default: every app sign-in policy)")
	fs.BoolVar(&flags.allRules, "all-rules", false, "export every rule of the chosen policies, the Catch-all Rule included, not only those that require device assurance")
	fs.BoolVar(&flags.postureChecks, "posture-checks", true, "export the org's custom posture checks as DevicePostureChecks")
	return cmd
}

func runExport(ctx context.Context, stdout, stderr io.Writer, org *OrgFlags, flags *exportFlags) error {
	if flags.output == "" {
		return errors.New("-o DIR (or -o - for standard output) is required")
	}
	opts := export.Options{Namespace: flags.namespace, Policies: flags.policies, AllRules: flags.allRules, SkipPostureChecks: !flags.postureChecks}
	if flags.orgRef != "" {
		ref, err := export.ParseOrgRef(flags.orgRef)
		if err != nil {
			return fmt.Errorf("--org-ref %w", err)
		}
		opts.OrgRef = ref
	}
	client, err := org.Client(userAgent)
	if err != nil {
		return err
	}
	return exportFrom(ctx, okta.ReadOnly(client), opts, flags.output, stdout, stderr)
}

// exportFrom runs the export against api and writes it.
func exportFrom(ctx context.Context, api okta.API, opts export.Options, output string, stdout, stderr io.Writer) error {
	result, err := export.Run(ctx, api, opts)
	if err != nil {
		return err
	}
	for _, o := range result.Objects {
		for _, note := range o.Notes {
			_, _ = fmt.Fprintf(stderr, "note: %s %s (%s): %s\n", o.Kind, o.Name, o.Okta, note)
		}
	}
	drifted := result.Drifted()
	for _, o := range drifted {
		_, _ = fmt.Fprintf(stderr, "warning: %s %s (%s): applying it would change %s in Okta\n",
			o.Kind, o.Name, o.Okta, strings.Join(o.Drift, ", "))
	}
	if output == "-" {
		if err := result.WriteStream(stdout); err != nil {
			return err
		}
	} else {
		removed, err := result.WriteDir(output)
		if err != nil {
			return err
		}
		for _, path := range removed {
			_, _ = fmt.Fprintf(stderr, "removed %s: not in this export\n", path)
		}
		_, _ = fmt.Fprintf(stderr, "wrote %d DevicePostureChecks, %d DeviceAssurancePolicies and %d SignInRuleBindings to %s\n",
			result.Count(export.KindPostureCheck), result.Count(export.KindPolicy), result.Count(export.KindBinding), output)
	}
	if len(drifted) > 0 {
		_, _ = fmt.Fprintf(stderr, "%d of %d objects would not apply without a write to Okta\n", len(drifted), len(result.Objects))
		return exitError{code: ExitChanges}
	}
	return nil
}
