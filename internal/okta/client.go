package okta

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxAttempts    = 4
	DefaultMaxTotalWait   = 2 * time.Minute
	DefaultInitialBackoff = 500 * time.Millisecond
	DefaultMaxBackoff     = 30 * time.Second
	DefaultUserAgent      = "okta-assurance-operator"
)

// Config configures a Client. Printing it never shows a credential.
type Config struct {
	// OrgURL is the org base URL, e.g. https://example.okta.com. Required.
	OrgURL string
	// Credentials authenticate every request: APIToken or PrivateKeyJWT.
	// Required.
	Credentials Credentials
	// HTTPClient sends the requests; share one to share its connection
	// pool. Nil means a client with a clone of http.DefaultTransport.
	// Redirects are never followed, so credentials never leave the org.
	HTTPClient *http.Client
	// RequestTimeout bounds each attempt (and each token request).
	RequestTimeout time.Duration
	// Retry bounds retries of GET, PUT and DELETE.
	Retry RetryConfig
	// UserAgent is sent as User-Agent.
	UserAgent string
	// Clock replaces time.Now and sleeping, for tests.
	Clock Clock
}

// String describes the configuration without credentials.
func (c Config) String() string {
	creds := "<none>"
	if c.Credentials != nil {
		creds = c.Credentials.String()
	}
	return fmt.Sprintf("okta.Config{OrgURL: %s, Credentials: %s}", c.OrgURL, creds)
}

// GoString is String, so %#v does not print credentials either.
func (c Config) GoString() string { return c.String() }

// RetryConfig bounds retries. Zero fields take the Default* values.
type RetryConfig struct {
	// MaxAttempts is the number of attempts, including the first.
	MaxAttempts int
	// MaxTotalWait bounds the sum of all waits between attempts.
	MaxTotalWait time.Duration
	// InitialBackoff is the first backoff after a 5xx or network error.
	InitialBackoff time.Duration
	// MaxBackoff caps one backoff.
	MaxBackoff time.Duration
	// MaxRateLimitWait, when set, is the longest wait for a 429's reset
	// that the client does itself; a later reset is returned to the caller
	// as the *RateLimitError, to wait without holding a worker (and to say
	// so in a status). Zero waits for any reset within MaxTotalWait.
	MaxRateLimitWait time.Duration
}

// Clock is the time source of a Client; tests inject a fake one so that
// waiting for a rate-limit reset takes no real time.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d or until ctx ends, whichever comes first, and
	// returns ctx.Err() in the latter case.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// Client is a typed Okta Management API client, safe for concurrent use.
type Client struct {
	base      *url.URL
	http      *http.Client
	auth      authorizer
	timeout   time.Duration
	retry     RetryConfig
	userAgent string
	clock     Clock
	limits    *rateLimits
	denials   *accessDenials
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	base, err := parseOrgURL(cfg.OrgURL)
	if err != nil {
		return nil, err
	}
	if cfg.Credentials == nil {
		return nil, errors.New("okta: Config.Credentials is required")
	}
	c := &Client{
		base:      base,
		http:      withoutRedirects(cfg.HTTPClient),
		timeout:   orDefault(cfg.RequestTimeout, DefaultRequestTimeout),
		retry:     withRetryDefaults(cfg.Retry),
		userAgent: cfg.UserAgent,
		clock:     cfg.Clock,
		limits:    &rateLimits{},
		denials:   &accessDenials{},
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.clock == nil {
		c.clock = realClock{}
	}
	c.auth, err = cfg.Credentials.newAuthorizer(authEnv{
		orgURL: base, http: c.http, clock: c.clock, limits: c.limits,
		timeout: c.timeout, userAgent: c.userAgent,
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// String names the org only.
func (c *Client) String() string { return "okta.Client{" + c.base.String() + "}" }

// RateLimits returns the last X-Rate-Limit-* state seen per bucket.
func (c *Client) RateLimits() map[Bucket]RateLimit { return c.limits.snapshot() }

func parseOrgURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("okta: Config.OrgURL is required")
	}
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil {
		return nil, fmt.Errorf("okta: invalid OrgURL: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("okta: OrgURL %q must be an absolute http(s) URL", raw)
	}
	if u.Path != "" || u.RawQuery != "" {
		return nil, fmt.Errorf("okta: OrgURL %q must not have a path or query", raw)
	}
	return u, nil
}

// withoutRedirects copies hc (keeping its transport and connection pool)
// and turns redirects into responses: Okta's API does not redirect, and a
// redirect must not carry our credentials anywhere.
func withoutRedirects(hc *http.Client) *http.Client {
	var out http.Client
	if hc != nil {
		out = *hc
	} else {
		out.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	out.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &out
}

func withRetryDefaults(r RetryConfig) RetryConfig {
	if r.MaxAttempts <= 0 {
		r.MaxAttempts = DefaultMaxAttempts
	}
	r.MaxTotalWait = orDefault(r.MaxTotalWait, DefaultMaxTotalWait)
	r.InitialBackoff = orDefault(r.InitialBackoff, DefaultInitialBackoff)
	r.MaxBackoff = orDefault(r.MaxBackoff, DefaultMaxBackoff)
	return r
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
