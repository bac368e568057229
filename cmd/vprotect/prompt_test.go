//go:build linux

package main

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/vprotect-go/vprotect/vprotecttest"
	"golang.org/x/sys/unix"
)

// TestPasswordPrompt: with VPROTECT_PASSWORD unset and a terminal on stdin,
// the password is asked for on stderr, read without echo, and used; it
// shows nowhere, also when it is wrong.
func TestPasswordPrompt(t *testing.T) {
	f := newFixture(t)
	delete(f.env, "VPROTECT_PASSWORD")
	for _, tc := range []struct {
		password string
		code     int
	}{
		{vprotecttest.DefaultPassword, exitOK},
		{"not-the-password-42", exitFailure},
	} {
		stdout, stderr, echoed, code := runWithTerminal(t, f.env, tc.password, "vms", "--tenant", vprotecttest.DemoTenantB)
		if code != tc.code {
			t.Errorf("password %q: exit %d, want %d; stderr %q", tc.password, code, tc.code, stderr)
		}
		if !strings.HasPrefix(stderr, "Password for admin at "+f.srv.URL()+": \n") {
			t.Errorf("the prompt: stderr %q", stderr)
		}
		if tc.code == exitOK && !strings.Contains(stdout, "b-web-1") {
			t.Errorf("the VMs are not listed:\n%s", stdout)
		}
		if tc.code == exitFailure && !strings.Contains(stderr, "login failed: wrong user or password") {
			t.Errorf("stderr %q", stderr)
		}
		if strings.Contains(stdout+stderr+echoed, tc.password) {
			t.Errorf("the password shows: stdout %q, stderr %q, terminal %q", stdout, stderr, echoed)
		}
	}
}

// echoOn reports whether the terminal echoes what is typed.
func echoOn(t *testing.T, tty *os.File) bool {
	t.Helper()
	st, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return st.Lflag&unix.ECHO != 0
}

// runWithTerminal runs the CLI with a pseudo-terminal on stdin, types
// password and Enter at its prompt, and returns what it printed, what the
// terminal echoed and the exit status.
func runWithTerminal(t *testing.T, env map[string]string, password string, args ...string) (stdout, stderr, echoed string, code int) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	// What the terminal shows; the copy ends when tty closes (the master
	// then reads EIO).
	var terminal syncBuffer
	copied := make(chan struct{})
	go func() { _, _ = io.Copy(&terminal, ptmx); close(copied) }()
	var out, errOut syncBuffer
	a := newApp(func(k string) string { return env[k] }, tty, &out, &errOut)
	done := make(chan int)
	go func() { done <- a.execute(context.Background(), args) }()
	deadline := time.Now().Add(10 * time.Second)
	// Type once the prompt is out and the terminal's echo is off, as a
	// person would after reading it.
	for !strings.Contains(errOut.String(), "Password for ") || echoOn(t, tty) {
		if time.Now().After(deadline) {
			t.Fatalf("no prompt, or the echo stays on: stderr %q", errOut.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := io.WriteString(ptmx, password+"\r"); err != nil {
		t.Fatal(err)
	}
	code = <-done
	tty.Close()
	<-copied
	return out.String(), errOut.String(), strings.TrimSpace(terminal.String()), code
}
