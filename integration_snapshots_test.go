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

// Snapshot management against the fake (reference 7x section 4): a
// snapshot policy saved in the UI's two calls, snapshots on demand and from
// VM_SNAPSHOT schedules, kept by the rule's retention.
//
// 7.4 only: a 4.0 server does not serve these calls (vprotecttest 4.0
// answers them 404), so these tests run against the default 7.4 fake, not
// per server generation (eachServerVersion).

var snapT0 = time.Date(2026, 3, 2, 0, 30, 0, 0, time.UTC) // a Monday

// presentSnapshots lists the PRESENT stand-alone snapshots of vm, newest first.
func presentSnapshots(t *testing.T, c *vprotect.Client, vm string) []vprotect.Snapshot {
	t.Helper()
	snaps, err := c.Snapshots.List(context.Background(), &vprotect.SnapshotListOptions{
		ProtectedEntities: []string{vm}, StandAlone: vprotect.Ptr(true), Status: vprotect.SnapshotStatusPresent,
	})
	require.NoError(t, err)
	return snaps
}

func TestIntegrationSnapshotPolicyAndRetentionByVersions(t *testing.T) {
	clk := vprotecttest.NewFakeClock(snapT0)
	c, _ := fakeClient(t, vprotecttest.WithClock(clk), vprotecttest.WithTaskModel(vprotecttest.Instant))
	ctx := context.Background()
	vm := vprotecttest.DemoVMRHV1GUID

	// An hourly VM_SNAPSHOT schedule, inactive until the policy is checked.
	sch := vprotect.NewIntervalSchedule("snap-hourly", 0, 23*time.Hour, time.Hour, vprotect.WeekdayRange(time.Sunday, time.Saturday)...)
	sch.Type = vprotect.EnumOf(vprotect.ScheduleTypeVMSnapshot)
	sch.Active = false
	sch, err := c.Schedules.Create(ctx, sch)
	require.NoError(t, err)

	// Save: POST the policy, then POST /rules/vm-snapshot with its rule.
	p, err := c.SnapshotPolicies.Save(ctx, vprotect.NewSnapshotPolicy("rhv-snapshots", 2, 0, []string{sch.GUID}, vm))
	require.NoError(t, err)
	require.Len(t, p.Rules, 1)
	rule := p.Rules[0]
	assert.Equal(t, "Default", rule.Name)
	assert.Equal(t, 2, rule.RetentionVersions)
	assert.Equal(t, []vprotect.NameAndGuid{{GUID: vm, Name: "rhv-vm-1"}}, p.VMs)
	assert.Equal(t, 1, p.RuleCount)

	got, err := c.VMs.Get(ctx, vm)
	require.NoError(t, err)
	require.NotNil(t, got.SnapshotMgmtPolicy)
	assert.Equal(t, p.GUID, got.SnapshotMgmtPolicy.GUID)

	// The schedule now names the snapshot rule and its policy.
	sch, err = c.Schedules.Get(ctx, sch.GUID)
	require.NoError(t, err)
	assert.Equal(t, []vprotect.NameAndGuid{{GUID: rule.GUID, Name: "Default"}}, sch.Rules)
	snapScheds, err := c.Schedules.List(ctx, &vprotect.ScheduleListOptions{Type: vprotect.ScheduleTypeVMSnapshot})
	require.NoError(t, err)
	assert.Len(t, snapScheds, 1)

	// Three snapshots on demand an hour apart: the rule keeps the last two.
	for i := 0; i < 3; i++ {
		tasks, err := c.Tasks.Snapshot(ctx, vprotect.SnapshotRequest{ProtectedEntities: []string{vm}, Rule: rule.GUID})
		require.NoError(t, err)
		require.Len(t, tasks, 1)
		assert.Equal(t, vprotect.TaskTypeSnapshot, tasks[0].Type.Name)
		done, err := c.Tasks.Wait(ctx, tasks[0].GUID)
		require.NoError(t, err)
		assert.Equal(t, vprotect.TaskStateFinished, done.State.Name)
		clk.Advance(time.Hour)
	}
	present := presentSnapshots(t, c, vm)
	require.Len(t, present, 2)
	assert.True(t, present[0].SnapshotTime.After(present[1].SnapshotTime.Time), "newest first")
	require.NotNil(t, present[0].Rule)
	assert.Equal(t, rule.GUID, present[0].Rule.GUID)
	assert.Equal(t, 2, present[0].Rule.RetentionVersions)
	removed, err := c.Snapshots.List(ctx, &vprotect.SnapshotListOptions{ProtectedEntities: []string{vm}, Status: vprotect.SnapshotStatusRemoved})
	require.NoError(t, err)
	require.Len(t, removed, 1)
	assert.True(t, removed[0].SnapshotTime.Before(present[1].SnapshotTime.Time), "the oldest went")

	one, err := c.Snapshots.Get(ctx, present[0].GUID)
	require.NoError(t, err)
	assert.Equal(t, present[0].UUID, one.UUID)

	// Save again (PUT the policy, PUT /rules/vm-backup/{rule}) with 4
	// versions and the schedule on: hourly runs fill up to 4.
	p.Rules[0].RetentionVersions = 4
	p, err = c.SnapshotPolicies.Save(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, 4, p.Rules[0].RetentionVersions)
	sch.Active = true
	_, err = c.Schedules.Update(ctx, sch.GUID, sch)
	require.NoError(t, err)
	clk.Advance(3*time.Hour + time.Minute)
	scheduled, err := c.Tasks.List(ctx, &vprotect.TaskListOptions{Type: vprotect.TaskTypeSnapshot, ProtectedEntity: vm})
	require.NoError(t, err)
	assert.Len(t, scheduled, 3+3, "three on demand, three from the schedule")
	assert.Len(t, presentSnapshots(t, c, vm), 4)

	// A VM without a snapshot policy cannot have one.
	_, err = c.Tasks.Snapshot(ctx, vprotect.SnapshotRequest{ProtectedEntities: []string{vprotecttest.DemoVMRHV2GUID}, Rule: rule.GUID})
	assert.ErrorIs(t, err, vprotect.ErrBadRequest)

	// Deleting the policy unassigns the VM.
	require.NoError(t, c.SnapshotPolicies.Delete(ctx, p.GUID))
	got, err = c.VMs.Get(ctx, vm)
	require.NoError(t, err)
	assert.Nil(t, got.SnapshotMgmtPolicy)
	_, err = c.SnapshotPolicies.Get(ctx, p.GUID)
	assert.ErrorIs(t, err, vprotect.ErrNotFound)
}

func TestIntegrationSnapshotRetentionByDays(t *testing.T) {
	clk := vprotecttest.NewFakeClock(snapT0)
	c, _ := fakeClient(t, vprotecttest.WithClock(clk), vprotecttest.WithTaskModel(vprotecttest.Instant))
	ctx := context.Background()
	vm := vprotecttest.DemoVMRHV2GUID
	p, err := c.SnapshotPolicies.Save(ctx, vprotect.NewSnapshotPolicy("keep-a-day", 1, 1, nil, vm))
	require.NoError(t, err)
	snap := func() {
		t.Helper()
		_, err := c.Tasks.Snapshot(ctx, vprotect.SnapshotRequest{ProtectedEntities: []string{vm}, Rule: p.Rules[0].GUID})
		require.NoError(t, err)
	}
	for i := 0; i < 3; i++ {
		snap()
		clk.Advance(time.Hour)
	}
	assert.Len(t, presentSnapshots(t, c, vm), 3, "younger than a day: all kept although versions is 1")
	clk.Advance(2 * 24 * time.Hour)
	snap()
	assert.Len(t, presentSnapshots(t, c, vm), 1, "older than a day and beyond the last version: removed")
}

// A successful backup leaves the snapshot the next incremental starts
// from: not stand-alone, the VM's lastStoredSnapshot ("current" in the UI).
func TestIntegrationBackupLeavesCurrentSnapshot(t *testing.T) {
	c, _ := fakeClient(t, vprotecttest.WithTaskModel(vprotecttest.Instant))
	ctx := context.Background()
	vm := vprotecttest.DemoVMRHV3GUID
	backupOnce := func() {
		t.Helper()
		res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{vm}, BackupDestination: vprotecttest.DemoDefaultDestinationGUID})
		require.NoError(t, err)
		_, err = c.Tasks.WaitForBackup(ctx, res.Tasks[0].GUID)
		require.NoError(t, err)
	}
	backupOnce()
	backupOnce()
	got, err := c.VMs.Get(ctx, vm)
	require.NoError(t, err)
	require.NotNil(t, got.LastStoredSnapshot)
	kept, err := c.Snapshots.List(ctx, &vprotect.SnapshotListOptions{ProtectedEntities: []string{vm}, StandAlone: vprotect.Ptr(false)})
	require.NoError(t, err)
	require.Len(t, kept, 2)
	assert.True(t, kept[0].IsCurrent(got), "the newest is the current one")
	assert.Equal(t, vprotect.SnapshotStatusPresent, kept[0].Status.Name)
	assert.False(t, kept[1].IsCurrent(got))
	assert.Equal(t, vprotect.SnapshotStatusRemoved, kept[1].Status.Name, "only the latest is kept")
}

// A failed snapshot keeps the task's message as its warning until the
// warnings are acknowledged.
func TestIntegrationSnapshotAcknowledgeWarnings(t *testing.T) {
	c, srv := fakeClient(t, vprotecttest.WithClock(vprotecttest.NewFakeClock(snapT0)), vprotecttest.WithTaskModel(vprotecttest.Instant))
	ctx := context.Background()
	vm := vprotecttest.DemoVMRHV2GUID
	p, err := c.SnapshotPolicies.Save(ctx, vprotect.NewSnapshotPolicy("warned", 1, 1, nil, vm))
	require.NoError(t, err)
	srv.FailNextTask("SNAPSHOT", vm, "guest agent not responding")
	_, err = c.Tasks.Snapshot(ctx, vprotect.SnapshotRequest{ProtectedEntities: []string{vm}, Rule: p.Rules[0].GUID})
	require.NoError(t, err)
	snaps, err := c.Snapshots.List(ctx, &vprotect.SnapshotListOptions{ProtectedEntities: []string{vm}, Status: vprotect.SnapshotStatusFailed})
	require.NoError(t, err)
	require.Len(t, snaps, 1)
	require.True(t, snaps[0].WarningsPresent)
	assert.Equal(t, []string{"guest agent not responding"}, snaps[0].Warnings)

	got, err := c.Snapshots.AcknowledgeWarnings(ctx, snaps[0].GUID)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, snaps[0].GUID, got[0].GUID)
	assert.False(t, got[0].WarningsPresent)
	assert.Empty(t, got[0].Warnings)
	again, err := c.Snapshots.Get(ctx, snaps[0].GUID)
	require.NoError(t, err)
	assert.False(t, again.WarningsPresent, "kept by the server")

	_, err = c.Snapshots.AcknowledgeWarnings(ctx, snaps[0].GUID, "00000000-0000-4000-8000-00000000ffff")
	var apiErr *vprotect.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.StatusCode)
}
