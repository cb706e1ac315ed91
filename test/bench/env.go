package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/localenv"
)

// benchEnv is one running environment with its manager.
type benchEnv struct {
	*localenv.Env
	manager    *localenv.Process
	metricsURL string
	kube       client.Client
	http       *http.Client
	keepDir    bool
	// resync is the manager's --resync-period.
	resync time.Duration
	// orgURL is the org this env reads (the simulator's SimURL when empty).
	orgURL string
}

// org is the URL of the org this env reads.
func (b *benchEnv) org() string {
	if b.orgURL != "" {
		return b.orgURL
	}
	return b.SimURL
}

// managerFlags are the manager's flags for a phase, in one place: the
// resync period, the concurrency, a plain-HTTP metrics endpoint the bench
// scrapes, and --drift-poll-interval once the manager has it.
func managerFlags(c *config, resync time.Duration, metricsAddr string) []string {
	flags := []string{
		"--resync-period=" + resync.String(),
		"--concurrency=" + strconv.Itoa(c.concurrency),
		"--metrics-bind-address=" + metricsAddr,
		"--metrics-secure=false",
	}
	if c.watcher {
		flags = append(flags, "--drift-poll-interval="+c.driftPoll.String())
	}
	return append(flags, strings.Fields(c.extraManagerFlags)...)
}

// defaultResync is the manager's default --resync-period (cmd/main.go):
// rare with the System Log watcher, which notices out-of-band changes.
func defaultResync(c *config) time.Duration {
	if c.watcher {
		return time.Hour
	}
	return 10 * time.Minute
}

// managerHasFlag tells whether the manager binary knows --name, from its
// -help output, so that the bench runs before and after a flag lands.
func managerHasFlag(ctx context.Context, binary, name string) bool {
	out, _ := exec.CommandContext(ctx, binary, "-help").CombinedOutput()
	return strings.Contains(string(out), "-"+name+" ")
}

// startEnv starts the control plane and the simulator with simFlags, the
// ClusterOktaOrg "default" with capacityPercent, and, with withManager,
// the manager.
func startEnv(ctx context.Context, c *config, root, phase string, simFlags []string, capacity int, resync time.Duration, withManager bool) (*benchEnv, error) {
	dir := c.dir
	keep := dir != ""
	if keep {
		dir = filepath.Join(dir, phase)
	}
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "okta-assurance-bench-"); err != nil {
			return nil, err
		}
	} else if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	env, err := localenv.Start(ctx, localenv.Options{RepoRoot: root, Assets: c.assets, Dir: dir, SimulatorFlags: simFlags})
	if err != nil {
		return nil, err
	}
	b := &benchEnv{Env: env, http: &http.Client{Timeout: 30 * time.Second}, keepDir: keep}
	c.watcher = managerHasFlag(ctx, b.Binary("manager"), "drift-poll-interval")
	if resync == 0 {
		resync = defaultResync(c)
	}
	b.resync = resync
	if err := b.setup(ctx, c, capacity, resync, withManager); err != nil {
		b.stop(true)
		return nil, err
	}
	return b, nil
}

func (b *benchEnv) setup(ctx context.Context, c *config, capacity int, resync time.Duration, withManager bool) error {
	if err := b.ConnectDefaultOrg(ctx); err != nil {
		return err
	}
	if capacity != 50 {
		patch := fmt.Sprintf(`{"spec":{"capacityPercent":%d}}`, capacity)
		if _, err := b.Kubectl(ctx, "", "patch", "clusteroktaorg", "default", "--type=merge", "-p", patch); err != nil {
			return err
		}
	}
	if _, err := b.Kubectl(ctx, "", "create", "namespace", benchNamespace); err != nil {
		return err
	}
	if withManager {
		if err := b.startManager(ctx, c, resync); err != nil {
			return err
		}
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", b.Kubeconfig)
	if err != nil {
		return err
	}
	cfg.QPS, cfg.Burst = 500, 1000
	b.kube, err = client.New(cfg, client.Options{})
	return err
}

// startManager starts the manager, serving the ClusterOktaOrg "default".
func (b *benchEnv) startManager(ctx context.Context, c *config, resync time.Duration) error {
	port, err := freePort(ctx)
	if err != nil {
		return err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	b.metricsURL = "http://" + addr + "/metrics"
	flags := managerFlags(c, resync, addr)
	logf("manager flags: %s", strings.Join(flags, " "))
	if b.manager, err = b.StartManager(ctx, flags...); err != nil {
		return err
	}
	_, err = b.Kubectl(ctx, "", "wait", "--for=condition=Ready", "--timeout=120s", "clusteroktaorg/default")
	return err
}

// stop ends the environment; its folder is removed unless it was given
// with -dir or keep is set (a failed phase keeps its logs).
func (b *benchEnv) stop(keep bool) {
	b.Stop()
	if keep || b.keepDir {
		logf("logs kept in %s", b.Dir)
		return
	}
	_ = os.RemoveAll(b.Dir)
}

func freePort(ctx context.Context) (int, error) {
	l, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// rssMiB is the manager's resident set size (VmRSS) in MiB.
func (b *benchEnv) rssMiB() (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", b.manager.Pid()))
	if err != nil {
		return 0, err
	}
	defer func() { _ = f.Close() }()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				return 0, err
			}
			return float64(kb) / 1024, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", b.manager.Pid())
}

// requestKey is one row of the simulator's GET /_oktasim/requests.
type requestKey struct {
	Method   string `json:"method"`
	Template string `json:"template"`
	Status   int    `json:"status"`
}

// counts are request counts by method, template and status.
type counts map[requestKey]int

// simCounts reads the simulator's request counts: every request it served,
// the bench's own out-of-band changes included.
func (b *benchEnv) simCounts(ctx context.Context) (counts, error) {
	var rows []struct {
		requestKey
		Count int `json:"count"`
	}
	if err := b.getJSON(ctx, b.org()+"/_oktasim/requests", "", &rows); err != nil {
		return nil, err
	}
	out := counts{}
	for _, r := range rows {
		out[r.requestKey] += r.Count
	}
	return out, nil
}

// minus is c - before.
func (c counts) minus(before counts) counts {
	out := counts{}
	for k, v := range c {
		if d := v - before[k]; d != 0 {
			out[k] = d
		}
	}
	return out
}

func isWrite(method string) bool {
	return method == http.MethodPost || method == http.MethodPut || method == http.MethodDelete || method == http.MethodPatch
}

// summary adds up reads, writes and 429s.
func (c counts) summary() (reads, writes, tooMany int) {
	for k, v := range c {
		switch {
		case k.Status == http.StatusTooManyRequests:
			tooMany += v
		case isWrite(k.Method):
			writes += v
		default:
			reads += v
		}
	}
	return reads, writes, tooMany
}

// metricsCounts sums okta_assurance_okta_requests_total by code, as the
// manager saw its requests (code 0: no response).
func (b *benchEnv) metricsCounts(ctx context.Context) (map[string]float64, error) {
	out := map[string]float64{}
	err := b.scrape(ctx, "okta_assurance_okta_requests_total", func(labels string, v float64) {
		code := "?"
		for _, l := range strings.Split(labels, ",") {
			if name, val, ok := strings.Cut(l, "="); ok && name == "code" {
				code = strings.Trim(val, `"`)
			}
		}
		out[code] += v
	})
	return out, err
}

func (b *benchEnv) getJSON(ctx context.Context, url, token string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	return b.doJSON(req, token, into)
}

func (b *benchEnv) doJSON(req *http.Request, token string, into any) error {
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "SSWS "+token)
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s: %.300s", req.Method, req.URL.Path, resp.Status, body)
	}
	if into == nil {
		return nil
	}
	return json.Unmarshal(body, into)
}

// state reads the device assurance policies of GET /_oktasim/state, as the
// API would render them; it is outside the API, so not rate limited.
func (b *benchEnv) state(ctx context.Context) ([]map[string]any, error) {
	var st struct {
		DeviceAssurances []map[string]any `json:"deviceAssurances"`
	}
	if err := b.getJSON(ctx, b.org()+"/_oktasim/state", "", &st); err != nil {
		return nil, err
	}
	return st.DeviceAssurances, nil
}

// statePolicy is one policy of the state.
func (b *benchEnv) statePolicy(ctx context.Context, id string) (map[string]any, error) {
	das, err := b.state(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range das {
		if d["id"] == id {
			return d, nil
		}
	}
	return nil, fmt.Errorf("the org has no device assurance policy %s", id)
}

// stateMinimums maps each policy ID to its osVersion.minimum.
func (b *benchEnv) stateMinimums(ctx context.Context) (map[string]any, error) {
	das, err := b.state(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(das))
	for _, d := range das {
		if v, ok := d["osVersion"].(map[string]any); ok {
			out[fmt.Sprint(d["id"])] = v["minimum"]
		}
	}
	return out, nil
}
