package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// installLine is the README's install command.
const installLine = "go install github.com/vprotect-go/vprotect/cmd/vprotect@latest"

// session is one command of the README's section on vprotect and what it
// printed: stderr then stdout, as a terminal shows them.
type session struct {
	command string
	output  string
}

// readmeSessions returns the "$ " lines of the console blocks of the
// README's section on the vprotect command, each with the lines after it.
func readmeSessions(t *testing.T) []session {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## The vprotect command\n")
	if !ok {
		t.Fatal(`the README has no section "The vprotect command"`)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var (
		sessions []session
		inBlock  bool
	)
	for _, line := range strings.Split(section, "\n") {
		switch {
		case line == "```console":
			inBlock = true
		case line == "```":
			inBlock = false
		case inBlock && strings.HasPrefix(line, "$ "):
			sessions = append(sessions, session{command: strings.TrimPrefix(line, "$ ")})
		case inBlock && len(sessions) > 0:
			sessions[len(sessions)-1].output += line + "\n"
		case inBlock:
			t.Fatalf("a console block starts with output, not a command: %q", line)
		}
	}
	return sessions
}

// TestREADMESessions runs every session of the README's section on the
// vprotect command, with the repository's files, and compares what it prints
// with what the README shows. The install line is the module's.
func TestREADMESessions(t *testing.T) {
	sessions := readmeSessions(t)
	if len(sessions) < 3 {
		t.Fatalf("the README shows %d sessions", len(sessions))
	}
	if sessions[0].command != installLine || sessions[0].output != "" {
		t.Errorf("the first session is %q, want the install line %q", sessions[0].command, installLine)
	}
	// The sessions run in an empty directory (files get saves there) that
	// has the repository's examples and cmd, the files they name.
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"examples", "cmd"} {
		if err := os.Symlink(filepath.Join(root, name), filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	for _, s := range sessions[1:] {
		args := strings.Fields(s.command)
		if args[0] != "vprotect" {
			t.Errorf("the README shows a command that is not vprotect's: %s", s.command)
			continue
		}
		r := runCLI(t, map[string]string{"TZ": "UTC"}, args[1:]...)
		if got := r.stderr + r.stdout; got != s.output {
			t.Errorf("$ %s (exit %d) prints:\n%s\nthe README shows:\n%s", s.command, r.code, got, s.output)
		}
	}
}
