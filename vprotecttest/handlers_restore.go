package vprotecttest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// What the restore dialog looks up (7x reference 7.1), the restore jobs it
// leaves behind (3.4), and how a restore places the disks and NICs of the
// backup it restores (7.3).

// restoreJob is one restore: the backup, when it was asked for, and its
// tasks (RESTORE, then IMPORT), which it outlives.
type restoreJob struct {
	guid    string
	backup  string
	entity  *NameGuidAndType
	created time.Time
	typ     string
	tasks   []*taskRec
}

// GET /restore-jobs (protected-entity, from, to on the restore time), newest first.
func (s *Server) listRestoreJobs(c *call) (reply, error) {
	q := c.r.URL.Query()
	vm := param(q, "protected-entity", "protectedEntity")
	from, hasFrom, err := intParam(q, "from")
	if err != nil {
		return reply{}, err
	}
	to, hasTo, err := intParam(q, "to")
	if err != nil {
		return reply{}, err
	}
	var out []*restoreJob
	for _, j := range s.st.restoreJobs.all() {
		at := ms(j.created)
		if (vm != "" && (j.entity == nil || j.entity.GUID != vm)) || (hasFrom && at < from) || (hasTo && at > to) {
			continue
		}
		out = append(out, j)
	}
	slices.Reverse(out)
	return okReply(renderAll(out, s.renderRestoreJob)), nil
}

// renderAll renders items, never nil (so an empty list is []).
func renderAll[T, R any](items []T, render func(T) R) []R {
	out := make([]R, 0, len(items))
	for _, it := range items {
		out = append(out, render(it))
	}
	return out
}

// renderRestoreJob derives a restore job's status and times from its tasks.
func (s *Server) renderRestoreJob(j *restoreJob) RestoreJob {
	out := RestoreJob{GUID: j.guid, ProtectedEntity: clonePtr(j.entity), RestoreTime: ms(j.created), RestoreType: enumOf(j.typ),
		Status: enumOf("QUEUED")}
	if b, ok := s.st.backups.get(j.backup); ok {
		out.Backup = s.st.renderBackup(b)
	} else {
		out.Backup = Backup{GUID: j.backup, Warnings: []string{}, BackupLocations: []BackupLocation{}}
	}
	for _, r := range j.tasks {
		queued, run := taskTimes(r, s.sim)
		switch r.Type.Name {
		case "RESTORE":
			out.TaskTimeStats.QueuedRestoreTime, out.TaskTimeStats.RestoreTime = queued, run
		case "IMPORT":
			out.TaskTimeStats.QueuedImportTime, out.TaskTimeStats.ImportTime = queued, run
		case "MOUNT":
			out.TaskTimeStats.QueuedMountTime, out.TaskTimeStats.MountTime = queued, run
		}
		out.Status, out.StatusInfo = r.State, r.StatusInfo
	}
	if out.Status.Name == "FINISHED" && out.StatusInfo == "" {
		out.StatusInfo = "Restore finished"
	}
	return out
}

// taskTimes is how long a task waited in the queue and ran, in ms, at now.
func taskTimes(r *taskRec, now time.Time) (queued, run int64) {
	if r.started.IsZero() {
		if isTerminal(r.State.Name) {
			return 0, 0
		}
		return now.Sub(r.created).Milliseconds(), 0
	}
	queued = r.started.Sub(r.created).Milliseconds()
	end := now
	if r.FinishTime != nil {
		end = time.UnixMilli(*r.FinishTime)
	}
	return queued, end.Sub(r.started).Milliseconds()
}

// GET /backup-files/detailed/for-restore (backup, with-modified-configs): the
// backup's files as it recorded them.
func (s *Server) listBackupFilesForRestore(c *call) (reply, error) {
	q := c.r.URL.Query()
	guid := param(q, "backup")
	if guid == "" {
		return reply{}, badRequest("backup: is required")
	}
	if _, err := boolParam(q, "with-modified-configs"); err != nil {
		return reply{}, err
	}
	b, ok := s.st.backups.get(guid)
	if !ok {
		return reply{}, badRequest("backup: unknown backup %s", guid)
	}
	s.recordParts(b)
	return okReply(renderAll(b.files, func(f BackupFile) BackupFile {
		f.VMDisk = clonePtr(f.VMDisk)
		return f
	})), nil
}

// GET /network (hypervisor-manager): the manager's networks that are not shared.
func (s *Server) listNetworks(c *call) (reply, error) { return s.networksOf(c, false) }

// GET /network/shared (hypervisor-manager): the shared networks.
func (s *Server) listSharedNetworks(c *call) (reply, error) { return s.networksOf(c, true) }

func (s *Server) networksOf(c *call, shared bool) (reply, error) {
	mgr := param(c.r.URL.Query(), "hypervisor-manager")
	var out []*Network
	for _, n := range s.st.networks.all() {
		if n.Shared == shared && (mgr == "" || (n.HvManager != nil && n.HvManager.GUID == mgr)) {
			out = append(out, n)
		}
	}
	return listReply(c, out, func(n *Network) string { return n.Name }, deepCopy[Network])
}

// GET /virtual-machine-flavors (hypervisor-manager)
func (s *Server) listFlavors(c *call) (reply, error) {
	mgr := param(c.r.URL.Query(), "hypervisor-manager")
	var out []*VMFlavor
	for _, f := range s.st.flavors.all() {
		if mgr == "" || (f.HvManager != nil && f.HvManager.GUID == mgr) {
			out = append(out, f)
		}
	}
	return listReply(c, out, func(f *VMFlavor) string { return f.Name }, deepCopy[VMFlavor])
}

// restoreTaskFile is one taskFiles entry of a restore (7x reference 7.3).
type restoreTaskFile struct {
	BackupFile          *NameAndGuid `json:"backupFile"`
	DiskName            string       `json:"diskName"`
	OriginalDiskName    string       `json:"originalDiskName"`
	StorageID           string       `json:"storageId"`
	ExcludedFromRestore bool         `json:"excludedFromRestore"`
}

// restoredNetwork is one restoredNetworks entry of a restore.
type restoredNetwork struct {
	Network              *NameAndGuid `json:"network"`
	NetworkInterfaceCard *NameAndGuid `json:"networkInterfaceCard"`
}

// restorePlan is what the IMPORT of a restore gives the new VM.
type restorePlan struct {
	disks []vmDisk
	nics  []vmNIC
}

// planRestore checks the placement a restore asks for and returns what the
// new VM gets:
//   - taskFiles (optional; without it every disk is restored): each names a
//     restorable file of the backup. excludedFromRestore leaves the disk out.
//     With restoreToOriginalVolumeType true (the UI sends it by default) a
//     disk goes back to the storage it came from; without it to the entry's
//     storageId (a storage uuid or guid of the target manager), else
//     restoreStorageId, else where it came from, named diskName when given.
//   - restoredNetworks: each NIC of the backup goes on the network given
//     (one of the target manager's networks, shared ones included); a NIC
//     not listed keeps its network when the target manager has it.
//   - restoreVmFlavor: a flavor of the target manager.
func (s *Server) planRestore(req *restoreRequest, b *Backup, t restoreTarget) (*restorePlan, error) {
	s.recordParts(b)
	mgr := t.managerGUID()
	toOriginal := req.RestoreToOriginalVolumeType != nil && *req.RestoreToOriginalVolumeType // absent is false
	plan := &restorePlan{}
	files := map[string]BackupFile{}
	for _, f := range b.files {
		files[f.GUID] = f
	}
	entries := req.TaskFiles
	if entries == nil {
		for _, f := range b.files {
			if restorableDisk(f) {
				entries = append(entries, restoreTaskFile{BackupFile: &NameAndGuid{GUID: f.GUID}})
			}
		}
	}
	for i, e := range entries {
		if !given(e.BackupFile) {
			return nil, badRequest("taskFiles[%d].backupFile: is required", i)
		}
		f, ok := files[e.BackupFile.GUID]
		if !ok || !restorableDisk(f) {
			return nil, badRequest("taskFiles[%d].backupFile: %s is not a disk of backup %s", i, e.BackupFile.GUID, b.GUID)
		}
		if e.ExcludedFromRestore {
			continue
		}
		d := vmDisk{guid: s.st.partGUID(), name: f.VMDisk.Name, size: f.Size}
		if f.VMDisk.OriginalStorage != nil {
			d.storage = f.VMDisk.OriginalStorage.GUID
		}
		if !toOriginal {
			d.name = cmp.Or(strings.TrimSpace(e.DiskName), d.name)
			if id := cmp.Or(e.StorageID, req.RestoreStorageID); id != "" {
				st := s.storageOf(id, mgr)
				if st == nil {
					return nil, badRequest("taskFiles[%d].storageId: no storage %q on hypervisor manager %s", i, id, mgr)
				}
				d.storage = st.GUID
			}
		}
		plan.disks = append(plan.disks, d)
	}
	placed := map[string]string{}
	for i, rn := range req.RestoredNetworks {
		if !given(rn.NetworkInterfaceCard) {
			return nil, badRequest("restoredNetworks[%d].networkInterfaceCard: is required", i)
		}
		if !slices.ContainsFunc(b.NetworkInterfaceCards, func(n NetworkInterfaceCard) bool { return n.GUID == rn.NetworkInterfaceCard.GUID }) {
			return nil, badRequest("restoredNetworks[%d].networkInterfaceCard: %s is not a NIC of backup %s", i, rn.NetworkInterfaceCard.GUID, b.GUID)
		}
		if !given(rn.Network) {
			continue
		}
		if n, ok := s.st.networks.get(rn.Network.GUID); !ok || n.HvManager == nil || n.HvManager.GUID != mgr {
			return nil, badRequest("restoredNetworks[%d].network: no network %s on hypervisor manager %s", i, rn.Network.GUID, mgr)
		}
		placed[rn.NetworkInterfaceCard.GUID] = rn.Network.GUID
	}
	for _, n := range b.NetworkInterfaceCards {
		nic := vmNIC{guid: s.st.partGUID(), uuid: n.UUID, name: n.Name}
		if net, ok := placed[n.GUID]; ok {
			nic.network = net
		} else if n.Network != nil {
			if net, ok := s.st.networks.get(n.Network.GUID); ok && net.HvManager != nil && net.HvManager.GUID == mgr {
				nic.network = net.GUID
			}
		}
		plan.nics = append(plan.nics, nic)
	}
	return plan, nil
}

// restoreFlavor resolves restoreVmFlavor against the target manager.
func (s *Server) restoreFlavor(ref *NameAndGuid, mgr string) (*NameAndGuid, error) {
	if !given(ref) {
		return nil, nil
	}
	f, ok := s.st.flavors.get(ref.GUID)
	if !ok || f.HvManager == nil || f.HvManager.GUID != mgr {
		return nil, badRequest("restoreVmFlavor: no flavor %s on hypervisor manager %s", ref.GUID, mgr)
	}
	return &NameAndGuid{GUID: f.GUID, Name: f.Name}, nil
}

// storageOf finds a storage of manager mgr by uuid or guid.
func (s *Server) storageOf(id, mgr string) *HypervisorStorage {
	for _, st := range s.st.storages.all() {
		if (st.UUID == id || st.GUID == id) && (mgr == "" || (st.HvManager != nil && st.HvManager.GUID == mgr)) {
			return st
		}
	}
	return nil
}

// applyRestore gives the VM an IMPORT added the disks and NICs of its plan;
// each restored disk takes its size on its storage.
func (s *Server) applyRestore(p *restorePlan, vm string) {
	if p == nil {
		return
	}
	s.st.vmDisks[vm] = append([]vmDisk{}, p.disks...)
	s.st.vmNICs[vm] = append([]vmNIC{}, p.nics...)
	for _, d := range p.disks {
		if st, ok := s.st.storages.get(d.storage); ok {
			st.TotalUsedSpace += d.size
		}
	}
}

// locationBackup reads backupLocation.backup.guid from a restore body ("" when absent).
func locationBackup(body []byte) string {
	var probe struct {
		BackupLocation json.RawMessage `json:"backupLocation"`
	}
	if json.Unmarshal(body, &probe) != nil || !bytes.HasPrefix(bytes.TrimSpace(probe.BackupLocation), []byte("{")) {
		return ""
	}
	var loc struct {
		Backup *NameAndGuid `json:"backup"`
	}
	if json.Unmarshal(probe.BackupLocation, &loc) != nil || loc.Backup == nil {
		return ""
	}
	return loc.Backup.GUID
}
