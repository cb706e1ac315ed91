package metrics

import (
	"regexp"
	"sync"
)

// OtherLabel is the label value that stands for every value beyond a
// label's bound.
const OtherLabel = "other"

// maxLabelValues bounds the distinct values of a label that holds names
// users choose (org objects) or values an org sends (System Log event
// types): a tenant creating org objects, or an odd org, cannot grow the
// metrics without bound.
const maxLabelValues = 64

// boundedLabel keeps the first maxLabelValues values of a label and maps
// every later one to OtherLabel.
type boundedLabel struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (b *boundedLabel) value(v string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.seen == nil {
		b.seen = map[string]bool{}
	}
	if b.seen[v] {
		return v
	}
	if len(b.seen) >= maxLabelValues {
		return OtherLabel
	}
	b.seen[v] = true
	return v
}

var orgLabels, eventTypeLabels boundedLabel

// OrgLabel is the org label value of an org (e.g. "OktaOrg team-a/okta"),
// bounded.
func OrgLabel(org string) string { return orgLabels.value(org) }

// EventTypeLabel is the event_type label value of a System Log event type,
// bounded.
func EventTypeLabel(eventType string) string { return eventTypeLabels.value(eventType) }

// knownEndpoint matches the endpoint templates the operator calls; a path
// outside them (a next link Okta made up, a redirect) is counted as
// OtherLabel.
var knownEndpoint = regexp.MustCompile(`^(/api/v1/(device-assurances|device-posture-checks)(/\{id\}|/default)?|` +
	`/api/v1/policies(/\{id\}(/rules(/\{id\}(/lifecycle/(activate|deactivate))?)?)?)?|/api/v1/logs|/oauth2/v1/token)$`)
