package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/okta-assurance-operator/okta-assurance-operator/internal/localenv"
)

// demoPollInterval is the System Log poll interval of the demo's manager:
// short, so that the console edit below is reverted while you watch.
const demoPollInterval = 5 * time.Second

// consoleEdit plays an admin who changes the guide's iOS policy in the Okta
// console, then shows the System Log watcher noticing it and the operator
// writing the spec back.
func consoleEdit(ctx context.Context, env *localenv.Env) error {
	const ref = "deviceassurancepolicy/device-assurance-ios"
	heading("An admin edits the iOS policy in the Okta console (PUT /api/v1/device-assurances/{id} as the admin)")
	id, err := env.Kubectl(ctx, "", "get", ref, "-o", "jsonpath={.status.id}")
	if err != nil {
		return err
	}
	path := "/api/v1/device-assurances/" + strings.TrimSpace(id)
	raw, err := oktaGet(ctx, env, path)
	if err != nil {
		return err
	}
	var policy map[string]any
	if err := json.Unmarshal(raw, &policy); err != nil {
		return err
	}
	before := policy["jailbreak"]
	policy["jailbreak"] = true
	for _, readOnly := range []string{"id", "_links", "createdDate", "createdBy", "lastUpdate", "lastUpdatedBy"} {
		delete(policy, readOnly)
	}
	edited := time.Now()
	if err := oktaPut(ctx, env, path, policy); err != nil {
		return err
	}
	fmt.Printf("jailbreak: %v -> true\n", before)
	for {
		raw, err := oktaGet(ctx, env, path)
		if err != nil {
			return err
		}
		var now map[string]any
		if err := json.Unmarshal(raw, &now); err != nil {
			return err
		}
		if now["jailbreak"] == before {
			fmt.Printf("reverted to jailbreak: %v %s after the edit (System Log poll interval %s)\n",
				before, time.Since(edited).Round(100*time.Millisecond), demoPollInterval)
			break
		}
		if time.Since(edited) > 2*time.Minute {
			return fmt.Errorf("the console edit was not reverted within 2 minutes")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	sub("kubectl get " + ref + " -o jsonpath={.status.lastOutOfBandChange}")
	out, err := env.Kubectl(ctx, "", "get", ref, "-o", "jsonpath={.status.lastOutOfBandChange}")
	if err != nil {
		return err
	}
	fmt.Println(indent([]byte(out)))
	return nil
}

func oktaPut(ctx context.Context, env *localenv.Env, path string, body any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	_, err = oktaCall(ctx, env, http.MethodPut, path, bytes.NewReader(raw))
	return err
}
