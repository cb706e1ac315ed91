// Package oktaspec checks HTTP traffic against Okta's published OpenAPI
// document (the Management API subset this operator uses), so that tests can
// prove that the client sends, and the simulator answers, what the real API
// defines. Where the document is wrong, defects.go corrects it, each
// correction with its reason and source.
package oktaspec

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// specYAML is Okta's Management API subset, copied verbatim from
// okta/okta-management-openapi-spec (dist/current/management-minimal.yaml,
// info.version 2026.06.3).
//
//go:embed okta-management-subset.yaml
var specYAML []byte

// Validator validates requests and responses against the corrected document.
type Validator struct {
	router routers.Router
}

var (
	loadOnce sync.Once
	loaded   *Validator
	errLoad  error
)

// New returns the shared Validator; the document is parsed once per process.
func New() (*Validator, error) {
	loadOnce.Do(func() { loaded, errLoad = load() })
	return loaded, errLoad
}

func load() (*Validator, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(specYAML)
	if err != nil {
		return nil, fmt.Errorf("load Okta OpenAPI document: %w", err)
	}
	for _, d := range Defects {
		if err := d.Correct(doc); err != nil {
			return nil, fmt.Errorf("correct spec defect %q: %w", d.Name, err)
		}
	}
	// The document's server is https://{yourOktaDomain}; match any host so
	// that httptest servers and the simulator are routed too.
	doc.Servers = nil
	// Okta's examples and some schema defaults are themselves invalid
	// (docs/okta-api-behaviour.md §9); they are documentation, not contract,
	// so only the schemas count.
	if err := doc.Validate(context.Background(),
		openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation()); err != nil {
		return nil, fmt.Errorf("validate Okta OpenAPI document: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &Validator{router: router}, nil
}

var options = &openapi3filter.Options{
	// Authentication is the simulator's business; here only shapes count.
	AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
	// A status the document does not declare is a finding, not a pass.
	IncludeResponseStatus: true,
	MultiError:            true,
	// Validate what was sent; never fill in schema defaults (Okta's are
	// sometimes prose, e.g. a policy priority of "Last / Lowest Priority").
	SkipSettingDefaults: true,
}

// ValidateRequest checks a request (its path, query and JSON body) against
// the operation it routes to.
func (v *Validator) ValidateRequest(req *http.Request, body []byte) error {
	input, err := v.requestInput(req, body)
	if err != nil {
		return err
	}
	return openapi3filter.ValidateRequest(req.Context(), input)
}

// ValidateResponse checks a response's status, headers and JSON body
// against the operation the request routes to.
func (v *Validator) ValidateResponse(req *http.Request, reqBody []byte, status int, header http.Header, body []byte) error {
	input, err := v.requestInput(req, reqBody)
	if err != nil {
		return err
	}
	return openapi3filter.ValidateResponse(req.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                options,
	})
}

func (v *Validator) requestInput(req *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s is not an operation of the Okta API document: %w", req.Method, req.URL.Path, err)
	}
	clone := req.Clone(req.Context())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	return &openapi3filter.RequestValidationInput{
		Request:    clone,
		PathParams: params,
		Route:      route,
		Options:    options,
	}, nil
}

// IsNotAnOperation reports whether err says a request matched no operation
// of the document (e.g. the simulator's own /_oktasim endpoints).
func IsNotAnOperation(err error) bool {
	return errors.Is(err, routers.ErrPathNotFound) || errors.Is(err, routers.ErrMethodNotAllowed)
}
