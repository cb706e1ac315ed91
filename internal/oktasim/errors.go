package oktasim

import (
	"fmt"
	"net/http"
)

// apiError is an Okta error response. Its JSON envelope is errorCode,
// errorSummary, errorLink (= errorCode), errorId and errorCauses, in that
// order (pysdk-004, pysdk-014, docs/okta-api-behaviour.md, R12).
type apiError struct {
	status  int
	code    string // empty for the "in use" 409, whose body has no errorCode
	summary string
	causes  []string
	header  http.Header // extra response headers, e.g. WWW-Authenticate
}

func (e *apiError) Error() string { return e.summary }

// body renders the error envelope with a fresh errorId.
func (e *apiError) body() orderedObject {
	causes := make([]any, 0, len(e.causes))
	for _, c := range e.causes {
		causes = append(causes, orderedObject{{"errorSummary", c}})
	}
	if e.code == "" {
		// The documented in-use body has only errorSummary, errorId and
		// errorCauses (examples/spec-097, docs/okta-api-behaviour.md §1.8).
		return orderedObject{{"errorSummary", e.summary}, {"errorId", newErrorID()}, {"errorCauses", causes}}
	}
	return orderedObject{
		{"errorCode", e.code},
		{"errorSummary", e.summary},
		{"errorLink", e.code},
		{"errorId", newErrorID()},
		{"errorCauses", causes},
	}
}

// validationError is E0000001. Causes carry only errorSummary, as in the
// one recorded validation error (pysdk-004).
func validationError(subject string, causes ...string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "E0000001",
		summary: "Api validation failed: " + subject, causes: causes}
}

func malformedBodyError() *apiError {
	return &apiError{status: http.StatusBadRequest, code: "E0000003",
		summary: "The request body was not well-formed."}
}

// notFoundError is E0000007; entity is the internal class name the real org
// appends, which differs per kind and method (docs/okta-api-behaviour.md, R12
// and R17).
func notFoundError(id, entity string) *apiError {
	return &apiError{status: http.StatusNotFound, code: "E0000007",
		summary: fmt.Sprintf("Not found: Resource not found: %s (%s)", id, entity)}
}

func invalidTokenError() *apiError {
	return &apiError{status: http.StatusUnauthorized, code: "E0000011", summary: "Invalid token provided"}
}

func accessDeniedError() *apiError {
	return &apiError{status: http.StatusForbidden, code: "E0000006",
		summary: "You do not have permission to perform the requested action"}
}

func methodNotAllowedError() *apiError {
	return &apiError{status: http.StatusMethodNotAllowed, code: "E0000022",
		summary: "The endpoint does not support the provided HTTP method"}
}

func rateLimitError() *apiError {
	return &apiError{status: http.StatusTooManyRequests, code: "E0000047",
		summary: "API call exceeded rate limit due to too many requests."}
}

// inUseError is the 409 without errorCode (examples/spec-097,
// docs/okta-api-behaviour.md §1.8).
func inUseError(summary string) *apiError {
	return &apiError{status: http.StatusConflict, summary: summary}
}

// logQueryError is E0000053, the System Log's invalid-parameter error
// (docs/okta-api-behaviour.md §5).
func logQueryError(detail string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "E0000053",
		summary: "Invalid value for parameter: " + detail}
}
