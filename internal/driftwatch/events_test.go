package driftwatch

import (
	"fmt"
	"testing"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

func logEvent(eventType, transaction, actorID string, targets ...string) okta.LogEvent {
	ev := okta.LogEvent{EventType: eventType, UUID: "uuid-" + eventType, Published: time.Unix(1700000000, 0).UTC(),
		Transaction: &okta.LogTransaction{ID: transaction}, Actor: &okta.LogActor{ID: actorID}}
	for _, t := range targets {
		ev.Target = append(ev.Target, okta.LogTarget{ID: t})
	}
	return ev
}

func TestOutOfBandSkipsTheOperatorsOwnEvents(t *testing.T) {
	own := NewOwnRequests()
	own.Add("req-own", "")
	cases := []struct {
		name      string
		id        identity
		ev        okta.LogEvent
		outOfBand bool
	}{
		{"an admin's console edit", identity{own: own}, logEvent("device.assurance.policy.update", "req-admin", "00uadmin"), true},
		{"the operator's own write, by request id", identity{own: own}, logEvent("device.assurance.policy.update", "req-own", "00uadmin"), false},
		{"the operator's OAuth client as actor", identity{own: own, clientID: "0oaop"}, logEvent("policy.rule.update", "req-lost", "0oaop"), false},
		{"another OAuth client", identity{own: own, clientID: "0oaop"}, logEvent("policy.rule.update", "req-x", "0oaother"), true},
		{"a posture check change", identity{own: own}, logEvent("device.posture.check.delete", "req-x", "00u"), true},
		{"an event no object can be touched by", identity{own: own}, logEvent("user.session.start", "req-x", "00u"), false},
		{"a policy lifecycle event (not a rule)", identity{own: own}, logEvent("policy.lifecycle.update", "req-x", "00u"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := len(tc.id.outOfBand([]okta.LogEvent{tc.ev})) == 1
			if got != tc.outOfBand {
				t.Fatalf("outOfBand = %v, want %v", got, tc.outOfBand)
			}
		})
	}
}

func TestOwnRequestsForgetsTheOldestWhenFull(t *testing.T) {
	own := NewOwnRequests()
	own.Add("first", "")
	for i := range ownRequestCapacity {
		own.Add(fmt.Sprintf("id-%d", i), "")
	}
	if own.Has("first") {
		t.Fatal("the oldest id is still remembered past the capacity")
	}
	if !own.Has(fmt.Sprintf("id-%d", ownRequestCapacity-1)) || !own.Has("id-0") {
		t.Fatal("the newest ids are not remembered")
	}
	own.Add("", "")
	if own.Has("") {
		t.Fatal("an empty request id must never match")
	}
}

func TestTargetIDsAndActorName(t *testing.T) {
	ev := logEvent("policy.rule.update", "r", "00u1", "rul1", "rst1", "rul1")
	if got := targetIDs(ev); len(got) != 2 || got[0] != "rul1" || got[1] != "rst1" {
		t.Fatalf("targetIDs = %v", got)
	}
	ev.Actor = &okta.LogActor{ID: "00u1", AlternateID: "unknown", DisplayName: "Ada Admin"}
	if got := actorName(ev); got != "Ada Admin" {
		t.Fatalf("actorName = %q, want the display name when alternateId is unknown", got)
	}
	ev.Actor.AlternateID = "ada@example.com"
	if got := actorName(ev); got != "ada@example.com" {
		t.Fatalf("actorName = %q", got)
	}
	c := change(ev)
	if c.EventType != "policy.rule.update" || c.Actor != "ada@example.com" || !c.Time.Time.Equal(ev.Published) || c.EventID != ev.UUID {
		t.Fatalf("change = %+v", c)
	}
}

func TestEventFilterCoversEveryFamily(t *testing.T) {
	want := `eventType sw "device.assurance.policy." or eventType sw "device.posture.check." or eventType sw "policy.rule."`
	if got := eventFilter(); got != want {
		t.Fatalf("eventFilter() = %s", got)
	}
}

func TestClaimPollsEachOrgOncePerInterval(t *testing.T) {
	w := &Watcher{}
	org := orgTarget{name: "default"}
	t0 := time.Unix(1700000000, 0)
	if !w.claim(org, time.Time{}, time.Minute, t0) {
		t.Fatal("a never-polled org is due")
	}
	if w.claim(org, time.Time{}, time.Minute, t0.Add(2*time.Minute)) {
		t.Fatal("an org being polled was claimed twice")
	}
	w.done(org)
	if w.claim(org, time.Time{}, time.Minute, t0.Add(30*time.Second)) {
		t.Fatal("claimed before the interval passed since the last attempt")
	}
	if !w.claim(org, time.Time{}, time.Minute, t0.Add(time.Minute)) {
		t.Fatal("not claimed one interval after the last attempt")
	}
	w.done(org)
	restarted := &Watcher{}
	if restarted.claim(org, t0.Add(time.Minute), time.Minute, t0.Add(90*time.Second)) {
		t.Fatal("a restarted watcher ignored the persisted lastPollTime")
	}
}
