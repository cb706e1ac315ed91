package lifecycle

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/fairqueue"
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

// Every controller's queue is the fair queue: namespaces take turns.
func TestControllersQueueIsFairBetweenNamespaces(t *testing.T) {
	opts := ControllerOptions(2, 0)
	if opts.NewQueue == nil {
		t.Fatal("no NewQueue: the controllers would use controller-runtime's default queue")
	}
	q := opts.NewQueue("test", opts.RateLimiter)
	defer q.ShutDown()
	if _, ok := q.(*fairqueue.Queue); !ok {
		t.Fatalf("queue %T, want *fairqueue.Queue", q)
	}
}
