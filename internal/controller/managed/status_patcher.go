package managed

import (
	"context"
	"encoding/json"
	"fmt"

	jsonpatch "github.com/evanphx/json-patch/v5"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// StatusPatcher writes an object's status with JSON merge patches that
// carry only what the pass changed since the patcher last wrote (or since
// the object was read). Its base is refreshed after every patch, as Flux's
// SerialPatcher does, so that several writes in one pass (the create
// intent, then the end of the pass) each send their own changes and none
// undoes another.
//
// The server's answer is decoded into a copy, never into the object: a
// pass keeps what it has set in memory, and the spec it reconciles, even
// when someone changed the object meanwhile. Fields the pass did not
// change, such as the drift watcher's lastOutOfBandChange, are not in the
// patch and so are never overwritten.
type StatusPatcher struct {
	client client.Client
	base   []byte
}

// NewStatusPatcher starts a patcher from obj's status as read.
func NewStatusPatcher(c client.Client, obj client.Object) (*StatusPatcher, error) {
	base, err := statusJSON(obj)
	if err != nil {
		return nil, err
	}
	return &StatusPatcher{client: c, base: base}, nil
}

// Patch writes what changed in obj's status since the last write; nothing
// when nothing changed.
func (p *StatusPatcher) Patch(ctx context.Context, obj client.Object) error {
	current, err := statusJSON(obj)
	if err != nil {
		return err
	}
	diff, err := jsonpatch.CreateMergePatch(p.base, current)
	if err != nil {
		return fmt.Errorf("compute the status patch: %w", err)
	}
	if string(diff) == "{}" {
		return nil
	}
	body, err := json.Marshal(map[string]json.RawMessage{"status": diff})
	if err != nil {
		return err
	}
	answer := obj.DeepCopyObject().(client.Object)
	if err := p.client.Status().Patch(ctx, answer, client.RawPatch(types.MergePatchType, body)); err != nil {
		return err
	}
	p.base = current
	obj.SetResourceVersion(answer.GetResourceVersion())
	return nil
}

// statusJSON is the object's status as JSON.
func statusJSON(obj client.Object) ([]byte, error) {
	raw, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	var fields struct {
		Status json.RawMessage `json:"status"`
	}
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, err
	}
	if len(fields.Status) == 0 {
		return []byte("{}"), nil
	}
	return fields.Status, nil
}
