package oktaorg

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"syscall"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/orgclient"
)

// transportMessage says why the org could not be reached. For a host in
// Okta's own domains it is the error as it is. For any other host (a
// custom domain, a local simulator) it is only the kind of failure: a raw
// transport error names addresses and ports, and a status condition that
// echoes it would let whoever can create an org object probe what the
// operator can reach.
func transportMessage(err error, orgURL string) string {
	u, parseErr := url.Parse(orgURL)
	if parseErr == nil && orgclient.IsOktaHost(u.Hostname()) {
		return err.Error()
	}
	return "could not reach " + orgURL + ": " + transportFailure(err)
}

// transportFailure names the kind of a transport failure, without
// addresses.
func transportFailure(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostnameErr x509.HostnameError
	var apiErr *okta.APIError
	var netErr net.Error
	switch {
	case errors.As(err, &apiErr):
		return fmt.Sprintf("it answered HTTP %d", apiErr.StatusCode)
	case errors.As(err, &dnsErr):
		return "the host name does not resolve"
	case errors.As(err, &certErr), errors.As(err, &unknownAuthority), errors.As(err, &hostnameErr):
		return "its TLS certificate is not trusted"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the connection was refused"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "it did not answer in time"
	default:
		return "the connection failed"
	}
}
