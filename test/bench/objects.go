package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

const benchNamespace = "bench"

var (
	gvPolicy  = schema.GroupVersionKind{Group: "assurance.okta-operator.dev", Version: "v1alpha1", Kind: "DeviceAssurancePolicy"}
	gvBinding = schema.GroupVersionKind{Group: "assurance.okta-operator.dev", Version: "v1alpha1", Kind: "SignInRuleBinding"}
)

// The policies cycle through three platforms; driftable ones (iOS) get
// their minimum OS version changed out of band.
const (
	iosMinimum   = "17.0"
	driftMinimum = "16.0"
)

func policyName(i int) string { return fmt.Sprintf("bench-da-%05d", i) }

// policyBody is the Okta body of policy i, also its spec (without the
// Kubernetes-only fields).
func policyBody(name string, i int) map[string]any {
	switch i % 3 {
	case 0:
		return map[string]any{"name": name, "platform": "IOS", "osVersion": map[string]any{"minimum": iosMinimum}, "jailbreak": false}
	case 1:
		return map[string]any{"name": name, "platform": "ANDROID", "osVersion": map[string]any{"minimum": "13"}}
	default:
		return map[string]any{"name": name, "platform": "MACOS", "osVersion": map[string]any{"minimum": "14.4"}, "secureHardwarePresent": true}
	}
}

// policyObject is DeviceAssurancePolicy i; adoptID, when set, adopts that
// Okta policy instead of creating one.
func policyObject(name string, i int, adoptID string) *unstructured.Unstructured {
	spec := policyBody(name, i)
	if adoptID != "" {
		spec["adopt"] = map[string]any{"id": adoptID}
	}
	u := &unstructured.Unstructured{Object: map[string]any{"spec": spec}}
	u.SetGroupVersionKind(gvPolicy)
	u.SetNamespace(benchNamespace)
	u.SetName(name)
	return u
}

func appName(i int) string { return fmt.Sprintf("Bench App %03d", i) }

// bindingObject is SignInRuleBinding i: a rule in app sign-in policy
// i % apps requiring the policies perBinding*i ... perBinding*(i+1)-1.
func bindingObject(i, apps, perBinding int) *unstructured.Unstructured {
	include := make([]any, 0, perBinding)
	for j := i * perBinding; j < (i+1)*perBinding; j++ {
		include = append(include, map[string]any{"name": policyName(j)})
	}
	name := fmt.Sprintf("bench-rule-%05d", i)
	u := &unstructured.Unstructured{Object: map[string]any{"spec": map[string]any{
		"policy": map[string]any{"name": appName(i % apps)},
		"rule": map[string]any{
			"name": name,
			"conditions": map[string]any{"device": map[string]any{
				"managed": true, "registered": true,
				"assurance": map[string]any{"include": include},
			}},
			"actions": map[string]any{"appSignOn": map[string]any{
				"access": "ALLOW",
				"verificationMethod": map[string]any{
					"type": "ASSURANCE", "factorMode": "2FA", "reauthenticateIn": "PT2H",
					"constraints": []any{map[string]any{"knowledge": map[string]any{"types": []any{"password"}}}},
				},
			}},
		},
	}}}
	u.SetGroupVersionKind(gvBinding)
	u.SetNamespace(benchNamespace)
	u.SetName(name)
	return u
}

// writeSeed writes a simulator seed with apps app sign-in policies and
// len(policyIDs) device assurance policies with the given IDs.
func writeSeed(path string, apps int, policyIDs []string) error {
	seed := map[string]any{}
	var pols []any
	for i := 0; i < apps; i++ {
		pols = append(pols, map[string]any{"name": appName(i)})
	}
	if len(pols) > 0 {
		seed["policies"] = pols
	}
	das := make([]any, 0, len(policyIDs))
	for i, id := range policyIDs {
		body := policyBody(policyName(i), i)
		body["id"] = id
		das = append(das, body)
	}
	if len(das) > 0 {
		seed["deviceAssurances"] = das
	}
	b, err := json.Marshal(seed)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

// oktaID is a new ID in Okta's format: a prefix and 17 base62 characters.
func oktaID(prefix string) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := []byte(prefix)
	for len(b) < 20 {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b = append(b, alphabet[n.Int64()])
	}
	return string(b)
}

// createAll creates the objects with a few parallel clients, as a GitOps
// tool applying a folder would, and returns when the API server has them
// all.
func createAll(ctx context.Context, c client.Client, objs []*unstructured.Unstructured) error {
	work := make(chan *unstructured.Unstructured)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range work {
				if err := createOne(ctx, c, o); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for _, o := range objs {
		work <- o
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func createOne(ctx context.Context, c client.Client, o *unstructured.Unstructured) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = c.Create(ctx, o.DeepCopy())
		if err == nil || apierrors.IsAlreadyExists(err) {
			return nil
		}
		if apierrors.IsInvalid(err) || apierrors.IsBadRequest(err) {
			return fmt.Errorf("create %s %s: %w", o.GetKind(), o.GetName(), err)
		}
		time.Sleep(time.Second)
	}
	return fmt.Errorf("create %s %s: %w", o.GetKind(), o.GetName(), err)
}

// readiness is Ready (True, current generation) and, if not, the reason.
func readiness(u *unstructured.Unstructured) (bool, string) {
	observed, _, _ := unstructured.NestedInt64(u.Object, "status", "observedGeneration")
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		m, ok := c.(map[string]any)
		if !ok || m["type"] != "Ready" {
			continue
		}
		if m["status"] == "True" && observed == u.GetGeneration() {
			return true, ""
		}
		reason, _ := m["reason"].(string)
		return false, reason
	}
	return false, "NoReadyCondition"
}

// listAll lists the objects of kind in the bench namespace, in pages.
func listAll(ctx context.Context, c client.Client, gvk schema.GroupVersionKind) ([]unstructured.Unstructured, error) {
	var out []unstructured.Unstructured
	cont := ""
	for {
		list := &unstructured.UnstructuredList{}
		list.SetGroupVersionKind(gvk.GroupVersion().WithKind(gvk.Kind + "List"))
		if err := c.List(ctx, list, client.InNamespace(benchNamespace), client.Limit(2000), client.Continue(cont)); err != nil {
			return nil, err
		}
		out = append(out, list.Items...)
		if cont = list.GetContinue(); cont == "" {
			return out, nil
		}
	}
}

// tracker records when each object of the namespace was first seen Ready.
type tracker struct {
	mu      sync.Mutex
	readyAt map[string]time.Time // kind/name
	reasons map[string]int       // not-Ready reasons at the last poll
}

func newTracker() *tracker {
	return &tracker{readyAt: map[string]time.Time{}, reasons: map[string]int{}}
}

// poll lists both kinds once.
func (t *tracker) poll(ctx context.Context, c client.Client) error {
	now := time.Now()
	reasons := map[string]int{}
	for _, gvk := range []schema.GroupVersionKind{gvPolicy, gvBinding} {
		items, err := listAll(ctx, c, gvk)
		if err != nil {
			return err
		}
		t.mu.Lock()
		for i := range items {
			key := gvk.Kind + "/" + items[i].GetName()
			if _, seen := t.readyAt[key]; seen {
				continue
			}
			if ok, reason := readiness(&items[i]); ok {
				t.readyAt[key] = now
			} else {
				reasons[gvk.Kind+" "+reason]++
			}
		}
		t.mu.Unlock()
	}
	t.mu.Lock()
	t.reasons = reasons
	t.mu.Unlock()
	return nil
}

// waitReady polls until every key in want is Ready, or timeout.
func (t *tracker) waitReady(ctx context.Context, c client.Client, want []string, every, timeout time.Duration, progress func(ready int)) error {
	deadline := time.Now().Add(timeout)
	lastLog := time.Time{}
	for {
		if err := t.poll(ctx, c); err != nil {
			logf("list: %v", err)
		}
		n := t.countReady(want)
		if n == len(want) {
			return nil
		}
		if progress != nil && time.Since(lastLog) > 30*time.Second {
			progress(n)
			lastLog = time.Now()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d of %d objects Ready after %s; not Ready: %s", n, len(want), timeout, t.reasonText())
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(every):
		}
	}
}

func (t *tracker) countReady(keys []string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, k := range keys {
		if _, ok := t.readyAt[k]; ok {
			n++
		}
	}
	return n
}

func (t *tracker) at(key string) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.readyAt[key]
}

func (t *tracker) reasonText() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	keys := make([]string, 0, len(t.reasons))
	for k := range t.reasons {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := ""
	for _, k := range keys {
		s += fmt.Sprintf("%s: %d; ", k, t.reasons[k])
	}
	return s
}

// waitObjectReady polls one object until it is Ready and returns when it
// was first seen so.
func waitObjectReady(ctx context.Context, c client.Client, gvk schema.GroupVersionKind, name string, every, timeout time.Duration) (time.Time, error) {
	deadline := time.Now().Add(timeout)
	for {
		u := &unstructured.Unstructured{}
		u.SetGroupVersionKind(gvk)
		err := c.Get(ctx, client.ObjectKey{Namespace: benchNamespace, Name: name}, u)
		if err == nil {
			if ok, _ := readiness(u); ok {
				return time.Now(), nil
			}
		}
		if time.Now().After(deadline) {
			if err != nil {
				return time.Time{}, fmt.Errorf("%s %s not Ready after %s: %w", gvk.Kind, name, timeout, err)
			}
			_, reason := readiness(u)
			return time.Time{}, fmt.Errorf("%s %s not Ready after %s (%s)", gvk.Kind, name, timeout, reason)
		}
		select {
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		case <-time.After(every):
		}
	}
}
