package posturecheck

import (
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/observemode"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// drift returns the top-level fields in which what Okta holds differs from
// what the spec asks for, after normalizing what Okta adds on its own:
// nothing when the check is up to date, so a steady object costs no write.
func drift(desired, observed okta.PostureCheck) []string {
	return managed.ChangedFields(normalized(desired), normalized(observed))
}

// normalized is the check as generic JSON without what Okta owns. The
// read-only fields (id, audit fields, _links) are not part of
// okta.PostureCheck; empty strings and Okta's nulls are dropped by the JSON
// encoding.
func normalized(c okta.PostureCheck) map[string]any {
	m := managed.JSONMap(c)
	if m == nil {
		return nil
	}
	// A check written without a type is a custom one.
	if m["type"] == nil {
		m["type"] = typeCustom
	}
	// defaultI18nKey and defaultUrl are Okta's own remediation of BUILTIN
	// checks (docs/okta-api-behaviour.md §2): null on custom checks, never sent by the
	// operator, so never compared.
	if r, ok := m["remediationSettings"].(map[string]any); ok {
		if msg, ok := r["message"].(map[string]any); ok {
			delete(msg, "defaultI18nKey")
		}
		if link, ok := r["link"].(map[string]any); ok {
			delete(link, "defaultUrl")
		}
	}
	// Okta answers {"message":{"customText":null}} or {} for what the spec
	// leaves out.
	dropEmpty(m)
	return m
}

// dropEmpty removes the empty objects of m, deepest first.
func dropEmpty(m map[string]any) {
	for k, v := range m {
		if o, ok := v.(map[string]any); ok {
			dropEmpty(o)
			if len(o) == 0 {
				delete(m, k)
			}
		}
	}
}

// driftPaths names the nested fields behind the top-level fields of drift,
// e.g. remediationSettings.link.customUrl, for the observe mode's report.
func driftPaths(fields []string, desired, observed okta.PostureCheck) []string {
	return observemode.Detail(fields, normalized(desired), normalized(observed))
}
