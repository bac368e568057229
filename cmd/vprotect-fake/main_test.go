package main

import (
	"bufio"
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"go/parser"
	"go/token"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestBinary builds vprotect-fake, starts it on a free port, logs in, lists
// VMs and stops it with SIGTERM.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "vprotect-fake")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	for _, tc := range []struct {
		name string
		args []string
	}{
		{"http", []string{"-listen", "127.0.0.1:0", "-user", "ops", "-password", "secret", "-task-model", "instant", "-read-header-timeout", "200ms"}},
		{"http, 4.0", []string{"-listen", "127.0.0.1:0", "-user", "ops", "-password", "secret", "-server-version", "4.0", "-read-header-timeout", "200ms"}},
		{"tls", []string{"-listen", "127.0.0.1:0", "-user", "ops", "-password", "secret", "-tls", "-tls-host", "fake.example", "-cert-out", filepath.Join(dir, "cert.pem"), "-cors-origin", "https://engine.example.com"}},
		{"tls, certificate in a new temporary file", []string{"-listen", "127.0.0.1:0", "-user", "ops", "-password", "secret", "-tls"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(bin, tc.args...)
			pr, pw, err := os.Pipe()
			require.NoError(t, err)
			defer pr.Close()
			cmd.Stdout = pw
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			require.NoError(t, cmd.Start())
			pw.Close()
			defer func() { _ = cmd.Process.Kill() }()

			lines := bufio.NewScanner(pr)
			require.True(t, lines.Scan(), "no output")
			first := lines.Text()
			require.True(t, strings.HasPrefix(first, "vprotect-fake listening on "), first)
			base := strings.TrimPrefix(first, "vprotect-fake listening on ")
			require.True(t, strings.HasSuffix(base, "/api"), base)
			var certPath string
			if strings.HasPrefix(base, "https://") {
				require.True(t, lines.Scan(), "no certificate line")
				certPath = strings.TrimPrefix(lines.Text(), "certificate (PEM) written to ")
				require.NotEqual(t, lines.Text(), certPath, lines.Text())
			}
			drained := make(chan struct{})
			go func() { // drain the rest of stdout until the process exits
				defer close(drained)
				for lines.Scan() {
				}
			}()
			defer func() { _ = cmd.Process.Kill(); <-drained }()

			jar, _ := cookiejar.New(nil)
			hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
			if certPath != "" {
				pem, err := os.ReadFile(certPath)
				require.NoError(t, err)
				hc.Transport = tlsTransport(t, pem)
				names := certNames(t, pem)
				assert.Subset(t, names, []string{"localhost", "127.0.0.1", "::1"})
				if slices.Contains(tc.args, "-tls-host") {
					assert.Contains(t, names, "fake.example")
				}
			}
			defer hc.CloseIdleConnections()
			if !slices.Contains(tc.args, "-tls") {
				assertStallClosed(t, strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/api"), 200*time.Millisecond)
			}

			resp, err := hc.Post(base+"/session/login", "application/json", strings.NewReader(`{"login":"ops","password":"secret"}`))
			require.NoError(t, err)
			resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)

			v40 := slices.Contains(tc.args, "4.0")
			tenantParam := "project-uuid"
			if v40 {
				tenantParam = "tenantid"
			}
			req, err := http.NewRequest("GET", base+"/virtual-machines?"+tenantParam+"=tenant-a", nil)
			require.NoError(t, err)
			req.Header.Set("Origin", "https://engine.example.com")
			resp, err = hc.Do(req)
			require.NoError(t, err)
			if slices.Contains(tc.args, "-cors-origin") {
				assert.Equal(t, "https://engine.example.com", resp.Header.Get("Access-Control-Allow-Origin"), "-cors-origin")
			} else {
				assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"), "no CORS without -cors-origin")
			}
			var vms []struct{ GUID, Name string }
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&vms))
			resp.Body.Close()
			assert.Equal(t, "4", resp.Header.Get("X-Total-Count"))
			assert.Len(t, vms, 4)

			// 4.0 does not serve the 7.x-only routes.
			resp, err = hc.Get(base + "/snapshots")
			require.NoError(t, err)
			resp.Body.Close()
			if v40 {
				assert.Equal(t, http.StatusNotFound, resp.StatusCode, "-server-version 4.0")
			} else {
				assert.Equal(t, http.StatusOK, resp.StatusCode)
			}

			require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
			require.NoError(t, cmd.Wait())
			assert.Equal(t, 0, cmd.ProcessState.ExitCode())
			if certPath != "" && !slices.Contains(tc.args, "-cert-out") {
				assert.Equal(t, os.TempDir(), filepath.Dir(certPath))
				assert.Regexp(t, `^vprotect-fake-cert-[0-9]+\.pem$`, filepath.Base(certPath), "a random name, not a fixed one")
				assert.NoFileExists(t, certPath, "the temporary certificate file is removed at exit")
			}
		})
	}
}

// assertStallClosed sends half a request line's headers to addr and expects
// the server to close the connection after about limit.
func assertStallClosed(t *testing.T, addr string, limit time.Duration) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	start := time.Now()
	_, err = io.WriteString(conn, "GET /api/session HTTP/1.1\r\nHost: fake\r\nX-Slow: abc")
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(start.Add(10*time.Second)))
	_, err = io.Copy(io.Discard, conn)
	took := time.Since(start)
	require.False(t, errors.Is(err, os.ErrDeadlineExceeded), "a connection stalled in its headers was kept open for %v", took)
	assert.GreaterOrEqual(t, took, limit)
}

// certNames returns the DNS names and IP addresses of a PEM certificate.
func certNames(t *testing.T, b []byte) []string {
	t.Helper()
	block, _ := pem.Decode(b)
	require.NotNil(t, block)
	cert, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	names := slices.Clone(cert.DNSNames)
	for _, ip := range cert.IPAddresses {
		names = append(names, ip.String())
	}
	return names
}

// -cert-out is created exclusively: an existing file or a symlink (to a
// file or to nowhere) stops the start with a clear message, and nothing is
// written through it.
func TestCertOutIsCreatedExclusively(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.pem")
	require.NoError(t, os.WriteFile(existing, []byte("keep me"), 0o600))
	target := filepath.Join(dir, "target")
	dangling := filepath.Join(dir, "dangling.pem")
	require.NoError(t, os.Symlink(target, dangling))
	toExisting := filepath.Join(dir, "to-existing.pem")
	require.NoError(t, os.Symlink(existing, toExisting))

	for _, path := range []string{existing, dangling, toExisting} {
		var out, errb bytes.Buffer
		code := run([]string{"-listen", "127.0.0.1:0", "-tls", "-cert-out", path}, &out, &errb)
		assert.Equal(t, 1, code, path)
		assert.Contains(t, errb.String(), "-cert-out "+path+": already exists", path)
		assert.Empty(t, out.String(), "the server did not start")
	}
	got, err := os.ReadFile(existing)
	require.NoError(t, err)
	assert.Equal(t, "keep me", string(got))
	assert.NoFileExists(t, target, "the symlink was not followed")
}

// The usage text in the package doc shows every flag with its default.
func TestUsageShowsDefaults(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	require.NoError(t, err)
	doc := f.Doc.Text()
	_, usage, ok := strings.Cut(doc, "Usage:\n\n")
	require.True(t, ok, "the package doc has a Usage: block")
	usage, _, _ = strings.Cut(usage, "\n\n")
	require.True(t, strings.HasPrefix(strings.TrimSpace(usage), "vprotect-fake "), usage)
	fs, _ := newFlags(io.Discard)
	shown := map[string]bool{}
	for _, m := range regexp.MustCompile(`\[-([a-z-]+)(?: ([^\[\] ]+))?`).FindAllStringSubmatch(usage, -1) {
		name, value := m[1], m[2]
		shown[name] = true
		fl := fs.Lookup(name)
		if !assert.NotNil(t, fl, "usage shows -%s, which is no flag", name) || value == "" || value == strings.ToUpper(value) {
			continue // a bool flag, or a placeholder such as FILE
		}
		if strings.Contains(value, "|") {
			assert.Contains(t, strings.Split(value, "|"), fl.DefValue, "-%s", name)
			continue
		}
		if d, ok := fl.Value.(flag.Getter).Get().(time.Duration); ok {
			shownD, err := time.ParseDuration(value)
			require.NoError(t, err, "-%s %s", name, value)
			assert.Equal(t, d, shownD, "-%s: usage shows %s, the default is %s", name, value, fl.DefValue)
			continue
		}
		assert.Equal(t, fl.DefValue, value, "-%s", name)
	}
	fs.VisitAll(func(fl *flag.Flag) { assert.True(t, shown[fl.Name], "usage does not show -%s", fl.Name) })
}

func TestBadFlags(t *testing.T) {
	var out, errb bytes.Buffer
	for _, args := range [][]string{
		{"-cert-out", filepath.Join(t.TempDir(), "c.pem")},
		{"-tls-host", "fake.example"},
		{"-session-ttl", "-1m"},
		{"-read-header-timeout", "0"},
		{"-task-model", "fast"},
		{"-backup-cleanup-time", "24h"},
		{"-seed", filepath.Join(t.TempDir(), "missing.json")},
		{"-nope"},
	} {
		assert.Equal(t, 2, run(args, &out, &errb), args)
	}
	assert.Equal(t, 1, run([]string{"-listen", "256.0.0.1:1"}, &out, &errb))
	errb.Reset()
	assert.Equal(t, 1, run([]string{"-listen", "127.0.0.1:0", "-server-version", "5.0"}, &out, &errb))
	assert.Contains(t, errb.String(), `"5.0" is not a server version`)
	errb.Reset()
	assert.Equal(t, 1, run([]string{"-listen", "127.0.0.1:0", "-tls", "-tls-host", "a b"}, &out, &errb))
	assert.Contains(t, errb.String(), `"a b" is not a host name`)
}
