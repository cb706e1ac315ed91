package managed

import (
	"reflect"
	"testing"
)

func TestChangedFields(t *testing.T) {
	tests := []struct {
		name       string
		want, have map[string]any
		fields     []string
	}{
		{"equal", map[string]any{"a": 1.0, "b": map[string]any{"c": "x"}}, map[string]any{"a": 1.0, "b": map[string]any{"c": "x"}}, nil},
		{"a nested difference names the top-level field", map[string]any{"b": map[string]any{"c": "x"}}, map[string]any{"b": map[string]any{"c": "y"}}, []string{"b"}},
		{"a field only Okta holds", map[string]any{"a": 1.0}, map[string]any{"a": 1.0, "z": "extra"}, []string{"z"}},
		{"a null Okta sends is no value", map[string]any{"a": 1.0}, map[string]any{"a": 1.0, "z": nil}, nil},
		{"a field Okta lacks, sorted", map[string]any{"b": true, "a": 1.0}, map[string]any{}, []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ChangedFields(tt.want, tt.have); !reflect.DeepEqual(got, tt.fields) {
				t.Errorf("ChangedFields = %v, want %v", got, tt.fields)
			}
		})
	}
	if JSONMap([]int{1}) != nil {
		t.Error("JSONMap of a non-object is nil")
	}
}
