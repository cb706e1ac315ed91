package oktasim

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Seed holds the objects an org starts with. Objects go through the same
// validation and normalisation as API requests. An "id" is kept when it
// has the right prefix and length, so seeded rules can name seeded device
// assurance policies; otherwise a new id is assigned.
type Seed struct {
	DeviceAssurances    []map[string]any `json:"deviceAssurances,omitempty"`
	DevicePostureChecks []map[string]any `json:"devicePostureChecks,omitempty"`
	Policies            []SeedPolicy     `json:"policies,omitempty"`
}

// SeedPolicy is an ACCESS_POLICY policy with its rules; the Catch-all Rule
// is added automatically.
type SeedPolicy struct {
	ID          string           `json:"id,omitempty"`
	Name        string           `json:"name"`
	Description string           `json:"description,omitempty"`
	Rules       []map[string]any `json:"rules,omitempty"`
}

// LoadSeed reads a seed from a JSON file.
func LoadSeed(path string) (*Seed, error) {
	f, err := os.Open(path) //nolint:gosec // the path is the operator's own --seed flag
	if err != nil {
		return nil, fmt.Errorf("open seed: %w", err)
	}
	defer func() { _ = f.Close() }()
	dec := json.NewDecoder(f)
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var s Seed
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("decode seed %s: %w", path, err)
	}
	return &s, nil
}

// seedPrincipal is the admin that "created" seeded objects.
func seedPrincipal() *principal {
	return &principal{actorID: newID(prefixUser), actorType: "User", alternateID: "seed@oktasim.example", displayName: "Oktasim Seed"}
}

func (o *Org) applySeed(s *Seed) error {
	by := seedPrincipal().actorID
	now := o.clock()
	for i, raw := range s.DevicePostureChecks {
		body := copyMap(raw)
		id := seededID(body, prefixPostureCheck)
		for _, k := range postureCheckReadOnlyKeys {
			delete(body, k)
		}
		if e := o.validatePostureCheck(body, nil); e != nil {
			return seedError("devicePostureChecks", i, e)
		}
		if _, ok := body["type"]; !ok {
			body["type"] = "CUSTOM"
		}
		o.postureChecks = append(o.postureChecks, &postureCheck{id: id, audit: newAudit(now, by), body: body})
	}
	for i, raw := range s.DeviceAssurances {
		id := seededID(raw, prefixDeviceAssurance)
		body := prepareDeviceAssuranceBody(raw)
		if e := validateDeviceAssurance(body, o.postureCheckExists); e != nil {
			return seedError("deviceAssurances", i, e)
		}
		o.deviceAssures = append(o.deviceAssures, &deviceAssurance{id: id, audit: newAudit(now, by), body: normalizeDeviceAssurance(body, o.variant)})
	}
	for i, sp := range s.Policies {
		if err := o.seedPolicy(sp); err != nil {
			return fmt.Errorf("seed policies[%d]: %w", i, err)
		}
	}
	return nil
}

func (o *Org) seedPolicy(sp SeedPolicy) error {
	if sp.Name == "" {
		return fmt.Errorf("name is required")
	}
	pol := o.newAccessPolicy(sp.Name, sp.Description, false, defaultCatchAllActions())
	if validSeedID(sp.ID, prefixAccessPolicy) {
		pol.id = sp.ID
	}
	exists := func(id string) bool { return o.findDeviceAssurance(id) != nil }
	for i, raw := range sp.Rules {
		if e := validateRule(raw, false, exists); e != nil {
			return seedError("rules", i, e)
		}
		if len(pol.rules) >= maxRulesPerPoly {
			return fmt.Errorf("rules: at most %d rules per policy", maxRulesPerPoly)
		}
		rule := &policyRule{id: seededID(raw, prefixRule), status: statusActive, created: pol.created, updated: pol.created}
		if raw["status"] == statusInactive {
			rule.status = statusInactive
		}
		applyRuleBody(rule, raw, o.variant)
		pol.rules = append(pol.rules, rule)
		placeRule(pol, rule, requestedPriority(raw, pol))
	}
	return nil
}

func seededID(body map[string]any, prefix string) string {
	if id, _ := stringAt(body, "id"); validSeedID(id, prefix) {
		return id
	}
	return newID(prefix)
}

func validSeedID(id, prefix string) bool {
	return len(id) == objectIDLength && strings.HasPrefix(id, prefix) && isBase62(id)
}

func seedError(kind string, i int, e *apiError) error {
	return fmt.Errorf("seed %s[%d]: %s: %s", kind, i, e.summary, strings.Join(e.causes, "; "))
}
