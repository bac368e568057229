package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVMsListQuery(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/virtual-machines", http.StatusOK, fixture(t, "vm_list.json"))

	vms, err := c.VMs.List(context.Background(), &VMListOptions{
		ListOptions:           ListOptions{Page: 2, Size: 10, OrderBy: "name", Direction: SortDescending, Filter: "web"},
		TenantID:              "tenant-a",
		HypervisorManagerType: HypervisorManagerTypeOpenStack,
		UUID:                  "8d5f0a7c",
	})
	require.NoError(t, err)
	req := captor.only(t)
	assert.Equal(t, http.MethodGet, req.Method)
	assert.Equal(t, "/virtual-machines", req.Path)
	assert.Equal(t, url.Values{
		"page": {"2"}, "size": {"10"}, "orderBy": {"name"}, "direction": {"desc"}, "filter": {"web"},
		"tenantid": {"tenant-a"}, "project-uuid": {"tenant-a"}, "hypervisor-manager-type": {"OPENSTACK"}, "uuid": {"8d5f0a7c"},
	}, req.Query)

	require.Len(t, vms, 2)
	assert.Equal(t, "vm-1", vms[0].GUID)
	assert.Equal(t, HypervisorManagerTypeOpenStack, vms[0].HVMType.Name)
	require.NotNil(t, vms[0].BackupUpToDate)
	assert.True(t, *vms[0].BackupUpToDate)
	assert.Equal(t, "https://keystone.example:5000/v3", vms[0].HVManager.URL)
	assert.Nil(t, vms[1].BackupUpToDate, "absent backupUpToDate means no schedule")
	assert.Nil(t, vms[1].VMBackupPolicy)
	assert.True(t, vms[1].LastBackup.IsZero())
	assert.Equal(t, HypervisorTypeKVM, vms[1].HVType.Name)
	assert.False(t, vms[1].Present)
}

func TestVMsListNilOptions(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/virtual-machines", http.StatusOK, "[]")
	vms, err := c.VMs.List(context.Background(), nil)
	require.NoError(t, err)
	assert.NotNil(t, vms)
	assert.Empty(t, vms)
	assert.Empty(t, captor.only(t).Query)
}

func TestVMsAllBadOptions(t *testing.T) {
	c, _ := newTestClient(t)
	n := 0
	for _, err := range c.VMs.All(context.Background(), &VMListOptions{ListOptions: ListOptions{Size: -1}}) {
		n++
		requireArgError(t, err, "ListOptions.Size")
	}
	assert.Equal(t, 1, n)
}

func TestVMsGet(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "=~/virtual-machines/.+$", http.StatusOK, fixture(t, "vm_get.json"))

	vm, err := c.VMs.Get(context.Background(), "a/b c")
	require.NoError(t, err)
	req := captor.only(t)
	assert.Equal(t, http.MethodGet, req.Method)
	assert.Equal(t, "/virtual-machines/a%2Fb%20c", req.Path)
	assert.Empty(t, req.Query)

	up := false
	want := &VirtualMachine{
		GUID:                         "a/b c",
		UUID:                         "8d5f0a7c-1e2b-4c3d-9e8f-0a1b2c3d4e5f",
		Name:                         "web-01",
		OriginalName:                 "web-01-orig",
		Present:                      true,
		Type:                         EnumNameAndDescription{Name: "VM", Description: "Virtual machine"},
		Hypervisor:                   &NameAndGuid{GUID: "hv-1", Name: "kvm-host-1"},
		HVManager:                    &VMHypervisorManager{GUID: "hvm-1", Name: "openstack-east", URL: "https://keystone.example:5000/v3"},
		HVCluster:                    &NameAndGuid{GUID: "cl-1", Name: "cluster-a"},
		HVType:                       Enum[HypervisorType]{Name: HypervisorTypeKVM, Description: "KVM"},
		HVMType:                      Enum[HypervisorManagerType]{Name: HypervisorManagerTypeOpenStack, Description: "OpenStack"},
		VMBackupPolicy:               &NameAndGuid{GUID: "pol-1", Name: "gold"},
		SnapshotMgmtPolicy:           &NameAndGuid{GUID: "snp-1", Name: "hourly-snaps"},
		Project:                      &VMProject{GUID: "prj-1", Name: "tenant-a", UUID: "c0ffee00c0ffee00c0ffee00c0ffee00"},
		VMFlavor:                     &NameAndGuid{GUID: "fl-1", Name: "m1.small"},
		Networks:                     []NameAndGuid{{GUID: "net-1", Name: "private"}, {GUID: "net-2", Name: "public"}},
		BackupUpToDate:               &up,
		LastBackup:                   TimestampOf(time.UnixMilli(1717000000000)),
		LastSuccessfulBackupSize:     1 << 30,
		LastSuccessfulFullBackupSize: 2 << 30,
		LastSuccessfulFullBackup:     VMBackupMark{GUID: "bk-full-1", Name: "web-01 - 2024-05-29 16:26"},
		LastSuccessfulIncBackup:      VMBackupMark{Name: "2024-05-30 16:26"},
		LastStoredSnapshot:           &NameAndGuid{GUID: "snap-9", Name: "web-01 snapshot"},
		LastChainMarkedForDeletion:   true,
		RestoreStatus:                "RESTORED",
		Restorable:                   true,
		WarningsPresent:              true,
		AverageProgress:              42.5,
		PossibleActions: []EnumNameAndDescription{
			{Name: "BACKUP", Description: "Backup"}, {Name: "RESTORE", Description: "Restore"},
		},
		SupportsQuiesceSnapshot: true,
		QuiesceBeforeSnapshot:   true,
		Tags:                    []string{"prod", "web"},
		VMExportImportMode:      Enum[VMExportImportMode]{Name: "DISK_IMAGE_TRANSFER", Description: "Disk image transfer"},
		VirtualProvider: &VirtualProvider{GUID: "vp-1", Name: "provider-1",
			VirtualProviderType: EnumNameAndDescription{Name: "OPENSTACK", Description: "OpenStack"}},
		SSHHost:                  "10.0.0.5",
		SSHPort:                  22,
		SSHUser:                  "root",
		SSHKeyPath:               "/opt/vprotect/.ssh/id_rsa",
		PreSnapCmdArgs:           []string{"/usr/bin/fsfreeze", "-f", "/data"},
		PreSnapCmdExecEnabled:    true,
		PostSnapCmdArgs:          []string{"/usr/bin/fsfreeze", "-u", "/data"},
		PostSnapCmdExecEnabled:   true,
		PreSnapIgnoredExitCodes:  "1,2",
		PostSnapIgnoredExitCodes: "3",
		PreSnapStdErrorHandling:  Enum[StdErrorHandling]{Name: "IGNORE_WITH_WARNING", Description: "Ignore with warning"},
		PostSnapStdErrorHandling: Enum[StdErrorHandling]{Name: "DONT_IGNORE", Description: "Don't ignore"},
		BaseImageCreationConfig:  []byte(`{"enabled": false}`),
		Backups:                  []NameAndGuid{{GUID: "bk-full-1", Name: "web-01 full"}},
		Tasks:                    []NameAndGuid{{GUID: "task-1", Name: "export"}},
	}
	// Compare times by instant, then the rest field by field.
	assert.True(t, want.LastBackup.Equal(vm.LastBackup.Time))
	want.LastBackup = vm.LastBackup
	assert.Equal(t, want, vm)
}

func TestVMBackupMarkForms(t *testing.T) {
	tests := []struct {
		in   string
		want VMBackupMark
	}{
		{`"2024-05-30 16:26"`, VMBackupMark{Name: "2024-05-30 16:26"}},
		{`{"guid":"g","name":"vm - t"}`, VMBackupMark{GUID: "g", Name: "vm - t"}},
		{`1717000000000`, VMBackupMark{Name: "1717000000000"}},
		{`null`, VMBackupMark{}},
	}
	for _, tt := range tests {
		var m VMBackupMark
		require.NoError(t, m.UnmarshalJSON([]byte(tt.in)), tt.in)
		assert.Equal(t, tt.want, m, tt.in)
	}
	var m VMBackupMark
	assert.Error(t, m.UnmarshalJSON([]byte(`[1]`)))
}

func TestVMsBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	ctx := context.Background()
	_, err := c.VMs.Get(ctx, " ")
	requireArgError(t, err, "guid")
	_, err = c.VMs.List(ctx, &VMListOptions{ListOptions: ListOptions{Page: 1}})
	requireArgError(t, err, "ListOptions.Page")
	_, err = c.VMs.ListPage(ctx, &VMListOptions{ListOptions: ListOptions{Direction: "up"}})
	requireArgError(t, err, "ListOptions.Direction")
}
