package okta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// ErrorClass is what a controller needs to know about a failure to decide
// what to do next. Every error this package returns has exactly one class,
// decided once where the response or transport error is seen.
type ErrorClass int

// Error classes.
const (
	// ClassUnknown is an error this package did not classify (e.g. an
	// invalid argument, or an HTTP status without meaning here).
	ClassUnknown ErrorClass = iota
	// ClassNotFound is E0000007 / HTTP 404.
	ClassNotFound
	// ClassInvalid is E0000001 and other 400s: the request must change.
	ClassInvalid
	// ClassConflict is HTTP 409, e.g. deleting a device assurance policy a
	// rule still uses (that body has no errorCode,
	// docs/okta-api-behaviour.md §1.8).
	ClassConflict
	// ClassRateLimited is HTTP 429 (E0000047); see RateLimitError.
	ClassRateLimited
	// ClassUnauthorized is E0000011 / HTTP 401: bad or expired credentials.
	ClassUnauthorized
	// ClassForbidden is E0000006 / HTTP 403: missing role, permission or
	// OAuth scope.
	ClassForbidden
	// ClassFeatureNotEnabled is E0000015: the org lacks the feature.
	ClassFeatureNotEnabled
	// ClassTransient is a 5xx, a network error or a timeout: try later.
	ClassTransient
	// ClassLocked is HTTP 423 / E0000239 ("Policy lock exception: Policy
	// priorities are being reconciled. Please try again later."): Okta is
	// renumbering the rules of a policy after another write; the same
	// request succeeds a few seconds later. See CodePolicyLocked.
	ClassLocked
)

// String returns the class name.
func (c ErrorClass) String() string {
	switch c {
	case ClassNotFound:
		return "NotFound"
	case ClassInvalid:
		return "Invalid"
	case ClassConflict:
		return "Conflict"
	case ClassRateLimited:
		return "RateLimited"
	case ClassUnauthorized:
		return "Unauthorized"
	case ClassForbidden:
		return "Forbidden"
	case ClassFeatureNotEnabled:
		return "FeatureNotEnabled"
	case ClassTransient:
		return "Transient"
	case ClassLocked:
		return "Locked"
	case ClassUnknown:
		return "Unknown"
	default:
		return fmt.Sprintf("ErrorClass(%d)", int(c))
	}
}

// Okta error codes this package classifies (docs/okta-api-behaviour.md §5).
const (
	CodeValidationFailed  = "E0000001"
	CodeMalformedBody     = "E0000003"
	CodeAccessDenied      = "E0000006"
	CodeNotFound          = "E0000007"
	CodeInvalidToken      = "E0000011"
	CodeFeatureNotEnabled = "E0000015"
	CodeRateLimited       = "E0000047"
	CodeConflict          = "E0000195"
	// CodePolicyLocked comes with HTTP 423 Locked while Okta reconciles the
	// priorities of a policy's rules after concurrent writes. No recording
	// of ours shows it: the code, status and summary ("Policy lock
	// exception", "Policy priorities are being reconciled. Please try again
	// later.") are as users of Okta's Terraform provider reported them
	// (okta/terraform-provider-okta#2151), so the body is a guess; the
	// status alone classifies it too.
	CodePolicyLocked = "E0000239"
)

// requestIDHeader identifies a request in Okta's logs and support cases.
const requestIDHeader = "X-Okta-Request-Id"

// APIError is an error response of the Okta API or of its token endpoint.
// It never holds request headers, so no credential can leak through it.
type APIError struct {
	// Class is the classification of the error.
	Class ErrorClass
	// Method and Path identify the request (path without query).
	Method, Path string
	// StatusCode is the HTTP status.
	StatusCode int
	// ErrorCode is Okta's errorCode (empty for the in-use 409) or the OAuth
	// `error` of a token endpoint response.
	ErrorCode string
	// ErrorSummary is Okta's errorSummary, or the OAuth error_description.
	ErrorSummary string
	// ErrorID is Okta's errorId (`oae…`).
	ErrorID string
	// Causes are the errorCauses[].errorSummary values.
	Causes []string
	// RequestID is the X-Okta-Request-Id response header.
	RequestID string
	// MissingScope is the OAuth scope the request lacked: the scope of the
	// WWW-Authenticate header of a 403 insufficient_scope, or the scope a
	// token endpoint's invalid_scope refused (see MissingScope).
	MissingScope string
}

// Error describes the failure with everything needed to look it up in Okta.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "okta: %s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if e.ErrorCode != "" {
		fmt.Fprintf(&b, " %s", e.ErrorCode)
	}
	if e.ErrorSummary != "" {
		fmt.Fprintf(&b, ": %s", e.ErrorSummary)
	}
	if len(e.Causes) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(e.Causes, "; "))
	}
	if e.MissingScope != "" && e.ErrorCode != oauthInvalidScope {
		fmt.Fprintf(&b, " (the access token lacks the scope %s)", e.MissingScope)
	}
	if e.ErrorID != "" {
		fmt.Fprintf(&b, " [errorId %s]", e.ErrorID)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [requestId %s]", e.RequestID)
	}
	return b.String()
}

// Is makes errors.Is(err, okta.ErrNotFound) and the other class sentinels
// work.
func (e *APIError) Is(target error) bool {
	var sentinel classError
	if errors.As(target, &sentinel) {
		return sentinel.class == e.Class
	}
	return false
}

// RateLimitError is a 429. It wraps the APIError and adds the rate-limit
// headers of the response.
type RateLimitError struct {
	*APIError
	// Limit and Remaining are the X-Rate-Limit-* values; both are 0 on a
	// concurrency-limit 429 (docs/okta-api-behaviour.md §6).
	Limit, Remaining int
	// Reset is when the bucket resets (X-Rate-Limit-Reset); zero if absent.
	Reset time.Time
}

// Concurrency tells whether the 429 is from the org's concurrency limit
// rather than a per-minute bucket.
func (e *RateLimitError) Concurrency() bool { return e.Limit == 0 && e.Remaining == 0 }

// Error adds the reset time to the APIError text.
func (e *RateLimitError) Error() string {
	if e.Reset.IsZero() {
		return e.APIError.Error()
	}
	return fmt.Sprintf("%s; rate limit resets at %s", e.APIError.Error(), e.Reset.UTC().Format(time.RFC3339))
}

// Unwrap returns the APIError.
func (e *RateLimitError) Unwrap() error { return e.APIError }

// TransportError is a failure below HTTP: connection refused, reset,
// timeout, TLS. Its class is ClassTransient unless the caller's own context
// ended it.
type TransportError struct {
	// Method and Path identify the request (path without query).
	Method, Path string
	// Sent is false when it is certain that no byte of the request reached
	// the network (the connection was never obtained).
	Sent bool
	// Err is the underlying error; it never carries request headers.
	Err error
}

// Error describes the transport failure.
func (e *TransportError) Error() string {
	return fmt.Sprintf("okta: %s %s: %v", e.Method, e.Path, e.Err)
}

// Unwrap returns the underlying error.
func (e *TransportError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, okta.ErrTransient) work.
func (e *TransportError) Is(target error) bool { return target == ErrTransient }

type classError struct{ class ErrorClass }

func (s classError) Error() string { return "okta: " + s.class.String() }

// Sentinels for errors.Is, one per class.
var (
	ErrNotFound          error = classError{ClassNotFound}
	ErrInvalid           error = classError{ClassInvalid}
	ErrConflict          error = classError{ClassConflict}
	ErrRateLimited       error = classError{ClassRateLimited}
	ErrUnauthorized      error = classError{ClassUnauthorized}
	ErrForbidden         error = classError{ClassForbidden}
	ErrFeatureNotEnabled error = classError{ClassFeatureNotEnabled}
	ErrTransient         error = classError{ClassTransient}
	ErrLocked            error = classError{ClassLocked}
)

// Class returns the class of err, or ClassUnknown for nil and errors that
// did not come from this package. A context cancellation by the caller is
// ClassUnknown (it is the caller's decision, not Okta's state).
func Class(err error) ErrorClass {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Class
	}
	var transportErr *TransportError
	if errors.As(err, &transportErr) {
		return ClassTransient
	}
	return ClassUnknown
}

// IsNotFound reports whether err is a 404 / E0000007.
func IsNotFound(err error) bool { return Class(err) == ClassNotFound }

// IsInvalid reports whether err is a validation error (400).
func IsInvalid(err error) bool { return Class(err) == ClassInvalid }

// IsConflict reports whether err is a 409.
func IsConflict(err error) bool { return Class(err) == ClassConflict }

// IsRateLimited reports whether err is a 429.
func IsRateLimited(err error) bool { return Class(err) == ClassRateLimited }

// IsTransient reports whether err is worth retrying later.
func IsTransient(err error) bool { return Class(err) == ClassTransient }

// IsLocked reports whether err is a 423 (E0000239): Okta is busy
// reconciling policy priorities; the same request is worth sending again
// after a few seconds.
func IsLocked(err error) bool { return Class(err) == ClassLocked }

// errorBody is Okta's error envelope (docs/okta-api-behaviour.md §5).
type errorBody struct {
	ErrorCode    string `json:"errorCode"`
	ErrorSummary string `json:"errorSummary"`
	ErrorID      string `json:"errorId"`
	ErrorCauses  []struct {
		ErrorSummary string `json:"errorSummary"`
	} `json:"errorCauses"`
	// OAuth token endpoint errors (RFC 6749 §5.2).
	OAuthError       string `json:"error"`
	OAuthDescription string `json:"error_description"`
}

// newAPIError builds the typed error of a non-2xx response.
func newAPIError(method, path string, resp *http.Response, body []byte, now time.Time) error {
	var parsed errorBody
	_ = json.Unmarshal(body, &parsed) // a non-JSON body (proxy, 502 page) still yields a classified error
	apiErr := &APIError{
		Method:       method,
		Path:         path,
		StatusCode:   resp.StatusCode,
		ErrorCode:    firstNonEmpty(parsed.ErrorCode, parsed.OAuthError),
		ErrorSummary: firstNonEmpty(parsed.ErrorSummary, parsed.OAuthDescription),
		ErrorID:      parsed.ErrorID,
		RequestID:    resp.Header.Get(requestIDHeader),
		MissingScope: insufficientScope(resp),
	}
	for _, cause := range parsed.ErrorCauses {
		if cause.ErrorSummary != "" {
			apiErr.Causes = append(apiErr.Causes, cause.ErrorSummary)
		}
	}
	apiErr.Class = classify(resp.StatusCode, apiErr.ErrorCode)
	if apiErr.Class != ClassRateLimited {
		return apiErr
	}
	rl, _ := parseRateLimitHeaders(resp.Header, now)
	return &RateLimitError{APIError: apiErr, Limit: rl.Limit, Remaining: rl.Remaining, Reset: rl.Reset}
}

// classify maps an HTTP status and errorCode to a class. The errorCode wins
// where Okta documents it ("only errorCode is supported for runtime error
// flow control", docs/okta-api-behaviour.md §5); the status decides otherwise.
func classify(status int, code string) ErrorClass {
	switch code {
	case CodeNotFound:
		return ClassNotFound
	case CodeValidationFailed, CodeMalformedBody:
		return ClassInvalid
	case CodeInvalidToken, "invalid_client", "invalid_grant", "invalid_dpop_proof":
		return ClassUnauthorized
	case CodeAccessDenied, oauthInvalidScope, "unauthorized_client":
		return ClassForbidden
	case CodeFeatureNotEnabled:
		return ClassFeatureNotEnabled
	case CodeRateLimited:
		return ClassRateLimited
	case CodeConflict:
		return ClassConflict
	case CodePolicyLocked:
		return ClassLocked
	}
	return classifyStatus(status)
}

func classifyStatus(status int) ErrorClass {
	switch {
	case status == http.StatusNotFound:
		return ClassNotFound
	case status == http.StatusConflict:
		return ClassConflict
	case status == http.StatusTooManyRequests:
		return ClassRateLimited
	case status == http.StatusLocked:
		return ClassLocked
	case status == http.StatusUnauthorized:
		return ClassUnauthorized
	case status == http.StatusForbidden:
		return ClassForbidden
	case status >= 500:
		return ClassTransient
	case status >= 400:
		return ClassInvalid
	default:
		return ClassUnknown
	}
}

// callerGaveUp tells whether err is the caller's own context ending, which
// must not be reported as an Okta failure nor retried.
func callerGaveUp(ctx context.Context) bool { return ctx.Err() != nil }

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
