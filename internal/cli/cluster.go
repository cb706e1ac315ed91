package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/plan"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/tenancy"
)

// ClusterFlags say which cluster holds the objects' status and, with Org,
// the org connection to use.
type ClusterFlags struct {
	Kubeconfig string
	Context    string
	// Org is a ClusterOktaOrg's name, or OktaOrg/NAME for an OktaOrg of
	// the manifests' namespace.
	Org                      string
	ClusterResourceNamespace string
	AllowedOrgHosts          []string
}

// Add registers the flags on fs.
func (f *ClusterFlags) Add(fs *pflag.FlagSet) {
	fs.StringVar(&f.Kubeconfig, "kubeconfig", "", "read the objects' status (their Okta IDs) from this cluster")
	fs.StringVar(&f.Context, "context", "", "the kubeconfig context")
	fs.StringVar(&f.Org, "org", "", "connect as this ClusterOktaOrg does (or OktaOrg/NAME in the manifests' namespace); needs --kubeconfig")
	fs.StringVar(&f.ClusterResourceNamespace, "cluster-resource-namespace", "okta-assurance-system", "where ClusterOktaOrgs' Secrets live (the operator's --cluster-resource-namespace)")
	fs.StringSliceVar(&f.AllowedOrgHosts, "allowed-org-hosts", nil, "org hosts --org may connect to besides Okta's own domains (the operator's flag of the same name)")
}

// Client is the cluster's client, nil without --kubeconfig.
func (f *ClusterFlags) Client() (client.Client, error) {
	if f.Kubeconfig == "" {
		if f.Org != "" {
			return nil, errors.New("--org needs --kubeconfig: the org's connection is read from the cluster")
		}
		return nil, nil
	}
	rules := &clientcmd.ClientConfigLoadingRules{ExplicitPath: f.Kubeconfig}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: f.Context}).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("--kubeconfig: %w", err)
	}
	return client.New(cfg, client.Options{Scheme: orgScheme()})
}

// OrgClient connects to the org --org names through kube, with the rights
// its tenancy grants namespaces (nil: every right), or else to the one org
// flags name.
func (f *ClusterFlags) OrgClient(ctx context.Context, kube client.Client, org *OrgFlags, namespace string) (okta.API, plan.Rights, error) {
	if f.Org == "" {
		api, err := org.Client(userAgent)
		if err != nil {
			return nil, nil, err
		}
		return okta.ReadOnly(api), nil, nil
	}
	if org.URL != "" {
		return nil, nil, errors.New("give --org or --org-url, not both")
	}
	api, cache, ref, err := f.connect(ctx, kube, org, namespace)
	if err != nil {
		return nil, nil, err
	}
	// The org's tenants grant each namespace its rights, as the operator
	// reads them.
	rights := func(ctx context.Context, ns string) (tenancy.Rights, error) { return cache.Rights(ctx, ns, ref) }
	return api, rights, nil
}

// connect reads the org --org names and builds its read-only client.
func (f *ClusterFlags) connect(ctx context.Context, kube client.Client, org *OrgFlags, namespace string) (okta.API, *orgclient.Cache, *assurancev1alpha1.OrgReference, error) {
	kind, name := assurancev1alpha1.OrgKindClusterOktaOrg, f.Org
	if k, n, ok := strings.Cut(f.Org, "/"); ok {
		kind, name = assurancev1alpha1.OrgKind(k), n
	}
	obj, err := orgclient.NewObject(kind)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("--org %q: %w", f.Org, err)
	}
	key := client.ObjectKey{Name: name}
	if kind == assurancev1alpha1.OrgKindOktaOrg {
		key.Namespace = namespace
	}
	if err := kube.Get(ctx, key, obj); err != nil {
		return nil, nil, nil, fmt.Errorf("--org %q: %w", f.Org, err)
	}
	cache := orgclient.NewCache(kube, f.ClusterResourceNamespace, orgclient.WithUserAgent(userAgent),
		orgclient.WithConnectionPolicy(orgclient.ConnectionPolicy{AllowedHosts: f.AllowedOrgHosts, AllowInsecure: org.AllowHTTP}))
	view, err := cache.View(obj)
	if err != nil {
		return nil, nil, nil, err
	}
	api, err := cache.Client(ctx, view)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("--org %q: %w", f.Org, err)
	}
	return okta.ReadOnly(api), cache, &assurancev1alpha1.OrgReference{Kind: kind, Name: name}, nil
}

// orgScheme holds the operator's kinds and Secrets, which an org's
// credentials are read from.
func orgScheme() *runtime.Scheme {
	s := plan.Scheme()
	utilruntime.Must(clientgoscheme.AddToScheme(s))
	return s
}

// readStatus copies each object's status from the cluster, when there is
// one: an object the operator created holds its Okta ID there.
func readStatus(ctx context.Context, kube client.Client, objs []managed.Object) error {
	if kube == nil {
		return nil
	}
	for _, obj := range objs {
		live := obj.DeepCopyObject().(managed.Object)
		err := kube.Get(ctx, client.ObjectKeyFromObject(obj), live)
		if apierrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read %s/%s from the cluster: %w", obj.GetNamespace(), obj.GetName(), err)
		}
		plan.CopyStatus(obj, live)
	}
	return nil
}

// pruned are the objects of the manifests' namespaces (and namespace) that
// the manifests lack, as being deleted now: what a GitOps prune deletes.
// An object without finalizers is left out: its deletion involves no Okta
// call.
func pruned(ctx context.Context, kube client.Client, objs []managed.Object, namespace string) ([]managed.Object, error) {
	if kube == nil {
		return nil, errors.New("--prune needs --kubeconfig: the objects to prune are read from the cluster")
	}
	kept := map[string]bool{}
	namespaces := map[string]bool{namespace: true}
	scheme := orgScheme()
	key := func(obj client.Object) string {
		gvks, _, _ := scheme.ObjectKinds(obj)
		kind := ""
		if len(gvks) > 0 {
			kind = gvks[0].Kind
		}
		return kind + "/" + obj.GetNamespace() + "/" + obj.GetName()
	}
	for _, obj := range objs {
		kept[key(obj)] = true
		namespaces[obj.GetNamespace()] = true
	}
	lists := []client.ObjectList{&assurancev1alpha1.DevicePostureCheckList{}, &assurancev1alpha1.DeviceAssurancePolicyList{}, &assurancev1alpha1.SignInRuleBindingList{}}
	var out []managed.Object
	now := metav1.Now()
	for ns := range namespaces {
		for _, list := range lists {
			if err := kube.List(ctx, list, client.InNamespace(ns)); err != nil {
				return nil, fmt.Errorf("list %T in %s: %w", list, ns, err)
			}
			items, err := meta.ExtractList(list)
			if err != nil {
				return nil, err
			}
			for _, item := range items {
				obj, ok := item.(managed.Object)
				if !ok || kept[key(obj)] || len(obj.GetFinalizers()) == 0 {
					continue
				}
				obj = obj.DeepCopyObject().(managed.Object)
				if obj.GetDeletionTimestamp().IsZero() {
					obj.SetDeletionTimestamp(&now)
				}
				out = append(out, obj)
			}
		}
	}
	return out, nil
}
