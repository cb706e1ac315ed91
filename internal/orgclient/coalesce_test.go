package orgclient

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestCoalescerSharesOnlyListsThatStartAfterTheCaller(t *testing.T) {
	var c coalescer[int]
	var calls atomic.Int32
	release := make(chan struct{})
	started := make(chan struct{}, 10)
	list := func(ctx context.Context) (int, error) {
		n := int(calls.Add(1))
		started <- struct{}{}
		<-release
		return n, ctx.Err()
	}
	ctx := context.Background()

	// The first caller's list is running...
	first := make(chan int)
	go func() { v, _ := c.do(ctx, "k", list); first <- v }()
	<-started

	// ...so the next five wait for one list that starts after it.
	var wg sync.WaitGroup
	results := make([]int, 5)
	for i := range results {
		wg.Add(1)
		go func() { defer wg.Done(); results[i], _ = c.do(ctx, "k", list) }()
	}
	time.Sleep(50 * time.Millisecond) // let them queue behind the first
	release <- struct{}{}
	if v := <-first; v != 1 {
		t.Fatalf("first caller got list %d", v)
	}
	<-started
	release <- struct{}{}
	wg.Wait()
	for i, v := range results {
		if v != 2 {
			t.Fatalf("caller %d got list %d, want the second list (one that began after it asked)", i, v)
		}
	}
	if calls.Load() != 2 {
		t.Fatalf("%d lists for 6 callers, want 2", calls.Load())
	}

	// A low-urgency caller never joins a high-urgency list.
	go func() { _, _ = c.do(ctx, "k", list) }()
	<-started
	go func() { _, _ = c.do(WithUrgency(ctx, UrgencyLow), "k", list) }()
	<-started
	close(release)
	if calls.Load() != 4 {
		t.Fatalf("calls = %d: a low-urgency caller joined a high-urgency list", calls.Load())
	}
}

func TestCoalescerCallerGivesUpWithItsContext(t *testing.T) {
	var c coalescer[int]
	block := make(chan struct{})
	defer close(block)
	go func() {
		_, _ = c.do(context.Background(), "k", func(context.Context) (int, error) { <-block; return 1, nil })
	}()
	time.Sleep(20 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.do(ctx, "k", func(context.Context) (int, error) { return 2, nil }); err == nil {
		t.Fatal("a caller waiting behind a running list ignored its context")
	}
}
