package v1alpha1

// ISODuration is an ISO-8601 duration such as PT2H, P30D or PT0S.
// +kubebuilder:validation:MinLength=3
// +kubebuilder:validation:MaxLength=32
// +kubebuilder:validation:XValidation:rule="self.matches('^P([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+S)?)?$') && !self.endsWith('T')",message="must be an ISO-8601 duration such as PT2H or P30D"
type ISODuration string

// RuleActions say what happens to a matching sign-in.
type RuleActions struct {
	// appSignOn is the rule's app sign-on action (Okta's
	// actions.appSignOn): whether access is allowed or denied (access), how
	// the user must verify (verificationMethod), and the keep-me-signed-in
	// prompt after authentication (keepMeSignedIn).
	// +required
	AppSignOn AppSignOnAction `json:"appSignOn"`
}

// AppSignOnAction allows or denies access, and how a user must verify.
type AppSignOnAction struct {
	// access is ALLOW or DENY.
	// +required
	// +kubebuilder:validation:Enum=ALLOW;DENY
	Access string `json:"access"`

	// verificationMethod is how users verify (Okta's
	// actions.appSignOn.verificationMethod), by type: ASSURANCE (authenticator
	// constraints: factorMode, constraints, inactivityPeriod),
	// AUTH_METHOD_CHAIN (chains of authentication methods) or ID_PROOFING
	// (an identity verification vendor: id). Okta silently drops the fields
	// of another type, so they are refused. reauthenticateIn is how long a
	// verification lasts.
	// +optional
	VerificationMethod *VerificationMethod `json:"verificationMethod,omitempty"`

	// keepMeSignedIn controls the keep-me-signed-in prompt shown after
	// authentication (Okta's actions.appSignOn.keepMeSignedIn): whether it
	// is shown (postAuth) and how often (postAuthPromptFrequency).
	// +optional
	KeepMeSignedIn *KeepMeSignedIn `json:"keepMeSignedIn,omitempty"`
}

// VerificationMethodType is how users verify.
// +kubebuilder:validation:Enum=ASSURANCE;AUTH_METHOD_CHAIN;ID_PROOFING
type VerificationMethodType string

// VerificationMethod is how users verify, typed by type: ASSURANCE takes
// factorMode, constraints and inactivityPeriod; AUTH_METHOD_CHAIN takes
// chains; ID_PROOFING takes id.
// +kubebuilder:validation:XValidation:rule="self.type == 'ASSURANCE' || (!has(self.factorMode) && !has(self.constraints) && !has(self.inactivityPeriod))",message="verificationMethod.factorMode, constraints and inactivityPeriod need type: ASSURANCE"
// +kubebuilder:validation:XValidation:rule="self.type == 'AUTH_METHOD_CHAIN' || !has(self.chains)",message="verificationMethod.chains needs type: AUTH_METHOD_CHAIN"
// +kubebuilder:validation:XValidation:rule="self.type != 'AUTH_METHOD_CHAIN' || has(self.chains)",message="verificationMethod of type AUTH_METHOD_CHAIN needs chains"
// +kubebuilder:validation:XValidation:rule="(self.type == 'ID_PROOFING') == has(self.id)",message="verificationMethod.id is required for, and only for, type: ID_PROOFING"
// +kubebuilder:validation:XValidation:rule="!has(self.reauthenticateIn) || !has(self.chains) || self.chains.all(c, !has(c.reauthenticateIn) && (!has(c.next) || c.next.all(n, !has(n.reauthenticateIn) && (!has(n.next) || n.next.all(m, !has(m.reauthenticateIn))))))",message="set reauthenticateIn on verificationMethod or on its chains, not both"
type VerificationMethod struct {
	// type is ASSURANCE, AUTH_METHOD_CHAIN or ID_PROOFING.
	// +required
	Type VerificationMethodType `json:"type"`

	// factorMode is 1FA or 2FA (ASSURANCE).
	// +optional
	// +kubebuilder:validation:Enum="1FA";"2FA"
	FactorMode string `json:"factorMode,omitempty"`

	// reauthenticateIn is how long a verification lasts, e.g. PT2H.
	// +optional
	ReauthenticateIn ISODuration `json:"reauthenticateIn,omitempty"`

	// inactivityPeriod ends the session after this idle time (ASSURANCE).
	// +optional
	InactivityPeriod ISODuration `json:"inactivityPeriod,omitempty"`

	// constraints are authenticator requirements (ASSURANCE): any one of
	// them must be satisfied; within one, every property must be. Each
	// constrains the knowledge factor, the possession factor, or both.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=10
	Constraints []AccessPolicyConstraints `json:"constraints,omitempty"`

	// chains are authentication method chains (AUTH_METHOD_CHAIN), at most
	// five: each lists the authenticators accepted at its first step, and
	// next the following step, for at most three steps. Each level is a
	// distinct schema because a CRD schema cannot be recursive.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=5
	Chains []AuthMethodChain `json:"chains,omitempty"`

	// id is the identity verification vendor's IdP ID (ID_PROOFING).
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	ID string `json:"id,omitempty"`
}

// AccessPolicyConstraints are authenticator requirements. An empty one
// ({}) constrains nothing; it is accepted because Okta holds it: a
// chain-shaped constraint sent with type ASSURANCE is stored as {}, which
// rules made with Terraform carry (docs/okta-api-behaviour.md, R20), and
// an export of such a rule must apply without a write.
type AccessPolicyConstraints struct {
	// knowledge constrains the knowledge factor (password, security
	// question): the accepted authenticator types and methods, specific
	// authenticators to accept or exclude, how long its verification lasts,
	// and whether it is required.
	// +optional
	Knowledge *AuthenticatorConstraint `json:"knowledge,omitempty"`

	// possession constrains the possession factor (phone, security key,
	// app): the fields of knowledge, plus whether the authenticator must be
	// device-bound, hardware-protected and phishing-resistant, and whether
	// it must check user presence and user verification (and by which
	// methods).
	// +optional
	Possession *PossessionConstraint `json:"possession,omitempty"`
}

// AuthenticatorType is an authenticator type; Okta returns and documents
// lower case, its schema upper case, so both are accepted.
// +kubebuilder:validation:Enum=SECURITY_KEY;PHONE;EMAIL;PASSWORD;SECURITY_QUESTION;APP;FEDERATED;security_key;phone;email;password;security_question;app;federated
type AuthenticatorType string

// AuthenticatorMethod is an authenticator method, in either case.
// +kubebuilder:validation:Enum=PASSWORD;SECURITY_QUESTION;SMS;VOICE;EMAIL;PUSH;SIGNED_NONCE;OTP;TOTP;WEBAUTHN;DUO;IDP;CERT;password;security_question;sms;voice;email;push;signed_nonce;otp;totp;webauthn;duo;idp;cert
type AuthenticatorMethod string

// AuthenticatorConstraint are the requirements on one factor class.
type AuthenticatorConstraint struct {
	// types are the accepted authenticator types.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=14
	Types []AuthenticatorType `json:"types,omitempty"`

	// methods are the accepted authenticator methods.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=26
	Methods []AuthenticatorMethod `json:"methods,omitempty"`

	// authenticationMethods are specific authenticators that satisfy the
	// constraint, each by key (e.g. okta_verify), optionally with the
	// authenticator's id and a method (e.g. push).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	AuthenticationMethods []AuthenticationMethodRef `json:"authenticationMethods,omitempty"`

	// excludedAuthenticationMethods are authenticators that cannot satisfy
	// the constraint, each by key (e.g. okta_verify), optionally with the
	// authenticator's id and a method (e.g. push).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	ExcludedAuthenticationMethods []AuthenticationMethodRef `json:"excludedAuthenticationMethods,omitempty"`

	// reauthenticateIn is how long this factor's verification lasts.
	// +optional
	ReauthenticateIn ISODuration `json:"reauthenticateIn,omitempty"`

	// required says whether the constraint must be met.
	// +optional
	Required *bool `json:"required,omitempty"`
}

// Requirement is OPTIONAL or REQUIRED.
// +kubebuilder:validation:Enum=OPTIONAL;REQUIRED
type Requirement string

// UserVerificationMethod is how a possession factor verifies the user.
// +kubebuilder:validation:Enum=BIOMETRICS;PIN
type UserVerificationMethod string

// PossessionConstraint are the requirements on a possession factor.
// +kubebuilder:validation:XValidation:rule="!has(self.userVerificationMethods) || (has(self.userVerification) && self.userVerification == 'REQUIRED')",message="possession.userVerificationMethods needs userVerification: REQUIRED",fieldPath=".userVerificationMethods"
type PossessionConstraint struct {
	AuthenticatorConstraint `json:",inline"`

	// deviceBound requires a device-bound authenticator.
	// +optional
	DeviceBound Requirement `json:"deviceBound,omitempty"`

	// hardwareProtection requires hardware-protected keys.
	// +optional
	HardwareProtection Requirement `json:"hardwareProtection,omitempty"`

	// phishingResistant requires a phishing-resistant authenticator.
	// +optional
	PhishingResistant Requirement `json:"phishingResistant,omitempty"`

	// userPresence requires user presence (Okta's default is REQUIRED).
	// +optional
	UserPresence Requirement `json:"userPresence,omitempty"`

	// userVerification requires user verification.
	// +optional
	UserVerification Requirement `json:"userVerification,omitempty"`

	// userVerificationMethods are the accepted user verification methods;
	// they need userVerification: REQUIRED.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=2
	UserVerificationMethods []UserVerificationMethod `json:"userVerificationMethods,omitempty"`
}

// AuthenticationMethodRef names an authenticator.
type AuthenticationMethodRef struct {
	// key is the authenticator key, e.g. okta_verify.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Key string `json:"key"`

	// id is the authenticator ID, for authenticators with several instances.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	ID string `json:"id,omitempty"`

	// method is the authenticator method, e.g. push.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	Method string `json:"method,omitempty"`
}

// ChainAuthenticationMethod is one authenticator of a chain step.
type ChainAuthenticationMethod struct {
	// key is the authenticator key, e.g. okta_verify.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	Key string `json:"key"`

	// method is the authenticator method, e.g. push.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	Method string `json:"method,omitempty"`

	// id is the authenticator ID.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	ID string `json:"id,omitempty"`

	// hardwareProtection requires hardware-protected keys.
	// +optional
	HardwareProtection Requirement `json:"hardwareProtection,omitempty"`

	// phishingResistant requires a phishing-resistant authenticator.
	// +optional
	PhishingResistant Requirement `json:"phishingResistant,omitempty"`

	// userVerification requires user verification.
	// +optional
	UserVerification Requirement `json:"userVerification,omitempty"`

	// userVerificationMethods are the accepted user verification methods.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=2
	UserVerificationMethods []UserVerificationMethod `json:"userVerificationMethods,omitempty"`
}

// AuthMethodChain is the first step of an authentication method chain. The
// chain types are nested three levels deep because a CRD schema cannot be
// recursive and Okta allows at most three steps.
type AuthMethodChain struct {
	// authenticationMethods are the authenticators accepted at the first
	// step, each by key (e.g. okta_verify), optionally with a method and an
	// id, and with its hardware protection, phishing resistance and user
	// verification requirements.
	// +required
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10
	AuthenticationMethods []ChainAuthenticationMethod `json:"authenticationMethods"`

	// next is the second step of the chain (at most one), which the user
	// completes after this one: its authenticators, an optional third step,
	// and how long its verification lasts.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=1
	Next []AuthMethodChainStep2 `json:"next,omitempty"`

	// reauthenticateIn is how long this chain's verification lasts.
	// +optional
	ReauthenticateIn ISODuration `json:"reauthenticateIn,omitempty"`
}

// AuthMethodChainStep2 is the second step of a chain.
type AuthMethodChainStep2 struct {
	// authenticationMethods are the authenticators accepted at the second
	// step, each by key (e.g. okta_verify), optionally with a method and an
	// id, and with its hardware protection, phishing resistance and user
	// verification requirements.
	// +required
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10
	AuthenticationMethods []ChainAuthenticationMethod `json:"authenticationMethods"`

	// next is the third and last step of the chain (at most one), which the
	// user completes after the second: its authenticators and how long its
	// verification lasts.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=1
	Next []AuthMethodChainStep3 `json:"next,omitempty"`

	// reauthenticateIn is how long this step's verification lasts.
	// +optional
	ReauthenticateIn ISODuration `json:"reauthenticateIn,omitempty"`
}

// AuthMethodChainStep3 is the third and last step of a chain.
type AuthMethodChainStep3 struct {
	// authenticationMethods are the authenticators accepted at the third
	// step, each by key (e.g. okta_verify), optionally with a method and an
	// id, and with its hardware protection, phishing resistance and user
	// verification requirements.
	// +required
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10
	AuthenticationMethods []ChainAuthenticationMethod `json:"authenticationMethods"`

	// reauthenticateIn is how long this step's verification lasts.
	// +optional
	ReauthenticateIn ISODuration `json:"reauthenticateIn,omitempty"`
}

// KeepMeSignedIn controls the post-authentication keep-me-signed-in prompt.
type KeepMeSignedIn struct {
	// postAuth is ALLOWED or NOT_ALLOWED.
	// +required
	// +kubebuilder:validation:Enum=ALLOWED;NOT_ALLOWED
	PostAuth string `json:"postAuth"`

	// postAuthPromptFrequency is how often the prompt shows (default P30D).
	// +optional
	PostAuthPromptFrequency ISODuration `json:"postAuthPromptFrequency,omitempty"`
}
