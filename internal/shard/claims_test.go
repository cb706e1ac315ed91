package shard

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
)

const (
	namespace = "okta-system"
	orgURL    = "https://acme.okta.com"
)

// cluster is one API server that several shards share; gets counts the
// Lease reads.
type cluster struct {
	client.Client
	gets int
	now  time.Time
}

func newCluster(t *testing.T) *cluster {
	t.Helper()
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	c := &cluster{now: time.Unix(1700000000, 0)}
	c.Client = fake.NewClientBuilder().WithScheme(scheme).WithInterceptorFuncs(interceptor.Funcs{
		Get: func(ctx context.Context, cl client.WithWatch, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
			c.gets++
			return cl.Get(ctx, key, obj, opts...)
		},
	}).Build()
	return c
}

func (c *cluster) shard(name string) *Claims {
	s := New(c, c, namespace, name)
	s.now = func() time.Time { return c.now }
	return s
}

func (c *cluster) lease(t *testing.T, url string) *coordinationv1.Lease {
	t.Helper()
	lease := &coordinationv1.Lease{}
	if err := c.Get(context.Background(), client.ObjectKey{Namespace: namespace, Name: LeaseName(url)}, lease); err != nil {
		t.Fatal(err)
	}
	return lease
}

func TestAnOrgIsServedByOneShard(t *testing.T) {
	c := newCluster(t)
	a, b := c.shard("shard=a"), c.shard("shard=b")
	ctx := context.Background()
	if err := a.Claim(ctx, orgURL); err != nil {
		t.Fatal(err)
	}
	lease := c.lease(t, orgURL)
	if got := ptr.Deref(lease.Spec.HolderIdentity, ""); got != "shard=a" || lease.Annotations[URLAnnotation] != orgURL {
		t.Fatalf("Lease holder %q, annotations %v", got, lease.Annotations)
	}

	// Another spelling of the same org is the same org.
	err := b.Claim(ctx, "HTTPS://acme.okta.com/")
	var conflict *ConflictError
	if !errors.As(err, &conflict) || conflict.Holder != "shard=a" {
		t.Fatalf("shard b claimed an org shard a serves: %v", err)
	}
	for _, want := range []string{`served by the manager shard "shard=a"`, `this manager is shard "shard=b"`, "okta-system/okta-org-"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal %q does not say %q", err, want)
		}
	}
	// Another org is free.
	if err := b.Claim(ctx, "https://other.okta.com"); err != nil {
		t.Fatal(err)
	}
}

func TestAHeldClaimCostsNoRequest(t *testing.T) {
	c := newCluster(t)
	a := c.shard("")
	ctx := context.Background()
	for range 100 {
		if err := a.Claim(ctx, orgURL); err != nil {
			t.Fatal(err)
		}
	}
	if c.gets != 1 {
		t.Fatalf("100 claims read the Lease %d times, want 1", c.gets)
	}
	if a.Name() != DefaultName || ptr.Deref(c.lease(t, orgURL).Spec.HolderIdentity, "") != DefaultName {
		t.Fatal("a manager without a selector is not the default shard")
	}
}

func TestAClaimMovesOnlyWhenItsShardStopsRenewing(t *testing.T) {
	c := newCluster(t)
	a, b := c.shard("shard=a"), c.shard("shard=b")
	ctx := context.Background()
	if err := a.Claim(ctx, orgURL); err != nil {
		t.Fatal(err)
	}
	// Shard a's leader renews while it runs.
	for range 6 {
		c.now = c.now.Add(renewEvery)
		a.renew(ctx)
	}
	if err := b.Claim(ctx, orgURL); err == nil {
		t.Fatal("shard b took an org whose shard renews it")
	}
	// Shard a stops; once its Lease expires, b may serve the org.
	c.now = c.now.Add(LeaseDuration)
	if err := b.Claim(ctx, orgURL); err != nil {
		t.Fatalf("shard b could not take over an expired claim: %v", err)
	}
	if lease := c.lease(t, orgURL); ptr.Deref(lease.Spec.HolderIdentity, "") != "shard=b" || ptr.Deref(lease.Spec.LeaseTransitions, 0) != 2 {
		t.Fatalf("Lease after the take-over: %+v", lease.Spec)
	}
	// And a, back, is refused.
	if err := a.Claim(ctx, orgURL); err == nil {
		t.Fatal("shard a took back an org shard b serves")
	}
}

func TestAClaimNobodyAsksForLapses(t *testing.T) {
	c := newCluster(t)
	a := c.shard("shard=a")
	ctx := context.Background()
	if err := a.Claim(ctx, orgURL); err != nil {
		t.Fatal(err)
	}
	for elapsed := time.Duration(0); elapsed <= forgetAfter+LeaseDuration; elapsed += renewEvery {
		c.now = c.now.Add(renewEvery)
		a.renew(ctx)
	}
	if err := c.shard("shard=b").Claim(ctx, orgURL); err != nil {
		t.Fatalf("an org no object of shard a used for %s stayed claimed: %v", forgetAfter, err)
	}
}
