package okta

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func assertNoSecret(t *testing.T, what, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s leaks a secret: %s", what, text)
		}
	}
	if strings.Contains(text, "SSWS ") || strings.Contains(text, "Bearer ") || strings.Contains(text, "DPoP ey") {
		t.Errorf("%s contains an Authorization value: %s", what, text)
	}
}

// privateScalarForms returns the ways a printed key would show its private
// scalar: decimal (as %v of the key struct prints it), hex and base64.
func privateScalarForms(t *testing.T, key *ecdsa.PrivateKey) []string {
	t.Helper()
	raw, err := key.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return []string{new(big.Int).SetBytes(raw).String(), hex.EncodeToString(raw), base64.StdEncoding.EncodeToString(raw)}
}

func TestPrintingConfigAndCredentialsShowsNoSecret(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalECPrivateKey(key)
	keyMaterial := append(privateScalarForms(t, key), base64.StdEncoding.EncodeToString(der)[:40])
	configs := []Config{
		{OrgURL: "https://o.okta.com", Credentials: APIToken(testToken)},
		{OrgURL: "https://o.okta.com", Credentials: PrivateKeyJWT{ClientID: "c", KeyID: "k", PrivateKey: key, DPoPKey: key}},
	}
	for _, cfg := range configs {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			assertNoSecret(t, verb+" of Config", fmt.Sprintf(verb, cfg), append(keyMaterial, testToken)...)
			assertNoSecret(t, verb+" of Credentials", fmt.Sprintf(verb, cfg.Credentials), append(keyMaterial, testToken)...)
			assertNoSecret(t, verb+" of &Config", fmt.Sprintf(verb, &cfg), append(keyMaterial, testToken)...)
		}
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, verb := range []string{"%v", "%+v", "%s", "%#v"} {
			assertNoSecret(t, verb+" of Client", fmt.Sprintf(verb, c), append(keyMaterial, testToken)...)
			assertNoSecret(t, verb+" of a Client value", fmt.Sprintf(verb, *c), append(keyMaterial, testToken)...)
		}
	}
}

func TestErrorsShowNoSecret(t *testing.T) {
	// Every failure shape: API error, transport error, rate limit.
	responses := []cannedResponse{
		status(401, bodyInvalidToken), status(403, bodyForbidden), status(500, bodyServerError), rateLimited("1795953630"),
	}
	for _, resp := range responses {
		c, _, _ := newTestClient(t, resp)
		_, err := c.CreateDeviceAssurance(context.Background(), windowsPolicy)
		assertNoSecret(t, "error", fmt.Sprintf("%v %+v %#v", err, err, err), testToken)
	}
	srv, _ := droppingServer(t, 100, "")
	c, _ := clientFor(t, srv, nil)
	_, err := c.ListDeviceAssurances(context.Background())
	assertNoSecret(t, "transport error", fmt.Sprintf("%v %+v", err, err), testToken)
}

func TestOAuthErrorsShowNoSecret(t *testing.T) {
	var assertion string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		assertion = r.PostForm.Get("client_assertion")
		writeJSON(w, 400, map[string]string{"error": "invalid_scope", "error_description": "The requested scope is invalid."})
	}))
	t.Cleanup(srv.Close)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	c, err := New(Config{OrgURL: srv.URL, Credentials: PrivateKeyJWT{ClientID: "c", PrivateKey: key}, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListDeviceAssurances(context.Background())
	if Class(err) != ClassForbidden {
		t.Errorf("invalid_scope class %v", Class(err))
	}
	if assertion == "" {
		t.Fatal("no assertion was sent")
	}
	assertNoSecret(t, "token error", fmt.Sprintf("%v %+v", err, err), append(privateScalarForms(t, key), assertion)...)
}
