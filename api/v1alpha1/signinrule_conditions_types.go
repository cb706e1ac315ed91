package v1alpha1

// RuleConditions select the sign-ins a rule applies to: Okta's rule
// conditions object.
type RuleConditions struct {
	// device requires device state (Okta's conditions.device): a device
	// registered with Okta Verify (registered), a managed device (managed,
	// which needs registered: true), and a device that satisfies one of a
	// list of device assurance policies (assurance).
	// +optional
	Device *DeviceCondition `json:"device,omitempty"`

	// people limits the rule to users and groups (Okta's conditions.people):
	// users and groups, each by Okta ID, that the rule includes or excludes.
	// +optional
	People *PeopleCondition `json:"people,omitempty"`

	// network limits the rule to where the sign-in comes from (Okta's
	// conditions.network): connection ANYWHERE, or ZONE with the network
	// zone IDs to include and/or exclude.
	// +optional
	Network *NetworkCondition `json:"network,omitempty"`

	// platform limits the rule to device platforms (Okta's
	// conditions.platform): the platforms to include and to exclude, each a
	// type (ANY, DESKTOP, MOBILE or OTHER) that os may narrow to an operating
	// system and version.
	// +optional
	Platform *PlatformCondition `json:"platform,omitempty"`

	// riskScore limits the rule to sign-ins of a risk level (Okta's
	// conditions.riskScore): ANY, LOW, MEDIUM or HIGH.
	// +optional
	RiskScore *RiskScoreCondition `json:"riskScore,omitempty"`

	// userType limits the rule to user types (Okta's conditions.userType):
	// user type IDs that the rule includes or excludes.
	// +optional
	UserType *IncludeExcludeIDs `json:"userType,omitempty"`

	// elCondition is an Okta Expression Language condition the sign-in must
	// meet (Okta's conditions.elCondition), e.g. on device signals:
	// device.provider.wsc.fireWall == "GOOD".
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
	// assurance policies (Okta's conditions.device.assurance.include, a list
	// of policy IDs). Each is named by its DeviceAssurancePolicy object in
	// this namespace, or by Okta ID.
	// +optional
	Assurance *AssuranceCondition `json:"assurance,omitempty"`
}

// AssuranceCondition lists device assurance policies.
type AssuranceCondition struct {
	// include lists the device assurance policies, each exactly one of name
	// (a DeviceAssurancePolicy in this namespace: the binding waits until it
	// has an Okta ID, then sends that ID) or id (the Okta ID, dae…, of a
	// policy not managed here).
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
	// users includes and excludes users by Okta ID (00u…).
	// +optional
	Users *IncludeExcludeIDs `json:"users,omitempty"`

	// groups includes and excludes groups by Okta ID (00g…).
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
	// include lists the platforms the rule applies to: each a type (ANY,
	// DESKTOP, MOBILE or OTHER), optionally narrowed by os to an operating
	// system and version.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	Include []PlatformSelector `json:"include,omitempty"`

	// exclude lists the platforms the rule does not apply to: each a type
	// (ANY, DESKTOP, MOBILE or OTHER), optionally narrowed by os to an
	// operating system and version.
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

	// os narrows the platform to an operating system: its type, an Okta
	// Expression Language expression for type OTHER, and optionally a
	// version constraint.
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

	// version constrains the operating system version: value is a
	// semantic version (matchType SEMVER) or an expression (matchType
	// EXPRESSION).
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
