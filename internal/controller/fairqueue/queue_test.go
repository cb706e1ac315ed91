package fairqueue

import (
	"fmt"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/controller/priorityqueue"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

func newQueue(t *testing.T) (*Queue, *clocktesting.FakeClock) {
	t.Helper()
	clk := clocktesting.NewFakeClock(time.Unix(0, 0))
	limiter := workqueue.NewTypedItemExponentialFailureRateLimiter[reconcile.Request](time.Second, time.Minute)
	q := NewWithClock("test", limiter, clk, logr.Discard())
	t.Cleanup(q.ShutDown)
	return q, clk
}

func req(namespace string, i int) reconcile.Request {
	return reconcile.Request{NamespacedName: types.NamespacedName{Namespace: namespace, Name: fmt.Sprint(i)}}
}

// next hands out the next item, failing the test instead of hanging.
func next(t *testing.T, q *Queue) (reconcile.Request, int) {
	t.Helper()
	type got struct {
		item     reconcile.Request
		priority int
	}
	ch := make(chan got, 1)
	go func() {
		item, priority, _ := q.GetWithPriority()
		ch <- got{item, priority}
	}()
	select {
	case g := <-ch:
		q.Done(g.item)
		return g.item, g.priority
	case <-time.After(5 * time.Second):
		t.Fatal("no item was handed out")
		return reconcile.Request{}, 0
	}
}

func order(t *testing.T, q *Queue, n int) []string {
	t.Helper()
	out := make([]string, 0, n)
	for range n {
		item, _ := next(t, q)
		out = append(out, item.Namespace+"/"+item.Name)
	}
	return out
}

func equal(t *testing.T, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("order\n got: %v\nwant: %v", got, want)
	}
}

func TestNamespacesTakeTurns(t *testing.T) {
	q, _ := newQueue(t)
	for _, ns := range []string{"a", "b", "c"} {
		for i := range 3 {
			q.Add(req(ns, i))
		}
	}
	equal(t, order(t, q, 9), []string{"a/0", "b/0", "c/0", "a/1", "b/1", "c/1", "a/2", "b/2", "c/2"})
}

func TestAnIdleNamespaceDoesNotWaitBehindABusyOne(t *testing.T) {
	q, _ := newQueue(t)
	for i := range 100 {
		q.Add(req("busy", i))
	}
	equal(t, order(t, q, 10), []string{"busy/0", "busy/1", "busy/2", "busy/3", "busy/4", "busy/5", "busy/6", "busy/7", "busy/8", "busy/9"})
	// The newcomer starts at the queue's virtual time, not behind the
	// 90 items the busy namespace still has queued.
	q.Add(req("quiet", 0))
	equal(t, order(t, q, 3), []string{"busy/10", "quiet/0", "busy/11"})
}

func TestPriorityComesBeforeFairness(t *testing.T) {
	q, _ := newQueue(t)
	low := -100
	q.AddWithOpts(priorityqueue.AddOpts{Priority: &low}, req("resync", 0), req("resync", 1))
	q.Add(req("busy", 0))
	q.Add(req("busy", 1))
	q.Add(req("busy", 2))

	got := make([]string, 0, 5)
	priorities := make([]int, 0, 5)
	for range 5 {
		item, priority := next(t, q)
		got = append(got, item.Namespace+"/"+item.Name)
		priorities = append(priorities, priority)
	}
	equal(t, got, []string{"busy/0", "busy/1", "busy/2", "resync/0", "resync/1"})
	// The controller gets back the priority it queued with, so that its
	// requeues keep it, not the queue's internal one.
	if fmt.Sprint(priorities) != fmt.Sprint([]int{0, 0, 0, -100, -100}) {
		t.Fatalf("priorities %v", priorities)
	}
}

func TestAnItemQueuedAgainRunsOnceAtTheHigherPriority(t *testing.T) {
	q, _ := newQueue(t)
	low, high := -100, 0
	q.AddWithOpts(priorityqueue.AddOpts{Priority: &low}, req("a", 0), req("c", 0))
	q.Add(req("b", 0))
	q.AddWithOpts(priorityqueue.AddOpts{Priority: &high}, req("a", 0))
	q.AddWithOpts(priorityqueue.AddOpts{Priority: &low}, req("b", 0))
	if q.Len() != 3 {
		t.Fatalf("Len %d, want 3: an item queued twice runs once", q.Len())
	}
	got := order(t, q, 3)
	if got[2] != "c/0" {
		t.Fatalf("order %v: a/0, raised to priority 0, and b/0, kept at it, must run before c/0", got)
	}
}

func TestADelayedItemIsRankedWhenItIsDue(t *testing.T) {
	q, clk := newQueue(t)
	q.AddAfter(req("later", 0), time.Second)
	for i := range 50 {
		q.Add(req("busy", i))
	}
	if got := order(t, q, 2); got[0] != "busy/0" || got[1] != "busy/1" {
		t.Fatalf("the delayed item ran before its time: %v", got)
	}
	clk.Step(time.Second)
	equal(t, order(t, q, 2), []string{"busy/2", "later/0"})
}

func TestTheEarlierOfTwoDelaysWinsAndAnAddCancelsTheDelay(t *testing.T) {
	q, clk := newQueue(t)
	q.AddAfter(req("a", 0), time.Minute)
	q.AddAfter(req("a", 0), time.Second)
	clk.Step(time.Second)
	equal(t, order(t, q, 1), []string{"a/0"})
	clk.Step(time.Minute)
	if q.Len() != 0 {
		t.Fatal("the later delay queued the item a second time")
	}

	q.AddAfter(req("a", 1), time.Minute)
	q.Add(req("a", 1))
	equal(t, order(t, q, 1), []string{"a/1"})
	clk.Step(time.Minute)
	if q.Len() != 0 {
		t.Fatal("a delay cancelled by an add queued the item again")
	}
}

func TestRateLimitedAddsWaitForTheLimiter(t *testing.T) {
	q, clk := newQueue(t)
	q.AddRateLimited(req("a", 0))
	if q.Len() != 0 {
		t.Fatal("a rate-limited item was ready before the limiter's delay")
	}
	clk.Step(time.Second)
	equal(t, order(t, q, 1), []string{"a/0"})
	if q.NumRequeues(req("a", 0)) != 1 {
		t.Fatalf("NumRequeues %d, want 1", q.NumRequeues(req("a", 0)))
	}
	q.Forget(req("a", 0))
	if q.NumRequeues(req("a", 0)) != 0 {
		t.Fatal("Forget did not reset the limiter")
	}
}

func TestANamespaceWithNothingQueuedIsForgotten(t *testing.T) {
	q, _ := newQueue(t)
	for i := range 3 {
		q.Add(req(fmt.Sprint("ns", i), i))
	}
	order(t, q, 3)
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.last) != 0 || len(q.perNamespace) != 0 || len(q.ready) != 0 {
		t.Fatalf("state left behind: last=%v perNamespace=%v ready=%v", q.last, q.perNamespace, q.ready)
	}
}

func TestShutDownStopsDelayedItems(t *testing.T) {
	q, clk := newQueue(t)
	q.AddAfter(req("a", 0), time.Second)
	q.ShutDown()
	clk.Step(time.Second)
	q.Add(req("a", 1))
	if _, shutdown := q.Get(); !shutdown {
		t.Fatal("Get after ShutDown did not report shutdown")
	}
}
