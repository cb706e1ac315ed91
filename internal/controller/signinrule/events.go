package signinrule

import (
	"errors"
	"strings"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// event records a failed Okta call as a Warning. The message is the Okta
// error, which carries errorCode, errorId and X-Okta-Request-Id and never a
// credential.
func (r *Reconciler) event(obj *assurancev1alpha1.SignInRuleBinding, reason, action string, err error) {
	note := err.Error()
	var apiErr *okta.APIError
	if errors.As(err, &apiErr) && apiErr.RequestID != "" && !strings.Contains(note, apiErr.RequestID) {
		note += " [requestId " + apiErr.RequestID + "]"
	}
	r.Recorder.Eventf(obj, nil, "Warning", reason, action, "%s", note)
}

// requestRef names the Okta request of a write, for looking it up in Okta.
func requestRef(id string) string {
	if id == "" {
		return ""
	}
	return " [requestId " + id + "]"
}
