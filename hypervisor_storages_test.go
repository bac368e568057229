package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHypervisorStoragesList(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/hypervisor-storages", 200, fixture(t, "storage_list.json"))
	got, err := c.HypervisorStorages.List(context.Background(), &StorageListOptions{HypervisorManager: "hvm-0001", Hypervisor: "hv-0001"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"hypervisor-manager": {"hvm-0001"}, "hypervisor": {"hv-0001"}}, captor.only(t).Query)
	require.Len(t, got, 2)
	assert.Equal(t, HypervisorStorage{
		GUID: "st-0001", UUID: "ceph-ssd", Name: "ceph-ssd",
		Clusters:            []NameAndGuid{{GUID: "cl-0001", Name: "nova"}},
		TotalAvailableSpace: 4398046511104,
		TotalUsedSpace:      1099511627776,
	}, got[0])
	assert.Empty(t, got[1].Clusters)
}
