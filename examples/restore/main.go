// Command restore finds the latest successful backup of a VM by the VM's
// name and restores it: the self-service "restore my VM" button.
//
//	go run ./examples/restore                          # a-web-1 of the demo data
//	go run ./examples/restore -vm db01 -as db01-copy   # against VPROTECT_URL
//
// It looks the VM up by name (GET /virtual-machines?filter=NAME, then an
// exact match), lists its backups (GET /backups?protected-entity=GUID),
// takes the newest with status SUCCESS or PARTIAL_SUCCESS, picks the VM's
// hypervisor manager (or hypervisor) as the target, starts
// POST /tasks/restore-and-import and follows the RESTORE and IMPORT tasks.
// The restored VM gets a new name (-as; default NAME-restored-TIME), so the
// original is never overwritten.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/examples/internal/exampleutil"
)

var (
	vmName = flag.String("vm", "a-web-1", "name of the VM whose latest backup to restore")
	asName = flag.String("as", "", "name of the restored VM (default <vm>-restored-<time>)")
)

func main() { exampleutil.Main("restore", run) }

func run(ctx context.Context, env *exampleutil.Env) error {
	c, out := env.Client, env.Out

	vm, err := findVM(ctx, c, *vmName)
	if err != nil {
		return err
	}
	backup, err := latestSuccessful(ctx, c, vm.GUID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Latest successful backup of %s: %s %s of %s, %s\n", vm.Name,
		backup.Type.Name, backup.GUID, exampleutil.Time(backup.SnapshotTime), exampleutil.Size(backup.Size))

	req, target, err := exampleutil.RestoreTarget(ctx, c, vm, backup.GUID)
	if err != nil {
		return err
	}
	req.RestoredPEName = *asName
	if req.RestoredPEName == "" {
		req.RestoredPEName = vm.Name + "-restored-" + exampleutil.Suffix()
	}
	fmt.Fprintf(out, "Restoring it as %s to %s\n", req.RestoredPEName, target)
	task, err := c.Tasks.RestoreAndImport(ctx, req)
	if err != nil {
		return err
	}
	progress := exampleutil.NewProgress(os.Stdout)
	imported, err := c.Tasks.WaitForRestoreFunc(ctx, task.GUID, progress.Update)
	progress.Done()
	if err != nil {
		return err
	}
	restored := "(not named by the server)"
	if d := imported.DstProtectedEntity; d != nil && d.GUID != "" {
		restored = d.GUID
	}
	fmt.Fprintf(out, "Restored %s as %s (VM %s)\n", vm.Name, req.RestoredPEName, restored)
	return nil
}

// findVM returns the VM with exactly this name. The server's filter matches
// substrings, so the result is checked; a name held by two VMs is an error.
func findVM(ctx context.Context, c *vprotect.Client, name string) (*vprotect.VirtualMachine, error) {
	vms, err := c.VMs.List(ctx, &vprotect.VMListOptions{ListOptions: vprotect.ListOptions{Filter: name}})
	if err != nil {
		return nil, err
	}
	var found []vprotect.VirtualMachine
	for _, vm := range vms {
		if vm.Name == name {
			found = append(found, vm)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("no VM is named %q", name)
	case 1:
		return &found[0], nil
	}
	return nil, fmt.Errorf("%d VMs are named %q; restore by GUID instead", len(found), name)
}

// latestSuccessful returns the VM's newest backup that can be restored.
func latestSuccessful(ctx context.Context, c *vprotect.Client, vmGUID string) (*vprotect.Backup, error) {
	backups, err := c.Backups.List(ctx, &vprotect.BackupListOptions{
		ProtectedEntity: vmGUID,
		Statuses:        []vprotect.BackupStatus{vprotect.BackupStatusSuccess, vprotect.BackupStatusPartialSuccess},
	})
	if err != nil {
		return nil, err
	}
	var latest *vprotect.Backup
	for i := range backups {
		b := &backups[i]
		if b.IsSuccessful() && (latest == nil || b.SnapshotTime.After(latest.SnapshotTime.Time)) {
			latest = b
		}
	}
	if latest == nil {
		return nil, fmt.Errorf("VM %s has no successful backup", vmGUID)
	}
	return latest, nil
}
