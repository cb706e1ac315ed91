// Package fairqueue is a controller work queue in which namespaces take
// turns, so that one namespace's thousand objects cannot keep another
// namespace's one object waiting behind them.
//
// It wraps controller-runtime's priority queue, which keeps its order (new
// objects and changes before the initial list and resyncs) and its
// de-duplication, and orders the items of one priority among namespaces by
// start-time fair queuing: each item gets a virtual start tag when it
// becomes ready, one past the later of the queue's virtual time (the tag
// of the item last handed to a worker) and the tag of its namespace's
// previous item. A namespace that has been idle starts at the queue's
// virtual time, so its first item goes next to the busy namespace's next
// item rather than after all of them; within a namespace items stay first
// in, first out.
//
// Delayed items (requeue after, rate-limited retries) are held here until
// their time and tagged then: an item is ranked by when it can run, not by
// when it was scheduled, and a namespace with many periodic requeues does
// not book the queue's future.
package fairqueue

import (
	"sync"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/controller/priorityqueue"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// tagBits is how many low bits of the inner queue's priority hold the
// (negated) fair-queuing tag; the controller's priority sits above them.
// 2^40 tags last for tens of thousands of years at a million passes a day.
const tagBits = 40

// maxPriority bounds the controller's priorities so that they fit above
// the tag bits of an int.
const maxPriority = 1 << 20

// Queue is a controller-runtime priority queue of reconcile requests that
// is fair between namespaces within each priority.
type Queue struct {
	priorityqueue.PriorityQueue[reconcile.Request]

	limiter workqueue.TypedRateLimiter[reconcile.Request]
	clock   clock.WithDelayedExecution

	mu sync.Mutex
	// now is the queue's virtual time: the largest tag handed out by Get.
	now uint64
	// last is each namespace's latest tag, for namespaces with ready items.
	last map[string]uint64
	// ready holds the items in the inner queue with their tag and priority.
	ready map[reconcile.Request]tagged
	// perNamespace counts each namespace's ready items.
	perNamespace map[string]int
	// waiting holds delayed items until their time.
	waiting  map[reconcile.Request]*delayed
	shutdown bool
}

type tagged struct {
	tag      uint64
	priority int
}

type delayed struct {
	at       time.Time
	priority int
	timer    clock.Timer
}

// New is a controller.Options NewQueue function.
func New(name string, limiter workqueue.TypedRateLimiter[reconcile.Request]) workqueue.TypedRateLimitingInterface[reconcile.Request] {
	return NewWithClock(name, limiter, clock.RealClock{}, ctrllog.Log.WithName("workqueue").WithValues("controller", name))
}

// NewWithClock is New with the clock delayed items wait on and the inner
// queue's logger.
func NewWithClock(name string, limiter workqueue.TypedRateLimiter[reconcile.Request], clk clock.WithDelayedExecution, log logr.Logger) *Queue {
	return &Queue{
		PriorityQueue: priorityqueue.New(name, func(o *priorityqueue.Opts[reconcile.Request]) {
			o.RateLimiter = limiter
			o.Log = log
		}),
		limiter:      limiter,
		clock:        clk,
		last:         map[string]uint64{},
		ready:        map[reconcile.Request]tagged{},
		perNamespace: map[string]int{},
		waiting:      map[reconcile.Request]*delayed{},
	}
}

// Add queues items now at priority 0.
func (q *Queue) Add(item reconcile.Request) { q.AddWithOpts(priorityqueue.AddOpts{}, item) }

// AddAfter queues item after d at priority 0.
func (q *Queue) AddAfter(item reconcile.Request, d time.Duration) {
	q.AddWithOpts(priorityqueue.AddOpts{After: d}, item)
}

// AddRateLimited queues item when the rate limiter allows, at priority 0.
func (q *Queue) AddRateLimited(item reconcile.Request) {
	q.AddWithOpts(priorityqueue.AddOpts{RateLimited: true}, item)
}

// AddWithOpts queues items with the priority queue's semantics: an item
// queued twice runs once, at the higher priority and the earlier time.
func (q *Queue) AddWithOpts(o priorityqueue.AddOpts, items ...reconcile.Request) {
	priority := 0
	if o.Priority != nil {
		priority = min(max(*o.Priority, -maxPriority), maxPriority)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.shutdown {
		return
	}
	for _, item := range items {
		after := o.After
		if o.RateLimited {
			after = max(after, q.limiter.When(item))
		}
		if after > 0 {
			q.delay(item, priority, after)
			continue
		}
		q.push(item, max(priority, q.stopWaiting(item)))
	}
}

// GetWithPriority hands out the next item and the priority it was queued
// with.
func (q *Queue) GetWithPriority() (reconcile.Request, int, bool) {
	item, _, shutdown := q.PriorityQueue.GetWithPriority()
	if shutdown {
		return item, 0, true
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	t, ok := q.ready[item]
	if !ok {
		return item, 0, false
	}
	delete(q.ready, item)
	q.now = max(q.now, t.tag)
	ns := item.Namespace
	if q.perNamespace[ns]--; q.perNamespace[ns] <= 0 {
		// Every item of the namespace has been handed out, so its last tag
		// is at most now: forgetting it changes no future tag.
		delete(q.perNamespace, ns)
		delete(q.last, ns)
	}
	return item, t.priority, false
}

// Get hands out the next item.
func (q *Queue) Get() (reconcile.Request, bool) {
	item, _, shutdown := q.GetWithPriority()
	return item, shutdown
}

// ShutDown stops the delayed items' timers and the inner queue; once.
func (q *Queue) ShutDown() {
	if q.stopAll() {
		q.PriorityQueue.ShutDown()
	}
}

// ShutDownWithDrain stops the delayed items' timers and drains the inner
// queue; once.
func (q *Queue) ShutDownWithDrain() {
	if q.stopAll() {
		q.PriorityQueue.ShutDownWithDrain()
	}
}

// push puts a ready item into the inner queue with its fair tag; an item
// already there keeps its tag and may only gain priority.
func (q *Queue) push(item reconcile.Request, priority int) {
	if t, ok := q.ready[item]; ok {
		if priority > t.priority {
			q.ready[item] = tagged{tag: t.tag, priority: priority}
			q.PriorityQueue.AddWithOpts(priorityqueue.AddOpts{Priority: new(innerPriority(priority, t.tag))}, item)
		}
		return
	}
	ns := item.Namespace
	tag := max(q.now, q.last[ns]) + 1
	q.last[ns] = tag
	q.perNamespace[ns]++
	q.ready[item] = tagged{tag: tag, priority: priority}
	q.PriorityQueue.AddWithOpts(priorityqueue.AddOpts{Priority: new(innerPriority(priority, tag))}, item)
}

// innerPriority orders by the controller's priority first, then by the
// smaller tag.
func innerPriority(priority int, tag uint64) int {
	return priority<<tagBits - int(tag&(1<<tagBits-1))
}

// delay holds item until after has passed; an item already ready is not
// delayed, and of two delays the earlier wins.
func (q *Queue) delay(item reconcile.Request, priority int, after time.Duration) {
	if _, ok := q.ready[item]; ok {
		q.push(item, priority)
		return
	}
	at := q.clock.Now().Add(after)
	if w, ok := q.waiting[item]; ok {
		w.priority = max(w.priority, priority)
		if !at.Before(w.at) {
			return
		}
		w.timer.Stop()
		priority = w.priority
	}
	w := &delayed{at: at, priority: priority}
	w.timer = q.clock.AfterFunc(after, func() { q.due(item, w) })
	q.waiting[item] = w
}

// due moves a delayed item whose time has come into the queue, unless it
// was queued again since.
func (q *Queue) due(item reconcile.Request, w *delayed) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.shutdown || q.waiting[item] != w {
		return
	}
	delete(q.waiting, item)
	q.push(item, w.priority)
}

// stopWaiting drops item's delay, if it has one, and returns the priority
// it was delayed with (the lowest otherwise).
func (q *Queue) stopWaiting(item reconcile.Request) int {
	w, ok := q.waiting[item]
	if !ok {
		return -maxPriority
	}
	w.timer.Stop()
	delete(q.waiting, item)
	return w.priority
}

// stopAll marks the queue shut down and stops every timer; it reports
// whether the queue was running.
func (q *Queue) stopAll() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.shutdown {
		return false
	}
	q.shutdown = true
	for item := range q.waiting {
		q.stopWaiting(item)
	}
	return true
}
