package monitoring

import (
	"bufio"
	"io"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"sigs.k8s.io/yaml"
)

const (
	rulesFile  = "../../config/prometheus/rules.yaml"
	alertsDoc  = "../../docs/alerts.md"
	runbookDoc = "docs/alerts.md#"
)

// prometheusRule is the part of a monitoring.coreos.com/v1 PrometheusRule
// the checks read; its spec is a Prometheus rule file.
type prometheusRule struct {
	Spec struct {
		Groups []struct {
			Name  string `json:"name"`
			Rules []rule `json:"rules"`
		} `json:"groups"`
	} `json:"spec"`
}

type rule struct {
	Alert       string            `json:"alert"`
	Record      string            `json:"record"`
	Expr        string            `json:"expr"`
	For         string            `json:"for"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

// readRules returns the rules of rules.yaml, and its spec as YAML.
func readRules(t *testing.T) ([]rule, []byte) {
	t.Helper()
	raw, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	var pr prometheusRule
	if err := yaml.Unmarshal(raw, &pr); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Spec any `json:"spec"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	spec, err := yaml.Marshal(doc.Spec)
	if err != nil {
		t.Fatal(err)
	}
	var rules []rule
	for _, g := range pr.Spec.Groups {
		rules = append(rules, g.Rules...)
	}
	if len(rules) == 0 {
		t.Fatalf("%s holds no rule", rulesFile)
	}
	return rules, spec
}

// TestRulesAreAPrometheusRuleFile loads the spec as Prometheus loads a
// rule file: unknown fields, durations, expressions and the templates of
// labels and annotations are all checked.
func TestRulesAreAPrometheusRuleFile(t *testing.T) {
	_, spec := readRules(t)
	_, errs := rulefmt.Parse(spec, false, model.UTF8Validation, promql, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, err := range errs {
		t.Error(err)
	}
}

func TestRuleExpressionsReadExportedMetrics(t *testing.T) {
	exported := exportedMetrics(t)
	rules, _ := readRules(t)
	for _, r := range rules {
		t.Run(r.Alert+r.Record, func(t *testing.T) {
			checkExpr(t, r.Expr, exported)
		})
	}
}

// templateLabel is a label an annotation or label template reads.
var templateLabel = regexp.MustCompile(`\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)`)

// TestAlertTemplatesReadLabelsTheExpressionKeeps: a template reading a
// label the expression aggregated away renders empty.
func TestAlertTemplatesReadLabelsTheExpressionKeeps(t *testing.T) {
	rules, _ := readRules(t)
	for _, r := range rules {
		t.Run(r.Alert, func(t *testing.T) {
			parsed, err := promql.ParseExpr(r.Expr)
			if err != nil {
				t.Fatal(err)
			}
			kept, known := resultLabels(parsed)
			if !known {
				t.Skip("the result's labels cannot be told from the expression alone")
			}
			for name, text := range r.Annotations {
				for _, m := range templateLabel.FindAllStringSubmatch(text, -1) {
					if !slices.Contains(kept, m[1]) {
						t.Errorf("annotation %s reads $labels.%s, which the expression's result (labels %v) lacks", name, m[1], kept)
					}
				}
			}
		})
	}
}

var severities = []string{"critical", "warning", "info"}

func TestAlertsAreDocumented(t *testing.T) {
	rules, _ := readRules(t)
	anchors := headingAnchors(t, alertsDoc)
	seen := map[string]bool{}
	for _, r := range rules {
		t.Run(r.Alert, func(t *testing.T) {
			if r.Alert == "" {
				t.Fatalf("recording rule %q: the file is for alerts", r.Record)
			}
			if seen[r.Alert] {
				t.Errorf("alert %s is defined twice", r.Alert)
			}
			seen[r.Alert] = true
			checkFor(t, r.For)
			if !slices.Contains(severities, r.Labels["severity"]) {
				t.Errorf("severity %q, want one of %v", r.Labels["severity"], severities)
			}
			for _, name := range []string{"summary", "description"} {
				if strings.TrimSpace(r.Annotations[name]) == "" {
					t.Errorf("no %s annotation", name)
				}
			}
			checkRunbook(t, r.Annotations["runbook"], anchors)
		})
	}
}

// checkFor fails unless d is a positive duration: without one, a single
// evaluation (a scrape gap, a restart) fires the alert.
func checkFor(t *testing.T, d string) {
	t.Helper()
	parsed, err := model.ParseDuration(d)
	if err != nil || parsed <= 0 {
		t.Errorf("for: %q, want a positive duration (%v)", d, err)
	}
}

func checkRunbook(t *testing.T, runbook string, anchors []string) {
	t.Helper()
	anchor, ok := strings.CutPrefix(runbook, runbookDoc)
	if !ok {
		t.Errorf("runbook %q, want %s<anchor>", runbook, runbookDoc)
		return
	}
	if !slices.Contains(anchors, anchor) {
		t.Errorf("runbook %q: %s has no heading with anchor %q", runbook, alertsDoc, anchor)
	}
}

// headingAnchors are the anchors GitHub gives the headings of a Markdown
// file, code blocks left out.
func headingAnchors(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var anchors []string
	inCode := false
	for s := bufio.NewScanner(f); s.Scan(); {
		line := s.Text()
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		if heading, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " "); ok && !inCode && strings.HasPrefix(line, "#") {
			anchors = append(anchors, anchor(heading))
		}
	}
	return anchors
}

// notInAnchor is what GitHub drops from a heading's text to make its
// anchor: everything but letters, digits, spaces, hyphens and underscores.
var notInAnchor = regexp.MustCompile(`[^\p{L}\p{N} _-]`)

func anchor(heading string) string {
	return strings.ReplaceAll(notInAnchor.ReplaceAllString(strings.ToLower(strings.TrimSpace(heading)), ""), " ", "-")
}

func TestAnchor(t *testing.T) {
	for heading, want := range map[string]string{
		"OktaAssuranceOrgNotReady":           "oktaassuranceorgnotready",
		"`InUse` (policies, while deleting)": "inuse-policies-while-deleting",
		"Install the rules and dashboard":    "install-the-rules-and-dashboard",
	} {
		if got := anchor(heading); got != want {
			t.Errorf("anchor(%q) = %q, want %q", heading, got, want)
		}
	}
}
