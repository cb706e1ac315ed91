package okta

import (
	"encoding/json"
	"time"
)

// PolicyTypeAccess is the type of app sign-in policies and their rules.
const PolicyTypeAccess = "ACCESS_POLICY"

// Policy is a policy as Okta lists it. The operator only reads policies
// (it manages their rules), so there is no request type.
type Policy struct {
	// ID is the policy id (`rst…` for ACCESS_POLICY).
	ID string `json:"id"`
	// Name is the policy name.
	Name string `json:"name"`
	// Type is the policy type, e.g. ACCESS_POLICY.
	Type string `json:"type"`
	// Description is the policy description.
	Description string `json:"description,omitempty"`
	// Priority is the policy priority, if any.
	Priority *int `json:"priority,omitempty"`
	// Status is ACTIVE or INACTIVE.
	Status string `json:"status,omitempty"`
	// System tells whether Okta owns the policy.
	System bool `json:"system"`
	// Created is when the policy was created.
	Created *time.Time `json:"created,omitempty"`
	// LastUpdated is when the policy last changed.
	LastUpdated *time.Time `json:"lastUpdated,omitempty"`
	// Conditions is always null for ACCESS_POLICY
	// (docs/okta-api-behaviour.md §3.1); other policy types carry conditions
	// the operator does not interpret.
	Conditions json.RawMessage `json:"conditions,omitempty"`
	// Embedded holds the resource type (APP or END_USER_ACCOUNT_MANAGEMENT).
	Embedded *PolicyEmbedded `json:"_embedded,omitempty"`
	// Links holds self, rules, activate/deactivate and sometimes mappings.
	Links Links `json:"_links,omitempty"`
}

// PolicyEmbedded is the `_embedded` object of an ACCESS_POLICY.
type PolicyEmbedded struct {
	// ResourceType is APP, or END_USER_ACCOUNT_MANAGEMENT for the Okta
	// account management policy.
	ResourceType string `json:"resourceType,omitempty"`
}
