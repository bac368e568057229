package vprotect

import (
	"context"
	"net/http"
)

// VMDisksService lists the disks of VMs and excludes disks from backups.
type VMDisksService service

// VMDisksAPI is the set of methods of VMDisksService, for mocking.
type VMDisksAPI interface {
	List(ctx context.Context, opts *VMDiskListOptions) ([]VMDisk, error)
	UpdateSettings(ctx context.Context, guid string, d *VMDisk) (*VMDisk, error)
}

var _ VMDisksAPI = (*VMDisksService)(nil)

// VMDisk is a disk of a VM.
type VMDisk struct {
	// GUID identifies the disk in vProtect.
	GUID string `json:"guid"`
	// Name is the disk's name.
	Name string `json:"name"`
	// UUID is the disk's id in the hypervisor.
	UUID string `json:"uuid"`
	// Size is the disk's size in bytes.
	Size int64 `json:"size"`
	// Present reports whether the disk still exists in the hypervisor.
	Present bool `json:"present"`
	// ExcludedFromBackup leaves the disk out of backups; a restored VM gets
	// an empty disk in its place. The one setting UpdateSettings changes.
	ExcludedFromBackup bool `json:"excludedFromBackup"`
	// Supported is false for a kind of disk that cannot be backed up
	// (Type says which); such a disk is treated as excluded.
	Supported bool `json:"supported"`
	// Type is the kind of disk.
	Type EnumNameAndDescription `json:"type"`
}

// IsBackedUp reports whether backups include the disk: it is supported and
// not excluded.
func (d *VMDisk) IsBackedUp() bool { return d.Supported && !d.ExcludedFromBackup }

// VMDiskListOptions selects the disks to list.
type VMDiskListOptions struct {
	ListOptions
	// VirtualMachine lists the disks of the VM with this GUID (sent as
	// virtual-machine); the vendor UI always sets it.
	VirtualMachine string
}

func (o *VMDiskListOptions) encode() (query, error) {
	q := query{}
	if o == nil {
		return q, nil
	}
	if err := o.ListOptions.addTo(q); err != nil {
		return nil, err
	}
	q.set("virtual-machine", o.VirtualMachine)
	return q, nil
}

// List returns the disks that match opts, for example the disks of one VM:
//
//	disks, err := c.VMDisks.List(ctx, &vprotect.VMDiskListOptions{VirtualMachine: vmGUID})
//
// vProtect API: GET /virtual-machine-disks
func (s *VMDisksService) List(ctx context.Context, opts *VMDiskListOptions) ([]VMDisk, error) {
	return listOf[VMDisk](ctx, s.client, "/virtual-machine-disks", opts)
}

// UpdateSettings saves the settings of the disk with the given GUID, that
// is whether it is excluded from backups: take a disk from List, set
// ExcludedFromBackup and pass it. The disk is sent whole, as the vendor UI
// sends it. d.GUID may be empty or must equal guid. When the server
// answers without a body, UpdateSettings returns the disk as sent.
//
// vProtect API: PUT /virtual-machine-disks/{guid}/settings
func (s *VMDisksService) UpdateSettings(ctx context.Context, guid string, d *VMDisk) (*VMDisk, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	body, err := newVMDiskSettingsBody(guid, d)
	if err != nil {
		return nil, err
	}
	out, err := sendJSON[VMDisk](ctx, s.client, http.MethodPut, "/virtual-machine-disks/"+guidSegment(guid)+"/settings", nil, body)
	if err != nil {
		return nil, err
	}
	if out.GUID == "" {
		sent := *d
		sent.GUID = guid
		return &sent, nil
	}
	return out, nil
}

// vmDiskSettingsBody is the body of a disk settings update: the disk.
type vmDiskSettingsBody struct {
	GUID               string                  `json:"guid"`
	Name               string                  `json:"name"`
	UUID               string                  `json:"uuid"`
	Size               int64                   `json:"size"`
	Present            bool                    `json:"present"`
	ExcludedFromBackup bool                    `json:"excludedFromBackup"`
	Supported          bool                    `json:"supported"`
	Type               *EnumNameAndDescription `json:"type,omitempty"`
}

// newVMDiskSettingsBody checks d and builds the body that updates the disk guid.
func newVMDiskSettingsBody(guid string, d *VMDisk) (*vmDiskSettingsBody, error) {
	if err := checkBody("disk", d); err != nil {
		return nil, err
	}
	if err := checkUpdateGUID("VMDisk", d.GUID, guid); err != nil {
		return nil, err
	}
	b := &vmDiskSettingsBody{
		GUID: guid, Name: d.Name, UUID: d.UUID, Size: d.Size, Present: d.Present,
		ExcludedFromBackup: d.ExcludedFromBackup, Supported: d.Supported,
	}
	if !d.Type.IsZero() {
		t := reqEnum(d.Type)
		b.Type = &t
	}
	return b, nil
}
