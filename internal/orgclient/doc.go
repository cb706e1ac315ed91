// Package orgclient turns an OktaOrg or ClusterOktaOrg, and the Secret it
// refers to, into a ready okta.API client.
//
// Cache builds one client per org and keeps it until the org's spec
// (generation) or its Secret (resourceVersion) changes, so that a rotated
// token or key takes effect at the next call without a restart. Clients with
// the same TLS settings share one HTTP transport and its connection pool.
//
// Credentials never leave this package except inside the okta client:
// every error names the Secret and key that failed, never their content.
package orgclient

// Resolving an orgRef reads the org objects, their Secrets and, for a
// ClusterOktaOrg with a namespaceSelector, the requesting Namespace.
// +kubebuilder:rbac:groups=assurance.okta-operator.dev,resources=oktaorgs;clusteroktaorgs,verbs=get;list;watch
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get;list;watch
// +kubebuilder:rbac:groups="",resources=namespaces,verbs=get;list;watch
