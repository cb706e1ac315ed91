package controllertest

import (
	"fmt"
	"sync"

	"github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/watch"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Versions records every version of one object that the API server sends
// to a watch: a test can then assert on what each status write held, not
// only on the latest one, which a later pass may already have mended.
type Versions struct {
	mu    sync.Mutex
	items []client.Object
	w     watch.Interface
	done  chan struct{}
}

// RecordVersions starts recording the versions of obj (its namespace and
// name) written from now on; list is an empty list of its kind. Stop it
// when done.
func (s *Suite) RecordVersions(obj client.Object, list client.ObjectList) *Versions {
	c, err := client.NewWithWatch(s.Config, client.Options{Scheme: s.Scheme})
	gomega.Expect(err).NotTo(gomega.HaveOccurred())
	w, err := c.Watch(s.Ctx, list, client.InNamespace(obj.GetNamespace()),
		client.MatchingFieldsSelector{Selector: fields.OneTermEqualSelector("metadata.name", obj.GetName())})
	gomega.Expect(err).NotTo(gomega.HaveOccurred())
	v := &Versions{w: w, done: make(chan struct{})}
	go func() {
		defer close(v.done)
		for e := range w.ResultChan() {
			if got, ok := e.Object.(client.Object); ok && e.Type != watch.Error {
				v.mu.Lock()
				v.items = append(v.items, got)
				v.mu.Unlock()
			}
		}
	}()
	return v
}

// First is the first recorded version that match accepts, or nil.
func (v *Versions) First(match func(client.Object) bool) client.Object {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, obj := range v.items {
		if match(obj) {
			return obj
		}
	}
	return nil
}

// String lists the recorded versions' generations and conditions, for a
// failure message.
func (v *Versions) String() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := fmt.Sprintf("%d versions", len(v.items))
	for _, obj := range v.items {
		out += fmt.Sprintf("\n  generation %d: %+v", obj.GetGeneration(), conditionsOf(obj))
	}
	return out
}

func conditionsOf(obj client.Object) any {
	if m, ok := obj.(ManagedObject); ok {
		return m.GetManagedStatus()
	}
	return nil
}

// Stop ends the recording.
func (v *Versions) Stop() {
	v.w.Stop()
	<-v.done
}
