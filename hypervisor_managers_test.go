package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHypervisorManagersList(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/hypervisor-managers", 200, fixture(t, "hypervisor_manager_list.json"))

	got, err := c.HypervisorManagers.List(context.Background(), &HypervisorManagerListOptions{
		ListOptions:        ListOptions{Page: 2, Size: 5, OrderBy: "name", Direction: SortDescending},
		BackupToBeRestored: "bk-0001",
	})
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"backup-to-be-restored": {"bk-0001"}, "page": {"2"}, "size": {"5"}, "orderBy": {"name"}, "direction": {"desc"},
	}, captor.only(t).Query)
	require.Len(t, got, 2)
	assert.Equal(t, HypervisorManager{
		GUID:               "hvm-0001",
		Name:               "openstack",
		URL:                "https://keystone.example.com:5000/v3",
		Type:               Enum[HypervisorManagerType]{Name: HypervisorManagerTypeOpenStack, Description: "OpenStack"},
		VMExportImportMode: Enum[VMExportImportMode]{Name: "DISK_ATTACHMENT", Description: "Disk attachment"},
	}, got[0])
	assert.Equal(t, HypervisorManagerTypeRHV, got[1].Type.Name)
}

func TestHypervisorManagersGet(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/hypervisor-managers/a%2Fb%20c", 200, rawItems(t, "hypervisor_manager_list.json")[1])
	m, err := c.HypervisorManagers.Get(context.Background(), "a/b c")
	require.NoError(t, err)
	assert.Equal(t, "/hypervisor-managers/a%2Fb%20c", captor.only(t).Path)
	assert.Equal(t, "hvm-0002", m.GUID)
	assert.Equal(t, "https://rhvm.example.com/ovirt-engine/api", m.URL)
	assert.Equal(t, VMExportImportModeChangedBlockTracking, m.VMExportImportMode.Name)
}
