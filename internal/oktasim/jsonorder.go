package oktasim

import (
	"bytes"
	"encoding/json"
	"sort"
)

// orderedObject is a JSON object that keeps its key order when encoded.
// Real Okta answers with its own key order, not the request's
// (docs/okta-api-behaviour.md, R9 and R22), so responses are rendered through
// key-order tables.
type orderedObject []orderedField

type orderedField struct {
	Key   string
	Value any
}

// MarshalJSON writes the fields in their stored order.
func (o orderedObject) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		key, err := json.Marshal(f.Key)
		if err != nil {
			return nil, err
		}
		buf.Write(key)
		buf.WriteByte(':')
		val, err := marshalNoEscape(f.Value)
		if err != nil {
			return nil, err
		}
		buf.Write(val)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// marshalNoEscape encodes v without HTML escaping, as Okta does.
func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// keyOrder maps an object path ("" for the root, "conditions.people",
// "include[]" for array elements) to the order the server writes its keys in.
// Keys not listed follow the listed ones in alphabetical order.
type keyOrder map[string][]string

// ordered converts v (maps, slices, scalars) into a value whose objects
// encode in the order given by table.
func ordered(v any, table keyOrder) any {
	return orderAt(v, "", table)
}

func orderAt(v any, path string, table keyOrder) any {
	switch t := v.(type) {
	case map[string]any:
		return orderMap(t, path, table)
	case []any:
		out := make([]any, len(t))
		for i, item := range t {
			out[i] = orderAt(item, path+"[]", table)
		}
		return out
	case []string:
		return t
	default:
		return v
	}
}

func orderMap(m map[string]any, path string, table keyOrder) orderedObject {
	out := make(orderedObject, 0, len(m))
	seen := make(map[string]bool, len(m))
	for _, k := range table[path] {
		if val, ok := m[k]; ok {
			out = append(out, orderedField{k, orderAt(val, joinPath(path, k), table)})
			seen[k] = true
		}
	}
	rest := make([]string, 0, len(m))
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, orderedField{k, orderAt(m[k], joinPath(path, k), table)})
	}
	return out
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
