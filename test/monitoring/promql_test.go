// Package monitoring checks the alerts and the Grafana dashboard of
// config/prometheus with Prometheus' own PromQL parser: every expression
// parses, and every metric it reads is one the manager exports (the list
// internal/metrics checks against its collectors).
package monitoring

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

const exportedMetricsFile = "../../internal/metrics/testdata/exported-metrics.txt"

var promql = parser.NewParser(parser.Options{})

// exportedMetrics reads the names of the series the manager serves.
func exportedMetrics(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(exportedMetricsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var names []string
	for s := bufio.NewScanner(f); s.Scan(); {
		if name := strings.TrimSpace(s.Text()); name != "" {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		t.Fatalf("%s lists no metric", exportedMetricsFile)
	}
	return names
}

// nameMatchers are the matchers on the metric name of every selector in
// expr: a selector written `name{...}` has one, as does `{__name__="name"}`.
func nameMatchers(expr parser.Expr) []*labels.Matcher {
	var matchers []*labels.Matcher
	parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
		if vs, ok := node.(*parser.VectorSelector); ok {
			for _, m := range vs.LabelMatchers {
				if m.Name == model.MetricNameLabel {
					matchers = append(matchers, m)
				}
			}
		}
		return nil
	})
	return matchers
}

// checkExpr parses expr and fails for each metric name it selects that the
// manager does not export: a name matcher must match at least one name.
func checkExpr(t *testing.T, expr string, exported []string) {
	t.Helper()
	expr = strings.TrimSpace(expr)
	parsed, err := promql.ParseExpr(expr)
	if err != nil {
		t.Errorf("%s does not parse: %v", expr, err)
		return
	}
	matchers := nameMatchers(parsed)
	if len(matchers) == 0 {
		t.Errorf("%s reads no metric", expr)
	}
	for _, m := range matchers {
		if !slices.ContainsFunc(exported, m.Matches) {
			t.Errorf("%s: no exported metric matches %s (see %s)", expr, m, exportedMetricsFile)
		}
	}
}

// resultLabels are the labels of expr's result, with known false when
// they cannot be told from expr alone (a bare selector keeps every label
// of its series).
func resultLabels(expr parser.Expr) (result []string, known bool) {
	switch e := expr.(type) {
	case *parser.ParenExpr:
		return resultLabels(e.Expr)
	case *parser.AggregateExpr:
		if e.Without {
			return nil, false
		}
		return e.Grouping, true
	case *parser.BinaryExpr:
		return binaryResultLabels(e)
	case *parser.Call:
		return callResultLabels(e)
	default:
		return nil, false
	}
}

// binaryResultLabels: and, unless, or a one-to-one match keep the left
// side's labels; a scalar operand keeps the vector's; or and group_left or
// group_right mix both sides'.
func binaryResultLabels(e *parser.BinaryExpr) ([]string, bool) {
	switch {
	case e.LHS.Type() == parser.ValueTypeScalar:
		return resultLabels(e.RHS)
	case e.Op == parser.LOR, e.VectorMatching != nil && e.VectorMatching.Card != parser.CardOneToOne &&
		e.VectorMatching.Card != parser.CardManyToMany:
		return nil, false
	default:
		return resultLabels(e.LHS)
	}
}

// callResultLabels knows absent (the equality matchers of its selector)
// and histogram_quantile (its argument's labels without le).
func callResultLabels(e *parser.Call) ([]string, bool) {
	switch e.Func.Name {
	case "absent":
		vs, ok := e.Args[0].(*parser.VectorSelector)
		if !ok {
			return nil, false
		}
		var names []string
		for _, m := range vs.LabelMatchers {
			if m.Type == labels.MatchEqual && m.Name != model.MetricNameLabel {
				names = append(names, m.Name)
			}
		}
		return names, true
	case "histogram_quantile":
		names, known := resultLabels(e.Args[1])
		return slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == "le" }), known
	default:
		return nil, false
	}
}
