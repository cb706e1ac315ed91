// Package localenv runs the operator the way a user does, on one machine:
// a real kube-apiserver and etcd (the binaries the tests use), the Okta org
// simulator and the manager as separate processes, and kubectl. The demo
// (make demo) and the end-to-end tests (make test-e2e) are built on it.
package localenv

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// OperatorNamespace is where the demo installs the operator's Secrets.
const OperatorNamespace = "okta-assurance-system"

// Options say where the repository and the control-plane binaries are.
type Options struct {
	// RepoRoot is the repository's root directory.
	RepoRoot string
	// Assets is the folder with kube-apiserver, etcd and kubectl
	// (KUBEBUILDER_ASSETS).
	Assets string
	// Dir holds the kubeconfig, binaries and logs; a temporary folder when
	// empty.
	Dir string
	// SimulatorFlags, when not nil, replace the simulator's default
	// --no-rate-limits, e.g. with a real org's rate limits and a --seed
	// (make bench). --addr and --api-token are always set by Start.
	SimulatorFlags []string
}

// Env is a running local environment.
type Env struct {
	Options
	// Kubeconfig is the path of an admin kubeconfig.
	Kubeconfig string
	// SimURL and SimToken reach the simulated org.
	SimURL, SimToken string

	controlPlane *envtest.Environment
	sim          *Process
	otherSims    []*Process
	managers     []*Process
}

// Start builds the binaries and starts the control plane and the
// simulator. Stop releases everything, also after a failed Start.
func Start(ctx context.Context, opts Options) (*Env, error) {
	if opts.Dir == "" {
		dir, err := os.MkdirTemp("", "okta-assurance-")
		if err != nil {
			return nil, err
		}
		opts.Dir = dir
	}
	e := &Env{Options: opts}
	steps := []func(context.Context) error{e.build, e.startControlPlane, e.startSimulator, e.installCRDs}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			e.Stop()
			return nil, err
		}
	}
	return e, nil
}

// Binary is the path of a binary built by Start: "manager" or "oktasim".
func (e *Env) Binary(name string) string {
	return filepath.Join(e.Dir, "bin", name)
}

func (e *Env) build(ctx context.Context) error {
	for name, pkg := range map[string]string{"manager": "./cmd", "oktasim": "./cmd/oktasim"} {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", e.Binary(name), pkg)
		cmd.Dir = e.RepoRoot
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("build %s: %w\n%s", name, err, out)
		}
	}
	return nil
}

func (e *Env) startControlPlane(context.Context) error {
	e.controlPlane = &envtest.Environment{BinaryAssetsDirectory: e.Assets}
	if _, err := e.controlPlane.Start(); err != nil {
		return fmt.Errorf("start kube-apiserver and etcd from %s (make k8s-binaries builds them): %w", e.Assets, err)
	}
	admin, err := e.controlPlane.AddUser(envtest.User{Name: "admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return err
	}
	kubeconfig, err := admin.KubeConfig()
	if err != nil {
		return err
	}
	e.Kubeconfig = filepath.Join(e.Dir, "kubeconfig")
	return os.WriteFile(e.Kubeconfig, kubeconfig, 0o600)
}

func (e *Env) startSimulator(ctx context.Context) error {
	token, err := randomToken()
	if err != nil {
		return err
	}
	e.SimToken = token
	// The demo and the end-to-end tests make bursts of calls that a real
	// org's 50-a-minute buckets, halved by capacityPercent, would spread
	// over minutes; rate limiting has tests of its own.
	flags := []string{"--no-rate-limits"}
	if e.SimulatorFlags != nil {
		flags = e.SimulatorFlags
	}
	e.sim, e.SimURL, err = e.runSimulator(ctx, "oktasim.log", flags)
	return err
}

// StartOtherOrg starts another simulated org, with its own state and the
// same API token, and returns its URL: for tests of several orgs (e.g. one
// per manager shard). flags are its simulator flags (none: no rate limits).
func (e *Env) StartOtherOrg(ctx context.Context, flags ...string) (string, error) {
	if len(flags) == 0 {
		flags = []string{"--no-rate-limits"}
	}
	p, url, err := e.runSimulator(ctx, fmt.Sprintf("oktasim-%d.log", len(e.otherSims)+2), flags)
	if err != nil {
		return "", err
	}
	e.otherSims = append(e.otherSims, p)
	return url, nil
}

func (e *Env) runSimulator(ctx context.Context, logName string, flags []string) (*Process, string, error) {
	p, err := startProcess(ctx, e.Binary("oktasim"), filepath.Join(e.Dir, logName), nil,
		append([]string{"--addr", "127.0.0.1:0", "--api-token", e.SimToken}, flags...)...)
	if err != nil {
		return nil, "", err
	}
	line, err := p.firstLine(10 * time.Second)
	if err != nil {
		p.Stop()
		return nil, "", fmt.Errorf("oktasim did not announce its URL: %w", err)
	}
	return p, strings.TrimSpace(line), nil
}

func (e *Env) installCRDs(ctx context.Context) error {
	_, err := e.Kubectl(ctx, "", "apply", "--server-side", "-k", filepath.Join(e.RepoRoot, "config", "crd"))
	if err != nil {
		return err
	}
	_, err = e.Kubectl(ctx, "", "wait", "--for=condition=Established", "--timeout=60s", "crd", "--all")
	return err
}

// Kubectl runs kubectl with the admin kubeconfig; stdin may be empty.
func (e *Env) Kubectl(ctx context.Context, stdin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(e.Assets, "kubectl"), append([]string{"--kubeconfig", e.Kubeconfig}, args...)...)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		// Only the arguments and output are shown; stdin may hold a Secret.
		return string(out), fmt.Errorf("kubectl %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// ConnectDefaultOrg creates the operator's namespace, a Secret with the
// simulator's API token and the ClusterOktaOrg "default" that uses it.
func (e *Env) ConnectDefaultOrg(ctx context.Context) error {
	if _, err := e.Kubectl(ctx, "", "create", "namespace", OperatorNamespace); err != nil {
		return err
	}
	// The token goes through stdin, never a command line that ps or an
	// error message would show.
	secret := fmt.Sprintf(`apiVersion: v1
kind: Secret
metadata: {name: okta-api-token, namespace: %s}
stringData: {token: %q}
`, OperatorNamespace, e.SimToken)
	if _, err := e.Kubectl(ctx, secret, "apply", "-f", "-"); err != nil {
		return err
	}
	org := fmt.Sprintf(`apiVersion: assurance.okta-operator.dev/v1alpha1
kind: ClusterOktaOrg
metadata:
  name: default
spec:
  url: %s
  allowInsecureHTTP: true # the local simulator speaks plain HTTP
  apiToken:
    secretRef: {name: okta-api-token, key: token}
`, e.SimURL)
	_, err := e.Kubectl(ctx, org, "apply", "-f", "-")
	return err
}

// StartManager starts a manager process with extra flags; its log goes to
// Dir/manager-N.log.
func (e *Env) StartManager(ctx context.Context, flags ...string) (*Process, error) {
	args := append([]string{
		"--kubeconfig", e.Kubeconfig,
		"--metrics-bind-address", "0",
		"--health-probe-bind-address", "0",
		"--cluster-resource-namespace", OperatorNamespace,
		// The simulator listens on 127.0.0.1 over plain HTTP.
		"--allowed-org-hosts", "127.0.0.1",
		"--allow-insecure-org-connections",
	}, flags...)
	logFile := filepath.Join(e.Dir, fmt.Sprintf("manager-%d.log", len(e.managers)+1))
	p, err := startProcess(ctx, e.Binary("manager"), logFile, nil, args...)
	if err != nil {
		return nil, err
	}
	e.managers = append(e.managers, p)
	return p, nil
}

// Managers are the manager processes started so far.
func (e *Env) Managers() []*Process {
	return append([]*Process(nil), e.managers...)
}

// Stop ends every process and the control plane.
func (e *Env) Stop() {
	for _, m := range e.managers {
		m.Stop()
	}
	if e.sim != nil {
		e.sim.Stop()
	}
	for _, p := range e.otherSims {
		p.Stop()
	}
	if e.controlPlane != nil {
		_ = e.controlPlane.Stop()
	}
}

func randomToken() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "00" + hex.EncodeToString(b), nil
}

// Process is a child process whose output goes to a log file.
type Process struct {
	cmd *exec.Cmd
	// LogFile holds the process's output.
	LogFile string
	first   chan string
	exited  chan struct{}
	err     error
}

func startProcess(ctx context.Context, binary, logFile string, env []string, args ...string) (*Process, error) {
	log, err := os.Create(logFile)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(context.WithoutCancel(ctx), binary, args...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", binary, err)
	}
	p := &Process{cmd: cmd, LogFile: logFile, first: make(chan string, 1), exited: make(chan struct{})}
	copied := make(chan struct{})
	go func() { p.copyOutput(stdout, log); close(copied) }()
	go func() {
		<-copied
		p.err = cmd.Wait()
		_ = log.Close()
		close(p.exited)
	}()
	return p, nil
}

// copyOutput tees stdout into the log, handing the first line to
// firstLine.
func (p *Process) copyOutput(stdout io.Reader, log *os.File) {
	scanner := bufio.NewScanner(stdout)
	first := true
	for scanner.Scan() {
		if first {
			p.first <- scanner.Text()
			first = false
		}
		_, _ = log.WriteString(scanner.Text() + "\n")
	}
}

func (p *Process) firstLine(timeout time.Duration) (string, error) {
	select {
	case line := <-p.first:
		return line, nil
	case <-p.exited:
		return "", fmt.Errorf("exited: %w", p.err)
	case <-time.After(timeout):
		return "", errors.New("timed out")
	}
}

// Pid is the process's ID, e.g. to read /proc/<pid>/status.
func (p *Process) Pid() int {
	return p.cmd.Process.Pid
}

// Kill ends the process at once (SIGKILL), as a crash would.
func (p *Process) Kill() {
	_ = p.cmd.Process.Kill()
	<-p.exited
}

// Stop asks the process to end (SIGTERM) and waits for it.
func (p *Process) Stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		p.Kill()
	}
}

// Log returns what the process has written so far.
func (p *Process) Log() (string, error) {
	b, err := os.ReadFile(p.LogFile)
	return string(b), err
}
