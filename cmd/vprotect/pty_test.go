//go:build !windows

package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// This file drives the real vprotect binary on a pseudo-terminal
// (github.com/creack/pty) against a fake server whose backups take ten
// minutes, as a person at a terminal would: the progress bars must redraw
// in place, and Ctrl-C must ask whether to cancel the backups or leave them
// running, and do what the answer says. Waits are generous and nothing is
// timed, so that a loaded machine only makes the test slower.

// ptyTimeout bounds each wait for the binary's output.
const ptyTimeout = 2 * time.Minute

// buildCLI builds the vprotect binary in a temporary directory of t.
func buildCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "vprotect")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// terminal is the binary running on a pseudo-terminal, with all it has
// printed so far.
type terminal struct {
	t    *testing.T
	cmd  *exec.Cmd
	ptmx *os.File

	mu     sync.Mutex
	out    bytes.Buffer
	closed chan struct{} // the output has ended
}

// startOnTerminal starts the binary bin with args on a new 100×24
// terminal, against srv.
func startOnTerminal(t *testing.T, bin string, srv *vprotecttest.Server, args ...string) *terminal {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TERM=xterm", "TZ=UTC", "VPROTECT_URL="+srv.URL(),
		"VPROTECT_USER="+vprotecttest.DefaultLogin, "VPROTECT_PASSWORD="+vprotecttest.DefaultPassword,
		"VPROTECT_TENANT=", "VPROTECT_CA_FILE=", "VPROTECT_INSECURE=")
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 100})
	if err != nil {
		t.Fatal(err)
	}
	term := &terminal{t: t, cmd: cmd, ptmx: ptmx, closed: make(chan struct{})}
	go func() {
		defer close(term.closed)
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			term.mu.Lock()
			term.out.Write(buf[:n])
			term.mu.Unlock()
			if err != nil {
				return // EIO once the binary has ended
			}
		}
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		ptmx.Close()
	})
	return term
}

// output is everything printed so far.
func (term *terminal) output() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.out.String()
}

// waitFor waits until the output satisfies ok, failing the test after
// ptyTimeout or when the binary ends first.
func (term *terminal) waitFor(what string, ok func(out string) bool) {
	term.t.Helper()
	deadline := time.Now().Add(ptyTimeout)
	for !ok(term.output()) {
		select {
		case <-term.closed:
			if ok(term.output()) {
				return
			}
			term.t.Fatalf("the binary ended before %s; it printed:\n%q", what, term.output())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("no %s within %s; the binary printed:\n%q", what, ptyTimeout, term.output())
		}
	}
}

// type_ types s on the terminal's keyboard.
func (term *terminal) type_(s string) {
	term.t.Helper()
	if _, err := io.WriteString(term.ptmx, s); err != nil {
		term.t.Fatal(err)
	}
}

// exit waits for the binary to end and returns its exit status.
func (term *terminal) exit() int {
	term.t.Helper()
	done := make(chan error, 1)
	go func() { done <- term.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(ptyTimeout):
		term.t.Fatalf("the binary did not end within %s; it printed:\n%q", ptyTimeout, term.output())
	}
	select {
	case <-term.closed:
	case <-time.After(ptyTimeout):
	}
	return term.cmd.ProcessState.ExitCode()
}

// cursorUp is the escape that moves the cursor up over the bars drawn
// before, to draw them again over themselves.
var cursorUp = regexp.MustCompile(`\x1b\[\d+A`)

// TestBackupOnTerminal: backup --wait on a terminal draws one bar per VM
// and redraws them in place; Ctrl-C then asks, and the answer cancels the
// backups on the server or leaves them running.
func TestBackupOnTerminal(t *testing.T) {
	bin := buildCLI(t)
	for _, answer := range []string{"cancel", "leave"} {
		t.Run(answer, func(t *testing.T) {
			srv := vprotecttest.Start(t, vprotecttest.WithTaskDurations(map[string]time.Duration{
				"EXPORT": 10 * time.Minute, "STORE": 10 * time.Minute}))
			term := startOnTerminal(t, bin, srv, "backup", "a-web-1", "a-db-1", "--wait")

			// The bars: both VMs, redrawn in place several times.
			term.waitFor("bars redrawn in place", func(out string) bool {
				return strings.Contains(out, "a-web-1") && strings.Contains(out, "a-db-1") &&
					strings.Contains(out, "EXPORT RUNNING") && len(cursorUp.FindAllString(out, -1)) >= 5
			})
			out := term.output()
			if strings.Contains(out, "a-web-1: EXPORT task") {
				t.Errorf("a terminal got the lines meant for pipes:\n%q", out)
			}
			// Each redraw moves up over the two bars instead of adding lines.
			if n := strings.Count(out, "\x1b[2A"); n < 3 {
				t.Errorf("%d moves up over the two bars, want several:\n%q", n, out)
			}
			exports := srvTasks(srv, "EXPORT")
			if len(exports) != 2 {
				t.Fatalf("the server has %d EXPORT tasks, want 2", len(exports))
			}

			term.type_("\x03") // Ctrl-C
			term.waitFor("the question", func(out string) bool { return strings.Contains(out, "[cancel/leave]: ") })
			term.type_(answer + "\n")
			if code := term.exit(); code != exitFailure {
				t.Errorf("exit %d, want %d", code, exitFailure)
			}
			out = term.output()
			for _, guid := range exports {
				task, _ := srv.Task(guid)
				switch answer {
				case "cancel":
					if task.State.Name != "CANCELLED" {
						t.Errorf("EXPORT task %s is %s after cancel, want CANCELLED", guid, task.State.Name)
					}
					if !strings.Contains(out, "Cancelled EXPORT task "+guid) {
						t.Errorf("no line says %s is cancelled:\n%q", guid, out)
					}
				case "leave":
					if task.State.Name != "RUNNING" {
						t.Errorf("EXPORT task %s is %s after leave, want RUNNING", guid, task.State.Name)
					}
					if !strings.Contains(out, "vprotect task cancel ") || !strings.Contains(out, guid) {
						t.Errorf("the error does not say how to cancel %s:\n%q", guid, out)
					}
				}
			}
		})
	}
}

// srvTasks returns the GUIDs of the server's tasks of type typ that have
// not ended.
func srvTasks(srv *vprotecttest.Server, typ string) []string {
	var out []string
	for _, task := range srv.Tasks() {
		if task.Type.Name == typ && task.State.Name != "FINISHED" && task.State.Name != "FAILED" && task.State.Name != "CANCELLED" {
			out = append(out, task.GUID)
		}
	}
	return out
}

// TestFilesOnTerminal: files get on a terminal draws the mount's bar in
// place; Ctrl-C during the mount asks nothing, cancels the mount and
// leaves nothing mounted on the server.
func TestFilesOnTerminal(t *testing.T) {
	bin := buildCLI(t)
	srv := vprotecttest.Start(t, vprotecttest.WithTaskDurations(map[string]time.Duration{"RESTORE": 10 * time.Minute}))
	term := startOnTerminal(t, bin, srv, "files", "get", vprotecttest.DemoBackupTenantAWebIncGUID, "/lv_root/etc/fstab", "-d", t.TempDir())
	term.waitFor("the mount's bar redrawn in place", func(out string) bool {
		return strings.Contains(out, "RESTORE RUNNING") && len(cursorUp.FindAllString(out, -1)) >= 3
	})
	term.type_("\x03") // Ctrl-C
	if code := term.exit(); code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	out := term.output()
	if strings.Contains(out, "[cancel/leave]") || !strings.Contains(out, "is unmounted") {
		t.Errorf("the binary printed:\n%q", out)
	}
	for _, m := range srv.MountedBackups() {
		if m.GUID != vprotecttest.DemoMountedBackupGUID {
			t.Errorf("mounted backup %s of backup %s is left %s", m.GUID, m.Backup.GUID, m.State.Name)
		}
	}
}
