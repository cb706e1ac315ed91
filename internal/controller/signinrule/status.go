package signinrule

import (
	"time"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// Reasons of the Ready condition particular to sign-in rule bindings; the
// shared ones are in package outcome.
const (
	ReasonPolicyNotFound       = "PolicyNotFound"
	ReasonAmbiguousPolicy      = "AmbiguousPolicy"
	ReasonNotAnAppSignInPolicy = "NotAnAppSignInPolicy"
	ReasonPriorityConflict     = "PriorityConflict"
	ReasonCatchAllConditions   = "CatchAllConditions"
	ReasonCatchAllStatus       = "CatchAllStatus"
	ReasonNameConflict         = "NameConflict"
	ReasonAmbiguousName        = "AmbiguousName"
	ReasonAdoptionFailed       = "AdoptionFailed"
)

const (
	// policyRecheck is how often a binding whose policy does not exist
	// looks again: a person may create or rename it, which no watch sees.
	policyRecheck = time.Minute
	// conflictRecheck is how often a binding blocked by another one (same
	// priority, or a rule it did not create) looks again.
	conflictRecheck = 30 * time.Second
	// nameConflictRecheck is how often a binding blocked by a rule it did
	// not create looks again: a person may rename or delete that rule.
	nameConflictRecheck = 5 * time.Minute
)

// recordObserved copies the rule's ID and priority into the status.
func recordObserved(status *assurancev1alpha1.SignInRuleBindingStatus, rule *okta.PolicyRuleResponse) {
	status.RuleID = rule.ID
	if rule.Priority != nil {
		p := int32(*rule.Priority) //nolint:gosec // Okta priorities are 0..99
		status.Priority = &p
	}
}
