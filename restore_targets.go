package vprotect

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ErrNoRestoreTarget is returned by RestoreAs when the server offers no
// hypervisor manager for the backup and its VM has no hypervisor either.
var ErrNoRestoreTarget = errors.New("vprotect: no target to restore the backup to")

// RestoreTarget is one place a backup can be restored to, as RestoreTargets
// finds it: a hypervisor manager with one of its storages (and a cluster
// that uses the storage), or a stand-alone hypervisor. Request turns it into
// a RestoreRequest.
type RestoreTarget struct {
	// HypervisorManager is the target manager (GUID and name); nil for a
	// stand-alone hypervisor.
	HypervisorManager *NameAndGuid
	// HypervisorManagerType is the manager's type (OPENSTACK, RHV, …).
	HypervisorManagerType HypervisorManagerType
	// Hypervisor is the target stand-alone hypervisor; nil for a manager.
	Hypervisor *NameAndGuid
	// Storage is the storage of the manager to restore the disks to (the
	// request takes its UUID); nil when the manager lists none.
	Storage *HypervisorStorage
	// Cluster is a cluster of the manager that uses Storage (the request
	// takes its UUID); nil when none is listed.
	Cluster *HypervisorCluster
	// Original reports whether this is where the backup's VM is now: its
	// own manager and, for a storage, one its cluster uses (or its own
	// stand-alone hypervisor).
	Original bool
}

// Request returns the request that restores backupGUID to t under the name
// restoredName, with the identifiers each field wants: the manager's or
// hypervisor's GUID, the storage's and the cluster's UUID. Change its other
// fields (TenantID, Networks, …) before RestoreAndImport as needed.
func (t RestoreTarget) Request(backupGUID, restoredName string) RestoreRequest {
	req := RestoreRequest{Backup: backupGUID, RestoredPEName: restoredName}
	if t.HypervisorManager != nil {
		req.HypervisorManager = t.HypervisorManager.GUID
	}
	if t.Hypervisor != nil {
		req.Hypervisor = t.Hypervisor.GUID
	}
	if t.Storage != nil {
		req.RestoreStorageID = t.Storage.UUID
	}
	if t.Cluster != nil {
		req.RestoreClusterID = t.Cluster.UUID
	}
	return req
}

// String describes the target for people: "hypervisor manager openstack
// (OPENSTACK), storage ceph-volumes, cluster nova" or "hypervisor hv-1".
func (t RestoreTarget) String() string {
	var parts []string
	switch {
	case t.HypervisorManager != nil && t.HypervisorManagerType != "":
		parts = append(parts, fmt.Sprintf("hypervisor manager %s (%s)", refName(*t.HypervisorManager), t.HypervisorManagerType))
	case t.HypervisorManager != nil:
		parts = append(parts, "hypervisor manager "+refName(*t.HypervisorManager))
	case t.Hypervisor != nil:
		parts = append(parts, "hypervisor "+refName(*t.Hypervisor))
	}
	if t.Storage != nil {
		parts = append(parts, "storage "+t.Storage.Name)
	}
	if t.Cluster != nil {
		parts = append(parts, "cluster "+t.Cluster.Name)
	}
	return strings.Join(parts, ", ")
}

// refName is a reference's name, or its GUID when it has none.
func refName(r NameAndGuid) string {
	if r.Name != "" {
		return r.Name
	}
	return r.GUID
}

// RestoreTargets returns where the backup can be restored to, best first:
// the hypervisor managers the server offers for it (GET
// /hypervisor-managers?backup-to-be-restored=), the VM's own manager first,
// each with every storage it lists and a cluster that uses that storage,
// the storages the VM's cluster uses first. When the server offers no
// manager and the VM is on a stand-alone hypervisor, that hypervisor is the
// one target. A manager without storages is one target of its own. The
// list is empty (and the error nil) when there is nowhere to restore to.
//
// It costs 3 requests plus 2 per manager offered. The backup's VM may be
// gone from the inventory; the targets are then in the server's order, none
// Original.
//
// vProtect API: GET /backups/{guid}, GET /virtual-machines/{guid}, GET /hypervisor-managers, GET /hypervisor-storages, GET /hypervisor-clusters
func (s *BackupsService) RestoreTargets(ctx context.Context, backupGUID string) ([]RestoreTarget, error) {
	if err := requireGUID("backupGUID", backupGUID); err != nil {
		return nil, err
	}
	c := s.client
	backup, err := s.Get(ctx, backupGUID)
	if err != nil {
		return nil, err
	}
	var vm *VirtualMachine
	if backup.ProtectedEntity.GUID != "" {
		vm, err = c.VMs.Get(ctx, backup.ProtectedEntity.GUID)
		if errors.Is(err, ErrNotFound) {
			vm, err = nil, nil // the VM is gone; its backups remain
		}
		if err != nil {
			return nil, err
		}
	}
	managers, err := c.HypervisorManagers.List(ctx, &HypervisorManagerListOptions{BackupToBeRestored: backupGUID})
	if err != nil {
		return nil, err
	}
	if len(managers) == 0 {
		if vm == nil || vm.Hypervisor == nil || vm.Hypervisor.GUID == "" {
			return []RestoreTarget{}, nil
		}
		hv := *vm.Hypervisor
		return []RestoreTarget{{Hypervisor: &hv, Original: true}}, nil
	}
	isOwn := func(m HypervisorManager) bool { return vm != nil && vm.HVManager != nil && vm.HVManager.GUID == m.GUID }
	var targets []RestoreTarget
	for _, own := range []bool{true, false} { // the VM's own manager first, then the server's order
		for _, m := range managers {
			if isOwn(m) != own {
				continue
			}
			ts, err := s.managerTargets(ctx, m, vm, own)
			if err != nil {
				return nil, err
			}
			targets = append(targets, ts...)
		}
	}
	return targets, nil
}

// managerTargets returns the targets of one manager: one per storage, with
// a cluster that uses it, the storages of the VM's cluster first (Original
// when the manager is the VM's own).
func (s *BackupsService) managerTargets(ctx context.Context, m HypervisorManager, vm *VirtualMachine, ownManager bool) ([]RestoreTarget, error) {
	c := s.client
	storages, err := c.HypervisorStorages.List(ctx, &StorageListOptions{HypervisorManager: m.GUID})
	if err != nil {
		return nil, err
	}
	clusters, err := c.HypervisorClusters.List(ctx, &ClusterListOptions{HypervisorManager: m.GUID})
	if err != nil {
		return nil, err
	}
	base := RestoreTarget{HypervisorManager: &NameAndGuid{GUID: m.GUID, Name: m.Name}, HypervisorManagerType: m.Type.Name}
	if len(storages) == 0 {
		base.Original = ownManager
		return []RestoreTarget{base}, nil
	}
	vmCluster := ""
	if vm != nil && vm.HVCluster != nil {
		vmCluster = vm.HVCluster.GUID
	}
	var first, rest []RestoreTarget
	for i := range storages {
		t := base
		t.Storage = &storages[i]
		t.Cluster = clusterUsing(clusters, storages[i], vmCluster)
		if t.Cluster != nil && t.Cluster.GUID == vmCluster {
			t.Original = ownManager
			first = append(first, t)
			continue
		}
		rest = append(rest, t)
	}
	if len(first) == 0 && ownManager && vmCluster == "" {
		rest[0].Original = true // the VM's manager, and nothing tells its storage apart
	}
	return append(first, rest...), nil
}

// clusterUsing returns the cluster that uses storage, preferring prefer (a
// cluster GUID), or nil when the manager lists none that does.
func clusterUsing(clusters []HypervisorCluster, storage HypervisorStorage, prefer string) *HypervisorCluster {
	var found *HypervisorCluster
	for _, ref := range storage.Clusters {
		for i := range clusters {
			if clusters[i].GUID != ref.GUID {
				continue
			}
			if ref.GUID == prefer {
				return &clusters[i]
			}
			if found == nil {
				found = &clusters[i]
			}
		}
	}
	return found
}

// RestoreAs restores the backup next to where it came from, as a new VM
// named restoredName, and waits for it: it takes the first of
// RestoreTargets (the VM's own manager or hypervisor when the server offers
// it), starts the restore with RestoreAndImport and waits for the RESTORE
// and IMPORT tasks as WaitForRestoreFunc does, calling progress (if not
// nil) after every poll. It returns the finished IMPORT task, whose
// DstProtectedEntity names the new VM.
//
// restoredName must not be empty (see RestoreRequest.RestoredPEName).
// With nowhere to restore to the error matches ErrNoRestoreTarget; a FAILED
// or CANCELLED task gives its *TaskFailedError. To see the target first,
// choose another one or set more of the request, use RestoreTargets,
// RestoreTarget.Request and TasksService.RestoreAndImport.
//
// vProtect API: POST /tasks/restore-and-import
func (s *BackupsService) RestoreAs(ctx context.Context, backupGUID, restoredName string, progress func(*Task)) (*Task, error) {
	if err := requireGUID("backupGUID", backupGUID); err != nil {
		return nil, err
	}
	if strings.TrimSpace(restoredName) == "" {
		return nil, argError("restoredName", "must not be empty: without a name the restored VM gets the source's and two VMs share it")
	}
	targets, err := s.RestoreTargets(ctx, backupGUID)
	if err != nil {
		return nil, err
	}
	if len(targets) == 0 {
		return nil, fmt.Errorf("%w %s", ErrNoRestoreTarget, backupGUID)
	}
	tasks := s.client.Tasks
	restore, err := tasks.RestoreAndImport(ctx, targets[0].Request(backupGUID, restoredName))
	if err != nil {
		return nil, err
	}
	return tasks.WaitForRestoreFunc(ctx, restore.GUID, progress)
}
