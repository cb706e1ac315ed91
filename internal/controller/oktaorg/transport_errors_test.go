package oktaorg

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

func TestTransportMessageNamesOnlyTheKindOfFailureForHostsThatAreNotOkta(t *testing.T) {
	refused := &okta.TransportError{Method: "GET", Path: "/api/v1/device-assurances",
		Err: &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.ParseIP("10.96.0.1"), Port: 6443}, Err: syscall.ECONNREFUSED}}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"refused", refused, "the connection was refused"},
		{"no such host", &okta.TransportError{Err: &net.DNSError{Err: "no such host", Name: "vault.internal", IsNotFound: true}}, "the host name does not resolve"},
		{"timeout", fmt.Errorf("probe: %w", context.DeadlineExceeded), "it did not answer in time"},
		{"an HTTP answer", &okta.APIError{Class: okta.ClassTransient, StatusCode: 502, Method: "GET", Path: "/api/v1/device-assurances"}, "it answered HTTP 502"},
		{"anything else", errors.New("EOF from 10.0.0.7:22"), "the connection failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := transportMessage(tt.err, "https://login.example.com")
			if got != "could not reach https://login.example.com: "+tt.want {
				t.Errorf("message = %q, want the kind of failure %q", got, tt.want)
			}
			for _, leak := range []string{"10.96.0.1", "6443", "vault.internal", "10.0.0.7"} {
				if strings.Contains(got, leak) {
					t.Errorf("message %q echoes %s", got, leak)
				}
			}
		})
	}
	if got := transportMessage(refused, "https://acme.okta.com"); !strings.Contains(got, "10.96.0.1") {
		t.Errorf("an Okta host's error is shown as it is: %q", got)
	}
}
