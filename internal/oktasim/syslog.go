package oktasim

import (
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"net/http"
	"time"
)

// logEvent is one System Log event (docs/okta-api-behaviour.md §4.3). body is
// the JSON object served by /api/v1/logs; seq is the persistence order used by
// cursors.
type logEvent struct {
	seq       int
	published time.Time
	body      map[string]any
}

type requestIDKey struct{}

// withRequestID stores the X-Okta-Request-Id of a request, which is also
// the transaction id of the events it causes.
func withRequestID(r *http.Request, id string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
}

func requestID(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey{}).(string)
	return id
}

// recordEvent appends an event caused by request r of principal p.
// Callers hold o.mu.
func (o *Org) recordEvent(r *http.Request, p *principal, eventType, message string, targets []any) {
	now := o.clock()
	transaction := map[string]any{"type": "WEB", "id": requestID(r), "detail": map[string]any{}}
	if p.apiTokenID != "" {
		// Lets an operator find its own changes
		// (docs/okta-api-behaviour.md §4.3).
		transaction["detail"] = map[string]any{"requestApiTokenId": p.apiTokenID}
	}
	body := map[string]any{
		"uuid":            newUUID(),
		"published":       formatOktaTime(now),
		"eventType":       eventType,
		"version":         "0",
		"severity":        "INFO",
		"legacyEventType": nil,
		"displayMessage":  message,
		"actor": map[string]any{"id": p.actorID, "type": p.actorType, "alternateId": p.alternateID,
			"displayName": p.displayName, "detailEntry": nil},
		"client": map[string]any{"userAgent": map[string]any{"rawUserAgent": r.UserAgent(), "os": "Unknown", "browser": "UNKNOWN"},
			"zone": nil, "device": "Unknown", "id": nil, "ipAddress": clientIP(r)},
		"outcome":     map[string]any{"result": "SUCCESS", "reason": nil},
		"target":      targets,
		"transaction": transaction,
		"debugContext": map[string]any{"debugData": map[string]any{
			"requestId": requestID(r), "requestUri": r.URL.Path, "url": r.URL.RequestURI()}},
		"request": map[string]any{"ipChain": []any{map[string]any{"ip": clientIP(r)}}},
		// API calls carry no sign-in context; the keys are those of the
		// documented event (examples/spec-099), with nulls.
		"authenticationContext": map[string]any{"authenticationProvider": nil, "credentialProvider": nil,
			"credentialType": nil, "issuer": nil, "interface": nil, "authenticationStep": 0, "externalSessionId": "unknown"},
		"securityContext": map[string]any{"asNumber": nil, "asOrg": nil, "isp": nil, "domain": nil, "isProxy": nil},
	}
	o.events = append(o.events, &logEvent{seq: len(o.events) + 1, published: now, body: body})
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// newUUID returns a random RFC 4122 version 4 UUID, the shape of log event uuids.
func newUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("oktasim: crypto/rand failed: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// daTarget is the device assurance target of device.assurance.policy.*
// events, with the DeviceAssuranceResourceDetails detailEntry
// (docs/okta-api-behaviour.md §4.4). The catalog does not give the literal
// target type; the resourceType of every real DA response,
// DeviceAssurancePolicyEntity, is used (docs/okta-api-behaviour.md, "System
// Log: nothing recorded").
func daTarget(d *deviceAssurance, changes map[string]any) map[string]any {
	t := map[string]any{
		"id": d.id, "type": "DeviceAssurancePolicyEntity", "alternateId": d.name(), "displayName": d.name(),
		"detailEntry": map[string]any{"policyName": d.name(), "policyPlatform": d.platform()},
	}
	if changes != nil {
		t["changeDetails"] = changes
	}
	return t
}

// daChangeDetails lists the top-level fields an update changed, as
// DeviceAssuranceChangeDetailsEntry {from, to}
// (docs/okta-api-behaviour.md §4.4). osVersion is written as its minimum
// version string, as the catalog's example does.
func daChangeDetails(before, after map[string]any) map[string]any {
	from, to := map[string]any{}, map[string]any{}
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	for k := range keys {
		if k == "platform" || jsonEqual(before[k], after[k]) {
			continue
		}
		if v, ok := before[k]; ok {
			from[k] = changeValue(k, v)
		}
		if v, ok := after[k]; ok {
			to[k] = changeValue(k, v)
		}
	}
	return map[string]any{"from": from, "to": to}
}

func changeValue(key string, v any) any {
	if key == "osVersion" {
		if m, ok := v.(map[string]any); ok {
			if minimum, ok := m["minimum"].(string); ok {
				return minimum
			}
		}
	}
	return deepCopy(v)
}

// ruleTargets are the targets of policy.rule.* events: the rule and its
// policy with PolicyResourceDetails (docs/okta-api-behaviour.md §4.4). Rule
// events carry no changeDetails (docs/okta-api-behaviour.md §3.5).
func ruleTargets(pol *accessPolicy, rule *policyRule) []any {
	return []any{
		map[string]any{"id": rule.id, "type": "PolicyRule", "alternateId": "unknown", "displayName": rule.name,
			"detailEntry": map[string]any{"policyRuleFactorMode": factorMode(rule.actions)}},
		map[string]any{"id": pol.id, "type": "PolicyEntity", "alternateId": "unknown", "displayName": pol.name,
			"detailEntry": map[string]any{"policyType": "ACCESS_POLICY"}},
	}
}

func factorMode(actions map[string]any) any {
	appSignOn, _ := objectAt(actions, "appSignOn")
	vm, _ := objectAt(appSignOn, "verificationMethod")
	return vm["factorMode"]
}
