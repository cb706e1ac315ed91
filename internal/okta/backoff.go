package okta

import (
	"math/rand/v2"
	"time"
)

// backoff returns the wait before retry number attempt (1-based): an
// exponential delay capped at MaxBackoff, with "equal jitter" (half fixed,
// half random) so that many reconcilers do not retry in lockstep.
func backoff(cfg RetryConfig, attempt int) time.Duration {
	d := cfg.InitialBackoff
	for i := 1; i < attempt && d < cfg.MaxBackoff; i++ {
		d *= 2
	}
	if d > cfg.MaxBackoff {
		d = cfg.MaxBackoff
	}
	half := d / 2
	return half + rand.N(half+1) //nolint:gosec // jitter needs no cryptographic randomness
}
