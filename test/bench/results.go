package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"
)

// Results is everything one run measured; it is written as JSON as is.
type Results struct {
	Date     string         `json:"date"`
	Machine  Machine        `json:"machine"`
	Config   map[string]any `json:"config"`
	Duration string         `json:"duration"`
	Bulk     *Bulk          `json:"bulk,omitempty"`
	Steady   []Steady       `json:"steadyState,omitempty"`
	Latency  []Latency      `json:"latency,omitempty"`
	Memory   []Memory       `json:"memory,omitempty"`
	Drift    *Drift         `json:"drift,omitempty"`
	Shards   *Shards        `json:"shards,omitempty"`
	Goals    []Goal         `json:"goals,omitempty"`
	Failures []string       `json:"failures,omitempty"`
}

// Machine says where the figures come from.
type Machine struct {
	CPUs      int     `json:"cpus"`
	CPUModel  string  `json:"cpuModel"`
	MemoryGiB float64 `json:"memoryGiB"`
	Kernel    string  `json:"kernel"`
	Go        string  `json:"go"`
}

// Bulk is figure 1: bulk convergence under realistic limits.
type Bulk struct {
	Policies         int     `json:"policies"`
	Bindings         int     `json:"bindings"`
	Apps             int     `json:"apps"`
	Probes           int     `json:"probes"`
	RateDA           int     `json:"rateLimitDeviceAssurancesPerMinute"`
	RateAPI          int     `json:"rateLimitAPIPerMinute"`
	RateLogs         int     `json:"rateLimitLogsPerMinute"`
	Capacity         int     `json:"capacityPercent"`
	Resync           string  `json:"resyncPeriod"`
	Concurrency      int     `json:"concurrency"`
	DAWritesNeeded   int     `json:"deviceAssuranceWritesNeeded"`
	RuleWritesNeeded int     `json:"ruleWritesNeeded"`
	DAWriteRate      float64 `json:"deviceAssuranceRequestsPerMinuteAllowed"`
	APIWriteRate     float64 `json:"apiRequestsPerMinuteAllowed"`
	FloorSeconds     float64 `json:"floorSeconds"`
	ApplySeconds     float64 `json:"applySeconds"`
	ConvergeSeconds  float64 `json:"convergeSeconds"`
	Ratio            float64 `json:"ratioToFloor"`
	ObjectReadyP50   float64 `json:"objectReadyP50Seconds"`
	ObjectReadyP99   float64 `json:"objectReadyP99Seconds"`
	Reads            int     `json:"reads"`
	Writes           int     `json:"writes"`
	TooMany          int     `json:"tooManyRequests"`
	Requests         []Row   `json:"requests"`
	// ManagerByCode is okta_assurance_okta_requests_total by status code,
	// as the manager counted its own requests.
	ManagerByCode map[string]float64 `json:"managerRequestsByCode"`
}

// Row is a request count of the simulator.
type Row struct {
	Method   string `json:"method"`
	Template string `json:"template"`
	Status   int    `json:"status"`
	Count    int    `json:"count"`
}

// Steady is figure 2: one idle window.
type Steady struct {
	Phase             string  `json:"phase"`
	Objects           int     `json:"objects"`
	Resync            string  `json:"resyncPeriod"`
	IdleSeconds       float64 `json:"idleSeconds"`
	Writes            int     `json:"writes"`
	Reads             int     `json:"reads"`
	ReadsPerMinute    float64 `json:"readsPerMinute"`
	LogReadsPerMinute float64 `json:"systemLogReadsPerMinute"`
	// ReadsPerObjectPerResync is the reads besides the System Log polls,
	// per object and resync period: 1 when every object is read on its
	// own, far less when resyncs share list answers.
	ReadsPerObjectPerResync float64 `json:"readsPerObjectPerResync"`
	TooMany                 int     `json:"tooManyRequests"`
	Requests                []Row   `json:"requests"`
}

// Latency is figure 3: apply→Ready of single objects.
type Latency struct {
	Condition  string    `json:"condition"`
	Resolution string    `json:"resolution"`
	Samples    int       `json:"samples"`
	P50        float64   `json:"p50Seconds"`
	P99        float64   `json:"p99Seconds"`
	Max        float64   `json:"maxSeconds"`
	Values     []float64 `json:"valuesSeconds"`
}

// Memory is figure 4: the manager's RSS.
type Memory struct {
	Phase        string  `json:"phase"`
	Objects      int     `json:"objects"`
	AfterSyncMiB float64 `json:"rssAfterSyncMiB"`
	AfterIdleMiB float64 `json:"rssAfterIdleMiB"`
	// FullResync: the idle window was at least one resync period long.
	FullResync bool `json:"idleCoveredFullResync"`
}

// Drift is figure 5: out-of-band change to correction.
type Drift struct {
	Objects           int       `json:"objects"`
	Limits            string    `json:"limits"`
	Resync            string    `json:"resyncPeriod"`
	DriftPollInterval string    `json:"driftPollInterval,omitempty"`
	Samples           int       `json:"samples"`
	P50               float64   `json:"p50Seconds"`
	P99               float64   `json:"p99Seconds"`
	Max               float64   `json:"maxSeconds"`
	Values            []float64 `json:"valuesSeconds"`
}

func newResults(c *config) *Results {
	return &Results{
		Date:    time.Now().UTC().Format(time.RFC3339),
		Machine: machine(),
		Config: map[string]any{
			"policies": c.policies, "bindings": c.bindings, "apps": c.apps, "sizes": c.sizes,
			"idle": c.idle.String(), "bulkIdle": c.bulkIdle.String(), "bulkResync": c.bulkResync.String(), "scaleResync": c.scaleResync.String(),
			"driftPollInterval": c.driftPoll.String(),
			"probes":            c.probes, "driftSamples": c.driftSamples, "concurrency": c.concurrency,
			"rateAPI": c.rateAPI, "rateDA": c.rateDA, "rateLogs": c.rateLogs, "capacity": c.capacity,
			"managerFlags": c.extraManagerFlags,
		},
	}
}

func machine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb float64
		if _, err := fmt.Sscanf(string(b), "MemTotal: %f kB", &kb); err == nil {
			m.MemoryGiB = round(kb / 1024 / 1024)
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	return m
}

func rows(c counts) []Row {
	out := make([]Row, 0, len(c))
	for k, v := range c {
		out = append(out, Row{Method: k.Method, Template: k.Template, Status: k.Status, Count: v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return fmt.Sprint(out[i]) < fmt.Sprint(out[j])
	})
	return out
}

// percentile is the nearest-rank percentile p of values.
func percentile(values []float64, p float64) float64 {
	if len(values) == 0 {
		return 0
	}
	s := append([]float64(nil), values...)
	sort.Float64s(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	return s[min(max(rank, 1), len(s))-1]
}

func latency(condition string, values []float64, resolution string) Latency {
	l := Latency{Condition: condition, Resolution: resolution, Samples: len(values)}
	for _, v := range values {
		l.Values = append(l.Values, round(v))
	}
	sort.Float64s(l.Values)
	l.P50, l.P99 = percentile(l.Values, 50), percentile(l.Values, 99)
	if len(l.Values) > 0 {
		l.Max = l.Values[len(l.Values)-1]
	}
	return l
}

func round(v float64) float64 { return math.Round(v*100) / 100 }

// seconds shows a duration in seconds the way people read it.
func seconds(s float64) string {
	return (time.Duration(s * float64(time.Second))).Round(time.Second).String()
}

func tempDir() (string, func(), error) {
	dir, err := os.MkdirTemp("", "okta-assurance-bench-seed-")
	if err != nil {
		return "", nil, err
	}
	return dir, func() { _ = os.RemoveAll(dir) }, nil
}

// write stores the results as <timestamp>.{md,json} and latest.{md,json}
// and returns the Markdown.
func (r *Results) write(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	md := r.markdown()
	stamp := strings.ReplaceAll(r.Date, ":", "")
	for name, content := range map[string][]byte{
		stamp + ".json": js, "latest.json": js,
		stamp + ".md": []byte(md), "latest.md": []byte(md),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil { //nolint:gosec // results are not secret
			return "", err
		}
	}
	logf("results in %s (%s.md, %s.json, latest.*)", dir, stamp, stamp)
	return md, nil
}

func (r *Results) markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	m := r.Machine
	p("# okta-assurance-operator benchmark")
	p("")
	p("%s on %d CPUs (%s), %.1f GiB, %s, %s; the run took %s.", r.Date, m.CPUs, m.CPUModel, m.MemoryGiB, m.Kernel, m.Go, r.Duration)
	for _, f := range r.Failures {
		p("")
		p("**Failed:** %s", f)
	}
	if len(r.Goals) > 0 {
		p("")
		p("## Goals")
		p("")
		p("| Figure | Goal | Measured | Met |")
		p("| --- | --- | --- | --- |")
		for _, g := range r.Goals {
			p("| %s | %s | %s | %s |", g.Figure, g.Goal, g.Measured, g.verdict())
		}
	}
	if bk := r.Bulk; bk != nil {
		p("")
		p("## 1. Bulk convergence")
		p("")
		p("| Figure | Value |")
		p("| --- | --- |")
		p("| Objects applied at once | %d DeviceAssurancePolicies, %d SignInRuleBindings over %d app sign-in policies (+%d latency probes) |",
			bk.Policies, bk.Bindings, bk.Apps, bk.Probes)
		p("| Simulated org | device-assurances %d/min, /api/v1 %d/min, logs %d/min; capacityPercent %d; manager --resync-period %s --concurrency %d |",
			bk.RateDA, bk.RateAPI, bk.RateLogs, bk.Capacity, bk.Resync, bk.Concurrency)
		p("| Rate-limit floor | max(%d policy POSTs ÷ %.0f/min, %d rule POSTs ÷ %.0f/min) = **%s** |",
			bk.DAWritesNeeded, bk.DAWriteRate, bk.RuleWritesNeeded, bk.APIWriteRate, seconds(bk.FloorSeconds))
		if bk.ConvergeSeconds > 0 {
			p("| Time until all Ready | **%s** (all objects in the API server after %s) |", seconds(bk.ConvergeSeconds), seconds(bk.ApplySeconds))
			p("| Ratio to the floor | **%.2f×** |", bk.Ratio)
			p("| apply→Ready per object, p50 / p99 | %s / %s |", seconds(bk.ObjectReadyP50), seconds(bk.ObjectReadyP99))
			p("| Okta requests | %d (%d reads, %d writes) |", bk.Reads+bk.Writes+bk.TooMany, bk.Reads, bk.Writes)
			p("| 429s received | %d (simulator); manager counted by code: %s |", bk.TooMany, codes(bk.ManagerByCode))
			p("")
			p("| Method | Endpoint | Status | Requests |")
			p("| --- | --- | --- | --- |")
			for _, row := range bk.Requests {
				p("| %s | `%s` | %d | %d |", row.Method, row.Template, row.Status, row.Count)
			}
		}
	}
	if len(r.Steady) > 0 {
		p("")
		p("## 2. Steady state (idle after convergence)")
		p("")
		p("| Phase | Objects | Resync | Idle | Writes | Reads/min | of which System Log | Other reads per object per resync | 429s |")
		p("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
		for _, s := range r.Steady {
			p("| %s | %d | %s | %s | %d | %.1f | %.1f | %.3f | %d |", s.Phase, s.Objects, s.Resync, seconds(s.IdleSeconds),
				s.Writes, s.ReadsPerMinute, s.LogReadsPerMinute, s.ReadsPerObjectPerResync, s.TooMany)
		}
	}
	if len(r.Latency) > 0 {
		p("")
		p("## 3. Latency: apply→Ready of one new DeviceAssurancePolicy")
		p("")
		p("| While | Samples | p50 | p99 | max | Resolution |")
		p("| --- | --- | --- | --- | --- | --- |")
		for _, l := range r.Latency {
			p("| %s | %d | %.1f s | %.1f s | %.1f s | %s |", l.Condition, l.Samples, l.P50, l.P99, l.Max, l.Resolution)
		}
	}
	if len(r.Memory) > 0 {
		p("")
		p("## 4. Memory: manager RSS")
		p("")
		p("| Phase | Objects | After cache sync (all Ready) | After the idle window | Idle covered a full resync |")
		p("| --- | --- | --- | --- | --- |")
		for _, mm := range r.Memory {
			p("| %s | %d | %.0f MiB | %.0f MiB | %v |", mm.Phase, mm.Objects, mm.AfterSyncMiB, mm.AfterIdleMiB, mm.FullResync)
		}
	}
	if d := r.Drift; d != nil {
		p("")
		p("## 5. Drift: out-of-band change in the org → corrected")
		p("")
		poll := "no drift watcher (corrected at the resync)"
		if d.DriftPollInterval != "" {
			poll = "--drift-poll-interval " + d.DriftPollInterval
		}
		p("| Objects | Limits | Resync | Detection | Samples | p50 | p99 | max |")
		p("| --- | --- | --- | --- | --- | --- | --- | --- |")
		p("| %d | %s | %s | %s | %d | %.1f s | %.1f s | %.1f s |", d.Objects, d.Limits, d.Resync, poll, d.Samples, d.P50, d.P99, d.Max)
	}
	if sh := r.Shards; sh != nil {
		p("")
		p("## 6. Two shards, two orgs")
		p("")
		p("%d new policies per shard, each shard a manager (`--watch-label-selector shard=…`, `--leader-elect`) serving its own org "+
			"(device-assurances %d/min, capacityPercent %d): one org's floor is **%s**; all were Ready after **%s** (**%.2f×** one org's floor).",
			sh.PoliciesPerShard, sh.RateDA, sh.Capacity, seconds(sh.FloorSeconds), seconds(sh.ConvergeSeconds), sh.Ratio)
		p("")
		p("| Shard | Its org's reads | writes | 429s | Policies of the other shard in its org |")
		p("| --- | --- | --- | --- | --- |")
		for _, s := range sh.PerShard {
			p("| %s | %d | %d | %d | %d |", s.Shard, s.Reads, s.Writes, s.TooMany, s.Foreign)
		}
	}
	return b.String()
}

func codes(m map[string]float64) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %.0f", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
