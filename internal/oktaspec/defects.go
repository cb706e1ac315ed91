package oktaspec

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Defect is a place where Okta's OpenAPI document disagrees with what real
// orgs do (the recordings win), with the correction applied before
// validating.
type Defect struct {
	Name   string
	Reason string
	// Correct changes the loaded document.
	Correct func(doc *openapi3.T) error
}

// Defects are every correction made to the document, in one place.
var Defects = []Defect{
	{
		Name: "Discriminated subtypes are never checked",
		Reason: "DeviceAssurance, PolicyRule, VerificationMethod and other polymorphic schemas put the " +
			"discriminator on a base schema that is referenced directly; OpenAPI 3.0 dispatches on a " +
			"discriminator only inside oneOf, so per-platform and per-type properties would go unchecked.",
		Correct: dispatchDiscriminators,
	},
	{
		Name: "TimeDuration pattern matches no duration",
		Reason: "The pattern ^P(?:$)(\\d+Y)?… asserts the end of input right after P, so it rejects every " +
			"duration, including the P30D of Okta's own examples and the PT720H real orgs return " +
			"(recordings tfprov-051, tfprov-052).",
		Correct: func(doc *openapi3.T) error {
			s, err := schema(doc, "TimeDuration")
			if err != nil {
				return err
			}
			s.Pattern = `^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$`
			return nil
		},
	},
	{
		Name: "Constraint types and methods are lower case",
		Reason: "The enums of AccessPolicyConstraint types and methods are upper case, but real orgs " +
			"return them lower case and Okta's own guide sends \"password\" (docs/okta-api-behaviour.md §3.5; 49 recorded rules).",
		Correct: func(doc *openapi3.T) error {
			s, err := schema(doc, "AccessPolicyConstraint")
			if err != nil {
				return err
			}
			for _, prop := range []string{"types", "methods"} {
				items := s.Properties[prop].Value.Items.Value
				for _, v := range items.Enum {
					items.Enum = append(items.Enum, strings.ToLower(v.(string)))
				}
			}
			return nil
		},
	},
	{
		Name:   "A system rule's conditions are null",
		Reason: "The Catch-all Rule of every app sign-in policy has \"conditions\": null (docs/okta-api-behaviour.md, R24).",
		Correct: func(doc *openapi3.T) error {
			return setNullable(doc, "AccessPolicyRuleConditions")
		},
	},
	{
		Name:   "A platform condition's OS expression may be null",
		Reason: "Clients send \"expression\": null and real orgs accept it and drop it (docs/okta-api-behaviour.md, R19).",
		Correct: func(doc *openapi3.T) error {
			s, err := schema(doc, "PlatformConditionEvaluatorPlatformOperatingSystem")
			if err != nil {
				return err
			}
			s.Properties["expression"].Value.Nullable = true
			return nil
		},
	},
	{
		Name:   "An EL condition may be empty",
		Reason: "Real orgs accept \"elCondition\": {} and drop it (recordings tfprov-112 and 29 others), so condition is not required.",
		Correct: func(doc *openapi3.T) error {
			s, err := schema(doc, "AccessPolicyRuleCustomCondition")
			if err != nil {
				return err
			}
			s.Required = nil
			return nil
		},
	},
	{
		Name: "A policy's _embedded.resourceType is a string",
		Reason: "Policy declares every _embedded member an object, while AccessPolicy and real orgs give " +
			"resourceType as the string APP or END_USER_ACCOUNT_MANAGEMENT (recording tfprov-395).",
		Correct: func(doc *openapi3.T) error {
			s, err := schema(doc, "Policy")
			if err != nil {
				return err
			}
			s.Properties["_embedded"].Value.AdditionalProperties = openapi3.AdditionalProperties{}
			return nil
		},
	},
	{
		Name: "System Log event fields are null when empty",
		Reason: "Real events carry null for absent details (actor.detailEntry, client.zone, outcome.reason, " +
			"legacyEventType, …), as Okta's own ListLogs example shows (spec example ListLogs), yet the " +
			"LogEvent schemas declare none of them nullable.",
		Correct: func(doc *openapi3.T) error {
			s, err := schema(doc, "LogEvent")
			if err != nil {
				return err
			}
			makePropertiesNullable(s, map[*openapi3.Schema]bool{})
			return nil
		},
	},
}

// makePropertiesNullable marks every property below s nullable.
func makePropertiesNullable(s *openapi3.Schema, seen map[*openapi3.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	for _, p := range s.Properties {
		if p.Value != nil {
			p.Value.Nullable = true
			makePropertiesNullable(p.Value, seen)
		}
	}
	if s.Items != nil {
		makePropertiesNullable(s.Items.Value, seen)
	}
	if s.AdditionalProperties.Schema != nil {
		makePropertiesNullable(s.AdditionalProperties.Schema.Value, seen)
	}
	for _, member := range s.AllOf {
		makePropertiesNullable(member.Value, seen)
	}
}

func setNullable(doc *openapi3.T, name string) error {
	s, err := schema(doc, name)
	if err != nil {
		return err
	}
	s.Nullable = true
	return nil
}

func schema(doc *openapi3.T, name string) (*openapi3.Schema, error) {
	ref, ok := doc.Components.Schemas[name]
	if !ok || ref.Value == nil {
		return nil, &missingSchemaError{name: name}
	}
	return ref.Value, nil
}

type missingSchemaError struct{ name string }

func (e *missingSchemaError) Error() string {
	return "the document has no schema " + e.name + "; the defect may be fixed upstream"
}
