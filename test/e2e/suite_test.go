//go:build e2e

// Package e2e_test drives the operator as users do: the manager binary as a
// real process against a real kube-apiserver and the Okta org simulator
// process, with kubectl apply and delete of YAML files only. Run it with
// make test-e2e.
package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/localenv"
)

var (
	env     *localenv.Env
	ctx     context.Context
	cancel  context.CancelFunc
	repo    string
	leaders []*localenv.Process
)

func TestE2E(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "End to end")
}

var _ = BeforeSuite(func() {
	SetDefaultEventuallyTimeout(90 * time.Second)
	SetDefaultEventuallyPollingInterval(250 * time.Millisecond)
	ctx, cancel = context.WithCancel(context.Background())
	var err error
	repo, err = filepath.Abs(filepath.Join("..", ".."))
	Expect(err).NotTo(HaveOccurred())
	env, err = localenv.Start(ctx, localenv.Options{RepoRoot: repo, Assets: os.Getenv("KUBEBUILDER_ASSETS"), Dir: GinkgoT().TempDir()})
	Expect(err).NotTo(HaveOccurred(), "start the local environment; run the tests with 'make test-e2e'")
	Expect(env.ConnectDefaultOrg(ctx)).To(Succeed())
	m, err := env.StartManager(ctx, "--resync-period=5s", "--org-check-interval=5s", "--leader-elect")
	Expect(err).NotTo(HaveOccurred())
	leaders = append(leaders, m)
	kubectl("wait", "--for=condition=Ready", "--timeout=90s", "clusteroktaorg/default")
})

var _ = AfterSuite(func() {
	if env != nil {
		env.Stop()
	}
	cancel()
})

// kubectl runs kubectl and fails the test on an error.
func kubectl(args ...string) string {
	out, err := env.Kubectl(ctx, "", args...)
	Expect(err).NotTo(HaveOccurred())
	return out
}

func file(parts ...string) string {
	return filepath.Join(append([]string{repo}, parts...)...)
}

// object returns an object as unstructured content (integers as int64, as
// kstatus expects).
func object(ref string) map[string]any {
	u := &unstructured.Unstructured{}
	Expect(u.UnmarshalJSON([]byte(kubectl("get", ref, "-o", "json")))).To(Succeed())
	return u.Object
}

func statusField(ref, field string) string {
	return strings.TrimSpace(kubectl("get", ref, "-o", "jsonpath={.status."+field+"}"))
}

// waitReady waits until ref has observed its generation and is Ready.
func waitReady(ref string) {
	Eventually(func(g Gomega) {
		obj := object(ref)
		meta := obj["metadata"].(map[string]any)
		status, _ := obj["status"].(map[string]any)
		g.Expect(status).NotTo(BeNil())
		g.Expect(status["observedGeneration"]).To(Equal(meta["generation"]))
		g.Expect(condition(status, "Ready")).To(Equal("True"), "status: %v", status)
	}).Should(Succeed())
}

func condition(status map[string]any, condType string) string {
	conds, _ := status["conditions"].([]any)
	for _, c := range conds {
		m := c.(map[string]any)
		if m["type"] == condType {
			return fmt.Sprint(m["status"])
		}
	}
	return ""
}

// org reads a path of the simulated org's API.
func org(path string) (int, []byte) { return orgAt(env.SimURL, path) }

// orgAt reads a path of the API of the simulated org at url.
func orgAt(url, path string) (int, []byte) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+path, nil)
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("Authorization", "SSWS "+env.SimToken)
	resp, err := http.DefaultClient.Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	Expect(err).NotTo(HaveOccurred())
	return resp.StatusCode, body
}

// orgPolicyNames lists the org's device assurance policies by name, with
// how many have each name.
func orgPolicyNames() map[string]int { return policyNamesAt(env.SimURL) }

// policyNamesAt is orgPolicyNames of the simulated org at url.
func policyNamesAt(url string) map[string]int {
	status, body := orgAt(url, "/api/v1/device-assurances")
	Expect(status).To(Equal(http.StatusOK))
	var list []struct{ Name string }
	Expect(json.Unmarshal(body, &list)).To(Succeed())
	names := map[string]int{}
	for _, p := range list {
		names[p.Name]++
	}
	return names
}
