package okta

// PostureCheck is the writable part of a device posture check
// (docs/okta-api-behaviour.md §2), the body of a create or full replace.
type PostureCheck struct {
	// Name is the display name.
	Name string `json:"name,omitempty"`
	// Description describes the check.
	Description string `json:"description,omitempty"`
	// VariableName is the unique name device assurance policies reference.
	VariableName string `json:"variableName,omitempty"`
	// Platform is MACOS or WINDOWS.
	Platform Platform `json:"platform,omitempty"`
	// Type is BUILTIN or CUSTOM.
	Type string `json:"type,omitempty"`
	// MappingType is CHECKBOX or TEXTBOX.
	MappingType string `json:"mappingType,omitempty"`
	// Query is the osquery SQL; it must return one row resolving to 1 or 0.
	Query string `json:"query,omitempty"`
	// RemediationSettings are shown to users whose device fails the check.
	RemediationSettings *RemediationSettings `json:"remediationSettings,omitempty"`
}

// PostureCheckResponse is a device posture check as Okta returns it.
type PostureCheckResponse struct {
	PostureCheck

	// ID is the posture check id (`dch…`).
	ID string `json:"id,omitempty"`
	// RequestID is the X-Okta-Request-Id of the create or replace that
	// returned this check, for events and audit; empty on reads.
	RequestID string `json:"-"`
	Audit
	// Links holds `self`.
	Links Links `json:"_links,omitempty"`
}

// RemediationSettings are the remediation message and link of a check.
type RemediationSettings struct {
	// Message is the remediation text.
	Message *RemediationMessage `json:"message,omitempty"`
	// Link is the remediation URL.
	Link *RemediationLink `json:"link,omitempty"`
}

// RemediationMessage is a remediation text: Okta's default (BUILTIN only) or
// a custom one.
type RemediationMessage struct {
	// DefaultI18nKey is set by Okta on BUILTIN checks.
	DefaultI18nKey string `json:"defaultI18nKey,omitempty"`
	// CustomText is the custom message.
	CustomText string `json:"customText,omitempty"`
}

// RemediationLink is a remediation URL: Okta's default (BUILTIN only) or a
// custom one.
type RemediationLink struct {
	// DefaultURL is set by Okta on BUILTIN checks.
	DefaultURL string `json:"defaultUrl,omitempty"`
	// CustomURL is the custom URL.
	CustomURL string `json:"customUrl,omitempty"`
}
