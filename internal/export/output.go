package export

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"
)

// Dirs are the folder of each kind in an export directory, in the order
// the kustomization lists them. The export owns them: a manifest found
// there that the export did not write is removed.
var Dirs = []struct{ Kind, Dir string }{
	{KindPostureCheck, "deviceposturechecks"},
	{KindPolicy, "deviceassurancepolicies"},
	{KindBinding, "signinrulebindings"},
}

func dirOf(kind string) string {
	for _, d := range Dirs {
		if d.Kind == kind {
			return d.Dir
		}
	}
	return strings.ToLower(kind)
}

// Path is where an object is written, relative to the export directory:
// <kind plural>/<name>.yaml.
func Path(o Object) string {
	return filepath.ToSlash(filepath.Join(dirOf(o.Kind), o.Name+".yaml"))
}

// Kustomization is the kustomization.yaml that lists every object, in the
// order of the result (posture checks, policies, bindings).
func (r *Result) Kustomization() ([]byte, error) {
	resources := make([]string, 0, len(r.Objects))
	for _, o := range r.Objects {
		resources = append(resources, Path(o))
	}
	return yaml.Marshal(struct {
		APIVersion string   `json:"apiVersion"`
		Kind       string   `json:"kind"`
		Resources  []string `json:"resources"`
	}{"kustomize.config.k8s.io/v1beta1", "Kustomization", resources})
}

// WriteStream writes every object to w as one multi-document YAML stream.
func (r *Result) WriteStream(w io.Writer) error {
	var buf bytes.Buffer
	for i, o := range r.Objects {
		if i > 0 {
			buf.WriteString("---\n")
		}
		buf.Write(o.Manifest)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteDir writes each object to dir/<kind plural>/<name>.yaml and the
// kustomization to dir/kustomization.yaml, and removes the manifests of
// those folders that it did not write (objects gone from the org since an
// earlier export); it returns their paths, relative to dir.
func (r *Result) WriteDir(dir string) (removed []string, err error) {
	written := map[string]bool{}
	for _, o := range r.Objects {
		path := Path(o)
		if written[path] {
			return nil, fmt.Errorf("two objects would be written to %s", path)
		}
		written[path] = true
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(path)), o.Manifest); err != nil {
			return nil, err
		}
	}
	kustomization, err := r.Kustomization()
	if err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(dir, "kustomization.yaml"), kustomization); err != nil {
		return nil, err
	}
	for _, d := range Dirs {
		entries, err := os.ReadDir(filepath.Join(dir, d.Dir))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return removed, err
		}
		for _, e := range entries {
			path := d.Dir + "/" + e.Name()
			if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".yaml") && !written[path] {
				if err := os.Remove(filepath.Join(dir, d.Dir, e.Name())); err != nil {
					return removed, err
				}
				removed = append(removed, path)
			}
		}
	}
	return removed, nil
}

func writeFile(path string, content []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil { //nolint:gosec // manifests are meant to be shared and committed
		return err
	}
	return os.WriteFile(path, content, 0o644) //nolint:gosec // manifests are meant to be shared and committed
}
