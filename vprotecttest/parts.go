package vprotecttest

import "fmt"

// The parts of a VM the fake models for backups and restores: its disks and
// its NICs. A VM gets them on first use: one disk "disk1" (its size is the
// VM's full backup size) on its manager's first storage, and one NIC "eth0"
// on its manager's first network that is not shared. A backup records the
// VM's disks as files (parts of its details and of for-restore) and its NICs
// (networkInterfaceCards); a restore gives the new VM the disks and NICs the
// request places.

// partGUID returns the next GUID of what the fake records on the side: a VM
// part, a backup file, a restore job. They count apart from the objects a
// client's calls create (4000-9000-… rather than 4000-8000-…), so recording
// them never shifts the GUIDs of tasks, backups and VMs.
func (st *state) partGUID() string {
	for {
		st.partSeq++
		g := fmt.Sprintf("00000000-0000-4000-9000-%012d", st.partSeq)
		if !st.used[g] {
			st.used[g] = true
			return g
		}
	}
}

// vmDisk is a disk of a VM (served by /virtual-machine-disks,
// handlers_vm_disks.go). The zero values of absent, unsupported and typ are
// the usual disk: present, supported, of type DISK.
type vmDisk struct {
	guid, name  string
	uuid        string // the hypervisor's id; the GUID when empty
	size        int64
	storage     string // GUID of the hypervisor storage, "" when none
	excluded    bool   // left out of backups
	absent      bool   // no longer in the hypervisor
	unsupported bool   // a kind of disk that cannot be backed up, so left out
	typ         string // DISK when empty
}

// vmNIC is a network interface of a VM.
type vmNIC struct {
	guid, uuid, name string
	network          string // GUID of the network, "" when none
}

// disksOf returns the disks of the VM guid, making its default disk first.
func (s *Server) disksOf(guid string) []vmDisk {
	if d, ok := s.st.vmDisks[guid]; ok {
		return d
	}
	v, _ := s.st.vms.get(guid)
	disk := vmDisk{guid: s.st.partGUID(), name: "disk1", size: backupSize(guid, true)}
	if st := s.st.firstStorageOf(v); st != nil {
		disk.storage = st.GUID
	}
	s.st.vmDisks[guid] = []vmDisk{disk}
	return s.st.vmDisks[guid]
}

// nicsOf returns the NICs of the VM guid, making its default NIC first.
func (s *Server) nicsOf(guid string) []vmNIC {
	if n, ok := s.st.vmNICs[guid]; ok {
		return n
	}
	v, _ := s.st.vms.get(guid)
	nic := vmNIC{guid: s.st.partGUID(), name: "eth0"}
	nic.uuid = fmt.Sprintf("fa:16:3e:%02x:%02x:%02x", s.st.partSeq>>16&0xff, s.st.partSeq>>8&0xff, s.st.partSeq&0xff)
	if v != nil && v.HvManager != nil {
		for _, n := range s.st.networks.all() {
			if !n.Shared && n.HvManager != nil && n.HvManager.GUID == v.HvManager.GUID {
				nic.network = n.GUID
				break
			}
		}
	}
	s.st.vmNICs[guid] = []vmNIC{nic}
	return s.st.vmNICs[guid]
}

// firstStorageOf is the storage a VM's disks are on by default: the first
// storage of its manager that serves its cluster, else the manager's first.
func (st *state) firstStorageOf(v *VM) *HypervisorStorage {
	if v == nil || v.HvManager == nil {
		return nil
	}
	var first *HypervisorStorage
	for _, hs := range st.storages.all() {
		if hs.HvManager == nil || hs.HvManager.GUID != v.HvManager.GUID {
			continue
		}
		if first == nil {
			first = hs
		}
		for _, c := range hs.Clusters {
			if v.HvCluster != nil && c.GUID == v.HvCluster.GUID {
				return hs
			}
		}
	}
	return first
}

// recordParts makes a backup's files and NICs from its VM's disks and NICs,
// once: when the backup is made, or on first read for seeded backups.
func (s *Server) recordParts(b *Backup) {
	if b.files != nil {
		return
	}
	vm := b.ProtectedEntity.GUID
	fileType := "DISK"
	if b.Type.Name == "INCREMENTAL" {
		fileType = "DISK_INC"
	}
	b.files = []BackupFile{}
	for _, d := range s.disksOf(vm) {
		f := BackupFile{GUID: s.st.partGUID(), Path: fmt.Sprintf("/vprotect_data/%s/%s/%s.qcow2", vm, b.GUID, d.name),
			BackupFileType: enumOf(fileType), Size: d.size, IscsiMountable: true,
			VMDisk: &BackupFileDisk{GUID: d.guid, Name: d.name, ExcludedFromBackup: d.excluded}}
		if st, ok := s.st.storages.get(d.storage); ok {
			f.StorageID = &st.UUID
			f.VMDisk.OriginalStorage = &NameAndGuid{GUID: st.GUID, Name: st.Name}
		}
		b.files = append(b.files, f)
	}
	b.files = append(b.files, BackupFile{GUID: s.st.partGUID(), Path: fmt.Sprintf("/vprotect_data/%s/%s/vm.xml", vm, b.GUID),
		BackupFileType: enumOf("VM_CONFIG")})
	b.NetworkInterfaceCards = []NetworkInterfaceCard{}
	for _, n := range s.nicsOf(vm) {
		b.NetworkInterfaceCards = append(b.NetworkInterfaceCards, NetworkInterfaceCard{GUID: n.guid, UUID: n.uuid, Name: n.name,
			Network: s.st.ref(n.network), VirtualMachine: &NameAndGuid{GUID: vm}})
	}
}

// restorableDisk reports whether a backup file is a disk a restore places.
func restorableDisk(f BackupFile) bool {
	switch f.BackupFileType.Name {
	case "DISK", "DISK_INC", "VM_IMAGE":
		return true
	}
	return false
}
