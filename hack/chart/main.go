// Command chart writes the parts of the Helm chart charts/okta-assurance-operator
// that come from config/, so that the chart cannot drift from the kustomize
// package: every object config/default renders except the Namespace, the
// manager Deployment and its metrics Service (templates written by hand,
// because values shape them) becomes one template in templates/generated/,
// and the alert rules and the dashboard of config/prometheus are copied
// into files/. `make chart` runs it; `make verify` fails when its output
// is not committed, and test/chart checks that the chart at its default
// values renders what config/default does.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

func main() {
	config := flag.String("config", "config", "The kustomize tree to read.")
	chart := flag.String("chart", "charts/okta-assurance-operator", "The chart to write into.")
	flag.Parse()
	if err := run(*config, *chart); err != nil {
		fmt.Fprintln(os.Stderr, "chart:", err)
		os.Exit(1)
	}
}

func run(config, chart string) error {
	objects, err := render(filepath.Join(config, "default"))
	if err != nil {
		return err
	}
	templates, err := generatedTemplates(objects)
	if err != nil {
		return err
	}
	if err := writeDir(filepath.Join(chart, "templates", "generated"), templates); err != nil {
		return err
	}
	files, err := monitoringFiles(filepath.Join(config, "prometheus"))
	if err != nil {
		return err
	}
	return writeDir(filepath.Join(chart, "files"), files)
}

// render builds a kustomization as `kubectl kustomize` does.
func render(dir string) ([]map[string]any, error) {
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return nil, fmt.Errorf("kustomize %s: %w", dir, err)
	}
	var objects []map[string]any
	for _, r := range resources.Resources() {
		m, err := r.Map()
		if err != nil {
			return nil, err
		}
		objects = append(objects, m)
	}
	return objects, nil
}

// writeDir replaces the directory's files with files, so that a template
// whose object left config/ disappears too.
func writeDir(dir string, files map[string]string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}
