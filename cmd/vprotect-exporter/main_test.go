package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// addrLine is the line that says where the exporter serves.
var addrLine = regexp.MustCompile(`serving (http://\S+)/metrics`)

// waitForAddr reads out until the exporter says where it serves, then
// drains the rest in the background.
func waitForAddr(t *testing.T, out io.Reader) string {
	t.Helper()
	sc := bufio.NewScanner(out)
	found := make(chan string, 1)
	go func() {
		for sc.Scan() {
			if m := addrLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case a := <-found:
		return a
	case <-time.After(30 * time.Second):
		t.Fatal("the exporter did not say where it serves")
		return ""
	}
}

// get returns the status and body of GET url.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// -demo serves the embedded fake's metrics on /metrics and ok on /healthz;
// the end of its context ends run with status 0.
func TestRunDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-demo", "-listen", "127.0.0.1:0"}, func(string) string { return "" }, w, io.Discard)
		w.Close()
	}()
	base := waitForAddr(t, out)
	status, body := get(t, base+"/metrics")
	if status != http.StatusOK || !strings.Contains(body, "vprotect_up 1") || !strings.Contains(body, `vprotect_vm_info{hypervisor_manager="openstack"`) {
		t.Fatalf("/metrics: %d\n%.2000s", status, body)
	}
	if status, body := get(t, base+"/healthz"); status != http.StatusOK || body != "ok\n" {
		t.Fatalf("/healthz: %d %q", status, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit status %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
}

// The built binary exits 0 on SIGTERM.
func TestSIGTERMExitsZero(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "vprotect-exporter")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-demo", "-listen", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	base := waitForAddr(t, out)
	if status, _ := get(t, base+"/metrics"); status != http.StatusOK {
		t.Fatalf("/metrics: %d", status)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM: %v\n%s", err, stderr.String())
	}
}

func TestConfig(t *testing.T) {
	pwFile := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pwFile, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	envOf := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	for _, tc := range []struct {
		name string
		args []string
		env  func(string) string
		want func(*config) bool
		err  string
	}{
		{"env only", nil, envOf("VPROTECT_URL", "https://v:8181/api", "VPROTECT_USER", "mon", "VPROTECT_PASSWORD", "pw", "VPROTECT_EXPORTER_CACHE_TTL", "1m"),
			func(c *config) bool {
				return c.url == "https://v:8181/api" && c.user == "mon" && c.password == "pw" && c.cacheTTL == time.Minute && c.listen == DefaultListen
			}, ""},
		{"a flag wins over its variable; the file over VPROTECT_PASSWORD", []string{"-url", "https://flag/api", "-password-file", pwFile, "-listen", ":9999"},
			envOf("VPROTECT_URL", "https://env/api", "VPROTECT_USER", "mon", "VPROTECT_PASSWORD", "pw"),
			func(c *config) bool {
				return c.url == "https://flag/api" && c.password == "from-file" && c.listen == ":9999"
			}, ""},
		{"password file from the environment", nil, envOf("VPROTECT_URL", "u", "VPROTECT_USER", "mon", "VPROTECT_PASSWORD_FILE", pwFile),
			func(c *config) bool { return c.password == "from-file" }, ""},
		{"demo needs nothing", []string{"-demo"}, envOf(), func(c *config) bool { return c.demo }, ""},
		{"no password flag", []string{"-password", "x"}, envOf(), nil, "flag provided but not defined: -password"},
		{"no password", nil, envOf("VPROTECT_URL", "u", "VPROTECT_USER", "mon"), nil, "no password"},
		{"no URL", nil, envOf("VPROTECT_USER", "mon", "VPROTECT_PASSWORD", "pw"), nil, "-url (VPROTECT_URL) and -user (VPROTECT_USER) are required"},
		{"missing password file", []string{"-password-file", pwFile + ".none"}, envOf("VPROTECT_URL", "u", "VPROTECT_USER", "mon"), nil, "password file"},
		{"bad duration in the environment", []string{"-demo"}, envOf("VPROTECT_EXPORTER_SCRAPE_TIMEOUT", "soon"), nil, `VPROTECT_EXPORTER_SCRAPE_TIMEOUT="soon"`},
		{"zero TTL", []string{"-demo", "-cache-ttl", "0s"}, envOf(), nil, "-cache-ttl must be positive"},
		{"no concurrency", []string{"-demo", "-concurrency", "0"}, envOf(), nil, "-concurrency must be at least 1"},
	} {
		c, err := parseConfig(tc.args, tc.env, io.Discard)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.err)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case !tc.want(c):
			t.Errorf("%s: got %+v", tc.name, *c)
		}
	}
}

// Every flag has its environment variable and the usage text names both.
func TestUsageNamesEveryVariable(t *testing.T) {
	var out bytes.Buffer
	if _, err := parseConfig([]string{"-h"}, func(string) string { return "" }, &out); err == nil {
		t.Fatal("-h: no error")
	}
	if strings.Contains(out.String(), " ()") {
		t.Errorf("a flag has no environment variable:\n%s", out.String())
	}
	for flagName, v := range env {
		if !strings.Contains(out.String(), "-"+flagName+" ("+v+")") {
			t.Errorf("usage does not name -%s (%s):\n%s", flagName, v, out.String())
		}
	}
}
