package oktasim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// TestGuideCurls sends every request of
// Okta's guide "Configure a device assurance policy", with the access token and the
// scopes the guide asks for ("What you need").
func TestGuideCurls(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	o := newTestOrg(t, Options{OAuthClients: []OAuthClient{{ClientID: "0oaguide",
		PublicKeys: []jose.JSONWebKey{NewPublicKey(&key.PublicKey, "")}, Scopes: []string{scopeDAManage, scopePolicyManage, scopeLogsRead}}}})
	ans := o.requestToken(t, signAssertion(t, key, jose.ES256, "0oaguide", o.srv.URL+"/oauth2/v1/token", time.Now().Add(time.Minute)),
		"okta.deviceAssurance.manage okta.policies.manage okta.logs.read", "")
	bearer := "Bearer " + ans.body["access_token"].(string)

	// "Example POST request"
	created := o.doAuth("POST", "/api/v1/device-assurances", `{
"name": "Device assurance iOS",
"osVersion": {
"dynamicVersionRequirement": {
"type": "EXACT_ANY_SUPPORTED",
"latestSecurityPatch": true
}
},
"jailbreak": false,
"platform": "IOS"
}`, bearer, nil)
	mustStatus(t, created, 200)
	daID := created.object()["id"].(string)

	// "Example PUT request"
	replaced := o.doAuth("PUT", "/api/v1/device-assurances/"+daID, `{
"name": "Device assurance iOS",
"osVersion": {
"dynamicVersionRequirement": {
"type": "EXACT_ANY_SUPPORTED",
"latestSecurityPatch": true
}
},
"jailbreak": false,
"platform": "IOS",
"gracePeriod": {
"type": "BY_DURATION",
"expiry": "P30D"
},
"displayRemediationMode": "SHOW"
}`, bearer, nil)
	mustStatus(t, replaced, 200)
	if dig(replaced.object(), "gracePeriod", "expiry") != "PT720H" || replaced.object()["displayRemediationMode"] != "SHOW" {
		t.Errorf("PUT answer %s", replaced.raw)
	}

	// "Example PUT rule request": the guide replaces an existing rule, so
	// one is created first.
	policyID := o.firstPolicyID()
	rule := o.doAuth("POST", "/api/v1/policies/"+policyID+"/rules", simpleRule("existing", 0), bearer, nil)
	mustStatus(t, rule, 200)
	ruleID := rule.object()["id"].(string)
	putRule := o.doAuth("PUT", "/api/v1/policies/"+policyID+"/rules/"+ruleID, `{
"name": "Device Assurance Rule",
"type": "ACCESS_POLICY",
"priority": 1,
"conditions": {
"device": {
"managed": true,
"registered": true,
"assurance": {
"include": ["`+daID+`"]
}
}
},
"actions": {
"appSignOn": {
"access": "ALLOW",
"verificationMethod": {
"factorMode": "2FA",
"type": "ASSURANCE",
"reauthenticateIn": "PT2H",
"constraints": [
{
"knowledge": {
"types": ["password"]
}
}
]
}
}
}
}`, bearer, nil)
	mustStatus(t, putRule, 200)
	if ids := dig(putRule.object(), "conditions", "device", "assurance", "include"); len(ids.([]any)) != 1 {
		t.Errorf("rule PUT answer %s", putRule.raw)
	}

	// "Example GET request" of the System Log, with the guide's event_type.
	logs := o.doAuth("GET", o.srv.URL+"/api/v1/logs?filter=event_type+eq+%22device.assurance.policy.add%22", nil, bearer, nil)
	mustStatus(t, logs, 200)
	if got := eventTypes(logs); len(got) != 1 || got[0] != "device.assurance.policy.add" {
		t.Errorf("logs %v", got)
	}
	if dig(logs.array()[0], "actor", "id") != "0oaguide" {
		t.Errorf("actor %v", dig(logs.array()[0], "actor"))
	}
}
