package oktasim

import (
	"encoding/json"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/okta-assurance-operator/okta-assurance-operator/test/fixtures"
)

type recording struct {
	file     string
	cassette string
	index    int
	Source   string `json:"source"`
	Method   string `json:"method"`
	Path     string `json:"path"`
	Status   int    `json:"status"`
	Request  any    `json:"request_body"`
	Response any    `json:"response_body"`
}

var (
	sourceIndex = regexp.MustCompile(`^(.*)#(\d+)(.*)$`)
	recordedID  = regexp.MustCompile(`\b(dae|rst|rul|dch)[0-9A-Za-z]{17}\b`)
)

// decodeNumbers decodes a recorded body keeping numbers as json.Number.
func decodeNumbers(t *testing.T, raw json.RawMessage) any {
	t.Helper()
	if len(raw) == 0 {
		return nil
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func loadCassettes(t *testing.T) map[string][]recording {
	t.Helper()
	recs, err := fixtures.Recordings()
	if err != nil {
		t.Fatal(err)
	}
	cassettes := map[string][]recording{}
	for _, r := range recs {
		rec := recording{Source: r.Source, Method: r.Method, Path: r.Path, Status: r.Status,
			Request: decodeNumbers(t, r.RequestBody), Response: decodeNumbers(t, r.ResponseBody)}
		m := sourceIndex.FindStringSubmatch(rec.Source)
		rec.file, rec.cassette = r.Name+".json", m[1]+m[3]
		rec.index, _ = strconv.Atoi(m[2])
		cassettes[rec.cassette] = append(cassettes[rec.cassette], rec)
	}
	for _, recs := range cassettes {
		sort.Slice(recs, func(i, j int) bool { return recs[i].index < recs[j].index })
	}
	return cassettes
}

// keyPaths lists every object key path of a JSON value; array items share
// one path, _links content and ids are ignored.
func keyPaths(v any, prefix string, out map[string]bool) {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			p := prefix + "." + k
			out[p] = true
			if k != "_links" {
				keyPaths(val, p, out)
			}
		}
	case []any:
		for _, item := range t {
			keyPaths(item, prefix+"[]", out)
		}
	}
}

func sameKeys(a, b any) (bool, string) {
	ka, kb := map[string]bool{}, map[string]bool{}
	keyPaths(a, "", ka)
	keyPaths(b, "", kb)
	var diff []string
	for k := range ka {
		if !kb[k] {
			diff = append(diff, "-"+k)
		}
	}
	for k := range kb {
		if !ka[k] {
			diff = append(diff, "+"+k)
		}
	}
	sort.Strings(diff)
	return len(diff) == 0, strings.Join(diff, " ")
}

// replayStats counts one replay.
type replayStats struct{ total, replayable, matched int }

// TestReplayRecordings replays each cassette in order against a fresh org,
// mapping recorded ids to the simulator's, and counts the interactions whose
// status and key set match. Recorded interactions that need objects the
// cassette does not create are counted as not replayable. It also reports
// the count when each cassette is replayed with the OrgVariant that fits it
// best, since real orgs differ in two server defaults.
func TestReplayRecordings(t *testing.T) {
	cassettes := loadCassettes(t)
	variants := []OrgVariant{{}, {OmitRemediationModeDefault: true}, {OmitRiskScoreDefault: true},
		{OmitRemediationModeDefault: true, OmitRiskScoreDefault: true}}
	var newest, best replayStats
	for _, recs := range cassettes {
		first := replayCassette(t, recs, variants[0], true)
		newest.total += first.total
		newest.replayable += first.replayable
		newest.matched += first.matched
		top := first
		for _, v := range variants[1:] {
			if s := replayCassette(t, recs, v, false); s.matched > top.matched {
				top = s
			}
		}
		best.matched += top.matched
	}
	t.Logf("recordings: %d, replayable: %d, same status and keys: %d (default org), %d (best OrgVariant per cassette)",
		newest.total, newest.replayable, newest.matched, best.matched)
}

func replayCassette(t *testing.T, recs []recording, variant OrgVariant, logMismatches bool) replayStats {
	t.Helper()
	var s replayStats
	o := newTestOrg(t, Options{Variant: variant})
	ids := map[string]string{}
	for _, rec := range recs {
		s.total++
		path, ok := o.mapIDs(rec.Path, ids, true)
		body := rec.Request
		if ok && body != nil {
			raw, _ := json.Marshal(body)
			var mapped string
			mapped, ok = o.mapIDs(string(raw), ids, false)
			body = mapped
		}
		if !ok {
			continue
		}
		s.replayable++
		got := o.do(rec.Method, path, body)
		learnIDs(rec.Response, got.body, ids)
		same, diff := sameKeys(rec.Response, got.body)
		if got.status == rec.Status && same {
			s.matched++
		} else if logMismatches {
			t.Logf("%s %s %s: %d vs %d %s", rec.file, rec.Method, rec.Path, got.status, rec.Status, diff)
		}
	}
	return s
}

// mapIDs rewrites recorded ids to simulator ids. An unknown policy id in a
// path gets a new policy; any other unknown id makes the interaction not
// replayable.
func (o *testOrg) mapIDs(s string, ids map[string]string, inPath bool) (string, bool) {
	ok := true
	out := recordedID.ReplaceAllStringFunc(s, func(id string) string {
		if sim, known := ids[id]; known {
			return sim
		}
		if inPath && strings.HasPrefix(id, prefixAccessPolicy) {
			r := o.do("POST", "/api/v1/policies", map[string]any{"name": "replay " + id, "type": "ACCESS_POLICY"})
			ids[id] = r.object()["id"].(string)
			return ids[id]
		}
		ok = false
		return id
	})
	return out, ok
}

// learnIDs pairs the ids of a recorded response with the simulator's.
func learnIDs(recorded, got any, ids map[string]string) {
	rm, ok1 := recorded.(map[string]any)
	gm, ok2 := got.(map[string]any)
	if ok1 && ok2 {
		if rid, ok := rm["id"].(string); ok {
			if gid, ok := gm["id"].(string); ok {
				ids[rid] = gid
			}
		}
		return
	}
	ra, ok1 := recorded.([]any)
	ga, ok2 := got.([]any)
	if ok1 && ok2 {
		for i := range min(len(ra), len(ga)) {
			learnIDs(ra[i], ga[i], ids)
		}
	}
}
