package main

import (
	"encoding/json"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/vprotect-go/vprotect"
)

// TestVersion needs no server and no configuration.
func TestVersion(t *testing.T) {
	r := runCLI(t, nil, "version").ok(t)
	want := regexp.MustCompile(`^vprotect \S+ \(SDK ` + regexp.QuoteMeta(vprotect.Version) + `, ` + regexp.QuoteMeta(runtime.Version()) + `, \w+/\w+\)\n$`)
	if !want.MatchString(r.stdout) {
		t.Errorf("version printed %q", r.stdout)
	}
	var v versionView
	if err := json.Unmarshal([]byte(runCLI(t, nil, "version", "-o", "json").ok(t).stdout), &v); err != nil || v.SDKVersion != vprotect.Version || v.Go != runtime.Version() {
		t.Errorf("version -o json: %+v, %v", v, err)
	}
}

// TestCompletion: the scripts of bash, zsh and fish, without a server.
func TestCompletion(t *testing.T) {
	for shell, first := range map[string]string{
		"bash": "# bash completion V2 for vprotect",
		"zsh":  "#compdef vprotect",
		"fish": "# fish completion for vprotect",
	} {
		r := runCLI(t, nil, "completion", shell).ok(t)
		if !strings.HasPrefix(r.stdout, first) {
			t.Errorf("completion %s starts %q", shell, r.stdout[:min(len(r.stdout), 60)])
		}
	}
	runCLI(t, nil, "completion", "tcsh").fails(t, exitUsage, `unknown command "tcsh" for "vprotect completion"`)

	// The scripts ask the binary; it completes commands and flags.
	r := runCLI(t, nil, "__complete", "ta")
	if !strings.Contains(r.stdout, "task\t") || !strings.Contains(r.stdout, "tasks\t") {
		t.Errorf("completing \"ta\":\n%s", r.stdout)
	}
	r = runCLI(t, nil, "__complete", "tasks", "--st")
	if !strings.Contains(r.stdout, "--state\t") {
		t.Errorf("completing \"tasks --st\":\n%s", r.stdout)
	}
}

// TestHelp: the help names every command and the configuration.
func TestHelp(t *testing.T) {
	out := runCLI(t, nil, "--help").ok(t).stdout
	for _, want := range []string{"vms", "vm", "backups", "backup", "tasks", "task", "schedules", "policies", "rules", "rule",
		"apply", "completion", "version", "VPROTECT_URL", "VPROTECT_PASSWORD", "--demo", "-o, --output"} {
		if !strings.Contains(out, want) {
			t.Errorf("the help does not mention %s", want)
		}
	}
	golden(t, "help.txt", out)

	// A group of commands refuses an unknown one, and lists its own when
	// given none.
	runCLI(t, nil, "vm", "shwo", "a-web-1").fails(t, exitUsage, `unknown command "shwo" for "vprotect vm"`)
	runCLI(t, nil, "nosuch").fails(t, exitUsage, `unknown command "nosuch" for "vprotect"`)
	if out := runCLI(t, nil, "rule").ok(t).stdout; !strings.Contains(out, "show") || !strings.Contains(out, "delete") {
		t.Errorf("vprotect rule printed:\n%s", out)
	}
}
