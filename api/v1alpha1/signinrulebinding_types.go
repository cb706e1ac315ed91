package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// SignInRuleBindingSpec is the desired state of a SignInRuleBinding: a rule
// of an Okta app sign-in policy (ACCESS_POLICY), whose Rule mirrors the JSON
// body of PUT /api/v1/policies/{policyId}/rules/{ruleId}. The user-facing
// documentation is on SignInRuleBinding.Spec.
// +kubebuilder:validation:XValidation:rule="has(oldSelf.orgRef) == has(self.orgRef) && (!has(self.orgRef) || oldSelf.orgRef == self.orgRef)",message="orgRef is immutable: create a new binding to manage a rule in another org",fieldPath=".orgRef"
type SignInRuleBindingSpec struct {
	ManagedSpec `json:",inline"`

	// policy is the app sign-in policy (Okta policy type ACCESS_POLICY) the
	// rule belongs to: exactly one of its Okta ID (id) or its exact name
	// (name). The policy must already exist: the binding manages its rule,
	// not the policy. Changing policy moves the rule: it is released from the
	// old policy as a deletion would release it (deleted, or left with
	// deletionPolicy Orphan), then created or adopted in the new one.
	// +required
	Policy SignInPolicyReference `json:"policy"`

	// rule is the whole rule: the JSON body of Okta's
	// PUT /api/v1/policies/{policyId}/rules/{ruleId} (name, priority,
	// status, conditions and actions; the rule's type is always
	// ACCESS_POLICY) written as YAML, except that
	// conditions.device.assurance may name DeviceAssurancePolicy objects
	// instead of Okta IDs. Okta's PUT replaces the whole rule: what rule does
	// not declare is removed from the Okta rule.
	// +required
	Rule SignInRule `json:"rule"`

	// adopt takes over a rule that already exists in the app sign-in policy
	// instead of creating one: by its Okta rule ID (id, as Okta's guide
	// does), or by its name within the policy (byName: true matches
	// rule.name). Without it, an existing rule with the same name is reported
	// as a NameConflict and left untouched. The adopted rule is then replaced
	// by rule in one PUT, so declare everything it should keep; it defaults
	// to deletionPolicy Orphan. The policy's Catch-all Rule can be adopted to
	// manage its actions (leave rule.conditions out); it is never deleted.
	// +optional
	Adopt *RuleAdoption `json:"adopt,omitempty"`
}

// RuleAdoption names an existing rule of the binding's app sign-in policy to
// take over: by rule ID, or by the rule's name within the policy.
// +kubebuilder:validation:XValidation:rule="has(self.id) != (has(self.byName) && self.byName)",message="adopt needs exactly one of id or byName: true"
type RuleAdoption struct {
	// id is the Okta ID of the rule to adopt, e.g. rul7yut96gmsOzKAA1d6. The
	// rule must belong to the app sign-in policy that policy names.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9]+$`
	ID string `json:"id,omitempty"`

	// byName adopts the rule of the app sign-in policy whose name is
	// rule.name. Several rules with that name are reported as AmbiguousName:
	// adopt one by id instead.
	// +optional
	ByName bool `json:"byName,omitempty"`
}

// SignInPolicyReference names an app sign-in policy: exactly one of id or
// name.
// +kubebuilder:validation:XValidation:rule="has(self.id) != has(self.name)",message="policy needs exactly one of id or name"
type SignInPolicyReference struct {
	// id is the Okta ID of the policy, e.g. rst7xus97faIAgmti1d7.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9]+$`
	ID string `json:"id,omitempty"`

	// name is the exact name of the policy; it must match exactly one
	// ACCESS_POLICY policy of the org.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	Name string `json:"name,omitempty"`
}

// RuleStatus is whether a rule is applied.
// +kubebuilder:validation:Enum=ACTIVE;INACTIVE
type RuleStatus string

// Rule statuses.
const (
	RuleStatusActive   RuleStatus = "ACTIVE"
	RuleStatusInactive RuleStatus = "INACTIVE"
)

// SignInRule is an app sign-in policy rule.
type SignInRule struct {
	// name is the rule's name in Okta.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=255
	Name string `json:"name"`

	// priority is the rule's position, 0 being evaluated first. A binding
	// that sets it owns it; one that does not leaves it to Okta and others.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=99
	Priority *int32 `json:"priority,omitempty"`

	// status is ACTIVE (the default) or INACTIVE.
	// +optional
	// +kubebuilder:default=ACTIVE
	Status RuleStatus `json:"status,omitempty"`

	// conditions select the sign-ins the rule applies to (Okta's rule
	// conditions): device state and device assurance policies, people,
	// network zones, device platforms, risk score, user types and an Okta
	// Expression Language condition. A sign-in matches when it meets every
	// condition that is set. The Catch-all Rule takes no conditions.
	// +optional
	Conditions *RuleConditions `json:"conditions,omitempty"`

	// actions say what happens to a matching sign-in: Okta's
	// actions.appSignOn, which allows or denies access and says how the user
	// must verify.
	// +required
	Actions RuleActions `json:"actions"`
}

// ResolvedDeviceAssurance is a device assurance policy a rule refers to by
// name, with the Okta ID the rule uses.
type ResolvedDeviceAssurance struct {
	// name is the DeviceAssurancePolicy.
	// +required
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`

	// id is its Okta ID.
	// +required
	// +kubebuilder:validation:MaxLength=64
	ID string `json:"id"`
}

// SignInRuleBindingStatus is the observed state of the rule.
type SignInRuleBindingStatus struct {
	// policyID is the Okta ID of the app sign-in policy.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	PolicyID string `json:"policyID,omitempty"`

	// ruleID is the Okta ID of the rule.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	RuleID string `json:"ruleID,omitempty"`

	// priority is the priority Okta reports for the rule.
	// +optional
	Priority *int32 `json:"priority,omitempty"`

	// deviceAssurances lists, for each DeviceAssurancePolicy that
	// rule.conditions.device.assurance names, the Okta ID it resolved to,
	// which is the ID the rule sends to Okta. When a named policy gets a new
	// Okta ID (it was recreated), the rule is updated to it.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=50
	DeviceAssurances []ResolvedDeviceAssurance `json:"deviceAssurances,omitempty"`

	ManagedStatus `json:",inline"`

	// adopted is true when the rule existed before this object took it over.
	// +optional
	Adopted bool `json:"adopted,omitempty"`
}

// SignInRuleBinding is a rule of an Okta app sign-in policy managed from
// Kubernetes, typically one that requires device assurance.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=sirb,categories=okta
// +kubebuilder:printcolumn:name="Policy",type=string,JSONPath=`.status.policyID`
// +kubebuilder:printcolumn:name="Rule ID",type=string,JSONPath=`.status.ruleID`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type SignInRuleBinding struct {
	metav1.TypeMeta `json:",inline"`

	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is a rule of an Okta app sign-in policy (ACCESS_POLICY),
	// typically one that requires device assurance. policy names the app
	// sign-in policy, which must already exist; rule is the JSON body of
	// PUT /api/v1/policies/{policyId}/rules/{ruleId} written as YAML, with
	// device assurance policies named by their DeviceAssurancePolicy object
	// (or by Okta ID); adopt takes over an existing rule; orgRef,
	// deletionPolicy, suspend and driftPolicy say where and how the operator
	// manages it. Okta's PUT replaces the whole rule: what the binding does
	// not declare is removed from the rule.
	// +required
	Spec SignInRuleBindingSpec `json:"spec"`

	// status is the observed state of the rule: the Okta IDs of the rule and
	// of its app sign-in policy, the priority Okta reports, the Okta ID each
	// named DeviceAssurancePolicy resolved to, whether the rule was adopted,
	// and the kstatus conditions (Ready, Reconciling, Stalled,
	// DependenciesReady, Drifted).
	// +optional
	Status SignInRuleBindingStatus `json:"status,omitempty"`
}

// SignInRuleBindingList is a list of SignInRuleBinding.
//
// +kubebuilder:object:root=true
type SignInRuleBindingList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []SignInRuleBinding `json:"items"`
}

func init() {
	knownTypes = append(knownTypes, &SignInRuleBinding{}, &SignInRuleBindingList{})
}
