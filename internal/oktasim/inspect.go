package oktasim

import (
	"net/http"
	"sort"
)

// serveState is GET /_oktasim/state: every object of the org as the API
// would return it, outside the Okta API and without authentication.
func (o *Org) serveState(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	defer o.mu.Unlock()
	base := baseURL(r)
	das := make([]any, 0, len(o.deviceAssures))
	for _, d := range o.deviceAssures {
		das = append(das, renderDeviceAssurance(d, base, false))
	}
	pcs := make([]any, 0, len(o.postureChecks))
	for _, p := range o.postureChecks {
		pcs = append(pcs, renderPostureCheck(p, base))
	}
	pols := make([]any, 0, len(o.policies))
	for _, p := range o.policies {
		rules := make([]any, 0, len(p.rules))
		for _, rule := range sortedRules(p) {
			rules = append(rules, renderRule(p, rule, base))
		}
		rendered, _ := renderPolicy(p, base).(orderedObject)
		pols = append(pols, append(rendered, orderedField{"rules", rules}))
	}
	writeJSON(w, http.StatusOK, orderedObject{
		{"deviceAssurances", das},
		{"devicePostureChecks", pcs},
		{"policies", pols},
		{"logEventCount", len(o.events)},
	})
}

// serveRequestCounts is GET /_oktasim/requests: request counts by method,
// path template and status.
func (o *Org) serveRequestCounts(w http.ResponseWriter, _ *http.Request) {
	o.mu.Lock()
	keys := make([]requestKey, 0, len(o.requestCounts))
	for k := range o.requestCounts {
		keys = append(keys, k)
	}
	counts := make(map[requestKey]int, len(keys))
	for _, k := range keys {
		counts[k] = o.requestCounts[k]
	}
	o.mu.Unlock()
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.Template != b.Template {
			return a.Template < b.Template
		}
		if a.Method != b.Method {
			return a.Method < b.Method
		}
		return a.Status < b.Status
	})
	out := make([]any, 0, len(keys))
	for _, k := range keys {
		out = append(out, orderedObject{{"method", k.Method}, {"template", k.Template}, {"status", k.Status}, {"count", counts[k]}})
	}
	writeJSON(w, http.StatusOK, out)
}
