package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// newJobFixture is a fixture whose tasks move one step each time they are
// read (QUEUED, RUNNING 0%, RUNNING 50%, FINISHED), so that a wait sees
// the same states on every run.
func newJobFixture(t *testing.T, opts ...vprotecttest.Option) *fixture {
	t.Helper()
	return newFixture(t, append([]vprotecttest.Option{vprotecttest.WithTaskModel(vprotecttest.StepPerPoll)}, opts...)...)
}

// jobRun is a run of a command that waits for tasks: stdout, stderr (the
// progress, and the error line last) and the exit status.
type jobRun struct {
	// interruptOn, when set, cancels the run's context (Ctrl-C) once stderr
	// holds it.
	interruptOn string
	stdin       string
}

// run runs args in-process like f.run, polling tasks every millisecond.
func (j jobRun) run(f *fixture, args ...string) result {
	f.t.Helper()
	var stdout bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	runCtx, interrupt := context.WithCancel(ctx)
	defer interrupt()
	stderr := &watchedBuffer{}
	if j.interruptOn != "" {
		stderr.on, stderr.do = j.interruptOn, interrupt
	}
	env := f.env
	a := newApp(func(k string) string { return env[k] }, strings.NewReader(j.stdin), &stdout, stderr)
	a.clientOptions = []vprotect.Option{vprotect.WithPollInterval(time.Millisecond)}
	a.now = f.clock.Now
	code := a.execute(runCtx, args)
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// watchedBuffer is a buffer that calls do once when it first holds on.
type watchedBuffer struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	on   string
	do   func()
	done bool
}

func (b *watchedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if b.on != "" && !b.done && strings.Contains(b.buf.String(), b.on) {
		b.done = true
		b.do()
	}
	return n, err
}

func (b *watchedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lastLine is the last line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// failsWith checks that the run ended with exit status code and that the
// last line on stderr is the error holding each of want.
func (r result) failsWith(t *testing.T, code int, want ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d; stderr:\n%s", r.code, code, r.stderr)
	}
	last := lastLine(r.stderr)
	if !strings.HasPrefix(last, "vprotect: ") {
		t.Errorf("the last line of stderr is not the error: %q", last)
	}
	for _, w := range want {
		if !strings.Contains(last, w) {
			t.Errorf("the error %q does not say %q", last, w)
		}
	}
}

// succeeds checks that the run ended with exit status 0.
func (r result) succeeds(t *testing.T) result {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit %d, stderr:\n%s\nstdout:\n%s", r.code, r.stderr, r.stdout)
	}
	return r
}

// TestJobProgressLines: off a terminal, one line per new task or state and
// one at the end; polls that change nothing print nothing.
func TestJobProgressLines(t *testing.T) {
	var buf bytes.Buffer
	p := newJobProgress(&buf)
	p.add("vm", "a-web-1", 7, vprotect.TaskTypeExport, vprotect.TaskTypeStore)
	task := func(guid string, typ vprotect.TaskType, state vprotect.TaskState, pct float64) *vprotect.Task {
		return &vprotect.Task{GUID: guid, Type: vprotect.EnumOf(typ), State: vprotect.EnumOf(state), Progress: pct}
	}
	p.show("vm", task("e", vprotect.TaskTypeExport, vprotect.TaskStateQueued, 0))
	p.show("vm", task("e", vprotect.TaskTypeExport, vprotect.TaskStateRunning, 10))
	p.show("vm", task("e", vprotect.TaskTypeExport, vprotect.TaskStateRunning, 60))
	p.show("vm", task("e", vprotect.TaskTypeExport, vprotect.TaskStateFinished, 100))
	p.show("vm", task("s", vprotect.TaskTypeStore, vprotect.TaskStateRunning, 5))
	p.show("vm", task("e", vprotect.TaskTypeExport, vprotect.TaskStateFinished, 100)) // late: ignored
	p.show("other", task("x", vprotect.TaskTypeExport, vprotect.TaskStateRunning, 5)) // not a job: ignored
	p.end("vm", true, "stored, 4.0 GiB")
	p.end("vm", false, "ignored: ended already")
	p.show("vm", task("s", vprotect.TaskTypeStore, vprotect.TaskStateFailed, 5)) // after the end: ignored
	p.stop()
	want := `a-web-1: EXPORT task e QUEUED
a-web-1: EXPORT task e RUNNING
a-web-1: EXPORT task e FINISHED
a-web-1: STORE task s RUNNING
a-web-1: stored, 4.0 GiB
`
	if buf.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestJoinNames(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a and b"}, {[]string{"a", "b", "c"}, "a, b and c"}} {
		if got := joinNames(tc.in); got != tc.want {
			t.Errorf("joinNames(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
