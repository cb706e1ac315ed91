package orgclient

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/url"

	"github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
)

// tlsKey identifies TLS settings; orgs with equal keys share a transport
// and so its connection pool.
type tlsKey struct {
	caBundle [sha256.Size]byte // zero for the system roots
	insecure bool
}

func tlsKeyOf(spec *v1alpha1.OktaOrgSpec) tlsKey {
	k := tlsKey{insecure: spec.InsecureSkipTLSVerify}
	if spec.CABundle != "" {
		k.caBundle = sha256.Sum256([]byte(spec.CABundle))
	}
	return k
}

// checkURL repeats the CRD's rule, so that a plain-http org is refused even
// if the CRD in the cluster is older than this binary.
func checkURL(spec *v1alpha1.OktaOrgSpec) error {
	u, err := url.Parse(spec.URL)
	if err != nil || u.Host == "" {
		return configErrorf(ReasonInvalidSpec, "spec.url %q is not an absolute URL", spec.URL)
	}
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && spec.AllowInsecureHTTP:
		return nil
	case u.Scheme == "http":
		return configErrorf(ReasonInvalidSpec, "spec.url uses http; set spec.allowInsecureHTTP to allow it (local simulators only)")
	default:
		return configErrorf(ReasonInvalidSpec, "spec.url scheme %q is not https", u.Scheme)
	}
}

// newHTTPClient returns a client whose transport trusts spec.caBundle only
// (when set), the system roots otherwise, or nothing with
// insecureSkipTLSVerify.
func newHTTPClient(spec *v1alpha1.OktaOrgSpec) (*http.Client, error) {
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if spec.CABundle != "" {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM([]byte(spec.CABundle)) {
			return nil, configErrorf(ReasonInvalidCABundle, "spec.caBundle holds no PEM certificate")
		}
		tlsConfig.RootCAs = pool
	}
	// An explicit opt-in of the spec, documented as for local simulators.
	tlsConfig.InsecureSkipVerify = spec.InsecureSkipTLSVerify
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = tlsConfig
	return &http.Client{Transport: transport}, nil
}
