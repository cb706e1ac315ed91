// Package fidelity_test measures how faithfully the org simulator reproduces
// real Okta orgs, by replaying real recorded interactions against it.
package fidelity_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/okta-assurance-operator/okta-assurance-operator/test/fixtures"
)

// minReproduced is the number of recordings the simulator reproduced when
// this test was last tightened. It only goes up: a change that makes the
// simulator reproduce fewer real interactions fails here.
const minReproduced = 442

// TestSimulatorReplaysRecordings sends each recorded request to a fresh
// simulated org, after creating the objects the request needs, and checks
// that the simulator answers with the recorded status and the same set of
// keys (IDs, timestamps and hosts differ by nature and are not compared).
func TestSimulatorReplaysRecordings(t *testing.T) {
	recs, err := fixtures.Recordings()
	if err != nil {
		t.Fatal(err)
	}
	var failures []string
	reproduced := 0
	for _, rec := range recs {
		mismatch := replay(t, rec)
		if mismatch == "" {
			reproduced++
			continue
		}
		failures = append(failures, rec.Name+": "+mismatch)
	}
	sort.Strings(failures)
	t.Logf("the simulator reproduces %d of %d recorded interactions", reproduced, len(recs))
	if len(failures) > 0 {
		t.Logf("not reproduced:\n%s", strings.Join(failures, "\n"))
	}
	if reproduced < minReproduced {
		t.Errorf("reproduced %d recordings, fewer than the %d reproduced before", reproduced, minReproduced)
	}
}

// replay returns "" when the simulator reproduces rec, else what differs.
func replay(t *testing.T, rec fixtures.Recording) string {
	t.Helper()
	org := newReplayOrg(t)
	req, skip := org.prepare(rec)
	if skip != "" {
		return skip
	}
	status, body := org.send(req.method, req.path, req.body)
	if status != rec.Status {
		return "status " + itoa(status) + ", recorded " + itoa(rec.Status) + ": " + truncate(string(body))
	}
	return compareKeys(rec, body)
}
