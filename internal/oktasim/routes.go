package oktasim

import (
	"net/http"
	"strings"
)

// Rate-limit buckets (docs/okta-api-behaviour.md §6): device-assurances and
// posture checks are not in any published table and are kept apart here
// because the python recordings show their own counters; everything else under
// /api/v1 is the catch-all bucket.
const (
	bucketDeviceAssurances    = "device-assurances"
	bucketPostureChecks       = "device-posture-checks"
	bucketAPI                 = "api-v1"
	bucketLogs                = "logs"
	bucketAuthorizationServer = "oauth2"
)

// OAuth scopes per operation (docs/okta-api-behaviour.md §0).
const (
	scopeDARead       = "okta.deviceAssurance.read"
	scopeDAManage     = "okta.deviceAssurance.manage"
	scopePCRead       = "okta.devicePostureChecks.read"
	scopePCManage     = "okta.devicePostureChecks.manage"
	scopePolicyRead   = "okta.policies.read"
	scopePolicyManage = "okta.policies.manage"
	scopeLogsRead     = "okta.logs.read"
)

// apiHandler serves one authenticated operation; a returned error is
// written as an Okta error body.
type apiHandler func(w http.ResponseWriter, r *http.Request, p *principal) *apiError

func (o *Org) routes() *http.ServeMux {
	mux := http.NewServeMux()
	api := func(pattern, bucket, scope string, h apiHandler) {
		mux.Handle(pattern, o.wrap(pattern, bucket, o.authorized(scope, h)))
	}
	// Device assurance policies (docs/okta-api-behaviour.md §1).
	da := "/api/v1/device-assurances"
	api("GET "+da, bucketDeviceAssurances, scopeDARead, o.listDeviceAssurances)
	api("POST "+da, bucketDeviceAssurances, scopeDAManage, o.createDeviceAssurance)
	api("GET "+da+"/{id}", bucketDeviceAssurances, scopeDARead, o.getDeviceAssurance)
	api("PUT "+da+"/{id}", bucketDeviceAssurances, scopeDAManage, o.replaceDeviceAssurance)
	api("DELETE "+da+"/{id}", bucketDeviceAssurances, scopeDAManage, o.deleteDeviceAssurance)
	// Device posture checks (docs/okta-api-behaviour.md §2).
	pc := "/api/v1/device-posture-checks"
	api("GET "+pc, bucketPostureChecks, scopePCRead, o.listPostureChecks)
	api("POST "+pc, bucketPostureChecks, scopePCManage, o.createPostureCheck)
	api("GET "+pc+"/default", bucketPostureChecks, scopePCRead, o.listDefaultPostureChecks)
	api("GET "+pc+"/{id}", bucketPostureChecks, scopePCRead, o.getPostureCheck)
	api("PUT "+pc+"/{id}", bucketPostureChecks, scopePCManage, o.replacePostureCheck)
	api("DELETE "+pc+"/{id}", bucketPostureChecks, scopePCManage, o.deletePostureCheck)
	// ACCESS_POLICY policies and rules (docs/okta-api-behaviour.md §3).
	pol := "/api/v1/policies"
	api("GET "+pol, bucketAPI, scopePolicyRead, o.listPolicies)
	api("POST "+pol, bucketAPI, scopePolicyManage, o.createPolicy)
	api("GET "+pol+"/{policyId}", bucketAPI, scopePolicyRead, o.getPolicy)
	api("PUT "+pol+"/{policyId}", bucketAPI, scopePolicyManage, o.replacePolicy)
	api("DELETE "+pol+"/{policyId}", bucketAPI, scopePolicyManage, o.deletePolicy)
	api("GET "+pol+"/{policyId}/mappings", bucketAPI, scopePolicyRead, o.listPolicyMappings)
	api("POST "+pol+"/{policyId}/mappings", bucketAPI, scopePolicyManage, o.createPolicyMapping)
	api("POST "+pol+"/{policyId}/clone", bucketAPI, scopePolicyManage, o.clonePolicy)
	api("GET "+pol+"/{policyId}/app", bucketAPI, scopePolicyRead, o.listPolicyApps)
	api("POST "+pol+"/{policyId}/lifecycle/activate", bucketAPI, scopePolicyManage, o.activatePolicy)
	api("POST "+pol+"/{policyId}/lifecycle/deactivate", bucketAPI, scopePolicyManage, o.deactivatePolicy)
	rules := pol + "/{policyId}/rules"
	api("GET "+rules, bucketAPI, scopePolicyRead, o.listRules)
	api("POST "+rules, bucketAPI, scopePolicyManage, o.createRule)
	api("GET "+rules+"/{ruleId}", bucketAPI, scopePolicyRead, o.getRule)
	api("PUT "+rules+"/{ruleId}", bucketAPI, scopePolicyManage, o.replaceRule)
	api("DELETE "+rules+"/{ruleId}", bucketAPI, scopePolicyManage, o.deleteRule)
	api("POST "+rules+"/{ruleId}/lifecycle/activate", bucketAPI, scopePolicyManage, o.activateRule)
	api("POST "+rules+"/{ruleId}/lifecycle/deactivate", bucketAPI, scopePolicyManage, o.deactivateRule)
	// System Log (docs/okta-api-behaviour.md §4).
	api("GET /api/v1/logs", bucketLogs, scopeLogsRead, o.listLogs)

	// Other methods on known paths get E0000022; method patterns are more
	// specific than these, so they only catch what is left.
	for _, p := range []string{da, da + "/{id}", pc, pc + "/{id}", pol, pol + "/{policyId}",
		pol + "/{policyId}/mappings", rules, rules + "/{ruleId}", rules + "/{ruleId}/lifecycle/activate",
		rules + "/{ruleId}/lifecycle/deactivate", "/api/v1/logs"} {
		mux.Handle(p, o.wrap(p, bucketFor(p), methodNotAllowed))
	}
	mux.Handle("POST /oauth2/v1/token", o.wrap("POST /oauth2/v1/token", bucketAuthorizationServer, http.HandlerFunc(o.token)))
	mux.Handle("/oauth2/v1/token", o.wrap("/oauth2/v1/token", bucketAuthorizationServer, methodNotAllowed))
	mux.Handle("/api/", o.wrap("/api/", bucketAPI, http.HandlerFunc(notFound)))

	mux.HandleFunc("GET /_oktasim/state", o.serveState)
	mux.HandleFunc("GET /_oktasim/requests", o.serveRequestCounts)
	o.faultRoutes(mux)
	return mux
}

func bucketFor(pattern string) string {
	switch {
	case strings.HasPrefix(pattern, "/api/v1/device-assurances"):
		return bucketDeviceAssurances
	case strings.HasPrefix(pattern, "/api/v1/device-posture-checks"):
		return bucketPostureChecks
	case strings.HasPrefix(pattern, "/api/v1/logs"):
		return bucketLogs
	default:
		return bucketAPI
	}
}

var methodNotAllowed = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	writeError(w, methodNotAllowedError())
})

func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, notFoundError(r.URL.Path, "Servlet"))
}
