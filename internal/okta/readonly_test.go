package okta

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// Whatever method of API is called through ReadOnly, the org receives
// GETs only: every other call fails with ErrWriteRefused before a request
// is sent. The methods are enumerated, so a method added to API is
// covered without a change here.
func TestReadOnlySendsNothingButGets(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	org := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.Method != http.MethodGet {
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(`{}`))
			return
		}
		_, _ = w.Write([]byte(`[]`))
	}))
	defer org.Close()
	client, err := New(Config{OrgURL: org.URL, Credentials: APIToken("token"), HTTPClient: org.Client()})
	if err != nil {
		t.Fatal(err)
	}
	api := reflect.ValueOf(ReadOnly(client))
	apiType := reflect.TypeOf((*API)(nil)).Elem()
	ctx := context.Background()
	refused := 0
	for i := range apiType.NumMethod() {
		name := apiType.Method(i).Name
		method := api.MethodByName(name)
		args := make([]reflect.Value, method.Type().NumIn())
		for j := range args {
			in := method.Type().In(j)
			switch {
			case in == reflect.TypeOf((*context.Context)(nil)).Elem():
				args[j] = reflect.ValueOf(ctx)
			case in.Kind() == reflect.String:
				args[j] = reflect.ValueOf("x1").Convert(in)
			default:
				args[j] = reflect.Zero(in)
			}
		}
		var out []reflect.Value
		func() {
			defer func() { _ = recover() }() // a read given zero arguments may give up; only what is sent matters
			out = method.Call(args)
		}()
		if len(out) > 0 {
			if err, ok := out[len(out)-1].Interface().(error); ok && errors.Is(err, ErrWriteRefused) {
				refused++
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, request := range seen {
		if !strings.HasPrefix(request, "GET ") {
			t.Errorf("the org received %s", request)
		}
	}
	// Create, replace and delete of policies and checks, and of rules with
	// their activation and deactivation.
	if refused != 11 {
		t.Errorf("%d calls were refused, want the 11 writes of API", refused)
	}
	if len(seen) == 0 {
		t.Error("no read reached the org")
	}
}

func TestReadOnlyRefusesWithTheCall(t *testing.T) {
	_, err := ReadOnly(nil).ReplacePolicyRule(context.Background(), "rst1", "rul1", PolicyRule{})
	if !errors.Is(err, ErrWriteRefused) || err.Error() != "replace a rule: "+ErrWriteRefused.Error() {
		t.Errorf("err = %v", err)
	}
}
