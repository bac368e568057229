package examples_test

// These tests build every example once and run each as its own process, on
// the embedded default (no VPROTECT_URL) and against a fake server the test
// starts and shares between runs, checking the exit status and the lines a
// reader relies on. They keep the examples from rotting.

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// examples are the programs under examples/.
var examples = []string{"quickstart", "first-backup", "multi-tenant", "task-monitor", "restore", "policy-as-code", "file-restore"}

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.Cleanup(func(int) {
		if binDir != "" {
			_ = os.RemoveAll(binDir)
		}
	}))
}

// moduleRoot is the repository root, where the examples run (their default
// file paths are relative to it).
func moduleRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	return root
}

// binary builds all examples once (one go build) and returns the path of one.
func binary(t testing.TB, name string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the examples")
	}
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "vprotect-examples-"); buildErr != nil {
			return
		}
		args := []string{"build", "-o", binDir + string(filepath.Separator)}
		for _, e := range examples {
			args = append(args, "./examples/"+e)
		}
		cmd := exec.Command("go", args...)
		cmd.Dir = moduleRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = &buildError{err: err, out: string(out)}
		}
	})
	require.NoError(t, buildErr)
	return filepath.Join(binDir, name)
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return "go build: " + e.err.Error() + "\n" + e.out }

// result is one finished run of an example.
type result struct {
	stdout, stderr string
	code           int
	took           time.Duration
}

func (r result) lines() []string { return strings.Split(strings.TrimRight(r.stdout, "\n"), "\n") }

// run runs an example from the module root with env added to an environment
// cleared of every VPROTECT_ variable, and waits at most timeout.
func run(t *testing.T, timeout time.Duration, env map[string]string, name string, args ...string) result {
	t.Helper()
	bin := binary(t, name)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = moduleRoot(t)
	cmd.WaitDelay = 5 * time.Second
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "VPROTECT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("%s %v did not end within %s\nstdout:\n%s\nstderr:\n%s", name, args, timeout, r.stdout, r.stderr)
	}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	t.Logf("%s %v: exit %d in %s", name, args, r.code, r.took.Round(time.Millisecond))
	return r
}

// ok checks a successful run whose output holds every one of want, in
// order, and whose times say their zone.
func ok(t *testing.T, r result, want ...string) {
	t.Helper()
	require.Equal(t, 0, r.code, "exit status\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.Empty(t, r.stderr)
	timesSayUTC(t, r.stdout)
	rest := r.stdout
	for _, w := range want {
		i := strings.Index(rest, w)
		if !assert.True(t, i >= 0, "output lacks %q (in this order)\nstdout:\n%s", w, r.stdout) {
			return
		}
		rest = rest[i+len(w):]
	}
}

// clockTime is a time of day, with a date before it or not, and a range's
// end after it: "2025-03-14 15:30:45", "22:00", "08:00 to 18:00".
var clockTime = regexp.MustCompile(`(\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}(:\d{2})?( to \d{2}:\d{2})?`)

// timesSayUTC checks that every time an example prints is followed by its
// zone, UTC, and that no time is told relative to now ("3 h ago"), so that
// each program has one form for "when".
func timesSayUTC(t *testing.T, out string) {
	t.Helper()
	for _, loc := range clockTime.FindAllStringIndex(out, -1) {
		if !strings.HasPrefix(out[loc[1]:], " UTC") {
			line := out[strings.LastIndex(out[:loc[0]], "\n")+1:]
			if i := strings.Index(line, "\n"); i >= 0 {
				line = line[:i]
			}
			t.Errorf("a time without its zone: %q in %q", out[loc[0]:loc[1]], line)
		}
	}
	assert.NotRegexp(t, `\d+ (min|h|days?) ago|just now`, out, "a relative time")
	assert.NotContains(t, out, "0001-01-01", "an unset time printed as a date")
}

// failed checks a run that ended with exit 1 and one line on stderr.
func failed(t *testing.T, r result, want string) {
	t.Helper()
	assert.Equal(t, 1, r.code, "exit status\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	assert.Len(t, lines, 1, "stderr must be one line:\n%s", r.stderr)
	assert.Contains(t, r.stderr, want)
	assert.NotContains(t, r.stderr, "goroutine", "no stack dump")
}

// serverEnv is the environment that points an example at srv.
func serverEnv(srv *vprotecttest.Server) map[string]string {
	return map[string]string{"VPROTECT_URL": srv.URL(), "VPROTECT_USER": vprotecttest.DefaultLogin,
		"VPROTECT_PASSWORD": vprotecttest.DefaultPassword}
}

// fastTasks makes a shared server's tasks short.
func fastTasks() vprotecttest.Option {
	d := 300 * time.Millisecond
	return vprotecttest.WithTaskDurations(map[string]time.Duration{"EXPORT": d, "STORE": d, "RESTORE": d, "IMPORT": d})
}

func TestQuickstartEmbedded(t *testing.T) {
	t.Parallel()
	r := run(t, 30*time.Second, nil, "quickstart") // the issue: under 30 s on the embedded default
	ok(t, r,
		"No VPROTECT_URL set: started the embedded vProtect fake server at http://127.0.0.1:",
		"1. Log in", "logged in as admin",
		"2. VMs of tenant tenant-a", "NAME", "a-web-1", "a-db-1", "a-app-1",
		"3. Details of a-web-1", "GUID:", "00000000-0000-4000-8000-000000000014", "Backup policy:", "gold",
		"4. FULL backup of a-web-1 to fs-default", "EXPORT   RUNNING", "EXPORT   FINISHED  100%", "STORE    FINISHED  100%",
		"SUCCESS, 4.0 GiB",
		"5. Backup history of a-web-1", "SNAPSHOT TIME", "FULL", "INCREMENTAL",
		"6. Restore the backup as a-web-1-restored-", "to hypervisor manager openstack (OPENSTACK), storage ceph-volumes, cluster nova",
		"RESTORE  FINISHED  100% [####################]  a-web-1 -> a-web-1-restored-",
		"IMPORT   FINISHED  100% [####################]  a-web-1 -> a-web-1-restored-",
		"7. Restored VM a-web-1-restored-", "Name:", "a-web-1-restored-",
		"8. Schedule, policy and rule for tenant tenant-a", "quickstart-", "-nightly", "DISABLED",
		"9. Clean up", "removed policy quickstart-", "removed schedule quickstart-", "removed restored VM a-web-1-restored-",
		"removed backup 00000000-0000-4000-8000-000000001001 (marked expired: the next cleanup run deletes it)",
		"Done in")
	assert.NotContains(t, r.stdout, "the API has no call")
	assert.True(t, strings.HasPrefix(r.lines()[0], "No VPROTECT_URL set: started the embedded vProtect fake server"),
		"the first line says the embedded server runs: %q", r.lines()[0])
}

// Against a server given by VPROTECT_URL, over TLS with VPROTECT_CA_FILE,
// the quickstart removes everything it created.
func TestQuickstartAgainstServerWithCAFile(t *testing.T) {
	t.Parallel()
	srv := vprotecttest.Start(t, vprotecttest.WithTLS(), fastTasks())
	ca := filepath.Join(t.TempDir(), "vprotect.pem")
	require.NoError(t, os.WriteFile(ca, srv.CertificatePEM(), 0o600))
	env := serverEnv(srv)
	env["VPROTECT_CA_FILE"] = ca
	env["VPROTECT_TENANT"] = vprotecttest.DemoTenantB
	r := run(t, 60*time.Second, env, "quickstart")
	ok(t, r, "Using the vProtect server at "+srv.URL()+" as admin.",
		"2. VMs of tenant tenant-b", "b-web-1",
		"4. FULL backup of b-web-1", "STORE    FINISHED", "7. Restored VM b-web-1-restored-", "9. Clean up")
	assert.NotContains(t, r.stdout, "embedded")
	for _, s := range srv.Schedules() {
		assert.False(t, strings.HasPrefix(s.Name, "quickstart-"), "left behind: schedule %s", s.Name)
	}
	for _, p := range srv.Policies() {
		assert.False(t, strings.HasPrefix(p.Name, "quickstart-"), "left behind: policy %s", p.Name)
	}
	for _, rule := range srv.Rules() {
		assert.False(t, strings.HasPrefix(rule.Name, "quickstart-"), "left behind: rule %s", rule.Name)
	}
	for _, vm := range srv.VMs() {
		assert.NotContains(t, vm.Name, "-restored-", "left behind: VM %s", vm.Name)
	}
	var marked int
	for _, b := range srv.Backups() {
		if b.ProtectedEntity.GUID == vprotecttest.DemoVMTenantBWebGUID && b.BackupLocations[0].RetentionHint.Name == "TO_REMOVE" {
			marked++
		}
	}
	assert.Equal(t, 1, marked, "the quickstart's backup is marked expired, the others are not")
}

// Bad configurations end with one clear line on stderr and exit 1, and never
// print the password.
func TestBadConfiguration(t *testing.T) {
	t.Parallel()
	srv := vprotecttest.Start(t)
	tlsSrv := vprotecttest.Start(t, vprotecttest.WithTLS())
	dir := t.TempDir()
	otherCA := filepath.Join(dir, "other.pem") // a self-signed certificate of another server
	require.NoError(t, os.WriteFile(otherCA, selfSigned(t), 0o600))
	notPEM := filepath.Join(dir, "not.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("this is not a certificate\n"), 0o600))

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closedURL := "http://" + l.Addr().String() + "/api"
	require.NoError(t, l.Close())

	const secret = "s3cret-not-the-password"
	with := func(base map[string]string, kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tlsEnv := serverEnv(tlsSrv)
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"unreachable URL", with(serverEnv(srv), "VPROTECT_URL", closedURL), "cannot reach vProtect"},
		{"wrong password", with(serverEnv(srv), "VPROTECT_PASSWORD", secret), "quickstart: login failed: wrong user or password"},
		{"missing CA file", with(tlsEnv, "VPROTECT_CA_FILE", filepath.Join(dir, "missing.pem")), "VPROTECT_CA_FILE: cannot read"},
		{"CA file without a certificate", with(tlsEnv, "VPROTECT_CA_FILE", notPEM), "holds no PEM certificate"},
		{"CA file of another server", with(tlsEnv, "VPROTECT_CA_FILE", otherCA), "TLS: the server's certificate is not trusted"},
		{"self-signed certificate, no CA file", tlsEnv, "TLS: the server's certificate is not trusted"},
		{"URL without credentials", map[string]string{"VPROTECT_URL": srv.URL()}, "set VPROTECT_USER and VPROTECT_PASSWORD"},
		{"bad URL", with(serverEnv(srv), "VPROTECT_URL", "ftp://vprotect.example.com"), "VPROTECT_URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := run(t, 30*time.Second, tc.env, "quickstart")
			failed(t, r, tc.want)
			assert.NotContains(t, r.stdout+r.stderr, secret, "the password is printed")
			assert.NotContains(t, r.stdout, "embedded", "a bad configuration must not fall back to the embedded server")
		})
	}

	// VPROTECT_INSECURE=1 accepts the self-signed certificate.
	t.Run("insecure", func(t *testing.T) {
		t.Parallel()
		r := run(t, 30*time.Second, with(tlsEnv, "VPROTECT_INSECURE", "1"), "multi-tenant")
		ok(t, r, "Using the vProtect server at https://")
	})
}

func TestMultiTenant(t *testing.T) {
	t.Parallel()
	r := run(t, 30*time.Second, nil, "multi-tenant")
	ok(t, r, "embedded vProtect fake server",
		"Tenant tenant-a (VMs: 4, schedules: 1, policies: 1)", "a-web-1", "daily-2200", "gold",
		"Tenant tenant-b (VMs: 3, schedules: 0, policies: 0)", "b-web-1",
		"Isolation", "isolated: 2 tenants")
	tenantB := r.stdout[strings.Index(r.stdout, "Tenant tenant-b"):]
	assert.NotContains(t, tenantB, "a-web-1", "tenant-b sees a VM of tenant-a")
	assert.NotContains(t, tenantB, "gold", "tenant-b sees a policy of tenant-a")
	assert.Regexp(t, `a-web-1 +yes +gold +up to date +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC`, r.stdout, "last backup: absolute, in UTC")
	assert.Regexp(t, `a-app-1 +yes +- +no schedule +never`, r.stdout, "never backed up")
}

// "isolated: N tenants" counts only the tenants the server lists something
// for: a mistyped tenant is reported, not counted.
func TestMultiTenantCountsOnlyKnownTenants(t *testing.T) {
	t.Parallel()
	srv := vprotecttest.Start(t)
	r := run(t, 30*time.Second, serverEnv(srv), "multi-tenant", "-tenants", "tenant-a,tenant-x,tenant-b,tenant-y")
	ok(t, r, "Tenant tenant-a (VMs: 4", "Tenant tenant-x: nothing is listed", "Tenant tenant-b (VMs: 3",
		"Tenant tenant-y: nothing is listed",
		"isolated: 2 tenants, ", "not counted: tenant-x, tenant-y (nothing listed)")
	r = run(t, 30*time.Second, serverEnv(srv), "multi-tenant", "-tenants", "tenant-b,tenant-x")
	ok(t, r, "isolated: 1 tenant, 3 objects", "not counted: tenant-x")
}

func TestTaskMonitor(t *testing.T) {
	t.Parallel()
	r := run(t, 60*time.Second, nil, "task-monitor")
	ok(t, r, "Started 3 backups of tenant tenant-a's VMs", "EXPORT   QUEUED", "STORE    FINISHED  100%",
		"All 6 tasks ended: 6 finished, 0 failed, 0 cancelled.")
	storeAfterExport(t, r.stdout)

	// Against a server with nothing running it says so and ends.
	srv := vprotecttest.Start(t)
	ok(t, run(t, 30*time.Second, serverEnv(srv), "task-monitor"), "No task is queued or running.")

	// A failed task makes it exit 1 after reporting it.
	srv = vprotecttest.Start(t) // tasks of 3 s: still running when the monitor starts
	srv.FailNextTask("EXPORT", vprotecttest.DemoVMTenantBDBGUID, "snapshot failed: disk busy")
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword))
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Tasks.Export(context.Background(), vprotect.ExportRequest{ProtectedEntities: []string{vprotecttest.DemoVMTenantBDBGUID}})
	require.NoError(t, err)
	r = run(t, 30*time.Second, serverEnv(srv), "task-monitor", "-interval", "100ms")
	assert.Contains(t, r.stdout, "EXPORT   FAILED")
	assert.Contains(t, r.stdout, "snapshot failed: disk busy")
	failed(t, r, "task-monitor: 1 tasks failed")
}

// storeAfterExport checks task-monitor's lines: no VM's STORE shows up
// before the line that says its EXPORT finished.
func storeAfterExport(t *testing.T, out string) {
	t.Helper()
	line := regexp.MustCompile(`^\d\d:\d\d:\d\d UTC +(EXPORT|STORE) +(\w+) .*\]  (\S+)$`)
	exported := map[string]bool{}
	stores := 0
	for _, l := range strings.Split(out, "\n") {
		m := line.FindStringSubmatch(l)
		switch {
		case m == nil:
		case m[1] == "EXPORT" && m[2] == "FINISHED":
			exported[m[3]] = true
		case m[1] == "STORE":
			stores++
			assert.True(t, exported[m[3]], "a STORE of %s before its EXPORT finished: %q\n%s", m[3], l, out)
		}
	}
	assert.Positive(t, stores, "no STORE line in\n%s", out)
}

func TestRestore(t *testing.T) {
	t.Parallel()
	r := run(t, 60*time.Second, nil, "restore")
	ok(t, r, "embedded vProtect fake server",
		"Latest successful backup of a-web-1: INCREMENTAL 00000000-0000-4000-8000-000000000030 of ", " UTC, 409.6 MiB",
		"Restoring it as a-web-1-restored-", "next to a-web-1", "RESTORE  FINISHED  100% [####################]  a-web-1 -> a-web-1-restored-",
		"IMPORT   FINISHED  100% [####################]  a-web-1 -> a-web-1-restored-",
		"Restored a-web-1 as a-web-1-restored-")

	srv := vprotecttest.Start(t, fastTasks())
	r = run(t, 60*time.Second, serverEnv(srv), "restore", "-vm", "rhv-vm-1", "-as", "rhv-vm-1-copy")
	ok(t, r, "Latest successful backup of rhv-vm-1: FULL", "Restoring it as rhv-vm-1-copy next to rhv-vm-1",
		"RESTORE  FINISHED  100% [####################]  rhv-vm-1 -> rhv-vm-1-copy", "Restored rhv-vm-1 as rhv-vm-1-copy")
	found := false
	for _, vm := range srv.VMs() {
		if vm.Name == "rhv-vm-1-copy" {
			found = true
			if assert.NotNil(t, vm.HvManager) {
				assert.Equal(t, vprotecttest.DemoRHVManagerGUID, vm.HvManager.GUID, "restored next to the source, on its manager")
			}
		}
	}
	assert.True(t, found, "the restored VM is in the inventory")

	failed(t, run(t, 30*time.Second, serverEnv(srv), "restore", "-vm", "no-such-vm"), `restore: no VM is named "no-such-vm"`)

	// Messages name the VM as typed, never by a GUID the user did not give.
	r = run(t, 30*time.Second, serverEnv(srv), "restore", "-vm", "a-app-1")
	failed(t, r, "restore: VM a-app-1 has no successful backup")
	assert.NotContains(t, r.stderr, vprotecttest.DemoVMTenantAAppGUID)
	r = run(t, 60*time.Second, serverEnv(srv), "restore", "-vm", vprotecttest.DemoVMRHV1GUID, "-as", "rhv-copy-2")
	ok(t, r, "Latest successful backup of "+vprotecttest.DemoVMRHV1GUID+": FULL",
		"Restoring it as rhv-copy-2 next to "+vprotecttest.DemoVMRHV1GUID,
		"RESTORE  FINISHED  100% [####################]  rhv-vm-1 -> rhv-copy-2",
		"Restored "+vprotecttest.DemoVMRHV1GUID+" as rhv-copy-2")
}

func TestFileRestore(t *testing.T) {
	t.Parallel()
	r := run(t, 30*time.Second, nil, "file-restore") // under 30 s on the embedded default
	ok(t, r, "embedded vProtect fake server",
		"1. Backup of a-web-1: INCREMENTAL 00000000-0000-4000-8000-000000000030 of ",
		"2. Mounting it at /mnt/vprotect/a-web-1/", "RESTORE  FINISHED  100%", "MOUNT    FINISHED  100%", "mounted on node-1 until ",
		"3. File systems", "/dev/sda1            ext4  boot   1.0 GiB", "/dev/vg_sda/lv_root  xfs   root   19.0 GiB",
		"4. Walked to /home/alice/projects: on /dev/vg_sda/lv_root, after ",
		"5. ls -l /home/alice/projects", "-rw-r-----  alice  alice  1048576", "data.csv", "report.md",
		"6. Downloading /home/alice/projects/data.csv", "] 100%  1.0 MiB of 1.0 MiB", "data.csv: 1048576 bytes, SHA-256 ",
		"7. Downloading /home/alice/projects as one archive", "projects.tar: ", "(application/x-tar)",
		"8. Unmounting", "unmounted: mounted backup 00000000-0000-4000-8000-000000001001 is gone")

	srv := vprotecttest.Start(t, fastTasks())
	var dayOfFull string
	for _, b := range srv.Backups() {
		if b.GUID == vprotecttest.DemoBackupTenantAWebFullGUID {
			dayOfFull = time.UnixMilli(b.SnapshotTime).UTC().Format(time.DateOnly)
		}
	}
	require.NotEmpty(t, dayOfFull)
	out := t.TempDir()
	r = run(t, 30*time.Second, serverEnv(srv), "file-restore", "-day", dayOfFull, "-path", "/etc", "-file", "/etc/passwd", "-out", out)
	ok(t, r, "1. Backup of a-web-1: FULL "+vprotecttest.DemoBackupTenantAWebFullGUID, "4. Walked to /etc: on /dev/vg_sda/lv_root",
		"shadow", "6. Downloading /etc/passwd", "passwd: 1843 bytes, SHA-256 ", "etc.tar: ")
	got, err := os.ReadFile(filepath.Join(out, "passwd"))
	require.NoError(t, err)
	assert.Len(t, got, 1843)
	assert.True(t, strings.HasPrefix(string(got), "/etc/passwd 00000000\n"), "the fake's contents of /etc/passwd")
	assert.Contains(t, r.stdout, fmt.Sprintf("SHA-256 %x", sha256.Sum256(got)))
	_, err = os.Stat(filepath.Join(out, "etc.tar"))
	assert.NoError(t, err)
	assert.Len(t, srv.MountedBackups(), 1, "only the demo's mount is left")

	failed(t, run(t, 30*time.Second, serverEnv(srv), "file-restore", "-day", "2001-01-01"), "file-restore: VM a-web-1 has no mountable backup of 2001-01-01")
	r = run(t, 30*time.Second, serverEnv(srv), "file-restore", "-path", "/no/such/dir")
	failed(t, r, "file-restore: no file system of the backup has /no/such/dir")
	assert.Contains(t, r.stdout, "removed mounted backup", "a failed run unmounts what it mounted")
	assert.Len(t, srv.MountedBackups(), 1)
}

// policy-as-code reconciles one server over several runs: create, nothing,
// update and delete, nothing, and delete all.
func TestPolicyAsCode(t *testing.T) {
	t.Parallel()
	r := run(t, 30*time.Second, nil, "policy-as-code")
	ok(t, r, "embedded", "Plan: 8 to create, 0 to update, 0 to delete", "Applied 8 changes.",
		"Planned again: no changes, tenant tenant-a matches desired.json.")

	srv := vprotecttest.Start(t)
	env := serverEnv(srv)
	desired := filepath.Join("examples", "policy-as-code", "desired.json")

	r = run(t, 30*time.Second, env, "policy-as-code", "-file", desired, "-dry-run")
	ok(t, r, "Plan: 8 to create", "Dry run: nothing changed.")
	assert.Len(t, srv.Policies(), 1, "a dry run changes nothing")

	r = run(t, 30*time.Second, env, "policy-as-code", "-file", desired)
	ok(t, r, "Desired state: desired.json (tenant tenant-a, objects named pac-*)",
		"Plan: 8 to create, 0 to update, 0 to delete",
		"+ schedule pac-weeknights: FULL backup at 22:00 UTC, start within 4h on MON,TUE,WED,THU,FRI, active yes",
		"+ policy pac-silver: priority 60, VMs [a-app-1], active yes",
		"+ rule pac-offsite/weekly-offsite: schedules pac-weekend, backups to s3-offsite, active yes",
		"Applied 8 changes.")
	assert.NotContains(t, r.stdout, "Planned again", "only on the embedded server")

	r = run(t, 30*time.Second, env, "policy-as-code", "-file", desired)
	ok(t, r, "No changes: tenant tenant-a matches desired.json.")
	assert.NotContains(t, r.stdout, "Plan:")

	changed := filepath.Join(t.TempDir(), "changed.json")
	require.NoError(t, os.WriteFile(changed, []byte(`{
  "tenant": "tenant-a", "prefix": "pac-",
  "schedules": [
    {"name": "pac-weeknights", "at": "22:00", "window": "4h", "days": ["MONDAY","TUESDAY","WEDNESDAY","THURSDAY","FRIDAY"]},
    {"name": "pac-weekend", "at": "03:30", "window": "5h", "days": ["SATURDAY","SUNDAY"]}
  ],
  "policies": [
    {"name": "pac-silver", "priority": 70, "vms": ["a-app-1"],
     "rules": [{"name": "nightly", "schedules": ["pac-weeknights"], "destination": "s3-offsite"}]}
  ]
}`), 0o600))
	r = run(t, 30*time.Second, env, "policy-as-code", "-file", changed)
	ok(t, r, "Plan: 0 to create, 3 to update, 3 to delete",
		"~ schedule pac-weekend: when at 03:30 UTC, start within 6h → at 03:30 UTC, start within 5h",
		"~ policy pac-silver: priority 60 → 70",
		"~ rule pac-silver/nightly: destination fs-default → s3-offsite; schedules pac-weekend,pac-weeknights → pac-weeknights",
		"- rule pac-silver/daytime",
		"- policy pac-offsite: with its rules",
		"- schedule pac-office-hours",
		"Applied 6 changes.")
	ok(t, run(t, 30*time.Second, env, "policy-as-code", "-file", changed), "No changes")

	none := filepath.Join(t.TempDir(), "none.json")
	require.NoError(t, os.WriteFile(none, []byte(`{"tenant": "tenant-a", "prefix": "pac-"}`), 0o600))
	ok(t, run(t, 30*time.Second, env, "policy-as-code", "-file", none), "Plan: 0 to create, 0 to update, 3 to delete",
		"- policy pac-silver: with its rules", "- schedule pac-weekend", "- schedule pac-weeknights", "Applied 3 changes.")
	for _, s := range srv.Schedules() {
		assert.False(t, strings.HasPrefix(s.Name, "pac-"), "left behind: schedule %s", s.Name)
	}
	for _, p := range srv.Policies() {
		assert.False(t, strings.HasPrefix(p.Name, "pac-"), "left behind: policy %s", p.Name)
	}
	assert.Len(t, srv.Policies(), 1, "the demo policy gold is not managed and stays")
	assert.Len(t, srv.Schedules(), 1, "the demo schedule daily-2200 is not managed and stays")

	typo := filepath.Join(t.TempDir(), "typo.json")
	require.NoError(t, os.WriteFile(typo, []byte(`{"tenant": "tenant-a", "prefix": "pac-", "policys": []}`), 0o600))
	failed(t, run(t, 30*time.Second, env, "policy-as-code", "-file", typo), `unknown field "policys"`)
}

// first-backup is the example to copy: one main.go under 80 lines that
// shows vprotect.New and vprotecttest.NewServer and uses nothing of
// examples/internal.
func TestFirstBackup(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(filepath.Join(moduleRoot(t), "examples", "first-backup", "main.go"))
	require.NoError(t, err)
	assert.Less(t, strings.Count(string(src), "\n"), 80, "main.go must stay under 80 lines")
	assert.Contains(t, string(src), "vprotect.New(")
	assert.Contains(t, string(src), "vprotecttest.NewServer(")
	assert.NotContains(t, string(src), "examples/internal")
	files, err := filepath.Glob(filepath.Join(moduleRoot(t), "examples", "first-backup", "*"))
	require.NoError(t, err)
	assert.Len(t, files, 1, "main.go is the whole example")

	r := run(t, 30*time.Second, nil, "first-backup")
	ok(t, r, "No VPROTECT_URL set: started the embedded vProtect fake server at http://127.0.0.1:",
		"VM a-web-1 (00000000-0000-4000-8000-000000000014), last backup 20", " UTC",
		"VM a-db-1 (00000000-0000-4000-8000-000000000015), last backup never",
		"EXPORT task 00000000-0000-4000-8000-000000001003 RUNNING", "EXPORT task 00000000-0000-4000-8000-000000001003 FINISHED (a-web-1)",
		"STORE task 00000000-0000-4000-8000-000000001004 FINISHED (a-web-1)",
		"Done: FULL backup 00000000-0000-4000-8000-000000001001 of a-web-1, snapshot 20", " UTC, SUCCESS, 4294967296 bytes")

	srv := vprotecttest.Start(t, fastTasks())
	env := serverEnv(srv)
	env["VPROTECT_TENANT"] = vprotecttest.DemoTenantB
	ok(t, run(t, 30*time.Second, env, "first-backup"), "VM b-web-1", "FINISHED (b-web-1)", "Done: FULL backup", "of b-web-1")
	assert.NotContains(t, r.stdout, "Using")
	env["VPROTECT_PASSWORD"] = "wrong"
	failed(t, run(t, 30*time.Second, env, "first-backup"), "first-backup: ")
}

// Every example's -h names the environment it reads.
func TestHelpNamesTheEnvironment(t *testing.T) {
	t.Parallel()
	for _, name := range examples {
		r := run(t, 30*time.Second, nil, name, "-h")
		assert.Equal(t, 0, r.code, "%s -h: exit status\n%s", name, r.stderr)
		for _, v := range []string{"VPROTECT_URL", "VPROTECT_USER", "VPROTECT_PASSWORD", "VPROTECT_TENANT"} {
			assert.Contains(t, r.stderr, v, "%s -h does not mention %s", name, v)
		}
		assert.Contains(t, r.stderr, "Usage: "+name, "%s -h", name)
	}
}

// selfSigned returns a new self-signed certificate (PEM), trusted by nobody.
func selfSigned(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "other.example.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		BasicConstraintsValid: true, DNSNames: []string{"other.example.com"}, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
