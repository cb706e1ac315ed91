package oktasim

// Per-platform device assurance schema (docs/okta-api-behaviour.md §1.2,
// §1.6).

var platforms = []string{"ANDROID", "CHROMEOS", "IOS", "MACOS", "WINDOWS"}

// daBaseKeys are accepted on every platform and are not conditions.
var daBaseKeys = map[string]bool{"name": true, "platform": true, "gracePeriod": true, "displayRemediationMode": true}

// daReadOnlyKeys are server fields a client may send back; they are ignored.
var daReadOnlyKeys = []string{"id", "createdDate", "createdBy", "lastUpdate", "lastUpdatedBy",
	"resourceId", "resourceDisplayName", "resourceType", "_links"}

// daConditionKeys are the condition properties each platform supports.
var daConditionKeys = map[string][]string{
	"ANDROID":  {"osVersion", "diskEncryptionType", "screenLockType", "jailbreak", "secureHardwarePresent", "thirdPartySignalProviders", "callerContext"},
	"CHROMEOS": {"thirdPartySignalProviders"},
	"IOS":      {"osVersion", "screenLockType", "jailbreak", "thirdPartySignalProviders"},
	"MACOS":    {"osVersion", "diskEncryptionType", "screenLockType", "secureHardwarePresent", "thirdPartySignalProviders", "devicePostureChecks"},
	"WINDOWS":  {"osVersion", "osVersionConstraints", "diskEncryptionType", "screenLockType", "secureHardwarePresent", "thirdPartySignalProviders", "devicePostureChecks"},
}

// diskEncryptionValues lists the allowed values in the order the server
// writes them: Android ["FULL","USER"] comes back as ["USER","FULL"]
// (docs/okta-api-behaviour.md, R8, tfprov-042/047).
var diskEncryptionValues = map[string][]string{
	"ANDROID": {"USER", "FULL"},
	"MACOS":   {"ALL_INTERNAL_VOLUMES"},
	"WINDOWS": {"ALL_INTERNAL_VOLUMES"},
}

var screenLockValues = []string{"BIOMETRIC", "NONE", "PASSCODE"}

var signalProviders = map[string][]string{
	"ANDROID":  {"androidDeviceTrust", "devicePostureIdP"},
	"CHROMEOS": {"dtc", "devicePostureIdP"},
	"IOS":      {"devicePostureIdP"},
	"MACOS":    {"dtc", "devicePostureIdP"},
	"WINDOWS":  {"dtc", "devicePostureIdP"},
}

// fieldSpec describes a scalar or {minimum} field of a signal provider.
type fieldSpec struct {
	kind   fieldKind
	values []string // for kindEnum
}

type fieldKind int

const (
	kindBool fieldKind = iota
	kindString
	kindEnum
	kindMinimum // an object {"minimum": "<version>"}
)

var dtcCommonFields = map[string]fieldSpec{
	"browserVersion":                   {kind: kindMinimum},
	"osVersion":                        {kind: kindMinimum},
	"builtInDnsClientEnabled":          {kind: kindBool},
	"chromeRemoteDesktopAppBlocked":    {kind: kindBool},
	"diskEncrypted":                    {kind: kindBool},
	"osFirewall":                       {kind: kindBool},
	"realtimeUrlCheckMode":             {kind: kindBool},
	"screenLockSecured":                {kind: kindBool},
	"siteIsolationEnabled":             {kind: kindBool},
	"deviceEnrollmentDomain":           {kind: kindString},
	"passwordProtectionWarningTrigger": {kind: kindEnum, values: []string{"PASSWORD_PROTECTION_OFF", "PASSWORD_REUSE", "PHISHING_REUSE"}},
	"safeBrowsingProtectionLevel":      {kind: kindEnum, values: []string{"ENHANCED_PROTECTION", "NO_SAFE_BROWSING", "STANDARD_PROTECTION"}},
}

var dtcPlatformFields = map[string]map[string]fieldSpec{
	"CHROMEOS": {
		"keyTrustLevel":   {kind: kindEnum, values: []string{"CHROME_OS_DEVELOPER_MODE", "CHROME_OS_VERIFIED_MODE"}},
		"allowScreenLock": {kind: kindBool},
		"managedDevice":   {kind: kindBool},
	},
	"MACOS": {
		"keyTrustLevel": {kind: kindEnum, values: []string{"CHROME_BROWSER_HW_KEY", "CHROME_BROWSER_OS_KEY"}},
	},
	"WINDOWS": {
		"keyTrustLevel":             {kind: kindEnum, values: []string{"CHROME_BROWSER_HW_KEY", "CHROME_BROWSER_OS_KEY"}},
		"antivirusEnabled":          {kind: kindBool},
		"secureBootEnabled":         {kind: kindBool},
		"thirdPartyBlockingEnabled": {kind: kindBool},
		"crowdStrikeAgentId":        {kind: kindString},
		"crowdStrikeCustomerId":     {kind: kindString},
		"windowsMachineDomain":      {kind: kindString},
		"windowsUserDomain":         {kind: kindString},
	},
}

var levels = []string{"LOW", "MEDIUM", "HIGH"}

var androidDeviceTrustFields = map[string]fieldSpec{
	"deviceIntegrityLevel":      {kind: kindEnum, values: []string{"MEETS_BASIC_INTEGRITY", "MEETS_DEVICE_INTEGRITY", "MEETS_STRONG_INTEGRITY"}},
	"playProtectVerdict":        {kind: kindEnum, values: levels},
	"screenLockComplexity":      {kind: kindEnum, values: levels},
	"networkProxyDisabled":      {kind: kindBool},
	"usbDebuggingDisabled":      {kind: kindBool},
	"wifiSecured":               {kind: kindBool},
	"requireMajorVersionUpdate": {kind: kindBool},
}

var devicePostureIDPFields = map[string]fieldSpec{
	"managed":   {kind: kindBool},
	"compliant": {kind: kindBool},
}

// daKeyOrder is the server's key order (docs/okta-api-behaviour.md, R9; dtc
// order from tfprov-058 and tfprov-073). The resource* trio varies between
// recordings; the newest order is used.
var daKeyOrder = keyOrder{
	"": {"name", "platform", "id", "osVersion", "osVersionConstraints", "secureHardwarePresent", "jailbreak",
		"diskEncryptionType", "screenLockType", "thirdPartySignalProviders", "devicePostureChecks", "callerContext",
		"displayRemediationMode", "gracePeriod", "createdDate", "createdBy", "lastUpdate", "lastUpdatedBy",
		"resourceType", "resourceDisplayName", "resourceId", "_links"},
	"osVersion":                                        {"minimum", "dynamicVersionRequirement"},
	"osVersion.dynamicVersionRequirement":              {"type", "distanceFromLatestMajor", "latestSecurityPatch"},
	"osVersionConstraints[]":                           {"majorVersionConstraint", "minimum", "dynamicVersionRequirement"},
	"osVersionConstraints[].dynamicVersionRequirement": {"type", "distanceFromLatestMajor", "latestSecurityPatch"},
	"thirdPartySignalProviders.dtc": {"osVersion", "diskEncrypted", "osFirewall", "screenLockSecured", "allowScreenLock",
		"browserVersion", "deviceEnrollmentDomain", "builtInDnsClientEnabled", "chromeRemoteDesktopAppBlocked",
		"safeBrowsingProtectionLevel", "siteIsolationEnabled", "passwordProtectionWarningTrigger", "realtimeUrlCheckMode",
		"secureBootEnabled", "windowsMachineDomain", "windowsUserDomain", "thirdPartyBlockingEnabled",
		"crowdStrikeCustomerId", "crowdStrikeAgentId", "keyTrustLevel"},
	"devicePostureChecks.include[]": {"variableName", "value"},
	"gracePeriod":                   {"type", "expiry"},
	"resourceDisplayName":           {"value", "sensitive"},
	"_links":                        {"self"},
	"_links.self":                   {"href", "hints"},
}
