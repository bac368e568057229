// Command restore finds the latest successful backup of a VM by the VM's
// name and restores it: the self-service "restore my VM" button.
//
//	go run ./examples/restore                          # a-web-1 of the demo data
//	go run ./examples/restore -vm db01 -as db01-copy   # against VPROTECT_URL
//
// It looks the VM up by name (GET /virtual-machines?filter=NAME, then an
// exact match), lists its backups (GET /backups?protected-entity=GUID),
// takes the newest with status SUCCESS or PARTIAL_SUCCESS and restores it
// with one call, c.Backups.RestoreAs: next to the VM (its own hypervisor
// manager, storage and cluster, or its hypervisor), following the RESTORE
// and IMPORT tasks.
// The restored VM gets a new name (-as; default NAME-restored-TIME), so the
// original is never overwritten. Messages name the VM as -vm gives it (a
// name or a GUID); the progress lines show the source and the new VM; times
// are UTC.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/examples/internal/exampleutil"
)

var (
	vmName = flag.String("vm", "a-web-1", "name (or GUID) of the VM whose latest backup to restore")
	asName = flag.String("as", "", "name of the restored VM (default <vm>-restored-<time>)")
)

func main() { exampleutil.Main("restore", run) }

func run(ctx context.Context, env *exampleutil.Env) error {
	c, out := env.Client, env.Out

	name := *vmName // every message names the VM as the user typed it
	if name == "" {
		return fmt.Errorf("-vm is empty: name the VM whose backup to restore")
	}
	vm, err := findVM(ctx, c, name)
	if err != nil {
		return err
	}
	backup, err := latestSuccessful(ctx, c, vm, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Latest successful backup of %s: %s %s of %s, %s\n", name,
		backup.Type.Name, backup.GUID, exampleutil.Time(backup.SnapshotTime), exampleutil.Size(backup.Size))

	as := *asName
	if as == "" {
		as = vm.Name + "-restored-" + exampleutil.Suffix()
	}
	fmt.Fprintf(out, "Restoring it as %s next to %s\n", as, name)
	progress := exampleutil.NewProgress(os.Stdout)
	imported, err := c.Backups.RestoreAs(ctx, backup.GUID, as, progress.Update) // the best target, then RESTORE and IMPORT
	progress.Done()
	if err != nil {
		return err
	}
	restored := "(not named by the server)"
	if d := imported.DstProtectedEntity; d != nil && d.GUID != "" {
		restored = d.GUID
	}
	fmt.Fprintf(out, "Restored %s as %s (VM %s)\n", name, as, restored)
	return nil
}

// findVM returns the VM with exactly this name, or this GUID. The server's
// filter matches substrings, so the result is checked; a name held by two
// VMs is an error that lists their GUIDs.
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
		vm, err := c.VMs.Get(ctx, name) // a GUID?
		if errors.Is(err, vprotect.ErrNotFound) {
			return nil, fmt.Errorf("no VM is named %q", name)
		}
		return vm, err
	case 1:
		return &found[0], nil
	}
	guids := make([]string, len(found))
	for i, vm := range found {
		guids[i] = vm.GUID
	}
	return nil, fmt.Errorf("%d VMs are named %q; give -vm one of their GUIDs: %s", len(found), name, strings.Join(guids, ", "))
}

// latestSuccessful returns the VM's newest backup that can be restored;
// name is the VM as the user typed it, for the message.
func latestSuccessful(ctx context.Context, c *vprotect.Client, vm *vprotect.VirtualMachine, name string) (*vprotect.Backup, error) {
	backups, err := c.Backups.List(ctx, &vprotect.BackupListOptions{
		ProtectedEntity: vm.GUID,
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
		return nil, fmt.Errorf("VM %s has no successful backup", name)
	}
	return latest, nil
}
