package oktasim

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

var idPattern = regexp.MustCompile(`^[0-9A-Za-z]{20}$`)

func TestCreateDeviceAssuranceAddsServerFields(t *testing.T) {
	o := newTestOrg(t, Options{})
	r := o.do("POST", "/api/v1/device-assurances", androidDA("Android"))
	mustStatus(t, r, 200) // not 201
	body := r.object()
	id, _ := body["id"].(string)
	if !strings.HasPrefix(id, "dae") || !idPattern.MatchString(id) {
		t.Fatalf("id %q is not a 20-character dae… id", id)
	}
	for key, want := range map[string]any{
		"resourceId": id, "resourceType": "DeviceAssurancePolicyEntity", "displayRemediationMode": "HIDE",
	} {
		if body[key] != want {
			t.Errorf("%s = %v, want %v", key, body[key], want)
		}
	}
	if !reflect.DeepEqual(body["resourceDisplayName"], map[string]any{"value": "Android", "sensitive": false}) {
		t.Errorf("resourceDisplayName = %v", body["resourceDisplayName"])
	}
	for _, key := range []string{"createdDate", "lastUpdate"} {
		if s, _ := body[key].(string); !strings.HasSuffix(s, ".000Z") {
			t.Errorf("%s = %q, want a .000Z timestamp", key, s)
		}
	}
	if by, _ := body["createdBy"].(string); !strings.HasPrefix(by, "00u") || len(by) != 20 {
		t.Errorf("createdBy = %q, want a 00u… user id", by)
	}
	allow := dig(body, "_links", "self", "hints", "allow")
	if !reflect.DeepEqual(allow, []any{"GET", "PUT", "DELETE"}) {
		t.Errorf("hints.allow = %v", allow)
	}
	wantOrder := []string{"name", "platform", "id", "osVersion", "jailbreak", "displayRemediationMode", "createdDate",
		"createdBy", "lastUpdate", "lastUpdatedBy", "resourceType", "resourceDisplayName", "resourceId", "_links"}
	if got := keysInOrder(t, r.raw); !reflect.DeepEqual(got, wantOrder) {
		t.Errorf("key order %v, want %v", got, wantOrder)
	}
}

func TestReplaceDeviceAssurance(t *testing.T) {
	o := newTestOrg(t, Options{})
	created := o.do("POST", "/api/v1/device-assurances", map[string]any{
		"name": "testAcc", "platform": "ANDROID", "osVersion": map[string]any{"minimum": "13"},
		"diskEncryptionType": map[string]any{"include": []any{"FULL", "USER"}},
		"gracePeriod":        map[string]any{"type": "BY_DURATION", "expiry": "P7D"},
	})
	mustStatus(t, created, 200)
	id := created.object()["id"].(string)
	// tfprov-051: the PUT of the terraform test, with P30D and SHOW.
	put := o.do("PUT", "/api/v1/device-assurances/"+id, map[string]any{
		"diskEncryptionType":     map[string]any{"include": []any{"FULL", "USER"}},
		"displayRemediationMode": "SHOW", "gracePeriod": map[string]any{"expiry": "P30D", "type": "BY_DURATION"},
		"jailbreak": false, "name": "testAcc-525995444", "osVersion": map[string]any{"minimum": "13"},
		"platform": "ANDROID", "screenLockType": map[string]any{"include": []any{"BIOMETRIC"}}, "secureHardwarePresent": true,
	})
	mustStatus(t, put, 200)
	body := put.object()
	if _, ok := body["createdDate"]; ok {
		t.Error("PUT response has createdDate; a real org omits it (tfprov-063)")
	}
	if _, ok := body["createdBy"]; ok {
		t.Error("PUT response has createdBy")
	}
	if got := dig(body, "gracePeriod", "expiry"); got != "PT720H" {
		t.Errorf("gracePeriod.expiry = %v, want PT720H", got)
	}
	if got := dig(body, "diskEncryptionType", "include"); !reflect.DeepEqual(got, []any{"USER", "FULL"}) {
		t.Errorf("diskEncryptionType.include = %v, want [USER FULL]", got)
	}
	get := o.do("GET", "/api/v1/device-assurances/"+id, nil)
	mustStatus(t, get, 200)
	if _, ok := get.object()["createdDate"]; !ok {
		t.Error("GET after PUT lacks createdDate")
	}
	if dig(get.object(), "gracePeriod", "expiry") != "PT720H" || get.object()["displayRemediationMode"] != "SHOW" {
		t.Errorf("GET after PUT: %s", get.raw)
	}
	// A PUT that omits gracePeriod removes it (tfprov-053/054).
	put2 := o.do("PUT", "/api/v1/device-assurances/"+id, androidDA("renamed"))
	mustStatus(t, put2, 200)
	if _, ok := put2.object()["gracePeriod"]; ok {
		t.Error("gracePeriod survived a PUT that omitted it")
	}
	if put2.object()["displayRemediationMode"] != "HIDE" {
		t.Errorf("displayRemediationMode = %v after PUT without it", put2.object()["displayRemediationMode"])
	}
}

func TestListDeviceAssurancesIsABareArray(t *testing.T) {
	o := newTestOrg(t, Options{})
	for _, name := range []string{"a", "b"} {
		mustStatus(t, o.do("POST", "/api/v1/device-assurances", androidDA(name)), 200)
	}
	r := o.do("GET", "/api/v1/device-assurances", nil)
	mustStatus(t, r, 200)
	if len(r.array()) != 2 || r.header.Get("Link") != "" {
		t.Errorf("list: %d items, Link %q", len(r.array()), r.header.Get("Link"))
	}
}

func TestDeviceAssuranceNotFoundBodies(t *testing.T) {
	o := newTestOrg(t, Options{})
	tests := []struct {
		method, id, summary string
	}{
		{"GET", "daeq7aawzwxRmCRLe1d7", "Not found: Resource not found: daeq7aawzwxRmCRLe1d7 (DeviceAssuranceRuleManagerImpl)"},
		{"DELETE", "fake-device-assurance-policy-id", "Not found: Resource not found: fake-device-assurance-policy-id (DeviceAssuranceEntity)"},
	}
	for _, tc := range tests {
		t.Run(tc.method, func(t *testing.T) {
			r := o.do(tc.method, "/api/v1/device-assurances/"+tc.id, nil)
			assertError(t, r, 404, "E0000007", tc.summary)
			if got := keysInOrder(t, r.raw); !reflect.DeepEqual(got, []string{"errorCode", "errorSummary", "errorLink", "errorId", "errorCauses"}) {
				t.Errorf("error keys %v", got)
			}
		})
	}
}

func TestDeviceAssuranceValidation(t *testing.T) {
	o := newTestOrg(t, Options{})
	tests := []struct {
		name    string
		body    any
		code    string
		summary string
	}{
		{"chromeos without a condition (pysdk-004)", map[string]any{"name": "Test ChromeOS", "platform": "CHROMEOS"},
			"E0000001", "Api validation failed: deviceAssuranceMediated"},
		{"property the platform lacks", map[string]any{"name": "x", "platform": "IOS", "osVersion": map[string]any{"minimum": "17"},
			"secureHardwarePresent": true}, "E0000001", "Api validation failed: secureHardwarePresent"},
		{"minimum and dynamic together", map[string]any{"name": "x", "platform": "MACOS", "osVersion": map[string]any{"minimum": "14",
			"dynamicVersionRequirement": map[string]any{"type": "EXACT_ANY_SUPPORTED"}}}, "E0000001", "Api validation failed: osVersion"},
		{"malformed JSON", `{"name": `, "E0000003", "The request body was not well-formed."},
		{"not an object", `[1,2]`, "E0000003", "The request body was not well-formed."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertError(t, o.do("POST", "/api/v1/device-assurances", tc.body), 400, tc.code, tc.summary)
		})
	}
	r := o.do("POST", "/api/v1/device-assurances", map[string]any{"name": "Test ChromeOS", "platform": "CHROMEOS"})
	causes := r.object()["errorCauses"].([]any)
	if len(causes) != 1 || !reflect.DeepEqual(causes[0], map[string]any{"errorSummary": "Please select at least one device condition before saving"}) {
		t.Errorf("errorCauses = %v", causes)
	}
}

func TestDeleteDeviceAssuranceInUseIs409(t *testing.T) {
	o := newTestOrg(t, Options{})
	da := o.do("POST", "/api/v1/device-assurances", androidDA("used"))
	daID := da.object()["id"].(string)
	rule := simpleRule("uses DA", 0)
	rule["conditions"] = map[string]any{"device": map[string]any{"registered": true, "managed": false,
		"assurance": map[string]any{"include": []any{daID}}}}
	policyID := o.firstPolicyID()
	created := o.do("POST", "/api/v1/policies/"+policyID+"/rules", rule)
	mustStatus(t, created, 200)

	r := o.do("DELETE", "/api/v1/device-assurances/"+daID, nil)
	assertError(t, r, 409, "", "Device assurance is in use and cannot be deleted.")
	if got := keysInOrder(t, r.raw); !reflect.DeepEqual(got, []string{"errorSummary", "errorId", "errorCauses"}) {
		t.Errorf("in-use body keys %v, want the spec example's (no errorCode)", got)
	}
	mustStatus(t, o.do("DELETE", "/api/v1/policies/"+policyID+"/rules/"+created.object()["id"].(string), nil), 204)
	del := o.do("DELETE", "/api/v1/device-assurances/"+daID, nil)
	mustStatus(t, del, 204)
	if len(del.raw) != 0 || del.header.Get("Content-Type") != "" {
		t.Errorf("204 has a body %q or Content-Type %q", del.raw, del.header.Get("Content-Type"))
	}
}

func TestUnsupportedMethodIs405(t *testing.T) {
	o := newTestOrg(t, Options{})
	assertError(t, o.do("PATCH", "/api/v1/device-assurances", nil), 405, "E0000022", "")
	assertError(t, o.do("POST", "/api/v1/device-assurances/daeq7aawzwxRmCRLe1d7", nil), 405, "E0000022", "")
}
