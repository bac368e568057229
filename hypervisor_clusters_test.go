package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHypervisorClustersList(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/hypervisor-clusters", 200, fixture(t, "cluster_list.json"))
	got, err := c.HypervisorClusters.List(context.Background(), &ClusterListOptions{HypervisorManager: "hvm-0001"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"hypervisor-manager": {"hvm-0001"}}, captor.only(t).Query)
	assert.Equal(t, []HypervisorCluster{
		{GUID: "cl-0001", UUID: "nova", Name: "nova"},
		{GUID: "cl-0002", UUID: "0b3c6f0e-0000-4000-8000-000000000002", Name: "Default"},
	}, got)
}
