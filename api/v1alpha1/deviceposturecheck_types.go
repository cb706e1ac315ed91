package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PostureCheckPlatform is a platform advanced posture checks run on.
// +kubebuilder:validation:Enum=MACOS;WINDOWS
type PostureCheckPlatform string

// PostureCheckMappingType is how a check is rendered in device assurance
// policies: a checkbox (the query returns 1 or 0) or a text box (a value).
// +kubebuilder:validation:Enum=CHECKBOX;TEXTBOX
type PostureCheckMappingType string

// DevicePostureCheckSpec is the desired state of a DevicePostureCheck: an
// Okta custom device posture check, whose fields mirror the body of
// POST /api/v1/device-posture-checks. The user-facing documentation is on
// DevicePostureCheck.Spec.
// +kubebuilder:validation:XValidation:rule="has(oldSelf.orgRef) == has(self.orgRef) && (!has(self.orgRef) || oldSelf.orgRef == self.orgRef)",message="orgRef is immutable: create a new check to manage one in another org",fieldPath=".orgRef"
type DevicePostureCheckSpec struct {
	ManagedSpec `json:",inline"`

	// name is the check's display name in Okta. When empty, metadata.name is
	// used.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	Name string `json:"name,omitempty"`

	// description says what the check verifies.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`

	// variableName is the check's unique key in the org, by which device
	// assurance policies require it (devicePostureChecks.include[]). It
	// cannot change.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	// +kubebuilder:validation:Pattern=`^[A-Za-z][A-Za-z0-9_]*$`
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="variableName is immutable: device assurance policies refer to the check by it"
	VariableName string `json:"variableName"`

	// platform is MACOS or WINDOWS. It cannot change.
	// +required
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="platform is immutable: create a new check for another platform"
	Platform PostureCheckPlatform `json:"platform"`

	// mappingType is CHECKBOX (the query returns 1 to pass, 0 to fail) or
	// TEXTBOX (policies compare the returned value).
	// +required
	MappingType PostureCheckMappingType `json:"mappingType"`

	// query is the osquery SQL the device runs: one statement that returns
	// exactly one row, ending with a semicolon.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=10000
	// +kubebuilder:validation:XValidation:rule="self.trim().endsWith(';')",message="query must be one osquery statement ending with a semicolon"
	Query string `json:"query"`

	// remediationSettings are what users whose device fails the check are
	// shown (when the device assurance policy has displayRemediationMode:
	// SHOW): a remediation message and a link to help.
	// +optional
	RemediationSettings *PostureCheckRemediation `json:"remediationSettings,omitempty"`

	// adopt takes over a custom posture check that already exists in the org
	// instead of creating one: by its Okta ID (id), or by its variableName
	// (byVariableName: true matches spec.variableName, the check's unique
	// key in the org). Without it, an existing check with the spec's
	// variableName is reported as a VariableNameConflict and left untouched.
	// The adopted check must have the spec's variableName and platform,
	// which cannot change, and cannot be one of Okta's built-in (BUILTIN)
	// checks. It is then replaced by the spec in one PUT when it differs, so
	// copy its settings into the spec first; it defaults to deletionPolicy
	// Orphan.
	// +optional
	Adopt *PostureCheckAdoption `json:"adopt,omitempty"`
}

// PostureCheckAdoption names an existing Okta custom posture check to take
// over: by ID, or by its variableName.
// +kubebuilder:validation:XValidation:rule="has(self.id) != (has(self.byVariableName) && self.byVariableName)",message="adopt needs exactly one of id or byVariableName: true"
type PostureCheckAdoption struct {
	// id is the Okta ID of the check to adopt, e.g. dch3m8o4rWhwReDeM1c5.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9]+$`
	ID string `json:"id,omitempty"`

	// byVariableName adopts the check of the org whose variableName is
	// spec.variableName. When the org has none, the check is created.
	// +optional
	ByVariableName bool `json:"byVariableName,omitempty"`
}

// PostureCheckRemediation is what users see when their device fails a check.
type PostureCheckRemediation struct {
	// message is the remediation text shown to the user, in customText.
	// +optional
	Message *PostureCheckRemediationMessage `json:"message,omitempty"`

	// link is where users find help: the URL shown to the user, in
	// customUrl.
	// +optional
	Link *PostureCheckRemediationLink `json:"link,omitempty"`
}

// PostureCheckRemediationMessage is a remediation text.
type PostureCheckRemediationMessage struct {
	// customText is the text shown to the user.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	CustomText string `json:"customText"`
}

// PostureCheckRemediationLink is a remediation link.
type PostureCheckRemediationLink struct {
	// customUrl is the link shown to the user, e.g.
	// https://intranet.example.com/firewall.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getScheme() == 'https' && url(self).getHostname() != ''",message="customUrl must be an https URL with a host, e.g. https://intranet.example.com/firewall"
	CustomURL string `json:"customUrl"`
}

// DevicePostureCheckStatus is the observed state of the Okta check.
type DevicePostureCheckStatus struct {
	// id is the Okta ID of the check (dch…).
	// +optional
	// +kubebuilder:validation:MaxLength=64
	ID string `json:"id,omitempty"`

	// type is the check's type as Okta reports it (CUSTOM).
	// +optional
	// +kubebuilder:validation:MaxLength=32
	Type string `json:"type,omitempty"`

	ManagedStatus `json:",inline"`

	OktaAudit `json:",inline"`

	// adopted is true when the check existed before this object took it
	// over; such a check is orphaned on deletion unless deletionPolicy says
	// Delete.
	// +optional
	Adopted bool `json:"adopted,omitempty"`
}

// DevicePostureCheck is an Okta custom device posture check (osquery)
// managed from Kubernetes.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=dpc,categories=okta
// +kubebuilder:printcolumn:name="Variable",type=string,JSONPath=`.spec.variableName`
// +kubebuilder:printcolumn:name="Platform",type=string,JSONPath=`.spec.platform`
// +kubebuilder:printcolumn:name="Okta ID",type=string,JSONPath=`.status.id`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type DevicePostureCheck struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is an Okta custom device posture check: an osquery query that
	// MACOS or WINDOWS devices run, and the remediation shown when they fail
	// it. Apart from orgRef, deletionPolicy, suspend, driftPolicy and adopt
	// its fields mirror the body of POST /api/v1/device-posture-checks (the
	// type is always CUSTOM). Device assurance policies require the check by
	// its variableName, or by this object's name in
	// devicePostureChecks.include[].checkRef.
	// +required
	Spec DevicePostureCheckSpec `json:"spec"`

	// status is the observed state of the Okta check: its Okta ID and type,
	// who created and last changed it and when, whether it was adopted, and
	// the kstatus conditions (Ready, Reconciling, Stalled, Drifted).
	// +optional
	Status DevicePostureCheckStatus `json:"status,omitempty"`
}

// DevicePostureCheckList is a list of DevicePostureCheck.
//
// +kubebuilder:object:root=true
type DevicePostureCheckList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []DevicePostureCheck `json:"items"`
}

func init() {
	knownTypes = append(knownTypes, &DevicePostureCheck{}, &DevicePostureCheckList{})
}
