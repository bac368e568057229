package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vprotect-go/vprotect/vprotecttest"
)

const desiredYAML = `# the desired state of tenant-a
tenant: tenant-a
prefix: pac-
schedules:
  - name: pac-weeknights
    at: "22:00"
    window: 4h
    days: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY]
  - {name: pac-daytime, backupType: INCREMENTAL, every: 2h, from: "08:00", to: "18:00", days: [MONDAY], active: false}
policies:
  - name: pac-silver
    priority: 60
    vms: [a-app-1]
    rules:
      - {name: nightly, schedules: [pac-weeknights], destination: fs-default}
      - {name: daytime, schedules: [pac-daytime], destination: s3-offsite}
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestApply: a dry run changes nothing, the plan is applied, a second run
// finds no changes, and a changed file gives updates and deletions; JSON
// and YAML files alike.
func TestApply(t *testing.T) {
	f := newFixture(t)
	file := writeFile(t, "tenant-a.yaml", desiredYAML)
	name := func(s string) string { return strings.ReplaceAll(s, file, "FILE") }

	golden(t, "apply-dry-run.txt", f.run("apply", "-f", file, "--dry-run").ok(t).stdout)
	if n := len(f.srv.Policies()); n != 1 {
		t.Fatalf("a dry run made policies: %d", n)
	}
	golden(t, "apply-dry-run.json", f.run("apply", "-f", file, "--dry-run", "-o", "json").ok(t).stdout)
	golden(t, "apply.txt", f.run("apply", "-f", file).ok(t).stdout)
	if n := len(f.srv.Policies()); n != 2 {
		t.Fatalf("%d policies after apply, want gold and pac-silver", n)
	}
	golden(t, "apply-no-changes.txt", name(f.run("apply", "-f", file).ok(t).stdout))
	golden(t, "apply-no-changes.json", f.run("apply", "-f", file, "-o", "json").ok(t).stdout)

	// The same state in JSON, one schedule and one rule fewer, another
	// priority: from standard input.
	changed := `{"tenant": "tenant-a", "prefix": "pac-",
	"schedules": [{"name": "pac-weeknights", "at": "22:00", "window": "4h", "days": ["MONDAY","TUESDAY","WEDNESDAY","THURSDAY","FRIDAY"]}],
	"policies": [{"name": "pac-silver", "priority": 70, "vms": ["a-app-1"],
		"rules": [{"name": "nightly", "schedules": ["pac-weeknights"], "destination": "fs-default"}]}]}`
	var stdout, stderr strings.Builder
	a := newApp(func(k string) string { return f.env[k] }, strings.NewReader(changed), &stdout, &stderr)
	if code := a.execute(t.Context(), []string{"apply", "-f", "-", "-o", "yaml"}); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	golden(t, "apply-changed.yaml", stdout.String())
	file = writeFile(t, "changed.json", changed)
	golden(t, "apply-no-changes.txt", name(f.run("apply", "-f", file).ok(t).stdout))
}

// TestApplyErrors: a wrong file is an error naming it (and the line, for
// YAML) before the server is asked; exit 1. A missing tenant is a usage
// error.
func TestApplyErrors(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name, content string
		code          int
		want          string
	}{
		{"syntax.yaml", "prefix: pac-\nschedules:\n\t- name: pac-a\n", exitFailure, "syntax.yaml: line 3: found character that cannot start any token"},
		{"unknown.yaml", "prefix: pac-\nschedules:\n  - name: pac-a\n    dayz: [MONDAY]\n", exitFailure, "unknown.yaml: line 4: field dayz not found"},
		{"type.yaml", "prefix: pac-\nschedules:\n  - name: pac-a\n    days: MONDAY\n", exitFailure, "type.yaml: line 4: cannot unmarshal !!str `MONDAY`"},
		{"bad.json", "{\"prefix\": \"pac-\",\n \"policys\": []}", exitFailure, "bad.json: line 2: field policys not found"},
		{"empty.yaml", "", exitFailure, "empty.yaml is empty"},
		{"check.yaml", "tenant: tenant-a\nprefix: pac-\npolicies: [{name: silver}]\n", exitFailure, `check.yaml: policy "silver": the name must start with "pac-"`},
		{"novm.yaml", "tenant: tenant-a\nprefix: pac-\npolicies: [{name: pac-x, vms: [nosuch]}]\n", exitFailure, `cannot plan `},
		{"notenant.yaml", "prefix: pac-\n", exitUsage, `notenant.yaml names no tenant: add "tenant:" to it, or give --tenant (VPROTECT_TENANT)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.run("apply", "-f", writeFile(t, tc.name, tc.content)).fails(t, tc.code, tc.want)
		})
	}
	f.run("apply", "-f", writeFile(t, "b.yaml", "tenant: tenant-a\nprefix: pac-\n"), "--tenant", vprotecttest.DemoTenantB).
		fails(t, exitUsage, "is for tenant tenant-a, not tenant-b")
	f.run("apply", "-f", "testdata/missing.yaml").fails(t, exitFailure, "cannot read testdata/missing.yaml: no such file or directory")
	f.run("apply").fails(t, exitUsage, `required flag(s) "file" not set`)
	if n := len(f.srv.Policies()); n != 1 {
		t.Errorf("a failed apply changed the policies: %d", n)
	}
}
