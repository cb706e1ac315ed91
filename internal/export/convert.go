package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
)

// toMap is v, an Okta model, as generic JSON (an empty object for none).
func toMap(v any) map[string]any {
	if m := managed.JSONMap(v); m != nil {
		return m
	}
	return map[string]any{}
}

// fromMap decodes m into out, refusing a field out does not have: a field
// of Okta's model that the API types lack would otherwise be lost without
// a word.
func fromMap(m map[string]any, out any) error {
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("the API has no place for it: %w", err)
	}
	return nil
}

// prune removes nulls, empty objects and empty lists at every level, and
// returns nil when nothing is left of v. A list keeps the positions of its
// items: an item that is left empty becomes an empty object.
func prune(v any) any {
	switch t := v.(type) {
	case nil:
		return nil
	case map[string]any:
		for k, item := range t {
			if p := prune(item); p == nil {
				delete(t, k)
			} else {
				t[k] = p
			}
		}
		if len(t) == 0 {
			return nil
		}
		return t
	case []any:
		if len(t) == 0 {
			return nil
		}
		for i, item := range t {
			if p := prune(item); p == nil {
				t[i] = map[string]any{}
			} else {
				t[i] = p
			}
		}
		return t
	default:
		return v
	}
}

// sortStringLists sorts, at every level, the lists whose items are all
// strings: in the bodies exported they are sets (IDs, enum values), which
// Okta may return in any order, and the controllers compare them as sets.
func sortStringLists(v any) {
	switch t := v.(type) {
	case map[string]any:
		for _, item := range t {
			sortStringLists(item)
		}
	case []any:
		strs := true
		for _, item := range t {
			if _, ok := item.(string); !ok {
				strs = false
			}
			sortStringLists(item)
		}
		if strs {
			sort.Slice(t, func(i, j int) bool { return t[i].(string) < t[j].(string) })
		}
	}
}

// object is m[key] when it is a JSON object, else nil.
func object(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		if m == nil {
			return nil
		}
		m, _ = m[k].(map[string]any)
	}
	return m
}

// asObject is v when it is a JSON object, else nil.
func asObject(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// sortObjects sorts a list of objects by the string at key.
func sortObjects(v any, key string) {
	items, _ := v.([]any)
	key0 := func(item any) string {
		s, _ := asObject(item)[key].(string)
		return s
	}
	sort.SliceStable(items, func(i, j int) bool { return key0(items[i]) < key0(items[j]) })
}
