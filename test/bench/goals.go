package main

import (
	"fmt"
	"strings"
)

// Goal is one figure the issue that set it bounds (docs/performance.md),
// next to what the run measured.
type Goal struct {
	Figure   string `json:"figure"`
	Goal     string `json:"goal"`
	Measured string `json:"measured"`
	// Met is nil when the run did not measure the figure.
	Met *bool `json:"met,omitempty"`
}

func (g Goal) verdict() string {
	switch {
	case g.Met == nil:
		return "not measured"
	case *g.Met:
		return "yes"
	default:
		return "**no**"
	}
}

// Goals for the figures of docs/performance.md.
const (
	goalBulkRatio       = 1.1
	goalLatencyP99      = 2.0   // seconds
	goalRSSMiB          = 150.0 // at goalObjects
	goalObjects         = 10000
	goalReadsPerMinRest = 3.0 // per org, default resync: one list per kind and the System Log poll
)

// goals compares the results with the goals.
func (r *Results) goals() []Goal {
	out := []Goal{r.bulkGoal(), r.latencyGoal(), r.memoryGoal(), r.restGoal()}
	if sh := r.Shards; sh != nil {
		met := sh.Ratio <= goalBulkRatio
		for _, s := range sh.PerShard {
			met = met && s.TooMany == 0 && s.Foreign == 0
		}
		out = append(out, Goal{Figure: "Two shards, each its own org → all Ready", Goal: fmt.Sprintf("≤ %.1f× one org's floor, 0 429s, no object in the other's org", goalBulkRatio),
			Measured: fmt.Sprintf("%.2f× (%s)", sh.Ratio, seconds(sh.ConvergeSeconds)), Met: &met})
	}
	return out
}

func (r *Results) bulkGoal() Goal {
	g := Goal{Figure: "Bulk 1,000 policies + 200 bindings → all Ready", Goal: fmt.Sprintf("≤ %.1f× the rate-limit floor, 0 429s", goalBulkRatio), Measured: "—"}
	if b := r.Bulk; b != nil && b.ConvergeSeconds > 0 {
		met := b.Ratio <= goalBulkRatio && b.TooMany == 0
		g.Measured, g.Met = fmt.Sprintf("%.2f× (%s, %d 429s; %d policies + %d bindings)", b.Ratio, seconds(b.ConvergeSeconds), b.TooMany, b.Policies, b.Bindings), &met
	}
	return g
}

func (r *Results) latencyGoal() Goal {
	g := Goal{Figure: fmt.Sprintf("apply→Ready of one new object, %d existing, default resync", goalObjects),
		Goal: fmt.Sprintf("p99 ≤ %.0f s", goalLatencyP99), Measured: "—"}
	for _, l := range r.Latency {
		if strings.Contains(l.Condition, "default resync") {
			met := l.P99 <= goalLatencyP99 && objectsOf(l.Condition) >= goalObjects
			g.Measured, g.Met = fmt.Sprintf("p99 %.1f s (%s)", l.P99, l.Condition), &met
		}
	}
	return g
}

func (r *Results) memoryGoal() Goal {
	g := Goal{Figure: fmt.Sprintf("Manager RSS at %d objects", goalObjects), Goal: fmt.Sprintf("≤ %.0f MiB", goalRSSMiB), Measured: "—"}
	for _, m := range r.Memory {
		if m.Objects >= goalObjects {
			rss := max(m.AfterSyncMiB, m.AfterIdleMiB)
			met := rss <= goalRSSMiB
			g.Measured, g.Met = fmt.Sprintf("%.0f MiB (%d objects, %s)", rss, m.Objects, m.Phase), &met
		}
	}
	return g
}

func (r *Results) restGoal() Goal {
	g := Goal{Figure: "Okta reads at rest, default resync", Goal: fmt.Sprintf("O(1) per org per minute (≤ %.0f)", goalReadsPerMinRest), Measured: "—"}
	for _, s := range r.Steady {
		if strings.HasPrefix(s.Phase, "bulk") {
			met := s.ReadsPerMinute <= goalReadsPerMinRest && s.Writes == 0
			g.Measured, g.Met = fmt.Sprintf("%.1f/min, %d writes (%d objects idle %s)", s.ReadsPerMinute, s.Writes, s.Objects, seconds(s.IdleSeconds)), &met
		}
	}
	return g
}

// objectsOf is the object count a latency condition starts with.
func objectsOf(condition string) int {
	var n int
	_, _ = fmt.Sscanf(condition, "%d", &n)
	return n
}
