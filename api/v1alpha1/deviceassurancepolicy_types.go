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

// DeviceAssurancePolicySpec is an Okta device assurance policy. Apart from
// orgRef and deletionPolicy its fields mirror the JSON body of
// POST /api/v1/device-assurances, so a request body from Okta's documentation
// translates line by line into YAML.
//
// Which properties a platform supports follows Okta's per-platform schemas;
// setting a property on a platform that does not have it is refused.
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
	// orgRef names the OktaOrg or ClusterOktaOrg this policy lives in. When
	// omitted, the ClusterOktaOrg named "default" is used. It cannot change
	// once set.
	// +optional
	OrgRef *OrgReference `json:"orgRef,omitempty"`

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

	// osVersion is the OS version requirement: a static minimum, or (not on
	// WINDOWS) a dynamic requirement relative to the latest release.
	// Not supported on CHROMEOS.
	// +optional
	OSVersion *OSVersion `json:"osVersion,omitempty"`

	// osVersionConstraints are the WINDOWS version requirements, at most one
	// for each major version (WINDOWS_11, WINDOWS_10). A major version without
	// a requirement is allowed. WINDOWS only.
	// +optional
	// +listType=map
	// +listMapKey=majorVersionConstraint
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=2
	OSVersionConstraints []OSVersionConstraint `json:"osVersionConstraints,omitempty"`

	// diskEncryptionType lists the accepted disk encryption types: FULL or
	// USER on ANDROID, ALL_INTERNAL_VOLUMES on MACOS and WINDOWS.
	// +optional
	DiskEncryptionType *DiskEncryptionTypeCondition `json:"diskEncryptionType,omitempty"`

	// screenLockType lists the accepted screen lock types. Not supported on
	// CHROMEOS.
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

	// thirdPartySignalProviders are conditions evaluated from third-party
	// signals: Chrome Device Trust (dtc), a device posture IdP, and Android
	// Device Trust.
	// +optional
	ThirdPartySignalProviders *ThirdPartySignalProviders `json:"thirdPartySignalProviders,omitempty"`

	// callerContext constrains the calling application. ANDROID only.
	// +optional
	CallerContext *CallerContext `json:"callerContext,omitempty"`

	// gracePeriod is a window during which non-compliant devices may still
	// sign in, to give users time to remediate.
	// +optional
	GracePeriod *GracePeriod `json:"gracePeriod,omitempty"`

	// displayRemediationMode is SHOW to display remediation instructions in
	// the Sign-In Widget to users whose device is not compliant. Okta treats
	// an unset mode as HIDE.
	// +optional
	DisplayRemediationMode RemediationMode `json:"displayRemediationMode,omitempty"`

	// devicePostureChecks are advanced (osquery) posture checks the device
	// must pass. MACOS and WINDOWS only.
	// +optional
	DevicePostureChecks *DevicePostureChecks `json:"devicePostureChecks,omitempty"`

	// deletionPolicy says what happens to the Okta policy when this object is
	// deleted: Delete removes it from the org, Orphan leaves it. Defaults to
	// Delete, or to Orphan for a policy that was adopted rather than created.
	// +optional
	DeletionPolicy DeletionPolicy `json:"deletionPolicy,omitempty"`

	// suspend, when true, stops every Okta call for this object: the policy in
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

	// adopt takes over a policy that already exists in the org instead of
	// creating one. Without it, an existing policy with the same name and
	// platform is reported as a NameConflict and left untouched.
	// +optional
	Adopt *Adoption `json:"adopt,omitempty"`
}

// Adoption names an existing Okta policy to take over: by ID, or by its name
// and platform.
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

// PendingCreate records a create that was sent to Okta but whose result was
// not yet recorded, so that a later pass adopts the created policy instead of
// creating a second one.
type PendingCreate struct {
	// name is the display name the policy was created with.
	// +required
	// +kubebuilder:validation:MaxLength=255
	Name string `json:"name"`

	// requestedAt is when the create was sent.
	// +required
	RequestedAt metav1.Time `json:"requestedAt"`
}

// DeviceAssurancePolicyStatus is the observed state of the Okta policy.
type DeviceAssurancePolicyStatus struct {
	// id is the Okta ID of the policy (dae…).
	// +optional
	// +kubebuilder:validation:MaxLength=64
	ID string `json:"id,omitempty"`

	// observedGeneration is the metadata.generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions are Ready, Reconciling and Stalled, as kstatus reads them.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// createdDate is when Okta created the policy.
	// +optional
	CreatedDate *metav1.Time `json:"createdDate,omitempty"`

	// createdBy is the Okta ID of the user or client that created the policy.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	CreatedBy string `json:"createdBy,omitempty"`

	// lastUpdate is when Okta last changed the policy.
	// +optional
	LastUpdate *metav1.Time `json:"lastUpdate,omitempty"`

	// lastUpdatedBy is the Okta ID of the user or client that last changed the
	// policy.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	LastUpdatedBy string `json:"lastUpdatedBy,omitempty"`

	// adopted is true when the policy existed before this object took it
	// over; such a policy is orphaned on deletion unless deletionPolicy says
	// Delete.
	// +optional
	Adopted bool `json:"adopted,omitempty"`

	// pendingCreate is set while a create is in flight (see PendingCreate).
	// +optional
	PendingCreate *PendingCreate `json:"pendingCreate,omitempty"`

	// lastSyncTime is when the controller last confirmed that the org matches
	// the spec.
	// +optional
	LastSyncTime *metav1.Time `json:"lastSyncTime,omitempty"`

	// lastOutOfBandChange is the latest change of the Okta object that the
	// org's System Log attributes to someone other than this operator.
	// +optional
	LastOutOfBandChange *OutOfBandChange `json:"lastOutOfBandChange,omitempty"`
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

	// spec is the desired Okta policy.
	// +required
	Spec DeviceAssurancePolicySpec `json:"spec"`

	// status is the observed state of the Okta policy.
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
