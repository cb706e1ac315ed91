package v1alpha1

// OSVersion is an OS version requirement: exactly one of a static minimum or
// a dynamic requirement that follows Okta's view of the latest release.
// +kubebuilder:validation:XValidation:rule="has(self.minimum) != has(self.dynamicVersionRequirement)",message="osVersion needs exactly one of minimum or dynamicVersionRequirement"
type OSVersion struct {
	// minimum is the lowest accepted OS version, a dotted version of up to
	// four numeric parts (three on IOS and MACOS), e.g. 17.4.1.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.matches('^[0-9]+([.][0-9]+){0,3}$')",message="minimum must be a dotted version of up to four numeric parts, e.g. 14.4 or 10.0.22631.3155"
	Minimum string `json:"minimum,omitempty"`

	// dynamicVersionRequirement is a requirement relative to the latest major
	// release and security patch, which Okta determines and keeps current as
	// releases ship: type says how the device's version compares with the
	// determined one, distanceFromLatestMajor how many major versions behind
	// the latest it is, and latestSecurityPatch whether its latest security
	// patch is required. Not on WINDOWS: use osVersionConstraints there.
	// +optional
	DynamicVersionRequirement *DynamicVersionRequirement `json:"dynamicVersionRequirement,omitempty"`
}

// DynamicVersionType is how a device's OS version is compared with the
// version Okta determines dynamically.
// +kubebuilder:validation:Enum=MINIMUM;EXACT;EXACT_ANY_SUPPORTED
type DynamicVersionType string

// Dynamic version requirement types.
const (
	// DynamicVersionMinimum: at least the determined version.
	DynamicVersionMinimum DynamicVersionType = "MINIMUM"
	// DynamicVersionExact: on the same major version as the determined one.
	DynamicVersionExact DynamicVersionType = "EXACT"
	// DynamicVersionExactAnySupported: on any supported major version.
	DynamicVersionExactAnySupported DynamicVersionType = "EXACT_ANY_SUPPORTED"
)

// DynamicVersionRequirement is an OS version requirement that Okta keeps up
// to date with the latest releases and security patches.
// +kubebuilder:validation:XValidation:rule="!(self.type in ['MINIMUM', 'EXACT']) || has(self.distanceFromLatestMajor)",message="dynamicVersionRequirement.distanceFromLatestMajor is required when type is MINIMUM or EXACT",fieldPath=".distanceFromLatestMajor"
// +kubebuilder:validation:XValidation:rule="self.type != 'EXACT_ANY_SUPPORTED' || !has(self.distanceFromLatestMajor)",message="dynamicVersionRequirement.distanceFromLatestMajor must not be set when type is EXACT_ANY_SUPPORTED",fieldPath=".distanceFromLatestMajor"
type DynamicVersionRequirement struct {
	// type is MINIMUM (at least the determined version), EXACT (on the same
	// major version) or EXACT_ANY_SUPPORTED (on any supported major version).
	// +required
	Type DynamicVersionType `json:"type"`

	// distanceFromLatestMajor is how many major versions behind the latest
	// the determined version is: 0 or 1. Required for MINIMUM and EXACT,
	// forbidden for EXACT_ANY_SUPPORTED.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=1
	DistanceFromLatestMajor *int32 `json:"distanceFromLatestMajor,omitempty"`

	// latestSecurityPatch requires the latest security patch of the
	// determined version.
	// +optional
	LatestSecurityPatch *bool `json:"latestSecurityPatch,omitempty"`
}

// WindowsMajorVersion is a Windows major version an OS version constraint
// applies to.
// +kubebuilder:validation:Enum=WINDOWS_11;WINDOWS_10
type WindowsMajorVersion string

// Windows major versions.
const (
	WindowsMajorVersion11 WindowsMajorVersion = "WINDOWS_11"
	// WindowsMajorVersion10 covers Windows 10 and older versions.
	WindowsMajorVersion10 WindowsMajorVersion = "WINDOWS_10"
)

// OSVersionConstraint is a Windows version requirement for one major version:
// exactly one of a static minimum or a dynamic requirement.
// +kubebuilder:validation:XValidation:rule="has(self.minimum) != has(self.dynamicVersionRequirement)",message="each osVersionConstraints item needs exactly one of minimum or dynamicVersionRequirement"
type OSVersionConstraint struct {
	// majorVersionConstraint is the Windows major version this requirement
	// applies to: WINDOWS_11, or WINDOWS_10 (Windows 10 and older).
	// +required
	MajorVersionConstraint WindowsMajorVersion `json:"majorVersionConstraint"`

	// minimum is the lowest accepted Windows version, a dotted version of up
	// to four numeric parts, e.g. 10.0.22631.3155.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.matches('^[0-9]+([.][0-9]+){0,3}$')",message="minimum must be a dotted version of up to four numeric parts, e.g. 10.0.22631.3155"
	Minimum string `json:"minimum,omitempty"`

	// dynamicVersionRequirement is a requirement relative to the latest
	// Windows release, which Okta determines and keeps current as releases
	// ship: type (MINIMUM, EXACT or EXACT_ANY_SUPPORTED),
	// distanceFromLatestMajor and latestSecurityPatch as in
	// osVersion.dynamicVersionRequirement, or type NOT_ALLOWED to refuse
	// devices on this major version.
	// +optional
	DynamicVersionRequirement *WindowsDynamicVersionRequirement `json:"dynamicVersionRequirement,omitempty"`
}

// WindowsDynamicVersionType is DynamicVersionType plus NOT_ALLOWED, which
// only Windows OS version constraints accept.
// +kubebuilder:validation:Enum=MINIMUM;EXACT;EXACT_ANY_SUPPORTED;NOT_ALLOWED
type WindowsDynamicVersionType string

// WindowsDynamicVersionNotAllowed refuses devices on the constraint's major
// version.
const WindowsDynamicVersionNotAllowed WindowsDynamicVersionType = "NOT_ALLOWED"

// WindowsDynamicVersionRequirement is a dynamic Windows version requirement.
// +kubebuilder:validation:XValidation:rule="!(self.type in ['MINIMUM', 'EXACT']) || has(self.distanceFromLatestMajor)",message="dynamicVersionRequirement.distanceFromLatestMajor is required when type is MINIMUM or EXACT",fieldPath=".distanceFromLatestMajor"
// +kubebuilder:validation:XValidation:rule="!(self.type in ['EXACT_ANY_SUPPORTED', 'NOT_ALLOWED']) || !has(self.distanceFromLatestMajor)",message="dynamicVersionRequirement.distanceFromLatestMajor must not be set when type is EXACT_ANY_SUPPORTED or NOT_ALLOWED",fieldPath=".distanceFromLatestMajor"
// +kubebuilder:validation:XValidation:rule="self.type != 'NOT_ALLOWED' || !has(self.latestSecurityPatch)",message="dynamicVersionRequirement.latestSecurityPatch must not be set when type is NOT_ALLOWED",fieldPath=".latestSecurityPatch"
type WindowsDynamicVersionRequirement struct {
	// type is MINIMUM, EXACT, EXACT_ANY_SUPPORTED, or NOT_ALLOWED to refuse
	// devices on this major version.
	// +required
	Type WindowsDynamicVersionType `json:"type"`

	// distanceFromLatestMajor is how many major versions behind the latest
	// the determined version is: 0 or 1. Required for MINIMUM and EXACT,
	// forbidden otherwise.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=1
	DistanceFromLatestMajor *int32 `json:"distanceFromLatestMajor,omitempty"`

	// latestSecurityPatch requires the latest security patch. Forbidden for
	// NOT_ALLOWED.
	// +optional
	LatestSecurityPatch *bool `json:"latestSecurityPatch,omitempty"`
}

// DiskEncryptionType is a kind of disk encryption.
// +kubebuilder:validation:Enum=FULL;USER;ALL_INTERNAL_VOLUMES
type DiskEncryptionType string

// Disk encryption types: FULL and USER on ANDROID, ALL_INTERNAL_VOLUMES on
// MACOS and WINDOWS.
const (
	DiskEncryptionFull               DiskEncryptionType = "FULL"
	DiskEncryptionUser               DiskEncryptionType = "USER"
	DiskEncryptionAllInternalVolumes DiskEncryptionType = "ALL_INTERNAL_VOLUMES"
)

// DiskEncryptionTypeCondition lists the accepted disk encryption types.
type DiskEncryptionTypeCondition struct {
	// include lists the accepted disk encryption types; Okta compares it as a
	// set.
	// +required
	// +listType=set
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=3
	Include []DiskEncryptionType `json:"include"`
}

// ScreenLockType is a kind of screen lock.
// +kubebuilder:validation:Enum=BIOMETRIC;NONE;PASSCODE
type ScreenLockType string

// Screen lock types.
const (
	ScreenLockBiometric ScreenLockType = "BIOMETRIC"
	ScreenLockNone      ScreenLockType = "NONE"
	ScreenLockPasscode  ScreenLockType = "PASSCODE"
)

// ScreenLockTypeCondition lists the accepted screen lock types.
type ScreenLockTypeCondition struct {
	// include lists the accepted screen lock types; Okta compares it as a set.
	// +required
	// +listType=set
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=3
	Include []ScreenLockType `json:"include"`
}

// ThirdPartySignalProviders are conditions on signals from third-party
// integrations.
// +kubebuilder:validation:MinProperties=1
type ThirdPartySignalProviders struct {
	// dtc are Google Chrome Device Trust Connector conditions, on the
	// signals Chrome reports. CHROMEOS, MACOS and WINDOWS only. dtc is the
	// union of Okta's DTCChromeOS, DTCMacOS and DTCWindows objects: a field
	// that the policy's platform lacks is refused (allowScreenLock and
	// managedDevice are CHROMEOS only; antivirusEnabled, secureBootEnabled,
	// thirdPartyBlockingEnabled, crowdStrikeAgentId, crowdStrikeCustomerId,
	// windowsMachineDomain and windowsUserDomain are WINDOWS only). At least
	// one field must be set.
	// +optional
	DTC *ChromeDeviceTrust `json:"dtc,omitempty"`

	// devicePostureIdP are conditions on the signals of a device posture
	// identity provider integration: that it reports the device compliant,
	// managed, or both. At least one field must be set.
	// +optional
	DevicePostureIDP *DevicePostureIDP `json:"devicePostureIdP,omitempty"`

	// androidDeviceTrust are Android Device Trust conditions: Google Play
	// Integrity and Play Protect verdicts, screen lock complexity, and device
	// settings (network proxy, USB debugging, Wi-Fi security, major version
	// updates). ANDROID only. At least one field must be set.
	// +optional
	AndroidDeviceTrust *AndroidDeviceTrust `json:"androidDeviceTrust,omitempty"`
}

// KeyTrustLevel is the trust level of the key Chrome signs its signals with.
// +kubebuilder:validation:Enum=CHROME_OS_DEVELOPER_MODE;CHROME_OS_VERIFIED_MODE;CHROME_BROWSER_HW_KEY;CHROME_BROWSER_OS_KEY
type KeyTrustLevel string

// PasswordProtectionWarningTrigger is when Chrome warns about password reuse.
// +kubebuilder:validation:Enum=PASSWORD_PROTECTION_OFF;PASSWORD_REUSE;PHISHING_REUSE
type PasswordProtectionWarningTrigger string

// SafeBrowsingProtectionLevel is Chrome's Safe Browsing protection level.
// +kubebuilder:validation:Enum=ENHANCED_PROTECTION;NO_SAFE_BROWSING;STANDARD_PROTECTION
type SafeBrowsingProtectionLevel string

// ChromeDeviceTrust are Google Chrome Device Trust Connector conditions. It is
// the union of Okta's DTCChromeOS, DTCMacOS and DTCWindows objects; fields
// that a platform lacks are refused for that platform.
// +kubebuilder:validation:MinProperties=1
type ChromeDeviceTrust struct {
	// allowScreenLock requires the AllowScreenLock enterprise policy. CHROMEOS
	// only.
	// +optional
	AllowScreenLock *bool `json:"allowScreenLock,omitempty"`

	// antivirusEnabled requires antivirus software to be enabled. WINDOWS
	// only.
	// +optional
	AntivirusEnabled *bool `json:"antivirusEnabled,omitempty"`

	// browserVersion is the lowest accepted Chrome version, in minimum, e.g.
	// 120.0.6099.109.
	// +optional
	BrowserVersion *MinimumVersion `json:"browserVersion,omitempty"`

	// builtInDnsClientEnabled requires Chrome's built-in DNS client.
	// +optional
	BuiltInDNSClientEnabled *bool `json:"builtInDnsClientEnabled,omitempty"`

	// chromeRemoteDesktopAppBlocked requires Chrome Remote Desktop to be
	// blocked by policy.
	// +optional
	ChromeRemoteDesktopAppBlocked *bool `json:"chromeRemoteDesktopAppBlocked,omitempty"`

	// crowdStrikeAgentId is the agent ID of the CrowdStrike agent that must be
	// installed. WINDOWS only.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	CrowdStrikeAgentID string `json:"crowdStrikeAgentId,omitempty"`

	// crowdStrikeCustomerId is the customer ID of the CrowdStrike agent that
	// must be installed. WINDOWS only.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	CrowdStrikeCustomerID string `json:"crowdStrikeCustomerId,omitempty"`

	// deviceEnrollmentDomain is the enrollment domain of the customer that
	// must manage the device.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	DeviceEnrollmentDomain string `json:"deviceEnrollmentDomain,omitempty"`

	// diskEncrypted requires the main disk to be encrypted.
	// +optional
	DiskEncrypted *bool `json:"diskEncrypted,omitempty"`

	// keyTrustLevel is the required trust level of Chrome's signing key:
	// CHROME_OS_DEVELOPER_MODE or CHROME_OS_VERIFIED_MODE on CHROMEOS,
	// CHROME_BROWSER_HW_KEY or CHROME_BROWSER_OS_KEY on MACOS and WINDOWS.
	// +optional
	KeyTrustLevel KeyTrustLevel `json:"keyTrustLevel,omitempty"`

	// managedDevice requires the device to be enrolled in ChromeOS device
	// management. CHROMEOS only.
	// +optional
	ManagedDevice *bool `json:"managedDevice,omitempty"`

	// osFirewall requires an OS-level firewall.
	// +optional
	OSFirewall *bool `json:"osFirewall,omitempty"`

	// osVersion is the lowest accepted OS version as Chrome reports it, in
	// minimum (up to four numeric parts, three on MACOS).
	// +optional
	OSVersion *MinimumVersion `json:"osVersion,omitempty"`

	// passwordProtectionWarningTrigger is the required password protection
	// warning setting.
	// +optional
	PasswordProtectionWarningTrigger PasswordProtectionWarningTrigger `json:"passwordProtectionWarningTrigger,omitempty"`

	// realtimeUrlCheckMode requires enterprise-grade real-time URL scanning.
	// +optional
	RealtimeURLCheckMode *bool `json:"realtimeUrlCheckMode,omitempty"`

	// safeBrowsingProtectionLevel is the required Safe Browsing level.
	// +optional
	SafeBrowsingProtectionLevel SafeBrowsingProtectionLevel `json:"safeBrowsingProtectionLevel,omitempty"`

	// screenLockSecured requires the device to be password-protected.
	// +optional
	ScreenLockSecured *bool `json:"screenLockSecured,omitempty"`

	// secureBootEnabled requires Secure Boot. WINDOWS only.
	// +optional
	SecureBootEnabled *bool `json:"secureBootEnabled,omitempty"`

	// siteIsolationEnabled requires Site Isolation (Site Per Process).
	// +optional
	SiteIsolationEnabled *bool `json:"siteIsolationEnabled,omitempty"`

	// thirdPartyBlockingEnabled requires Chrome to block third-party software
	// injection. WINDOWS only; deprecated by Okta.
	// +optional
	ThirdPartyBlockingEnabled *bool `json:"thirdPartyBlockingEnabled,omitempty"`

	// windowsMachineDomain is the Windows domain the machine must be joined
	// to. WINDOWS only.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	WindowsMachineDomain string `json:"windowsMachineDomain,omitempty"`

	// windowsUserDomain is the Windows domain of the signed-in user. WINDOWS
	// only.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	WindowsUserDomain string `json:"windowsUserDomain,omitempty"`
}

// MinimumVersion is a lowest accepted version.
type MinimumVersion struct {
	// minimum is a dotted version of up to four numeric parts, e.g.
	// 120.0.6099.109.
	// +required
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.matches('^[0-9]+([.][0-9]+){0,3}$')",message="minimum must be a dotted version of up to four numeric parts, e.g. 120.0.6099.109"
	Minimum string `json:"minimum"`
}

// DevicePostureIDP are conditions on device posture IdP signals.
// +kubebuilder:validation:MinProperties=1
type DevicePostureIDP struct {
	// compliant requires the IdP to report the device as compliant.
	// +optional
	Compliant *bool `json:"compliant,omitempty"`

	// managed requires the IdP to report the device as managed.
	// +optional
	Managed *bool `json:"managed,omitempty"`
}

// DeviceIntegrityLevel is a Play Integrity device verdict.
// +kubebuilder:validation:Enum=MEETS_BASIC_INTEGRITY;MEETS_DEVICE_INTEGRITY;MEETS_STRONG_INTEGRITY
type DeviceIntegrityLevel string

// AndroidSignalLevel is a LOW, MEDIUM or HIGH Android signal.
// +kubebuilder:validation:Enum=LOW;MEDIUM;HIGH
type AndroidSignalLevel string

// AndroidDeviceTrust are Android Device Trust conditions.
// +kubebuilder:validation:MinProperties=1
type AndroidDeviceTrust struct {
	// deviceIntegrityLevel is the lowest accepted Play Integrity verdict.
	// +optional
	DeviceIntegrityLevel DeviceIntegrityLevel `json:"deviceIntegrityLevel,omitempty"`

	// networkProxyDisabled requires no network proxy.
	// +optional
	NetworkProxyDisabled *bool `json:"networkProxyDisabled,omitempty"`

	// playProtectVerdict is the lowest accepted Google Play Protect verdict.
	// +optional
	PlayProtectVerdict AndroidSignalLevel `json:"playProtectVerdict,omitempty"`

	// requireMajorVersionUpdate requires the latest major version available
	// to the device. Needs osVersion.dynamicVersionRequirement with type
	// MINIMUM or EXACT.
	// +optional
	RequireMajorVersionUpdate *bool `json:"requireMajorVersionUpdate,omitempty"`

	// screenLockComplexity is the lowest accepted screen lock complexity.
	// Needs screenLockType.include.
	// +optional
	ScreenLockComplexity AndroidSignalLevel `json:"screenLockComplexity,omitempty"`

	// usbDebuggingDisabled requires Android Debug Bridge over USB to be off.
	// +optional
	USBDebuggingDisabled *bool `json:"usbDebuggingDisabled,omitempty"`

	// wifiSecured requires a password-protected Wi-Fi network.
	// +optional
	WifiSecured *bool `json:"wifiSecured,omitempty"`
}

// CallerContext constrains the application that asks for access.
type CallerContext struct {
	// managedApp, when true, requires the calling app to be managed. The rule
	// that uses the policy must require registered and managed devices.
	// +required
	// +kubebuilder:validation:XValidation:rule="self",message="callerContext.managedApp can only be true; omit callerContext to not require a managed app"
	ManagedApp bool `json:"managedApp"`
}

// GracePeriodType is how a grace period's expiry is expressed.
// +kubebuilder:validation:Enum=BY_DATE_TIME;BY_DURATION
type GracePeriodType string

// Grace period types.
const (
	GracePeriodByDateTime GracePeriodType = "BY_DATE_TIME"
	GracePeriodByDuration GracePeriodType = "BY_DURATION"
)

// GracePeriod lets non-compliant devices sign in for a while.
// +kubebuilder:validation:XValidation:rule="self.type != 'BY_DURATION' || (self.expiry.matches('^P([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+S)?)?$') && self.expiry != 'P' && !self.expiry.endsWith('T'))",message="gracePeriod.expiry must be an ISO-8601 duration such as P30D or PT12H when type is BY_DURATION",fieldPath=".expiry"
// +kubebuilder:validation:XValidation:rule="self.type != 'BY_DATE_TIME' || self.expiry.matches('^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$')",message="gracePeriod.expiry must be an RFC 3339 date-time such as 2026-12-01T00:00:00Z when type is BY_DATE_TIME",fieldPath=".expiry"
type GracePeriod struct {
	// type is BY_DURATION (expiry is an ISO-8601 duration) or BY_DATE_TIME
	// (expiry is an RFC 3339 date-time).
	// +required
	Type GracePeriodType `json:"type"`

	// expiry is when the grace period ends: a duration such as P30D for
	// BY_DURATION, a date-time such as 2026-12-01T00:00:00Z for BY_DATE_TIME.
	// Okta reports durations in hours (P30D comes back as PT720H).
	// +required
	// +kubebuilder:validation:MinLength=2
	// +kubebuilder:validation:MaxLength=64
	Expiry string `json:"expiry"`
}

// DevicePostureChecks are advanced posture checks a device must pass.
type DevicePostureChecks struct {
	// include lists the posture checks and the value each must return
	// (value, e.g. "1" for a passing checkbox check). Each item names one
	// check, once: a DevicePostureCheck of this namespace by checkRef, or
	// any check of the org (Okta's built-in ones included) by variableName.
	// +required
	// +listType=atomic
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=50
	// +kubebuilder:validation:XValidation:rule="self.all(a, self.exists_one(b, has(a.variableName) ? (has(b.variableName) && b.variableName == a.variableName) : (has(b.checkRef) && b.checkRef.name == a.checkRef.name)))",message="devicePostureChecks.include names each check once"
	Include []DevicePostureCheckValue `json:"include"`
}

// DevicePostureCheckValue is one posture check requirement: exactly one of
// checkRef or variableName, and the value.
// +kubebuilder:validation:XValidation:rule="has(self.checkRef) != has(self.variableName)",message="each devicePostureChecks.include item needs exactly one of checkRef or variableName"
type DevicePostureCheckValue struct {
	// checkRef names a DevicePostureCheck in this namespace (name); the
	// policy waits until the check exists in Okta, then sends its
	// variableName.
	// +optional
	CheckRef *LocalObjectReference `json:"checkRef,omitempty"`

	// variableName is the variableName of a check of the org that is not
	// managed here, e.g. one of Okta's built-in checks.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	VariableName string `json:"variableName,omitempty"`

	// value is the result the check must return, e.g. "1" for a passing
	// checkbox check.
	// +required
	// +kubebuilder:validation:MaxLength=1024
	Value string `json:"value"`
}

// LocalObjectReference names an object in the same namespace.
type LocalObjectReference struct {
	// name is the object's name.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
}
