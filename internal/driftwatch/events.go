package driftwatch

import (
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// eventPrefixes are the event types that can change a managed object:
// device.assurance.policy.add/update/delete, device.posture.check.*, and
// policy.rule.add/update/delete/activate/deactivate.
var eventPrefixes = []string{"device.assurance.policy.", "device.posture.check.", "policy.rule."}

// eventFilter is the System Log filter for eventPrefixes. Okta documents
// `sw` on eventType (docs/okta-api-behaviour.md §4.1), so one query covers all
// three families.
func eventFilter() string {
	terms := make([]string, 0, len(eventPrefixes))
	for _, p := range eventPrefixes {
		terms = append(terms, `eventType sw "`+p+`"`)
	}
	return strings.Join(terms, " or ")
}

// relevant says whether an event type can change a managed object; the
// filter already asks for these, this keeps a lenient server honest.
func relevant(eventType string) bool {
	for _, p := range eventPrefixes {
		if strings.HasPrefix(eventType, p) {
			return true
		}
	}
	return false
}

// identity is how the operator recognises its own events in one org.
type identity struct {
	// own holds the request ids of the operator's writes.
	own *OwnRequests
	// clientID is the org's OAuth client ID, the actor of every event an
	// OAuth service app causes; empty for an API token, whose actor is the
	// token's admin user and so proves nothing.
	clientID string
}

// isOwn says whether the operator caused ev.
func (id identity) isOwn(ev okta.LogEvent) bool {
	_, own := id.writer(ev)
	return own
}

// writer says whether the operator caused ev and, when known, for which
// object it made the write.
func (id identity) writer(ev okta.LogEvent) (types.UID, bool) {
	if ev.Transaction != nil && id.own != nil {
		if uid, ok := id.own.Writer(ev.Transaction.ID); ok {
			return uid, true
		}
	}
	return "", id.clientID != "" && ev.Actor != nil && ev.Actor.ID == id.clientID
}

// outOfBand returns the events of evs that can change a managed object
// and that the operator did not cause, in order.
func (id identity) outOfBand(evs []okta.LogEvent) []okta.LogEvent {
	var out []okta.LogEvent
	for _, ev := range evs {
		if relevant(ev.EventType) && !id.isOwn(ev) {
			out = append(out, ev)
		}
	}
	return out
}

// targetIDs are the Okta IDs an event names (policy, rule, check), without
// duplicates. Target types vary and their positions are not stable
// (docs/okta-api-behaviour.md §4.3), so every target counts; an ID no object
// has is ignored.
func targetIDs(ev okta.LogEvent) []string {
	seen := map[string]bool{}
	var ids []string
	for _, t := range ev.Target {
		if t.ID != "" && !seen[t.ID] {
			seen[t.ID] = true
			ids = append(ids, t.ID)
		}
	}
	return ids
}

// actorName is the most readable name of who caused ev: the login or
// client ID, else the display name, else the Okta ID.
func actorName(ev okta.LogEvent) string {
	if ev.Actor == nil {
		return ""
	}
	for _, s := range []string{ev.Actor.AlternateID, ev.Actor.DisplayName, ev.Actor.ID} {
		if s != "" && s != "unknown" {
			return truncate(s, 256)
		}
	}
	return ""
}

// change is the status record of ev.
func change(ev okta.LogEvent) assurancev1alpha1.OutOfBandChange {
	return assurancev1alpha1.OutOfBandChange{
		EventType: truncate(ev.EventType, 128),
		Actor:     actorName(ev),
		Time:      metav1.NewTime(ev.Published),
		EventID:   truncate(ev.UUID, 64),
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
