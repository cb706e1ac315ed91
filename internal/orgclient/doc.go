// Package orgclient turns an OktaOrg or ClusterOktaOrg, and the Secret it
// refers to, into a ready okta.API client.
//
// Cache builds one client per org and keeps it until the org's spec
// (generation) or its Secret (resourceVersion) changes, so that a rotated
// token or key takes effect at the next call without a restart. Clients with
// the same TLS settings share one HTTP transport and its connection pool.
//
// Secrets are read where orgs point, and nowhere else. A ClusterOktaOrg's
// Secret is in the operator's namespace and is read through the manager's
// cache, which holds the Secrets of that namespace only (a namespaced Role
// grants them). An OktaOrg's Secret is in a tenant namespace and is read
// with a direct GET (WithOktaOrgSecretReader: no informer, no list, no
// watch), which the tenant grants by binding the ClusterRole
// SecretReaderClusterRole to the operator in that namespace; without it the
// read fails with a ConfigError of reason SecretForbidden.
//
// One rate budget per org. Every client of an org (Client, and each
// Resolve) shares its request slots: at most WithMaxInFlight requests in
// flight for all controllers together, well below Okta's org-wide
// concurrency limit. With WithCapacityLimits, Resolve's clients also refuse,
// with a *CapacityError that reads as a 429 (callers requeue at the reset
// and free their worker), a call that would eat into the share of the
// bucket kept for the org's other clients (spec.capacityPercent of the live
// X-Rate-Limit-Limit), and every call for a short while after a concurrency
// 429. Calls are high urgency unless their context says otherwise
// (WithUrgency): low-urgency (resync, background) calls stop earlier,
// LowUrgencyHeadroomPercent above that share, and take a slot only when no
// high-urgency call waits and ReservedHighSlots stay free.
//
// What org objects may connect to is the cluster admin's (ConnectionPolicy,
// from the manager's flags): Okta's own domains or the admin's list, no
// insecure TLS or plain HTTP without the flag, no OktaOrg in the operator's
// namespace; an org the policy refuses never has its Secret read. Rights
// says what a namespace may do in a ClusterOktaOrg with tenants; a
// namespace with a rateBudgetPercent share (WithTenantBudget) waits for the
// next window once it has used its share of a bucket.
//
// Resolve also refuses, with reason MissingScope, an org whose status says
// it cannot serve the kind WithCapability names (its access token lacks the
// kind's OAuth scope), before any Okta call.
//
// Credentials never leave this package except inside the okta client:
// every error names the Secret and key that failed, never their content.
package orgclient

// Resolving an orgRef reads the org objects, their Secrets and, for a
// ClusterOktaOrg with a namespaceSelector, the requesting Namespace. The
// ClusterRole grants no Secret: those of ClusterOktaOrgs are granted by a
// Role in the operator's namespace ("system", which kustomize renames), those
// of OktaOrgs by each tenant (config/rbac/secret_reader_role.yaml).
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=oktaorgs;clusteroktaorgs,verbs=get;list;watch
// +kubebuilder:rbac:groups="",namespace=system,resources=secrets,verbs=get;list;watch
// +kubebuilder:rbac:groups="",resources=namespaces,verbs=get;list;watch
