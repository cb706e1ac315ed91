package okta

import (
	"encoding/json"
	"time"
)

// LogEvent is a System Log event (docs/okta-api-behaviour.md §4.3). All fields
// are read-only. Open-ended objects (detailEntry, debugData, changeDetails)
// are maps: Okta says their keys are not a data contract.
type LogEvent struct {
	// UUID identifies the event.
	UUID string `json:"uuid"`
	// Published is when the event happened.
	Published time.Time `json:"published"`
	// EventType is e.g. device.assurance.policy.update.
	EventType string `json:"eventType"`
	// Version is a string in the schema, a number in the spec example.
	Version FlexString `json:"version,omitempty"`
	// Severity is DEBUG, INFO, WARN or ERROR.
	Severity string `json:"severity,omitempty"`
	// DisplayMessage is the human-readable message.
	DisplayMessage string `json:"displayMessage,omitempty"`
	// LegacyEventType is the classic event type.
	LegacyEventType string `json:"legacyEventType,omitempty"`
	// Actor is who caused the event (a user or an OAuth client).
	Actor *LogActor `json:"actor,omitempty"`
	// Client is the client the actor used.
	Client *LogClient `json:"client,omitempty"`
	// AuthenticationContext describes the authentication.
	AuthenticationContext *LogAuthenticationContext `json:"authenticationContext,omitempty"`
	// Outcome is the result of the action.
	Outcome *LogOutcome `json:"outcome,omitempty"`
	// Target lists the affected objects; search it by Type, positions vary.
	Target []LogTarget `json:"target,omitempty"`
	// Transaction identifies the request.
	Transaction *LogTransaction `json:"transaction,omitempty"`
	// DebugContext holds unstable debugging data.
	DebugContext *LogDebugContext `json:"debugContext,omitempty"`
	// Request holds the IP chain.
	Request *LogRequest `json:"request,omitempty"`
	// SecurityContext describes the client's network.
	SecurityContext *LogSecurityContext `json:"securityContext,omitempty"`
}

// LogActor is who caused an event.
type LogActor struct {
	// ID is the actor id.
	ID string `json:"id"`
	// Type is e.g. User or PublicClientApp.
	Type string `json:"type,omitempty"`
	// AlternateID is e.g. the login.
	AlternateID string `json:"alternateId,omitempty"`
	// DisplayName is the display name.
	DisplayName string `json:"displayName,omitempty"`
	// DetailEntry holds extra details.
	DetailEntry map[string]any `json:"detailEntry,omitempty"`
}

// LogClient is the client an actor used.
type LogClient struct {
	// ID is the client id, if any.
	ID string `json:"id,omitempty"`
	// Device is the device type, e.g. Computer.
	Device string `json:"device,omitempty"`
	// IPAddress is the client IP.
	IPAddress string `json:"ipAddress,omitempty"`
	// Zone is the network zone.
	Zone string `json:"zone,omitempty"`
	// UserAgent describes the browser or tool.
	UserAgent *LogUserAgent `json:"userAgent,omitempty"`
	// GeographicalContext locates the client.
	GeographicalContext *LogGeographicalContext `json:"geographicalContext,omitempty"`
}

// LogUserAgent describes a user agent.
type LogUserAgent struct {
	// RawUserAgent is the User-Agent header.
	RawUserAgent string `json:"rawUserAgent,omitempty"`
	// OS is the operating system.
	OS string `json:"os,omitempty"`
	// Browser is the browser.
	Browser string `json:"browser,omitempty"`
}

// LogGeographicalContext locates a client.
type LogGeographicalContext struct {
	// City is the city.
	City string `json:"city,omitempty"`
	// State is the state or region.
	State string `json:"state,omitempty"`
	// Country is the country.
	Country string `json:"country,omitempty"`
	// PostalCode is a string in the schema, a number in the spec example.
	PostalCode FlexString `json:"postalCode,omitempty"`
	// Geolocation holds coordinates.
	Geolocation *LogGeolocation `json:"geolocation,omitempty"`
}

// LogGeolocation holds coordinates.
type LogGeolocation struct {
	// Lat is the latitude.
	Lat float64 `json:"lat"`
	// Lon is the longitude.
	Lon float64 `json:"lon"`
}

// LogAuthenticationContext describes how the actor authenticated.
type LogAuthenticationContext struct {
	// AuthenticationProvider is e.g. OKTA_AUTHENTICATION_PROVIDER.
	AuthenticationProvider string `json:"authenticationProvider,omitempty"`
	// AuthenticationStep is the step number.
	AuthenticationStep int `json:"authenticationStep"`
	// CredentialProvider is the credential provider.
	CredentialProvider string `json:"credentialProvider,omitempty"`
	// CredentialType is the credential type.
	CredentialType string `json:"credentialType,omitempty"`
	// ExternalSessionID is the session id.
	ExternalSessionID string `json:"externalSessionId,omitempty"`
	// RootSessionID is the root session id.
	RootSessionID string `json:"rootSessionId,omitempty"`
	// Interface is the interface used.
	Interface string `json:"interface,omitempty"`
	// Issuer is the token issuer.
	Issuer *LogIssuer `json:"issuer,omitempty"`
}

// LogIssuer is the issuer of a token.
type LogIssuer struct {
	// ID is the issuer id.
	ID string `json:"id,omitempty"`
	// Type is the issuer type.
	Type string `json:"type,omitempty"`
}

// LogOutcome is the result of an action.
type LogOutcome struct {
	// Result is e.g. SUCCESS or FAILURE.
	Result string `json:"result"`
	// Reason explains the result.
	Reason string `json:"reason,omitempty"`
}

// LogTarget is an object an event affected. Device assurance events carry
// policyName and policyPlatform in DetailEntry
// (docs/okta-api-behaviour.md §4.4).
type LogTarget struct {
	// ID is the target id, e.g. a `dae…` id.
	ID string `json:"id"`
	// Type is the target type.
	Type string `json:"type,omitempty"`
	// AlternateID is an alternate id.
	AlternateID string `json:"alternateId,omitempty"`
	// DisplayName is the display name.
	DisplayName string `json:"displayName,omitempty"`
	// DetailEntry holds target details.
	DetailEntry map[string]any `json:"detailEntry,omitempty"`
	// ChangeDetails holds the changed properties on update events.
	ChangeDetails *LogChangeDetails `json:"changeDetails,omitempty"`
}

// LogChangeDetails holds the values before and after a change.
type LogChangeDetails struct {
	// From holds the old values.
	From map[string]any `json:"from,omitempty"`
	// To holds the new values.
	To map[string]any `json:"to,omitempty"`
}

// LogTransaction identifies the request behind an event.
type LogTransaction struct {
	// ID is the request id.
	ID string `json:"id,omitempty"`
	// Type is WEB or JOB.
	Type string `json:"type,omitempty"`
	// Detail holds e.g. requestApiTokenId.
	Detail map[string]any `json:"detail,omitempty"`
}

// LogDebugContext holds debugging data whose keys may change between
// releases.
type LogDebugContext struct {
	// DebugData holds the debugging data.
	DebugData map[string]any `json:"debugData,omitempty"`
}

// LogRequest holds the IP chain of the request.
type LogRequest struct {
	// IPChain lists the IPs the request went through.
	IPChain []LogIPAddress `json:"ipChain,omitempty"`
}

// LogIPAddress is one hop of an IP chain.
type LogIPAddress struct {
	// IP is the address.
	IP string `json:"ip,omitempty"`
	// Version is V4 or V6.
	Version string `json:"version,omitempty"`
	// Source is the source of the address.
	Source string `json:"source,omitempty"`
	// GeographicalContext locates the address.
	GeographicalContext *LogGeographicalContext `json:"geographicalContext,omitempty"`
	// IPDetails holds enrichment data.
	IPDetails json.RawMessage `json:"ipDetails,omitempty"`
}

// LogSecurityContext describes the network of a client. The nested
// enrichment objects are kept raw: the operator does not use them.
type LogSecurityContext struct {
	// ASNumber is the autonomous system number.
	ASNumber *int `json:"asNumber,omitempty"`
	// ASOrg is the autonomous system organisation.
	ASOrg string `json:"asOrg,omitempty"`
	// ISP is the internet service provider.
	ISP string `json:"isp,omitempty"`
	// Domain is the domain.
	Domain string `json:"domain,omitempty"`
	// IsProxy tells whether the client used a proxy.
	IsProxy *bool `json:"isProxy,omitempty"`
	// BotProtection is raw enrichment data.
	BotProtection json.RawMessage `json:"botProtection,omitempty"`
	// IPDetails is raw enrichment data.
	IPDetails json.RawMessage `json:"ipDetails,omitempty"`
	// Risk is raw enrichment data.
	Risk json.RawMessage `json:"risk,omitempty"`
	// UserBehaviors is raw enrichment data.
	UserBehaviors json.RawMessage `json:"userBehaviors,omitempty"`
}
