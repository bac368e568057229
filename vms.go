package vprotect

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"net/http"
)

// VMsService lists virtual machines and reads their details.
type VMsService service

// VMsAPI is the interface of VMsService, for mocking.
type VMsAPI interface {
	List(ctx context.Context, opts *VMListOptions) ([]VirtualMachine, error)
	ListPage(ctx context.Context, opts *VMListOptions) (Page[VirtualMachine], error)
	All(ctx context.Context, opts *VMListOptions) iter.Seq2[VirtualMachine, error]
	Get(ctx context.Context, guid string) (*VirtualMachine, error)
	Detailed(ctx context.Context, filter string) ([]VirtualMachine, error)
	UpdateSettings(ctx context.Context, guid string, vm *VirtualMachine) (*VirtualMachine, error)
	SetSSHPassword(ctx context.Context, guid, password string) error
	IncrementalNotPossible(ctx context.Context, vmGUIDs ...string) ([]VMNotReadyForIncremental, error)
	DeleteAllNonPresent(ctx context.Context) error
}

var _ VMsAPI = (*VMsService)(nil)

// VMListOptions filters and pages the list of virtual machines. A nil
// *VMListOptions lists every VM.
type VMListOptions struct {
	ListOptions

	// TenantID keeps the VMs of one tenant (the OpenStack project id).
	// It is sent as "tenantid", as the integration guide (4.x) writes it,
	// and as "project-uuid", which 7.x servers read, so that either
	// generation filters. Tenant filtering of VMs works only for OpenStack.
	TenantID string
	// ProjectUUID is the 7.x name of TenantID: set either (both only to
	// the same value); it is sent in the same two spellings.
	ProjectUUID string
	// HypervisorManagerType keeps the VMs of one kind of hypervisor manager
	// (for example HypervisorManagerTypeOpenStack), sent as "hypervisor-manager-type".
	HypervisorManagerType HypervisorManagerType
	// UUID keeps the VM with this hypervisor-side id (an OpenStack instance
	// id, for example), sent as "uuid".
	UUID string
}

// encode returns the query of the options; nil gives an empty query.
func (o *VMListOptions) encode() (query, error) {
	q := query{}
	if o == nil {
		return q, nil
	}
	if err := o.ListOptions.addTo(q); err != nil {
		return nil, err
	}
	if err := q.setTenant("VMListOptions", "tenantid", o.TenantID, o.ProjectUUID); err != nil {
		return nil, err
	}
	q.set("hypervisor-manager-type", string(o.HypervisorManagerType))
	q.set("uuid", o.UUID)
	return q, nil
}

// VirtualMachine is a virtual machine known to vProtect, as the list and the
// details endpoints return it. List records may leave some fields empty.
type VirtualMachine struct {
	// GUID is the vProtect id of the VM; use it in every call.
	GUID string `json:"guid"`
	// UUID is the id of the VM inside the hypervisor (an OpenStack instance id, for example).
	UUID string `json:"uuid"`
	// Name is the VM's name.
	Name string `json:"name"`
	// OriginalName is the VM's name as first seen.
	OriginalName string `json:"originalName"`
	// Present reports whether the VM still exists in the hypervisor inventory.
	Present bool `json:"present"`
	// Type is the kind of protected entity.
	Type EnumNameAndDescription `json:"type"`
	// Hypervisor is the hypervisor the VM runs on, if known.
	Hypervisor *NameAndGuid `json:"hypervisor"`
	// HVManager is the VM's hypervisor manager, if any.
	HVManager *VMHypervisorManager `json:"hvManager"`
	// HVCluster is the VM's hypervisor cluster, if any.
	HVCluster *NameAndGuid `json:"hvCluster"`
	// HVType is the hypervisor type, set when the VM has no manager.
	HVType Enum[HypervisorType] `json:"hvType"`
	// HVMType is the hypervisor manager type.
	HVMType Enum[HypervisorManagerType] `json:"hvmType"`
	// VMBackupPolicy is the single backup policy of the VM, or nil.
	VMBackupPolicy *NameAndGuid `json:"vmBackupPolicy"`
	// SnapshotMgmtPolicy is the VM's snapshot management policy, or nil.
	SnapshotMgmtPolicy *NameAndGuid `json:"snapshotMgmtPolicy"`
	// Credential is the OS credential used for commands inside the VM, or nil.
	Credential *NameAndGuid `json:"credential"`
	// Project is the VM's OpenStack project, or nil.
	Project *VMProject `json:"project"`
	// VMFlavor is the VM's flavor, or nil.
	VMFlavor *NameAndGuid `json:"vmFlavor"`
	// Networks are the VM's networks.
	Networks []NameAndGuid `json:"networks"`
	// BackupUpToDate is the protection status: true when the backups are up
	// to date, false when they are outdated, nil when no schedule is defined.
	BackupUpToDate *bool `json:"backupUpToDate"`
	// LastBackup is the time of the last backup.
	LastBackup Timestamp `json:"lastBackup"`
	// LastSuccessfulBackupSize is the size in bytes of the last successful
	// backup; restore is offered only when it is above zero.
	LastSuccessfulBackupSize int64 `json:"lastSuccessfulBackupSize"`
	// LastSuccessfulFullBackupSize is the size in bytes of the last successful full backup.
	LastSuccessfulFullBackupSize int64 `json:"lastSuccessfulFullBackupSize"`
	// LastSuccessfulFullBackup is the last successful full backup. Servers
	// send a string or a reference; see VMBackupMark.
	LastSuccessfulFullBackup VMBackupMark `json:"lastSuccessfulFullBackup"`
	// LastSuccessfulIncBackup is the last successful incremental backup, in
	// the same forms as LastSuccessfulFullBackup.
	LastSuccessfulIncBackup VMBackupMark `json:"lastSuccessfulIncBackup"`
	// LastStoredSnapshot is the snapshot the next incremental backup starts from, or nil.
	LastStoredSnapshot *NameAndGuid `json:"lastStoredSnapshot"`
	// LastChainMarkedForDeletion reports whether the last backup chain is marked for deletion.
	LastChainMarkedForDeletion bool `json:"lastChainMarkedForDeletion"`
	// RestoreStatus is the status of the last restore, as the server words it.
	RestoreStatus string `json:"restoreStatus"`
	// Restorable reports whether the VM has a backup that can be restored
	// (one with status SUCCESS or PARTIAL_SUCCESS): a portal's "Restore"
	// button, without listing the backups.
	Restorable bool `json:"restorable"`
	// WarningsPresent reports whether the VM's backups have warnings.
	WarningsPresent bool `json:"warningsPresent"`
	// AverageProgress is the average progress (0..100) of the VM's running tasks.
	AverageProgress float64 `json:"averageProgress"`
	// PossibleActions are the actions the server allows on the VM.
	PossibleActions []EnumNameAndDescription `json:"possibleActions"`
	// SupportsQuiesceSnapshot reports whether the VM supports quiesced snapshots.
	SupportsQuiesceSnapshot bool `json:"supportsQuiesceSnapshot"`
	// QuiesceBeforeSnapshot reports whether the VM is quiesced before a snapshot.
	QuiesceBeforeSnapshot bool `json:"quiesceBeforeSnapshot"`
	// Tags are the VM's hypervisor tags.
	Tags []string `json:"tags"`
	// VMExportImportMode is how the VM's data is moved (INHERIT,
	// DISK_ATTACHMENT, DISK_IMAGE_TRANSFER, SSH_TRANSFER, …).
	VMExportImportMode Enum[VMExportImportMode] `json:"vmExportImportMode"`
	// VirtualProvider is the VM's virtual provider, or nil.
	VirtualProvider *VirtualProvider `json:"virtualProvider"`
	// SSHHost is the host for pre/post snapshot commands.
	SSHHost string `json:"sshHost"`
	// SSHPort is the SSH port for pre/post snapshot commands.
	SSHPort int `json:"sshPort"`
	// SSHUser is the SSH user for pre/post snapshot commands.
	SSHUser string `json:"sshUser"`
	// SSHKeyPath is the SSH key path for pre/post snapshot commands.
	SSHKeyPath string `json:"sshKeyPath"`
	// PreSnapCmdArgs is the command run before a snapshot, executable first.
	PreSnapCmdArgs []string `json:"preSnapCmdArgs"`
	// PreSnapCmdExecEnabled reports whether PreSnapCmdArgs runs.
	PreSnapCmdExecEnabled bool `json:"preSnapCmdExecEnabled"`
	// PostSnapCmdArgs is the command run after a snapshot, executable first.
	PostSnapCmdArgs []string `json:"postSnapCmdArgs"`
	// PostSnapCmdExecEnabled reports whether PostSnapCmdArgs runs.
	PostSnapCmdExecEnabled bool `json:"postSnapCmdExecEnabled"`
	// PreSnapIgnoredExitCodes are the exit codes of the pre-snapshot command
	// that are not failures, as the server writes them.
	PreSnapIgnoredExitCodes FlexString `json:"preSnapIgnoredExitCodes"`
	// PostSnapIgnoredExitCodes are the exit codes of the post-snapshot
	// command that are not failures, as the server writes them.
	PostSnapIgnoredExitCodes FlexString `json:"postSnapIgnoredExitCodes"`
	// PreSnapStdErrorHandling is how the pre-snapshot command's stderr is
	// handled (DONT_IGNORE, IGNORE_WITHOUT_WARNING, IGNORE_WITH_WARNING).
	PreSnapStdErrorHandling Enum[StdErrorHandling] `json:"preSnapStdErrorHandling"`
	// PostSnapStdErrorHandling is how the post-snapshot command's stderr is handled.
	PostSnapStdErrorHandling Enum[StdErrorHandling] `json:"postSnapStdErrorHandling"`
	// BaseImageCreationConfig is the base image setting, kept as the server sent it.
	BaseImageCreationConfig json.RawMessage `json:"baseImageCreationConfig,omitempty"`
	// Backups are the VM's backups, sent by older servers only.
	Backups []NameAndGuid `json:"backups,omitempty"`
	// Tasks are the VM's tasks, sent by older servers only.
	Tasks []NameAndGuid `json:"tasks,omitempty"`
}

// String describes the VM on one line: its name, GUID and last backup
// (UTC, or "never"), and "not present" for a VM gone from its hypervisor:
// "VM a-web-1 (00000000-…), last backup 2025-03-14 15:30:45 UTC".
func (vm VirtualMachine) String() string {
	last := "never"
	if !vm.LastBackup.IsZero() {
		last = vm.LastBackup.String()
	}
	s := "VM " + vm.Name + " (" + vm.GUID + "), last backup " + last
	if !vm.Present {
		s += ", not present"
	}
	return s
}

// VMHypervisorManager is the hypervisor manager reference a VM carries.
type VMHypervisorManager struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
	// URL is the manager's address.
	URL string `json:"url,omitempty"`
}

// VMProject is the OpenStack project a VM belongs to.
type VMProject struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
	// UUID is the OpenStack project id, the value tenant filters match.
	UUID string `json:"uuid,omitempty"`
}

// VirtualProvider is the virtual provider a VM belongs to.
type VirtualProvider struct {
	GUID                string                 `json:"guid"`
	Name                string                 `json:"name"`
	VirtualProviderType EnumNameAndDescription `json:"virtualProviderType"`
}

// VMBackupMark is a VM's last successful full or incremental backup. The
// sources disagree on its wire form: a string (a label) or a reference
// {"guid","name"} whose name reads "<vm> - <time>". Both decode: a string
// sets Name only, an object sets GUID and Name, a number is kept as its text.
type VMBackupMark struct {
	// GUID is the backup's GUID, when the server sent a reference.
	GUID string
	// Name is the string the server sent, or the reference's name.
	Name string
}

// IsZero reports whether the server sent nothing.
func (m VMBackupMark) IsZero() bool { return m.GUID == "" && m.Name == "" }

// String returns Name.
func (m VMBackupMark) String() string { return m.Name }

// MarshalJSON encodes a reference when GUID is set, else the string, else null.
func (m VMBackupMark) MarshalJSON() ([]byte, error) {
	switch {
	case m.GUID != "":
		return json.Marshal(NameAndGuid(m))
	case m.Name != "":
		return json.Marshal(m.Name)
	}
	return []byte("null"), nil
}

// UnmarshalJSON accepts a string, an object {"guid","name"}, a number or null.
func (m *VMBackupMark) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var r NameAndGuid
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		*m = VMBackupMark(r)
		return nil
	}
	var s FlexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	*m = VMBackupMark{Name: string(s)}
	return nil
}

// List returns the virtual machines that match opts (nil for all). With
// opts.Size set it returns one page.
//
// vProtect API: GET /virtual-machines
func (s *VMsService) List(ctx context.Context, opts *VMListOptions) ([]VirtualMachine, error) {
	return listOf[VirtualMachine](ctx, s.client, "/virtual-machines", opts)
}

// ListPage returns one page of virtual machines with the total count of the
// whole list (X-Total-Count; -1 when the server does not say).
//
// vProtect API: GET /virtual-machines
func (s *VMsService) ListPage(ctx context.Context, opts *VMListOptions) (Page[VirtualMachine], error) {
	return listPageOf[VirtualMachine](ctx, s.client, "/virtual-machines", opts)
}

// All iterates over every virtual machine that matches opts, fetching pages
// of opts.Size (DefaultPageSize when 0) as it goes; opts.Page is ignored.
// An error is yielded once and ends the iteration.
//
// vProtect API: GET /virtual-machines
func (s *VMsService) All(ctx context.Context, opts *VMListOptions) iter.Seq2[VirtualMachine, error] {
	return allOf[VirtualMachine](ctx, s.client, "/virtual-machines", opts)
}

// Get returns the details of the virtual machine guid.
//
// vProtect API: GET /virtual-machines/{guid}
func (s *VMsService) Get(ctx context.Context, guid string) (*VirtualMachine, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	return getJSON[VirtualMachine](ctx, s.client, "/virtual-machines/"+guidSegment(guid), nil)
}

// Detailed returns the details of every VM whose name matches filter (all
// VMs for ""), in one unpaged answer. Prefer List with ListOptions.Filter
// for large inventories: the vendor UI's search moved to it.
//
// vProtect API: GET /virtual-machines/detailed
func (s *VMsService) Detailed(ctx context.Context, filter string) ([]VirtualMachine, error) {
	q := query{}
	q.set("filter", filter)
	return list[VirtualMachine](ctx, s.client, "/virtual-machines/detailed", q)
}

// DeleteAllNonPresent removes from vProtect every VM that no longer exists
// in its hypervisor (Present false) and has no backups (the vendor UI's
// "Delete Non-Present"). VMs that still exist, or still have backups, stay.
//
// vProtect API: DELETE /virtual-machines/all-non-present
func (s *VMsService) DeleteAllNonPresent(ctx context.Context) error {
	_, err := s.client.do(ctx, &request{method: http.MethodDelete, path: "/virtual-machines/all-non-present"})
	return err
}
