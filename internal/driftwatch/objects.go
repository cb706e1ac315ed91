package driftwatch

import (
	"context"
	"encoding/json"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
)

// OktaIDIndex finds the objects an event's target IDs name without a list
// of all; the controllers register it (managed.RegisterIndexes).
const OktaIDIndex = managed.OktaIDIndex

// Kind names a managed kind whose objects the watcher wakes.
type Kind string

// The managed kinds.
const (
	KindDeviceAssurancePolicy Kind = "DeviceAssurancePolicy"
	KindDevicePostureCheck    Kind = "DevicePostureCheck"
	KindSignInRuleBinding     Kind = "SignInRuleBinding"
)

// managedObject is what the watcher reads of a managed object: the Okta
// IDs in its status and the org it uses (both from its API type).
type managedObject interface {
	client.Object
	OktaIDs() []string
	OktaID() string
	GetManagedSpec() *assurancev1alpha1.ManagedSpec
}

// managedKind is one kind whose objects the watcher finds by Okta ID.
type managedKind struct {
	kind    Kind
	object  client.Object
	newList func() client.ObjectList
}

var managedKinds = []managedKind{
	{KindDeviceAssurancePolicy, &assurancev1alpha1.DeviceAssurancePolicy{},
		func() client.ObjectList { return &assurancev1alpha1.DeviceAssurancePolicyList{} }},
	{KindDevicePostureCheck, &assurancev1alpha1.DevicePostureCheck{},
		func() client.ObjectList { return &assurancev1alpha1.DevicePostureCheckList{} }},
	{KindSignInRuleBinding, &assurancev1alpha1.SignInRuleBinding{},
		func() client.ObjectList { return &assurancev1alpha1.SignInRuleBindingList{} }},
}

// orgTarget says which org an object must use to be touched by an event
// of the org being polled.
type orgTarget struct {
	kind      assurancev1alpha1.OrgKind
	name      string
	namespace string // an OktaOrg's objects are in its namespace
}

func (t orgTarget) uses(obj client.Object, ref *assurancev1alpha1.OrgReference) bool {
	if lifecycle.OrgKey(ref) != lifecycle.OrgKeyOf(t.kind, t.name) {
		return false
	}
	return t.kind == assurancev1alpha1.OrgKindClusterOktaOrg || obj.GetNamespace() == t.namespace
}

// match is a managed object an event touched.
type match struct {
	kind Kind
	obj  client.Object
}

// objectsNamed returns the objects of org whose status names one of ids.
func (w *Watcher) objectsNamed(ctx context.Context, org orgTarget, ids []string) ([]match, error) {
	var out []match
	seen := map[types.UID]bool{}
	for _, k := range managedKinds {
		for _, id := range ids {
			list := k.newList()
			if err := w.Client.List(ctx, list, client.MatchingFields{OktaIDIndex: id}); err != nil {
				return nil, err
			}
			items, err := meta.ExtractList(list)
			if err != nil {
				return nil, err
			}
			for _, item := range items {
				obj, ok := item.(managedObject)
				if !ok || seen[obj.GetUID()] || !org.uses(obj, obj.GetManagedSpec().OrgRef) {
					continue
				}
				seen[obj.GetUID()] = true
				out = append(out, match{kind: k.kind, obj: obj})
			}
		}
	}
	return out, nil
}

// recordChange writes the change into the object's
// status.lastOutOfBandChange. A merge patch of that one field: it neither
// conflicts with nor overwrites the controller's own status writes.
func (w *Watcher) recordChange(ctx context.Context, obj client.Object, c assurancev1alpha1.OutOfBandChange) error {
	patch, err := json.Marshal(map[string]any{"status": map[string]any{"lastOutOfBandChange": c}})
	if err != nil {
		return err
	}
	return client.IgnoreNotFound(w.Client.Status().Patch(ctx, obj, client.RawPatch(types.MergePatchType, patch)))
}

// enqueue hands obj to its controller, unless ctx ends first.
func (w *Watcher) enqueue(ctx context.Context, m match) {
	ch := w.channel(m.kind)
	select {
	case ch <- event.GenericEvent{Object: m.obj}:
	case <-ctx.Done():
	}
}
