package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// OrgKind names the kind of an Okta org connection.
// +kubebuilder:validation:Enum=OktaOrg;ClusterOktaOrg
type OrgKind string

const (
	// OrgKindOktaOrg is a namespaced OktaOrg in the referencing object's namespace.
	OrgKindOktaOrg OrgKind = "OktaOrg"
	// OrgKindClusterOktaOrg is a cluster-scoped ClusterOktaOrg.
	OrgKindClusterOktaOrg OrgKind = "ClusterOktaOrg"
)

// DefaultOrgName is the ClusterOktaOrg used when an object has no orgRef.
const DefaultOrgName = "default"

// OrgReference points at the Okta org connection an object is reconciled into.
type OrgReference struct {
	// kind is OktaOrg (in the same namespace) or ClusterOktaOrg.
	// +required
	Kind OrgKind `json:"kind"`

	// name is the name of the OktaOrg or ClusterOktaOrg.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
}

// DeletionPolicy says what happens in Okta when the Kubernetes object is deleted.
// +kubebuilder:validation:Enum=Delete;Orphan
type DeletionPolicy string

const (
	// DeletionPolicyDelete deletes the Okta object.
	DeletionPolicyDelete DeletionPolicy = "Delete"
	// DeletionPolicyOrphan leaves the Okta object in the org.
	DeletionPolicyOrphan DeletionPolicy = "Orphan"
)

// Condition types and reasons shared by every kind. They follow kstatus:
// Ready is always present, Reconciling and Stalled only while true.
const (
	// ConditionReady is True when the Okta object matches the spec.
	ConditionReady = "Ready"
	// ConditionReconciling is True while the controller is making progress.
	ConditionReconciling = "Reconciling"
	// ConditionStalled is True when the controller cannot make progress
	// until the spec (or something outside the cluster) changes.
	ConditionStalled = "Stalled"
	// ConditionDependenciesReady is True when every object this one names
	// (a binding's DeviceAssurancePolicies, a policy's DevicePostureChecks)
	// exists in Okta.
	ConditionDependenciesReady = "DependenciesReady"
)

// DriftPolicy says what the controller does when the Okta object differs
// from the spec after it was created.
// +kubebuilder:validation:Enum=Correct;Report
type DriftPolicy string

const (
	// DriftPolicyCorrect writes the spec back to Okta.
	DriftPolicyCorrect DriftPolicy = "Correct"
	// DriftPolicyReport writes nothing: the Drifted condition and an event
	// list the fields that differ.
	DriftPolicyReport DriftPolicy = "Report"
)

// ConditionDrifted is True while spec.driftPolicy is Report and the Okta
// object differs from the spec; its message lists the differing fields.
const ConditionDrifted = "Drifted"

// OutOfBandChange is a change of the Okta object that the org's System Log
// attributes to someone other than this operator, e.g. an admin in the
// Okta console.
type OutOfBandChange struct {
	// eventType is the System Log event type, e.g.
	// device.assurance.policy.update.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	EventType string `json:"eventType"`

	// actor names who made the change: the actor's alternateId (a login or
	// client ID), else its display name, else its Okta ID.
	// +optional
	// +kubebuilder:validation:MaxLength=256
	Actor string `json:"actor,omitempty"`

	// time is when Okta published the event.
	// +required
	Time metav1.Time `json:"time"`

	// eventID is the System Log event's uuid.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	EventID string `json:"eventID,omitempty"`
}
