package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vprotect-go/vprotect/vprotecttest"
)

func TestTasks(t *testing.T) {
	f := newFixture(t)
	f.goldenOutputs("tasks", "tasks")
	f.goldenOutputs("tasks-failed", "tasks", "--state", "failed")
	golden(t, "tasks-export.txt", f.run("tasks", "--type", "EXPORT").ok(t).stdout)

	f.run("tasks", "--state", "DONE").fails(t, exitUsage, `--state "DONE"`, "QUEUED, RUNNING, FINISHED, FAILED, CANCELLED")
	f.run("tasks", "--watch", "-o", "json").fails(t, exitUsage, "--watch")
	f.run("tasks", "--watch", "--interval", "0s").fails(t, exitUsage, "--interval")
}

func TestTaskCancel(t *testing.T) {
	f := newFixture(t)
	task := f.export(vprotecttest.DemoVMTenantAWebGUID)
	golden(t, "task-cancel.txt", strings.ReplaceAll(f.run("task", "cancel", task.GUID).ok(t).stdout, task.GUID, "GUID"))
	out := f.run("tasks", "--state", "CANCELLED").ok(t).stdout
	if !strings.Contains(out, task.GUID) {
		t.Errorf("the cancelled task is not CANCELLED:\n%s", out)
	}
	// A task that has ended cannot be cancelled: the server's reason, exit 1.
	f.run("task", "cancel", task.GUID).fails(t, exitFailure, "cannot cancel task "+task.GUID+" (EXPORT, CANCELLED)")
	f.run("task", "cancel", "00000000-0000-4000-8000-999999999999").fails(t, exitFailure, "cannot read task", "404")
}

// TestTasksWatch: --watch prints the list, then a line when a task
// appears and when it changes, until the context ends (exit 0).
func TestTasksWatch(t *testing.T) {
	f := newFixture(t, vprotecttest.WithoutTaskHistory())
	var stdout, stderr syncBuffer
	a := newApp(func(k string) string { return f.env[k] }, strings.NewReader(""), &stdout, &stderr)
	a.now = f.clock.Now
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() { done <- a.execute(ctx, []string{"tasks", "--watch", "--interval", "10ms"}) }()

	waitFor := func(what string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(stdout.String(), what) {
			if time.Now().After(deadline) {
				cancel()
				t.Fatalf("no %q in:\n%s", what, stdout.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor("STARTED ")
	task := f.export(vprotecttest.DemoVMTenantAWebGUID)
	waitFor(task.GUID)
	f.clock.Advance(time.Hour) // the export finishes, its STORE starts and finishes
	waitFor("EXPORT  FINISHED 100%  a-web-1  " + task.GUID)
	waitFor("STORE  FINISHED 100%  a-web-1")
	cancel()
	if code := <-done; code != 0 || stderr.String() != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if lines[0] != "STARTED  TYPE  STATE  PROGRESS  VM  NODE  GUID" {
		t.Errorf("the list of no tasks is not the header alone: %q", lines[0])
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "16:30:00 UTC  ") && !strings.HasPrefix(l, "15:30:00 UTC  ") {
			t.Errorf("line %q is not of the fixture's clock", l)
		}
	}
}
