package orgclient

import (
	"context"
	"net/http"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/metrics"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// Cache builds and keeps one okta client per org. It implements Resolver and
// is safe for concurrent use.
type Cache struct {
	reader client.Reader
	// oktaOrgSecrets reads the Secrets of OktaOrgs, in tenant namespaces.
	oktaOrgSecrets           client.Reader
	clusterResourceNamespace string
	config                   okta.Config // template: everything but OrgURL, Credentials, HTTPClient
	enforceCapacity          bool
	wrapTransport            func(http.RoundTripper) http.RoundTripper
	snapshots                *Snapshots
	maxInFlight              int
	policy                   ConnectionPolicy
	claims                   ShardClaims
	now                      func() time.Time

	mu         sync.Mutex
	entries    map[orgID]*entry
	transports map[tlsKey]*http.Client
	// gates outlive the clients of an org (rebuilt on a spec or Secret
	// change), so that requests still in flight on an old client count.
	gates map[orgID]*gate
}

// Option configures a Cache.
type Option func(*Cache)

// WithRequestTimeout bounds each Okta request attempt.
func WithRequestTimeout(d time.Duration) Option {
	return func(c *Cache) { c.config.RequestTimeout = d }
}

// WithRetry bounds the okta client's own retries.
func WithRetry(r okta.RetryConfig) Option {
	return func(c *Cache) { c.config.Retry = r }
}

// WithUserAgent sets the User-Agent of every request.
func WithUserAgent(ua string) Option {
	return func(c *Cache) { c.config.UserAgent = ua }
}

// WithCapacityLimits makes the clients that Resolve returns enforce each
// org's spec.capacityPercent: a call is refused with a *CapacityError (a
// 429 to okta.Class) while the bucket's remaining requests are down to the
// share kept for the org's other clients, earlier for low-urgency calls,
// and for a short while after a concurrency 429 (see Refusal). The OktaOrg
// check itself is never refused, so an org stays Ready while its operator
// share is used up.
func WithCapacityLimits() Option {
	return func(c *Cache) { c.enforceCapacity = true }
}

// WithMaxInFlight caps the requests in flight to one org, for all the
// controllers together, at n (DefaultMaxInFlight when n <= 0); a call
// waits for a free slot (or the end of its context), high-urgency calls
// first (see WithUrgency). Keep n well below the org's concurrency limit
// (35 or 75), which Okta counts over all of the org's clients.
func WithMaxInFlight(n int) Option {
	return func(c *Cache) {
		if n <= 0 {
			n = DefaultMaxInFlight
		}
		c.maxInFlight = n
	}
}

// WithTransport wraps the HTTP transport of every org's client, e.g. to
// remember the request ids of the operator's own writes.
func WithTransport(wrap func(http.RoundTripper) http.RoundTripper) Option {
	return func(c *Cache) { c.wrapTransport = wrap }
}

// WithOktaOrgSecretReader reads the Secrets of OktaOrgs, which live in
// tenant namespaces, with r instead of the Cache's reader. The operator
// passes the manager's API reader: one GET per read, no informer, so that it
// needs only `get` on Secrets, and only in the namespaces whose owners bound
// SecretReaderClusterRole to it; its cache holds the Secrets of the
// operator's namespace only, for ClusterOktaOrgs.
func WithOktaOrgSecretReader(r client.Reader) Option {
	return func(c *Cache) { c.oktaOrgSecrets = r }
}

// SecretReaderClusterRole is the ClusterRole, as config/default installs it,
// that a namespace owner binds to the operator's service account (a
// RoleBinding in that namespace) to let OktaOrgs there use their Secrets.
const SecretReaderClusterRole = "okta-assurance-secret-reader"

var _ Resolver = (*Cache)(nil)

// NewCache returns an empty Cache reading orgs, Namespaces and Secrets
// through c (the manager's cached client is fine), except the Secrets of
// OktaOrgs when WithOktaOrgSecretReader says otherwise. A ClusterOktaOrg's
// Secrets are read from clusterResourceNamespace, the operator's namespace.
func NewCache(c client.Reader, clusterResourceNamespace string, opts ...Option) *Cache {
	cache := &Cache{
		reader:                   c,
		oktaOrgSecrets:           c,
		clusterResourceNamespace: clusterResourceNamespace,
		entries:                  map[orgID]*entry{},
		transports:               map[tlsKey]*http.Client{},
		gates:                    map[orgID]*gate{},
		maxInFlight:              DefaultMaxInFlight,
		now:                      time.Now,
	}
	for _, opt := range opts {
		opt(cache)
	}
	return cache
}

// ClusterResourceNamespace is where ClusterOktaOrg Secrets are read from.
func (c *Cache) ClusterResourceNamespace() string { return c.clusterResourceNamespace }

// View returns the Org view of an *OktaOrg or *ClusterOktaOrg.
func (c *Cache) View(obj client.Object) (Org, error) { return View(obj, c.clusterResourceNamespace) }

type orgID struct {
	kind v1alpha1.OrgKind
	key  types.NamespacedName
}

// fingerprint is what a client was built from; any change builds a new one.
type fingerprint struct {
	orgUID        types.UID
	generation    int64
	secretUID     types.UID
	secretVersion string
}

type entry struct {
	fingerprint fingerprint
	tls         tlsKey
	client      *okta.Client
	// api is client behind the org's request slots, never refused.
	api *governed
}

// Client returns the client for org, building a new one when the org's spec
// or Secret changed since the last call. It does not check that the org is
// Ready; Resolve does. Its calls share the org's request slots
// (WithMaxInFlight) but are never refused for capacity. Errors are
// *ConfigError for what only a spec or Secret change fixes, or errors
// reading the Secret.
func (c *Cache) Client(ctx context.Context, org Org) (okta.API, error) {
	e, err := c.entry(ctx, org)
	if err != nil {
		return nil, err
	}
	return e.api, nil
}

// entry returns the org's entry, building it as Client says.
func (c *Cache) entry(ctx context.Context, org Org) (*entry, error) {
	if err := c.policy.check(org, c.clusterResourceNamespace); err != nil {
		return nil, err
	}
	if err := checkURL(org.Spec); err != nil {
		return nil, err
	}
	ref, ok := SecretRef(org.Spec)
	if !ok {
		return nil, configErrorf(ReasonInvalidSpec, "spec sets neither apiToken nor oauth")
	}
	// Read outside the lock: with an uncached reader this is a request.
	secret, err := c.readSecretKey(ctx, org, ref)
	if err != nil {
		return nil, err
	}
	fp := fingerprint{orgUID: org.UID, generation: org.Generation, secretUID: secret.uid, secretVersion: secret.version}
	id := orgID{kind: org.Kind, key: org.Key}

	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[id]; ok && e.fingerprint == fp {
		return e, nil
	}
	defer c.dropUnusedTransports()
	e, err := c.build(org, ref, secret.data, fp)
	if err != nil {
		delete(c.entries, id)
		return nil, err
	}
	g, ok := c.gates[id]
	if !ok {
		g = newGate(c.maxInFlight)
		c.gates[id] = g
	}
	e.api = &governed{api: e.client, gate: g, now: c.now}
	c.entries[id] = e
	return e, nil
}

// build makes a client; c.mu is held.
func (c *Cache) build(org Org, ref v1alpha1.SecretKeyReference, secret []byte, fp fingerprint) (*entry, error) {
	creds, err := credentials(org, ref, secret)
	if err != nil {
		return nil, err
	}
	key := tlsKeyOf(org.Spec)
	httpClient, ok := c.transports[key]
	if !ok {
		if httpClient, err = newHTTPClient(org.Spec); err != nil {
			return nil, err
		}
		c.transports[key] = httpClient
	}
	cfg := c.config
	// The org's own client shares the connection pool and counts its
	// requests under the org's name.
	transport := metrics.Transport(org.String(), httpClient.Transport)
	if c.wrapTransport != nil {
		transport = c.wrapTransport(transport)
	}
	counted := &http.Client{Transport: transport}
	cfg.OrgURL, cfg.Credentials, cfg.HTTPClient = org.Spec.URL, creds, counted
	oc, err := okta.New(cfg)
	if err != nil {
		// okta.New's errors are about the URL or the key type, never the
		// credential's value.
		return nil, configErrorf(ReasonInvalidSpec, "%v", err)
	}
	return &entry{fingerprint: fp, tls: key, client: oc}, nil
}

// Forget drops the client of an org that was deleted.
func (c *Cache) Forget(kind v1alpha1.OrgKind, key types.NamespacedName) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, orgID{kind: kind, key: key})
	delete(c.gates, orgID{kind: kind, key: key})
	if c.snapshots != nil {
		c.snapshots.forget(orgID{kind: kind, key: key})
	}
	c.dropUnusedTransports()
}

// dropUnusedTransports closes the pools no client uses any more (after a
// caBundle change or a deletion); c.mu is held.
func (c *Cache) dropUnusedTransports() {
	used := make(map[tlsKey]bool, len(c.transports))
	for _, e := range c.entries {
		used[e.tls] = true
	}
	for key, hc := range c.transports {
		if !used[key] {
			hc.CloseIdleConnections()
			delete(c.transports, key)
		}
	}
}
