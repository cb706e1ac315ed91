package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/plan"
)

func init() { subcommands = append(subcommands, newPlanCommand) }

type planOptions struct {
	org        OrgFlags
	files      []string
	namespace  string
	output     string
	kubeconfig string
	context    string
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
conflicts. A kustomization: kubectl kustomize DIR | okta-assurance plan -f -`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd.Context(), cmd.InOrStdin(), cmd.OutOrStdout())
		},
	}
	o.org.Add(cmd.Flags())
	addManifestFlags(cmd, &o.files, &o.namespace)
	cmd.Flags().StringVarP(&o.output, "output", "o", "text", "text, json or markdown")
	cmd.Flags().StringVar(&o.kubeconfig, "kubeconfig", "", "read the objects' status (their Okta IDs) from this cluster")
	cmd.Flags().StringVar(&o.context, "context", "", "the kubeconfig context")
	return cmd
}

// addManifestFlags adds -f (required) and -n.
func addManifestFlags(cmd *cobra.Command, files *[]string, namespace *string) {
	cmd.Flags().StringSliceVarP(files, "filename", "f", nil, "manifests: files, folders (recursive) or - for stdin; repeatable")
	cmd.Flags().StringVarP(namespace, "namespace", "n", "default", "the namespace of manifests that name none")
	_ = cmd.MarkFlagRequired("filename")
}

func (o *planOptions) run(ctx context.Context, stdin io.Reader, stdout io.Writer) error {
	write, err := writer(o.output)
	if err != nil {
		return err
	}
	manifests, err := plan.Load(o.files, stdin, o.namespace)
	if err != nil {
		return err
	}
	for _, s := range manifests.Skipped {
		fmt.Fprintln(os.Stderr, "okta-assurance: not planned (not a managed kind):", s)
	}
	if err := o.readStatus(ctx, manifests.Objects); err != nil {
		return err
	}
	api, err := o.org.Client(userAgent)
	if err != nil {
		return err
	}
	schemas, err := plan.LoadSchemas()
	if err != nil {
		return err
	}
	p, err := plan.Run(ctx, ReadOnly(api), manifests.Objects, schemas)
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

// readStatus copies each object's status from the cluster, when asked to.
func (o *planOptions) readStatus(ctx context.Context, objs []managed.Object) error {
	if o.kubeconfig == "" {
		return nil
	}
	rules := &clientcmd.ClientConfigLoadingRules{ExplicitPath: o.kubeconfig}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: o.context}).ClientConfig()
	if err != nil {
		return fmt.Errorf("--kubeconfig: %w", err)
	}
	c, err := client.New(cfg, client.Options{Scheme: plan.Scheme()})
	if err != nil {
		return err
	}
	for _, obj := range objs {
		live := obj.DeepCopyObject().(managed.Object)
		err := c.Get(ctx, client.ObjectKeyFromObject(obj), live)
		if apierrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read %s/%s from the cluster: %w", obj.GetNamespace(), obj.GetName(), err)
		}
		copyStatus(obj, live)
	}
	return nil
}

// copyStatus sets obj's status to live's (the same kind).
func copyStatus(obj, live managed.Object) {
	switch o := obj.(type) {
	case *assurancev1alpha1.DeviceAssurancePolicy:
		o.Status = live.(*assurancev1alpha1.DeviceAssurancePolicy).Status
	case *assurancev1alpha1.DevicePostureCheck:
		o.Status = live.(*assurancev1alpha1.DevicePostureCheck).Status
	case *assurancev1alpha1.SignInRuleBinding:
		o.Status = live.(*assurancev1alpha1.SignInRuleBinding).Status
	}
}
