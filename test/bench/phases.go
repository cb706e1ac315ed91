package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// settle lets the last status writes and requests land before counting.
const settle = 3 * time.Second

// runBulk is the bulk phase: realistic limits, everything applied at once.
func runBulk(ctx context.Context, c *config, root string, res *Results) (retErr error) {
	seedDir, cleanup, err := tempDir()
	if err != nil {
		return err
	}
	defer cleanup()
	seed := filepath.Join(seedDir, "seed.json")
	if err := writeSeed(seed, c.apps, nil); err != nil {
		return err
	}
	simFlags := []string{
		"--seed", seed,
		"--rate-limit-api", strconv.Itoa(c.rateAPI),
		"--rate-limit-device-assurances", strconv.Itoa(c.rateDA),
		"--rate-limit-logs", strconv.Itoa(c.rateLogs),
	}
	env, err := startEnv(ctx, c, root, "bulk", simFlags, c.capacity, c.bulkResync, true)
	if err != nil {
		return err
	}
	defer func() { env.stop(retErr != nil) }()

	perBinding := c.policies / c.bindings
	var objs []*unstructured.Unstructured
	var want []string
	for i := 0; i < c.policies; i++ {
		objs = append(objs, policyObject(policyName(i), i, ""))
		want = append(want, gvPolicy.Kind+"/"+policyName(i))
	}
	for i := 0; i < c.bindings; i++ {
		b := bindingObject(i, c.apps, perBinding)
		objs = append(objs, b)
		want = append(want, gvBinding.Kind+"/"+b.GetName())
	}

	daRate := float64(c.rateDA*c.capacity) / 100
	apiRate := float64(c.rateAPI*c.capacity) / 100
	daWrites, ruleWrites := c.policies+c.probes, c.bindings
	floor := max(float64(daWrites)/daRate, float64(ruleWrites)/apiRate) * 60
	b := &Bulk{
		Policies: c.policies, Bindings: c.bindings, Apps: c.apps, Probes: c.probes,
		RateDA: c.rateDA, RateAPI: c.rateAPI, RateLogs: c.rateLogs, Capacity: c.capacity,
		Resync: env.resync.String(), Concurrency: c.concurrency,
		DAWritesNeeded: daWrites, RuleWritesNeeded: ruleWrites,
		DAWriteRate: daRate, APIWriteRate: apiRate, FloorSeconds: round(floor),
	}
	res.Bulk = b

	before, err := env.simCounts(ctx)
	if err != nil {
		return err
	}
	beforeMetrics, err := env.metricsCounts(ctx)
	if err != nil {
		return fmt.Errorf("scrape the manager's metrics: %w", err)
	}
	t := newTracker()
	start := time.Now()
	logf("bulk: applying %d objects; rate-limit floor %s", len(objs), seconds(floor))

	// Probes: one new policy at a time while the bulk runs, spread over
	// the floor so that each lands in a busy queue.
	probeStart := map[string]time.Time{}
	var probeMu sync.Mutex
	var probeWG sync.WaitGroup
	probeEvery := max(time.Duration(floor/float64(c.probes+1)*float64(time.Second)), 5*time.Second)
	probeWG.Add(1)
	go func() {
		defer probeWG.Done()
		for i := 0; i < c.probes; i++ {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Until(start.Add(time.Duration(i+1) * probeEvery))):
			}
			name := fmt.Sprintf("bench-probe-%05d", i)
			at := time.Now()
			if err := createOne(ctx, env.kube, policyObject(name, 0, "")); err != nil {
				logf("probe: %v", err)
				continue
			}
			probeMu.Lock()
			probeStart[gvPolicy.Kind+"/"+name] = at
			probeMu.Unlock()
		}
	}()

	if err := createAll(ctx, env.kube, objs); err != nil {
		return err
	}
	b.ApplySeconds = round(time.Since(start).Seconds())
	logf("bulk: all objects created in %s", seconds(b.ApplySeconds))
	progress := func(n int) { logf("bulk: %d of %d Ready after %s", n, len(want), time.Since(start).Round(time.Second)) }
	if err := t.waitReady(ctx, env.kube, want, 2*time.Second, c.bulkTimeout, progress); err != nil {
		return err
	}
	var last time.Time
	var perObject []float64
	for _, k := range want {
		at := t.at(k)
		perObject = append(perObject, at.Sub(start).Seconds())
		if at.After(last) {
			last = at
		}
	}
	b.ConvergeSeconds = round(last.Sub(start).Seconds())
	b.Ratio = round(b.ConvergeSeconds / floor)
	b.ObjectReadyP50, b.ObjectReadyP99 = round(percentile(perObject, 50)), round(percentile(perObject, 99))
	logf("bulk: all %d Ready after %s (floor %s, ratio %.2f)", len(want), seconds(b.ConvergeSeconds), seconds(floor), b.Ratio)

	// The probes.
	probeWG.Wait()
	probeMu.Lock()
	var probeKeys []string
	for k := range probeStart {
		probeKeys = append(probeKeys, k)
	}
	probeMu.Unlock()
	if err := t.waitReady(ctx, env.kube, probeKeys, time.Second, 10*time.Minute, nil); err != nil {
		return fmt.Errorf("probes: %w", err)
	}
	var lat []float64
	for _, k := range probeKeys {
		at := t.at(k)
		lat = append(lat, at.Sub(probeStart[k]).Seconds())
	}
	res.Latency = append(res.Latency, latency(fmt.Sprintf("during the bulk convergence of %d objects (realistic limits)", len(objs)), lat, "2 s"))

	time.Sleep(settle)
	after, err := env.simCounts(ctx)
	if err != nil {
		return err
	}
	afterMetrics, err := env.metricsCounts(ctx)
	if err != nil {
		return err
	}
	delta := after.minus(before)
	b.Requests = rows(delta)
	b.Reads, b.Writes, b.TooMany = delta.summary()
	b.ManagerByCode = map[string]float64{}
	for code, v := range afterMetrics {
		if d := v - beforeMetrics[code]; d != 0 {
			b.ManagerByCode[code] = d
		}
	}
	rss, err := env.rssMiB()
	if err != nil {
		return err
	}
	mem := Memory{Phase: "bulk", Objects: len(objs) + len(probeKeys), AfterSyncMiB: round(rss)}

	// Idle with realistic limits.
	st, err := idle(ctx, env, "bulk, realistic limits", len(objs)+len(probeKeys), c.bulkIdle, 0)
	if err != nil {
		return err
	}
	res.Steady = append(res.Steady, *st)
	if rss, err = env.rssMiB(); err != nil {
		return err
	}
	mem.AfterIdleMiB = round(rss)
	mem.FullResync = c.bulkIdle >= env.resync
	res.Memory = append(res.Memory, mem)

	// With the System Log watcher, drift is corrected within a poll, so
	// it is measured here, under the org's real limits; without it, at
	// the (short) resync of the scale phase.
	if !c.watcher || c.driftSamples <= 0 {
		return nil
	}
	var ids []string
	for i := 0; i < c.policies && len(ids) < c.driftSamples; i += driftStep(c.policies, c.driftSamples) {
		u := &unstructured.Unstructured{}
		u.SetGroupVersionKind(gvPolicy)
		if err := env.kube.Get(ctx, client.ObjectKey{Namespace: benchNamespace, Name: policyName(i)}, u); err != nil {
			return err
		}
		id, _, _ := unstructured.NestedString(u.Object, "status", "id")
		ids = append(ids, id)
	}
	return measureDrift(ctx, c, env, ids, len(objs)+len(probeKeys), "realistic limits", res)
}

// driftStep spreads samples over size objects, on multiples of 3 (iOS).
func driftStep(size, samples int) int {
	return max(size/3/max(samples, 1), 1) * 3
}

// idle measures an idle window that starts after offset: writes, reads
// per minute, 429s.
func idle(ctx context.Context, env *benchEnv, phase string, objects int, window, offset time.Duration) (*Steady, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(offset):
	}
	before, err := env.simCounts(ctx)
	if err != nil {
		return nil, err
	}
	logf("%s: idle for %s with %d objects", phase, window, objects)
	start := time.Now()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(window):
	}
	after, err := env.simCounts(ctx)
	if err != nil {
		return nil, err
	}
	elapsed := time.Since(start)
	delta := after.minus(before)
	reads, writes, tooMany := delta.summary()
	perMin := float64(reads) / elapsed.Minutes()
	// System Log polls are per org, not per object.
	logs := 0
	for k, v := range delta {
		if k.Template == "/api/v1/logs" && k.Method == http.MethodGet {
			logs += v
		}
	}
	logsPerMin := float64(logs) / elapsed.Minutes()
	perObject := (perMin - logsPerMin) * env.resync.Minutes() / float64(objects)
	st := &Steady{
		Phase: phase, Objects: objects, Resync: env.resync.String(), IdleSeconds: round(elapsed.Seconds()),
		Writes: writes, Reads: reads, ReadsPerMinute: round(perMin), LogReadsPerMinute: round(logsPerMin),
		ReadsPerObjectPerResync: math.Round(perObject*1000) / 1000,
		TooMany:                 tooMany, Requests: rows(delta),
	}
	logf("%s: %d objects idle %s: %d writes, %.1f reads/min, %d 429s", phase, objects, elapsed.Round(time.Second), writes, perMin, tooMany)
	return st, nil
}

// runScale is the scale phase: raised limits, adopted policies, size by size.
func runScale(ctx context.Context, c *config, root string, res *Results) (retErr error) {
	seedDir, cleanup, err := tempDir()
	if err != nil {
		return err
	}
	defer cleanup()
	maxSize := c.sizes[len(c.sizes)-1]
	ids := make([]string, maxSize)
	for i := range ids {
		ids[i] = oktaID("dae")
	}
	seed := filepath.Join(seedDir, "seed.json")
	if err := writeSeed(seed, 0, ids); err != nil {
		return err
	}
	const high = "1000000"
	simFlags := []string{
		"--seed", seed,
		"--rate-limit-api", high, "--rate-limit-device-assurances", high, "--rate-limit-logs", high,
		"--concurrency", "1000",
	}
	env, err := startEnv(ctx, c, root, "scale", simFlags, 50, c.scaleResync, true)
	if err != nil {
		return err
	}
	defer func() { env.stop(retErr != nil) }()

	t := newTracker()
	var want []string
	prev := 0
	for _, size := range c.sizes {
		var objs []*unstructured.Unstructured
		for i := prev; i < size; i++ {
			objs = append(objs, policyObject(policyName(i), i, ids[i]))
			want = append(want, gvPolicy.Kind+"/"+policyName(i))
		}
		start := time.Now()
		if err := createAll(ctx, env.kube, objs); err != nil {
			return err
		}
		progress := func(n int) { logf("scale: %d of %d Ready", n, len(want)) }
		if err := t.waitReady(ctx, env.kube, want, 3*time.Second, 20*time.Minute, progress); err != nil {
			return err
		}
		logf("scale: %d objects Ready (%d adopted in %s)", size, size-prev, time.Since(start).Round(time.Second))
		prev = size
		time.Sleep(settle)
		rss, err := env.rssMiB()
		if err != nil {
			return err
		}
		mem := Memory{Phase: "scale", Objects: size, AfterSyncMiB: round(rss)}
		// The objects were adopted together, so their resyncs come in
		// waves one period apart; a window that starts between two waves
		// and lasts whole periods counts each object once per period.
		st, err := idle(ctx, env, "scale", size, c.idle, c.scaleResync/2)
		if err != nil {
			return err
		}
		res.Steady = append(res.Steady, *st)
		if rss, err = env.rssMiB(); err != nil {
			return err
		}
		mem.AfterIdleMiB = round(rss)
		mem.FullResync = c.idle >= c.scaleResync
		res.Memory = append(res.Memory, mem)
		logf("scale: manager RSS %.0f MiB after sync, %.0f MiB after idle", mem.AfterSyncMiB, mem.AfterIdleMiB)
	}

	// Latency of one new object while maxSize exist, one at a time.
	lat, err := probe(ctx, c, env, "bench-probe")
	if err != nil {
		return err
	}
	if len(lat) > 0 {
		res.Latency = append(res.Latency, latency(fmt.Sprintf("%d objects exist, resync %s (raised limits)", maxSize, c.scaleResync), lat, "0.1 s"))
		logf("scale: apply→Ready with %d objects: %v s", maxSize, lat)
	}
	if err := atDefaultResync(ctx, c, env, maxSize+c.probes, res); err != nil {
		return err
	}

	if c.watcher {
		return nil // measured in the bulk phase
	}
	var targets []string
	for i := 0; i < maxSize && len(targets) < c.driftSamples; i += driftStep(maxSize, c.driftSamples) {
		targets = append(targets, ids[i])
	}
	return measureDrift(ctx, c, env, targets, maxSize, "raised limits", res)
}

// atDefaultResync restarts the manager with its default resync period,
// waits for its first pass over the n objects, and measures what a user
// of that many objects sees: the RSS, and the apply→Ready of new objects.
func atDefaultResync(ctx context.Context, c *config, env *benchEnv, n int, res *Results) error {
	resync := defaultResync(c)
	if err := env.restartManager(ctx, c, resync); err != nil {
		return err
	}
	start := time.Now()
	if err := env.waitPassesDone(ctx, "deviceassurancepolicy", n, 20*time.Minute); err != nil {
		return err
	}
	logf("scale: the restarted manager passed over %d objects in %s", n, time.Since(start).Round(time.Second))
	time.Sleep(settle)
	rss, err := env.rssMiB()
	if err != nil {
		return err
	}
	mem := Memory{Phase: "scale, restarted at the default resync " + resync.String(), Objects: n, AfterSyncMiB: round(rss)}
	lat, err := probe(ctx, c, env, "bench-probe-default")
	if err != nil {
		return err
	}
	res.Latency = append(res.Latency, latency(fmt.Sprintf("%d objects exist, default resync %s (raised limits)", n, resync), lat, "0.1 s"))
	logf("scale: apply→Ready with %d objects at the default resync: %v s", n, lat)
	if rss, err = env.rssMiB(); err != nil {
		return err
	}
	mem.AfterIdleMiB = round(rss)
	res.Memory = append(res.Memory, mem)
	logf("scale: manager RSS %.0f MiB after its first pass, %.0f MiB after the probes", mem.AfterSyncMiB, mem.AfterIdleMiB)
	return nil
}

// probe applies c.probes new policies one at a time and returns each one's
// apply→Ready in seconds.
func probe(ctx context.Context, c *config, env *benchEnv, prefix string) ([]float64, error) {
	var lat []float64
	for i := 0; i < c.probes; i++ {
		name := fmt.Sprintf("%s-%05d", prefix, i)
		at := time.Now()
		if err := createOne(ctx, env.kube, policyObject(name, 0, "")); err != nil {
			return nil, err
		}
		ready, err := waitObjectReady(ctx, env.kube, gvPolicy, name, 100*time.Millisecond, 5*time.Minute)
		if err != nil {
			return nil, err
		}
		lat = append(lat, ready.Sub(at).Seconds())
	}
	return lat, nil
}

// measureDrift changes iOS policies in the simulator as an admin would
// (PUT over the API with the SSWS token) and times until the operator has
// put the spec back.
func measureDrift(ctx context.Context, c *config, env *benchEnv, targets []string, size int, limits string, res *Results) error {
	if len(targets) == 0 {
		return nil
	}
	d := &Drift{Objects: size, Limits: limits, Resync: env.resync.String(), Samples: len(targets)}
	timeout := 2*env.resync + time.Minute
	if c.watcher {
		d.DriftPollInterval = c.driftPoll.String()
		timeout = min(timeout, 3*c.driftPoll+2*time.Minute)
	}
	logf("drift: %d out-of-band changes, one every 3 s", len(targets))
	// The org is watched through GET /_oktasim/state, outside the Okta
	// API: polling the API would spend the operator's rate limit.
	var mu sync.Mutex
	changed := map[string]time.Time{}
	var firstErr error
	var wg sync.WaitGroup
	for k, id := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Duration(k) * 3 * time.Second):
			}
			err := changeOutOfBand(ctx, env, id)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			changed[id] = time.Now()
		}()
	}
	corrected := map[string]time.Duration{}
	deadline := time.Now().Add(time.Duration(len(targets))*3*time.Second + timeout)
	for len(corrected) < len(targets) && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
		asked := time.Now()
		minimums, err := env.stateMinimums(ctx)
		if err != nil {
			logf("drift: read the org's state: %v", err)
			continue
		}
		mu.Lock()
		for id, at := range changed {
			// Only a change made before this read can be seen corrected.
			if _, done := corrected[id]; !done && at.Before(asked) && minimums[id] == iosMinimum {
				corrected[id] = time.Since(at)
			}
		}
		failed := firstErr != nil
		mu.Unlock()
		if failed {
			break
		}
	}
	wg.Wait()
	var durations []float64
	for _, d := range corrected {
		durations = append(durations, d.Seconds())
	}
	l := latency("", durations, "0.5 s")
	d.P50, d.P99, d.Max, d.Values = l.P50, l.P99, l.Max, l.Values
	d.Samples = len(durations)
	res.Drift = d
	logf("drift: corrected after %v s", l.Values)
	if firstErr != nil {
		return firstErr
	}
	if len(corrected) < len(targets) {
		return fmt.Errorf("%d of %d out-of-band changes not corrected after %s", len(targets)-len(corrected), len(targets), timeout)
	}
	return nil
}

// changeOutOfBand sets an iOS policy's minimum version to driftMinimum
// with a PUT of the whole policy, as an admin would.
func changeOutOfBand(ctx context.Context, env *benchEnv, id string) error {
	url := env.SimURL + "/api/v1/device-assurances/" + id
	body, err := env.statePolicy(ctx, id)
	if err != nil {
		return err
	}
	for _, k := range []string{"id", "createdDate", "createdBy", "lastUpdate", "lastUpdatedBy", "_links"} {
		delete(body, k)
	}
	body["osVersion"] = map[string]any{"minimum": driftMinimum}
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if err := env.doJSON(req, env.SimToken, nil); err != nil {
		return fmt.Errorf("out-of-band change: %w", err)
	}
	return nil
}
