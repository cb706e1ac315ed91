// Command oktasim serves a simulated Okta org (internal/oktasim) over HTTP
// or HTTPS. It prints the org's base URL on one line once it is listening,
// so scripts can read the first line of its output, and stops cleanly on
// SIGINT or SIGTERM. Tokens and keys are never printed.
//
// Examples:
//
//	oktasim --addr 127.0.0.1:8443 --api-token "$TOKEN"
//	oktasim --addr 127.0.0.1:0 --tls --tls-cert-file /tmp/oktasim.pem \
//	    --oauth-client '0oaOperator=public.pem,scopes=okta.deviceAssurance.manage+okta.policies.manage+okta.devicePostureChecks.manage+okta.logs.read,dpop' \
//	    --seed testdata/seed.json --rate-limit-device-assurances 20
//
//	oktasim --addr 127.0.0.1:8443 --api-token "$TOKEN" \
//	    --fault 'status=503,method=POST,path=/api/v1/device-assurances,count=3' \
//	    --fault 'delay=5s,for=2m'
//
// GET /_oktasim/state and GET /_oktasim/requests show the org's objects and
// the request counts without authentication; /_oktasim/faults lists (GET),
// injects (POST), and removes (DELETE) faults at runtime (docs/oktasim.md).
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
)

const shutdownTimeout = 5 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "oktasim:", err)
		os.Exit(1)
	}
}

// config is the parsed command line.
type config struct {
	addr         string
	apiTokens    stringList
	useTLS       bool
	tlsCertFile  string
	oauthClients stringList
	seedFile     string
	limits       oktasim.RateLimits
	faults       stringList
}

// faultUsage is the help of --fault.
const faultUsage = `inject a fault from the start (repeatable): comma-separated items, one effect
  status=CODE (Okta's error body for 500, 503, 423, 429, …) | delay=DURATION |
  drop-response (serve, then close without answering) | unreachable (close, serve nothing)
and optional matchers and limits
  method=POST[|PUT]  path=PREFIX or route template (/api/v1/device-assurances/{id})
  bucket=device-assurances|device-posture-checks|api-v1|logs|oauth2
  count=N (first N matching requests)  for=DURATION  until=RFC3339  reset=DURATION (429's X-Rate-Limit-Reset)
e.g. 'status=503,method=POST,path=/api/v1/device-assurances,count=3' or 'delay=5s,for=2m'`

func parseFlags(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("oktasim", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8443", "listen address host:port (port 0 picks a free port)")
	fs.Var(&c.apiTokens, "api-token", "accepted SSWS API token (repeatable)")
	fs.BoolVar(&c.useTLS, "tls", false, "serve HTTPS with a self-signed certificate")
	fs.StringVar(&c.tlsCertFile, "tls-cert-file", "oktasim-cert.pem", "where to write the self-signed certificate (PEM) with --tls")
	fs.Var(&c.oauthClients, "oauth-client", "OAuth service app: clientID=PUBLIC_KEY_FILE[,scopes=s1+s2][,dpop] (repeatable; PEM or JWK/JWKS JSON)")
	fs.StringVar(&c.seedFile, "seed", "", "JSON seed file of initial objects")
	fs.BoolVar(&c.limits.Disabled, "no-rate-limits", false, "do not enforce rate limits (headers are still sent)")
	fs.IntVar(&c.limits.DeviceAssurances, "rate-limit-device-assurances", 0, "requests per minute for /api/v1/device-assurances (0: default 50)")
	fs.IntVar(&c.limits.DevicePostureChecks, "rate-limit-device-posture-checks", 0, "requests per minute for /api/v1/device-posture-checks (0: default 50)")
	fs.IntVar(&c.limits.API, "rate-limit-api", 0, "requests per minute for the /api/v1 catch-all, including policies (0: default 50)")
	fs.IntVar(&c.limits.Logs, "rate-limit-logs", 0, "requests per minute for /api/v1/logs (0: default 50)")
	fs.IntVar(&c.limits.Token, "rate-limit-token", 0, "requests per minute for /oauth2/v1/token (0: default 50)")
	fs.IntVar(&c.limits.Concurrency, "concurrency", 0, "concurrent requests allowed (0: default 75)")
	fs.Var(&c.faults, "fault", faultUsage)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	return c, nil
}

func (c *config) options() (oktasim.Options, error) {
	opts := oktasim.Options{APITokens: c.apiTokens, RateLimits: c.limits}
	for _, spec := range c.oauthClients {
		client, err := parseOAuthClient(spec)
		if err != nil {
			return opts, err
		}
		opts.OAuthClients = append(opts.OAuthClients, client)
	}
	for _, spec := range c.faults {
		fault, err := oktasim.ParseFault(spec)
		if err != nil {
			return opts, fmt.Errorf("--fault: %w", err)
		}
		opts.Faults = append(opts.Faults, fault)
	}
	if c.seedFile != "" {
		seed, err := oktasim.LoadSeed(c.seedFile)
		if err != nil {
			return opts, err
		}
		opts.Seed = seed
	}
	return opts, nil
}

// run serves until ctx is cancelled.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	c, err := parseFlags(args)
	if err != nil {
		return err
	}
	opts, err := c.options()
	if err != nil {
		return err
	}
	org, err := oktasim.NewOrg(opts)
	if err != nil {
		return err
	}
	listener, err := (&net.ListenConfig{}).Listen(ctx, "tcp", c.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: org, ReadHeaderTimeout: 10 * time.Second}
	scheme := "http"
	if c.useTLS {
		cert, err := selfSignedCertificate(listener.Addr(), c.tlsCertFile)
		if err != nil {
			_ = listener.Close()
			return err
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		listener = tls.NewListener(listener, srv.TLSConfig)
		scheme = "https"
	}
	return serve(ctx, srv, listener, scheme, stdout)
}

// serve announces the base URL, serves until ctx ends, then shuts down.
func serve(ctx context.Context, srv *http.Server, listener net.Listener, scheme string, stdout io.Writer) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(listener) }()
	if _, err := fmt.Fprintf(stdout, "%s://%s\n", scheme, listener.Addr().String()); err != nil {
		return err
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string { return fmt.Sprintf("%d values", len(*s)) }

func (s *stringList) Set(v string) error {
	*s = append(*s, v)
	return nil
}
