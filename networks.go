package vprotect

import "context"

// NetworksService lists the networks of hypervisor managers: the targets a
// restore places the NICs of a VM on.
type NetworksService service

// NetworksAPI is the interface of NetworksService, for mocking.
type NetworksAPI interface {
	List(ctx context.Context, opts *NetworkListOptions) ([]Network, error)
	ListShared(ctx context.Context, opts *NetworkListOptions) ([]Network, error)
}

var _ NetworksAPI = (*NetworksService)(nil)

// Network is a network of a hypervisor manager. A restore names it by GUID
// in RestoredNetwork.Network.
type Network struct {
	// GUID is the network's id.
	GUID string `json:"guid"`
	// UUID is the network's identifier in the hypervisor manager.
	UUID string `json:"uuid"`
	// Name is the network's name. Shared networks carry their own name; the
	// vendor UI adds " (shared)" itself.
	Name string `json:"name"`
}

// NetworkListOptions filters a network list.
type NetworkListOptions struct {
	// HypervisorManager lists the networks of the manager with this GUID,
	// sent as "hypervisor-manager".
	HypervisorManager string
}

func (o *NetworkListOptions) encode() (query, error) {
	q := query{}
	if o != nil {
		q.set("hypervisor-manager", o.HypervisorManager)
	}
	return q, nil
}

// List returns the networks that match opts (nil lists all), without the
// shared ones (ListShared).
//
// vProtect API: GET /network
func (s *NetworksService) List(ctx context.Context, opts *NetworkListOptions) ([]Network, error) {
	return listOf[Network](ctx, s.client, "/network", opts)
}

// ListShared returns the shared networks that match opts (nil lists all):
// the networks other projects share with the manager's.
//
// vProtect API: GET /network/shared
func (s *NetworksService) ListShared(ctx context.Context, opts *NetworkListOptions) ([]Network, error) {
	return listOf[Network](ctx, s.client, "/network/shared", opts)
}
