package v1alpha1

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
