// Command bench measures what the operator costs an Okta org and how fast
// it converges, the way a user runs it: a real kube-apiserver and etcd, the
// oktasim simulator with a real org's rate limits and the manager binary as
// processes (internal/localenv). make bench runs it; docs/performance.md
// explains each figure and keeps the latest ones.
//
// It runs three phases, each on a fresh environment:
//
//   - bulk: with realistic rate limits (-rate-api, -rate-da, -rate-logs and
//     the ClusterOktaOrg's capacityPercent), -policies DeviceAssurancePolicies
//     and -bindings SignInRuleBindings are created at once; it measures the
//     time until all are Ready against the rate-limit floor, the API calls by
//     type and the 429s, the apply→Ready latency of -probes objects created
//     while the bulk runs, an idle window (-bulk-idle), the manager's RSS,
//     and, when the manager has the System Log drift watcher, the time to
//     correct -drift-samples out-of-band changes made over the simulator's API.
//   - scale: with limits raised so that setup is not rate limited, the
//     simulator is seeded with max(-sizes) policies that the operator adopts
//     by ID, size by size; each size is left idle for -idle with a short
//     resync (writes, reads per minute, RSS after cache sync and after a full
//     resync). At the largest size it measures the apply→Ready latency of
//     -probes new objects, and, without the drift watcher, the drift
//     correction at the resync; then it restarts the manager with its
//     default resync and, once its first pass is over, measures the RSS and
//     the apply→Ready of -probes new objects again.
//   - shards: two Okta orgs with realistic limits, each served by its own
//     manager shard (--watch-label-selector, --leader-elect); -shard-policies
//     new policies per shard are applied at once and timed to Ready against
//     one org's floor, with each org's requests.
//
// The goals of docs/performance.md are printed first, each next to the
// figure it bounds.
//
// The manager's flags are set in one place, managerFlags.
//
// Results go to bench/results/<timestamp>.{md,json} and latest.{md,json};
// the Markdown is printed at the end.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
)

// config is the command line.
type config struct {
	policies, bindings, apps int
	sizes                    []int
	idle, bulkIdle           time.Duration
	bulkResync, scaleResync  time.Duration
	driftPoll                time.Duration
	probes, driftSamples     int
	concurrency              int
	rateAPI, rateDA          int
	rateLogs, capacity       int
	bulkTimeout              time.Duration
	skipBulk, skipScale      bool
	skipShards               bool
	shardPolicies            int
	out, assets, dir         string
	extraManagerFlags        string
	// watcher: the manager has a System Log drift watcher
	// (--drift-poll-interval); set once the binary is built.
	watcher bool
}

func parseFlags() (*config, error) {
	c := &config{}
	var sizes string
	flag.IntVar(&c.policies, "policies", 1000, "bulk: DeviceAssurancePolicies applied at once")
	flag.IntVar(&c.bindings, "bindings", 200, "bulk: SignInRuleBindings applied at once (each includes policies/bindings policies)")
	flag.IntVar(&c.apps, "apps", 20, "bulk: app sign-in policies the bindings are spread over")
	flag.StringVar(&sizes, "sizes", "100,1000,10000", "scale: object counts for steady state and memory; the largest is where latency and memory are held to their goals")
	flag.DurationVar(&c.idle, "idle", 90*time.Second, "scale: idle window per size, after convergence; a whole number of -scale-resync periods (the issue's figure is -idle 10m)")
	flag.DurationVar(&c.bulkIdle, "bulk-idle", time.Minute, "bulk: idle window after convergence")
	flag.DurationVar(&c.bulkResync, "bulk-resync", 0, "bulk: manager --resync-period (0: the manager's default, 1h with the drift watcher, 10m without)")
	flag.DurationVar(&c.scaleResync, "scale-resync", 45*time.Second, "scale: manager --resync-period, short so that an idle window covers whole periods; figures are also extrapolated to the default")
	flag.DurationVar(&c.driftPoll, "drift-poll-interval", time.Minute, "manager --drift-poll-interval, passed only if the manager has that flag")
	flag.IntVar(&c.probes, "probes", 5, "latency samples: objects applied one by one (scale) or during the bulk")
	flag.IntVar(&c.driftSamples, "drift-samples", 10, "out-of-band changes made in the simulator (bulk phase with the drift watcher, else scale phase)")
	flag.IntVar(&c.concurrency, "concurrency", 4, "manager --concurrency")
	flag.IntVar(&c.rateAPI, "rate-api", 600, "bulk: simulator requests per minute for the /api/v1 catch-all (policies, rules)")
	flag.IntVar(&c.rateDA, "rate-da", 600, "bulk: simulator requests per minute for /api/v1/device-assurances")
	flag.IntVar(&c.rateLogs, "rate-logs", 60, "bulk: simulator requests per minute for /api/v1/logs")
	flag.IntVar(&c.capacity, "capacity", 50, "bulk: the ClusterOktaOrg's capacityPercent")
	flag.DurationVar(&c.bulkTimeout, "bulk-timeout", 15*time.Minute, "bulk: give up waiting for Ready after this")
	flag.BoolVar(&c.skipBulk, "skip-bulk", false, "skip the bulk phase")
	flag.BoolVar(&c.skipScale, "skip-scale", false, "skip the scale phase")
	flag.BoolVar(&c.skipShards, "skip-shards", false, "skip the two-shard phase")
	flag.IntVar(&c.shardPolicies, "shard-policies", 300, "shards: new DeviceAssurancePolicies per shard, each shard with its own org and realistic limits")
	flag.StringVar(&c.out, "out", "bench/results", "results folder, relative to the repository root")
	flag.StringVar(&c.assets, "assets", os.Getenv("KUBEBUILDER_ASSETS"), "folder with kube-apiserver, etcd and kubectl (default: $KUBEBUILDER_ASSETS, else bin/k8s/1.37.2)")
	flag.StringVar(&c.dir, "dir", "", "folder for kubeconfig, binaries and logs (default: a temporary folder, removed unless the run fails)")
	flag.StringVar(&c.extraManagerFlags, "manager-flags", "", "extra manager flags, space separated")
	flag.Parse()
	for _, s := range strings.Split(sizes, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("-sizes: %q is not a positive number", s)
		}
		if len(c.sizes) > 0 && n <= c.sizes[len(c.sizes)-1] {
			return nil, fmt.Errorf("-sizes must grow: %v", sizes)
		}
		c.sizes = append(c.sizes, n)
	}
	if c.bindings > c.policies || c.policies <= 0 || c.apps <= 0 {
		return nil, fmt.Errorf("need 0 < -bindings <= -policies and -apps > 0")
	}
	return c, nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	c, err := parseFlags()
	if err != nil {
		return err
	}
	// The Kubernetes client's own logs are not wanted.
	ctrllog.SetLogger(zap.New(zap.WriteTo(io.Discard)))
	root, err := repoRoot()
	if err != nil {
		return err
	}
	if c.assets == "" {
		c.assets = filepath.Join(root, "bin", "k8s", "1.37.2")
	}
	if !filepath.IsAbs(c.out) {
		c.out = filepath.Join(root, c.out)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	res := newResults(c)
	start := time.Now()
	var failures []string
	if !c.skipBulk {
		logf("bulk phase: %d policies, %d bindings, limits api %d/min, device-assurances %d/min, logs %d/min, capacity %d%%",
			c.policies, c.bindings, c.rateAPI, c.rateDA, c.rateLogs, c.capacity)
		if err := runBulk(ctx, c, root, res); err != nil {
			failures = append(failures, "bulk: "+err.Error())
			logf("bulk phase failed: %v", err)
		}
	}
	if !c.skipScale && len(c.sizes) > 0 && ctx.Err() == nil {
		logf("scale phase: sizes %v, idle %s each, resync %s", c.sizes, c.idle, c.scaleResync)
		if err := runScale(ctx, c, root, res); err != nil {
			failures = append(failures, "scale: "+err.Error())
			logf("scale phase failed: %v", err)
		}
	}
	if !c.skipShards && ctx.Err() == nil {
		logf("two-shard phase: %d policies per shard", c.shardPolicies)
		if err := runShards(ctx, c, root, res); err != nil {
			failures = append(failures, "shards: "+err.Error())
			logf("two-shard phase failed: %v", err)
		}
	}
	res.Duration = time.Since(start).Round(time.Second).String()
	res.Failures = failures
	res.Goals = res.goals()
	md, err := res.write(c.out)
	if err != nil {
		return err
	}
	fmt.Println()
	fmt.Print(md)
	if len(failures) > 0 {
		return fmt.Errorf("%d phase(s) failed: %s", len(failures), strings.Join(failures, "; "))
	}
	return nil
}

// repoRoot is the nearest folder above the working directory with a go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory; run from the repository")
		}
		dir = parent
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  %s\n", time.Now().UTC().Format("15:04:05"), fmt.Sprintf(format, args...))
}
