package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TenantGrant gives the namespaces it selects rights on a ClusterOktaOrg.
// Only the cluster admin, who owns ClusterOktaOrgs, can grant: nothing in a
// namespace can widen its own rights.
type TenantGrant struct {
	// name identifies the grant in conditions and messages, e.g. payments.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	Name string `json:"name"`

	// namespaceSelector selects the namespaces the grant applies to, by
	// their labels (e.g. kubernetes.io/metadata.name for one namespace).
	// +required
	NamespaceSelector metav1.LabelSelector `json:"namespaceSelector"`

	// signInPolicies are the app sign-in policies the namespaces'
	// SignInRuleBindings may write rules into. An entry matches a binding's
	// spec.policy by the same key: a name entry the binding's policy.name,
	// an id entry its policy.id. Empty: no policy.
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=64
	SignInPolicies []SignInPolicyReference `json:"signInPolicies,omitempty"`

	// rulePriorities is the band of spec.rule.priority the namespaces'
	// bindings may ask for; a binding in a band must set its priority.
	// When omitted, any priority.
	// +optional
	RulePriorities *PriorityBand `json:"rulePriorities,omitempty"`

	// allowAdoption lets the namespaces' objects take over Okta objects
	// that exist already (spec.adopt). Without it they only create their
	// own.
	// +optional
	AllowAdoption bool `json:"allowAdoption,omitempty"`

	// allowCatchAllRule lets the namespaces' bindings manage the actions of
	// an app sign-in policy's Catch-all Rule.
	// +optional
	AllowCatchAllRule bool `json:"allowCatchAllRule,omitempty"`

	// allowPostureChecks lets the namespaces manage DevicePostureChecks
	// (custom osquery checks, which run on every device of the org).
	// +optional
	AllowPostureChecks bool `json:"allowPostureChecks,omitempty"`

	// allowDenyAccess lets the namespaces' rules deny access
	// (spec.rule.actions.appSignOn.access: DENY).
	// +optional
	AllowDenyAccess bool `json:"allowDenyAccess,omitempty"`

	// rateBudgetPercent is the share of the operator's rate budget of the
	// org (capacityPercent of each rate-limit bucket) that each namespace
	// it selects may use in one rate-limit window; beyond it the
	// namespace's objects wait for the next window, so that one namespace's
	// burst or failing objects cannot starve the others. When omitted, no
	// share: the whole budget.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	RateBudgetPercent *int32 `json:"rateBudgetPercent,omitempty"`

	// workerPercent is the share (1–100) of each controller's workers
	// (--concurrency) that the objects of each namespace it selects may
	// hold at once, at least one: past it a namespace's objects wait their
	// turn, without a status change, and the other namespaces' objects go
	// first. When omitted, no share: every worker.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	WorkerPercent *int32 `json:"workerPercent,omitempty"`

	// maxObjects caps how many objects of each kind a namespace may have
	// in this org; the objects created last are refused beyond it. When
	// omitted, no cap.
	// +optional
	MaxObjects *ObjectQuota `json:"maxObjects,omitempty"`
}

// PriorityBand is an inclusive range of Okta rule priorities.
// +kubebuilder:validation:XValidation:rule="self.min <= self.max",message="rulePriorities.min must not be greater than rulePriorities.max"
type PriorityBand struct {
	// min is the lowest priority number (the highest precedence) allowed.
	// +required
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=99
	Min int32 `json:"min"`

	// max is the highest priority number allowed.
	// +required
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=99
	Max int32 `json:"max"`
}

// ObjectQuota caps the objects of each kind of one namespace in one org.
type ObjectQuota struct {
	// deviceAssurancePolicies is the most DeviceAssurancePolicies.
	// +optional
	// +kubebuilder:validation:Minimum=0
	DeviceAssurancePolicies *int32 `json:"deviceAssurancePolicies,omitempty"`

	// devicePostureChecks is the most DevicePostureChecks.
	// +optional
	// +kubebuilder:validation:Minimum=0
	DevicePostureChecks *int32 `json:"devicePostureChecks,omitempty"`

	// signInRuleBindings is the most SignInRuleBindings.
	// +optional
	// +kubebuilder:validation:Minimum=0
	SignInRuleBindings *int32 `json:"signInRuleBindings,omitempty"`
}
