package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Platform is the device platform a device assurance policy applies to.
// +kubebuilder:validation:Enum=ANDROID;CHROMEOS;IOS;MACOS;WINDOWS
type Platform string

// The five platforms Okta supports.
const (
	PlatformAndroid  Platform = "ANDROID"
	PlatformChromeOS Platform = "CHROMEOS"
	PlatformIOS      Platform = "IOS"
	PlatformMacOS    Platform = "MACOS"
	PlatformWindows  Platform = "WINDOWS"
)

// RemediationMode says whether the Sign-In Widget shows remediation
// instructions to users whose device is not compliant.
// +kubebuilder:validation:Enum=HIDE;SHOW
type RemediationMode string

// Remediation modes; Okta treats a missing mode as HIDE.
const (
	RemediationModeHide RemediationMode = "HIDE"
	RemediationModeShow RemediationMode = "SHOW"
)

// DeviceAssurancePolicySpec is the desired state of a DeviceAssurancePolicy:
// an Okta device assurance policy, whose fields mirror the JSON body of
// POST /api/v1/device-assurances. The user-facing documentation is on
// DeviceAssurancePolicy.Spec.
//
// +kubebuilder:validation:XValidation:rule="has(oldSelf.orgRef) == has(self.orgRef) && (!has(self.orgRef) || oldSelf.orgRef == self.orgRef)",message="orgRef is immutable: create a new object to manage a policy in another org",fieldPath=".orgRef"
// +kubebuilder:validation:XValidation:rule="!has(self.osVersion) || self.platform != 'CHROMEOS'",message="osVersion is not supported on CHROMEOS; use thirdPartySignalProviders.dtc.osVersion",fieldPath=".osVersion"
// +kubebuilder:validation:XValidation:rule="!has(self.osVersion) || self.platform != 'WINDOWS' || !has(self.osVersion.dynamicVersionRequirement)",message="osVersion.dynamicVersionRequirement is not supported on WINDOWS; use osVersionConstraints for dynamic Windows 10 and 11 requirements",fieldPath=".osVersion.dynamicVersionRequirement"
// +kubebuilder:validation:XValidation:rule="!has(self.osVersion) || !has(self.osVersion.minimum) || self.platform == 'ANDROID' || self.platform == 'WINDOWS' || self.osVersion.minimum.matches('^[0-9]+([.][0-9]+){0,2}$')",message="osVersion.minimum on IOS and MACOS has at most three numeric parts, e.g. 17.4.1",fieldPath=".osVersion.minimum"
// +kubebuilder:validation:XValidation:rule="!has(self.osVersionConstraints) || self.platform == 'WINDOWS'",message="osVersionConstraints is only supported on WINDOWS",fieldPath=".osVersionConstraints"
// +kubebuilder:validation:XValidation:rule="!has(self.osVersion) || !has(self.osVersionConstraints)",message="osVersion and osVersionConstraints cannot both be set; express Windows requirements in osVersionConstraints",fieldPath=".osVersionConstraints"
// +kubebuilder:validation:XValidation:rule="!has(self.diskEncryptionType) || self.platform in ['ANDROID', 'MACOS', 'WINDOWS']",message="diskEncryptionType is only supported on ANDROID, MACOS and WINDOWS",fieldPath=".diskEncryptionType"
// +kubebuilder:validation:XValidation:rule="!has(self.diskEncryptionType) || self.platform != 'ANDROID' || self.diskEncryptionType.include.all(t, t in ['FULL', 'USER'])",message="diskEncryptionType.include on ANDROID accepts FULL and USER",fieldPath=".diskEncryptionType.include"
// +kubebuilder:validation:XValidation:rule="!has(self.diskEncryptionType) || !(self.platform in ['MACOS', 'WINDOWS']) || self.diskEncryptionType.include.all(t, t == 'ALL_INTERNAL_VOLUMES')",message="diskEncryptionType.include on MACOS and WINDOWS accepts ALL_INTERNAL_VOLUMES",fieldPath=".diskEncryptionType.include"
// +kubebuilder:validation:XValidation:rule="!has(self.screenLockType) || self.platform != 'CHROMEOS'",message="screenLockType is not supported on CHROMEOS",fieldPath=".screenLockType"
// +kubebuilder:validation:XValidation:rule="!has(self.jailbreak) || self.platform in ['ANDROID', 'IOS']",message="jailbreak is only supported on ANDROID and IOS",fieldPath=".jailbreak"
// +kubebuilder:validation:XValidation:rule="!has(self.secureHardwarePresent) || self.platform in ['ANDROID', 'MACOS', 'WINDOWS']",message="secureHardwarePresent is only supported on ANDROID, MACOS and WINDOWS",fieldPath=".secureHardwarePresent"
// +kubebuilder:validation:XValidation:rule="!has(self.callerContext) || self.platform == 'ANDROID'",message="callerContext is only supported on ANDROID",fieldPath=".callerContext"
// +kubebuilder:validation:XValidation:rule="!has(self.devicePostureChecks) || self.platform in ['MACOS', 'WINDOWS']",message="devicePostureChecks is only supported on MACOS and WINDOWS",fieldPath=".devicePostureChecks"
// +kubebuilder:validation:XValidation:rule="self.platform != 'CHROMEOS' || (has(self.thirdPartySignalProviders) && (has(self.thirdPartySignalProviders.dtc) || has(self.thirdPartySignalProviders.devicePostureIdP)))",message="a CHROMEOS policy needs at least one condition in thirdPartySignalProviders.dtc or thirdPartySignalProviders.devicePostureIdP",fieldPath=".thirdPartySignalProviders"
// +kubebuilder:validation:XValidation:rule="!has(self.thirdPartySignalProviders) || !has(self.thirdPartySignalProviders.dtc) || self.platform in ['CHROMEOS', 'MACOS', 'WINDOWS']",message="thirdPartySignalProviders.dtc (Chrome Device Trust) is only supported on CHROMEOS, MACOS and WINDOWS",fieldPath=".thirdPartySignalProviders.dtc"
// +kubebuilder:validation:XValidation:rule="!has(self.thirdPartySignalProviders) || !has(self.thirdPartySignalProviders.androidDeviceTrust) || self.platform == 'ANDROID'",message="thirdPartySignalProviders.androidDeviceTrust is only supported on ANDROID",fieldPath=".thirdPartySignalProviders.androidDeviceTrust"
// +kubebuilder:validation:XValidation:rule="!has(self.thirdPartySignalProviders) || !has(self.thirdPartySignalProviders.androidDeviceTrust) || !has(self.thirdPartySignalProviders.androidDeviceTrust.screenLockComplexity) || has(self.screenLockType)",message="thirdPartySignalProviders.androidDeviceTrust.screenLockComplexity requires screenLockType.include",fieldPath=".thirdPartySignalProviders.androidDeviceTrust.screenLockComplexity"
// +kubebuilder:validation:XValidation:rule="!has(self.thirdPartySignalProviders) || !has(self.thirdPartySignalProviders.androidDeviceTrust) || !has(self.thirdPartySignalProviders.androidDeviceTrust.requireMajorVersionUpdate) || !self.thirdPartySignalProviders.androidDeviceTrust.requireMajorVersionUpdate || (has(self.osVersion) && has(self.osVersion.dynamicVersionRequirement) && self.osVersion.dynamicVersionRequirement.type in ['MINIMUM', 'EXACT'])",message="thirdPartySignalProviders.androidDeviceTrust.requireMajorVersionUpdate requires osVersion.dynamicVersionRequirement with type MINIMUM or EXACT",fieldPath=".thirdPartySignalProviders.androidDeviceTrust.requireMajorVersionUpdate"
// +kubebuilder:validation:XValidation:rule="!has(self.thirdPartySignalProviders) || !has(self.thirdPartySignalProviders.dtc) || self.platform == 'CHROMEOS' || (!has(self.thirdPartySignalProviders.dtc.allowScreenLock) && !has(self.thirdPartySignalProviders.dtc.managedDevice))",message="thirdPartySignalProviders.dtc.allowScreenLock and managedDevice are only supported on CHROMEOS",fieldPath=".thirdPartySignalProviders.dtc"
// +kubebuilder:validation:XValidation:rule="!has(self.thirdPartySignalProviders) || !has(self.thirdPartySignalProviders.dtc) || self.platform == 'WINDOWS' || (!has(self.thirdPartySignalProviders.dtc.antivirusEnabled) && !has(self.thirdPartySignalProviders.dtc.secureBootEnabled) && !has(self.thirdPartySignalProviders.dtc.thirdPartyBlockingEnabled) && !has(self.thirdPartySignalProviders.dtc.crowdStrikeAgentId) && !has(self.thirdPartySignalProviders.dtc.crowdStrikeCustomerId) && !has(self.thirdPartySignalProviders.dtc.windowsMachineDomain) && !has(self.thirdPartySignalProviders.dtc.windowsUserDomain))",message="thirdPartySignalProviders.dtc.antivirusEnabled, secureBootEnabled, thirdPartyBlockingEnabled, crowdStrikeAgentId, crowdStrikeCustomerId, windowsMachineDomain and windowsUserDomain are only supported on WINDOWS",fieldPath=".thirdPartySignalProviders.dtc"
// +kubebuilder:validation:XValidation:rule="!has(self.thirdPartySignalProviders) || !has(self.thirdPartySignalProviders.dtc) || !has(self.thirdPartySignalProviders.dtc.keyTrustLevel) || (self.platform == 'CHROMEOS') == self.thirdPartySignalProviders.dtc.keyTrustLevel.startsWith('CHROME_OS_')",message="thirdPartySignalProviders.dtc.keyTrustLevel is CHROME_OS_DEVELOPER_MODE or CHROME_OS_VERIFIED_MODE on CHROMEOS, and CHROME_BROWSER_HW_KEY or CHROME_BROWSER_OS_KEY on MACOS and WINDOWS",fieldPath=".thirdPartySignalProviders.dtc.keyTrustLevel"
// +kubebuilder:validation:XValidation:rule="!has(self.thirdPartySignalProviders) || !has(self.thirdPartySignalProviders.dtc) || !has(self.thirdPartySignalProviders.dtc.osVersion) || self.platform != 'MACOS' || self.thirdPartySignalProviders.dtc.osVersion.minimum.matches('^[0-9]+([.][0-9]+){0,2}$')",message="thirdPartySignalProviders.dtc.osVersion.minimum on MACOS has at most three numeric parts, e.g. 14.4.1",fieldPath=".thirdPartySignalProviders.dtc.osVersion.minimum"
type DeviceAssurancePolicySpec struct {
	ManagedSpec `json:",inline"`

	// name is the policy's display name in Okta. When empty, metadata.name is
	// used.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	Name string `json:"name,omitempty"`

	// platform is the device platform the policy applies to. It cannot change.
	// +required
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="platform is immutable: create a new policy for another platform"
	Platform Platform `json:"platform"`

	// osVersion is the OS version requirement: exactly one of a static
	// minimum, or (not on WINDOWS) a dynamicVersionRequirement relative to
	// the latest release, which Okta keeps current as releases ship. Not
	// supported on CHROMEOS (use thirdPartySignalProviders.dtc.osVersion);
	// for dynamic WINDOWS requirements use osVersionConstraints.
	// +optional
	OSVersion *OSVersion `json:"osVersion,omitempty"`

	// osVersionConstraints are the WINDOWS version requirements, at most one
	// for each major version (majorVersionConstraint WINDOWS_11, or
	// WINDOWS_10 for Windows 10 and older), each exactly one of a static
	// minimum or a dynamicVersionRequirement, whose type also accepts
	// NOT_ALLOWED to refuse that major version. A major version without a
	// requirement is allowed. WINDOWS only; cannot be combined with
	// osVersion.
	// +optional
	// +listType=map
	// +listMapKey=majorVersionConstraint
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=2
	OSVersionConstraints []OSVersionConstraint `json:"osVersionConstraints,omitempty"`

	// diskEncryptionType lists in include the accepted disk encryption
	// types, which Okta compares as a set: FULL or USER on ANDROID,
	// ALL_INTERNAL_VOLUMES on MACOS and WINDOWS. ANDROID, MACOS and WINDOWS
	// only.
	// +optional
	DiskEncryptionType *DiskEncryptionTypeCondition `json:"diskEncryptionType,omitempty"`

	// screenLockType lists in include the accepted screen lock types
	// (BIOMETRIC, NONE, PASSCODE), which Okta compares as a set. Not
	// supported on CHROMEOS.
	// +optional
	ScreenLockType *ScreenLockTypeCondition `json:"screenLockType,omitempty"`

	// jailbreak, when false, refuses jailbroken or rooted devices. ANDROID and
	// IOS only.
	// +optional
	Jailbreak *bool `json:"jailbreak,omitempty"`

	// secureHardwarePresent requires a secure hardware element (TPM, Secure
	// Enclave). ANDROID, MACOS and WINDOWS only.
	// +optional
	SecureHardwarePresent *bool `json:"secureHardwarePresent,omitempty"`

	// thirdPartySignalProviders are conditions evaluated from the signals of
	// third-party integrations: Google Chrome Device Trust Connector (dtc;
	// CHROMEOS, MACOS and WINDOWS), a device posture identity provider
	// (devicePostureIdP), and Android Device Trust (androidDeviceTrust;
	// ANDROID). At least one must be set, and a CHROMEOS policy needs a dtc
	// or devicePostureIdP condition.
	// +optional
	ThirdPartySignalProviders *ThirdPartySignalProviders `json:"thirdPartySignalProviders,omitempty"`

	// callerContext constrains the application that asks for access:
	// managedApp: true requires the calling app to be managed, and the rule
	// that uses the policy must then require registered and managed devices.
	// ANDROID only.
	// +optional
	CallerContext *CallerContext `json:"callerContext,omitempty"`

	// gracePeriod is a window during which non-compliant devices may still
	// sign in, to give users time to remediate: until a date-time (type
	// BY_DATE_TIME) or for a duration (type BY_DURATION), given in expiry.
	// +optional
	GracePeriod *GracePeriod `json:"gracePeriod,omitempty"`

	// displayRemediationMode is SHOW to display remediation instructions in
	// the Sign-In Widget to users whose device is not compliant. Okta treats
	// an unset mode as HIDE.
	// +optional
	DisplayRemediationMode RemediationMode `json:"displayRemediationMode,omitempty"`

	// devicePostureChecks are advanced (osquery) posture checks the device
	// must pass, listed in include with the value each must return: a
	// DevicePostureCheck of this namespace by checkRef, or any check of the
	// org by variableName. MACOS and WINDOWS only.
	// +optional
	DevicePostureChecks *DevicePostureChecks `json:"devicePostureChecks,omitempty"`

	// adopt takes over a device assurance policy that already exists in the
	// org instead of creating one: by its Okta ID (id), or by name and
	// platform (byName: true matches spec.name, or metadata.name, and
	// platform). Without it, an existing policy with the same name and
	// platform is reported as a NameConflict and left untouched. The adopted
	// policy is then replaced by the spec in one PUT, so copy its settings
	// into the spec first; it defaults to deletionPolicy Orphan.
	// +optional
	Adopt *Adoption `json:"adopt,omitempty"`
}

// Adoption names an existing Okta device assurance policy to take over: by
// ID, or by its name and platform.
// +kubebuilder:validation:XValidation:rule="has(self.id) != (has(self.byName) && self.byName)",message="adopt needs exactly one of id or byName: true"
type Adoption struct {
	// id is the Okta ID of the policy to adopt, e.g. dae3m8o4rWhwReDeM1c5.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9]+$`
	ID string `json:"id,omitempty"`

	// byName adopts the policy whose name (spec.name, or metadata.name) and
	// platform match this object's.
	// +optional
	ByName bool `json:"byName,omitempty"`
}

// DeviceAssurancePolicyStatus is the observed state of the Okta policy.
type DeviceAssurancePolicyStatus struct {
	// id is the Okta ID of the policy (dae…).
	// +optional
	// +kubebuilder:validation:MaxLength=64
	ID string `json:"id,omitempty"`

	ManagedStatus `json:",inline"`

	OktaAudit `json:",inline"`

	// adopted is true when the policy existed before this object took it
	// over; such a policy is orphaned on deletion unless deletionPolicy says
	// Delete.
	// +optional
	Adopted bool `json:"adopted,omitempty"`
}

// DeviceAssurancePolicy is an Okta device assurance policy managed from
// Kubernetes.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=dap,categories=okta
// +kubebuilder:printcolumn:name="Platform",type=string,JSONPath=`.spec.platform`
// +kubebuilder:printcolumn:name="Okta ID",type=string,JSONPath=`.status.id`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type DeviceAssurancePolicy struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is an Okta device assurance policy. Apart from orgRef,
	// deletionPolicy, suspend, driftPolicy and adopt, its fields mirror the
	// JSON body of POST /api/v1/device-assurances, so a request body from
	// Okta's documentation translates line by line into YAML. Okta's PUT
	// replaces the whole policy: a field removed from the spec is removed in
	// Okta.
	//
	// Which properties a platform supports follows Okta's per-platform
	// schemas; setting a property on a platform that does not have it is
	// refused, with a message naming the field. A policy does nothing on its
	// own: Okta evaluates it when an app sign-in policy rule (a
	// SignInRuleBinding) includes it.
	// +required
	Spec DeviceAssurancePolicySpec `json:"spec"`

	// status is the observed state of the Okta policy: its Okta ID, who
	// created and last changed it and when, whether it was adopted, and the
	// kstatus conditions (Ready, Reconciling, Stalled, DependenciesReady,
	// Drifted).
	// +optional
	Status DeviceAssurancePolicyStatus `json:"status,omitempty"`
}

// DeviceAssurancePolicyList is a list of DeviceAssurancePolicy.
//
// +kubebuilder:object:root=true
type DeviceAssurancePolicyList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []DeviceAssurancePolicy `json:"items"`
}

func init() {
	knownTypes = append(knownTypes, &DeviceAssurancePolicy{}, &DeviceAssurancePolicyList{})
}
