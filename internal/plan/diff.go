package plan

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"sort"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
)

// FieldChange is one difference of an update: a JSON path of the Okta
// body, what the org holds and what the operator would send (nil: absent).
type FieldChange struct {
	Path   string `json:"path"`
	Before any    `json:"before,omitempty"`
	After  any    `json:"after,omitempty"`
}

// fieldChanges are the differences of the replaces among writes, limited
// to the top-level fields the operator found changed (updated, one list
// per replace, in order); a replace without such a list shows every
// difference.
func fieldChanges(writes []Write, updated [][]string) []FieldChange {
	var out []FieldChange
	replace := 0
	for _, w := range writes {
		if w.Method != http.MethodPut {
			continue
		}
		var only []string
		if replace < len(updated) {
			only = updated[replace]
		}
		replace++
		out = append(out, diff(toMap(w.Before), toMap(w.Body), only)...)
	}
	return out
}

// toMap is an Okta body as generic JSON.
func toMap(v any) map[string]any { return managed.JSONMap(v) }

// diff lists the leaf paths at which before and after differ, within the
// top-level fields only (every field when only is empty).
func diff(before, after map[string]any, only []string) []FieldChange {
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []FieldChange
	for _, k := range sortedKeys(keys) {
		if len(only) > 0 && !slices.Contains(only, k) {
			continue
		}
		walk(k, before[k], after[k], &out)
	}
	return out
}

func walk(path string, before, after any, out *[]FieldChange) {
	if reflect.DeepEqual(before, after) {
		return
	}
	bm, bok := before.(map[string]any)
	am, aok := after.(map[string]any)
	if bok && aok {
		keys := map[string]bool{}
		for k := range bm {
			keys[k] = true
		}
		for k := range am {
			keys[k] = true
		}
		for _, k := range sortedKeys(keys) {
			walk(path+"."+k, bm[k], am[k], out)
		}
		return
	}
	bl, bok := before.([]any)
	al, aok := after.([]any)
	if bok && aok && len(bl) == len(al) {
		for i := range bl {
			walk(fmt.Sprintf("%s[%d]", path, i), bl[i], al[i], out)
		}
		return
	}
	*out = append(*out, FieldChange{Path: path, Before: before, After: after})
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
