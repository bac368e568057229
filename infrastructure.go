package vprotect

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
)

// BackupDestinationsService lists backup destinations.
type BackupDestinationsService service

// HypervisorsService lists stand-alone hypervisors.
type HypervisorsService service

// HypervisorManagersService lists hypervisor managers.
type HypervisorManagersService service

// HypervisorClustersService lists clusters of hypervisor managers.
type HypervisorClustersService service

// HypervisorStoragesService lists storages of hypervisor managers.
type HypervisorStoragesService service

// NodesService lists vProtect nodes.
type NodesService service

// BackupDestinationsAPI is the set of methods of BackupDestinationsService, for mocking.
type BackupDestinationsAPI interface {
	List(ctx context.Context, opts *ListOptions) ([]BackupDestination, error)
	ListPage(ctx context.Context, opts *ListOptions) (Page[BackupDestination], error)
	UsableForVMs(ctx context.Context, vmGUIDs ...string) ([]BackupDestination, error)
}

// HypervisorsAPI is the set of methods of HypervisorsService, for mocking.
type HypervisorsAPI interface {
	List(ctx context.Context, opts *HypervisorListOptions) ([]Hypervisor, error)
	Get(ctx context.Context, guid string) (*Hypervisor, error)
}

// HypervisorManagersAPI is the set of methods of HypervisorManagersService, for mocking.
type HypervisorManagersAPI interface {
	List(ctx context.Context, opts *HypervisorManagerListOptions) ([]HypervisorManager, error)
	ListPage(ctx context.Context, opts *HypervisorManagerListOptions) (Page[HypervisorManager], error)
	Get(ctx context.Context, guid string) (*HypervisorManager, error)
}

// HypervisorClustersAPI is the set of methods of HypervisorClustersService, for mocking.
type HypervisorClustersAPI interface {
	List(ctx context.Context, opts *ClusterListOptions) ([]HypervisorCluster, error)
}

// HypervisorStoragesAPI is the set of methods of HypervisorStoragesService, for mocking.
type HypervisorStoragesAPI interface {
	List(ctx context.Context, opts *StorageListOptions) ([]HypervisorStorage, error)
}

// NodesAPI is the set of methods of NodesService, for mocking.
type NodesAPI interface {
	List(ctx context.Context, opts *NodeListOptions) ([]Node, error)
}

var (
	_ BackupDestinationsAPI = (*BackupDestinationsService)(nil)
	_ HypervisorsAPI        = (*HypervisorsService)(nil)
	_ HypervisorManagersAPI = (*HypervisorManagersService)(nil)
	_ HypervisorClustersAPI = (*HypervisorClustersService)(nil)
	_ HypervisorStoragesAPI = (*HypervisorStoragesService)(nil)
	_ NodesAPI              = (*NodesService)(nil)
)

// BackupDestination is where backups are stored: a file system, a
// deduplicating appliance, object storage or a backup provider.
type BackupDestination struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
	// Type is the kind of destination (SYNTHETICXFS, S3, ...).
	Type        Enum[BackupDestinationType] `json:"type"`
	Description string                      `json:"description"`
	// DefaultBackupDestination marks the server's default destination.
	DefaultBackupDestination bool `json:"defaultBackupDestination"`
	// NodeConfigs are the node configurations that use the destination.
	NodeConfigs []NameAndGuid `json:"nodeConfigs"`
	// Space in bytes, raw and after deduplication.
	TotalUsedSpace           int64 `json:"totalUsedSpace"`
	TotalAvailableSpace      int64 `json:"totalAvailableSpace"`
	TotalDedupUsedSpace      int64 `json:"totalDedupUsedSpace"`
	TotalDedupAvailableSpace int64 `json:"totalDedupAvailableSpace"`
	// Projects are the projects that see the destination (7.x).
	Projects []NameAndGuid `json:"projects"`
	// VisibleForAllVms makes the destination usable by every VM.
	VisibleForAllVms bool `json:"visibleForAllVms"`
}

// List returns the backup destinations, one page of them when opts set a
// page size (nil lists all).
//
// vProtect API: GET /backup-destinations
func (s *BackupDestinationsService) List(ctx context.Context, opts *ListOptions) ([]BackupDestination, error) {
	return listOf[BackupDestination](ctx, s.client, "/backup-destinations", opts)
}

// ListPage returns one page of backup destinations and their total number.
//
// vProtect API: GET /backup-destinations
func (s *BackupDestinationsService) ListPage(ctx context.Context, opts *ListOptions) (Page[BackupDestination], error) {
	return listPageOf[BackupDestination](ctx, s.client, "/backup-destinations", opts)
}

// UsableForVMs returns the backup destinations that every one of the given
// VMs can be backed up to: the choices to offer for an on-demand backup.
// It needs at least one VM GUID. It is a POST, so it is never retried.
//
// vProtect API: POST /backup-destinations/usable-for-vms
func (s *BackupDestinationsService) UsableForVMs(ctx context.Context, vmGUIDs ...string) ([]BackupDestination, error) {
	if len(vmGUIDs) == 0 {
		return nil, argError("vmGUIDs", "must hold at least one VM GUID")
	}
	for i, g := range vmGUIDs {
		if err := requireGUID(indexed("vmGUIDs", i), g); err != nil {
			return nil, err
		}
	}
	out, err := sendJSON[[]BackupDestination](ctx, s.client, http.MethodPost, "/backup-destinations/usable-for-vms", nil, Refs(vmGUIDs...))
	if err != nil {
		return nil, err
	}
	if *out == nil {
		return []BackupDestination{}, nil
	}
	return *out, nil
}

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
	return getJSON[Hypervisor](ctx, s.client, "/hypervisors/"+url.PathEscape(guid), nil)
}

// HypervisorManager is a hypervisor manager (OpenStack, RHV, vCenter,
// Nutanix, Kubernetes, ...): a restore target.
type HypervisorManager struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
	// URL is the manager's API address (what the vendor UI shows).
	URL  string                      `json:"url"`
	Type Enum[HypervisorManagerType] `json:"type"`
	// VMExportImportMode is how VM data is moved (e.g. DISK_ATTACHMENT).
	VMExportImportMode Enum[VMExportImportMode] `json:"vmExportImportMode"`
}

// HypervisorManagerListOptions filters and pages a hypervisor manager list.
type HypervisorManagerListOptions struct {
	ListOptions
	// BackupToBeRestored lists the managers the backup with this GUID can
	// be restored to.
	BackupToBeRestored string
}

// List returns the hypervisor managers that match opts (nil lists all),
// one page of them when opts set a page size.
//
// vProtect API: GET /hypervisor-managers
func (s *HypervisorManagersService) List(ctx context.Context, opts *HypervisorManagerListOptions) ([]HypervisorManager, error) {
	return listOf[HypervisorManager](ctx, s.client, "/hypervisor-managers", opts)
}

// ListPage returns one page of hypervisor managers and the total number
// that match opts.
//
// vProtect API: GET /hypervisor-managers
func (s *HypervisorManagersService) ListPage(ctx context.Context, opts *HypervisorManagerListOptions) (Page[HypervisorManager], error) {
	return listPageOf[HypervisorManager](ctx, s.client, "/hypervisor-managers", opts)
}

func (o *HypervisorManagerListOptions) encode() (query, error) {
	if o == nil {
		return query{}, nil
	}
	return restoreTargetsQuery(o.ListOptions, o.BackupToBeRestored)
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

// Get returns the hypervisor manager with the given GUID.
//
// vProtect API: GET /hypervisor-managers/{guid}
func (s *HypervisorManagersService) Get(ctx context.Context, guid string) (*HypervisorManager, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	return getJSON[HypervisorManager](ctx, s.client, "/hypervisor-managers/"+url.PathEscape(guid), nil)
}

// HypervisorCluster is a cluster of a hypervisor manager. Restores name it
// by UUID (restoreClusterId).
type HypervisorCluster struct {
	GUID string `json:"guid"`
	// UUID is the cluster's identifier in the hypervisor manager.
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// ClusterListOptions filters a cluster list.
type ClusterListOptions struct {
	// HypervisorManager lists the clusters of the manager with this GUID.
	HypervisorManager string
}

// List returns the clusters that match opts (nil lists all).
//
// vProtect API: GET /hypervisor-clusters
func (s *HypervisorClustersService) List(ctx context.Context, opts *ClusterListOptions) ([]HypervisorCluster, error) {
	return listOf[HypervisorCluster](ctx, s.client, "/hypervisor-clusters", opts)
}

func (o *ClusterListOptions) encode() (query, error) {
	q := query{}
	if o != nil {
		q.set("hypervisor-manager", o.HypervisorManager)
	}
	return q, nil
}

// HypervisorStorage is a storage (domain, pool, volume type) of a
// hypervisor manager. Restores name it by UUID (restoreStorageId).
type HypervisorStorage struct {
	GUID string `json:"guid"`
	// UUID is the storage's identifier in the hypervisor manager.
	UUID string `json:"uuid"`
	Name string `json:"name"`
	// Clusters are the clusters that can use the storage.
	Clusters []NameAndGuid `json:"clusters"`
	// Space in bytes.
	TotalAvailableSpace int64 `json:"totalAvailableSpace"`
	TotalUsedSpace      int64 `json:"totalUsedSpace"`
}

// StorageListOptions filters a storage list.
type StorageListOptions struct {
	// HypervisorManager lists the storages of the manager with this GUID.
	HypervisorManager string
	// Hypervisor lists the storages of the stand-alone hypervisor with this
	// GUID (older servers).
	Hypervisor string
}

// List returns the storages that match opts (nil lists all).
//
// vProtect API: GET /hypervisor-storages
func (s *HypervisorStoragesService) List(ctx context.Context, opts *StorageListOptions) ([]HypervisorStorage, error) {
	return listOf[HypervisorStorage](ctx, s.client, "/hypervisor-storages", opts)
}

func (o *StorageListOptions) encode() (query, error) {
	q := query{}
	if o != nil {
		q.set("hypervisor-manager", o.HypervisorManager)
		q.set("hypervisor", o.Hypervisor)
	}
	return q, nil
}

// Node is a vProtect node, the worker that runs backup and restore tasks.
type Node struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
	// LastSeen is when the node last reported to the server.
	LastSeen Timestamp `json:"lastSeen"`
	NodeIP   string    `json:"nodeIP"`
	Version  string    `json:"version"`
	// State is the node's state (e.g. RUNNING).
	State EnumNameAndDescription `json:"state"`
	// StagingSpace is the node's staging space.
	StagingSpace NodeStagingSpace `json:"stagingSpace"`
}

// NodeStagingSpace is a node's staging space in bytes.
type NodeStagingSpace struct {
	TotalSpace int64 `json:"totalSpace"`
	UsedSpace  int64 `json:"usedSpace"`
}

// NodeListOptions filters a node list.
type NodeListOptions struct {
	// BackupToBeRestored lists the nodes that can restore the backup with
	// this GUID (older servers).
	BackupToBeRestored string
}

// List returns the nodes that match opts (nil lists all).
//
// vProtect API: GET /nodes
func (s *NodesService) List(ctx context.Context, opts *NodeListOptions) ([]Node, error) {
	return listOf[Node](ctx, s.client, "/nodes", opts)
}

func (o *NodeListOptions) encode() (query, error) {
	q := query{}
	if o != nil {
		q.set("backup-to-be-restored", o.BackupToBeRestored)
	}
	return q, nil
}
