package managed

import (
	"encoding/json"
	"reflect"
	"sort"
)

// JSONMap is v (an Okta body) as generic JSON, for comparing after Okta's
// rewrites are undone; nil if it does not encode to an object.
func JSONMap(v any) map[string]any {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}

// ChangedFields are the top-level fields in which want and have (normalized
// bodies) differ, sorted: none when the Okta object is up to date, so that a
// steady object costs no write.
func ChangedFields(want, have map[string]any) []string {
	var fields []string
	for k := range want {
		if !reflect.DeepEqual(want[k], have[k]) {
			fields = append(fields, k)
		}
	}
	for k := range have {
		if _, both := want[k]; !both && have[k] != nil {
			// A null Okta sends is no value: as absent from want.
			fields = append(fields, k)
		}
	}
	sort.Strings(fields)
	return fields
}
