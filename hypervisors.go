package vprotect

import (
	"context"
	"fmt"
	"log/slog"
)

// HypervisorsService lists stand-alone hypervisors.
type HypervisorsService service

// HypervisorsAPI is the set of methods of HypervisorsService, for mocking.
type HypervisorsAPI interface {
	List(ctx context.Context, opts *HypervisorListOptions) ([]Hypervisor, error)
	Get(ctx context.Context, guid string) (*Hypervisor, error)
}

var _ HypervisorsAPI = (*HypervisorsService)(nil)

// Hypervisor is a stand-alone hypervisor host (KVM, Citrix, ESXi, Hyper-V,
// Proxmox).
//
// Password and StorageAuthKey are secrets the server may send back. They
// are response fields only: the SDK never sends them, its logs mask
// "password" members, and String, GoString and LogValue leave both out.
// Do not log or print a Hypervisor in any other way (for example as JSON).
type Hypervisor struct {
	GUID string `json:"guid"`
	// Host is the hypervisor's address.
	Host string               `json:"host"`
	Type Enum[HypervisorType] `json:"type"`
	// User is the account vProtect uses on the host.
	User string `json:"user"`
	// Password is the password of User: a secret, never log it.
	Password string `json:"password"`
	// SSHKeyPath is the node-side path of the SSH key for the host.
	SSHKeyPath string `json:"sshKeyPath"`
	// Node is the vProtect node that serves the host.
	Node NameAndGuid `json:"node"`
	// VMs are the host's virtual machines.
	VMs []NameAndGuid `json:"vms"`
	// VMExportImportMode is how VM data is moved (e.g. DISK_ATTACHMENT).
	VMExportImportMode Enum[VMExportImportMode] `json:"vmExportImportMode"`
	TransferNicAddress string                   `json:"transferNicAddress"`
	DataCenterName     string                   `json:"dataCenterName"`
	Cluster            NameAndGuid              `json:"cluster"`
	VMOwner            string                   `json:"vmOwner"`
	VMOwningGroup      string                   `json:"vmOwningGroup"`
	// HVManager is the hypervisor manager of the host, if any.
	HVManager NameAndGuid `json:"hvManager"`
	// StorageAuthKey is a storage credential: a secret, never log it.
	StorageAuthKey       string                 `json:"storageAuthKey"`
	StorageConfiguration string                 `json:"storageConfiguration"`
	StorageType          EnumNameAndDescription `json:"storageType"`
	LicenseCovered       bool                   `json:"licenseCovered"`
	VMCount              int                    `json:"vmCount"`
}

// String describes the hypervisor without its secrets.
func (h Hypervisor) String() string {
	return fmt.Sprintf("Hypervisor{GUID:%q Host:%q Type:%s User:%q}", h.GUID, h.Host, h.Type.Name, h.User)
}

// GoString is String, so that %#v does not print the secrets either.
func (h Hypervisor) GoString() string { return h.String() }

// LogValue gives slog the hypervisor without its secrets.
func (h Hypervisor) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("guid", h.GUID),
		slog.String("host", h.Host),
		slog.String("type", string(h.Type.Name)),
		slog.String("user", h.User),
	)
}

// HypervisorListOptions filters and pages a hypervisor list.
type HypervisorListOptions struct {
	ListOptions
	// BackupToBeRestored lists the hypervisors the backup with this GUID
	// can be restored to (older servers).
	BackupToBeRestored string
}

// List returns the stand-alone hypervisors that match opts (nil lists all).
//
// vProtect API: GET /hypervisors
func (s *HypervisorsService) List(ctx context.Context, opts *HypervisorListOptions) ([]Hypervisor, error) {
	return listOf[Hypervisor](ctx, s.client, "/hypervisors", opts)
}

func (o *HypervisorListOptions) encode() (query, error) {
	if o == nil {
		return query{}, nil
	}
	return restoreTargetsQuery(o.ListOptions, o.BackupToBeRestored)
}

// Get returns the hypervisor with the given GUID.
//
// vProtect API: GET /hypervisors/{guid}
func (s *HypervisorsService) Get(ctx context.Context, guid string) (*Hypervisor, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	return getJSON[Hypervisor](ctx, s.client, "/hypervisors/"+guidSegment(guid), nil)
}

// restoreTargetsQuery encodes the options of the restore-target lists
// (hypervisors and hypervisor managers): paging and backup-to-be-restored.
func restoreTargetsQuery(paging ListOptions, backupToBeRestored string) (query, error) {
	q := query{}
	if err := paging.addTo(q); err != nil {
		return nil, err
	}
	q.set("backup-to-be-restored", backupToBeRestored)
	return q, nil
}
