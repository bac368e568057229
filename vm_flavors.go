package vprotect

import "context"

// VMFlavorsService lists the VM flavors of hypervisor managers (OpenStack):
// the sizes a restored VM can get.
type VMFlavorsService service

// VMFlavorsAPI is the interface of VMFlavorsService, for mocking.
type VMFlavorsAPI interface {
	List(ctx context.Context, opts *VMFlavorListOptions) ([]VMFlavor, error)
}

var _ VMFlavorsAPI = (*VMFlavorsService)(nil)

// VMFlavor is a flavor of a hypervisor manager. A restore names it by GUID
// in RestoreRequest.VMFlavor.
type VMFlavor struct {
	// GUID is the flavor's id.
	GUID string `json:"guid"`
	// UUID is the flavor's identifier in the hypervisor manager.
	UUID string `json:"uuid"`
	// Name is the flavor's name (m1.small, …).
	Name string `json:"name"`
}

// VMFlavorListOptions filters a flavor list.
type VMFlavorListOptions struct {
	// HypervisorManager lists the flavors of the manager with this GUID,
	// sent as "hypervisor-manager".
	HypervisorManager string
}

func (o *VMFlavorListOptions) encode() (query, error) {
	q := query{}
	if o != nil {
		q.set("hypervisor-manager", o.HypervisorManager)
	}
	return q, nil
}

// List returns the flavors that match opts (nil lists all).
//
// vProtect API: GET /virtual-machine-flavors
func (s *VMFlavorsService) List(ctx context.Context, opts *VMFlavorListOptions) ([]VMFlavor, error) {
	return listOf[VMFlavor](ctx, s.client, "/virtual-machine-flavors", opts)
}
