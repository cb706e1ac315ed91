package plan

import (
	"context"
	"fmt"
	"io/fs"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"

	"github.com/okta-assurance-operator/okta-assurance-operator/config/crd"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
)

// schema is one kind's CRD schema, to default and validate objects as the
// API server does on create: OpenAPI validation, then the CEL rules.
type schema struct {
	structural *structuralschema.Structural
	validator  validation.SchemaValidator
	cel        *cel.Validator
}

// Schemas are the operator's CRD schemas by kind.
type Schemas map[string]*schema

// LoadSchemas reads the CRDs the command was built with.
func LoadSchemas() (Schemas, error) {
	files, err := fs.Glob(crd.Bases, "bases/*.yaml")
	if err != nil {
		return nil, err
	}
	out := Schemas{}
	for _, f := range files {
		raw, err := crd.Bases.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var def apiextensionsv1.CustomResourceDefinition
		if err := yaml.Unmarshal(raw, &def); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for _, v := range def.Spec.Versions {
			if !v.Served || v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
				continue
			}
			s, err := newSchema(v.Schema.OpenAPIV3Schema)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", def.Spec.Names.Kind, v.Name, err)
			}
			out[def.Spec.Names.Kind] = s
		}
	}
	return out, nil
}

func newSchema(v1 *apiextensionsv1.JSONSchemaProps) (*schema, error) {
	var internal apiextensions.JSONSchemaProps
	if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v1, &internal, nil); err != nil {
		return nil, err
	}
	structural, err := structuralschema.NewStructural(&internal)
	if err != nil {
		return nil, err
	}
	validator, _, err := validation.NewSchemaValidator(&internal)
	if err != nil {
		return nil, err
	}
	return &schema{structural: structural, validator: validator, cel: cel.NewValidator(structural, true, celconfig.PerCallLimit)}, nil
}

// Admit defaults obj as the API server would, and returns what it would
// refuse on create (nil when it would admit the object).
func (s Schemas) Admit(ctx context.Context, kind string, obj managed.Object) (field.ErrorList, error) {
	if s == nil {
		return nil, nil
	}
	sc, ok := s[kind]
	if !ok {
		return nil, fmt.Errorf("no CRD for kind %s", kind)
	}
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, err
	}
	defaulting.Default(u, sc.structural)
	if errs := validation.ValidateCustomResource(nil, u, sc.validator); len(errs) > 0 {
		return errs, nil
	}
	if errs, _ := sc.cel.Validate(ctx, nil, sc.structural, u, nil, celconfig.RuntimeCELCostBudget); len(errs) > 0 {
		return errs, nil
	}
	return nil, runtime.DefaultUnstructuredConverter.FromUnstructured(u, obj)
}
