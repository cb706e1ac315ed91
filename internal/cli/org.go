// Package cli is the okta-assurance command: export an org's device
// assurance objects as manifests, and plan or render manifests against an
// org. It only ever reads from Okta.
package cli

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// TokenEnv is the environment variable an API token may come from instead
// of a file, so that CI systems can pass their secret without writing it.
const TokenEnv = "OKTA_API_TOKEN" //nolint:gosec // G101: the name of a variable, not a credential

// ReadScopes are the OAuth scopes the command asks for: it only reads.
var ReadScopes = []string{"okta.deviceAssurance.read", "okta.policies.read", "okta.devicePostureChecks.read"}

// OrgFlags say which org to read and how to authenticate.
type OrgFlags struct {
	URL            string
	APITokenFile   string
	ClientID       string
	KeyID          string
	PrivateKeyFile string
	Scopes         []string
	// AllowHTTP lets URL be plain http, for a local org simulator.
	AllowHTTP bool
	Timeout   time.Duration
}

// Add registers the flags on fs.
func (f *OrgFlags) Add(fs *pflag.FlagSet) {
	fs.StringVar(&f.URL, "org-url", "", "the org's URL, e.g. https://example.okta.com")
	fs.StringVar(&f.APITokenFile, "api-token-file", "", "a file holding an API token (or set "+TokenEnv+")")
	fs.StringVar(&f.ClientID, "client-id", "", "OAuth service app client ID (private_key_jwt), instead of an API token")
	fs.StringVar(&f.KeyID, "key-id", "", "the kid of the service app's public key")
	fs.StringVar(&f.PrivateKeyFile, "private-key-file", "", "PEM private key of the service app (RSA or EC)")
	fs.StringSliceVar(&f.Scopes, "scopes", ReadScopes, "OAuth scopes to request")
	fs.BoolVar(&f.AllowHTTP, "allow-insecure-http", false, "allow an http:// org URL (a local org simulator only)")
	fs.DurationVar(&f.Timeout, "request-timeout", 30*time.Second, "deadline of each request to Okta")
}

// Client builds a client of the org. Its credentials never appear in an
// error.
func (f *OrgFlags) Client(userAgent string) (*okta.Client, error) {
	if f.URL == "" {
		return nil, errors.New("--org-url is required")
	}
	u, err := url.Parse(f.URL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && (u.Scheme != "http" || !f.AllowHTTP)) {
		return nil, fmt.Errorf("--org-url %q: want https://<org host> (http only with --allow-insecure-http)", f.URL)
	}
	creds, err := f.credentials()
	if err != nil {
		return nil, err
	}
	return okta.New(okta.Config{OrgURL: strings.TrimSuffix(f.URL, "/"), Credentials: creds, RequestTimeout: f.Timeout, UserAgent: userAgent})
}

func (f *OrgFlags) credentials() (okta.Credentials, error) {
	switch {
	case f.ClientID != "":
		if f.PrivateKeyFile == "" {
			return nil, errors.New("--client-id needs --private-key-file")
		}
		pem, err := os.ReadFile(f.PrivateKeyFile)
		if err != nil {
			return nil, fmt.Errorf("--private-key-file: %w", err)
		}
		key, err := okta.ParsePrivateKeyPEM(pem)
		if err != nil {
			return nil, fmt.Errorf("--private-key-file: %w", err)
		}
		return okta.PrivateKeyJWT{ClientID: f.ClientID, KeyID: f.KeyID, PrivateKey: key, Scopes: f.Scopes}, nil
	case f.APITokenFile != "":
		raw, err := os.ReadFile(f.APITokenFile)
		if err != nil {
			return nil, fmt.Errorf("--api-token-file: %w", err)
		}
		return token(strings.TrimSpace(string(raw)), "--api-token-file")
	default:
		return token(strings.TrimSpace(os.Getenv(TokenEnv)), TokenEnv)
	}
}

func token(value, from string) (okta.Credentials, error) {
	if value == "" {
		return nil, fmt.Errorf("no credentials: give --api-token-file, %s, or --client-id with --private-key-file (%s is empty)", TokenEnv, from)
	}
	return okta.APIToken(value), nil
}
