package oktaorg

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// capabilityNeeds is, per kind and feature, the OAuth scope its writes (or
// reads, for the System Log) need (docs/okta-api-behaviour.md §0) and the
// rate-limit bucket its calls fall in, which groups the 403 E0000006 Okta
// answered to them.
var capabilityNeeds = []struct {
	name   v1alpha1.OrgCapabilityName
	scope  string
	bucket okta.Bucket
}{
	{v1alpha1.CapabilityDeviceAssurancePolicy, okta.ScopeDeviceAssuranceManage, okta.BucketDeviceAssurances},
	{v1alpha1.CapabilitySignInRuleBinding, okta.ScopePoliciesManage, okta.BucketAPIv1},
	{v1alpha1.CapabilityDevicePostureCheck, okta.ScopeDevicePostureChecksManage, okta.BucketDevicePostureCheck},
	{v1alpha1.CapabilityDriftDetection, okta.ScopeLogsRead, okta.BucketLogs},
}

// ReasonMissingScope is the Ready reason of an OAuth org whose access
// token lacks the scope the org check needs, and the event reason of a
// kind or feature that became unavailable for lack of its scope.
const ReasonMissingScope = orgclient.ReasonMissingScope

// Event reasons of capability changes.
const (
	ReasonAdminRoleLacksPermission = "AdminRoleLacksPermission"
	ReasonCapabilityAvailable      = "CapabilityAvailable"
)

// maxCapabilityMessage is the CRD's MaxLength of a capability's message.
const maxCapabilityMessage = 1024

// consoleScopes is where an Okta admin grants a scope to the app.
const consoleScopes = "Okta Admin Console > Applications > Applications > the app > Okta API Scopes"

// capabilitiesOf says what a Ready org can serve, from what its client
// learned: grants (OAuth only) and the operations Okta refused for lack of
// an admin role permission. logsRead says whether the System Log of the
// org is read at all: when drift detection is off (for the org, or for the
// manager), DriftDetection needs no okta.logs.read and is not reported
// missing.
func capabilitiesOf(org orgclient.Org, grants okta.Grants, denials []okta.AccessDenial, logsRead bool) []v1alpha1.OrgCapability {
	out := make([]v1alpha1.OrgCapability, 0, len(capabilityNeeds))
	for _, need := range capabilityNeeds {
		c := v1alpha1.OrgCapability{Name: need.name, Available: true}
		needsScope := need.name != v1alpha1.CapabilityDriftDetection || logsRead
		denied := deniedIn(denials, need.bucket)
		switch {
		case org.Spec.OAuth != nil && needsScope && !slices.Contains(grants.Granted, need.scope):
			c.Available, c.MissingScope = false, v1alpha1.OAuthScope(need.scope)
			c.Message = unavailableMessage(org, need.name, need.scope, grants.Explicit)
		case denied != "":
			c.Message = fmt.Sprintf("Okta refused %s with 403 E0000006: %s lacks the permission; %s",
				denied, roleHolder(org), roleFix(org))
		}
		if len(c.Message) > maxCapabilityMessage {
			c.Message = c.Message[:maxCapabilityMessage-len("…")] + "…"
		}
		out = append(out, c)
	}
	return out
}

// unavailableMessage says why name is unavailable and what to do.
func unavailableMessage(org orgclient.Org, name v1alpha1.OrgCapabilityName, scope string, explicit bool) string {
	msg := fmt.Sprintf("%s was not granted %s, which %s needs: grant it to the service app %s (%s); the org's next check picks it up",
		org, scope, name, org.Spec.OAuth.ClientID, consoleScopes)
	if explicit {
		msg = fmt.Sprintf("spec.oauth.scopes of %s does not list %s, which %s needs: add it, and grant it to the service app %s (%s)",
			org, scope, name, org.Spec.OAuth.ClientID, consoleScopes)
	}
	if name == v1alpha1.CapabilityDriftDetection {
		msg += "; meanwhile the System Log is not read, and changes made outside the operator are found at each resync"
	}
	return msg
}

// deniedIn lists the refused operations of bucket, e.g.
// "POST /api/v1/device-posture-checks"; empty if none.
func deniedIn(denials []okta.AccessDenial, bucket okta.Bucket) string {
	var ops []string
	for _, d := range denials {
		if d.Bucket == bucket {
			ops = append(ops, d.Method+" "+d.Path)
		}
	}
	return strings.Join(ops, ", ")
}

// roleHolder names whose admin role Okta checked.
func roleHolder(org orgclient.Org) string {
	if org.Spec.OAuth != nil {
		return "the admin role of the service app " + org.Spec.OAuth.ClientID
	}
	return "the role of the admin whose API token is in " + secretDescription(org)
}

// roleFix says how to give the credentials the missing permission.
func roleFix(org orgclient.Org) string {
	if org.Spec.OAuth != nil {
		return "assign the app an admin role that allows it (Okta Admin Console > Applications > Applications > the app > Admin roles)"
	}
	return "use the API token of an admin whose role allows it"
}

// missingScopeOutcome is the outcome of a check refused for lack of the
// scope the check itself needs (okta.MissingScope): with the default
// scopes, okta.RequiredScope was not granted; with spec.oauth.scopes, a
// scope it lists was not granted (Okta refuses the token for the whole
// list), or it lacks the one the check needs.
func missingScopeOutcome(org orgclient.Org, scope string, err error) outcome {
	fix := fmt.Sprintf("grant it to the service app %s (%s)", org.Spec.OAuth.ClientID, consoleScopes)
	msg := fmt.Sprintf("%s was not granted %s, which the operator needs for every kind (the org check lists device assurance policies with it): %s",
		org, scope, fix)
	if orgclient.ExplicitScopes(org.Spec) != nil {
		msg = fmt.Sprintf("%s has no access token with the scopes spec.oauth.scopes lists, for lack of %s: %s, or change the list "+
			"(it needs okta.deviceAssurance.manage or .read for the org check): %v", org, scope, fix, err)
	}
	return outcome{action: actionStallRecheck, reason: ReasonMissingScope, message: msg}
}

// capabilityEvents are the events of the capabilities that changed
// between two statuses: a Warning for each newly reported problem, a
// Normal event for each kind or feature that became available.
func capabilityEvents(prev, next []v1alpha1.OrgCapability) []readyTransition {
	var out []readyTransition
	for _, c := range next {
		i := slices.IndexFunc(prev, func(p v1alpha1.OrgCapability) bool { return p.Name == c.Name })
		var before *v1alpha1.OrgCapability
		if i >= 0 {
			before = &prev[i]
		}
		switch {
		case c.Message != "" && (before == nil || before.Message != c.Message):
			reason := ReasonAdminRoleLacksPermission
			if !c.Available {
				reason = ReasonMissingScope
			}
			out = append(out, readyTransition{eventType: corev1.EventTypeWarning, reason: reason, note: c.Message})
		case c.Available && before != nil && !before.Available:
			out = append(out, readyTransition{eventType: corev1.EventTypeNormal, reason: ReasonCapabilityAvailable,
				note: fmt.Sprintf("%s is available: the access token holds %s", c.Name, before.MissingScope)})
		}
	}
	return out
}
