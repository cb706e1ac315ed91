package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// SignInRuleBindingSpec is a rule of an Okta app sign-in policy
// (ACCESS_POLICY), typically one that requires device assurance. Apart from
// orgRef, policy, adopt and deletionPolicy, rule mirrors the JSON body of
// PUT /api/v1/policies/{policyId}/rules/{ruleId}, with device assurance
// policies referenced by the name of their DeviceAssurancePolicy object.
// Okta's PUT replaces the whole rule: what the binding does not declare is
// removed from the rule.
// +kubebuilder:validation:XValidation:rule="has(oldSelf.orgRef) == has(self.orgRef) && (!has(self.orgRef) || oldSelf.orgRef == self.orgRef)",message="orgRef is immutable: create a new binding to manage a rule in another org",fieldPath=".orgRef"
type SignInRuleBindingSpec struct {
	// orgRef names the OktaOrg or ClusterOktaOrg of the policy. When omitted,
	// the ClusterOktaOrg named "default" is used. It cannot change once set.
	// +optional
	OrgRef *OrgReference `json:"orgRef,omitempty"`

	// policy is the app sign-in policy the rule belongs to, by ID or by name.
	// +required
	Policy SignInPolicyReference `json:"policy"`

	// rule is the whole rule.
	// +required
	Rule SignInRule `json:"rule"`

	// adopt takes over an existing rule of the policy (by ID, as Okta's guide
	// does, or by name) instead of creating one.
	// +optional
	Adopt *Adoption `json:"adopt,omitempty"`

	// deletionPolicy says what happens to the rule when this object is
	// deleted: Delete removes it, Orphan leaves it. Defaults to Delete, or to
	// Orphan for an adopted rule. The Catch-all Rule is never deleted.
	// +optional
	DeletionPolicy DeletionPolicy `json:"deletionPolicy,omitempty"`

	// suspend, when true, stops every Okta call for this object: the rule in
	// Okta is neither read nor written, and Ready is False with reason
	// Suspended. Deleting the object still applies deletionPolicy.
	// +optional
	Suspend bool `json:"suspend,omitempty"`

	// driftPolicy says what happens when the Okta object differs from the
	// spec after creation: Correct (the default) writes the spec back;
	// Report never writes after creation and sets the Drifted condition,
	// listing the differing fields, with an event. Report lets a team run
	// the operator in observe mode first.
	// +optional
	// +kubebuilder:default=Correct
	DriftPolicy DriftPolicy `json:"driftPolicy,omitempty"`
}

// SignInPolicyReference names an app sign-in policy: exactly one of id or
// name.
// +kubebuilder:validation:XValidation:rule="has(self.id) != has(self.name)",message="policy needs exactly one of id or name"
type SignInPolicyReference struct {
	// id is the Okta ID of the policy, e.g. rst7xus97faIAgmti1d7.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9]+$`
	ID string `json:"id,omitempty"`

	// name is the exact name of the policy; it must match exactly one
	// ACCESS_POLICY policy of the org.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	Name string `json:"name,omitempty"`
}

// RuleStatus is whether a rule is applied.
// +kubebuilder:validation:Enum=ACTIVE;INACTIVE
type RuleStatus string

// Rule statuses.
const (
	RuleStatusActive   RuleStatus = "ACTIVE"
	RuleStatusInactive RuleStatus = "INACTIVE"
)

// ISODuration is an ISO-8601 duration such as PT2H, P30D or PT0S.
// +kubebuilder:validation:MinLength=3
// +kubebuilder:validation:MaxLength=32
// +kubebuilder:validation:XValidation:rule="self.matches('^P([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+S)?)?$') && !self.endsWith('T')",message="must be an ISO-8601 duration such as PT2H or P30D"
type ISODuration string

// SignInRule is an app sign-in policy rule.
type SignInRule struct {
	// name is the rule's name in Okta.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	Name string `json:"name"`

	// priority is the rule's position, 0 being evaluated first. A binding
	// that sets it owns it; one that does not leaves it to Okta and others.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=99
	Priority *int32 `json:"priority,omitempty"`

	// status is ACTIVE (the default) or INACTIVE.
	// +optional
	// +kubebuilder:default=ACTIVE
	Status RuleStatus `json:"status,omitempty"`

	// conditions select the sign-ins the rule applies to.
	// +optional
	Conditions *RuleConditions `json:"conditions,omitempty"`

	// actions say what happens to a matching sign-in.
	// +required
	Actions RuleActions `json:"actions"`
}

// RuleConditions select sign-ins.
type RuleConditions struct {
	// device conditions: registration, management and device assurance.
	// +optional
	Device *DeviceCondition `json:"device,omitempty"`

	// people limits the rule to users and groups.
	// +optional
	People *PeopleCondition `json:"people,omitempty"`

	// network limits the rule to network zones.
	// +optional
	Network *NetworkCondition `json:"network,omitempty"`

	// platform limits the rule to device platforms.
	// +optional
	Platform *PlatformCondition `json:"platform,omitempty"`

	// riskScore limits the rule to a risk level.
	// +optional
	RiskScore *RiskScoreCondition `json:"riskScore,omitempty"`

	// userType limits the rule to user types (IDs).
	// +optional
	UserType *IncludeExcludeIDs `json:"userType,omitempty"`

	// elCondition is an Okta Expression Language condition.
	// +optional
	ELCondition *ELCondition `json:"elCondition,omitempty"`
}

// DeviceCondition requires device state.
// +kubebuilder:validation:XValidation:rule="!has(self.managed) || !self.managed || (has(self.registered) && self.registered)",message="conditions.device.managed: true requires registered: true",fieldPath=".managed"
type DeviceCondition struct {
	// registered requires a device registered with Okta Verify.
	// +optional
	Registered *bool `json:"registered,omitempty"`

	// managed requires a managed device; it needs registered: true.
	// +optional
	Managed *bool `json:"managed,omitempty"`

	// assurance requires the device to satisfy one of the listed device
	// assurance policies.
	// +optional
	Assurance *AssuranceCondition `json:"assurance,omitempty"`
}

// AssuranceCondition lists device assurance policies.
type AssuranceCondition struct {
	// include lists the device assurance policies, by DeviceAssurancePolicy
	// name in this namespace or by Okta ID.
	// +required
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=50
	Include []DeviceAssuranceReference `json:"include"`
}

// DeviceAssuranceReference is exactly one of a DeviceAssurancePolicy name or
// an Okta device assurance policy ID.
// +kubebuilder:validation:XValidation:rule="has(self.name) != has(self.id)",message="each assurance.include item needs exactly one of name or id"
type DeviceAssuranceReference struct {
	// name is a DeviceAssurancePolicy in this namespace; the rule uses its
	// Okta ID once it has one.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name,omitempty"`

	// id is the Okta ID of a device assurance policy not managed here.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9]+$`
	ID string `json:"id,omitempty"`
}

// OktaID is the ID of an Okta object (user, group, zone, user type).
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=64
// +kubebuilder:validation:Pattern=`^[A-Za-z0-9_]+$`
type OktaID string

// IncludeExcludeIDs includes and excludes Okta objects by ID.
type IncludeExcludeIDs struct {
	// include lists the IDs the rule applies to.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=100
	Include []OktaID `json:"include,omitempty"`

	// exclude lists the IDs the rule does not apply to.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=100
	Exclude []OktaID `json:"exclude,omitempty"`
}

// PeopleCondition limits a rule to users and groups.
type PeopleCondition struct {
	// users by ID (00u…).
	// +optional
	Users *IncludeExcludeIDs `json:"users,omitempty"`

	// groups by ID (00g…).
	// +optional
	Groups *IncludeExcludeIDs `json:"groups,omitempty"`
}

// NetworkConnection is where a sign-in comes from.
// +kubebuilder:validation:Enum=ANYWHERE;ZONE
type NetworkConnection string

// NetworkCondition limits a rule to network zones.
// +kubebuilder:validation:XValidation:rule="self.connection == 'ZONE' || (!has(self.include) && !has(self.exclude))",message="conditions.network.include and exclude need connection: ZONE"
// +kubebuilder:validation:XValidation:rule="self.connection != 'ZONE' || has(self.include) || has(self.exclude)",message="conditions.network with connection: ZONE needs include or exclude"
type NetworkCondition struct {
	// connection is ANYWHERE or ZONE.
	// +required
	Connection NetworkConnection `json:"connection"`

	// include lists network zone IDs the rule applies to.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=100
	Include []OktaID `json:"include,omitempty"`

	// exclude lists network zone IDs the rule does not apply to.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=100
	Exclude []OktaID `json:"exclude,omitempty"`
}

// PlatformCondition limits a rule to device platforms.
type PlatformCondition struct {
	// include lists the platforms the rule applies to.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	Include []PlatformSelector `json:"include,omitempty"`

	// exclude lists the platforms the rule does not apply to.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	Exclude []PlatformSelector `json:"exclude,omitempty"`
}

// PlatformSelector selects a device platform.
type PlatformSelector struct {
	// type is ANY, DESKTOP, MOBILE or OTHER.
	// +required
	// +kubebuilder:validation:Enum=ANY;DESKTOP;MOBILE;OTHER
	Type string `json:"type"`

	// os narrows the platform to an operating system.
	// +optional
	OS *PlatformOS `json:"os,omitempty"`
}

// PlatformOS selects an operating system.
// +kubebuilder:validation:XValidation:rule="self.type != 'OTHER' || has(self.expression)",message="conditions.platform os.type OTHER needs expression",fieldPath=".expression"
type PlatformOS struct {
	// type is the operating system.
	// +required
	// +kubebuilder:validation:Enum=ANDROID;ANY;CHROMEOS;IOS;MACOS;OTHER;WINDOWS;LINUX
	Type string `json:"type"`

	// expression is an Okta Expression Language expression, for type OTHER.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Expression *string `json:"expression,omitempty"`

	// version constrains the OS version.
	// +optional
	Version *PlatformOSVersion `json:"version,omitempty"`
}

// PlatformOSVersion constrains an OS version.
type PlatformOSVersion struct {
	// matchType is EXPRESSION or SEMVER.
	// +required
	// +kubebuilder:validation:Enum=EXPRESSION;SEMVER
	MatchType string `json:"matchType"`

	// value is the expression or the semantic version.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	Value string `json:"value"`
}

// RiskScoreCondition limits a rule to a risk level.
type RiskScoreCondition struct {
	// level is ANY, LOW, MEDIUM or HIGH.
	// +required
	// +kubebuilder:validation:Enum=ANY;LOW;MEDIUM;HIGH
	Level string `json:"level"`
}

// ELCondition is an Okta Expression Language condition.
type ELCondition struct {
	// condition is the expression, e.g. device.provider.wsc.fireWall == "GOOD".
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	Condition string `json:"condition"`
}

// RuleActions say what happens to a matching sign-in.
type RuleActions struct {
	// appSignOn is the app sign-on action.
	// +required
	AppSignOn AppSignOnAction `json:"appSignOn"`
}

// AppSignOnAction allows or denies access, and how a user must verify.
type AppSignOnAction struct {
	// access is ALLOW or DENY.
	// +required
	// +kubebuilder:validation:Enum=ALLOW;DENY
	Access string `json:"access"`

	// verificationMethod is how users verify: ASSURANCE, AUTH_METHOD_CHAIN
	// or ID_PROOFING.
	// +optional
	VerificationMethod *VerificationMethod `json:"verificationMethod,omitempty"`

	// keepMeSignedIn controls the post-authentication keep-me-signed-in
	// prompt.
	// +optional
	KeepMeSignedIn *KeepMeSignedIn `json:"keepMeSignedIn,omitempty"`
}

// VerificationMethodType is how users verify.
// +kubebuilder:validation:Enum=ASSURANCE;AUTH_METHOD_CHAIN;ID_PROOFING
type VerificationMethodType string

// VerificationMethod is typed by type: ASSURANCE takes factorMode,
// constraints and inactivityPeriod; AUTH_METHOD_CHAIN takes chains; ID_PROOFING
// takes id. Okta silently drops fields of another type, so they are refused.
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

	// constraints: any one of them must be satisfied; within one, every
	// property must be (ASSURANCE).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=10
	Constraints []AccessPolicyConstraints `json:"constraints,omitempty"`

	// chains are authentication method chains, at most five of at most three
	// steps (AUTH_METHOD_CHAIN).
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

// AccessPolicyConstraints are authenticator requirements.
// +kubebuilder:validation:MinProperties=1
type AccessPolicyConstraints struct {
	// knowledge is a knowledge factor (password, security question).
	// +optional
	Knowledge *AuthenticatorConstraint `json:"knowledge,omitempty"`

	// possession is a possession factor (phone, security key, app).
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

	// authenticationMethods are specific authenticators.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	AuthenticationMethods []AuthenticationMethodRef `json:"authenticationMethods,omitempty"`

	// excludedAuthenticationMethods are authenticators that cannot satisfy
	// the constraint.
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
	// authenticationMethods are the authenticators of this step.
	// +required
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10
	AuthenticationMethods []ChainAuthenticationMethod `json:"authenticationMethods"`

	// next is the second step.
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
	// authenticationMethods are the authenticators of this step.
	// +required
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10
	AuthenticationMethods []ChainAuthenticationMethod `json:"authenticationMethods"`

	// next is the third and last step.
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
	// authenticationMethods are the authenticators of this step.
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

// ResolvedDeviceAssurance is a device assurance policy a rule refers to by
// name, with the Okta ID the rule uses.
type ResolvedDeviceAssurance struct {
	// name is the DeviceAssurancePolicy.
	// +required
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`

	// id is its Okta ID.
	// +required
	// +kubebuilder:validation:MaxLength=64
	ID string `json:"id"`
}

// SignInRuleBindingStatus is the observed state of the rule.
type SignInRuleBindingStatus struct {
	// policyID is the Okta ID of the app sign-in policy.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	PolicyID string `json:"policyID,omitempty"`

	// ruleID is the Okta ID of the rule.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	RuleID string `json:"ruleID,omitempty"`

	// priority is the priority Okta reports for the rule.
	// +optional
	Priority *int32 `json:"priority,omitempty"`

	// deviceAssurances are the Okta IDs of the policies named in the rule.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=50
	DeviceAssurances []ResolvedDeviceAssurance `json:"deviceAssurances,omitempty"`

	// observedGeneration is the metadata.generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions are Ready, Reconciling, Stalled and DependenciesReady.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// adopted is true when the rule existed before this object took it over.
	// +optional
	Adopted bool `json:"adopted,omitempty"`

	// pendingCreate is set while a create is in flight.
	// +optional
	PendingCreate *PendingCreate `json:"pendingCreate,omitempty"`

	// lastSyncTime is when the controller last confirmed that the rule
	// matches the spec.
	// +optional
	LastSyncTime *metav1.Time `json:"lastSyncTime,omitempty"`

	// lastOutOfBandChange is the latest change of the Okta object that the
	// org's System Log attributes to someone other than this operator.
	// +optional
	LastOutOfBandChange *OutOfBandChange `json:"lastOutOfBandChange,omitempty"`
}

// SignInRuleBinding is a rule of an Okta app sign-in policy managed from
// Kubernetes, typically one that requires device assurance.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=sirb,categories=okta
// +kubebuilder:printcolumn:name="Policy",type=string,JSONPath=`.status.policyID`
// +kubebuilder:printcolumn:name="Rule ID",type=string,JSONPath=`.status.ruleID`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type SignInRuleBinding struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the desired rule.
	// +required
	Spec SignInRuleBindingSpec `json:"spec"`

	// status is the observed state of the rule.
	// +optional
	Status SignInRuleBindingStatus `json:"status,omitempty"`
}

// SignInRuleBindingList is a list of SignInRuleBinding.
//
// +kubebuilder:object:root=true
type SignInRuleBindingList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []SignInRuleBinding `json:"items"`
}

func init() {
	knownTypes = append(knownTypes, &SignInRuleBinding{}, &SignInRuleBindingList{})
}
