package managed

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/tenancy"
)

func TestEffectiveDeletionPolicy(t *testing.T) {
	const (
		deleteP = assurancev1alpha1.DeletionPolicyDelete
		orphan  = assurancev1alpha1.DeletionPolicyOrphan
	)
	policy := func(p assurancev1alpha1.DeletionPolicy, adopted bool) Object {
		obj := &assurancev1alpha1.DeviceAssurancePolicy{}
		obj.Spec.DeletionPolicy, obj.Status.Adopted = p, adopted
		return obj
	}
	rule := func(p assurancev1alpha1.DeletionPolicy, adopted bool) Object {
		obj := &assurancev1alpha1.SignInRuleBinding{}
		obj.Spec.DeletionPolicy, obj.Status.Adopted = p, adopted
		return obj
	}
	check := func(p assurancev1alpha1.DeletionPolicy) Object {
		obj := &assurancev1alpha1.DevicePostureCheck{}
		obj.Spec.DeletionPolicy = p
		return obj
	}
	tests := []struct {
		name string
		obj  Object
		want assurancev1alpha1.DeletionPolicy
	}{
		{"a policy it created: Delete", policy("", false), deleteP},
		{"a policy it adopted: Orphan", policy("", true), orphan},
		{"an adopted policy, Delete asked for", policy(deleteP, true), deleteP},
		{"a created policy, Orphan asked for", policy(orphan, false), orphan},
		{"a rule it created: Delete", rule("", false), deleteP},
		{"a rule it adopted: Orphan", rule("", true), orphan},
		{"a check: Delete", check(""), deleteP},
		{"a check, Orphan asked for", check(orphan), orphan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EffectiveDeletionPolicy(tt.obj); got != tt.want {
				t.Errorf("EffectiveDeletionPolicy = %q, want %q", got, tt.want)
			}
		})
	}
}

// blockingExternal is an External whose Sync waits for its context to end,
// as a pass does against an org that never answers.
type blockingExternal struct{}

func (blockingExternal) Sync(ctx context.Context, _ *Pass[*assurancev1alpha1.DeviceAssurancePolicy]) outcome.Outcome {
	<-ctx.Done()
	return outcome.Failed("read the policy", ctx.Err(), time.Now())
}
func (blockingExternal) HasOktaObject(*assurancev1alpha1.DeviceAssurancePolicy) bool { return false }
func (blockingExternal) Delete(context.Context, *Pass[*assurancev1alpha1.DeviceAssurancePolicy]) (outcome.Outcome, bool) {
	return outcome.Outcome{}, true
}
func (blockingExternal) Forget(*assurancev1alpha1.DeviceAssurancePolicy) {}

type readyOrg struct{}

func (readyOrg) Resolve(context.Context, string, *assurancev1alpha1.OrgReference) (okta.API, error) {
	return nil, nil
}

func TestAPassEndsAtItsDeadlineAndStillWritesItsStatus(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := assurancev1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	obj := &assurancev1alpha1.DeviceAssurancePolicy{ObjectMeta: metav1.ObjectMeta{Namespace: "team-a", Name: "slow", Generation: 1}}
	obj.Spec.Platform = assurancev1alpha1.PlatformIOS
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(obj).WithStatusSubresource(obj).Build()
	r := New(Descriptor[*assurancev1alpha1.DeviceAssurancePolicy]{
		Kind: "DeviceAssurancePolicy", Noun: "Okta policy", Finalizer: "test/finalizer",
		New:     func() *assurancev1alpha1.DeviceAssurancePolicy { return &assurancev1alpha1.DeviceAssurancePolicy{} },
		NewList: func() client.ObjectList { return &assurancev1alpha1.DeviceAssurancePolicyList{} },
	}, blockingExternal{}, Options{Client: c, Orgs: readyOrg{}, Recorder: events.NewFakeRecorder(10), PassTimeout: 50 * time.Millisecond})

	done := make(chan error, 1)
	go func() {
		_, err := r.Reconcile(context.Background(), ctrl.Request{NamespacedName: client.ObjectKeyFromObject(obj)})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Reconcile = %v, want the pass's deadline, retried with backoff", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the pass outlived its deadline: the worker is held")
	}
	got := &assurancev1alpha1.DeviceAssurancePolicy{}
	if err := c.Get(context.Background(), client.ObjectKeyFromObject(obj), got); err != nil {
		t.Fatal(err)
	}
	ready := meta.FindStatusCondition(got.Status.Conditions, assurancev1alpha1.ConditionReady)
	if ready == nil || ready.Status != metav1.ConditionFalse || ready.Reason != outcome.ReasonOktaUnavailable {
		t.Errorf("Ready = %+v, want False OktaUnavailable written after the deadline", ready)
	}
}

// gatedExternal holds every Sync until released, and counts them.
type gatedExternal struct {
	blockingExternal
	started chan string
	release chan struct{}
}

func (g gatedExternal) Sync(_ context.Context, p *Pass[*assurancev1alpha1.DeviceAssurancePolicy]) outcome.Outcome {
	g.started <- p.Obj.Namespace + "/" + p.Obj.Name
	<-g.release
	return outcome.Synced("ok")
}

// sharedOrg grants every namespace half of the workers.
type sharedOrg struct{ readyOrg }

func (sharedOrg) Rights(_ context.Context, namespace string, _ *assurancev1alpha1.OrgReference) (tenancy.Rights, error) {
	return tenancy.Of("ClusterOktaOrg shared", namespace, map[string]string{"team": namespace}, []assurancev1alpha1.TenantGrant{{
		Name: "half", WorkerPercent: ptr.To[int32](50),
		NamespaceSelector: metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "team", Operator: metav1.LabelSelectorOpExists}}},
	}}), nil
}

func TestANamespaceHoldsAtMostItsShareOfTheWorkers(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := assurancev1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	objs := make([]client.Object, 0, 4)
	for _, key := range []string{"burst/a", "burst/b", "burst/c", "quiet/x"} {
		ns, name, _ := strings.Cut(key, "/")
		obj := &assurancev1alpha1.DeviceAssurancePolicy{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, Generation: 1}}
		objs = append(objs, obj)
	}
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(objs...).WithStatusSubresource(objs...).Build()
	ext := gatedExternal{started: make(chan string, 10), release: make(chan struct{})}
	r := New(Describe[*assurancev1alpha1.DeviceAssurancePolicy, assurancev1alpha1.DeviceAssurancePolicyList]("Okta policy", "test/finalizer"),
		ext, Options{Client: c, Orgs: sharedOrg{}, Recorder: events.NewFakeRecorder(100), Concurrency: 4})
	reconcile := func(key string) (ctrl.Result, error) {
		ns, name, _ := strings.Cut(key, "/")
		return r.Reconcile(context.Background(), ctrl.Request{NamespacedName: client.ObjectKey{Namespace: ns, Name: name}})
	}

	results := make(chan string, 10)
	for _, key := range []string{"burst/a", "burst/b"} {
		go func() { _, _ = reconcile(key); results <- key }()
		if got := <-ext.started; got != key {
			t.Fatalf("started %s, want %s", got, key)
		}
	}
	// burst holds its 2 of the 4 workers: a third pass is put off at once,
	// without a status change, while quiet's pass runs.
	res, err := reconcile("burst/c")
	if err != nil || res.RequeueAfter != workerWait {
		t.Fatalf("third pass of burst = %+v, %v; want put off for %s", res, err, workerWait)
	}
	third := &assurancev1alpha1.DeviceAssurancePolicy{}
	if err := c.Get(context.Background(), client.ObjectKey{Namespace: "burst", Name: "c"}, third); err != nil {
		t.Fatal(err)
	}
	if len(third.Status.Conditions) != 0 || third.Status.ObservedGeneration != 0 {
		t.Errorf("a pass put off wrote %+v", third.Status)
	}
	go func() { _, _ = reconcile("quiet/x"); results <- "quiet/x" }()
	if got := <-ext.started; got != "quiet/x" {
		t.Fatalf("started %s, want quiet's pass", got)
	}
	close(ext.release)
	for range 3 {
		<-results
	}
	// The share is given back when the passes end.
	go func() { _, _ = reconcile("burst/c"); results <- "burst/c" }()
	if got := <-ext.started; got != "burst/c" {
		t.Fatalf("started %s, want burst's third pass once a worker is free", got)
	}
	<-results
}
