package monitoring

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

const dashboardFile = "../../config/prometheus/dashboard.json"

// dashboard is the part of a Grafana dashboard the checks read.
type dashboard struct {
	UID        string  `json:"uid"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []variable `json:"list"`
	} `json:"templating"`
}

type panel struct {
	ID         int         `json:"id"`
	Title      string      `json:"title"`
	Type       string      `json:"type"`
	Datasource *datasource `json:"datasource"`
	Targets    []target    `json:"targets"`
	Panels     []panel     `json:"panels"` // a collapsed row's panels
}

type target struct {
	RefID      string      `json:"refId"`
	Expr       string      `json:"expr"`
	Datasource *datasource `json:"datasource"`
}

type datasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type variable struct {
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	Query      json.RawMessage `json:"query"`
	Definition string          `json:"definition"`
}

// datasourceUID is how every query names its data source: the dashboard's
// datasource variable, so that it imports into any Grafana.
const datasourceUID = "${datasource}"

func readDashboard(t *testing.T) dashboard {
	t.Helper()
	raw, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// allPanels flattens rows: a collapsed row holds its panels itself.
func allPanels(panels []panel) []panel {
	all := make([]panel, 0, len(panels))
	for _, p := range panels {
		all = append(all, p)
		all = append(all, allPanels(p.Panels)...)
	}
	return all
}

// grafanaVariables stand in for what Grafana substitutes before it sends
// a query: its own interval variables, and the org variable (all orgs).
var grafanaVariables = strings.NewReplacer(
	"${__rate_interval}", "5m", "$__rate_interval", "5m",
	"${__interval}", "1m", "$__interval", "1m",
	"${__range}", "1h", "$__range", "1h",
	"${org}", ".*", "$org", ".*",
)

// leftVariable finds a variable grafanaVariables does not know ($1 in a
// label_replace is PromQL's own).
var leftVariable = regexp.MustCompile(`\$(\{[^}]*\}|[A-Za-z_]\w*)`)

func TestDashboardQueriesReadExportedMetrics(t *testing.T) {
	exported := exportedMetrics(t)
	for _, p := range allPanels(readDashboard(t).Panels) {
		for _, tg := range p.Targets {
			t.Run(p.Title+"/"+tg.RefID, func(t *testing.T) {
				expr := grafanaVariables.Replace(tg.Expr)
				if v := leftVariable.FindString(expr); v != "" {
					t.Fatalf("%s: variable %s is not substituted before parsing", tg.Expr, v)
				}
				checkExpr(t, expr, exported)
			})
		}
	}
}

// labelValues is a Prometheus query variable's label_values(selector, label).
var labelValues = regexp.MustCompile(`^label_values\((.+),\s*[A-Za-z_][A-Za-z0-9_]*\)$`)

func TestDashboardVariables(t *testing.T) {
	exported := exportedMetrics(t)
	vars := map[string]variable{}
	for _, v := range readDashboard(t).Templating.List {
		vars[v.Name] = v
	}
	if ds := vars["datasource"]; ds.Type != "datasource" || string(ds.Query) != `"prometheus"` {
		t.Errorf("variable datasource is %s %s, want a datasource variable of query prometheus", ds.Type, ds.Query)
	}
	org := vars["org"]
	m := labelValues.FindStringSubmatch(org.Definition)
	if org.Type != "query" || m == nil {
		t.Fatalf("variable org is %s %q, want a label_values query", org.Type, org.Definition)
	}
	checkExpr(t, m[1], exported)
	if !strings.Contains(string(org.Query), org.Definition) {
		t.Errorf("variable org runs %s, not its definition %q", org.Query, org.Definition)
	}
}

func TestDashboardPanels(t *testing.T) {
	d := readDashboard(t)
	if d.UID != "okta-assurance-operator" {
		t.Errorf("uid %q: links and provisioning expect okta-assurance-operator", d.UID)
	}
	ids := map[int]string{}
	for _, p := range allPanels(d.Panels) {
		if other, ok := ids[p.ID]; ok {
			t.Errorf("panels %q and %q share id %d", other, p.Title, p.ID)
		}
		ids[p.ID] = p.Title
		if p.Type == "row" {
			continue
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		checkDatasource(t, p.Title, p.Datasource)
		for _, tg := range p.Targets {
			checkDatasource(t, p.Title+"/"+tg.RefID, tg.Datasource)
		}
	}
}

func checkDatasource(t *testing.T, where string, ds *datasource) {
	t.Helper()
	if ds == nil || ds.Type != "prometheus" || ds.UID != datasourceUID {
		t.Errorf("%s: data source %+v, want prometheus %s", where, ds, datasourceUID)
	}
}
