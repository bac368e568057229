package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/vprotect-go/vprotect"
)

// restoreView is a restore in -o json and -o yaml: what is restored where,
// its tasks and, with --wait, how it ended.
type restoreView struct {
	Backup string `json:"backup"`
	VM     string `json:"vm"`   // the backup's VM
	Name   string `json:"name"` // the restored VM's
	// Target describes where to: the hypervisor manager (or hypervisor),
	// the storage and the cluster.
	Target            string `json:"target"`
	HypervisorManager string `json:"hypervisorManager,omitempty"`
	Hypervisor        string `json:"hypervisor,omitempty"`
	Storage           string `json:"storage,omitempty"`
	Cluster           string `json:"cluster,omitempty"`
	RestoreTask       string `json:"restoreTask"`
	ImportTask        string `json:"importTask,omitempty"`
	// State is the RESTORE task's state when started, and with --wait how
	// the restore ended: FINISHED, FAILED or CANCELLED.
	State  string `json:"state"`
	Reason string `json:"reason,omitempty"`
	// RestoredVM is the GUID of the VM the restore made, when the server
	// names it.
	RestoredVM string `json:"restoredVmGuid,omitempty"`
}

// targetAuto is the --target that lets the SDK choose.
const targetAuto = "auto"

func (a *app) restoreCommand() *cobra.Command {
	var (
		name, target string
		wait         bool
	)
	cmd := a.command(&cobra.Command{
		Use:   "restore BACKUP",
		Short: "Restore a backup as a new VM (RESTORE, then IMPORT)",
		Long: `Restore the backup with the GUID BACKUP (vprotect backups VM lists them) and
import it as a new VM named --name (default: the VM's name with -restored- and
the time, so that the original is never overwritten).

--target auto (the default) restores next to where the VM is: its own
hypervisor manager, with a storage its cluster uses, as the SDK's
RestoreTargets puts first; --target MANAGER restores to that hypervisor manager
(or stand-alone hypervisor), by name or GUID, among those the server offers for
the backup.

Without --wait the command prints the RESTORE task it started and ends; with
--wait it follows the RESTORE and IMPORT tasks, with a live progress bar on a
terminal and one line per state change otherwise (on stderr). A restore that
fails is exit status 1 with the server's reason; Ctrl-C while waiting asks
whether to cancel it or leave it running (off a terminal: leaves it running).`,
		Example: `  vprotect restore 00000000-0000-4000-8000-000000000030 --name a-web-1-copy --wait
  vprotect restore 00000000-0000-4000-8000-000000000030 --target rhv -o json`,
		Args: cobra.ExactArgs(1),
	}, func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		if strings.TrimSpace(target) == "" {
			return usageErrorf("--target is empty: give auto or a hypervisor manager's name or GUID")
		}
		c, err := a.connect(ctx)
		if err != nil {
			return err
		}
		b, err := c.Backups.Get(ctx, args[0])
		if errors.Is(err, vprotect.ErrNotFound) {
			return fmt.Errorf("no backup with GUID %s; vprotect backups VM lists the backups of a VM", args[0])
		}
		if err != nil {
			return failed("read backup "+args[0], err)
		}
		if !b.IsSuccessful() {
			return fmt.Errorf("backup %s of %s is %s, not a backup to restore; vprotect backups %s lists the others",
				b.GUID, b.ProtectedEntity.Name, b.Status.Name, b.ProtectedEntity.Name)
		}
		t, err := restoreTarget(ctx, c, b, target)
		if err != nil {
			return err
		}
		if name == "" {
			name = b.ProtectedEntity.Name + "-restored-" + a.now().UTC().Format("20060102-150405")
		}
		req := t.Request(b.GUID, name)
		req.TenantID = a.cfg.tenant
		task, err := c.Tasks.RestoreAndImport(ctx, req)
		if err != nil {
			return failed("start the restore of backup "+b.GUID, err)
		}
		v := restoreView{Backup: b.GUID, VM: b.ProtectedEntity.Name, Name: name, Target: t.String(),
			RestoreTask: task.GUID, State: string(task.State.Name)}
		if t.HypervisorManager != nil {
			v.HypervisorManager = t.HypervisorManager.Name
		}
		if t.Hypervisor != nil {
			v.Hypervisor = ref(t.Hypervisor)
		}
		if t.Storage != nil {
			v.Storage = t.Storage.Name
		}
		if t.Cluster != nil {
			v.Cluster = t.Cluster.Name
		}
		if !wait {
			return a.renderRestore(v)
		}
		return a.waitForRestore(ctx, c, &v)
	})
	fs := cmd.Flags()
	fs.StringVar(&name, "name", "", "name of the restored VM (default: NAME-restored-YYYYMMDD-HHMMSS, in UTC)")
	fs.StringVar(&target, "target", targetAuto, "where to restore: auto, or a hypervisor manager (or hypervisor) by name or GUID")
	fs.BoolVar(&wait, "wait", false, "wait for the restore (RESTORE, then IMPORT), with its progress")
	return cmd
}

// restoreTarget returns where to restore b: the first target the SDK
// offers for auto, else the first of the manager (or hypervisor) named.
func restoreTarget(ctx context.Context, c *vprotect.Client, b *vprotect.Backup, target string) (*vprotect.RestoreTarget, error) {
	targets, err := c.Backups.RestoreTargets(ctx, b.GUID)
	if err != nil {
		return nil, failed("find where to restore backup "+b.GUID, err)
	}
	if len(targets) == 0 {
		return nil, fmt.Errorf("the server offers no hypervisor manager or hypervisor to restore backup %s to", b.GUID)
	}
	if strings.EqualFold(target, targetAuto) {
		return &targets[0], nil
	}
	var offered []string
	seen := map[string]bool{}
	for i := range targets {
		t := &targets[i]
		r := t.HypervisorManager
		if r == nil {
			r = t.Hypervisor
		}
		if r == nil {
			continue
		}
		if r.Name == target || r.GUID == target {
			return t, nil
		}
		if !seen[r.GUID] {
			seen[r.GUID] = true
			offered = append(offered, ref(r))
		}
	}
	return nil, fmt.Errorf("--target %s is not offered for backup %s; the server offers %s", target, b.GUID, joinNames(offered))
}

// waitForRestore follows the restore of v to its end with progress on
// stderr, prints it, and returns the error of a failure (or of the
// interruption).
func (a *app) waitForRestore(ctx context.Context, c *vprotect.Client, v *restoreView) error {
	progress := newJobProgress(a.stderr)
	progress.add(v.RestoreTask, v.Name, len(v.Name), vprotect.TaskTypeRestore, vprotect.TaskTypeImport)
	var last *vprotect.Task
	imported, err := c.Tasks.WaitForRestoreFunc(ctx, v.RestoreTask, func(t *vprotect.Task) {
		if t.Type.Name == vprotect.TaskTypeImport {
			v.ImportTask = t.GUID
		}
		cp := *t
		last = &cp
		progress.show(v.RestoreTask, t)
	})
	if interrupted(ctx, err) {
		progress.stop()
		var left []leftTask
		switch {
		case last == nil:
			left = append(left, leftTask{guid: v.RestoreTask, typ: vprotect.TaskTypeRestore, label: v.Name})
		case !last.IsTerminal():
			left = append(left, leftTask{guid: last.GUID, typ: last.Type.Name, label: v.Name})
		}
		return a.afterInterrupt(ctx, c, "the restore", left)
	}
	var tf *vprotect.TaskFailedError
	if err != nil && !errors.As(err, &tf) {
		progress.stop()
		return failed("wait for the restore of backup "+v.Backup, err)
	}
	if err != nil {
		v.State, v.Reason = failure(err)
		progress.end(v.RestoreTask, false, v.Reason)
	} else {
		v.State = string(imported.State.Name)
		if d := imported.DstProtectedEntity; d != nil {
			v.RestoredVM = d.GUID
		}
		progress.end(v.RestoreTask, true, "restored")
	}
	progress.stop()
	if err := a.renderRestore(*v); err != nil {
		return err
	}
	if v.Reason != "" {
		return fmt.Errorf("the restore of backup %s as %s failed: %s", v.Backup, v.Name, v.Reason)
	}
	return nil
}

// renderRestore prints a restore.
func (a *app) renderRestore(v restoreView) error {
	return a.render(v, func(w io.Writer) {
		pairs := []string{
			"Backup", v.Backup + " of " + v.VM,
			"Restored as", v.Name,
			"Target", v.Target,
			"RESTORE task", v.RestoreTask,
		}
		for _, p := range [][2]string{{"IMPORT task", v.ImportTask}, {"State", v.State}, {"Reason", v.Reason}, {"Restored VM", v.RestoredVM}} {
			if p[1] != "" {
				pairs = append(pairs, p[0], p[1])
			}
		}
		fields(w, pairs...)
	})
}
