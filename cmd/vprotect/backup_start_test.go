package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/vprotect-go/vprotect/vprotecttest"
)

// TestBackupStart: without --wait the command prints the EXPORT tasks it
// started and ends; the server has them queued.
func TestBackupStart(t *testing.T) {
	f := newJobFixture(t)
	r := jobRun{}.run(f, "backup", "a-web-1", vprotecttest.DemoVMTenantADBGUID).succeeds(t)
	golden(t, "backup-start.txt", r.stdout)
	if r.stderr != "" {
		t.Errorf("stderr: %q", r.stderr)
	}
	js := jobRun{}.run(f, "backup", "a-app-1", "--type", "incremental", "-o", "json").succeeds(t).stdout
	checkOneJSONDocument(t, js)
	golden(t, "backup-start.json", js)

	var started []backupJobView
	if err := json.Unmarshal([]byte(js), &started); err != nil {
		t.Fatal(err)
	}
	task, ok := f.srv.Task(started[0].ExportTask)
	if !ok || task.Type.Name != "EXPORT" || task.State.Name != "QUEUED" || task.BackupType == nil || task.BackupType.Name != "INCREMENTAL" {
		t.Errorf("the server's task: %+v (found %v)", task, ok)
	}
}

// TestBackupStartRequest: --destination, --priority and --window go into
// the export request.
func TestBackupStartRequest(t *testing.T) {
	f := newJobFixture(t)
	jobRun{}.run(f, "backup", "a-web-1", "--destination", "fs-default", "--priority", "90", "--window", "2h").succeeds(t)
	var body struct {
		BackupType        struct{ Name string }
		BackupDestination struct{ GUID string }
		Priority          int
		WindowStart       int64
		WindowEnd         int64
	}
	found := false
	for _, req := range f.srv.Requests() {
		if req.Method == "POST" && strings.HasSuffix(req.Path, "/tasks/export") {
			found = true
			if err := json.Unmarshal(req.Body, &body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !found {
		t.Fatal("no POST /tasks/export")
	}
	if body.BackupType.Name != "FULL" || body.BackupDestination.GUID != vprotecttest.DemoDefaultDestinationGUID || body.Priority != 90 {
		t.Errorf("export body: %+v", body)
	}
	if got := time.Duration(body.WindowEnd-body.WindowStart) * time.Millisecond; got != 2*time.Hour {
		t.Errorf("window end - start = %s, want 2h", got)
	}
}

// TestBackupWait: --wait follows each backup, EXPORT then STORE, with one
// line per state change on stderr (no terminal), and prints how each ended.
func TestBackupWait(t *testing.T) {
	f := newJobFixture(t)
	r := jobRun{}.run(f, "backup", "a-web-1", "a-db-1", "--wait").succeeds(t)
	golden(t, "backup-wait.txt", r.stdout)
	golden(t, "backup-wait.stderr", r.stderr)

	js := jobRun{}.run(f, "backup", "b-web-1", "--tenant", vprotecttest.DemoTenantB, "--wait", "-o", "json").succeeds(t).stdout
	checkOneJSONDocument(t, js)
	golden(t, "backup-wait.json", js)
	yml := jobRun{}.run(f, "backup", "b-web-1", "--tenant", vprotecttest.DemoTenantB, "--wait", "-o", "yaml").succeeds(t).stdout
	if !strings.Contains(yml, "state: STORED") || !strings.Contains(yml, "vm: b-web-1") {
		t.Errorf("-o yaml:\n%s", yml)
	}
	for _, b := range f.srv.Backups() {
		if b.ProtectedEntity.Name == "b-web-1" && b.Status.Name != "SUCCESS" {
			t.Errorf("backup %s of b-web-1 is %s", b.GUID, b.Status.Name)
		}
	}
}

// TestBackupWaitFailed: a failed EXPORT or STORE is exit status 1 with the
// server's reason; the other backups are waited for and printed all the
// same.
func TestBackupWaitFailed(t *testing.T) {
	f := newJobFixture(t)
	f.srv.FailNextTask("EXPORT", vprotecttest.DemoVMTenantAWebGUID, "Snapshot of a-web-1 failed: the hypervisor is not reachable")
	r := jobRun{}.run(f, "backup", "a-web-1", "--wait")
	r.failsWith(t, exitFailure, "the backup of a-web-1 failed: EXPORT task", "FAILED: Snapshot of a-web-1 failed: the hypervisor is not reachable")
	golden(t, "backup-wait-failed.txt", r.stdout)
	golden(t, "backup-wait-failed.stderr", r.stderr)

	f.srv.FailNextTask("STORE", vprotecttest.DemoVMTenantADBGUID, "No space left on fs-default")
	r = jobRun{}.run(f, "backup", "a-web-1", "a-db-1", "--wait", "-o", "json")
	r.failsWith(t, exitFailure, "1 of 2 backups failed: a-db-1: STORE task", "FAILED: No space left on fs-default")
	checkOneJSONDocument(t, r.stdout)
	golden(t, "backup-wait-failed.json", r.stdout)
}

// TestBackupInterruptedOffTerminal: Ctrl-C while waiting, with no terminal
// to ask on, leaves the backups running and says how to cancel them.
func TestBackupInterruptedOffTerminal(t *testing.T) {
	f := newJobFixture(t)
	r := jobRun{interruptOn: "EXPORT task"}.run(f, "backup", "a-web-1", "--wait")
	r.failsWith(t, exitFailure, "interrupted; still running on the server: EXPORT task", "(a-web-1)",
		"vprotect tasks --watch", "vprotect task cancel ")
	guid := strings.Fields(strings.SplitAfter(lastLine(r.stderr), "vprotect task cancel ")[1])[0]
	task, ok := f.srv.Task(guid)
	if !ok || task.Type.Name != "EXPORT" || task.State.Name == "CANCELLED" || task.State.Name == "FINISHED" {
		t.Errorf("task %s after the interruption: %+v (found %v)", guid, task, ok)
	}
	if r.stdout != "" {
		t.Errorf("stdout: %q", r.stdout)
	}
}

func TestBackupStartErrors(t *testing.T) {
	f := newJobFixture(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"no VM", []string{"backup"}, exitUsage, []string{"requires at least 1 arg"}},
		{"bad type", []string{"backup", "a-web-1", "--type", "differential"}, exitUsage, []string{`--type "differential"`, "full or incremental"}},
		{"bad priority", []string{"backup", "a-web-1", "--priority", "101"}, exitUsage, []string{"--priority 101", "0 (lowest) to 100"}},
		{"bad window", []string{"backup", "a-web-1", "--window", "-1h"}, exitUsage, []string{"--window -1h0m0s"}},
		{"unknown VM", []string{"backup", "a-web-1", "no-such-vm"}, exitFailure, []string{`no VM named or with GUID "no-such-vm"`}},
		{"same VM twice", []string{"backup", "a-web-1", vprotecttest.DemoVMTenantAWebGUID}, exitUsage, []string{"are the same VM"}},
		{"unknown destination", []string{"backup", "a-web-1", "--destination", "tape-9"}, exitFailure, []string{`no backup destination named or with GUID "tape-9"`, "fs-default"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			jobRun{}.run(f, tc.args...).fails(t, tc.code, tc.want...)
		})
	}
	for _, task := range f.srv.Tasks() {
		if task.Type.Name == "EXPORT" && task.State.Name == "QUEUED" {
			t.Errorf("a bad command started %s", task.GUID)
		}
	}
}
