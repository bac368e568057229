// Command task-monitor watches every queued and running task of the server
// with its progress until all have ended, the way an operations dashboard
// follows backups and restores. Each poll is one list request
// (GET /tasks?states=QUEUED&states=RUNNING); a task that leaves the list has
// ended and is read once more for its final state.
//
//	go run ./examples/task-monitor                 # embedded server: starts backups to watch
//	go run ./examples/task-monitor -interval 5s    # against VPROTECT_URL: watches what runs
//
// On the embedded fake server nothing runs at first, so it starts FULL
// backups of the present VMs of the tenant (VPROTECT_TENANT, default
// tenant-a); the node runs two tasks at a time, so one waits QUEUED. On a
// real server it starts nothing. It exits 1 if a task it watched failed.
// Each line starts with the time in UTC. The tasks that have ended since the
// last poll are printed before those still listed, so a STORE that its
// EXPORT started is never shown running before the EXPORT's end.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/examples/internal/exampleutil"
)

var interval = flag.Duration("interval", time.Second, "time between two polls of the task list")

func main() { exampleutil.Main("task-monitor", run) }

func run(ctx context.Context, env *exampleutil.Env) error {
	c, out := env.Client, env.Out
	if *interval <= 0 {
		return fmt.Errorf("-interval must be positive")
	}
	if env.Embedded() {
		if err := startDemoWork(ctx, c, env.Tenant, out); err != nil {
			return err
		}
	}

	active := map[string]string{} // task GUID -> last line printed
	counts := map[vprotect.TaskState]int{}
	for first := true; ; first = false {
		tasks, err := c.Tasks.List(ctx, &vprotect.TaskListOptions{
			States: []vprotect.TaskState{vprotect.TaskStateQueued, vprotect.TaskStateRunning}})
		if err != nil {
			return err
		}
		now := map[string]bool{}
		var listed []*vprotect.Task
		for i := range tasks {
			t := &tasks[i]
			if t.State.Name.IsTerminal() { // a server that ignores the filter
				continue
			}
			now[t.GUID] = true
			listed = append(listed, t)
		}
		// The tasks gone from the list have ended: report them before the
		// ones listed, so that a STORE that started when its EXPORT ended is
		// shown after the EXPORT's end, never running before it.
		var ended []string
		for guid := range active {
			if !now[guid] {
				ended = append(ended, guid)
			}
		}
		sort.Strings(ended)
		for _, guid := range ended {
			t, err := c.Tasks.Get(ctx, guid)
			if err != nil {
				return err
			}
			if !t.IsTerminal() { // it has only just moved; look again next poll
				continue
			}
			report(out, active, t)
			if t.StatusInfo != "" && t.State.Name != vprotect.TaskStateFinished {
				fmt.Fprintf(out, "               %s\n", t.StatusInfo)
			}
			counts[t.State.Name]++
			delete(active, guid)
		}
		for _, t := range listed {
			report(out, active, t)
		}
		if len(active) == 0 {
			if first {
				fmt.Fprintln(out, "No task is queued or running.")
				return nil
			}
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(*interval):
		}
	}
	total := counts[vprotect.TaskStateFinished] + counts[vprotect.TaskStateFailed] + counts[vprotect.TaskStateCancelled]
	fmt.Fprintf(out, "All %d tasks ended: %d finished, %d failed, %d cancelled.\n", total,
		counts[vprotect.TaskStateFinished], counts[vprotect.TaskStateFailed], counts[vprotect.TaskStateCancelled])
	if n := counts[vprotect.TaskStateFailed]; n > 0 {
		return fmt.Errorf("%d tasks failed", n)
	}
	return nil
}

// report prints t when its line changed since the last poll.
func report(out io.Writer, active map[string]string, t *vprotect.Task) {
	line := exampleutil.ProgressLine(t)
	if active[t.GUID] != line {
		fmt.Fprintf(out, "%s %s\n", exampleutil.Clock(), line)
	}
	active[t.GUID] = line
}

// startDemoWork starts FULL backups of the tenant's present VMs, so that
// the embedded server has tasks to watch.
func startDemoWork(ctx context.Context, c *vprotect.Client, tenant string, out io.Writer) error {
	vms, err := c.VMs.List(ctx, &vprotect.VMListOptions{TenantID: tenant})
	if err != nil {
		return err
	}
	var guids []string
	for _, vm := range vms {
		if vm.Present {
			guids = append(guids, vm.GUID)
		}
	}
	if len(guids) == 0 {
		return fmt.Errorf("tenant %s has no VM to back up", tenant)
	}
	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: guids, BackupType: vprotect.BackupTypeFull})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Started %d backups of tenant %s's VMs to have something to watch.\n", len(res.Tasks), tenant)
	return nil
}
