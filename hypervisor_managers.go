package vprotect

import (
	"context"
)

// HypervisorManagersService lists hypervisor managers.
type HypervisorManagersService service

// HypervisorManagersAPI is the set of methods of HypervisorManagersService, for mocking.
type HypervisorManagersAPI interface {
	List(ctx context.Context, opts *HypervisorManagerListOptions) ([]HypervisorManager, error)
	ListPage(ctx context.Context, opts *HypervisorManagerListOptions) (Page[HypervisorManager], error)
	Get(ctx context.Context, guid string) (*HypervisorManager, error)
}

var _ HypervisorManagersAPI = (*HypervisorManagersService)(nil)

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

// Get returns the hypervisor manager with the given GUID.
//
// vProtect API: GET /hypervisor-managers/{guid}
func (s *HypervisorManagersService) Get(ctx context.Context, guid string) (*HypervisorManager, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	return getJSON[HypervisorManager](ctx, s.client, "/hypervisor-managers/"+guidSegment(guid), nil)
}
