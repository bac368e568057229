package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
		{"http", []string{"-listen", "127.0.0.1:0", "-user", "ops", "-password", "secret", "-task-model", "instant"}},
		{"tls", []string{"-listen", "127.0.0.1:0", "-user", "ops", "-password", "secret", "-tls", "-cert-out", filepath.Join(dir, "cert.pem")}},
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
			drained := make(chan struct{})
			go func() { // drain the rest of stdout until the process exits
				defer close(drained)
				for lines.Scan() {
				}
			}()
			defer func() { _ = cmd.Process.Kill(); <-drained }()

			jar, _ := cookiejar.New(nil)
			hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
			if strings.HasPrefix(base, "https://") {
				pem, err := os.ReadFile(filepath.Join(dir, "cert.pem"))
				require.NoError(t, err)
				hc.Transport = tlsTransport(t, pem)
			}
			defer hc.CloseIdleConnections()

			resp, err := hc.Post(base+"/session/login", "application/json", strings.NewReader(`{"login":"ops","password":"secret"}`))
			require.NoError(t, err)
			resp.Body.Close()
			require.Equal(t, http.StatusCreated, resp.StatusCode)

			resp, err = hc.Get(base + "/virtual-machines?tenantid=tenant-a")
			require.NoError(t, err)
			var vms []struct{ GUID, Name string }
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&vms))
			resp.Body.Close()
			assert.Equal(t, "4", resp.Header.Get("X-Total-Count"))
			assert.Len(t, vms, 4)

			require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
			require.NoError(t, cmd.Wait())
			assert.Equal(t, 0, cmd.ProcessState.ExitCode())
		})
	}
}

func TestBadFlags(t *testing.T) {
	var out, errb bytes.Buffer
	for _, args := range [][]string{
		{"-task-model", "fast"},
		{"-seed", filepath.Join(t.TempDir(), "missing.json")},
		{"-nope"},
	} {
		assert.Equal(t, 2, run(args, &out, &errb), args)
	}
	assert.Equal(t, 1, run([]string{"-listen", "256.0.0.1:1"}, &out, &errb))
}
