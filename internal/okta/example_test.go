package okta_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/okta"
)

// A client for an OAuth 2.0 service app; the key comes from a Secret.
func ExampleNew() {
	key, err := okta.ParsePrivateKeyPEM([]byte(os.Getenv("OKTA_PRIVATE_KEY")))
	if err != nil {
		return
	}
	client, err := okta.New(okta.Config{
		OrgURL:         "https://example.okta.com",
		Credentials:    okta.PrivateKeyJWT{ClientID: "0oa…", KeyID: "kid", PrivateKey: key},
		RequestTimeout: 20 * time.Second,
	})
	if err != nil {
		return
	}
	var _ okta.API = client // what the controllers depend on
}

// Controllers switch on the error class instead of parsing messages.
func ExampleClass() {
	var api okta.DeviceAssuranceAPI // e.g. an *okta.Client
	if api == nil {
		return
	}
	err := api.DeleteDeviceAssurance(context.Background(), "dae…")
	switch okta.Class(err) {
	case okta.ClassNotFound:
		// Already gone: done.
	case okta.ClassConflict:
		// Still used by a rule: remove it from the rules first.
	case okta.ClassRateLimited, okta.ClassTransient, okta.ClassLocked:
		// Requeue; a *okta.RateLimitError says when the bucket resets.
	case okta.ClassInvalid, okta.ClassUnauthorized, okta.ClassForbidden, okta.ClassFeatureNotEnabled, okta.ClassUnknown:
		fmt.Println(err)
	}
}

// Polling the System Log for device assurance changes.
func ExampleNewLogPoller() {
	var client okta.SystemLogAPI // e.g. an *okta.Client
	if client == nil {
		return
	}
	poller := okta.NewLogPoller(client, okta.LogQuery{
		Since:  time.Now().Add(-time.Hour),
		Filter: `eventType sw "device.assurance.policy"`,
	})
	events, err := poller.Poll(context.Background())
	if err != nil {
		return
	}
	for _, e := range events {
		fmt.Println(e.EventType, e.Target[0].ID)
	}
	_ = poller.Cursor() // persist to resume after a restart
}
