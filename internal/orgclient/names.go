package orgclient

import (
	"context"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// NameLedgerMaxAge is how long the list behind an org's name ledger
// answers name checks. Within it, a create learns of a policy someone else
// made only through the System Log watcher (Invalidate), as it learns of
// one made between its list and its POST without the ledger; past it, the
// next create lists the org again, so a lone create checks against the org
// as it is, and a burst of creates shares one list every NameLedgerMaxAge
// instead of one list for every few creates. A ledger is never older than
// the snapshots of resync reads either (their TTL, if shorter).
const NameLedgerMaxAge = 10 * time.Second

// NameChecker answers a create's question "is this name free?" from the
// org's name ledger instead of a list per create. A client that Resolve
// returns implements it when snapshots are on; the controllers fall back to
// listing the org when their client does not.
type NameChecker interface {
	// ReserveDeviceAssuranceName reports the Okta IDs of the org's device
	// assurance policies named name on platform. When there are none and
	// no other object of this process is creating one, the name is
	// reserved for the object the context's writer names until Release:
	// a second object asking for it meanwhile is told Creating.
	ReserveDeviceAssuranceName(ctx context.Context, name string, platform okta.Platform) (*NameReservation, error)
}

// NameReservation is the answer of a name check.
type NameReservation struct {
	// Taken are the IDs of the org's policies with the name; the name is
	// not reserved when there are any.
	Taken []string
	// Creating is set when another object of this process is creating a
	// policy with the name now; the name is not reserved.
	Creating bool

	release func()
}

// Reserved says whether the caller may create the policy.
func (r *NameReservation) Reserved() bool { return r.release != nil }

// Release ends the reservation once the create was sent (its result, if
// any, is in the ledger by then) or abandoned. Safe to call more than once.
func (r *NameReservation) Release() {
	if r.release != nil {
		r.release()
		r.release = nil
	}
}

// nameKey is what Okta would have to keep unique for the operator's name
// checks: a policy's platform and name.
type nameKey struct {
	platform okta.Platform
	name     string
}

// nameLedger is one org's device assurance policy names: a list, the
// operator's own writes since, and the names being created now.
type nameLedger struct {
	mu sync.Mutex
	// listing is held while the ledger lists the org, so that the checks
	// and writes that arrive meanwhile wait for its answer instead of
	// listing again or being overwritten by it.
	listing sync.Mutex

	taken      time.Time
	generation uint64 // of Snapshots.staleness when the list was taken
	ids        map[string]nameKey
	reserved   map[nameKey]types.UID
}

// fresh says whether the ledger may answer at now.
func (l *nameLedger) fresh(s *Snapshots, now time.Time) bool {
	return l.ids != nil && l.generation == s.staleness.Load() && now.Sub(l.taken) < min(NameLedgerMaxAge, s.ttl)
}

func (l *nameLedger) named(key nameKey) []string {
	var ids []string
	for id, k := range l.ids {
		if k == key {
			ids = append(ids, id)
		}
	}
	return ids
}

// reserve answers a name check for writer, listing the org first when the
// ledger is stale.
func (l *nameLedger) reserve(ctx context.Context, s *Snapshots, key nameKey, writer types.UID,
	list func(context.Context) ([]okta.DeviceAssuranceResponse, error)) (*NameReservation, error) {
	if err := l.refresh(ctx, s, list); err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if taken := l.named(key); len(taken) > 0 {
		return &NameReservation{Taken: taken}, nil
	}
	if holder, ok := l.reserved[key]; ok && holder != writer {
		return &NameReservation{Creating: true}, nil
	}
	if l.reserved == nil {
		l.reserved = map[nameKey]types.UID{}
	}
	l.reserved[key] = writer
	return &NameReservation{release: func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.reserved[key] == writer {
			delete(l.reserved, key)
		}
	}}, nil
}

// refresh lists the org when the ledger may no longer answer.
func (l *nameLedger) refresh(ctx context.Context, s *Snapshots,
	list func(context.Context) ([]okta.DeviceAssuranceResponse, error)) error {
	l.listing.Lock()
	defer l.listing.Unlock()
	l.mu.Lock()
	fresh := l.fresh(s, s.now())
	l.mu.Unlock()
	if fresh {
		return nil
	}
	// Taken before the list: a change reported while it runs makes it
	// stale at once.
	generation, taken := s.staleness.Load(), s.now()
	policies, err := list(ctx)
	if err != nil {
		return err
	}
	ids := make(map[string]nameKey, len(policies))
	for _, p := range policies {
		ids[p.ID] = nameKey{platform: p.Platform, name: p.Name}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ids, l.taken, l.generation = ids, taken, generation
	return nil
}

// wrote records what the operator's write of one policy left in the org:
// its name and platform (p nil: it is gone). After a write whose result
// is unknown, the ledger lists again at the next check.
func (l *nameLedger) wrote(id string, p *okta.DeviceAssuranceResponse, err error) {
	// Wait for a list running now: its answer may predate the write.
	l.listing.Lock()
	defer l.listing.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ids == nil {
		return
	}
	switch {
	case okta.IsNotFound(err):
		delete(l.ids, id)
	case refused(err):
	case err != nil:
		l.ids = nil
	case p != nil:
		l.ids[p.ID] = nameKey{platform: p.Platform, name: p.Name}
	default:
		delete(l.ids, id)
	}
}

// ReserveDeviceAssuranceName implements NameChecker.
func (a *snapshotted) ReserveDeviceAssuranceName(ctx context.Context, name string, platform okta.Platform) (*NameReservation, error) {
	return a.names.reserve(ctx, a.s, nameKey{platform: platform, name: name}, WriterFrom(ctx), a.ListDeviceAssurances)
}

func (a *snapshotted) CreateDeviceAssurance(ctx context.Context, p okta.DeviceAssurance) (*okta.DeviceAssuranceResponse, error) {
	created, err := a.API.CreateDeviceAssurance(ctx, p)
	a.names.wrote("", created, err)
	return created, err
}

// refused tells whether Okta answered a write with an error: nothing
// changed. After a timeout, a network error or a 5xx the write may have
// happened.
func refused(err error) bool {
	c := okta.Class(err)
	return err != nil && c != okta.ClassTransient && c != okta.ClassUnknown
}
