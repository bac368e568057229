package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The README's metric table lists every family, in order, with its type,
// labels and help; its flag table every flag with its variable.
func TestREADMETables(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	metricRow := regexp.MustCompile("^\\| `(vprotect_\\w+)` \\| (\\w+) \\| (.*?) \\| (.*) \\|$")
	flagRow := regexp.MustCompile("^\\| `-([\\w-]+)` \\| `(\\w+)` \\|")
	var rows [][]string
	flags := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if m := metricRow.FindStringSubmatch(line); m != nil {
			rows = append(rows, m[1:])
		}
		if m := flagRow.FindStringSubmatch(line); m != nil {
			flags[m[1]] = m[2]
		}
	}
	if len(rows) != len(families) {
		t.Errorf("the README lists %d metrics, the exporter has %d", len(rows), len(families))
	}
	for i, m := range families {
		if i >= len(rows) {
			t.Errorf("README: %s is missing", m.name)
			continue
		}
		labels := ""
		if len(m.labels) > 0 {
			labels = "`" + strings.Join(m.labels, "`, `") + "`"
		}
		want := []string{m.name, m.kind, labels, m.help}
		if strings.Join(rows[i], "|") != strings.Join(want, "|") {
			t.Errorf("README row %d:\n got %q\nwant %q", i+1, rows[i], want)
		}
	}

	for name, v := range env {
		if flags[name] != v {
			t.Errorf("README flag table: -%s has %q, want %q", name, flags[name], v)
		}
	}
	if len(flags) != len(env) {
		t.Errorf("README lists %d flags, the exporter has %d", len(flags), len(env))
	}
}
