package okta

import (
	"bytes"
	"encoding/json"
	"time"
)

// PolicyRule is the writable part of an ACCESS_POLICY rule: the body of a
// create or a full replace (docs/okta-api-behaviour.md §3.3). Status is not
// part of it: it is set with the activate query parameter and the lifecycle
// endpoints.
type PolicyRule struct {
	// Name is the rule name.
	Name string `json:"name"`
	// Type is ACCESS_POLICY; Create and Replace fill it in when empty.
	Type string `json:"type,omitempty"`
	// Priority is the rule priority, 0 being the highest; a pointer because
	// 0 must be sent (docs/okta-api-behaviour.md, R25).
	Priority *int `json:"priority,omitempty"`
	// System is true only for the catch-all rule. Leave it nil on rules the
	// operator creates; set it to true when replacing the catch-all rule,
	// as the recorded clients do (tfprov-099).
	System *bool `json:"system,omitempty"`
	// Conditions of the rule. Always encoded: a nil value is sent as
	// "conditions": null, which is what the catch-all rule holds
	// (docs/okta-api-behaviour.md, R24).
	Conditions *RuleConditions `json:"conditions"`
	// Actions of the rule.
	Actions *RuleActions `json:"actions,omitempty"`
}

// PolicyRuleResponse is a rule as Okta returns it.
type PolicyRuleResponse struct {
	PolicyRule

	// ID is the rule id (`rul…`).
	ID string `json:"id,omitempty"`
	// RequestID is the X-Okta-Request-Id of the create or replace that
	// returned this rule, for events and audit; empty on reads.
	RequestID string `json:"-"`
	// Status is ACTIVE or INACTIVE.
	Status string `json:"status,omitempty"`
	// Created is when the rule was created.
	Created *time.Time `json:"created,omitempty"`
	// LastUpdated is when the rule last changed.
	LastUpdated *time.Time `json:"lastUpdated,omitempty"`
	// Links depend on state: self plus activate or deactivate
	// (docs/okta-api-behaviour.md, R23).
	Links Links `json:"_links,omitempty"`
}

// RuleConditions are the conditions of an ACCESS_POLICY rule. Okta adds
// defaults for people, userType and riskScore when they are not sent
// (docs/okta-api-behaviour.md, R18).
type RuleConditions struct {
	// Device is the device condition, incl. device assurance policies.
	Device *DeviceCondition `json:"device,omitempty"`
	// People restricts the rule to users and groups.
	People *PeopleCondition `json:"people,omitempty"`
	// Network restricts the rule to network zones.
	Network *NetworkCondition `json:"network,omitempty"`
	// Platform restricts the rule to device platforms.
	Platform *PlatformCondition `json:"platform,omitempty"`
	// RiskScore restricts the rule to a risk level.
	RiskScore *RiskScoreCondition `json:"riskScore,omitempty"`
	// UserType restricts the rule to user types.
	UserType *UserTypeCondition `json:"userType,omitempty"`
	// ELCondition is an Okta Expression Language condition.
	ELCondition *ELCondition `json:"elCondition,omitempty"`
}

// DeviceCondition is the device condition of a rule. When Managed is set,
// Registered must be true (docs/okta-api-behaviour.md §3.3).
type DeviceCondition struct {
	// Registered requires a registered device.
	Registered *bool `json:"registered,omitempty"`
	// Managed requires a managed device.
	Managed *bool `json:"managed,omitempty"`
	// Assurance lists the device assurance policies, any of which the
	// device must satisfy.
	Assurance *AssuranceCondition `json:"assurance,omitempty"`
}

// AssuranceCondition lists device assurance policy ids.
type AssuranceCondition struct {
	// Include lists `dae…` ids.
	Include []string `json:"include"`
}

// PeopleCondition restricts a rule to users and groups.
type PeopleCondition struct {
	// Users includes or excludes user ids.
	Users *IncludeExclude `json:"users,omitempty"`
	// Groups includes or excludes group ids.
	Groups *IncludeExclude `json:"groups,omitempty"`
}

// IncludeExclude is a pair of id lists.
type IncludeExclude struct {
	// Include lists included ids.
	Include []string `json:"include,omitempty"`
	// Exclude lists excluded ids.
	Exclude []string `json:"exclude,omitempty"`
}

// NetworkCondition restricts a rule to network zones.
type NetworkCondition struct {
	// Connection is ANYWHERE or ZONE.
	Connection string `json:"connection,omitempty"`
	// Include lists zone ids.
	Include []string `json:"include,omitempty"`
	// Exclude lists zone ids.
	Exclude []string `json:"exclude,omitempty"`
}

// PlatformCondition restricts a rule to device platforms. An empty object
// is accepted and dropped by Okta (docs/okta-api-behaviour.md, R19).
type PlatformCondition struct {
	// Include lists included platforms.
	Include []PlatformSelector `json:"include,omitempty"`
	// Exclude lists excluded platforms.
	Exclude []PlatformSelector `json:"exclude,omitempty"`
}

// PlatformSelector selects a device platform.
type PlatformSelector struct {
	// Type is ANY, DESKTOP, MOBILE or OTHER.
	Type string `json:"type,omitempty"`
	// OS selects the operating system.
	OS *PlatformOS `json:"os,omitempty"`
}

// PlatformOS selects an operating system.
type PlatformOS struct {
	// Type is ANDROID, ANY, CHROMEOS, IOS, MACOS, OTHER, WINDOWS or LINUX.
	Type string `json:"type,omitempty"`
	// Expression is an EL expression; a pointer because Okta keeps an
	// empty string on OTHER but drops null (docs/okta-api-behaviour.md, R19).
	Expression *string `json:"expression,omitempty"`
	// Version matches the OS version.
	Version *PlatformOSVersion `json:"version,omitempty"`
}

// PlatformOSVersion matches an OS version.
type PlatformOSVersion struct {
	// MatchType is EXPRESSION or SEMVER.
	MatchType string `json:"matchType,omitempty"`
	// Value is the expression or version.
	Value string `json:"value,omitempty"`
}

// RiskScoreCondition restricts a rule to a risk level.
type RiskScoreCondition struct {
	// Level is ANY, LOW, MEDIUM or HIGH.
	Level string `json:"level"`
}

// UserTypeCondition restricts a rule to user types. Both lists are
// required by the schema and are always encoded, as [] when empty.
type UserTypeCondition struct {
	// Include lists user type ids.
	Include []string `json:"include"`
	// Exclude lists user type ids.
	Exclude []string `json:"exclude"`
}

// MarshalJSON encodes nil lists as [] because the schema requires both.
func (u UserTypeCondition) MarshalJSON() ([]byte, error) {
	type plain UserTypeCondition
	out := plain(u)
	if out.Include == nil {
		out.Include = []string{}
	}
	if out.Exclude == nil {
		out.Exclude = []string{}
	}
	return json.Marshal(out)
}

// ELCondition is an Okta Expression Language condition.
type ELCondition struct {
	// Condition is the expression, e.g. `device.provider.wsc.fireWall == "GOOD"`.
	Condition string `json:"condition,omitempty"`
}

// RuleActions are the actions of an ACCESS_POLICY rule.
type RuleActions struct {
	// AppSignOn is the app sign-on action.
	AppSignOn *AppSignOnAction `json:"appSignOn,omitempty"`
}

// AppSignOnAction grants or denies access and sets the authentication
// requirements.
type AppSignOnAction struct {
	// Access is ALLOW or DENY.
	Access string `json:"access,omitempty"`
	// VerificationMethod is the authentication requirement.
	VerificationMethod *VerificationMethod `json:"verificationMethod,omitempty"`
	// KeepMeSignedIn is the post-authentication KMSI setting; Okta adds
	// {"postAuth": "NOT_ALLOWED"} when it is not sent.
	KeepMeSignedIn *KeepMeSignedIn `json:"keepMeSignedIn,omitempty"`
}

// Verification method types.
const (
	VerificationAssurance       = "ASSURANCE"
	VerificationAuthMethodChain = "AUTH_METHOD_CHAIN"
	VerificationIDProofing      = "ID_PROOFING"
)

// VerificationMethod is the union of the ASSURANCE, AUTH_METHOD_CHAIN and
// ID_PROOFING schemas, selected by Type. Okta silently drops the fields that
// do not belong to the type (docs/okta-api-behaviour.md, R20).
type VerificationMethod struct {
	// Type is ASSURANCE, AUTH_METHOD_CHAIN or ID_PROOFING.
	Type string `json:"type"`
	// FactorMode (ASSURANCE) is 1FA or 2FA.
	FactorMode string `json:"factorMode,omitempty"`
	// ReauthenticateIn is an ISO 8601 duration; Okta defaults it to PT12H.
	ReauthenticateIn string `json:"reauthenticateIn,omitempty"`
	// InactivityPeriod (ASSURANCE) is an ISO 8601 duration.
	InactivityPeriod string `json:"inactivityPeriod,omitempty"`
	// Constraints (ASSURANCE): any one entry must be satisfied.
	Constraints ConstraintList `json:"constraints,omitempty"`
	// Chains (AUTH_METHOD_CHAIN) are the allowed authentication chains.
	Chains []AuthMethodChain `json:"chains,omitempty"`
	// ID (ID_PROOFING) is the identity verification provider id.
	ID string `json:"id,omitempty"`
}

// ConstraintList is the `constraints` array of an ASSURANCE method. Several
// spec examples show a single object instead of an array
// (docs/okta-api-behaviour.md §3.5); decoding accepts both, encoding always
// writes an array.
type ConstraintList []AccessPolicyConstraints

// UnmarshalJSON accepts an array, a single object, or null.
func (l *ConstraintList) UnmarshalJSON(data []byte) error {
	return unmarshalOneOrMany(data, (*[]AccessPolicyConstraints)(l))
}

// AuthenticationMethodRefs is a list of authenticators in a constraint.
// Spec examples show a single object here too (docs/okta-api-behaviour.md §9);
// decoding accepts both, encoding always writes an array.
type AuthenticationMethodRefs []AuthenticationMethodRef

// UnmarshalJSON accepts an array, a single object, or null.
func (l *AuthenticationMethodRefs) UnmarshalJSON(data []byte) error {
	return unmarshalOneOrMany(data, (*[]AuthenticationMethodRef)(l))
}

// unmarshalOneOrMany decodes a JSON array, or a single object as a
// one-element slice.
func unmarshalOneOrMany[T any](data []byte, out *[]T) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var one T
		if err := json.Unmarshal(trimmed, &one); err != nil {
			return err
		}
		*out = []T{one}
		return nil
	}
	var many []T
	if err := json.Unmarshal(trimmed, &many); err != nil {
		return err
	}
	*out = many
	return nil
}

// AccessPolicyConstraints is one constraint object; every property in it
// must be satisfied. There is no inherence constraint
// (docs/okta-api-behaviour.md §3.3).
type AccessPolicyConstraints struct {
	// Knowledge constrains knowledge factors.
	Knowledge *KnowledgeConstraint `json:"knowledge,omitempty"`
	// Possession constrains possession factors.
	Possession *PossessionConstraint `json:"possession,omitempty"`
}

// AuthenticatorConstraint holds the properties common to knowledge and
// possession constraints. Okta returns Types and Methods in lower case
// although the spec lists upper case (docs/okta-api-behaviour.md §3.5):
// compare them case-insensitively and write back what was read.
type AuthenticatorConstraint struct {
	// Types are authenticator types, e.g. password, security_key.
	Types []string `json:"types,omitempty"`
	// Methods are authenticator methods, e.g. push, otp.
	Methods []string `json:"methods,omitempty"`
	// AuthenticationMethods are the allowed authenticators.
	AuthenticationMethods AuthenticationMethodRefs `json:"authenticationMethods,omitempty"`
	// ExcludedAuthenticationMethods are the excluded authenticators.
	ExcludedAuthenticationMethods AuthenticationMethodRefs `json:"excludedAuthenticationMethods,omitempty"`
	// ReauthenticateIn is an ISO 8601 duration.
	ReauthenticateIn string `json:"reauthenticateIn,omitempty"`
	// Required is always returned; false when exclusions are set.
	Required *bool `json:"required,omitempty"`
}

// KnowledgeConstraint constrains knowledge factors.
type KnowledgeConstraint struct {
	AuthenticatorConstraint
}

// PossessionConstraint constrains possession factors.
type PossessionConstraint struct {
	AuthenticatorConstraint

	// DeviceBound is OPTIONAL or REQUIRED.
	DeviceBound string `json:"deviceBound,omitempty"`
	// HardwareProtection is OPTIONAL or REQUIRED.
	HardwareProtection string `json:"hardwareProtection,omitempty"`
	// PhishingResistant is OPTIONAL or REQUIRED.
	PhishingResistant string `json:"phishingResistant,omitempty"`
	// UserPresence is OPTIONAL or REQUIRED (default REQUIRED).
	UserPresence string `json:"userPresence,omitempty"`
	// UserVerification is OPTIONAL or REQUIRED.
	UserVerification string `json:"userVerification,omitempty"`
	// UserVerificationMethods are BIOMETRICS and/or PIN.
	UserVerificationMethods []string `json:"userVerificationMethods,omitempty"`
}

// AuthenticationMethodRef names an authenticator in a constraint.
type AuthenticationMethodRef struct {
	// Key is the authenticator key, e.g. okta_verify.
	Key string `json:"key"`
	// ID is the authenticator id.
	ID string `json:"id,omitempty"`
	// Method is the authenticator method, e.g. push.
	Method string `json:"method,omitempty"`
}

// AuthMethodChain is one chain of an AUTH_METHOD_CHAIN method.
type AuthMethodChain struct {
	// AuthenticationMethods are the alternatives of this step.
	AuthenticationMethods []ChainAuthenticationMethod `json:"authenticationMethods,omitempty"`
	// Next is the following step (at most one chain).
	Next []AuthMethodChain `json:"next,omitempty"`
	// ReauthenticateIn is an ISO 8601 duration.
	ReauthenticateIn string `json:"reauthenticateIn,omitempty"`
}

// ChainAuthenticationMethod is an authenticator in a chain step.
type ChainAuthenticationMethod struct {
	// Key is the authenticator key.
	Key string `json:"key"`
	// Method is the authenticator method.
	Method string `json:"method,omitempty"`
	// ID is the authenticator id.
	ID string `json:"id,omitempty"`
	// HardwareProtection is OPTIONAL or REQUIRED.
	HardwareProtection string `json:"hardwareProtection,omitempty"`
	// PhishingResistant is OPTIONAL or REQUIRED.
	PhishingResistant string `json:"phishingResistant,omitempty"`
	// UserVerification is OPTIONAL or REQUIRED.
	UserVerification string `json:"userVerification,omitempty"`
	// UserVerificationMethods are BIOMETRICS and/or PIN.
	UserVerificationMethods []string `json:"userVerificationMethods,omitempty"`
}

// KeepMeSignedIn is the post-authentication "keep me signed in" setting.
type KeepMeSignedIn struct {
	// PostAuth is ALLOWED or NOT_ALLOWED.
	PostAuth string `json:"postAuth,omitempty"`
	// PostAuthPromptFrequency is an ISO 8601 duration; dropped by a PUT
	// that omits it (docs/okta-api-behaviour.md, R21).
	PostAuthPromptFrequency string `json:"postAuthPromptFrequency,omitempty"`
}
