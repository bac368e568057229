package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// t0 is the time of the test servers' clock; the demo data's times derive
// from it, so that outputs are the same on every run.
var t0 = time.Date(2025, 3, 14, 15, 30, 0, 0, time.UTC)

// fixture is a fake vProtect server with a fixed clock and demo data, and
// the environment that points the CLI at it.
type fixture struct {
	t     *testing.T
	srv   *vprotecttest.Server
	clock *vprotecttest.FakeClock
	env   map[string]string
}

func newFixture(t *testing.T, opts ...vprotecttest.Option) *fixture {
	t.Helper()
	clock := vprotecttest.NewFakeClock(t0)
	srv := vprotecttest.Start(t, append([]vprotecttest.Option{vprotecttest.WithClock(clock)}, opts...)...)
	return &fixture{t: t, srv: srv, clock: clock, env: map[string]string{
		"VPROTECT_URL":      srv.URL(),
		"VPROTECT_USER":     vprotecttest.DefaultLogin,
		"VPROTECT_PASSWORD": vprotecttest.DefaultPassword,
		"TZ":                "UTC",
	}}
}

// result is what one run of the CLI printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

// run runs the CLI in-process with the fixture's environment.
func (f *fixture) run(args ...string) result {
	f.t.Helper()
	return runCLI(f.t, f.env, args...)
}

// runCLI runs the CLI in-process with env as its whole environment and no
// terminal on stdin.
func runCLI(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	a := newApp(func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	// The demo's tasks step at each poll, polled every millisecond, so that
	// a wait (backup --wait) sees the same states on every run.
	clock := vprotecttest.NewFakeClock(t0)
	a.demoOptions = []vprotecttest.Option{vprotecttest.WithClock(clock), vprotecttest.WithTaskModel(vprotecttest.StepPerPoll)}
	a.clientOptions = []vprotect.Option{vprotect.WithPollInterval(time.Millisecond)}
	a.now = clock.Now
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code := a.execute(ctx, args)
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// ok fails the test unless the run succeeded with nothing on stderr.
func (r result) ok(t *testing.T) result {
	t.Helper()
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", r.code, r.stderr, r.stdout)
	}
	return r
}

// fails checks the exit status and that stderr is one line holding each of
// want.
func (r result) fails(t *testing.T, code int, want ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d; stderr %q", r.code, code, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "vprotect: ") || strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") {
		t.Errorf("stderr is not one line starting with \"vprotect: \": %q", r.stderr)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr %q does not say %q", r.stderr, w)
		}
	}
	if r.stdout != "" {
		t.Errorf("stdout of a failed run is not empty: %q", r.stdout)
	}
}

// golden compares got with testdata/name, or writes it there with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// goldenOutputs runs args as a table, -o json and -o yaml, and compares each
// output with testdata/<name>.txt, .json and .yaml. The JSON must be one
// document.
func (f *fixture) goldenOutputs(name string, args ...string) {
	f.t.Helper()
	golden(f.t, name+".txt", f.run(args...).ok(f.t).stdout)
	js := f.run(append(args, "-o", "json")...).ok(f.t).stdout
	checkOneJSONDocument(f.t, js)
	golden(f.t, name+".json", js)
	golden(f.t, name+".yaml", f.run(append(args, "-o", "yaml")...).ok(f.t).stdout)
}

// client is an SDK client of the fixture's server, for what a test sets up
// outside the CLI.
func (f *fixture) client() *vprotect.Client {
	f.t.Helper()
	c, err := vprotect.New(f.srv.URL(), vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword))
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { c.Close() })
	return c
}

// export starts a backup of the VM guid and returns its EXPORT task. Its
// window starts at the fixture's clock (the SDK's default is the real one).
func (f *fixture) export(guid string) vprotect.Task {
	f.t.Helper()
	res, err := f.client().Tasks.Export(context.Background(), vprotect.ExportRequest{ProtectedEntities: []string{guid},
		WindowStart: f.clock.Now()})
	if err != nil || len(res.Tasks) != 1 {
		f.t.Fatalf("export: %v, %+v", err, res)
	}
	return res.Tasks[0]
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
