package vprotecttest

import "fmt"

// VM disks (reference 7x 5.1, 5.2) are the disks of parts.go: listed per VM,
// excluded from backups through their settings. A new backup of a VM is as
// large as its disks that are backed up (present, supported, not
// excluded); an incremental one a tenth of that.

// GET /virtual-machine-disks (virtual-machine=<vm guid>; every VM's without)
func (s *Server) listVMDisks(c *call) (reply, error) {
	vm := param(c.r.URL.Query(), "virtual-machine", "virtualMachine")
	var out []VMDisk
	for _, v := range s.st.vms.all() {
		if vm != "" && v.GUID != vm {
			continue
		}
		for _, d := range s.disksOf(v.GUID) {
			out = append(out, s.st.renderVMDisk(v.GUID, d))
		}
	}
	return listReply(c, out, func(d VMDisk) string { return d.Name }, func(d VMDisk) VMDisk { return d })
}

// vmDiskSettingsRequest is the body of PUT /virtual-machine-disks/{guid}/settings:
// the whole disk, of which excludedFromBackup is the setting.
type vmDiskSettingsRequest struct {
	GUID               string `json:"guid"`
	ExcludedFromBackup *bool  `json:"excludedFromBackup"`
}

// PUT /virtual-machine-disks/{guid}/settings
func (s *Server) updateVMDiskSettings(c *call) (reply, error) {
	guid := pathGUID(c.r)
	vm, i := s.st.findDisk(guid)
	if vm == "" {
		return reply{}, notFound("virtual machine disk", guid)
	}
	var req vmDiskSettingsRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if req.GUID != "" && req.GUID != guid {
		return reply{}, badRequest("guid: %q is not the disk %q of the path", req.GUID, guid)
	}
	if req.ExcludedFromBackup == nil {
		return reply{}, badRequest("excludedFromBackup: is required")
	}
	s.st.vmDisks[vm][i].excluded = *req.ExcludedFromBackup
	return okReply(s.st.renderVMDisk(vm, s.st.vmDisks[vm][i])), nil
}

// findDisk returns the VM and the index of the disk guid ("" when unknown).
func (st *state) findDisk(guid string) (string, int) {
	for vm, disks := range st.vmDisks {
		for i, d := range disks {
			if d.guid == guid {
				return vm, i
			}
		}
	}
	return "", 0
}

// renderVMDisk returns the wire form of a disk of the VM vm.
func (st *state) renderVMDisk(vm string, d vmDisk) VMDisk {
	typ := d.typ
	if typ == "" {
		typ = "DISK"
	}
	uuid := d.uuid
	if uuid == "" {
		uuid = d.guid
	}
	return VMDisk{GUID: d.guid, Name: d.name, UUID: uuid, Size: d.size, Present: !d.absent,
		ExcludedFromBackup: d.excluded, Supported: !d.unsupported, Type: enumOf(typ), VirtualMachine: st.refVal(vm)}
}

// backedUp reports whether backups include the disk.
func (d vmDisk) backedUp() bool { return !d.absent && !d.unsupported && !d.excluded }

// exportSize is the size of a new backup of vm (see the top of this file).
func (s *Server) exportSize(vm string, full bool) int64 {
	var size int64
	for _, d := range s.disksOf(vm) {
		if d.backedUp() {
			size += d.size
		}
	}
	if !full {
		size /= 10
	}
	return size
}

// loadVMDisks gives the VMs of a seed the disks it lists (the others get
// their default disk on first use).
func (st *state) loadVMDisks(disks []VMDisk) error {
	for _, d := range disks {
		v, ok := st.vms.get(d.VirtualMachine.GUID)
		if !ok {
			return fmt.Errorf("seed virtualMachineDisks %s: unknown virtual machine %q", d.GUID, d.VirtualMachine.GUID)
		}
		guid := d.GUID
		if guid == "" {
			guid = st.partGUID()
		} else if err := st.claim(&guid); err != nil {
			return fmt.Errorf("seed virtualMachineDisks: %w", err)
		}
		disk := vmDisk{guid: guid, name: d.Name, uuid: d.UUID, size: d.Size, excluded: d.ExcludedFromBackup,
			absent: !d.Present, unsupported: !d.Supported, typ: normEnum(d.Type).Name}
		if hs := st.firstStorageOf(v); hs != nil {
			disk.storage = hs.GUID
		}
		st.vmDisks[v.GUID] = append(st.vmDisks[v.GUID], disk)
	}
	return nil
}
