package oktasim

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
)

// errMalformedJSON is returned for a body that is not one JSON object.
var errMalformedJSON = errors.New("the request body was not well-formed")

// decodeObject reads one JSON object; numbers stay json.Number so that
// integers round-trip exactly.
func decodeObject(r io.Reader) (map[string]any, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errMalformedJSON
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errMalformedJSON
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errMalformedJSON
	}
	return m, nil
}

// deepCopy copies a decoded JSON value so stored state is never aliased by
// a response or a later request.
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			out[k] = deepCopy(val)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			out[i] = deepCopy(val)
		}
		return out
	default:
		return v
	}
}

func copyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out, _ := deepCopy(m).(map[string]any)
	return out
}

// dropEmpty removes nulls and empty objects at every level, as Okta does
// when it stores a rule or a policy (docs/okta-api-behaviour.md, R19:
// `platform: {}`, `elCondition: {}`, `os.expression: null` disappear;
// `expression: ""` and empty arrays stay). It returns nil when m itself ends
// up empty.
func dropEmpty(m map[string]any) map[string]any {
	for k, v := range m {
		switch t := v.(type) {
		case nil:
			delete(m, k)
		case map[string]any:
			if dropEmpty(t) == nil {
				delete(m, k)
			}
		case []any:
			for _, item := range t {
				if im, ok := item.(map[string]any); ok {
					dropEmpty(im)
				}
			}
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// objectAt returns m[key] when it is a JSON object.
func objectAt(m map[string]any, key string) (map[string]any, bool) {
	v, ok := m[key].(map[string]any)
	return v, ok
}

// ensureObject returns m[key], creating an empty object when absent.
func ensureObject(m map[string]any, key string) map[string]any {
	if v, ok := m[key].(map[string]any); ok {
		return v
	}
	v := map[string]any{}
	m[key] = v
	return v
}

// stringAt returns m[key] when it is a string.
func stringAt(m map[string]any, key string) (string, bool) {
	v, ok := m[key].(string)
	return v, ok
}

// intValue converts a decoded JSON number to an int.
func intValue(v any) (int, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := strconv.Atoi(n.String())
		return i, err == nil
	case int:
		return n, true
	case float64:
		if n == float64(int(n)) {
			return int(n), true
		}
	}
	return 0, false
}

// stringList returns the strings of a JSON array, and whether every item was one.
func stringList(v any) ([]string, bool) {
	arr, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(arr))
	for _, item := range arr {
		s, ok := item.(string)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// toAnyList converts strings back to a JSON array value.
func toAnyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// jsonEqual compares two decoded JSON values.
func jsonEqual(a, b any) bool {
	ab, errA := json.Marshal(a)
	bb, errB := json.Marshal(b)
	if errA != nil || errB != nil {
		return reflect.DeepEqual(a, b)
	}
	return bytes.Equal(ab, bb)
}
