package vprotect

import "context"

// HypervisorClustersService lists clusters of hypervisor managers.
type HypervisorClustersService service

// HypervisorClustersAPI is the set of methods of HypervisorClustersService, for mocking.
type HypervisorClustersAPI interface {
	List(ctx context.Context, opts *ClusterListOptions) ([]HypervisorCluster, error)
}

var _ HypervisorClustersAPI = (*HypervisorClustersService)(nil)

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
