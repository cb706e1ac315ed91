package controllertest

import (
	"encoding/json"

	"github.com/onsi/gomega"
	eventsv1 "k8s.io/api/events/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// ManagedObject is an object of a kind the operator manages in Okta.
type ManagedObject interface {
	client.Object
	GetManagedStatus() *assurancev1alpha1.ManagedStatus
}

// Managed is a pointer to T, an API type the operator manages in Okta:
// the helpers below read such objects afresh into a new T.
type Managed[T any] interface {
	*T
	ManagedObject
}

// Get reads obj afresh from the API server, into a new object, when the
// returned function is called (inside Eventually, or with gomega.Default).
func Get[T any, P Managed[T]](s *Suite, obj P) func(g gomega.Gomega) P {
	return func(g gomega.Gomega) P {
		out := P(new(T))
		g.Expect(s.K8s.Get(s.Ctx, client.ObjectKeyFromObject(obj), out)).To(gomega.Succeed())
		return out
	}
}

// Ready waits until obj is Ready at its current generation, and returns
// that version.
func Ready[T any, P Managed[T]](s *Suite, obj P) P {
	var out P
	gomega.EventuallyWithOffset(1, func(g gomega.Gomega) {
		out = Get(s, obj)(g)
		st := out.GetManagedStatus()
		g.Expect(meta.IsStatusConditionTrue(st.Conditions, assurancev1alpha1.ConditionReady)).To(gomega.BeTrue(), "conditions: %+v", st.Conditions)
		g.Expect(st.ObservedGeneration).To(gomega.Equal(out.GetGeneration()))
	}).Should(gomega.Succeed())
	return out
}

// ReadyAt tells whether a version of an object says Ready at generation,
// in its Ready condition and its observedGeneration.
func ReadyAt(obj ManagedObject, generation int64) bool {
	st := obj.GetManagedStatus()
	c := meta.FindStatusCondition(st.Conditions, assurancev1alpha1.ConditionReady)
	return c != nil && c.Status == metav1.ConditionTrue && c.ObservedGeneration == generation && st.ObservedGeneration == generation
}

// Condition reads obj afresh and returns its condition of condType, or nil.
func Condition[T any, P Managed[T]](s *Suite, obj P, condType string) func(g gomega.Gomega) *metav1.Condition {
	return func(g gomega.Gomega) *metav1.Condition {
		return meta.FindStatusCondition(Get(s, obj)(g).GetManagedStatus().Conditions, condType)
	}
}

// ReadyReason reads obj afresh and returns the reason of its Ready
// condition, or "" without one.
func ReadyReason[T any, P Managed[T]](s *Suite, obj P) func(g gomega.Gomega) string {
	return func(g gomega.Gomega) string {
		if c := Condition(s, obj, assurancev1alpha1.ConditionReady)(g); c != nil {
			return c.Reason
		}
		return ""
	}
}

// ReadyReasonMessage reads obj afresh and returns "Reason: message" of its
// Ready condition, or "" without one.
func ReadyReasonMessage[T any, P Managed[T]](s *Suite, obj P) func(g gomega.Gomega) string {
	return func(g gomega.Gomega) string {
		if c := Condition(s, obj, assurancev1alpha1.ConditionReady)(g); c != nil {
			return c.Reason + ": " + c.Message
		}
		return ""
	}
}

// Released tells, when called, whether obj is gone from the API server:
// deleted, its finalizers released.
func (s *Suite) Released(obj client.Object) func() bool {
	return func() bool {
		return apierrors.IsNotFound(s.K8s.Get(s.Ctx, client.ObjectKeyFromObject(obj), obj.DeepCopyObject().(client.Object)))
	}
}

// DeleteAndWait deletes obj and waits until it is released.
func (s *Suite) DeleteAndWait(obj client.Object) {
	gomega.ExpectWithOffset(1, s.K8s.Delete(s.Ctx, obj)).To(gomega.Succeed())
	gomega.EventuallyWithOffset(1, s.Released(obj)).Should(gomega.BeTrue(), "the object is released")
}

// EventNotes are the notes of the events about obj.
func (s *Suite) EventNotes(obj client.Object) []string {
	events := s.events(obj)
	notes := make([]string, len(events))
	for i, e := range events {
		notes[i] = e.Note
	}
	return notes
}

// EventsWithReason are the events about obj with reason; an event the
// recorder sent more than once has a series.
func (s *Suite) EventsWithReason(obj client.Object, reason string) []eventsv1.Event {
	var out []eventsv1.Event
	for _, e := range s.events(obj) {
		if e.Reason == reason {
			out = append(out, e)
		}
	}
	return out
}

// events are the events of obj's namespace about obj.
func (s *Suite) events(obj client.Object) []eventsv1.Event {
	list := &eventsv1.EventList{}
	gomega.ExpectWithOffset(2, s.K8s.List(s.Ctx, list, client.InNamespace(obj.GetNamespace()))).To(gomega.Succeed())
	var out []eventsv1.Event
	for _, e := range list.Items {
		if e.Regarding.Name == obj.GetName() {
			out = append(out, e)
		}
	}
	return out
}

// KStatus is what kstatus computes for obj, as kubectl, Argo CD and Flux
// read it.
func KStatus(obj client.Object) *status.Result {
	raw, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	gomega.ExpectWithOffset(1, err).NotTo(gomega.HaveOccurred())
	res, err := status.Compute(&unstructured.Unstructured{Object: raw})
	gomega.ExpectWithOffset(1, err).NotTo(gomega.HaveOccurred())
	return res
}

// JSONMap is v marshalled to JSON and decoded as a JSON object.
func JSONMap(v any) map[string]any {
	raw, err := json.Marshal(v)
	gomega.ExpectWithOffset(1, err).NotTo(gomega.HaveOccurred())
	var m map[string]any
	gomega.ExpectWithOffset(1, json.Unmarshal(raw, &m)).To(gomega.Succeed())
	return m
}
