package oktaspec

import (
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// dispatchDiscriminators makes polymorphic schemas checkable. Okta declares
// them as a base schema with a discriminator (DeviceAssurance on platform,
// PolicyRule on type, VerificationMethod on type, …) whose subtypes are
// allOf[base, own properties], and references the base everywhere. OpenAPI
// 3.0 validators dispatch on a discriminator only inside oneOf/anyOf, so as
// published only the base properties would ever be checked. Each reference
// to such a base becomes oneOf its mapped subtypes, with the same
// discriminator; allOf members (a subtype naming its base) stay as they are.
func dispatchDiscriminators(doc *openapi3.T) error {
	d := &dispatcher{doc: doc, seen: map[*openapi3.Schema]bool{}, poly: map[string]*openapi3.SchemaRef{}}
	for _, name := range sortedKeys(doc.Components.Schemas) {
		d.walk(doc.Components.Schemas[name].Value)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				d.content(op.RequestBody.Value.Content)
			}
			for _, resp := range op.Responses.Map() {
				if resp.Value != nil {
					d.content(resp.Value.Content)
				}
			}
		}
	}
	return nil
}

type dispatcher struct {
	doc  *openapi3.T
	seen map[*openapi3.Schema]bool
	poly map[string]*openapi3.SchemaRef
}

func (d *dispatcher) content(c openapi3.Content) {
	for _, mt := range c {
		d.fix(&mt.Schema)
	}
}

// fix replaces *ref when it names a discriminated base, and walks into it.
func (d *dispatcher) fix(ref **openapi3.SchemaRef) {
	r := *ref
	if r == nil {
		return
	}
	if isDiscriminatedBase(r) {
		*ref = d.polymorphic(r)
		for _, member := range (*ref).Value.OneOf {
			d.walk(member.Value)
		}
		return
	}
	d.walk(r.Value)
}

func (d *dispatcher) walk(s *openapi3.Schema) {
	if s == nil || d.seen[s] {
		return
	}
	d.seen[s] = true
	for _, name := range sortedKeys(s.Properties) {
		p := s.Properties[name]
		d.fix(&p)
		s.Properties[name] = p
	}
	d.fix(&s.Items)
	d.fix(&s.AdditionalProperties.Schema)
	d.fix(&s.Not)
	for i := range s.OneOf {
		d.fix(&s.OneOf[i])
	}
	for i := range s.AnyOf {
		d.fix(&s.AnyOf[i])
	}
	for _, member := range s.AllOf {
		d.walk(member.Value)
	}
}

func isDiscriminatedBase(r *openapi3.SchemaRef) bool {
	return r.Ref != "" && r.Value != nil && r.Value.Discriminator != nil &&
		len(r.Value.Discriminator.Mapping) > 0 && len(r.Value.OneOf) == 0 && len(r.Value.AnyOf) == 0
}

// polymorphic returns, once per base, the oneOf schema standing for it.
func (d *dispatcher) polymorphic(base *openapi3.SchemaRef) *openapi3.SchemaRef {
	if p, ok := d.poly[base.Ref]; ok {
		return p
	}
	disc := base.Value.Discriminator
	s := &openapi3.Schema{Discriminator: disc}
	for _, value := range sortedKeys(disc.Mapping) {
		ref := disc.Mapping[value].Ref
		target := d.doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
		if target == nil {
			continue
		}
		s.OneOf = append(s.OneOf, &openapi3.SchemaRef{Ref: ref, Value: target.Value})
	}
	p := &openapi3.SchemaRef{Value: s}
	d.poly[base.Ref] = p
	return p
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
