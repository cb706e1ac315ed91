package lifecycle

import (
	"time"

	"golang.org/x/time/rate"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/fairqueue"
)

// DefaultMaxBackoff caps the retry delay of a failing object. The
// controller-runtime default grows to 1000 s: after an Okta outage of a few
// minutes objects would stay broken for a quarter of an hour after Okta is
// back. With the cap, every object is retried within this long of the end
// of any outage.
const DefaultMaxBackoff = 2 * time.Minute

// baseBackoff is the first retry delay; it doubles with each failure.
const baseBackoff = 500 * time.Millisecond

// ControllerOptions are the options of a controller with concurrency
// workers whose failing objects are retried with exponential backoff up to
// maxBackoff (DefaultMaxBackoff when zero), and at most 10 retries a second
// overall (bursts of 100), as controller-runtime's default limiter. Its
// work queue is controller-runtime's priority queue made fair between
// namespaces (fairqueue): one namespace's burst cannot keep another
// namespace's objects waiting behind it.
func ControllerOptions(concurrency int, maxBackoff time.Duration) controller.Options {
	if maxBackoff <= 0 {
		maxBackoff = DefaultMaxBackoff
	}
	return controller.Options{
		MaxConcurrentReconciles: concurrency,
		NewQueue:                fairqueue.New,
		RateLimiter: workqueue.NewTypedMaxOfRateLimiter(
			workqueue.NewTypedItemExponentialFailureRateLimiter[reconcile.Request](min(baseBackoff, maxBackoff), maxBackoff),
			&workqueue.TypedBucketRateLimiter[reconcile.Request]{Limiter: rate.NewLimiter(rate.Limit(10), 100)},
		),
	}
}
