package orgclient

import (
	"context"
	"sync"
)

// coalescer shares one list among the passes that need it at the same
// time, without ever answering a caller with a list that began before the
// caller asked: a create's name check must see every object that existed
// when it looked. A caller joins the next list, not yet started, of its
// key; that list starts once the one running finishes. In a burst of N
// creates with W workers this is about N/W lists instead of N.
type coalescer[T any] struct {
	mu      sync.Mutex
	waiting map[string]*flight[T] // not started yet: new callers join
	running map[string]*flight[T]
}

type flight[T any] struct {
	done  chan struct{}
	value T
	err   error
}

// do returns the result of a call of fn that starts after do was called.
// Callers of different priorities never share: a resync's list may be
// refused or deferred where a create's would not.
func (c *coalescer[T]) do(ctx context.Context, key string, fn func(context.Context) (T, error)) (T, error) {
	key = UrgencyFrom(ctx).String() + "/" + key
	c.mu.Lock()
	if c.waiting == nil {
		c.waiting, c.running = map[string]*flight[T]{}, map[string]*flight[T]{}
	}
	if f, ok := c.waiting[key]; ok {
		c.mu.Unlock()
		return f.wait(ctx)
	}
	f := &flight[T]{done: make(chan struct{})}
	c.waiting[key] = f
	previous := c.running[key]
	c.mu.Unlock()

	// This caller leads f: it waits for the running list, then runs f.
	if previous != nil {
		select {
		case <-previous.done:
		case <-ctx.Done():
			// Hand f to nobody: callers that joined it get the error and
			// retry; the next caller starts a new one.
			c.mu.Lock()
			delete(c.waiting, key)
			c.mu.Unlock()
			f.err = ctx.Err()
			close(f.done)
			return f.value, f.err
		}
	}
	c.mu.Lock()
	delete(c.waiting, key)
	c.running[key] = f
	c.mu.Unlock()
	f.value, f.err = fn(ctx)
	c.mu.Lock()
	if c.running[key] == f {
		delete(c.running, key)
	}
	c.mu.Unlock()
	close(f.done)
	return f.value, f.err
}

func (f *flight[T]) wait(ctx context.Context) (T, error) {
	select {
	case <-f.done:
		return f.value, f.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
