package plan

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	assurancev1alpha1 "github.com/okta-assurance-operator/okta-assurance-operator/api/v1alpha1"
	"github.com/okta-assurance-operator/okta-assurance-operator/internal/controller/managed"
)

// Manifests are the objects read from files, and what was skipped.
type Manifests struct {
	Objects []managed.Object
	// Skipped names the documents that are not the operator's managed
	// kinds (Namespaces, OktaOrgs, anything else), for the user to see.
	Skipped []string
}

// Load reads YAML or JSON manifests from files and folders (recursively:
// *.yaml, *.yml, *.json) and from stdin for "-". A folder with a
// kustomization is built with kustomize, as `kubectl apply -k` would, and
// what it renders is read instead of its files. Objects without a
// namespace get namespace. An unknown field is an error that names it, as
// `kubectl apply` does.
func Load(paths []string, stdin io.Reader, namespace string) (Manifests, error) {
	var m Manifests
	for _, p := range paths {
		if p == "-" {
			if err := m.read("<stdin>", stdin, namespace); err != nil {
				return m, err
			}
			continue
		}
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if !hasKustomization(path) {
					return nil
				}
				if err := m.kustomize(path, namespace); err != nil {
					return err
				}
				return filepath.SkipDir
			}
			if !isManifest(path, path == p) {
				return nil
			}
			f, err := os.Open(path) //nolint:gosec // G304: the user names the files to read.
			if err != nil {
				return err
			}
			defer func() { _ = f.Close() }()
			return m.read(path, f, namespace)
		})
		if err != nil {
			return m, err
		}
	}
	return m, nil
}

// kustomizationFiles are the names kustomize reads in a folder.
var kustomizationFiles = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

func hasKustomization(dir string) bool {
	for _, name := range kustomizationFiles {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

// kustomize builds the kustomization in dir and reads what it renders.
func (m *Manifests) kustomize(dir, namespace string) error {
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return fmt.Errorf("kustomize %s: %w", dir, err)
	}
	rendered, err := resources.AsYaml()
	if err != nil {
		return fmt.Errorf("kustomize %s: %w", dir, err)
	}
	return m.read(dir+" (kustomization)", bytes.NewReader(rendered), namespace)
}

func isManifest(path string, named bool) bool {
	base := filepath.Base(path)
	if base == "kustomization.yaml" || base == "kustomization.yml" || base == "Kustomization" {
		return false
	}
	ext := strings.ToLower(filepath.Ext(path))
	return named || ext == ".yaml" || ext == ".yml" || ext == ".json"
}

type typeMeta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
}

func (m *Manifests) read(source string, r io.Reader, namespace string) error {
	docs := utilyaml.NewYAMLReader(bufio.NewReader(r))
	for i := 1; ; i++ {
		doc, err := docs.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", source, err)
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		if err := m.decode(fmt.Sprintf("%s (document %d)", source, i), doc, namespace); err != nil {
			return err
		}
	}
}

func (m *Manifests) decode(where string, doc []byte, namespace string) error {
	var t typeMeta
	if err := yaml.Unmarshal(doc, &t); err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	if t.Kind == "List" {
		return fmt.Errorf("%s: a List: give the items as separate documents", where)
	}
	obj := newManaged(t.APIVersion, t.Kind)
	if obj == nil {
		m.Skipped = append(m.Skipped, fmt.Sprintf("%s %s (%s)", t.Kind, t.Metadata.Name, where))
		return nil
	}
	if err := yaml.UnmarshalStrict(doc, obj); err != nil {
		return fmt.Errorf("%s: %s %s: %w", where, t.Kind, t.Metadata.Name, err)
	}
	if obj.GetName() == "" {
		return fmt.Errorf("%s: %s without metadata.name", where, t.Kind)
	}
	if obj.GetNamespace() == "" {
		obj.SetNamespace(namespace)
	}
	m.Objects = append(m.Objects, obj)
	return nil
}

// newManaged returns an empty object of a managed kind of the operator's
// API version, nil for anything else.
func newManaged(apiVersion, kind string) managed.Object {
	if apiVersion != assurancev1alpha1.GroupVersion.String() {
		return nil
	}
	switch kind {
	case "DeviceAssurancePolicy":
		return &assurancev1alpha1.DeviceAssurancePolicy{}
	case "DevicePostureCheck":
		return &assurancev1alpha1.DevicePostureCheck{}
	case "SignInRuleBinding":
		return &assurancev1alpha1.SignInRuleBinding{}
	}
	return nil
}
