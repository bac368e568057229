package vprotect

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBackupDestinationsList(t *testing.T) {
	c, mt := newTestClient(t)
	cap := respondJSON(mt, http.MethodGet, "/backup-destinations", 200, fixture(t, "destination_list.json"))

	got, err := c.BackupDestinations.List(context.Background(), &ListOptions{Page: 1, Size: 10, OrderBy: "name", Direction: SortAscending, Filter: "s3"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"page": {"1"}, "size": {"10"}, "orderBy": {"name"}, "direction": {"asc"}, "filter": {"s3"}}, cap.only(t).Query)

	require.Len(t, got, 2)
	assert.Equal(t, BackupDestination{
		GUID:                     "bd-0001",
		Name:                     "local-xfs",
		Type:                     Enum[BackupDestinationType]{Name: BackupDestinationTypeSyntheticXFS, Description: "Synthetic XFS"},
		Description:              "Local synthetic XFS on the node",
		DefaultBackupDestination: true,
		NodeConfigs:              []NameAndGuid{{GUID: "nc-0001", Name: "Default node config"}},
		TotalUsedSpace:           536870912000,
		TotalAvailableSpace:      1099511627776,
		TotalDedupUsedSpace:      268435456000,
		TotalDedupAvailableSpace: 1649267441664,
		Projects:                 []NameAndGuid{{GUID: "prj-0001", Name: "tenant-a"}},
		VisibleForAllVms:         false,
	}, got[0])
	assert.Equal(t, BackupDestinationTypeS3, got[1].Type.Name)
	assert.True(t, got[1].VisibleForAllVms)
}

func TestBackupDestinationsListPage(t *testing.T) {
	c, mt := newTestClient(t)
	respondPaged(mt, "/backup-destinations", rawItems(t, "destination_list.json"))
	p, err := c.BackupDestinations.ListPage(context.Background(), &ListOptions{Size: 1})
	require.NoError(t, err)
	assert.Equal(t, 2, p.Total)
	require.Len(t, p.Items, 1)
	assert.Equal(t, "bd-0001", p.Items[0].GUID)

	all, err := c.BackupDestinations.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Len(t, all, 2)
}

func TestBackupDestinationsUsableForVMs(t *testing.T) {
	c, mt := newTestClient(t)
	cap := respondJSON(mt, http.MethodPost, "/backup-destinations/usable-for-vms", 200, fixture(t, "destination_list.json"))

	got, err := c.BackupDestinations.UsableForVMs(context.Background(), "vm-0001", "a/b c")
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "offsite-s3", got[1].Name)
	req := cap.only(t)
	assert.Empty(t, req.Query)
	assertGolden(t, "destination_usable_for_vms.json", req.Body)
}

func TestBackupDestinationsUsableForVMsEmpty(t *testing.T) {
	c, mt := newTestClient(t)
	respondJSON(mt, http.MethodPost, "/backup-destinations/usable-for-vms", 200, "null")
	got, err := c.BackupDestinations.UsableForVMs(context.Background(), "vm-1")
	require.NoError(t, err)
	assert.NotNil(t, got)
	assert.Empty(t, got)
}

func TestHypervisorsList(t *testing.T) {
	c, mt := newTestClient(t)
	cap := respondJSON(mt, http.MethodGet, "/hypervisors", 200, fixture(t, "hypervisor_list.json"))

	got, err := c.Hypervisors.List(context.Background(), &HypervisorListOptions{ListOptions: ListOptions{Size: 50}, BackupToBeRestored: "bk-1"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"backup-to-be-restored": {"bk-1"}, "page": {"0"}, "size": {"50"}}, cap.only(t).Query)
	require.Len(t, got, 2)
	assert.Equal(t, HypervisorTypeKVM, got[0].Type.Name)
	assert.True(t, got[0].Cluster.IsZero())
	assert.True(t, got[0].HVManager.IsZero())
	assert.Equal(t, HypervisorTypeProxmox, got[1].Type.Name)
	assert.Equal(t, "root@pam", got[1].User)
}

func TestHypervisorsGet(t *testing.T) {
	c, mt := newTestClient(t)
	cap := respondJSON(mt, http.MethodGet, "/hypervisors/a%2Fb%20c", 200, fixture(t, "hypervisor_details.json"))

	h, err := c.Hypervisors.Get(context.Background(), "a/b c")
	require.NoError(t, err)
	assert.Equal(t, "/hypervisors/a%2Fb%20c", cap.only(t).Path)
	assert.Equal(t, &Hypervisor{
		GUID:                 "hv-0001",
		Host:                 "kvm01.example.com",
		Type:                 Enum[HypervisorType]{Name: HypervisorTypeKVM, Description: "KVM"},
		User:                 "root",
		Password:             "hv-s3cret",
		SSHKeyPath:           "/opt/vprotect/.ssh/id_rsa",
		Node:                 NameAndGuid{GUID: "node-0001", Name: "node1"},
		VMs:                  []NameAndGuid{{GUID: "vm-0001", Name: "web-01"}, {GUID: "vm-0002", Name: "db-01"}},
		VMExportImportMode:   Enum[VMExportImportMode]{Name: "SSH_TRANSFER", Description: "SSH transfer"},
		TransferNicAddress:   "10.0.0.11",
		DataCenterName:       "dc1",
		Cluster:              NameAndGuid{GUID: "cl-0001", Name: "Default"},
		VMOwner:              "qemu",
		VMOwningGroup:        "qemu",
		HVManager:            NameAndGuid{GUID: "hvm-0001", Name: "openstack"},
		StorageAuthKey:       "ceph-key-s3cret",
		StorageConfiguration: "/etc/ceph/ceph.conf",
		StorageType:          EnumNameAndDescription{Name: "DEFAULT", Description: "Default"},
		LicenseCovered:       true,
		VMCount:              2,
	}, h)
}

func TestHypervisorSecretsNotPrinted(t *testing.T) {
	var h Hypervisor
	require.NoError(t, json.Unmarshal(fixture(t, "hypervisor_details.json"), &h))

	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("hv", "hypervisor", h, "ptr", &h)
	for _, s := range []string{fmt.Sprint(h), fmt.Sprintf("%v %+v %#v %s", h, &h, h, &h), logs.String()} {
		assert.NotContains(t, s, "hv-s3cret")
		assert.NotContains(t, s, "ceph-key-s3cret")
		assert.Contains(t, s, "kvm01.example.com")
	}

	// The debug wire dump masks the password member of the response too.
	var dump bytes.Buffer
	c, mt := newTestClient(t, WithLogger(slog.New(slog.NewTextHandler(&dump, &slog.HandlerOptions{Level: slog.LevelDebug}))), WithDebug())
	respondJSON(mt, http.MethodGet, "/hypervisors/hv-0001", 200, fixture(t, "hypervisor_details.json"))
	_, err := c.Hypervisors.Get(context.Background(), "hv-0001")
	require.NoError(t, err)
	assert.Contains(t, dump.String(), "kvm01.example.com")
	assert.NotContains(t, dump.String(), "hv-s3cret")
}

func TestHypervisorManagersList(t *testing.T) {
	c, mt := newTestClient(t)
	cap := respondJSON(mt, http.MethodGet, "/hypervisor-managers", 200, fixture(t, "hypervisor_manager_list.json"))

	got, err := c.HypervisorManagers.List(context.Background(), &HypervisorManagerListOptions{
		ListOptions:        ListOptions{Page: 2, Size: 5, OrderBy: "name", Direction: SortDescending},
		BackupToBeRestored: "bk-0001",
	})
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"backup-to-be-restored": {"bk-0001"}, "page": {"2"}, "size": {"5"}, "orderBy": {"name"}, "direction": {"desc"},
	}, cap.only(t).Query)
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

func TestHypervisorManagersListPage(t *testing.T) {
	c, mt := newTestClient(t)
	respondPaged(mt, "/hypervisor-managers", rawItems(t, "hypervisor_manager_list.json"))
	p, err := c.HypervisorManagers.ListPage(context.Background(), &HypervisorManagerListOptions{ListOptions: ListOptions{Page: 1, Size: 1}})
	require.NoError(t, err)
	assert.Equal(t, 2, p.Total)
	require.Len(t, p.Items, 1)
	assert.Equal(t, "rhv", p.Items[0].Name)
}

func TestHypervisorManagersGet(t *testing.T) {
	c, mt := newTestClient(t)
	cap := respondJSON(mt, http.MethodGet, "/hypervisor-managers/a%2Fb%20c", 200, rawItems(t, "hypervisor_manager_list.json")[1])
	m, err := c.HypervisorManagers.Get(context.Background(), "a/b c")
	require.NoError(t, err)
	assert.Equal(t, "/hypervisor-managers/a%2Fb%20c", cap.only(t).Path)
	assert.Equal(t, "hvm-0002", m.GUID)
	assert.Equal(t, "https://rhvm.example.com/ovirt-engine/api", m.URL)
	assert.Equal(t, VMExportImportModeChangedBlockTracking, m.VMExportImportMode.Name)
}

func TestHypervisorClustersList(t *testing.T) {
	c, mt := newTestClient(t)
	cap := respondJSON(mt, http.MethodGet, "/hypervisor-clusters", 200, fixture(t, "cluster_list.json"))
	got, err := c.HypervisorClusters.List(context.Background(), &ClusterListOptions{HypervisorManager: "hvm-0001"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"hypervisor-manager": {"hvm-0001"}}, cap.only(t).Query)
	assert.Equal(t, []HypervisorCluster{
		{GUID: "cl-0001", UUID: "nova", Name: "nova"},
		{GUID: "cl-0002", UUID: "0b3c6f0e-0000-4000-8000-000000000002", Name: "Default"},
	}, got)
}

func TestHypervisorStoragesList(t *testing.T) {
	c, mt := newTestClient(t)
	cap := respondJSON(mt, http.MethodGet, "/hypervisor-storages", 200, fixture(t, "storage_list.json"))
	got, err := c.HypervisorStorages.List(context.Background(), &StorageListOptions{HypervisorManager: "hvm-0001", Hypervisor: "hv-0001"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"hypervisor-manager": {"hvm-0001"}, "hypervisor": {"hv-0001"}}, cap.only(t).Query)
	require.Len(t, got, 2)
	assert.Equal(t, HypervisorStorage{
		GUID: "st-0001", UUID: "ceph-ssd", Name: "ceph-ssd",
		Clusters:            []NameAndGuid{{GUID: "cl-0001", Name: "nova"}},
		TotalAvailableSpace: 4398046511104,
		TotalUsedSpace:      1099511627776,
	}, got[0])
	assert.Empty(t, got[1].Clusters)
}

func TestNodesList(t *testing.T) {
	c, mt := newTestClient(t)
	cap := respondJSON(mt, http.MethodGet, "/nodes", 200, fixture(t, "node_list.json"))
	got, err := c.Nodes.List(context.Background(), &NodeListOptions{BackupToBeRestored: "bk-1"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"backup-to-be-restored": {"bk-1"}}, cap.only(t).Query)
	require.Len(t, got, 2)
	assert.Equal(t, Node{
		GUID:         "node-0001",
		Name:         "node1",
		LastSeen:     TimestampOf(time.UnixMilli(1717236000000)),
		NodeIP:       "10.0.0.5",
		Version:      "7.4.0-27",
		State:        EnumNameAndDescription{Name: "RUNNING", Description: "Running"},
		StagingSpace: NodeStagingSpace{TotalSpace: 536870912000, UsedSpace: 10737418240},
	}, got[0])
	assert.True(t, got[1].LastSeen.IsZero())
	assert.Equal(t, "NOT_REACHABLE", got[1].State.Name)
}

func TestInfrastructureNilOptions(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		path string
		call func(c *Client) error
	}{
		"BackupDestinations": {"/backup-destinations", func(c *Client) error { _, err := c.BackupDestinations.List(ctx, nil); return err }},
		"Hypervisors":        {"/hypervisors", func(c *Client) error { _, err := c.Hypervisors.List(ctx, nil); return err }},
		"HypervisorManagers": {"/hypervisor-managers", func(c *Client) error { _, err := c.HypervisorManagers.List(ctx, nil); return err }},
		"HypervisorClusters": {"/hypervisor-clusters", func(c *Client) error { _, err := c.HypervisorClusters.List(ctx, nil); return err }},
		"HypervisorStorages": {"/hypervisor-storages", func(c *Client) error { _, err := c.HypervisorStorages.List(ctx, nil); return err }},
		"Nodes":              {"/nodes", func(c *Client) error { _, err := c.Nodes.List(ctx, nil); return err }},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			cap := respondJSON(mt, http.MethodGet, tc.path, 200, "[]")
			require.NoError(t, tc.call(c))
			assert.Empty(t, cap.only(t).Query)
		})
	}
}

func TestInfrastructureNotFound(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		method, path string
		call         func(c *Client) error
	}{
		"BackupDestinations.List": {http.MethodGet, "/backup-destinations", func(c *Client) error { _, err := c.BackupDestinations.List(ctx, nil); return err }},
		"BackupDestinations.UsableForVMs": {http.MethodPost, "/backup-destinations/usable-for-vms", func(c *Client) error {
			_, err := c.BackupDestinations.UsableForVMs(ctx, "nope")
			return err
		}},
		"Hypervisors.List":        {http.MethodGet, "/hypervisors", func(c *Client) error { _, err := c.Hypervisors.List(ctx, nil); return err }},
		"Hypervisors.Get":         {http.MethodGet, "/hypervisors/nope", func(c *Client) error { _, err := c.Hypervisors.Get(ctx, "nope"); return err }},
		"HypervisorManagers.List": {http.MethodGet, "/hypervisor-managers", func(c *Client) error { _, err := c.HypervisorManagers.List(ctx, nil); return err }},
		"HypervisorManagers.ListPage": {http.MethodGet, "/hypervisor-managers", func(c *Client) error {
			_, err := c.HypervisorManagers.ListPage(ctx, nil)
			return err
		}},
		"HypervisorManagers.Get": {http.MethodGet, "/hypervisor-managers/nope", func(c *Client) error { _, err := c.HypervisorManagers.Get(ctx, "nope"); return err }},
		"HypervisorClusters.List": {http.MethodGet, "/hypervisor-clusters", func(c *Client) error {
			_, err := c.HypervisorClusters.List(ctx, &ClusterListOptions{HypervisorManager: "nope"})
			return err
		}},
		"HypervisorStorages.List": {http.MethodGet, "/hypervisor-storages", func(c *Client) error {
			_, err := c.HypervisorStorages.List(ctx, &StorageListOptions{HypervisorManager: "nope"})
			return err
		}},
		"Nodes.List": {http.MethodGet, "/nodes", func(c *Client) error { _, err := c.Nodes.List(ctx, nil); return err }},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			respondJSON(mt, tc.method, tc.path, 404, `{"message":"not found"}`)
			assert.ErrorIs(t, tc.call(c), ErrNotFound)
		})
	}
}

func TestInfrastructureBadArguments(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name  string
		field string
		call  func(c *Client) error
	}{
		{"UsableForVMs no VMs", "vmGUIDs", func(c *Client) error { _, err := c.BackupDestinations.UsableForVMs(ctx); return err }},
		{"UsableForVMs empty VM", "vmGUIDs[1]", func(c *Client) error { _, err := c.BackupDestinations.UsableForVMs(ctx, "vm-1", ""); return err }},
		{"BackupDestinations bad paging", "ListOptions.Page", func(c *Client) error {
			_, err := c.BackupDestinations.List(ctx, &ListOptions{Page: 1})
			return err
		}},
		{"Hypervisors.Get empty guid", "guid", func(c *Client) error { _, err := c.Hypervisors.Get(ctx, ""); return err }},
		{"Hypervisors bad paging", "ListOptions.Size", func(c *Client) error {
			_, err := c.Hypervisors.List(ctx, &HypervisorListOptions{ListOptions: ListOptions{Size: -5}})
			return err
		}},
		{"HypervisorManagers.Get empty guid", "guid", func(c *Client) error { _, err := c.HypervisorManagers.Get(ctx, ""); return err }},
		{"HypervisorManagers bad direction", "ListOptions.Direction", func(c *Client) error {
			_, err := c.HypervisorManagers.List(ctx, &HypervisorManagerListOptions{ListOptions: ListOptions{Direction: "sideways"}})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newTestClient(t)
			requireArgError(t, tc.call(c), tc.field)
		})
	}
}
