package managed

import (
	"sync"
	"time"
)

// workerWait is how soon a pass put off for its namespace's share of the
// workers comes back: long enough for the namespace's running passes to
// end, short enough not to be noticed.
const workerWait = time.Second

// namespaceWorkers counts the passes each namespace holds at once, for the
// namespaces whose grant gives them a share of the workers
// (tenants[].workerPercent): a namespace that floods its controller with
// objects holds at most its share, and the other namespaces' objects go
// first.
type namespaceWorkers struct {
	mu   sync.Mutex
	busy map[string]int
}

// take holds a worker for namespace if it holds fewer than limit.
func (w *namespaceWorkers) take(namespace string, limit int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.busy == nil {
		w.busy = map[string]int{}
	}
	if w.busy[namespace] >= limit {
		return false
	}
	w.busy[namespace]++
	return true
}

// give returns a worker take held.
func (w *namespaceWorkers) give(namespace string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.busy[namespace]--; w.busy[namespace] <= 0 {
		delete(w.busy, namespace)
	}
}

// workerShare holds one of the namespace's share of the workers for the
// pass; deferred is true when the share is in use, and the pass must be put
// off with a Deferred outcome, which changes no condition and comes back
// after workerWait.
func (r *Reconciler[T]) workerShare(p *Pass[T]) (deferred bool) {
	share := p.Rights.WorkerPercent()
	if share >= 100 {
		return false
	}
	namespace := p.Obj.GetNamespace()
	if !r.workers.take(namespace, max(1, max(r.Concurrency, 1)*share/100)) {
		return true
	}
	p.release = func() { r.workers.give(namespace) }
	return false
}
