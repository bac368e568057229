package exampleutil

import (
	"context"
	"fmt"

	"github.com/vprotect-go/vprotect"
)

// RestoreTarget fills in where a backup of vm is restored to: the VM's own
// hypervisor manager when the server offers it for the backup (else the
// first manager offered) and the manager's first storage; or, for a VM on a
// stand-alone hypervisor, that hypervisor. It returns the request and a
// description of the target for people.
func RestoreTarget(ctx context.Context, c *vprotect.Client, vm *vprotect.VirtualMachine, backupGUID string) (vprotect.RestoreRequest, string, error) {
	req := vprotect.RestoreRequest{Backup: backupGUID}
	managers, err := c.HypervisorManagers.List(ctx, &vprotect.HypervisorManagerListOptions{BackupToBeRestored: backupGUID})
	if err != nil {
		return req, "", err
	}
	if len(managers) == 0 {
		if vm.Hypervisor == nil || vm.Hypervisor.GUID == "" {
			return req, "", fmt.Errorf("the server offers no hypervisor manager to restore backup %s to, and VM %s has no hypervisor", backupGUID, vm.Name)
		}
		req.Hypervisor = vm.Hypervisor.GUID
		return req, "hypervisor " + Ref(vm.Hypervisor), nil
	}
	mgr := managers[0]
	for _, m := range managers {
		if vm.HVManager != nil && m.GUID == vm.HVManager.GUID {
			mgr = m
		}
	}
	req.HypervisorManager = mgr.GUID
	target := fmt.Sprintf("hypervisor manager %s (%s)", mgr.Name, mgr.Type.Name)
	storages, err := c.HypervisorStorages.List(ctx, &vprotect.StorageListOptions{HypervisorManager: mgr.GUID})
	if err != nil {
		return req, "", err
	}
	if len(storages) > 0 {
		req.RestoreStorageID = storages[0].UUID
		target += ", storage " + storages[0].Name
	}
	return req, target, nil
}
