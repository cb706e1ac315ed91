package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/plan"
)

func init() { subcommands = append(subcommands, newPlanCommand) }

type planOptions struct {
	org       OrgFlags
	cluster   ClusterFlags
	files     []string
	namespace string
	output    string
	prune     bool
}

func newPlanCommand() *cobra.Command {
	o := &planOptions{}
	cmd := &cobra.Command{
		Use:   "plan -f DIR|FILE|- ... --org-url URL --api-token-file FILE",
		Short: "Say what applying manifests would change in the org (exit 0: nothing, 2: changes, 1: error or refusal)",
		Long: `plan reads manifests, defaults and validates them with the operator's CRDs,
then runs the operator's own reconcilers against the org with every write
recorded instead of sent. It prints, for each object, create, update (with the
fields that differ once Okta's rewrites are normalized away), no change, or
refused (the API server's or the operator's message).

Objects already applied to a cluster hold their Okta IDs in their status: with
--kubeconfig, plan reads each object's status from the cluster, so that the
objects the operator created are updated rather than reported as name
conflicts. With --kubeconfig and --org NAME it also connects as the
ClusterOktaOrg NAME does (its URL and the credentials of its Secret), so CI
needs no Okta credentials of its own. A folder with a kustomization is built
with kustomize, as kubectl apply -k would.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd.Context(), cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.org.Add(cmd.Flags())
	addManifestFlags(cmd, &o.files, &o.namespace)
	cmd.Flags().StringVarP(&o.output, "output", "o", "text", "text, json or markdown")
	o.cluster.Add(cmd.Flags())
	cmd.Flags().BoolVar(&o.prune, "prune", false, "with --kubeconfig: also plan the deletion of the objects of the manifests' namespaces that the manifests no longer hold, as Argo CD or Flux would prune them")
	return cmd
}

// addManifestFlags adds -f (required) and -n.
func addManifestFlags(cmd *cobra.Command, files *[]string, namespace *string) {
	cmd.Flags().StringSliceVarP(files, "filename", "f", nil, "manifests: files, folders (recursive) or - for stdin; repeatable")
	cmd.Flags().StringVarP(namespace, "namespace", "n", "default", "the namespace of manifests that name none")
	_ = cmd.MarkFlagRequired("filename")
}

func (o *planOptions) run(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) error {
	write, err := writer(o.output)
	if err != nil {
		return err
	}
	manifests, err := plan.Load(o.files, stdin, o.namespace)
	if err != nil {
		return err
	}
	for _, s := range manifests.Skipped {
		_, _ = fmt.Fprintln(stderr, "okta-assurance: not planned (not a managed kind):", s)
	}
	kube, err := o.cluster.Client()
	if err != nil {
		return err
	}
	if err := readStatus(ctx, kube, manifests.Objects); err != nil {
		return err
	}
	if o.prune {
		pruned, err := pruned(ctx, kube, manifests.Objects, o.namespace)
		if err != nil {
			return err
		}
		manifests.Objects = append(manifests.Objects, pruned...)
	}
	api, rights, err := o.cluster.OrgClient(ctx, kube, &o.org, o.namespace)
	if err != nil {
		return err
	}
	schemas, err := plan.LoadSchemas()
	if err != nil {
		return err
	}
	p, err := plan.RunWithRights(ctx, api, manifests.Objects, schemas, rights)
	if err != nil {
		return err
	}
	if err := write(p, stdout); err != nil {
		return err
	}
	switch {
	case p.HasRefusals():
		return exitError{code: ExitError}
	case p.HasChanges():
		return exitError{code: ExitChanges}
	}
	return nil
}

func writer(format string) (func(plan.Plan, io.Writer) error, error) {
	switch format {
	case "text", "":
		return plan.Plan.WriteText, nil
	case "json":
		return plan.Plan.WriteJSON, nil
	case "markdown", "md":
		return plan.Plan.WriteMarkdown, nil
	}
	return nil, fmt.Errorf("--output %q: want text, json or markdown", format)
}
