// Package lifecycle holds what the controllers of Okta objects share beyond
// error classification (package outcome): finalizers, resync jitter, events
// about Okta calls, and the key an object's org is indexed by.
package lifecycle

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// EnsureFinalizer adds finalizer with a merge patch, once; it must be on the
// object before anything is created in Okta.
func EnsureFinalizer(ctx context.Context, c client.Client, obj client.Object, finalizer string) error {
	if controllerutil.ContainsFinalizer(obj, finalizer) {
		return nil
	}
	before := obj.DeepCopyObject().(client.Object)
	controllerutil.AddFinalizer(obj, finalizer)
	return c.Patch(ctx, obj, client.MergeFrom(before))
}

// RemoveFinalizer releases the object once its Okta object is dealt with.
func RemoveFinalizer(ctx context.Context, c client.Client, obj client.Object, finalizer string) error {
	if !controllerutil.ContainsFinalizer(obj, finalizer) {
		return nil
	}
	before := obj.DeepCopyObject().(client.Object)
	controllerutil.RemoveFinalizer(obj, finalizer)
	return client.IgnoreNotFound(c.Patch(ctx, obj, client.MergeFrom(before)))
}

// Jitter adds up to 10% to d, so that objects created together do not
// resync together.
func Jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return d
	}
	return d + time.Duration(rand.Int64N(int64(d)/10+1)) //nolint:gosec // jitter, not a secret
}

// Warn records a failed Okta call as a Warning event. The note is the Okta
// error, which carries errorCode, errorId and X-Okta-Request-Id and never a
// credential.
func Warn(rec events.EventRecorder, obj runtime.Object, reason, action string, err error) {
	note := err.Error()
	var apiErr *okta.APIError
	if errors.As(err, &apiErr) && apiErr.RequestID != "" && !strings.Contains(note, apiErr.RequestID) {
		note += RequestRef(apiErr.RequestID)
	}
	rec.Eventf(obj, nil, "Warning", reason, action, "%s", note)
}

// RequestRef names the Okta request of a write in an event, so that it can
// be looked up in Okta's System Log and support cases.
func RequestRef(id string) string {
	if id == "" {
		return ""
	}
	return " [requestId " + id + "]"
}

// OrgKey is the index value of the org an object uses: ref, or the
// ClusterOktaOrg "default" when ref is nil. An OktaOrg key holds no
// namespace; list with client.InNamespace for it.
func OrgKey(ref *assurancev1alpha1.OrgReference) string {
	if ref == nil {
		return OrgKeyOf(assurancev1alpha1.OrgKindClusterOktaOrg, assurancev1alpha1.DefaultOrgName)
	}
	return OrgKeyOf(ref.Kind, ref.Name)
}

// OrgKeyOf is the index value of an org by kind and name.
func OrgKeyOf(kind assurancev1alpha1.OrgKind, name string) string {
	return string(kind) + "/" + name
}
