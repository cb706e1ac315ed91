package lifecycle

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

func TestBackoffIsCapped(t *testing.T) {
	for _, maxBackoff := range []time.Duration{0, 10 * time.Second} {
		want := maxBackoff
		if want == 0 {
			want = DefaultMaxBackoff
		}
		limiter := ControllerOptions(4, maxBackoff).RateLimiter
		item := reconcile.Request{NamespacedName: types.NamespacedName{Name: "failing"}}
		var last time.Duration
		for range 40 {
			last = limiter.When(item)
		}
		if last != want {
			t.Errorf("maxBackoff %s: delay after 40 failures = %s, want the cap %s", maxBackoff, last, want)
		}
		limiter.Forget(item)
		if first := limiter.When(item); first > baseBackoff {
			t.Errorf("maxBackoff %s: first delay after success = %s", maxBackoff, first)
		}
	}
}
