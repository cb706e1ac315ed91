package okta

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/oktasim"
)

// grantingOrg is a token endpoint that issues a token only for scopes
// granted to the app, as Okta does, and an API that answers every call.
type grantingOrg struct {
	granted []string
	// describe is the error_description of an invalid_scope for the
	// first refused scope.
	describe func(refused string) string
	// omitScope leaves "scope" out of the token response.
	omitScope bool

	mu    sync.Mutex
	asked []string // the scope parameter of each token request
}

func (o *grantingOrg) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != tokenPath {
		writeJSON(w, http.StatusOK, []any{})
		return
	}
	_ = r.ParseForm()
	scope := r.PostForm.Get("scope")
	o.mu.Lock()
	o.asked = append(o.asked, scope)
	granted := o.granted
	o.mu.Unlock()
	for _, s := range strings.Fields(scope) {
		if !slices.Contains(granted, s) {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_scope", "error_description": o.describe(s)})
			return
		}
	}
	body := map[string]any{"token_type": "Bearer", "expires_in": 3600, "access_token": testAccessToken}
	if !o.omitScope {
		body["scope"] = scope
	}
	writeJSON(w, http.StatusOK, body)
}

func (o *grantingOrg) requests() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.asked)
}

func notGranted(scope string) string {
	return "The following scopes are not granted to the client: " + scope
}

func newGrantingClient(t *testing.T, org *grantingOrg, scopes []string) *Client {
	t.Helper()
	srv := httptest.NewServer(org)
	t.Cleanup(srv.Close)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	c, err := New(Config{OrgURL: srv.URL, HTTPClient: srv.Client(), Clock: newFakeClock(),
		Credentials: PrivateKeyJWT{ClientID: testClientID, PrivateKey: key, Scopes: scopes}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var withoutPostureChecks = []string{ScopeDeviceAssuranceManage, ScopePoliciesManage, ScopeLogsRead}

func TestDefaultScopesLeaveOutTheRefusedOnes(t *testing.T) {
	all := strings.Join(DefaultScopes, " ")
	rest := strings.Join(withoutPostureChecks, " ")
	// RequiredScope alone, then each other scope with it, then the granted
	// ones together.
	probed := []string{
		all, ScopeDeviceAssuranceManage,
		ScopeDeviceAssuranceManage + " " + ScopePoliciesManage,
		ScopeDeviceAssuranceManage + " " + ScopeDevicePostureChecksManage,
		ScopeDeviceAssuranceManage + " " + ScopeLogsRead,
		rest,
	}
	tests := []struct {
		name     string
		describe func(string) string
		asked    []string
	}{
		{"the refusal names the scope", notGranted, []string{all, rest}},
		{"the refusal names no scope", func(string) string { return "Invalid scope." }, probed},
		// A description that echoes the request names every scope: it says
		// nothing of which one was refused, and the required one was granted.
		{"the refusal echoes every scope asked", func(string) string { return "Invalid scope requested: " + all }, probed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org := &grantingOrg{granted: withoutPostureChecks, describe: tt.describe}
			c := newGrantingClient(t, org, nil)
			if _, err := c.ListDeviceAssurances(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := org.requests(); !slices.Equal(got, tt.asked) {
				t.Errorf("token requests asked for\n%q\nwant\n%q", got, tt.asked)
			}
			g, ok := c.Grants()
			if !ok || !slices.Equal(g.Granted, withoutPostureChecks) || !slices.Equal(g.Refused, []string{ScopeDevicePostureChecksManage}) || g.Explicit {
				t.Errorf("grants %+v (%v)", g, ok)
			}
		})
	}
}

func TestRefusedScopesAreRememberedUntilRelearned(t *testing.T) {
	org := &grantingOrg{granted: withoutPostureChecks, describe: notGranted}
	c := newGrantingClient(t, org, nil)
	ctx := context.Background()
	if _, err := c.ListDeviceAssurances(ctx); err != nil {
		t.Fatal(err)
	}
	c.auth.(tokenInvalidator).invalidate() // as after a 401: the next call needs a new token
	if _, err := c.ListDeviceAssurances(ctx); err != nil {
		t.Fatal(err)
	}
	rest := strings.Join(withoutPostureChecks, " ")
	if got := org.requests(); len(got) != 3 || got[2] != rest {
		t.Fatalf("a new token must ask only for the granted scopes: %q", got)
	}

	org.mu.Lock()
	org.granted = DefaultScopes // an admin grants the missing scope
	org.mu.Unlock()
	c.RelearnScopes()
	if _, err := c.ListDeviceAssurances(ctx); err != nil {
		t.Fatal(err)
	}
	if got := org.requests(); len(got) != 4 || got[3] != strings.Join(DefaultScopes, " ") {
		t.Fatalf("after RelearnScopes the next token asks for every default scope: %q", got)
	}
	if g, _ := c.Grants(); !slices.Equal(g.Granted, DefaultScopes) || len(g.Refused) != 0 {
		t.Errorf("grants %+v", g)
	}
	c.RelearnScopes() // nothing was left out: the token is kept
	if _, err := c.ListDeviceAssurances(ctx); err != nil {
		t.Fatal(err)
	}
	if got := org.requests(); len(got) != 4 {
		t.Errorf("RelearnScopes with every scope granted cost a token request: %q", got)
	}
}

func TestTheRequiredScopeIsNeverLeftOut(t *testing.T) {
	for name, describe := range map[string]func(string) string{
		"named":   notGranted,
		"unnamed": func(string) string { return "Invalid scope." },
	} {
		t.Run(name, func(t *testing.T) {
			org := &grantingOrg{granted: []string{ScopePoliciesManage, ScopeLogsRead}, describe: describe}
			c := newGrantingClient(t, org, nil)
			_, err := c.ListDeviceAssurances(context.Background())
			if Class(err) != ClassForbidden || MissingScope(err) != ScopeDeviceAssuranceManage {
				t.Fatalf("got %v (class %v, missing scope %q)", err, Class(err), MissingScope(err))
			}
			if _, ok := c.Grants(); ok {
				t.Error("no token, nothing learned")
			}
		})
	}
}

func TestExplicitScopesAreRequestedAsTheyAre(t *testing.T) {
	org := &grantingOrg{granted: withoutPostureChecks, describe: notGranted}
	explicit := []string{ScopeDeviceAssuranceManage, ScopeDevicePostureChecksManage}
	c := newGrantingClient(t, org, explicit)
	_, err := c.ListDeviceAssurances(context.Background())
	if Class(err) != ClassForbidden || MissingScope(err) != ScopeDevicePostureChecksManage {
		t.Fatalf("got %v (missing scope %q)", err, MissingScope(err))
	}
	if got := org.requests(); len(got) != 1 {
		t.Errorf("explicit scopes were retried: %q", got)
	}

	org.mu.Lock()
	org.granted = DefaultScopes
	org.mu.Unlock()
	c = newGrantingClient(t, org, explicit)
	if _, err := c.ListDeviceAssurances(context.Background()); err != nil {
		t.Fatal(err)
	}
	if g, ok := c.Grants(); !ok || !g.Explicit || !slices.Equal(g.Granted, explicit) || len(g.Refused) != 0 {
		t.Errorf("grants %+v", g)
	}
}

func TestGrantedScopesComeFromTheTokenResponse(t *testing.T) {
	org := &grantingOrg{granted: DefaultScopes, omitScope: true}
	c := newGrantingClient(t, org, nil)
	if _, err := c.ListDeviceAssurances(context.Background()); err != nil {
		t.Fatal(err)
	}
	if g, _ := c.Grants(); !slices.Equal(g.Granted, DefaultScopes) {
		t.Errorf("without a scope in the response the requested scopes count: %+v", g)
	}
	if _, ok := newGrantingClient(t, org, nil).Grants(); ok {
		t.Error("grants known before any token")
	}
	if _, ok := (&Client{auth: apiToken{}}).Grants(); ok {
		t.Error("an API token has no OAuth scopes")
	}
}

// The simulator's app lacks one default scope: the client leaves it out
// and works with the others.
func TestDefaultScopesAgainstTheSimulator(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	sim := httptest.NewServer(oktasim.New(oktasim.Options{OAuthClients: []oktasim.OAuthClient{{
		ClientID: testClientID, PublicKeys: []jose.JSONWebKey{oktasim.NewPublicKey(&key.PublicKey, "")},
		Scopes: []string{ScopeDeviceAssuranceManage, ScopePoliciesManage},
	}}}))
	t.Cleanup(sim.Close)
	c, err := New(Config{OrgURL: sim.URL, HTTPClient: specChecked(t, sim.Client()),
		Credentials: PrivateKeyJWT{ClientID: testClientID, PrivateKey: key}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.ListPolicies(ctx, PolicyListOptions{Type: "ACCESS_POLICY"}); err != nil {
		t.Fatal(err)
	}
	g, _ := c.Grants()
	if !slices.Equal(g.Granted, []string{ScopeDeviceAssuranceManage, ScopePoliciesManage}) ||
		!slices.Equal(g.Refused, []string{ScopeDevicePostureChecksManage, ScopeLogsRead}) {
		t.Errorf("grants %+v", g)
	}
	_, err = c.ListPostureChecks(ctx)
	if MissingScope(err) != "okta.devicePostureChecks.read" || IsAdminRoleDenied(err) {
		t.Errorf("a call without its scope: %v (missing %q)", err, MissingScope(err))
	}
}

func TestAdminRoleDenialsAreRecorded(t *testing.T) {
	denied := `{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action","errorId":"oae1"}`
	c, _, clock := newTestClient(t,
		status(http.StatusForbidden, denied),
		cannedResponse{status: http.StatusForbidden, body: denied, header: map[string]string{
			"WWW-Authenticate": `Bearer authorization_uri="https://o.okta.com/oauth2/v1/authorize", realm="https://o.okta.com", scope="okta.logs.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/logs"`,
		}},
		ok(`[]`))
	ctx := context.Background()
	_, err := c.CreatePostureCheck(ctx, PostureCheck{Name: "n", VariableName: "v", Platform: "MACOS", MappingType: "CHECKBOX", Query: "SELECT 1;"})
	if !IsAdminRoleDenied(err) || MissingScope(err) != "" {
		t.Fatalf("403 E0000006 without a scope challenge: %v", err)
	}
	_, err = c.ListLogEvents(ctx, LogQuery{})
	if IsAdminRoleDenied(err) || MissingScope(err) != ScopeLogsRead || !strings.Contains(err.Error(), "lacks the scope okta.logs.read") {
		t.Fatalf("403 insufficient_scope: %v", err)
	}
	got := c.AccessDenials()
	if len(got) != 1 || got[0].Method != http.MethodPost || got[0].Path != "/api/v1/device-posture-checks" || got[0].Bucket != BucketDevicePostureCheck {
		t.Fatalf("denials %+v", got)
	}
	if _, err := c.ListPostureChecks(ctx); err != nil {
		t.Fatal(err)
	}
	if len(c.AccessDenials()) != 1 {
		t.Error("a GET that works says nothing of the refused POST")
	}
	_ = clock.Sleep(ctx, AccessDenialMaxAge+time.Second)
	if got := c.AccessDenials(); len(got) != 0 {
		t.Errorf("a refusal not seen again for %v is still reported: %+v", AccessDenialMaxAge, got)
	}
}
