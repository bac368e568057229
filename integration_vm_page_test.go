package vprotect_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// The vendor UI's VM page and backup dialog against the fake (reference 7x
// section 5).
//
// 7.4 only: a 4.0 server does not serve these calls (vprotecttest 4.0
// answers them 404), so these tests run against the default 7.4 fake, not
// per server generation (eachServerVersion).

// The backup button: the VM's policy with its rules, then whether an
// incremental backup is possible, and the dialog's "Create schedule".
func TestIntegrationBackupDialog(t *testing.T) {
	c, _ := fakeClient(t, vprotecttest.WithTaskModel(vprotecttest.Instant))
	ctx := context.Background()
	web := vprotecttest.DemoVMTenantAWebGUID

	ps, err := c.Policies.ListByEntities(ctx, web)
	require.NoError(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, vprotecttest.DemoPolicyGUID, ps[0].GUID)
	require.Len(t, ps[0].Rules, 1)
	assert.Equal(t, vprotecttest.DemoRuleGUID, ps[0].Rules[0].GUID)
	none, err := c.Policies.ListByEntities(ctx, vprotecttest.DemoVMTenantAAppGUID)
	require.NoError(t, err)
	assert.Empty(t, none, "a VM without a policy")

	// gold's only schedule is a FULL one; rhv-vm-3 has no policy and no backup.
	rows, err := c.VMs.IncrementalNotPossible(ctx, web, vprotecttest.DemoVMRHV3GUID)
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, "a-web-1", rows[0].VirtualMachine.Name)
	assert.True(t, rows[0].HasReason(vprotect.IncrementalNotPossibleReasonMissingIncrementalScheduler))
	assert.Len(t, rows[0].Reasons, 1, "a-web-1 has backups")
	assert.Equal(t, vprotecttest.DemoPolicyGUID, rows[0].VirtualMachine.VMBackupPolicy.GUID)
	assert.True(t, rows[1].HasReason(vprotect.IncrementalNotPossibleReasonMissingIncrementalScheduler))
	assert.True(t, rows[1].HasReason("MISSING_SNAPSHOT"), "the fake's reason: no snapshot yet")

	// "Create schedule": an INCREMENTAL schedule on all rules of the policy.
	inc := vprotect.NewTimeSchedule("gold-incremental", 3*time.Hour, 2*time.Hour, vprotect.Weekdays()...)
	inc.BackupType = vprotect.EnumOf(vprotect.BackupTypeIncremental)
	inc.Rules = vprotect.Refs(vprotecttest.DemoRuleGUID)
	_, err = c.Schedules.Create(ctx, inc)
	require.NoError(t, err)
	rows, err = c.VMs.IncrementalNotPossible(ctx, web)
	require.NoError(t, err)
	assert.Empty(t, rows, "ready for an incremental backup")

	// rhv-vm-3 joins gold through its settings, then backs up once.
	vm, err := c.VMs.Get(ctx, vprotecttest.DemoVMRHV3GUID)
	require.NoError(t, err)
	vm.VMBackupPolicy = vprotect.RefPtr(vprotecttest.DemoPolicyGUID)
	vm.QuiesceBeforeSnapshot = true
	vm, err = c.VMs.UpdateSettings(ctx, vm.GUID, vm)
	require.NoError(t, err)
	assert.Equal(t, "gold", vm.VMBackupPolicy.Name)
	assert.True(t, vm.QuiesceBeforeSnapshot)
	rows, err = c.VMs.IncrementalNotPossible(ctx, vm.GUID)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, []vprotect.Enum[vprotect.IncrementalNotPossibleReason]{{Name: "MISSING_SNAPSHOT", Description: rows[0].Reasons[0].Description}}, rows[0].Reasons)
	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{vm.GUID}, Rules: []string{vprotecttest.DemoRuleGUID}})
	require.NoError(t, err)
	_, err = c.Tasks.WaitForBackup(ctx, res.Tasks[0].GUID)
	require.NoError(t, err)
	rows, err = c.VMs.IncrementalNotPossible(ctx, vm.GUID)
	require.NoError(t, err)
	assert.Empty(t, rows)

	// Out of the policy again: a nil policy is sent as null.
	vm.VMBackupPolicy = nil
	_, err = c.VMs.UpdateSettings(ctx, vm.GUID, vm)
	require.NoError(t, err)
	gold, err := c.Policies.Get(ctx, vprotecttest.DemoPolicyGUID)
	require.NoError(t, err)
	assert.NotContains(t, gold.VMs, vprotect.NameAndGuid{GUID: vm.GUID, Name: vm.Name})
	assert.Len(t, gold.VMs, 2)

	_, err = c.VMs.IncrementalNotPossible(ctx, "no-such-vm")
	assert.ErrorIs(t, err, vprotect.ErrBadRequest)
}

// Disk exclusion: a backup is as large as the disks it includes.
func TestIntegrationVMDisksExcludedFromBackup(t *testing.T) {
	c, _ := fakeClient(t, vprotecttest.WithTaskModel(vprotecttest.Instant))
	ctx := context.Background()
	vm := vprotecttest.DemoVMRHV1GUID
	backup := func() int64 {
		t.Helper()
		res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{vm}, BackupDestination: vprotecttest.DemoDefaultDestinationGUID})
		require.NoError(t, err)
		b, err := c.Tasks.WaitForBackup(ctx, res.Tasks[0].GUID)
		require.NoError(t, err)
		return b.Size
	}
	disks, err := c.VMDisks.List(ctx, &vprotect.VMDiskListOptions{VirtualMachine: vm})
	require.NoError(t, err)
	require.Len(t, disks, 2)
	var total int64
	for _, d := range disks {
		assert.True(t, d.IsBackedUp(), d.Name)
		total += d.Size
	}
	assert.Equal(t, total, backup())

	data := disks[1]
	require.Equal(t, vprotecttest.DemoDiskRHV1DataGUID, data.GUID)
	data.ExcludedFromBackup = true
	out, err := c.VMDisks.UpdateSettings(ctx, data.GUID, &data)
	require.NoError(t, err)
	assert.True(t, out.ExcludedFromBackup)
	assert.Equal(t, disks[0].Size, backup(), "the excluded disk is left out")

	// An unsupported disk counts as excluded.
	lun, err := c.VMDisks.List(ctx, &vprotect.VMDiskListOptions{VirtualMachine: vprotecttest.DemoVMRHV2GUID})
	require.NoError(t, err)
	require.Len(t, lun, 2)
	assert.False(t, lun[1].Supported)
	assert.False(t, lun[1].IsBackedUp())

	data.GUID = ""
	_, err = c.VMDisks.UpdateSettings(ctx, "no-such-disk", &data)
	assert.ErrorIs(t, err, vprotect.ErrNotFound)
}

func TestIntegrationInventory(t *testing.T) {
	seed := vprotecttest.DemoSeed()
	seed.VMs = append(seed.VMs, vprotecttest.VM{GUID: "00000000-0000-4000-8000-000000000201", Name: "gone-1", Present: false})
	c, _ := fakeClient(t, vprotecttest.WithSeed(seed), vprotecttest.WithTaskModel(vprotecttest.Instant))
	ctx := context.Background()

	rhv, err := c.VMs.Detailed(ctx, "RHV-vm")
	require.NoError(t, err)
	assert.Equal(t, []string{"rhv-vm-1", "rhv-vm-2", "rhv-vm-3"}, names(rhv))
	all, err := c.VMs.Detailed(ctx, "")
	require.NoError(t, err)
	assert.Len(t, all, 11)

	// Delete Non-Present: gone-1 goes; a-old-1 is not present but has a backup.
	require.NoError(t, c.VMs.DeleteAllNonPresent(ctx))
	all, err = c.VMs.Detailed(ctx, "")
	require.NoError(t, err)
	assert.NotContains(t, names(all), "gone-1")
	assert.Contains(t, names(all), "a-old-1")
	_, err = c.VMs.Get(ctx, "00000000-0000-4000-8000-000000000201")
	assert.ErrorIs(t, err, vprotect.ErrNotFound)

	// Synchronize inventory: an INVENTORY_SYNC task per manager.
	tasks, err := c.Tasks.InventorySync(ctx, vprotecttest.DemoRHVManagerGUID)
	require.NoError(t, err)
	require.Len(t, tasks, 1)
	assert.Equal(t, vprotect.TaskTypeInventorySync, tasks[0].Type.Name)
	require.NotNil(t, tasks[0].HypervisorManager)
	assert.Equal(t, vprotecttest.DemoRHVManagerGUID, tasks[0].HypervisorManager.GUID)
	done, err := c.Tasks.Wait(ctx, tasks[0].GUID)
	require.NoError(t, err)
	assert.Equal(t, vprotect.TaskStateFinished, done.State.Name)
	_, err = c.Tasks.InventorySync(ctx, "no-such-manager")
	assert.ErrorIs(t, err, vprotect.ErrBadRequest)
}
