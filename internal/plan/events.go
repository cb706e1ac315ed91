package plan

import (
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// eventLog is the reconcilers' event recorder in a plan: it keeps, per
// object, the top-level fields of each update the operator would make
// (its "Updated" event names them), so that a plan's diff shows exactly
// the fields the operator's own comparison found changed, after Okta's
// rewrites (e.g. P30D read back as PT720H) are normalized away.
type eventLog struct {
	mu      sync.Mutex
	updates map[types.UID][][]string
}

func newEventLog() *eventLog { return &eventLog{updates: map[types.UID][][]string{}} }

// Eventf keeps the fields of Updated events; the first argument of
// managed.Pass.Converge's Updated note is the changed fields, joined with
// ", ".
func (l *eventLog) Eventf(regarding, _ runtime.Object, _, reason, _, _ string, args ...any) {
	if reason != "Updated" || len(args) == 0 {
		return
	}
	fields, ok := args[0].(string)
	obj, err := meta.Accessor(regarding)
	if !ok || err != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.updates[obj.GetUID()] = append(l.updates[obj.GetUID()], strings.Split(fields, ", "))
}

// updated returns the fields of each update of the object with uid.
func (l *eventLog) updated(uid types.UID) [][]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.updates[uid]
}
