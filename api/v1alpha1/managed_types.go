package v1alpha1

import (
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ManagedSpec holds the spec fields of every kind the operator manages in
// Okta: which org, what happens on deletion, and whether the operator may
// call Okta and write to it.
type ManagedSpec struct {
	// orgRef names the Okta org connection the Okta object lives in: an
	// OktaOrg of this namespace (kind: OktaOrg) or a ClusterOktaOrg (kind:
	// ClusterOktaOrg), by name. When omitted, the ClusterOktaOrg named
	// "default" is used. It cannot change once set, nor be added or removed:
	// create a new object to manage an Okta object in another org.
	// +optional
	OrgRef *OrgReference `json:"orgRef,omitempty"`

	// deletionPolicy says what happens to the Okta object when this object is
	// deleted: Delete removes it from the org, Orphan leaves it. Defaults to
	// Delete, or to Orphan for an Okta object that was adopted rather than
	// created. The Catch-all Rule of an app sign-in policy is never deleted.
	// +optional
	DeletionPolicy DeletionPolicy `json:"deletionPolicy,omitempty"`

	// suspend, when true, stops every Okta call for this object: the Okta
	// object is neither read nor written, and Ready is False with reason
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

// ManagedStatus holds the status fields of every kind the operator manages
// in Okta: the kstatus conditions and the record of the create protocol.
type ManagedStatus struct {
	// observedGeneration is the metadata.generation the status describes.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// conditions are Ready, Reconciling and Stalled, as kstatus reads them,
	// and, where they apply, DependenciesReady and Drifted.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=16
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// pendingCreate records a create sent to Okta whose result is not yet
	// recorded: the display name the Okta object was created with and when
	// the create was sent. It is set from just before the operator asks Okta
	// to create the object until it has recorded the new Okta ID, so that a
	// pass that finds it set (after a restart or a lost response) takes over
	// what that create made instead of creating a second one.
	// +optional
	PendingCreate *PendingCreate `json:"pendingCreate,omitempty"`

	// lastSyncTime is when the controller last confirmed that the Okta
	// object matches the spec.
	// +optional
	LastSyncTime *metav1.Time `json:"lastSyncTime,omitempty"`

	// lastOutOfBandChange is the latest change of the Okta object that the
	// org's System Log attributes to someone other than this operator, e.g.
	// an admin in the Okta console: its event type, who made it, when, and
	// the event's ID.
	// +optional
	LastOutOfBandChange *OutOfBandChange `json:"lastOutOfBandChange,omitempty"`
}

// OktaAudit holds the audit fields Okta reports for a device assurance
// policy or a posture check.
type OktaAudit struct {
	// createdDate is when Okta created the object.
	// +optional
	CreatedDate *metav1.Time `json:"createdDate,omitempty"`

	// createdBy is the Okta ID of the user or client that created the object.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	CreatedBy string `json:"createdBy,omitempty"`

	// lastUpdate is when Okta last changed the object.
	// +optional
	LastUpdate *metav1.Time `json:"lastUpdate,omitempty"`

	// lastUpdatedBy is the Okta ID of the user or client that last changed
	// the object.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	LastUpdatedBy string `json:"lastUpdatedBy,omitempty"`
}

// PendingCreate records a create that was sent to Okta but whose result was
// not yet recorded, so that a later pass takes over the created object
// instead of creating a second one.
type PendingCreate struct {
	// name is the display name the Okta object was created with.
	// +required
	// +kubebuilder:validation:MaxLength=255
	Name string `json:"name"`

	// requestedAt is when the create was sent.
	// +required
	RequestedAt metav1.Time `json:"requestedAt"`
}

// GetManagedSpec returns the spec fields every managed kind has.
func (p *DeviceAssurancePolicy) GetManagedSpec() *ManagedSpec { return &p.Spec.ManagedSpec }

// GetManagedStatus returns the status fields every managed kind has.
func (p *DeviceAssurancePolicy) GetManagedStatus() *ManagedStatus { return &p.Status.ManagedStatus }

// IsAdopted tells whether the Okta policy existed before this object took
// it over.
func (p *DeviceAssurancePolicy) IsAdopted() bool { return p.Status.Adopted }

// OktaIDs are the Okta IDs in the status: the policy's.
func (p *DeviceAssurancePolicy) OktaIDs() []string { return nonEmpty(p.Status.ID) }

// OktaID is the Okta ID of the policy this object manages.
func (p *DeviceAssurancePolicy) OktaID() string { return p.Status.ID }

// WantsAdoption tells whether the spec asks to take over an existing policy.
func (p *DeviceAssurancePolicy) WantsAdoption() bool { return p.Spec.Adopt != nil }

// PostureCheckNames lists, sorted and once each, the DevicePostureChecks of
// the policy's namespace that it requires by checkRef.
func (p *DeviceAssurancePolicy) PostureCheckNames() []string {
	if p.Spec.DevicePostureChecks == nil {
		return nil
	}
	var names []string
	for _, item := range p.Spec.DevicePostureChecks.Include {
		if item.CheckRef != nil && item.CheckRef.Name != "" {
			names = append(names, item.CheckRef.Name)
		}
	}
	return sortedUnique(names)
}

// GetManagedSpec returns the spec fields every managed kind has.
func (c *DevicePostureCheck) GetManagedSpec() *ManagedSpec { return &c.Spec.ManagedSpec }

// GetManagedStatus returns the status fields every managed kind has.
func (c *DevicePostureCheck) GetManagedStatus() *ManagedStatus { return &c.Status.ManagedStatus }

// IsAdopted tells whether the Okta check existed before this object took
// it over.
func (c *DevicePostureCheck) IsAdopted() bool { return c.Status.Adopted }

// OktaIDs are the Okta IDs in the status: the check's.
func (c *DevicePostureCheck) OktaIDs() []string { return nonEmpty(c.Status.ID) }

// OktaID is the Okta ID of the check this object manages.
func (c *DevicePostureCheck) OktaID() string { return c.Status.ID }

// WantsAdoption tells whether the spec asks to take over an existing check.
func (c *DevicePostureCheck) WantsAdoption() bool { return c.Spec.Adopt != nil }

// GetManagedSpec returns the spec fields every managed kind has.
func (b *SignInRuleBinding) GetManagedSpec() *ManagedSpec { return &b.Spec.ManagedSpec }

// GetManagedStatus returns the status fields every managed kind has.
func (b *SignInRuleBinding) GetManagedStatus() *ManagedStatus { return &b.Status.ManagedStatus }

// IsAdopted tells whether the rule existed before this binding took it over.
func (b *SignInRuleBinding) IsAdopted() bool { return b.Status.Adopted }

// OktaIDs are the Okta IDs in the status: the rule's and its app sign-in
// policy's. A binding is found by its policy too: a rule added or removed
// there moves its rule's priority without an event about the rule.
func (b *SignInRuleBinding) OktaIDs() []string { return nonEmpty(b.Status.RuleID, b.Status.PolicyID) }

// OktaID is the Okta ID of the rule this binding manages (the app sign-in
// policy it belongs to is shared with other bindings).
func (b *SignInRuleBinding) OktaID() string { return b.Status.RuleID }

// WantsAdoption tells whether the spec asks to take over an existing rule.
func (b *SignInRuleBinding) WantsAdoption() bool { return b.Spec.Adopt != nil }

// DeviceAssurancePolicyNames lists, sorted and once each, the
// DeviceAssurancePolicies of the binding's namespace that its rule includes.
func (b *SignInRuleBinding) DeviceAssurancePolicyNames() []string {
	c := b.Spec.Rule.Conditions
	if c == nil || c.Device == nil || c.Device.Assurance == nil {
		return nil
	}
	var names []string
	for _, ref := range c.Device.Assurance.Include {
		if ref.Name != "" {
			names = append(names, ref.Name)
		}
	}
	return sortedUnique(names)
}

func nonEmpty(ids ...string) []string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}

func sortedUnique(names []string) []string {
	slices.Sort(names)
	return slices.Compact(names)
}
