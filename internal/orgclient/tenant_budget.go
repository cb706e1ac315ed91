package orgclient

import (
	"context"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

type tenantBudgetKey struct{}

// tenantBudget is a namespace's share of the operator's rate budget of an
// org.
type tenantBudget struct {
	namespace string
	percent   int
}

// WithTenantBudget limits the Okta calls made with ctx, for objects of
// namespace, to percent of the operator's share (capacityPercent) of each
// bucket in each rate-limit window; 100 or more is no limit.
func WithTenantBudget(ctx context.Context, namespace string, percent int) context.Context {
	return context.WithValue(ctx, tenantBudgetKey{}, tenantBudget{namespace: namespace, percent: percent})
}

func tenantBudgetFrom(ctx context.Context) (tenantBudget, bool) {
	b, ok := ctx.Value(tenantBudgetKey{}).(tenantBudget)
	return b, ok && b.namespace != "" && b.percent > 0 && b.percent < 100
}

// tenantWindow counts one namespace's calls to one bucket in one window.
type tenantWindow struct {
	reset time.Time
	used  int
}

type tenantBucket struct {
	namespace string
	bucket    okta.Bucket
}

// chargeTenant counts a call of b.namespace to bucket against its share of
// the window that resets at reset: false, and nothing counted, when the
// share is used up. allowed is the share in requests.
func (g *gate) chargeTenant(b tenantBudget, bucket okta.Bucket, allowed int, reset, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.tenants == nil {
		g.tenants = map[tenantBucket]*tenantWindow{}
	}
	key := tenantBucket{namespace: b.namespace, bucket: bucket}
	w, ok := g.tenants[key]
	if !ok || !now.Before(w.reset) {
		w = &tenantWindow{reset: reset}
		g.tenants[key] = w
	}
	if w.used >= allowed {
		return false
	}
	w.used++
	return true
}

// tenantRefusal refuses a call when the namespace of ctx has used its share
// of the bucket's window; nil when it may go, or when the bucket's figures
// are not known yet.
func (c *governed) tenantRefusal(ctx context.Context, bucket okta.Bucket) error {
	b, limited := tenantBudgetFrom(ctx)
	if !limited || !c.enforce {
		return nil
	}
	rl, known := c.api.RateLimits()[bucket]
	now := c.now()
	if !known || rl.Limit <= 0 || !rl.Reset.After(now) {
		return nil
	}
	allowed := max(1, rl.Limit*c.percent/100*b.percent/100)
	if c.gate.chargeTenant(b, bucket, allowed, rl.Reset, now) {
		return nil
	}
	return &CapacityError{Bucket: bucket, Percent: c.percent, Limit: rl.Limit, Remaining: rl.Remaining, Reset: rl.Reset,
		Urgency: UrgencyFrom(ctx), Tenant: b.namespace, TenantPercent: b.percent, TenantAllowed: allowed}
}
