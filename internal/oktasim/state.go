package oktasim

import "time"

// audit holds the read-only audit fields of device assurance policies and
// posture checks (createdDate, createdBy, lastUpdate, lastUpdatedBy).
type audit struct {
	created   time.Time
	createdBy string
	updated   time.Time
	updatedBy string
}

func newAudit(now time.Time, by string) audit {
	return audit{created: now, createdBy: by, updated: now, updatedBy: by}
}

// deviceAssurance is a stored device assurance policy: its id, audit
// fields and the normalised body (name, platform and conditions).
type deviceAssurance struct {
	id    string
	audit audit
	body  map[string]any
}

func (d *deviceAssurance) name() string     { s, _ := stringAt(d.body, "name"); return s }
func (d *deviceAssurance) platform() string { s, _ := stringAt(d.body, "platform"); return s }

// postureCheck is a stored device posture check.
type postureCheck struct {
	id    string
	audit audit
	body  map[string]any
}

func (p *postureCheck) stringField(key string) string { s, _ := stringAt(p.body, key); return s }

// accessPolicy is an ACCESS_POLICY (app sign-in) policy and its rules.
type accessPolicy struct {
	id          string
	name        string
	description string
	status      string
	system      bool
	priority    int
	created     time.Time
	updated     time.Time
	rules       []*policyRule
}

// policyRule is an ACCESS_POLICY rule. conditions nil means JSON null, as
// the catch-all rule has (docs/okta-api-behaviour.md, R24).
type policyRule struct {
	id         string
	name       string
	priority   int
	status     string
	system     bool
	conditions map[string]any
	actions    map[string]any
	created    time.Time
	updated    time.Time
}

// Lookups; callers hold o.mu.

func (o *Org) findDeviceAssurance(id string) *deviceAssurance {
	for _, d := range o.deviceAssures {
		if d.id == id {
			return d
		}
	}
	return nil
}

func (o *Org) findPostureCheck(id string) *postureCheck {
	for _, p := range o.postureChecks {
		if p.id == id {
			return p
		}
	}
	return nil
}

func (o *Org) findPostureCheckByVariable(variableName string) *postureCheck {
	for _, p := range o.allPostureChecks() {
		if p.stringField("variableName") == variableName {
			return p
		}
	}
	return nil
}

func (o *Org) findPolicy(id string) *accessPolicy {
	for _, p := range o.policies {
		if p.id == id {
			return p
		}
	}
	return nil
}

func (p *accessPolicy) findRule(id string) *policyRule {
	for _, r := range p.rules {
		if r.id == id {
			return r
		}
	}
	return nil
}
