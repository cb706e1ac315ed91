package orgclient

import (
	"context"
	"errors"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/shard"
)

// ReasonServedByAnotherShard says that another manager shard serves the
// Okta org.
const ReasonServedByAnotherShard = "ServedByAnotherShard"

// ShardClaims say which Okta orgs this manager may serve; *shard.Claims is
// one.
type ShardClaims interface {
	// Claim returns nil when this manager serves the Okta org at url, a
	// *shard.ConflictError when another shard does.
	Claim(ctx context.Context, url string) error
}

// WithShardClaims makes the cache serve only the orgs this manager's
// shard holds: Resolve refuses the others with ReasonServedByAnotherShard,
// and Claim tells the org controller and the System Log watcher to leave
// them alone.
func WithShardClaims(claims ShardClaims) Option {
	return func(c *Cache) { c.claims = claims }
}

// Claim says whether this manager serves org: nil, a *shard.ConflictError
// when another shard does, or an error reading or writing its claim.
func (c *Cache) Claim(ctx context.Context, org Org) error {
	if c.claims == nil {
		return nil
	}
	return c.claims.Claim(ctx, org.Spec.URL)
}

// AsShardConflict returns the conflict err is or wraps.
func AsShardConflict(err error) (*shard.ConflictError, bool) {
	return errors.AsType[*shard.ConflictError](err)
}
