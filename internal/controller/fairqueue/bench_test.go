package fairqueue

import (
	"fmt"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/controller/priorityqueue"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// The cost of fairness per item: queue 10,000 items of 100 namespaces,
// then hand them all out, through the fair queue and through
// controller-runtime's priority queue alone.
func BenchmarkAddAndGet(b *testing.B) {
	items := make([]reconcile.Request, 10_000)
	for i := range items {
		items[i] = req(fmt.Sprint("ns", i%100), i)
	}
	limiter := func() workqueue.TypedRateLimiter[reconcile.Request] {
		return workqueue.NewTypedItemExponentialFailureRateLimiter[reconcile.Request](time.Millisecond, time.Second)
	}
	queues := map[string]func() priorityqueue.PriorityQueue[reconcile.Request]{
		"fair": func() priorityqueue.PriorityQueue[reconcile.Request] {
			return NewWithClock("bench", limiter(), clock.RealClock{}, logr.Discard())
		},
		"priority-only": func() priorityqueue.PriorityQueue[reconcile.Request] {
			return priorityqueue.New[reconcile.Request]("bench", func(o *priorityqueue.Opts[reconcile.Request]) { o.RateLimiter = limiter() })
		},
	}
	for name, newQueue := range queues {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				q := newQueue()
				for _, item := range items {
					q.Add(item)
				}
				for range items {
					item, _ := q.Get()
					q.Done(item)
				}
				q.ShutDown()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(items)), "ns/item")
		})
	}
}
