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

// DevicePostureCheckSpec is an Okta custom device posture check: an osquery
// query that devices run, and the remediation shown when they fail it. Apart
// from orgRef and deletionPolicy its fields mirror the body of
// POST /api/v1/device-posture-checks (type is always CUSTOM).
// +kubebuilder:validation:XValidation:rule="has(oldSelf.orgRef) == has(self.orgRef) && (!has(self.orgRef) || oldSelf.orgRef == self.orgRef)",message="orgRef is immutable: create a new check to manage one in another org",fieldPath=".orgRef"
type DevicePostureCheckSpec struct {
	// orgRef names the OktaOrg or ClusterOktaOrg of the check. When omitted,
	// the ClusterOktaOrg named "default" is used. It cannot change.
	// +optional
	OrgRef *OrgReference `json:"orgRef,omitempty"`

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

	// remediationSettings are the instructions shown to users whose device
	// fails the check (with displayRemediationMode: SHOW on the policy).
	// +optional
	RemediationSettings *PostureCheckRemediation `json:"remediationSettings,omitempty"`

	// deletionPolicy says what happens to the Okta check when this object is
	// deleted: Delete (default) or Orphan.
	// +optional
	DeletionPolicy DeletionPolicy `json:"deletionPolicy,omitempty"`

	// suspend, when true, stops every Okta call for this object: the check in
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

// PostureCheckRemediation is what users see when their device fails a check.
type PostureCheckRemediation struct {
	// message is the remediation text.
	// +optional
	Message *PostureCheckRemediationMessage `json:"message,omitempty"`

	// link is where users find help.
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

	// observedGeneration is the metadata.generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions are Ready, Reconciling and Stalled, as kstatus reads them.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// createdDate is when Okta created the check.
	// +optional
	CreatedDate *metav1.Time `json:"createdDate,omitempty"`

	// createdBy is the Okta ID of the user or client that created the check.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	CreatedBy string `json:"createdBy,omitempty"`

	// lastUpdate is when Okta last changed the check.
	// +optional
	LastUpdate *metav1.Time `json:"lastUpdate,omitempty"`

	// lastUpdatedBy is the Okta ID of who last changed the check.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	LastUpdatedBy string `json:"lastUpdatedBy,omitempty"`

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

	// spec is the desired Okta check.
	// +required
	Spec DevicePostureCheckSpec `json:"spec"`

	// status is the observed state of the Okta check.
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
