package okta

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync/atomic"
	"time"
)

// maxResponseBytes bounds what is read from one response; the largest
// recorded response (an org-wide policy list) is about 90 KB.
const maxResponseBytes = 32 << 20

// call describes one logical API operation, which may take several attempts.
type call struct {
	method string
	// path is the escaped request path, e.g. /api/v1/device-assurances/dae….
	path  string
	query url.Values
	// next is an absolute URL from a Link header; it replaces path and query.
	next *url.URL
	// body is encoded once and resent as is on every attempt.
	body any
	// idempotent marks a call that may be resent even after it may have
	// reached the server. True for GET, PUT, DELETE and the rule lifecycle
	// POSTs (activating an active rule changes nothing). A create POST is
	// never idempotent: a lost response would turn a retry into a duplicate.
	idempotent bool
}

func (c *Client) target(op call) *url.URL {
	if op.next != nil {
		return op.next
	}
	u := *c.base
	u.RawPath = op.path
	u.Path, _ = url.PathUnescape(op.path)
	u.RawQuery = op.query.Encode()
	return &u
}

// attemptResult is the outcome of one HTTP exchange.
type attemptResult struct {
	header http.Header
	body   []byte
	// sent is false only when no connection was ever obtained, which proves
	// that nothing reached the server.
	sent bool
	err  error
	// tokenDropped tells that the API rejected a cached OAuth token.
	tokenDropped bool
}

// do runs op with retries and decodes a 2xx body into out (if not nil).
func (c *Client) do(ctx context.Context, op call, out any) (http.Header, error) {
	body, err := encodeBody(op.body)
	if err != nil {
		return nil, err
	}
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		res := c.attempt(ctx, op, body)
		if res.err == nil {
			return res.header, decodeBody(op, res.body, out)
		}
		if callerGaveUp(ctx) {
			return nil, errors.Join(res.err, ctx.Err())
		}
		res.tokenDropped = c.dropRejectedToken(res.err)
		wait, retry := c.retryDelay(op, attempt, res)
		if !retry || attempt >= c.retry.MaxAttempts || waited+wait > c.retry.MaxTotalWait {
			return nil, res.err
		}
		if err := c.clock.Sleep(ctx, wait); err != nil {
			return nil, errors.Join(res.err, err)
		}
		waited += wait
	}
}

// dropRejectedToken forgets a cached OAuth token the API answered 401 to;
// the next attempt (or the caller's next call) gets a new one.
func (c *Client) dropRejectedToken(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized || apiErr.Path == tokenPath {
		return false
	}
	inv, ok := c.auth.(tokenInvalidator)
	if ok {
		inv.invalidate()
	}
	return ok
}

// retryDelay decides whether a failed attempt may be retried and after how
// long: after the rate-limit reset on 429, after a jittered exponential
// backoff on 5xx, transport errors and 423 (policy priorities being
// reconciled). A create POST that reached the server is never retried,
// whatever the answer.
func (c *Client) retryDelay(op call, attempt int, res attemptResult) (time.Duration, bool) {
	if res.sent && !op.idempotent {
		return 0, false
	}
	switch Class(res.err) {
	case ClassRateLimited:
		wait := c.rateLimitDelay(attempt, res)
		return wait, c.retry.MaxRateLimitWait <= 0 || wait <= c.retry.MaxRateLimitWait
	case ClassTransient, ClassLocked:
		return backoff(c.retry, attempt), true
	case ClassUnauthorized:
		// Retried once with a fresh OAuth token; an SSWS token, a token
		// endpoint refusal or a second 401 is final.
		return 0, res.tokenDropped && attempt == 1
	default:
		return 0, false
	}
}

// rateLimitDelay waits for the reset of the 429's bucket; the token
// endpoint's 429 reaches here as an error without the response headers.
func (c *Client) rateLimitDelay(attempt int, res attemptResult) time.Duration {
	if res.header != nil {
		if wait, ok := waitForReset(res.header, c.clock.Now()); ok {
			return wait
		}
	}
	var rlErr *RateLimitError
	if errors.As(res.err, &rlErr) && !rlErr.Reset.IsZero() {
		return max(rlErr.Reset.Sub(c.clock.Now())+time.Second, time.Second)
	}
	return backoff(c.retry, attempt)
}

// attempt performs one HTTP exchange with its own deadline.
func (c *Client) attempt(ctx context.Context, op call, body []byte) attemptResult {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	var gotConn atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { gotConn.Store(true) },
	})
	target := c.target(op)
	req, err := http.NewRequestWithContext(ctx, op.method, target.String(), bytes.NewReader(body))
	if err != nil {
		return attemptResult{err: fmt.Errorf("okta: building %s %s: %w", op.method, target.Path, err)}
	}
	c.setHeaders(req, body != nil)
	if err := c.auth.authorize(req); err != nil {
		// The token could not be obtained: the API request was not sent.
		return attemptResult{err: err}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return attemptResult{sent: gotConn.Load(), err: &TransportError{
			Method: op.method, Path: target.Path, Sent: gotConn.Load(), Err: unwrapURLError(err),
		}}
	}
	defer func() { _ = resp.Body.Close() }()
	return c.readResponse(op.method, target.Path, resp)
}

func (c *Client) setHeaders(req *http.Request, hasBody bool) {
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	if hasBody {
		req.Header.Set("Content-Type", "application/json")
	}
}

func (c *Client) readResponse(method, path string, resp *http.Response) attemptResult {
	now := c.clock.Now()
	c.limits.record(recordedBucket(path, resp), resp.Header, now)
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return attemptResult{sent: true, header: resp.Header, err: &TransportError{
			Method: method, Path: path, Sent: true, Err: err,
		}}
	}
	res := attemptResult{sent: true, header: resp.Header, body: body}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		res.err = newAPIError(method, path, resp, body, now)
	}
	c.denials.observe(method, path, resp.StatusCode, res.err, now)
	return res
}

// unwrapURLError drops the *url.Error wrapper, whose text repeats the full
// URL; the TransportError already names method and path.
func unwrapURLError(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}

func encodeBody(body any) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	data, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("okta: encoding request body: %w", err)
	}
	return data, nil
}

func decodeBody(op call, body []byte, out any) error {
	if out == nil || len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("okta: decoding response of %s %s: %w", op.method, op.path, err)
	}
	return nil
}
