// Package shard keeps two manager processes from spending one Okta org's
// rate limit without knowing of each other. Managers may split the
// objects of a cluster by label (--watch-label-selector, one leader-elected
// Deployment per shard); each Okta org is then served by exactly one shard,
// which holds the org's Lease. A shard whose selector overlaps another's
// and reaches an org the other serves is refused it, and its objects say
// which shard serves the org.
package shard

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"
)

const (
	// LeaseDuration is how long a claim lasts unless renewed: how long an
	// org waits for another shard after its shard stopped.
	LeaseDuration = time.Minute
	// renewEvery renews held claims well within LeaseDuration.
	renewEvery = LeaseDuration / 3
	// forgetAfter stops renewing a claim nothing asked for this long: the
	// org is gone or moved. The org controller asks at every check.
	forgetAfter = 15 * time.Minute
	// recheckRefused is how long a refusal is remembered before the
	// Lease is read again.
	recheckRefused = 10 * time.Second
	// URLAnnotation records on a Lease the Okta org it stands for.
	URLAnnotation = "assurance.okta-operator.dev/org-url"
)

// DefaultName is the shard of a manager without a label selector.
const DefaultName = "default"

// ConflictError says that another shard serves the Okta org.
type ConflictError struct {
	URL, Holder, Lease, Shard string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("the Okta org %s is served by the manager shard %q (Lease %s), and this manager is shard %q; "+
		"label the objects and orgs of one Okta org for one shard", e.URL, e.Holder, e.Lease, e.Shard)
}

// Claims are the Okta orgs this shard serves. Safe for concurrent use.
type Claims struct {
	reader    client.Reader // direct reads: Leases are not cached
	writer    client.Client
	namespace string
	name      string
	now       func() time.Time

	acquiring sync.Mutex // one Lease request at a time
	mu        sync.Mutex
	held      map[string]*claim // by Lease name
	refused   map[string]refusal
}

type claim struct {
	url             string
	renewed, wanted time.Time
}

type refusal struct {
	err   *ConflictError
	until time.Time
}

// New returns the claims of shard name (DefaultName when empty), kept as
// Leases in namespace.
func New(reader client.Reader, writer client.Client, namespace, name string) *Claims {
	if name == "" {
		name = DefaultName
	}
	return &Claims{reader: reader, writer: writer, namespace: namespace, name: name, now: time.Now,
		held: map[string]*claim{}, refused: map[string]refusal{}}
}

// Name is this shard's name.
func (c *Claims) Name() string { return c.name }

// LeaseName is the Lease of the Okta org at url: the same for every spelling
// of the URL that names the same org.
func LeaseName(url string) string {
	sum := sha256.Sum256([]byte(NormalizeURL(url)))
	return "okta-org-" + hex.EncodeToString(sum[:10])
}

// NormalizeURL is the form of an org URL that names one Okta org whatever
// its case or trailing slash: the key of its Lease and of its name ledger.
func NormalizeURL(url string) string { return strings.TrimSuffix(strings.ToLower(url), "/") }

// Claim makes this shard the one that serves the Okta org at url, or
// returns a *ConflictError naming the shard that does. A held claim costs
// no request.
func (c *Claims) Claim(ctx context.Context, url string) error {
	name := LeaseName(url)
	now := c.now()
	c.mu.Lock()
	if h, ok := c.held[name]; ok && now.Sub(h.renewed) < LeaseDuration/2 {
		h.wanted = now
		c.mu.Unlock()
		return nil
	}
	if r, ok := c.refused[name]; ok && now.Before(r.until) {
		c.mu.Unlock()
		return r.err
	}
	c.mu.Unlock()
	return c.acquire(ctx, name, url, true)
}

// acquire takes or renews the Lease; wanted says a caller needs it now.
func (c *Claims) acquire(ctx context.Context, name, url string, wanted bool) error {
	c.acquiring.Lock()
	defer c.acquiring.Unlock()
	now := c.now()
	lease := &coordinationv1.Lease{}
	err := c.reader.Get(ctx, client.ObjectKey{Namespace: c.namespace, Name: name}, lease)
	switch {
	case apierrors.IsNotFound(err):
		lease = &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Namespace: c.namespace, Name: name,
			Annotations: map[string]string{URLAnnotation: NormalizeURL(url)}}}
		c.hold(lease, now)
		err = c.writer.Create(ctx, lease)
	case err != nil:
	case c.heldByOther(lease, now):
		return c.refuse(name, url, lease, now)
	default:
		c.hold(lease, now)
		err = c.writer.Update(ctx, lease) // fails on a concurrent change: resourceVersion
	}
	if err != nil {
		return fmt.Errorf("claim the Okta org %s for shard %q (Lease %s/%s): %w", url, c.name, c.namespace, name, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.held[name]
	if !ok {
		h = &claim{url: url, wanted: now}
		c.held[name] = h
	}
	h.renewed = now
	if wanted {
		h.wanted = now
	}
	delete(c.refused, name)
	return nil
}

func (c *Claims) hold(lease *coordinationv1.Lease, now time.Time) {
	if ptr.Deref(lease.Spec.HolderIdentity, "") != c.name {
		lease.Spec.AcquireTime = &metav1.MicroTime{Time: now}
		lease.Spec.LeaseTransitions = ptr.To(ptr.Deref(lease.Spec.LeaseTransitions, 0) + 1)
	}
	lease.Spec.HolderIdentity = ptr.To(c.name)
	lease.Spec.LeaseDurationSeconds = ptr.To(int32(LeaseDuration / time.Second))
	lease.Spec.RenewTime = &metav1.MicroTime{Time: now}
}

// heldByOther says whether another shard holds lease and renewed it
// within its duration.
func (c *Claims) heldByOther(lease *coordinationv1.Lease, now time.Time) bool {
	holder := ptr.Deref(lease.Spec.HolderIdentity, "")
	if holder == "" || holder == c.name || lease.Spec.RenewTime == nil {
		return false
	}
	duration := time.Duration(ptr.Deref(lease.Spec.LeaseDurationSeconds, int32(LeaseDuration/time.Second))) * time.Second
	return now.Sub(lease.Spec.RenewTime.Time) < duration
}

func (c *Claims) refuse(name, url string, lease *coordinationv1.Lease, now time.Time) error {
	err := &ConflictError{URL: url, Holder: ptr.Deref(lease.Spec.HolderIdentity, ""), Lease: c.namespace + "/" + name, Shard: c.name}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.held, name)
	c.refused[name] = refusal{err: err, until: now.Add(recheckRefused)}
	return err
}

// Start renews the held claims until ctx ends; a manager Runnable.
func (c *Claims) Start(ctx context.Context) error {
	ticker := time.NewTicker(renewEvery)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
			c.renew(ctx)
		}
	}
}

// NeedLeaderElection is true: only a shard's leader serves its orgs.
func (c *Claims) NeedLeaderElection() bool { return true }

// renew renews every claim asked for recently, and forgets the others.
func (c *Claims) renew(ctx context.Context) {
	now := c.now()
	due := map[string]string{}
	c.mu.Lock()
	for name, h := range c.held {
		if now.Sub(h.wanted) > forgetAfter {
			delete(c.held, name)
			continue
		}
		due[name] = h.url
	}
	c.mu.Unlock()
	for name, url := range due {
		if err := c.acquire(ctx, name, url, false); err != nil {
			log.FromContext(ctx).Info("could not renew the claim of an Okta org", "lease", name, "error", err.Error())
		}
	}
}
