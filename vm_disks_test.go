package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVMDisksList(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/virtual-machine-disks", 200, fixture(t, "vm_disk_list.json"))
	disks, err := c.VMDisks.List(context.Background(), &VMDiskListOptions{VirtualMachine: "vm-0001"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"virtual-machine": {"vm-0001"}}, captor.only(t).Query)
	require.Len(t, disks, 3)
	assert.Equal(t, VMDisk{GUID: "disk-0001", Name: "web-01-os", UUID: "9b1d0000-0000-4000-8000-000000000001", Size: 10 << 30,
		Present: true, Supported: true, Type: EnumNameAndDescription{Name: "DISK", Description: "Disk"}}, disks[0])
	assert.True(t, disks[0].IsBackedUp())
	assert.False(t, disks[1].IsBackedUp(), "excluded")
	assert.False(t, disks[2].IsBackedUp(), "not supported")
	assert.Equal(t, "Direct LUN", disks[2].Type.Description)
}

func TestVMDisksUpdateSettings(t *testing.T) {
	c, mt := newTestClient(t)
	disks := rawItems(t, "vm_disk_list.json")
	list := respondJSON(mt, http.MethodGet, "/virtual-machine-disks", 200, "["+string(disks[0])+"]")
	put := respondJSON(mt, http.MethodPut, "/virtual-machine-disks/disk-0001/settings", 200, "")
	ctx := context.Background()

	got, err := c.VMDisks.List(ctx, &VMDiskListOptions{VirtualMachine: "vm-0001"})
	require.NoError(t, err)
	list.only(t)
	d := got[0]
	d.ExcludedFromBackup = true
	out, err := c.VMDisks.UpdateSettings(ctx, d.GUID, &d)
	require.NoError(t, err)
	assert.True(t, out.ExcludedFromBackup, "an empty answer gives the disk as sent")
	assertGolden(t, "vm_disk_settings.json", put.only(t).Body)

	_, err = c.VMDisks.UpdateSettings(ctx, "", &d)
	requireArgError(t, err, "guid")
	_, err = c.VMDisks.UpdateSettings(ctx, "disk-0001", nil)
	requireArgError(t, err, "disk")
	_, err = c.VMDisks.UpdateSettings(ctx, "disk-0002", &d)
	requireArgError(t, err, "VMDisk.GUID")
	_, err = c.VMDisks.List(ctx, &VMDiskListOptions{ListOptions: ListOptions{Size: -1}})
	requireArgError(t, err, "ListOptions.Size")
}
