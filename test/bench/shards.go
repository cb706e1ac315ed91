package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Shards is figure 6: two manager shards, each serving its own org.
type Shards struct {
	PoliciesPerShard int     `json:"policiesPerShard"`
	RateDA           int     `json:"rateLimitDeviceAssurancesPerMinute"`
	Capacity         int     `json:"capacityPercent"`
	FloorSeconds     float64 `json:"floorSeconds"`
	ConvergeSeconds  float64 `json:"convergeSeconds"`
	Ratio            float64 `json:"ratioToFloor"`
	// PerShard are the Okta requests each shard's org served.
	PerShard []ShardRequests `json:"perShard"`
}

// ShardRequests are one org's request counts.
type ShardRequests struct {
	Shard   string `json:"shard"`
	Reads   int    `json:"reads"`
	Writes  int    `json:"writes"`
	TooMany int    `json:"tooManyRequests"`
	// Foreign are the policies of the other shard found in this org: 0.
	Foreign int `json:"foreignPolicies"`
}

// shardNames are the shards of the phase and the label that selects each.
var shardNames = []string{"a", "b"}

// runShards is the two-shard phase: two Okta orgs with realistic limits,
// each served by its own manager Deployment (--watch-label-selector,
// --leader-elect), and -shard-policies new policies per shard applied at
// once. Each org's rate budget is its own, so the two converge together in
// the time one takes: the ratio is to one org's floor.
func runShards(ctx context.Context, c *config, root string, res *Results) (retErr error) {
	simFlags := []string{
		"--rate-limit-api", strconv.Itoa(c.rateAPI),
		"--rate-limit-device-assurances", strconv.Itoa(c.rateDA),
		"--rate-limit-logs", strconv.Itoa(c.rateLogs),
	}
	env, err := startEnv(ctx, c, root, "shards", simFlags, c.capacity, 0, false)
	if err != nil {
		return err
	}
	defer func() { env.stop(retErr != nil) }()
	urls := []string{env.SimURL, ""}
	if urls[1], err = env.StartOtherOrg(ctx, simFlags...); err != nil {
		return err
	}
	shards := make([]*benchEnv, len(shardNames))
	for i, s := range shardNames {
		org := fmt.Sprintf(`apiVersion: assurance.okta-operator.dev/v1alpha1
kind: ClusterOktaOrg
metadata: {name: shard-%s, labels: {shard: %s}}
spec: {url: %s, allowInsecureHTTP: true, capacityPercent: %d, apiToken: {secretRef: {name: okta-api-token, key: token}}}
`, s, s, urls[i], c.capacity)
		if _, err := env.Kubectl(ctx, org, "apply", "-f", "-"); err != nil {
			return err
		}
		if shards[i], err = env.startShard(ctx, c, s, urls[i]); err != nil {
			return err
		}
		if _, err := env.Kubectl(ctx, "", "wait", "--for=condition=Ready", "--timeout=120s", "clusteroktaorg/shard-"+s); err != nil {
			return err
		}
	}

	var objs []*unstructured.Unstructured
	var want []string
	for i := 0; i < c.shardPolicies; i++ {
		for _, s := range shardNames {
			name := fmt.Sprintf("shard-%s-%05d", s, i)
			o := policyObject(name, i, "")
			o.SetLabels(map[string]string{"shard": s})
			_ = unstructured.SetNestedMap(o.Object, map[string]any{"kind": "ClusterOktaOrg", "name": "shard-" + s}, "spec", "orgRef")
			objs = append(objs, o)
			want = append(want, gvPolicy.Kind+"/"+name)
		}
	}
	floor := float64(c.shardPolicies) / (float64(c.rateDA*c.capacity) / 100) * 60
	sh := &Shards{PoliciesPerShard: c.shardPolicies, RateDA: c.rateDA, Capacity: c.capacity, FloorSeconds: round(floor)}
	res.Shards = sh
	before := make([]counts, len(shards))
	for i, s := range shards {
		if before[i], err = s.simCounts(ctx); err != nil {
			return err
		}
	}
	logf("shards: applying %d policies per shard to %d shards; one org's floor %s", c.shardPolicies, len(shards), seconds(floor))
	start := time.Now()
	if err := createAll(ctx, env.kube, objs); err != nil {
		return err
	}
	t := newTracker()
	progress := func(n int) {
		logf("shards: %d of %d Ready after %s", n, len(want), time.Since(start).Round(time.Second))
	}
	if err := t.waitReady(ctx, env.kube, want, 2*time.Second, c.bulkTimeout, progress); err != nil {
		return err
	}
	var last time.Time
	for _, k := range want {
		if at := t.at(k); at.After(last) {
			last = at
		}
	}
	sh.ConvergeSeconds = round(last.Sub(start).Seconds())
	sh.Ratio = round(sh.ConvergeSeconds / floor)
	time.Sleep(settle)
	for i, s := range shards {
		after, err := s.simCounts(ctx)
		if err != nil {
			return err
		}
		r := ShardRequests{Shard: "shard=" + shardNames[i]}
		r.Reads, r.Writes, r.TooMany = after.minus(before[i]).summary()
		if r.Foreign, err = s.foreignPolicies(ctx, "shard-"+shardNames[i]+"-"); err != nil {
			return err
		}
		sh.PerShard = append(sh.PerShard, r)
	}
	logf("shards: all %d Ready after %s (one org's floor %s, ratio %.2f)", len(want), seconds(sh.ConvergeSeconds), seconds(floor), sh.Ratio)
	return nil
}

// startShard starts the manager of shard s, whose org is at url; the
// benchEnv it returns reads that org and that manager.
func (b *benchEnv) startShard(ctx context.Context, c *config, s, url string) (*benchEnv, error) {
	port, err := freePort(ctx)
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	flags := append(managerFlags(c, defaultResync(c), addr), "--watch-label-selector=shard="+s, "--leader-elect")
	logf("shard %s manager flags: %s", s, strings.Join(flags, " "))
	shard := *b
	shard.metricsURL = "http://" + addr + "/metrics"
	shard.orgURL = url
	if shard.manager, err = b.StartManager(ctx, flags...); err != nil {
		return nil, err
	}
	return &shard, nil
}

// foreignPolicies counts the org's policies whose name lacks prefix.
func (b *benchEnv) foreignPolicies(ctx context.Context, prefix string) (int, error) {
	das, err := b.state(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range das {
		if !strings.HasPrefix(fmt.Sprint(d["name"]), prefix) {
			n++
		}
	}
	return n, nil
}
