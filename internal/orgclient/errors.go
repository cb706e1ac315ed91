package orgclient

import (
	"errors"
	"fmt"
)

// Reasons of a NotReadyError besides the ConfigError reasons.
const (
	// ReasonOrgNotFound: the OktaOrg or ClusterOktaOrg does not exist.
	ReasonOrgNotFound = "OrgNotFound"
	// ReasonOrgNotReady: the org exists but its Ready condition is not True
	// for its current generation.
	ReasonOrgNotReady = "OrgNotReady"
	// ReasonNamespaceNotSelected: the ClusterOktaOrg's namespaceSelector
	// does not select the requesting namespace.
	ReasonNamespaceNotSelected = "NamespaceNotSelected"
)

// Reasons of a ConfigError. Each is fixed only by changing the org's spec or
// its Secret, or, for SecretForbidden, by granting the operator access to
// the Secret.
const (
	ReasonSecretNotFound = "SecretNotFound"
	// ReasonSecretForbidden: the operator may not read the Secret; for an
	// OktaOrg, its namespace has no RoleBinding of SecretReaderClusterRole
	// to the operator.
	ReasonSecretForbidden   = "SecretForbidden"
	ReasonSecretKeyMissing  = "SecretKeyMissing"
	ReasonInvalidPrivateKey = "InvalidPrivateKey"
	ReasonInvalidCABundle   = "InvalidCABundle"
	ReasonInvalidSpec       = "InvalidSpec"
)

// NotReadyError tells a controller that the org an object refers to cannot
// be used yet. The controller reports it and waits; the org's own status
// says more.
type NotReadyError struct {
	// Kind and Name identify the org (an OktaOrg is in the object's namespace).
	Kind, Name string
	// Reason is a CamelCase reason, e.g. OrgNotFound or SecretNotFound.
	Reason string
	// Message explains it; it never contains a credential.
	Message string
}

// Error describes which org is not ready and why.
func (e *NotReadyError) Error() string {
	return fmt.Sprintf("%s %q is not ready (%s): %s", e.Kind, e.Name, e.Reason, e.Message)
}

// IsNamespaceNotSelected reports whether err says that a ClusterOktaOrg
// does not serve the requesting namespace (its namespaceSelector does not
// select it).
func IsNamespaceNotSelected(err error) bool {
	var nr *NotReadyError
	return errors.As(err, &nr) && nr.Reason == ReasonNamespaceNotSelected
}

// IsNotReady reports whether err is, or wraps, a *NotReadyError.
func IsNotReady(err error) bool {
	var nr *NotReadyError
	return errors.As(err, &nr)
}

// ConfigError is a problem with an org's spec or Secret that only a change
// to one of them (or to the operator's access to the Secret) can fix: a
// missing or unreadable Secret or key, an unparsable private key or CA
// bundle. Its message names the Secret and key, never their content.
type ConfigError struct {
	// Reason is one of the Reason* constants of this package.
	Reason string
	// Message names the Secret, key or field at fault.
	Message string
}

// Error returns the message.
func (e *ConfigError) Error() string { return e.Message }

// AsConfigError returns the *ConfigError in err's chain, if any.
func AsConfigError(err error) (*ConfigError, bool) {
	var ce *ConfigError
	ok := errors.As(err, &ce)
	return ce, ok
}

// IsSecretReason reports whether a ConfigError reason is about the org's
// Secret (fixed by a change to the Secret or to the access to it) rather
// than its spec.
func IsSecretReason(reason string) bool {
	switch reason {
	case ReasonSecretNotFound, ReasonSecretForbidden, ReasonSecretKeyMissing, ReasonInvalidPrivateKey:
		return true
	default:
		return false
	}
}

func configErrorf(reason, format string, args ...any) *ConfigError {
	return &ConfigError{Reason: reason, Message: fmt.Sprintf(format, args...)}
}
