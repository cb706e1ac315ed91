package managed

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/lifecycle"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/outcome"
)

// ReasonAlreadyManaged is the reason of Ready while the Okta object an
// object would take over (adopt, recover, keep) is managed by another
// object of the cluster.
const ReasonAlreadyManaged = "AlreadyManaged"

// alreadyManagedRecheck is how often an object refused an Okta object that
// another object manages looks again: the other may let go of it.
const alreadyManagedRecheck = 5 * time.Minute

// OktaIDIndex indexes the managed objects by the Okta IDs in their status
// (a binding's app sign-in policy and rule, the others' one object): one
// Okta object is in the status of at most one object of the cluster, so
// adoption, recovery of an interrupted create and deletion look it up
// first; and the System Log watcher finds the objects an event names. One
// index serves both: at 10,000 objects each index costs megabytes.
const OktaIDIndex = "status.oktaIDs"

// OktaIDsOf is the index function.
func OktaIDsOf(obj client.Object) []string {
	if m, ok := obj.(Object); ok {
		return m.OktaIDs()
	}
	return nil
}

// owners finds which object of the cluster manages an Okta object.
type owners struct {
	kind    string
	cache   client.Reader
	newList func() client.ObjectList
}

// other returns an object other than obj whose status holds the Okta
// object id of this kind, nil if there is none. When obj holds id too
// (two objects took it at the same moment, before the cache had seen
// either), only an earlier holder counts unless any is set: the earlier
// one keeps it, created first, then by namespace and name.
func (o owners) other(ctx context.Context, obj Object, id string, anyHolder bool) (client.Object, error) {
	if o.cache == nil || id == "" {
		return nil, nil
	}
	list := o.newList()
	if err := o.cache.List(ctx, list, client.MatchingFields{OktaIDIndex: id}); err != nil {
		return nil, fmt.Errorf("look up the owner of Okta object %s: %w", id, err)
	}
	items, err := meta.ExtractList(list)
	if err != nil {
		return nil, err
	}
	for _, item := range items {
		holder, ok := item.(Object)
		// A binding is indexed by its app sign-in policy too, which it
		// shares with others.
		if !ok || holder.GetUID() == obj.GetUID() || holder.OktaID() != id {
			continue
		}
		if anyHolder || obj.OktaID() != id || before(holder, obj) {
			return holder, nil
		}
	}
	return nil, nil
}

// before orders objects by creationTimestamp, then namespace and name.
func before(a, b client.Object) bool {
	ta, tb := a.GetCreationTimestamp(), b.GetCreationTimestamp()
	if !ta.Equal(&tb) {
		return ta.Before(&tb)
	}
	if a.GetNamespace() != b.GetNamespace() {
		return a.GetNamespace() < b.GetNamespace()
	}
	return a.GetName() < b.GetName()
}

// Claim tells whether the pass may take over (or keep) the Okta object id:
// ok is false, with an AlreadyManaged outcome, when another object of the
// cluster manages it. Call it before any write to an Okta object the pass
// did not itself create. The message names the other object only when it
// is in the same namespace: a tenant learns nothing of other namespaces.
func (p *Pass[T]) Claim(ctx context.Context, id string) (outcome.Outcome, bool) {
	holder, err := p.owners.other(ctx, p.Obj, id, false)
	if err != nil {
		return outcome.Transient(outcome.ReasonProgressing, err), false
	}
	if holder == nil {
		return outcome.Outcome{}, true
	}
	who := "an object in another namespace"
	if holder.GetNamespace() == p.Obj.GetNamespace() {
		who = p.kind + " " + holder.GetName()
	}
	lifecycle.Warn(p.Recorder, p.Obj, ReasonAlreadyManaged, "Claim", fmt.Errorf("%s %s is already managed by %s", p.subject, id, who))
	return outcome.Waiting(ReasonAlreadyManaged, fmt.Sprintf("%s %s is already managed by %s: one Okta object has one owner; "+
		"adopt another one, or delete this object", p.subject, id, who), alreadyManagedRecheck), false
}

// ManagedElsewhere tells whether another object of the cluster holds the
// Okta object id too: deleting this object must then leave it in Okta.
func (p *Pass[T]) ManagedElsewhere(ctx context.Context, id string) (bool, error) {
	holder, err := p.owners.other(ctx, p.Obj, id, true)
	return holder != nil, err
}

// LeaveIfManagedElsewhere is for a deletion that found its Okta object by
// the name of an interrupted create: stop is true, and nothing may be
// deleted, when another object of the cluster manages that Okta object
// (then out is empty: the deletion is done) or when that cannot be told
// yet (out holds the error).
func (p *Pass[T]) LeaveIfManagedElsewhere(ctx context.Context, id string) (out outcome.Outcome, stop bool) {
	elsewhere, err := p.ManagedElsewhere(ctx, id)
	switch {
	case err != nil:
		return outcome.Transient(outcome.ReasonProgressing, err), true
	case elsewhere:
		p.Event("Released", "Delete", "Left %s %s in Okta: another object manages it", p.subject, id)
		return outcome.Outcome{}, true
	}
	return outcome.Outcome{}, false
}
