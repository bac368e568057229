package vprotect

import "context"

// HypervisorStoragesService lists storages of hypervisor managers.
type HypervisorStoragesService service

// HypervisorStoragesAPI is the set of methods of HypervisorStoragesService, for mocking.
type HypervisorStoragesAPI interface {
	List(ctx context.Context, opts *StorageListOptions) ([]HypervisorStorage, error)
}

var _ HypervisorStoragesAPI = (*HypervisorStoragesService)(nil)

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
