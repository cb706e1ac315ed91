package okta

import "time"

// Platform is the device platform a device assurance policy applies to; it is
// the discriminator of the DeviceAssurance schema
// (docs/okta-api-behaviour.md §1.1).
type Platform string

// The five device assurance platforms.
const (
	PlatformAndroid  Platform = "ANDROID"
	PlatformChromeOS Platform = "CHROMEOS"
	PlatformIOS      Platform = "IOS"
	PlatformMacOS    Platform = "MACOS"
	PlatformWindows  Platform = "WINDOWS"
)

// DeviceAssurance is the writable part of a device assurance policy: the
// body of a create (POST) or a full replace (PUT). One struct covers all five
// platforms; which properties a platform accepts is in
// docs/okta-api-behaviour.md §1.2 and is the caller's concern. Build it from
// desired state for every write: a PUT replaces the whole policy and drops
// what is omitted (docs/okta-api-behaviour.md, R7).
type DeviceAssurance struct {
	// Name is the display name of the policy.
	Name string `json:"name,omitempty"`
	// Platform selects the platform-specific schema.
	Platform Platform `json:"platform"`
	// OSVersion is a static minimum or a dynamic requirement (ANDROID, IOS,
	// MACOS; WINDOWS accepts only Minimum here).
	OSVersion *OSVersion `json:"osVersion,omitempty"`
	// OSVersionConstraints are per-major-version requirements (WINDOWS only,
	// at most two, exclusive with OSVersion.Minimum).
	OSVersionConstraints []OSVersionConstraint `json:"osVersionConstraints,omitempty"`
	// DiskEncryptionType lists the accepted encryption types; Okta may
	// reorder it (docs/okta-api-behaviour.md, R8), so compare it as a set.
	DiskEncryptionType *IncludeCondition `json:"diskEncryptionType,omitempty"`
	// ScreenLockType lists the accepted screen lock types.
	ScreenLockType *IncludeCondition `json:"screenLockType,omitempty"`
	// Jailbreak is the accepted jailbreak state (ANDROID, IOS).
	Jailbreak *bool `json:"jailbreak,omitempty"`
	// SecureHardwarePresent requires a TPM / secure enclave (ANDROID, MACOS,
	// WINDOWS).
	SecureHardwarePresent *bool `json:"secureHardwarePresent,omitempty"`
	// ThirdPartySignalProviders are conditions on third-party signals.
	ThirdPartySignalProviders *ThirdPartySignalProviders `json:"thirdPartySignalProviders,omitempty"`
	// CallerContext holds the ANDROID managed-app condition (EA).
	CallerContext *CallerContext `json:"callerContext,omitempty"`
	// GracePeriod lets noncompliant devices in for a while. Okta normalises
	// BY_DURATION "P30D" to "PT720H" (docs/okta-api-behaviour.md, R6).
	GracePeriod *GracePeriod `json:"gracePeriod,omitempty"`
	// DisplayRemediationMode is HIDE or SHOW. Some orgs omit it when it was
	// not sent and others answer HIDE (docs/okta-api-behaviour.md, R4).
	DisplayRemediationMode string `json:"displayRemediationMode,omitempty"`
	// DevicePostureChecks are the advanced posture checks the device must
	// pass (MACOS, WINDOWS; EA).
	DevicePostureChecks *DevicePostureChecks `json:"devicePostureChecks,omitempty"`
}

// Audit are the audit fields Okta returns with a device assurance policy or
// a posture check. A PUT response of a policy lacks CreatedDate and
// CreatedBy (docs/okta-api-behaviour.md, R5).
type Audit struct {
	// CreatedDate is when it was created.
	CreatedDate *time.Time `json:"createdDate,omitempty"`
	// CreatedBy is the id of the creating principal.
	CreatedBy string `json:"createdBy,omitempty"`
	// LastUpdate is the time of the last change (note: not lastUpdated).
	LastUpdate *time.Time `json:"lastUpdate,omitempty"`
	// LastUpdatedBy is the id of the principal that changed it last.
	LastUpdatedBy string `json:"lastUpdatedBy,omitempty"`
}

// DeviceAssuranceResponse is a device assurance policy as Okta returns it:
// the writable fields plus read-only ones that are decoded but never sent.
type DeviceAssuranceResponse struct {
	DeviceAssurance

	// ID is the policy id (`dae…`, 20 characters).
	ID string `json:"id,omitempty"`
	// RequestID is the X-Okta-Request-Id of the create or replace that
	// returned this policy, for events and audit; empty on reads.
	RequestID string `json:"-"`
	Audit
	// ResourceID is undocumented and always equals ID
	// (docs/okta-api-behaviour.md, R2).
	ResourceID string `json:"resourceId,omitempty"`
	// ResourceDisplayName is undocumented: {"value": name, "sensitive": false}.
	ResourceDisplayName *ResourceDisplayName `json:"resourceDisplayName,omitempty"`
	// ResourceType is undocumented: "DeviceAssurancePolicyEntity".
	ResourceType string `json:"resourceType,omitempty"`
	// Links holds only `self`.
	Links Links `json:"_links,omitempty"`
}

// ResourceDisplayName is the undocumented display-name object Okta adds to
// device assurance responses.
type ResourceDisplayName struct {
	// Value is the display name.
	Value string `json:"value"`
	// Sensitive tells whether the value is sensitive.
	Sensitive bool `json:"sensitive"`
}

// OSVersion is an OS version requirement: Minimum or
// DynamicVersionRequirement, never both (docs/okta-api-behaviour.md §1.3).
type OSVersion struct {
	// Minimum is a free-form dotted version (docs/okta-api-behaviour.md, R10).
	Minimum string `json:"minimum,omitempty"`
	// DynamicVersionRequirement follows Okta's view of the latest release.
	DynamicVersionRequirement *DynamicVersionRequirement `json:"dynamicVersionRequirement,omitempty"`
}

// DynamicVersionRequirement is an OS version requirement relative to the
// latest major release (docs/okta-api-behaviour.md §1.3).
type DynamicVersionRequirement struct {
	// Type is MINIMUM, EXACT, EXACT_ANY_SUPPORTED or (Windows constraints
	// only) NOT_ALLOWED.
	Type string `json:"type"`
	// DistanceFromLatestMajor is 0 or 1; a pointer because 0 must be sent.
	DistanceFromLatestMajor *int `json:"distanceFromLatestMajor,omitempty"`
	// LatestSecurityPatch requires the latest security patch.
	LatestSecurityPatch *bool `json:"latestSecurityPatch,omitempty"`
}

// OSVersionConstraint is a Windows requirement for one major version.
type OSVersionConstraint struct {
	// MajorVersionConstraint is WINDOWS_11 or WINDOWS_10.
	MajorVersionConstraint string `json:"majorVersionConstraint"`
	// Minimum is a static minimum version.
	Minimum string `json:"minimum,omitempty"`
	// DynamicVersionRequirement is a dynamic requirement or NOT_ALLOWED.
	DynamicVersionRequirement *DynamicVersionRequirement `json:"dynamicVersionRequirement,omitempty"`
}

// IncludeCondition is a condition that lists accepted values, used for
// diskEncryptionType and screenLockType.
type IncludeCondition struct {
	// Include lists the accepted values.
	Include []string `json:"include"`
}

// ThirdPartySignalProviders are conditions on signals of third-party
// integrations (docs/okta-api-behaviour.md §1.6).
type ThirdPartySignalProviders struct {
	// DTC is the Google Chrome Device Trust Connector (CHROMEOS, MACOS,
	// WINDOWS).
	DTC *DeviceTrustConnector `json:"dtc,omitempty"`
	// DevicePostureIDP holds device posture IdP signals (all platforms).
	DevicePostureIDP *DevicePostureIDP `json:"devicePostureIdP,omitempty"`
	// AndroidDeviceTrust holds Android Device Trust signals (ANDROID).
	AndroidDeviceTrust *AndroidDeviceTrust `json:"androidDeviceTrust,omitempty"`
}

// DeviceTrustConnector is the union of the DTCChromeOS, DTCMacOS and
// DTCWindows schemas; which fields a platform accepts is in
// docs/okta-api-behaviour.md §1.6.
type DeviceTrustConnector struct {
	// BrowserVersion is the minimum Chrome version.
	BrowserVersion *VersionMinimum `json:"browserVersion,omitempty"`
	// BuiltInDNSClientEnabled requires Chrome's built-in DNS client.
	BuiltInDNSClientEnabled *bool `json:"builtInDnsClientEnabled,omitempty"`
	// ChromeRemoteDesktopAppBlocked requires Chrome Remote Desktop blocked.
	ChromeRemoteDesktopAppBlocked *bool `json:"chromeRemoteDesktopAppBlocked,omitempty"`
	// DeviceEnrollmentDomain is the required enrollment domain.
	DeviceEnrollmentDomain string `json:"deviceEnrollmentDomain,omitempty"`
	// DiskEncrypted requires disk encryption.
	DiskEncrypted *bool `json:"diskEncrypted,omitempty"`
	// KeyTrustLevel is the required signing key trust level.
	KeyTrustLevel string `json:"keyTrustLevel,omitempty"`
	// OSFirewall requires the OS firewall.
	OSFirewall *bool `json:"osFirewall,omitempty"`
	// OSVersion is the minimum OS version.
	OSVersion *VersionMinimum `json:"osVersion,omitempty"`
	// PasswordProtectionWarningTrigger is when Chrome warns on password reuse.
	PasswordProtectionWarningTrigger string `json:"passwordProtectionWarningTrigger,omitempty"`
	// RealtimeURLCheckMode requires real-time URL checks.
	RealtimeURLCheckMode *bool `json:"realtimeUrlCheckMode,omitempty"`
	// SafeBrowsingProtectionLevel is the required Safe Browsing level.
	SafeBrowsingProtectionLevel string `json:"safeBrowsingProtectionLevel,omitempty"`
	// ScreenLockSecured requires a secured screen lock.
	ScreenLockSecured *bool `json:"screenLockSecured,omitempty"`
	// SiteIsolationEnabled requires site isolation.
	SiteIsolationEnabled *bool `json:"siteIsolationEnabled,omitempty"`
	// AllowScreenLock (CHROMEOS) requires the screen lock to be allowed.
	AllowScreenLock *bool `json:"allowScreenLock,omitempty"`
	// ManagedDevice (CHROMEOS) requires a managed device.
	ManagedDevice *bool `json:"managedDevice,omitempty"`
	// AntivirusEnabled (WINDOWS) requires antivirus.
	AntivirusEnabled *bool `json:"antivirusEnabled,omitempty"`
	// CrowdStrikeAgentID (WINDOWS) is the required CrowdStrike agent id.
	CrowdStrikeAgentID string `json:"crowdStrikeAgentId,omitempty"`
	// CrowdStrikeCustomerID (WINDOWS) is the required CrowdStrike customer id.
	CrowdStrikeCustomerID string `json:"crowdStrikeCustomerId,omitempty"`
	// SecureBootEnabled (WINDOWS) requires Secure Boot.
	SecureBootEnabled *bool `json:"secureBootEnabled,omitempty"`
	// ThirdPartyBlockingEnabled (WINDOWS, deprecated) requires third-party
	// software injection blocking.
	ThirdPartyBlockingEnabled *bool `json:"thirdPartyBlockingEnabled,omitempty"`
	// WindowsMachineDomain (WINDOWS) is the required machine domain.
	WindowsMachineDomain string `json:"windowsMachineDomain,omitempty"`
	// WindowsUserDomain (WINDOWS) is the required user domain.
	WindowsUserDomain string `json:"windowsUserDomain,omitempty"`
}

// VersionMinimum is a {"minimum": "…"} version object.
type VersionMinimum struct {
	// Minimum is the lowest accepted version.
	Minimum string `json:"minimum,omitempty"`
}

// DevicePostureIDP holds the signals of a device posture IdP integration.
type DevicePostureIDP struct {
	// Managed requires the IdP to report the device managed.
	Managed *bool `json:"managed,omitempty"`
	// Compliant requires the IdP to report the device compliant.
	Compliant *bool `json:"compliant,omitempty"`
}

// AndroidDeviceTrust holds Android Device Trust conditions
// (docs/okta-api-behaviour.md §1.6).
type AndroidDeviceTrust struct {
	// DeviceIntegrityLevel is the required Play Integrity level.
	DeviceIntegrityLevel string `json:"deviceIntegrityLevel,omitempty"`
	// NetworkProxyDisabled requires no network proxy.
	NetworkProxyDisabled *bool `json:"networkProxyDisabled,omitempty"`
	// PlayProtectVerdict is the required Play Protect verdict.
	PlayProtectVerdict string `json:"playProtectVerdict,omitempty"`
	// RequireMajorVersionUpdate requires the latest major version.
	RequireMajorVersionUpdate *bool `json:"requireMajorVersionUpdate,omitempty"`
	// ScreenLockComplexity is the required screen lock complexity.
	ScreenLockComplexity string `json:"screenLockComplexity,omitempty"`
	// USBDebuggingDisabled requires USB debugging off.
	USBDebuggingDisabled *bool `json:"usbDebuggingDisabled,omitempty"`
	// WifiSecured requires a secured Wi-Fi network.
	WifiSecured *bool `json:"wifiSecured,omitempty"`
}

// CallerContext holds the ANDROID caller-context condition.
type CallerContext struct {
	// ManagedApp can only be true (enum [true] in the spec).
	ManagedApp *bool `json:"managedApp,omitempty"`
}

// GracePeriod lets noncompliant devices in until a date or for a duration.
type GracePeriod struct {
	// Type is BY_DATE_TIME or BY_DURATION.
	Type string `json:"type"`
	// Expiry is an ISO 8601 date-time or duration, kept as a string so a
	// BY_DATE_TIME value decodes (the v6 SDK fails on it,
	// docs/okta-api-behaviour.md §8.3).
	Expiry string `json:"expiry"`
}

// DevicePostureChecks lists the posture checks a device must pass.
type DevicePostureChecks struct {
	// Include lists the required posture check results.
	Include []PostureCheckRequirement `json:"include"`
}

// PostureCheckRequirement requires a posture check's query to return Value.
type PostureCheckRequirement struct {
	// VariableName is the posture check's unique variableName.
	VariableName string `json:"variableName"`
	// Value is the required query result, a string ("1").
	Value string `json:"value"`
}
