package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/vprotect-go/vprotect"
)

// backupJobView is the backup of one VM in -o json and -o yaml: the task
// started and, with --wait, how the backup ended.
type backupJobView struct {
	VM     string `json:"vm"`
	VMGUID string `json:"vmGuid"`
	// ExportTask is the EXPORT task; StoreTask the STORE task after it.
	ExportTask string `json:"exportTask"`
	StoreTask  string `json:"storeTask,omitempty"`
	// State is the EXPORT task's state when started (QUEUED, RUNNING), and
	// with --wait how the backup ended: STORED, FAILED or CANCELLED.
	State string `json:"state"`
	// Reason is the server's reason for a failure.
	Reason       string     `json:"reason,omitempty"`
	Type         string     `json:"type"` // FULL or INCREMENTAL
	Backup       string     `json:"backup,omitempty"`
	Size         int64      `json:"size,omitempty"` // bytes
	SnapshotTime *time.Time `json:"snapshotTime,omitempty"`
}

// backupStateStored is the state of a backup that --wait saw stored.
const backupStateStored = "STORED"

// backupStart makes the backup command start backups: "backup
// NAME|GUID..." with its flags. Its subcommand delete stays; a VM named
// "delete" is backed up by its GUID.
func (a *app) backupStart(cmd *cobra.Command) *cobra.Command {
	var (
		typ, dest string
		priority  int
		window    time.Duration
		wait      bool
	)
	cmd.Use = "backup NAME|GUID..."
	cmd.Short = "Back VMs up (EXPORT, then STORE), or delete a backup"
	cmd.Long = `Back up the VMs named (by name or GUID, in the tenant of --tenant or
VPROTECT_TENANT when one is set): one EXPORT task per VM, which the server
follows with a STORE task. Without --wait the command prints the tasks it
started and ends; with --wait it follows every backup to its end: on a
terminal with one live progress bar per VM, otherwise (a pipe, a log) with one
line per state change, on stderr; then it prints how each ended.

A backup that fails is exit status 1 with the server's reason. Ctrl-C while
waiting asks whether to cancel the backups on the server or leave them running;
off a terminal it leaves them running and says how to cancel them.`
	cmd.Example = `  vprotect backup a-web-1 --wait
  vprotect backup a-web-1 a-db-1 --type incremental --window 2h
  vprotect backup a-web-1 --destination fs-default --priority 90 --wait -o json
  vprotect backup delete 00000000-0000-4000-8000-000000000030`
	cmd.Args = cobra.MinimumNArgs(1)
	a.command(cmd, func(cmd *cobra.Command, args []string) error {
		req := vprotect.ExportRequest{TenantID: a.cfg.tenant, Priority: &priority}
		switch strings.ToLower(typ) {
		case "full":
			req.BackupType = vprotect.BackupTypeFull
		case "incremental":
			req.BackupType = vprotect.BackupTypeIncremental
		default:
			return usageErrorf("--type %q: the backup type is full or incremental", typ)
		}
		if priority < 0 || priority > vprotect.MaxTaskPriority {
			return usageErrorf("--priority %d: the priority is 0 (lowest) to %d (highest)", priority, vprotect.MaxTaskPriority)
		}
		if window < 0 {
			return usageErrorf("--window %s: the time the backups may start within is not negative", window)
		}
		ctx := cmd.Context()
		c, err := a.connect(ctx)
		if err != nil {
			return err
		}
		vms, err := a.findVMs(ctx, c, args)
		if err != nil {
			return err
		}
		for _, vm := range vms {
			req.ProtectedEntities = append(req.ProtectedEntities, vm.GUID)
		}
		if dest != "" {
			if req.BackupDestination, err = findDestination(ctx, c, dest); err != nil {
				return err
			}
		}
		req.WindowStart = a.now()
		if window > 0 {
			req.WindowEnd = req.WindowStart.Add(window)
		}
		res, err := c.Tasks.Export(ctx, req)
		if err != nil {
			return failed("start the backups of "+joinNames(args), err)
		}
		jobs := newBackupJobs(vms, res, string(req.BackupType))
		if !wait {
			return a.renderBackupJobs(jobs, false, jobs.refused())
		}
		return a.waitForBackups(ctx, c, jobs)
	})
	fs := cmd.Flags()
	fs.StringVar(&typ, "type", "full", "backup type: full or incremental (an incremental needs an incremental schedule on the VM's policy)")
	fs.StringVar(&dest, "destination", "", "backup destination, by name or GUID (default: the VM's policy's)")
	fs.IntVar(&priority, "priority", vprotect.DefaultTaskPriority, fmt.Sprintf("queue priority, 0 (lowest) to %d (highest)", vprotect.MaxTaskPriority))
	fs.DurationVar(&window, "window", 0, "time the backups may start within, e.g. 2h; a task not started by then fails (default: the server's, 6h)")
	fs.BoolVar(&wait, "wait", false, "wait for the backups to be stored, with their progress")
	return cmd
}

// findVMs looks up the VMs of args, each once.
func (a *app) findVMs(ctx context.Context, c *vprotect.Client, args []string) ([]*vprotect.VirtualMachine, error) {
	seen := map[string]string{}
	var vms []*vprotect.VirtualMachine
	for _, arg := range args {
		vm, err := a.findVM(ctx, c, arg)
		if err != nil {
			return nil, err
		}
		if first, ok := seen[vm.GUID]; ok {
			return nil, usageErrorf("%s and %s are the same VM (%s): name each VM once", first, arg, vm.GUID)
		}
		seen[vm.GUID] = arg
		vms = append(vms, vm)
	}
	return vms, nil
}

// findDestination returns the GUID of the backup destination named or
// with the GUID arg.
func findDestination(ctx context.Context, c *vprotect.Client, arg string) (string, error) {
	dests, err := c.BackupDestinations.List(ctx, nil)
	if err != nil {
		return "", failed("list the backup destinations", err)
	}
	names := make([]string, len(dests))
	for i, d := range dests {
		if d.Name == arg || d.GUID == arg {
			return d.GUID, nil
		}
		names[i] = d.Name
	}
	return "", fmt.Errorf("no backup destination named or with GUID %q; the server has %s", arg, strings.Join(names, ", "))
}

// backupJobs are the backups one command started, in the order of the
// VMs given, with the EXPORT task of each.
type backupJobs struct {
	views   []backupJobView
	byVM    map[string]int // VM GUID → index in views
	byTask  map[string]int // EXPORT task GUID → index in views
	guids   []string       // the EXPORT tasks, in order
	backups []string       // the backup each EXPORT makes, when it says
}

func newBackupJobs(vms []*vprotect.VirtualMachine, res *vprotect.ExportResult, typ string) *backupJobs {
	j := &backupJobs{byVM: map[string]int{}, byTask: map[string]int{}}
	for i, vm := range vms {
		j.views = append(j.views, backupJobView{VM: vm.Name, VMGUID: vm.GUID, State: "REFUSED", Type: typ,
			Reason: "the server started no backup of it"})
		j.byVM[vm.GUID] = i
	}
	j.backups = make([]string, len(vms))
	for k, t := range res.Tasks {
		i, ok := -1, false
		if t.ProtectedEntity != nil {
			i, ok = j.byVM[t.ProtectedEntity.GUID]
		}
		if !ok && len(res.Tasks) == len(vms) {
			i, ok = k, true // a task that names no VM: the server's order
		}
		if !ok || j.views[i].ExportTask != "" {
			continue
		}
		v := &j.views[i]
		v.ExportTask, v.State, v.Reason = t.GUID, string(t.State.Name), ""
		if t.BackupType.Name != "" {
			v.Type = string(t.BackupType.Name)
		}
		if t.Backup != nil {
			j.backups[i] = t.Backup.GUID
		}
		j.byTask[t.GUID] = i
		j.guids = append(j.guids, t.GUID)
	}
	return j
}

// refused is the error for the VMs the server started no backup of, nil
// when it started all.
func (j *backupJobs) refused() error {
	var names []string
	for _, v := range j.views {
		if v.ExportTask == "" {
			names = append(names, v.VM)
		}
	}
	if len(names) == 0 {
		return nil
	}
	return fmt.Errorf("the server started no backup of %s; see vprotect vm show NAME for its policy and vprotect tasks for what runs", joinNames(names))
}

// of returns the index of the job a task belongs to, -1 if none: by its VM,
// else by its parent EXPORT task.
func (j *backupJobs) of(t *vprotect.Task) int {
	if i, ok := j.byTask[t.GUID]; ok {
		return i
	}
	if t.ProtectedEntity != nil {
		if i, ok := j.byVM[t.ProtectedEntity.GUID]; ok {
			return i
		}
	}
	if t.ParentTask != nil {
		if i, ok := j.byTask[t.ParentTask.GUID]; ok {
			return i
		}
	}
	return -1
}

// waitForBackups follows the backups of jobs to their end with progress on
// stderr, prints how each ended, and returns the error of those that
// failed (or of the interruption).
func (a *app) waitForBackups(ctx context.Context, c *vprotect.Client, jobs *backupJobs) error {
	progress := newJobProgress(a.stderr)
	var labels []string
	for _, v := range jobs.views {
		labels = append(labels, v.VM)
	}
	width := labelWidth(labels...)
	for _, v := range jobs.views {
		if v.ExportTask != "" {
			progress.add(v.VMGUID, v.VM, width, vprotect.TaskTypeExport, vprotect.TaskTypeStore)
		}
	}
	last := make([]*vprotect.Task, len(jobs.views)) // the task each job saw last
	results, err := c.Tasks.WaitForBackupsFunc(ctx, func(t *vprotect.Task) {
		i := jobs.of(t)
		if i < 0 {
			return
		}
		if t.Type.Name == vprotect.TaskTypeStore {
			jobs.views[i].StoreTask = t.GUID
		}
		if t.Backup != nil && t.Backup.GUID != "" {
			jobs.backups[i] = t.Backup.GUID
		}
		cp := *t
		last[i] = &cp
		progress.show(jobs.views[i].VMGUID, t)
	}, jobs.guids...)
	if interrupted(ctx, err) {
		progress.stop()
		return a.afterInterrupt(ctx, c, "the backups", jobs.left(ctx, c, last))
	}
	if err != nil && results == nil { // with results, err joins their errors
		progress.stop()
		return failed("wait for the backups", err)
	}
	var problems []string
	for _, r := range results {
		i, ok := jobs.byTask[r.ExportTaskGUID]
		if !ok {
			continue
		}
		v := &jobs.views[i]
		if r.Store != nil {
			v.StoreTask = r.Store.GUID
		}
		if r.Err == nil && r.Backup != nil {
			b := r.Backup
			v.State, v.Backup, v.Size, v.SnapshotTime = backupStateStored, b.GUID, b.Size, rawTime(b.SnapshotTime)
			if b.Type.Name != "" {
				v.Type = string(b.Type.Name)
			}
			progress.end(v.VMGUID, true, "stored, "+size(b.Size))
			continue
		}
		v.State, v.Reason = failure(r.Err)
		v.Backup = jobs.backups[i] // the server's record of the failed backup
		progress.end(v.VMGUID, false, v.Reason)
		problems = append(problems, v.VM+": "+v.Reason)
	}
	progress.stop()
	if err := a.renderBackupJobs(jobs, true, nil); err != nil {
		return err
	}
	switch {
	case len(problems) == 1 && len(jobs.views) == 1:
		return fmt.Errorf("the backup of %s failed: %s", jobs.views[0].VM, jobs.views[0].Reason)
	case len(problems) > 0:
		return fmt.Errorf("%d of %d backups failed: %s", len(problems), len(jobs.views), strings.Join(problems, "; "))
	}
	return jobs.refused()
}

// failure is the state and the reason of a failed wait: FAILED or
// CANCELLED with the server's reason and the task that ended so.
func failure(err error) (state, reason string) {
	var tf *vprotect.TaskFailedError
	if errors.As(err, &tf) {
		reason = fmt.Sprintf("%s task %s %s", tf.Task.Type.Name, tf.Task.GUID, tf.State)
		if tf.StatusInfo != "" {
			reason += ": " + oneLine(tf.StatusInfo)
		}
		return string(tf.State), reason
	}
	return string(vprotect.TaskStateFailed), describe(err)
}

// left returns the tasks an interrupted wait leaves queued or running:
// the task each backup saw last, unless it had ended; for an export seen
// finished, the STORE task the server started after it.
func (j *backupJobs) left(ctx context.Context, c *vprotect.Client, last []*vprotect.Task) []leftTask {
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), callTimeout)
	defer cancel()
	var out []leftTask
	for i, v := range j.views {
		t := last[i]
		switch {
		case v.ExportTask == "":
			continue
		case t == nil: // not seen yet
			out = append(out, leftTask{guid: v.ExportTask, typ: vprotect.TaskTypeExport, label: v.VM})
		case !t.IsTerminal():
			out = append(out, leftTask{guid: t.GUID, typ: t.Type.Name, label: v.VM})
		case t.Type.Name == vprotect.TaskTypeExport && t.State.Name == vprotect.TaskStateFinished && j.backups[i] != "":
			stores, err := c.Tasks.List(lctx, &vprotect.TaskListOptions{Backup: j.backups[i], Type: vprotect.TaskTypeStore})
			if err != nil {
				continue
			}
			for _, s := range stores {
				if !s.IsTerminal() {
					out = append(out, leftTask{guid: s.GUID, typ: vprotect.TaskTypeStore, label: v.VM})
				}
			}
		}
	}
	return out
}

// renderBackupJobs prints the backups: started (the EXPORT tasks) or, when
// waited for, how they ended. It returns then.
func (a *app) renderBackupJobs(jobs *backupJobs, waited bool, then error) error {
	views := jobs.views
	if err := a.render(views, func(w io.Writer) {
		if !waited {
			t := newTable(w, "VM", "TYPE", "EXPORT TASK", "STATE", "REASON")
			for _, v := range views {
				t.row(v.VM, v.Type, v.ExportTask, v.State, v.Reason)
			}
			t.flush()
			return
		}
		t := newTable(w, "VM", "STATE", "TYPE", "BACKUP", "SIZE", "SNAPSHOT", "REASON")
		for _, v := range views {
			snap := ""
			if v.SnapshotTime != nil {
				snap = v.SnapshotTime.In(a.loc).Format(timeLayout)
			}
			t.row(v.VM, v.State, v.Type, v.Backup, size(v.Size), snap, v.Reason)
		}
		t.flush()
	}); err != nil {
		return err
	}
	return then
}
