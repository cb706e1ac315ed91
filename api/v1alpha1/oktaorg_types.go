package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// OktaOrgSpec says which Okta org to manage and how to authenticate to it.
// +kubebuilder:validation:XValidation:rule="has(self.apiToken) != has(self.oauth)",message="set exactly one of apiToken or oauth"
// +kubebuilder:validation:XValidation:rule="!has(self.caBundle) || !self.insecureSkipTLSVerify",message="caBundle and insecureSkipTLSVerify cannot both be set"
// +kubebuilder:validation:XValidation:rule="self.url.startsWith('https://') || (self.url.startsWith('http://') && self.allowInsecureHTTP)",message="url must use https; plain http needs allowInsecureHTTP: true (meant for a local simulator)",fieldPath=".url"
type OktaOrgSpec struct {
	// url is the org's base URL, e.g. https://example.okta.com, with no path.
	// +required
	// +kubebuilder:validation:MinLength=8
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getHostname() != '' && url(self).getEscapedPath() in ['', '/'] && url(self).getQuery().size() == 0",message="url must be an absolute URL with a host and no path or query, e.g. https://example.okta.com"
	URL string `json:"url"`

	// apiToken authenticates with an Okta API token (Authorization: SSWS),
	// read from the Secret key that secretRef names. Okta recommends oauth
	// instead.
	// +optional
	APIToken *APITokenAuth `json:"apiToken,omitempty"`

	// oauth authenticates as an OAuth 2.0 service app with a private key
	// (client credentials with private_key_jwt, switching to DPoP when Okta's
	// token endpoint demands it): the app's clientID, the Secret key that
	// holds its private key, the key's kid, and the scopes to request.
	// +optional
	OAuth *OAuthAuth `json:"oauth,omitempty"`

	// caBundle is a PEM bundle of CA certificates to trust for url instead of
	// the system roots, for an org behind a private CA.
	// +optional
	// +kubebuilder:validation:MaxLength=65536
	CABundle string `json:"caBundle,omitempty"`

	// insecureSkipTLSVerify turns off TLS certificate verification. Meant for
	// a local simulator with a self-signed certificate; never for a real org.
	// +optional
	// +kubebuilder:default=false
	InsecureSkipTLSVerify bool `json:"insecureSkipTLSVerify,omitempty"`

	// allowInsecureHTTP permits an http:// url. Meant for a local simulator;
	// never for a real org.
	// +optional
	// +kubebuilder:default=false
	AllowInsecureHTTP bool `json:"allowInsecureHTTP,omitempty"`

	// capacityPercent is the share of each Okta rate-limit bucket this
	// operator may use, so that other clients of the org keep theirs.
	// +optional
	// +kubebuilder:default=50
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	CapacityPercent int32 `json:"capacityPercent,omitempty"`

	// driftDetection configures the org's System Log watcher, which notices
	// changes made outside the operator (e.g. in the Okta console) between
	// full resyncs: its mode (SystemLog or Off) and pollInterval.
	// +optional
	DriftDetection *DriftDetection `json:"driftDetection,omitempty"`
}

// SecretKeyReference names a key of a Secret. The Secret is in the
// referencing object's namespace, or, for a ClusterOktaOrg, in the operator's
// namespace.
type SecretKeyReference struct {
	// name is the name of the Secret.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`

	// key is the key in the Secret's data.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[-._a-zA-Z0-9]+$`
	Key string `json:"key"`
}

// APITokenAuth authenticates with an Okta API token.
type APITokenAuth struct {
	// secretRef names the Secret key that holds the API token. The Secret is
	// in the OktaOrg's namespace, or, for a ClusterOktaOrg, in the
	// operator's namespace.
	// +required
	SecretRef SecretKeyReference `json:"secretRef"`
}

// OAuthScope is an Okta OAuth 2.0 scope, e.g. okta.deviceAssurance.manage.
// +kubebuilder:validation:MaxLength=128
// +kubebuilder:validation:Pattern=`^okta\.[A-Za-z]+\.[A-Za-z]+$`
type OAuthScope string

// OAuthAuth authenticates as an OAuth 2.0 service app.
type OAuthAuth struct {
	// clientID is the service app's client ID.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	ClientID string `json:"clientID"`

	// privateKeySecretRef names the Secret key that holds the app's private
	// key, PEM (PKCS#1, PKCS#8 or SEC 1): RSA, or EC P-256, P-384 or P-521.
	// The Secret is in the OktaOrg's namespace, or, for a ClusterOktaOrg, in
	// the operator's namespace.
	// +required
	PrivateKeySecretRef SecretKeyReference `json:"privateKeySecretRef"`

	// keyID is the key's kid in the app's JWKS, sent in client assertions.
	// +optional
	// +kubebuilder:validation:MaxLength=256
	KeyID string `json:"keyID,omitempty"`

	// scopes are requested for the access token, as they are: Okta refuses
	// the whole token request when one is not granted to the app. When
	// omitted, the operator asks for okta.deviceAssurance.manage
	// (DeviceAssurancePolicy, and the org check), okta.policies.manage
	// (SignInRuleBinding), okta.devicePostureChecks.manage
	// (DevicePostureCheck) and okta.logs.read (drift detection), and leaves
	// out those Okta refuses, except okta.deviceAssurance.manage: the org is
	// Ready without them, and status.capabilities names what they leave
	// unavailable.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=32
	Scopes []OAuthScope `json:"scopes,omitempty"`
}

// RateLimitStatus is the last rate-limit state Okta reported for a bucket.
type RateLimitStatus struct {
	// bucket is the rate-limit bucket: device-assurances,
	// device-posture-checks, logs, token, api-v1 (the /api/v1 catch-all), or
	// concurrency (after a 429 of Okta's concurrent-request limit).
	// +required
	// +kubebuilder:validation:MaxLength=128
	Bucket string `json:"bucket"`

	// limit is the bucket's requests per window.
	// +optional
	Limit int32 `json:"limit,omitempty"`

	// remaining is how many requests the window had left.
	// +optional
	Remaining int32 `json:"remaining,omitempty"`

	// reset is when the window resets.
	// +optional
	Reset *metav1.Time `json:"reset,omitempty"`
}

// DriftDetectionMode says how the operator notices changes made outside it.
// +kubebuilder:validation:Enum=SystemLog;Off
type DriftDetectionMode string

const (
	// DriftDetectionSystemLog polls the org's System Log for device
	// assurance, posture check and policy rule events.
	DriftDetectionSystemLog DriftDetectionMode = "SystemLog"
	// DriftDetectionOff relies on the periodic full resync alone.
	DriftDetectionOff DriftDetectionMode = "Off"
)

// DriftDetection configures the org's System Log watcher.
type DriftDetection struct {
	// mode is SystemLog (the default: needs the okta.logs.read scope with
	// OAuth) or Off.
	// +optional
	// +kubebuilder:default=SystemLog
	Mode DriftDetectionMode `json:"mode,omitempty"`

	// pollInterval is the time between two System Log reads, at least 10s;
	// the manager's --drift-poll-interval (1m) when unset. Each read costs
	// one request of the logs bucket, whatever the number of objects.
	// +optional
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('10s')",message="pollInterval must be at least 10s"
	PollInterval *metav1.Duration `json:"pollInterval,omitempty"`
}

// DriftWatchStatus is the state of the org's System Log watcher.
type DriftWatchStatus struct {
	// cursor is the System Log `after` cursor the next read starts from, so
	// that a restarted operator reads on where it stopped.
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	Cursor string `json:"cursor,omitempty"`

	// lastPollTime is when the System Log was last read successfully.
	// +optional
	LastPollTime *metav1.Time `json:"lastPollTime,omitempty"`

	// lastOutOfBandChange is the latest System Log event the watcher
	// attributed to someone other than this operator, e.g. an admin in the
	// Okta console: its event type, who made the change, when, and the
	// event's ID.
	// +optional
	LastOutOfBandChange *OutOfBandChange `json:"lastOutOfBandChange,omitempty"`

	// outOfBandChanges counts such events since the watcher started.
	// +optional
	OutOfBandChanges int64 `json:"outOfBandChanges,omitempty"`

	// message says why the last read failed; empty after a success.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Message string `json:"message,omitempty"`
}

// OrgCapabilityName names a kind or feature an org connection serves.
// +kubebuilder:validation:Enum=DeviceAssurancePolicy;SignInRuleBinding;DevicePostureCheck;DriftDetection
type OrgCapabilityName string

// The capabilities of an org connection: the managed kinds, named after
// them, and the System Log watcher.
const (
	CapabilityDeviceAssurancePolicy OrgCapabilityName = "DeviceAssurancePolicy"
	CapabilitySignInRuleBinding     OrgCapabilityName = "SignInRuleBinding"
	CapabilityDevicePostureCheck    OrgCapabilityName = "DevicePostureCheck"
	CapabilityDriftDetection        OrgCapabilityName = "DriftDetection"
)

// OrgCapability says whether an org connection can serve one kind or
// feature, and if not, why.
type OrgCapability struct {
	// name is the kind (DeviceAssurancePolicy, SignInRuleBinding,
	// DevicePostureCheck) or feature (DriftDetection).
	// +required
	Name OrgCapabilityName `json:"name"`

	// available is true when the access token holds the OAuth scope that
	// name needs, or name needs none (DriftDetection while drift detection
	// is off); always true with an API token.
	// +required
	Available bool `json:"available"`

	// missingScope is the OAuth scope that name needs and the access token
	// lacks: Okta did not grant it to the service app, or spec.oauth.scopes
	// does not list it.
	// +optional
	MissingScope OAuthScope `json:"missingScope,omitempty"`

	// message says what to do while name is unavailable, or names an
	// operation of name that Okta refused with 403 E0000006 because the
	// admin role of the credentials lacks the permission.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Message string `json:"message,omitempty"`
}

// OktaOrgStatus is the observed state of an org connection.
type OktaOrgStatus struct {
	// observedGeneration is the metadata.generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions are Ready, Reconciling and Stalled, as kstatus reads them.
	// Ready is True once an authenticated call to the org succeeded.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// grantedScopes are the OAuth scopes of the operator's access token, as
	// Okta's token response lists them: with the default scopes, those Okta
	// granted to the service app. Empty for an API token, to which scopes do
	// not apply.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=64
	GrantedScopes []OAuthScope `json:"grantedScopes,omitempty"`

	// capabilities say, for each kind and feature, whether the connection
	// can serve it: DeviceAssurancePolicy (scope
	// okta.deviceAssurance.manage), SignInRuleBinding
	// (okta.policies.manage), DevicePostureCheck
	// (okta.devicePostureChecks.manage) and DriftDetection, the System Log
	// watcher (okta.logs.read). An entry is unavailable when the access
	// token lacks its scope, which missingScope names: objects of that kind
	// then wait with reason MissingScope before any Okta call, and the
	// watcher does not read the System Log. With an API token every entry
	// is available. message also reports an operation of the kind that
	// Okta refused with 403 E0000006: the admin role lacks the permission.
	// Set once the org is Ready.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=8
	Capabilities []OrgCapability `json:"capabilities,omitempty"`

	// rateLimits are the last rate-limit figures Okta reported, per bucket:
	// the bucket's limit per window, the requests the window had left, and
	// when it resets.
	// +optional
	// +listType=map
	// +listMapKey=bucket
	// +kubebuilder:validation:MaxItems=16
	RateLimits []RateLimitStatus `json:"rateLimits,omitempty"`

	// driftWatch is the state of the org's System Log watcher: the cursor
	// the next read starts from, when the log was last read, the latest
	// out-of-band change and how many it found, and why the last read
	// failed.
	// +optional
	DriftWatch *DriftWatchStatus `json:"driftWatch,omitempty"`
}

// OktaOrg is a connection to an Okta org, usable by the objects in its
// namespace.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:categories=okta
// +kubebuilder:printcolumn:name="URL",type=string,JSONPath=`.spec.url`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type OktaOrg struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec says which Okta org to manage and how to authenticate to it: the
	// org's url, exactly one of apiToken or oauth (with Secrets read from
	// this namespace), the TLS settings, the share of Okta's rate limits the
	// operator may use, and how out-of-band changes are detected.
	// +required
	Spec OktaOrgSpec `json:"spec"`

	// status is the observed state of the connection: the kstatus
	// conditions (Ready is True once an authenticated call to the org
	// succeeded), the OAuth scopes Okta granted, which kinds and features
	// the connection can serve, the last rate-limit figures per bucket, and
	// the state of the System Log watcher.
	// +optional
	Status OktaOrgStatus `json:"status,omitempty"`
}

// OktaOrgList is a list of OktaOrg.
//
// +kubebuilder:object:root=true
type OktaOrgList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []OktaOrg `json:"items"`
}

// ClusterOktaOrgSpec is an OktaOrgSpec usable from many namespaces.
type ClusterOktaOrgSpec struct {
	OktaOrgSpec `json:",inline"`

	// namespaceSelector limits which namespaces' objects may use this org.
	// When omitted, every namespace may.
	// +optional
	NamespaceSelector *metav1.LabelSelector `json:"namespaceSelector,omitempty"`

	// tenants grant the namespaces that the namespaceSelector lets in their
	// rights on this org. Without any entry, every such namespace has every
	// right (a one-team install). With entries, a namespace has only what
	// the entries that select it grant, together; one that no entry selects
	// may use nothing. What a grant does not allow is refused before any
	// Okta call, with a condition that names the missing grant.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=64
	Tenants []TenantGrant `json:"tenants,omitempty"`
}

// ClusterOktaOrg is a connection to an Okta org, usable by objects in every
// namespace that its namespaceSelector selects. Its Secrets are read from
// the operator's namespace.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Cluster,categories=okta
// +kubebuilder:printcolumn:name="URL",type=string,JSONPath=`.spec.url`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type ClusterOktaOrg struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec says which Okta org to manage, how to authenticate to it, and
	// which namespaces may use it: the same fields as an OktaOrg's spec (the
	// org's url, exactly one of apiToken or oauth, TLS, rate-limit and drift
	// detection settings), with Secrets read from the operator's namespace,
	// plus namespaceSelector.
	// +required
	Spec ClusterOktaOrgSpec `json:"spec"`

	// status is the observed state of the connection: the kstatus
	// conditions (Ready is True once an authenticated call to the org
	// succeeded), the OAuth scopes Okta granted, which kinds and features
	// the connection can serve, the last rate-limit figures per bucket, and
	// the state of the System Log watcher.
	// +optional
	Status OktaOrgStatus `json:"status,omitempty"`
}

// ClusterOktaOrgList is a list of ClusterOktaOrg.
//
// +kubebuilder:object:root=true
type ClusterOktaOrgList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ClusterOktaOrg `json:"items"`
}

func init() {
	knownTypes = append(knownTypes, &OktaOrg{}, &OktaOrgList{}, &ClusterOktaOrg{}, &ClusterOktaOrgList{})
}
