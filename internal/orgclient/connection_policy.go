package orgclient

import (
	"net/url"
	"strings"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// Reasons of the ConfigErrors the connection policy gives.
const (
	// ReasonHostNotAllowed: spec.url is not on the manager's list of org
	// hosts (--allowed-org-hosts).
	ReasonHostNotAllowed = "HostNotAllowed"
	// ReasonInsecureNotAllowed: spec.allowInsecureHTTP or
	// spec.insecureSkipTLSVerify is set, and the manager was not started
	// with --allow-insecure-org-connections.
	ReasonInsecureNotAllowed = "InsecureNotAllowed"
	// ReasonNamespacedOrgsDisabled: the manager was started with
	// --namespaced-okta-orgs=false; only ClusterOktaOrgs connect.
	ReasonNamespacedOrgsDisabled = "NamespacedOrgsDisabled"
	// ReasonOperatorNamespace: an OktaOrg in the operator's own namespace,
	// which would read the Secrets of the ClusterOktaOrgs.
	ReasonOperatorNamespace = "OperatorNamespace"
)

// DefaultAllowedHosts are the domains of Okta's own orgs (Okta's API
// reference: "a provided subdomain of an official okta domain (okta.com,
// oktapreview.com, etc)"; the EMEA, government and military cells use
// okta-emea.com, okta-gov.com and okta.mil). A custom domain of an org must
// be added by the cluster admin.
var DefaultAllowedHosts = []string{"*.okta.com", "*.oktapreview.com", "*.okta-emea.com", "*.okta-gov.com", "*.okta.mil"}

// ConnectionPolicy is what the cluster admin lets org objects connect to,
// set with the manager's flags: an org object must never turn the
// operator, and the Secret it sends, against the cluster or another host.
type ConnectionPolicy struct {
	// AllowedHosts are the hosts an org's spec.url may name: an exact host
	// name, or "*.domain" for any subdomain of domain. Empty means
	// DefaultAllowedHosts.
	AllowedHosts []string
	// AllowInsecure honours spec.allowInsecureHTTP and
	// spec.insecureSkipTLSVerify, for local simulators and tests; without
	// it an org that sets either is refused.
	AllowInsecure bool
	// DisableNamespacedOrgs refuses every OktaOrg: only the cluster admin's
	// ClusterOktaOrgs connect.
	DisableNamespacedOrgs bool
}

// LocalSimulatorPolicy lets orgs reach a simulator on this machine over
// plain HTTP: for the demo, the tests and the benchmarks only.
func LocalSimulatorPolicy() ConnectionPolicy {
	return ConnectionPolicy{AllowedHosts: []string{"127.0.0.1", "localhost"}, AllowInsecure: true}
}

// WithConnectionPolicy sets what org objects may connect to (default: Okta's
// own domains over verified TLS, OktaOrgs anywhere but the operator's
// namespace).
func WithConnectionPolicy(p ConnectionPolicy) Option {
	return func(c *Cache) { c.policy = p }
}

// check refuses an org the policy does not allow, before its Secret is
// read; operatorNamespace is where the ClusterOktaOrgs' Secrets are, and
// where no OktaOrg may be. The messages name the setting and the flag,
// never a Secret.
func (p ConnectionPolicy) check(org Org, operatorNamespace string) error {
	if org.Kind == v1alpha1.OrgKindOktaOrg {
		switch {
		case p.DisableNamespacedOrgs:
			return configErrorf(ReasonNamespacedOrgsDisabled, "namespaced OktaOrgs are turned off in this cluster (--namespaced-okta-orgs=false); use a ClusterOktaOrg")
		case operatorNamespace != "" && org.Key.Namespace == operatorNamespace:
			return configErrorf(ReasonOperatorNamespace, "an OktaOrg cannot live in the operator's namespace %s, whose Secrets belong to ClusterOktaOrgs", operatorNamespace)
		}
	}
	if (org.Spec.AllowInsecureHTTP || org.Spec.InsecureSkipTLSVerify) && !p.AllowInsecure {
		return configErrorf(ReasonInsecureNotAllowed, "spec.allowInsecureHTTP and spec.insecureSkipTLSVerify are honoured only when the manager runs with --allow-insecure-org-connections (local simulators)")
	}
	u, err := url.Parse(org.Spec.URL)
	if err != nil || u.Hostname() == "" {
		return configErrorf(ReasonInvalidSpec, "spec.url %q is not an absolute URL", org.Spec.URL)
	}
	if !p.allows(u.Hostname()) {
		return configErrorf(ReasonHostNotAllowed, "spec.url host %s is not an Okta domain nor a host the cluster admin allowed (--allowed-org-hosts)", u.Hostname())
	}
	return nil
}

// allows tells whether host matches one of the allowed hosts.
func (p ConnectionPolicy) allows(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	allowed := p.AllowedHosts
	if len(allowed) == 0 {
		allowed = DefaultAllowedHosts
	}
	for _, pattern := range allowed {
		pattern = strings.ToLower(strings.TrimSpace(pattern))
		if domain, ok := strings.CutPrefix(pattern, "*."); ok {
			if strings.HasSuffix(host, "."+domain) {
				return true
			}
		} else if host == pattern {
			return true
		}
	}
	return false
}

// IsOktaHost tells whether host is in one of Okta's own domains, whose
// transport errors may be shown as they are.
func IsOktaHost(host string) bool {
	return ConnectionPolicy{}.allows(host)
}
