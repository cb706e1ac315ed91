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
