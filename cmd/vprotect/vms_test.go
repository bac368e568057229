package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vprotect-go/vprotect/vprotecttest"
)

func TestVMs(t *testing.T) {
	f := newFixture(t)
	f.goldenOutputs("vms", "vms")
	f.goldenOutputs("vms-tenant", "vms", "--tenant", vprotecttest.DemoTenantA)

	// VPROTECT_TENANT is the default tenant; --all lists every VM all the same.
	f.env["VPROTECT_TENANT"] = vprotecttest.DemoTenantA
	golden(t, "vms-tenant.txt", f.run("vms").ok(t).stdout)
	golden(t, "vms.txt", f.run("vms", "--all").ok(t).stdout)

	f.run("vms", "--all", "--tenant", vprotecttest.DemoTenantB).fails(t, exitUsage, "--all", "--tenant")
	f.run("vms", "extra").fails(t, exitUsage, "unknown command")
	f.run("vms", "--bogus").fails(t, exitUsage, "unknown flag: --bogus")
	f.run("vms", "-o", "xml").fails(t, exitUsage, "table, json or yaml")
}

// TestDemo: --demo needs no server, says so on stderr, and lists the demo
// data.
func TestDemo(t *testing.T) {
	r := runCLI(t, map[string]string{"TZ": "UTC"}, "--demo", "vms")
	if r.code != 0 || !strings.Contains(r.stderr, "demo") || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	golden(t, "vms.txt", r.stdout)
}

func TestConfigErrors(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		want []string
	}{
		{"no url", map[string]string{"VPROTECT_URL": ""}, nil, exitUsage, []string{"--url (VPROTECT_URL)", "--demo"}},
		{"no user", map[string]string{"VPROTECT_USER": ""}, nil, exitUsage, []string{"--user (VPROTECT_USER)"}},
		{"no password, no terminal", map[string]string{"VPROTECT_PASSWORD": ""}, nil, exitUsage, []string{"VPROTECT_PASSWORD", "terminal"}},
		{"bad VPROTECT_INSECURE", map[string]string{"VPROTECT_INSECURE": "maybe"}, nil, exitUsage, []string{`VPROTECT_INSECURE="maybe"`}},
		{"ca file and insecure", map[string]string{"VPROTECT_INSECURE": "1"}, []string{"--ca-file", "ca.pem"}, exitUsage, []string{"not both"}},
		{"missing ca file", nil, []string{"--ca-file", "testdata/missing.pem"}, exitFailure, []string{"cannot read the CA file testdata/missing.pem", "no such file"}},
		{"bad url", nil, []string{"--url", "ftp://host/api"}, exitUsage, []string{"--url (VPROTECT_URL)", "ftp://host/api"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range f.env {
				env[k] = v
			}
			for k, v := range tc.env {
				env[k] = v
			}
			runCLI(t, env, append([]string{"vms"}, tc.args...)...).fails(t, tc.code, tc.want...)
		})
	}
}

// TestLoginErrors: a wrong password and an unreachable server end with one
// line and exit 1, and the password shows nowhere.
func TestLoginErrors(t *testing.T) {
	f := newFixture(t)
	f.env["VPROTECT_PASSWORD"] = "not-the-password-42"
	r := f.run("vms")
	r.fails(t, exitFailure, "cannot list the VMs: login failed: wrong user or password", "VPROTECT_PASSWORD")
	if strings.Contains(r.stderr, "not-the-password-42") {
		t.Errorf("the password shows in %q", r.stderr)
	}

	f.env["VPROTECT_URL"] = "http://127.0.0.1:1/api"
	f.run("vms").fails(t, exitFailure, "cannot list the VMs: cannot reach the server", "connection refused", "check --url (VPROTECT_URL)")
}

// checkOneJSONDocument fails unless s is exactly one JSON value.
func checkOneJSONDocument(t *testing.T, s string) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("more than one JSON document:\n%s", s)
	}
}

func TestVMShow(t *testing.T) {
	f := newFixture(t)
	f.goldenOutputs("vm-show", "vm", "show", "a-web-1")
	golden(t, "vm-show.txt", f.run("vm", "show", vprotecttest.DemoVMTenantAWebGUID).ok(t).stdout)

	f.run("vm", "show", "nosuch").fails(t, exitFailure, `no VM named or with GUID "nosuch"`, "vprotect vms")
	f.run("vm", "show", "a-web-1", "--tenant", vprotecttest.DemoTenantB).fails(t, exitFailure, `"a-web-1" in tenant tenant-b`)
	f.run("vm", "show").fails(t, exitUsage, "accepts 1 arg(s), received 0")
	f.run("vm", "show", "").fails(t, exitUsage, "empty")
}

// TestVMShowAmbiguous: a name two VMs have is an error naming both GUIDs.
func TestVMShowAmbiguous(t *testing.T) {
	seed := vprotecttest.DemoSeedAt(t0)
	for i := range seed.VMs {
		if seed.VMs[i].GUID == vprotecttest.DemoVMTenantBWebGUID {
			seed.VMs[i].Name = "a-web-1"
		}
	}
	f := newFixture(t, vprotecttest.WithSeed(seed))
	f.run("vm", "show", "a-web-1").fails(t, exitFailure, `2 VMs are named "a-web-1"`,
		vprotecttest.DemoVMTenantAWebGUID, vprotecttest.DemoVMTenantBWebGUID, "give the GUID")
	// The tenant narrows the search to one.
	golden(t, "vm-show.txt", f.run("vm", "show", "a-web-1", "--tenant", vprotecttest.DemoTenantA).ok(t).stdout)
}

// TestTLS: a self-signed server is trusted with --ca-file or
// VPROTECT_CA_FILE, or with --insecure; without either the error says what
// to do.
func TestTLS(t *testing.T) {
	f := newFixture(t, vprotecttest.WithTLS())
	ca := writeFile(t, "ca.pem", string(f.srv.CertificatePEM()))
	want := f.run("vms", "--ca-file", ca).ok(t).stdout
	golden(t, "vms.txt", want)
	f.env["VPROTECT_CA_FILE"] = ca
	golden(t, "vms.txt", f.run("vms").ok(t).stdout)
	delete(f.env, "VPROTECT_CA_FILE")
	golden(t, "vms.txt", f.run("vms", "--insecure").ok(t).stdout)
	f.env["VPROTECT_INSECURE"] = "1"
	golden(t, "vms.txt", f.run("vms").ok(t).stdout)
	delete(f.env, "VPROTECT_INSECURE")

	f.run("vms").fails(t, exitFailure, "cannot list the VMs: the server's certificate is not trusted",
		"--ca-file (VPROTECT_CA_FILE), or --insecure in a lab")
	f.run("vms", "--ca-file", writeFile(t, "empty.pem", "")).fails(t, exitFailure, "holds no PEM certificate")
	f.env["VPROTECT_URL"] = strings.Replace(f.env["VPROTECT_URL"], "https://", "http://", 1)
	f.run("vms").fails(t, exitFailure, "cannot list the VMs: the server speaks HTTPS; use an https:// --url (VPROTECT_URL)")

	// An HTTPS client meeting a plain server.
	plain := newFixture(t)
	plain.env["VPROTECT_URL"] = strings.Replace(plain.env["VPROTECT_URL"], "http://", "https://", 1)
	plain.run("vms").fails(t, exitFailure, "cannot list the VMs: cannot reach the server: http: server gave HTTP response to HTTPS client; check --url (VPROTECT_URL)")
}

// TestLog: --log 1 (VPROTECT_LOG=1) logs each request on stderr, debug the
// bodies too, the password masked.
func TestLog(t *testing.T) {
	f := newFixture(t)
	r := f.run("vms", "--log", "1")
	if r.code != 0 || !strings.Contains(r.stderr, "method=POST path=/session/login") || !strings.Contains(r.stderr, "method=GET path=/virtual-machines") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	golden(t, "vms.txt", r.stdout)
	f.env["VPROTECT_LOG"] = "debug"
	r = f.run("vms")
	if r.code != 0 || !strings.Contains(r.stderr, `\"password\":\"***\"`) || strings.Contains(r.stderr, vprotecttest.DefaultPassword) {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	f.env["VPROTECT_LOG"] = "verbose"
	f.run("vms").fails(t, exitUsage, `--log (VPROTECT_LOG) "verbose"`)
}
