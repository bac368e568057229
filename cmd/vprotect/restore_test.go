package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vprotect-go/vprotect/vprotecttest"
)

// TestRestore: without --wait the RESTORE task is printed; --wait follows
// RESTORE and IMPORT (one line per state change off a terminal) and
// prints the restored VM; the server has it.
func TestRestore(t *testing.T) {
	f := newJobFixture(t)
	backup := vprotecttest.DemoBackupTenantAWebIncGUID
	r := jobRun{}.run(f, "restore", backup, "--name", "a-web-1-copy").succeeds(t)
	golden(t, "restore-start.txt", r.stdout)
	if r.stderr != "" {
		t.Errorf("stderr: %q", r.stderr)
	}

	r = jobRun{}.run(f, "restore", backup, "--name", "a-web-1-copy2", "--wait").succeeds(t)
	golden(t, "restore-wait.txt", r.stdout)
	golden(t, "restore-wait.stderr", r.stderr)
	js := jobRun{}.run(f, "restore", backup, "--name", "a-web-1-copy3", "--target", "openstack", "--wait", "-o", "json").succeeds(t).stdout
	checkOneJSONDocument(t, js)
	golden(t, "restore-wait.json", js)
	var v restoreView
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, vm := range f.srv.VMs() {
		found = found || vm.GUID == v.RestoredVM && vm.Name == "a-web-1-copy3"
	}
	if !found {
		t.Errorf("the server has no VM %s named a-web-1-copy3", v.RestoredVM)
	}
}

// TestRestoreTargets: --target takes a manager by name or GUID among those
// offered; another is an error naming the offered ones. Without --name the
// VM's name gets -restored- and the time.
func TestRestoreTargets(t *testing.T) {
	f := newJobFixture(t)
	backup := vprotecttest.DemoBackupTenantAWebIncGUID
	js := jobRun{}.run(f, "restore", backup, "--target", vprotecttest.DemoOpenStackManagerGUID, "-o", "json").succeeds(t).stdout
	var v restoreView
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatal(err)
	}
	if v.HypervisorManager != "openstack" || v.Name != "a-web-1-restored-20250314-153000" {
		t.Errorf("restore: %+v", v)
	}
	jobRun{}.run(f, "restore", backup, "--target", "rhv").fails(t, exitFailure, "--target rhv is not offered for backup "+backup, "the server offers openstack")
}

// TestRestoreFailed: a failed RESTORE or IMPORT is exit status 1 with the
// server's reason, after the restore is printed.
func TestRestoreFailed(t *testing.T) {
	f := newJobFixture(t)
	f.srv.FailNextTask("IMPORT", "", "Import failed: quota of project tenant-a exceeded")
	r := jobRun{}.run(f, "restore", vprotecttest.DemoBackupTenantAWebIncGUID, "--name", "a-web-1-copy", "--wait")
	r.failsWith(t, exitFailure, "the restore of backup "+vprotecttest.DemoBackupTenantAWebIncGUID+" as a-web-1-copy failed: IMPORT task",
		"FAILED: Import failed: quota of project tenant-a exceeded")
	golden(t, "restore-wait-failed.txt", r.stdout)
	golden(t, "restore-wait-failed.stderr", r.stderr)
}

// TestRestoreInterruptedOffTerminal: Ctrl-C with no terminal leaves the
// restore running and says how to cancel it.
func TestRestoreInterruptedOffTerminal(t *testing.T) {
	f := newJobFixture(t)
	r := jobRun{interruptOn: "RESTORE task"}.run(f, "restore", vprotecttest.DemoBackupTenantAWebIncGUID, "--name", "copy", "--wait")
	r.failsWith(t, exitFailure, "interrupted; still running on the server: RESTORE task", "vprotect task cancel ")
	guid := strings.Fields(strings.SplitAfter(lastLine(r.stderr), "vprotect task cancel ")[1])[0]
	if task, ok := f.srv.Task(guid); !ok || task.State.Name == "CANCELLED" {
		t.Errorf("task %s after the interruption: %+v (found %v)", guid, task, ok)
	}
}

func TestRestoreErrors(t *testing.T) {
	f := newJobFixture(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"no backup", []string{"restore"}, exitUsage, []string{"accepts 1 arg"}},
		{"unknown backup", []string{"restore", "00000000-0000-4000-8000-00000000ffff"}, exitFailure, []string{"no backup with GUID 00000000-0000-4000-8000-00000000ffff", "vprotect backups VM"}},
		{"failed backup", []string{"restore", vprotecttest.DemoBackupFailedGUID}, exitFailure, []string{"is FAILED, not a backup to restore", "vprotect backups a-db-1"}},
		{"empty target", []string{"restore", vprotecttest.DemoBackupTenantAWebIncGUID, "--target", ""}, exitUsage, []string{"--target is empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			jobRun{}.run(f, tc.args...).fails(t, tc.code, tc.want...)
		})
	}
}
