// Package operatorenv is what the suites that run the whole manager (test/integration,
// test/faults) share: the operator's RBAC applied as config/rbac ships it,
// and a log sink to search for leaked secrets.
package operatorenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// ApplyShippedRBAC creates, with c, the objects of the kustomization in
// kustomizeDir (the operator's RBAC in namespace) and returns the
// configuration of a user that is the operator's service account
// controller-manager there, with those permissions and no others.
func ApplyShippedRBAC(ctx context.Context, env *envtest.Environment, c client.Client, kustomizeDir, namespace string) (*rest.Config, error) {
	admin, err := env.AddUser(envtest.User{Name: "rbac-admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return nil, err
	}
	kubectl, err := admin.Kubectl()
	if err != nil {
		return nil, err
	}
	stdout, stderr, err := kubectl.Run("kustomize", kustomizeDir)
	if err != nil {
		msg, _ := io.ReadAll(stderr)
		return nil, fmt.Errorf("kubectl kustomize %s: %w: %s", kustomizeDir, err, msg)
	}
	dec := utilyaml.NewYAMLOrJSONDecoder(stdout, 4096)
	for {
		obj := &unstructured.Unstructured{}
		err := dec.Decode(&obj.Object)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(obj.Object) == 0 {
			continue
		}
		if err := c.Create(ctx, obj); err != nil {
			return nil, fmt.Errorf("create %s %s: %w", obj.GetKind(), obj.GetName(), err)
		}
	}
	operator, err := env.AddUser(envtest.User{Name: "system:serviceaccount:" + namespace + ":controller-manager",
		Groups: []string{"system:serviceaccounts", "system:serviceaccounts:" + namespace}}, nil)
	if err != nil {
		return nil, err
	}
	return operator.Config(), nil
}

// LockedBuffer keeps the operator's log output, copying it to Tee.
type LockedBuffer struct {
	Tee io.Writer

	mu  sync.Mutex
	buf bytes.Buffer
}

// Write keeps p and copies it to Tee.
func (b *LockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Tee != nil {
		_, _ = b.Tee.Write(p)
	}
	return b.buf.Write(p)
}

// String is everything written so far.
func (b *LockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
