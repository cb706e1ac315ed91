package okta

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Link is one entry of an Okta `_links` object. Decoded only; the operator
// never sends links (they are read-only, docs/okta-api-behaviour.md §1.1).
type Link struct {
	// Href is the URL of the linked resource or action.
	Href string `json:"href"`
	// Hints lists the HTTP methods the link allows.
	Hints *LinkHints `json:"hints,omitempty"`
	// Templated tells whether Href is a URI template.
	Templated bool `json:"templated,omitempty"`
}

// LinkHints are the hints of a Link, e.g. {"allow": ["GET","PUT"]}. The
// catch-all rule's self link lacks DELETE (docs/okta-api-behaviour.md, R23).
type LinkHints struct {
	// Allow lists the HTTP methods the server allows on the link.
	Allow []string `json:"allow,omitempty"`
}

// Links is an Okta `_links` object keyed by relation (self, rules,
// activate, deactivate, mappings, …).
type Links map[string]Link

// FlexString is a string the server sometimes sends as a JSON number (the
// spec's ListLogs example has "version": 0 and "postalCode": 10013 where the
// schema says string, docs/okta-api-behaviour.md §9). It decodes both and
// encodes a string.
type FlexString string

// UnmarshalJSON accepts a JSON string, number, boolean or null.
func (s *FlexString) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case bytes.Equal(data, []byte("null")):
		*s = ""
		return nil
	case len(data) > 0 && data[0] == '"':
		var str string
		if err := json.Unmarshal(data, &str); err != nil {
			return err
		}
		*s = FlexString(str)
		return nil
	case bytes.Equal(data, []byte("true")), bytes.Equal(data, []byte("false")):
		*s = FlexString(data)
		return nil
	default:
		if _, err := strconv.ParseFloat(string(data), 64); err != nil {
			return fmt.Errorf("okta: %q is neither a string nor a number", data)
		}
		*s = FlexString(data)
		return nil
	}
}
