package main

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// promqlNames returns the metric names a PromQL expression uses: what is
// left after taking out strings, label matchers, label lists of by, on,
// without, ignoring and group_*, range and offset durations, numbers,
// function names (a name before "(") and keywords.
func promqlNames(expr string) []string {
	for _, re := range []string{
		`"(?:[^"\\]|\\.)*"`, // strings
		`\{[^}]*\}`,         // label matchers
		`\b(?:by|on|without|ignoring|group_left|group_right)\s*\([^)]*\)`, // label lists
		`\[[^\]]*\]`,                        // ranges
		`\$\w+`,                             // dashboard variables
		`\b\d+(?:\.\d+)?(?:[smhdwy]|ms)?\b`, // numbers and durations
	} {
		expr = regexp.MustCompile(re).ReplaceAllString(expr, " ")
	}
	keywords := map[string]bool{"and": true, "or": true, "unless": true, "bool": true, "offset": true, "by": true, "on": true,
		"without": true, "ignoring": true, "group_left": true, "group_right": true, "le": true}
	var names []string
	for _, m := range regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?`).FindAllStringSubmatch(expr, -1) {
		if m[1] != "" || keywords[m[0]] {
			continue // a function call or a keyword
		}
		names = append(names, m[0])
	}
	return names
}

func TestPromQLNames(t *testing.T) {
	got := promqlNames(`(time() - vprotect_vm_last_backup_timestamp_seconds{job="v"} > on (vm_guid) (vprotect_vm_backup_interval_max_seconds + 3600)) and on (vm_guid) up == 0 or sum by (le) (rate(x_bucket[$__rate_interval])) offset 5m`)
	want := "vprotect_vm_last_backup_timestamp_seconds vprotect_vm_backup_interval_max_seconds up x_bucket"
	if strings.Join(got, " ") != want {
		t.Fatalf("promqlNames = %q, want %q", strings.Join(got, " "), want)
	}
}

// checkNames fails for a name the exporter does not export. up is
// Prometheus's own metric of each scrape target, the only other name an
// expression may use.
func checkNames(t *testing.T, where, expr string) {
	t.Helper()
	names := promqlNames(expr)
	if len(names) == 0 {
		t.Errorf("%s: no metric in %q", where, expr)
	}
	known := familyNames()
	for _, n := range names {
		if !known[n] && n != "up" {
			t.Errorf("%s: %s is not a metric the exporter exports (in %q)", where, n, expr)
		}
	}
}

// The example alert rules parse as a Prometheus rule file, have the alerts
// the README promises, and use only the exporter's metrics.
func TestAlertRules(t *testing.T) {
	b, err := os.ReadFile("monitoring/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Groups []struct {
			Name  string `yaml:"name"`
			Rules []struct {
				Alert       string            `yaml:"alert"`
				Expr        string            `yaml:"expr"`
				For         string            `yaml:"for"`
				Labels      map[string]string `yaml:"labels"`
				Annotations map[string]string `yaml:"annotations"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, g := range file.Groups {
		for _, r := range g.Rules {
			seen[r.Alert] = true
			if r.Alert == "" || r.Labels["severity"] == "" || r.Annotations["summary"] == "" {
				t.Errorf("rule %q: an alert needs a name, a severity and a summary", r.Alert)
			}
			checkNames(t, "alert "+r.Alert, r.Expr)
		}
	}
	for _, a := range []string{"VProtectExporterDown", "VProtectAPIUnreachable", "VProtectBackupOverdue", "VProtectTasksFailed"} {
		if !seen[a] {
			t.Errorf("alert %s is missing", a)
		}
	}
}

// The Grafana dashboard is JSON whose every query uses only the
// exporter's metrics.
func TestDashboard(t *testing.T) {
	b, err := os.ReadFile("monitoring/dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Title  string `json:"title"`
		UID    string `json:"uid"`
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
		Templating struct {
			List []struct {
				Name  string `json:"name"`
				Type  string `json:"type"`
				Query any    `json:"query"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if d.Title == "" || d.UID == "" || len(d.Panels) < 10 {
		t.Fatalf("dashboard %q (%q) with %d panels", d.Title, d.UID, len(d.Panels))
	}
	for _, p := range d.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			checkNames(t, "panel "+p.Title, tg.Expr)
		}
	}
	labelValues := regexp.MustCompile(`^label_values\(([^,]+),\s*\w+\)$`)
	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		q, _ := v.Query.(string)
		m := labelValues.FindStringSubmatch(q)
		if m == nil {
			t.Errorf("variable %s: query %q is not label_values(metric, label)", v.Name, q)
			continue
		}
		checkNames(t, "variable "+v.Name, m[1])
	}
}
