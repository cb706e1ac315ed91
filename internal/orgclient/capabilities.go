package orgclient

import (
	"context"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// ReasonMissingScope is the reason of a NotReadyError for an object whose
// kind the org cannot serve: its access token lacks the OAuth scope the
// kind needs (the org's status.capabilities). An Okta admin fixes it by
// granting the scope; the org's next check notices.
const ReasonMissingScope = "MissingScope"

type capabilityKey struct{}

// WithCapability marks ctx as the context of a pass over an object of the
// kind, or feature, name: Resolve then refuses the org, with a
// NotReadyError of reason ReasonMissingScope and the org's message, while
// the org's status says it cannot serve name.
func WithCapability(ctx context.Context, name v1alpha1.OrgCapabilityName) context.Context {
	return context.WithValue(ctx, capabilityKey{}, name)
}

// CapabilityFrom returns the capability WithCapability put in ctx, empty
// if none.
func CapabilityFrom(ctx context.Context) v1alpha1.OrgCapabilityName {
	name, _ := ctx.Value(capabilityKey{}).(v1alpha1.OrgCapabilityName)
	return name
}

// Grants returns what the org's client learned of its OAuth scopes (see
// okta.Client.Grants); false for an API token, before the first token, or
// before Client built the org's client.
func (c *Cache) Grants(org Org) (okta.Grants, bool) {
	if oc := c.built(org); oc != nil {
		return oc.Grants()
	}
	return okta.Grants{}, false
}

// RelearnScopes makes the org's client ask for every default scope again
// at its next token if Okta refused some before (okta.Client.RelearnScopes).
func (c *Cache) RelearnScopes(org Org) {
	if oc := c.built(org); oc != nil {
		oc.RelearnScopes()
	}
}

// AccessDenials returns the operations Okta refused to the org's client
// for lack of an admin role permission (okta.Client.AccessDenials).
func (c *Cache) AccessDenials(org Org) []okta.AccessDenial {
	if oc := c.built(org); oc != nil {
		return oc.AccessDenials()
	}
	return nil
}

// built returns the org's current client, nil if none was built.
func (c *Cache) built(org Org) *okta.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[orgID{kind: org.Kind, key: org.Key}]; ok {
		return e.client
	}
	return nil
}
