// Package managed is the reconciler every kind of Okta object shares
// (DeviceAssurancePolicy, DevicePostureCheck, SignInRuleBinding), after
// crossplane-runtime's managed reconciler, kept smaller.
//
// A pass reads the object, resolves its org, and then either pauses
// (spec.suspend), finalizes (the object is being deleted: delete or orphan
// the Okta object, then release the finalizer), waits for the org, or syncs
// (the kind's Sync: dependencies, desired body, create or update). The
// status is written once at the end of the pass by a StatusPatcher, from
// the Outcome the pass returned (package outcome); a create records its
// intent in the status before it is sent (CreateOnce), with the same
// patcher, so that a later pass can never create a second Okta object.
//
// What differs per kind is behind Kind: the Okta calls, the desired body
// and its normalization, dependencies and kind-specific conditions.
package managed
