package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// restartManager replaces the manager with a new process whose resync is
// resync, on the same metrics address, as an upgrade or a changed flag
// would.
func (b *benchEnv) restartManager(ctx context.Context, c *config, resync time.Duration) error {
	b.manager.Stop()
	addr := strings.TrimSuffix(strings.TrimPrefix(b.metricsURL, "http://"), "/metrics")
	flags := managerFlags(c, resync, addr)
	logf("manager restarted with flags: %s", strings.Join(flags, " "))
	var err error
	if b.manager, err = b.StartManager(ctx, flags...); err != nil {
		return err
	}
	b.resync = resync
	return nil
}

// errNotDrained is the failure of a wait for a manager's first pass.
var errNotDrained = errors.New("the first pass did not end")

// waitPassesDone waits until the manager's first pass over n objects of
// controller is over: that many reconciles done and nothing queued, so
// that a probe meets a manager at rest, not one busy starting up.
func (b *benchEnv) waitPassesDone(ctx context.Context, controller string, n int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	filter := `controller="` + controller + `"`
	for {
		done, errDone := b.metricSum(ctx, "controller_runtime_reconcile_total", filter)
		depth, errDepth := b.metricSum(ctx, "workqueue_depth", `name="`+controller+`"`)
		if errDone == nil && errDepth == nil && done >= float64(n) && depth == 0 {
			logf("%s: %.0f reconciles done, queue empty", controller, done)
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: %.0f of %d reconciles done, %.0f queued after %s: %w", controller, done, n, depth, timeout, errors.Join(errDone, errDepth, errNotDrained))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// metricSum adds up the series of metric whose labels contain filter.
func (b *benchEnv) metricSum(ctx context.Context, metric, filter string) (float64, error) {
	sum := 0.0
	err := b.scrape(ctx, metric, func(labels string, v float64) {
		if strings.Contains(labels, filter) {
			sum += v
		}
	})
	return sum, err
}

// scrape calls each with the labels and value of every series of metric
// on the manager's metrics endpoint.
func (b *benchEnv) scrape(ctx context.Context, metric string, each func(labels string, v float64)) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.metricsURL, nil)
	if err != nil {
		return err
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	s := bufio.NewScanner(resp.Body)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		rest, ok := strings.CutPrefix(s.Text(), metric+"{")
		if !ok {
			continue
		}
		labels, value, ok := strings.Cut(rest, "} ")
		if !ok {
			continue
		}
		if v, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil {
			each(labels, v)
		}
	}
	return s.Err()
}
