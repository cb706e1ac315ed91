package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
)

// startServer runs the command and returns the base URL it printed.
func startServer(t *testing.T, args ...string) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, args, pw)
		_ = pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no base URL printed: %v (run: %v)", err, <-errc)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	stop := func() error {
		cancel()
		return <-errc
	}
	return strings.TrimSpace(line), stop
}

func get(t *testing.T, client *http.Client, url, token string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "SSWS "+token)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

func TestServesHTTPAndStopsCleanly(t *testing.T) {
	base, stop := startServer(t, "--addr", "127.0.0.1:0", "--api-token", "secret-token-1")
	if !strings.HasPrefix(base, "http://127.0.0.1:") || strings.Contains(base, "secret") {
		t.Fatalf("first line %q", base)
	}
	if code := get(t, http.DefaultClient, base+"/api/v1/device-assurances", "secret-token-1"); code != http.StatusOK {
		t.Errorf("status %d", code)
	}
	if code := get(t, http.DefaultClient, base+"/api/v1/device-assurances", "other"); code != http.StatusUnauthorized {
		t.Errorf("wrong token: status %d", code)
	}
	if err := stop(); err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

func TestServesTLSWithTheWrittenCertificate(t *testing.T) {
	certFile := filepath.Join(t.TempDir(), "cert.pem")
	base, stop := startServer(t, "--addr", "127.0.0.1:0", "--api-token", "tok", "--tls", "--tls-cert-file", certFile)
	defer func() { _ = stop() }()
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("base %q", base)
	}
	pemBytes, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("certificate file holds no certificate")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	if code := get(t, client, base+"/api/v1/device-assurances", "tok"); code != http.StatusOK {
		t.Errorf("status %d", code)
	}
}

func TestParseOAuthClient(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "public.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := parseOAuthClient("0oaabc=" + path + ",scopes=okta.logs.read+okta.policies.read,dpop")
	if err != nil {
		t.Fatal(err)
	}
	if c.ClientID != "0oaabc" || !c.RequireDPoP || len(c.PublicKeys) != 1 ||
		!reflect.DeepEqual(c.Scopes, []string{"okta.logs.read", "okta.policies.read"}) {
		t.Errorf("client %+v", c)
	}
	for _, bad := range []string{"noequals", "id=" + path + ",bogus", "id=/does/not/exist"} {
		if _, err := parseOAuthClient(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestServesTheSeed(t *testing.T) {
	base, stop := startServer(t, "--addr", "127.0.0.1:0", "--api-token", "tok", "--seed", "testdata/seed.json")
	defer func() { _ = stop() }()
	if code := get(t, http.DefaultClient, base+"/api/v1/device-assurances/daeSeedMacOS00000001", "tok"); code != http.StatusOK {
		t.Errorf("seeded device assurance: status %d", code)
	}
	if code := get(t, http.DefaultClient, base+"/api/v1/policies/rstSeedPolicy0000001/rules", "tok"); code != http.StatusOK {
		t.Errorf("seeded rules: status %d", code)
	}
}

func TestFaultFlags(t *testing.T) {
	c, err := parseFlags([]string{"--api-token", "tok",
		"--fault", "status=503,method=POST,path=/api/v1/device-assurances,count=3",
		"--fault", "delay=5s,for=2m",
		"--fault", "drop-response,method=POST,bucket=device-assurances",
		"--fault", "unreachable,until=2026-05-01T12:00:00Z",
		"--fault", "status=429,reset=10s"})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := c.options()
	if err != nil {
		t.Fatal(err)
	}
	want := []oktasim.Fault{
		{Effect: oktasim.EffectStatus, Status: 503, Method: "POST", Path: "/api/v1/device-assurances", Count: 3},
		{Effect: oktasim.EffectDelay, Delay: 5 * time.Second, For: 2 * time.Minute},
		{Effect: oktasim.EffectDropResponse, Method: "POST", Bucket: "device-assurances"},
		{Effect: oktasim.EffectUnreachable, Until: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)},
		{Effect: oktasim.EffectStatus, Status: 429, ResetAfter: 10 * time.Second},
	}
	if !reflect.DeepEqual(opts.Faults, want) {
		t.Errorf("faults\n%+v\nwant\n%+v", opts.Faults, want)
	}
	for _, bad := range []string{"method=POST", "status=200", "delay=soon", "explode"} {
		c, err := parseFlags([]string{"--fault", bad})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.options(); err == nil || !strings.Contains(err.Error(), "--fault") {
			t.Errorf("%q: error %v", bad, err)
		}
	}
}

func TestServesWithAFaultFromTheCommandLine(t *testing.T) {
	base, stop := startServer(t, "--addr", "127.0.0.1:0", "--api-token", "tok",
		"--fault", "status=503,method=GET,path=/api/v1/device-assurances,count=1")
	defer func() { _ = stop() }()
	if code := get(t, http.DefaultClient, base+"/api/v1/device-assurances", "tok"); code != http.StatusServiceUnavailable {
		t.Errorf("first GET: status %d, want the injected 503", code)
	}
	if code := get(t, http.DefaultClient, base+"/api/v1/device-assurances", "tok"); code != http.StatusOK {
		t.Errorf("second GET: status %d", code)
	}
	resp, err := http.Get(base + "/_oktasim/faults") //nolint:noctx // a test
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if !strings.Contains(string(raw), `"hits":1,"active":false`) {
		t.Errorf("faults %s", raw)
	}
}
