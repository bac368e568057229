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

// The backup lifecycle, the task console and the restore dialog of the 7.x
// UI, through the SDK against the fake.
//
// 7.4 only: a 4.0 server does not serve these calls (vprotecttest 4.0
// answers them 404), so these tests run against the default 7.4 fake, not
// per server generation (eachServerVersion).

// lifecycleT0 is a Monday noon UTC.
var lifecycleT0 = time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)

func TestIntegrationBackupDetailsAndFilters(t *testing.T) {
	c, _ := fakeClient(t, vprotecttest.WithClock(vprotecttest.NewFakeClock(lifecycleT0)))
	ctx := context.Background()

	b, err := c.Backups.Get(ctx, vprotecttest.DemoBackupTenantAWebIncGUID)
	require.NoError(t, err)
	assert.True(t, b.IscsiMountable)
	require.Len(t, b.NetworkInterfaceCards, 1)
	assert.Equal(t, &vprotect.NameAndGuid{GUID: vprotecttest.DemoOpenStackPrivateNetGUID, Name: "private"}, b.NetworkInterfaceCards[0].Network)
	assert.Equal(t, vprotect.BackupTypeIncremental, b.Type.Name)

	require.NoError(t, c.Backups.SetDescription(ctx, b.GUID, "before the upgrade"))
	require.NoError(t, c.Backups.AcknowledgeWarnings(ctx, b.GUID))
	b, err = c.Backups.Get(ctx, b.GUID)
	require.NoError(t, err)
	assert.Equal(t, "before the upgrade", b.Description)
	assert.True(t, b.WarningsAcknowledged)
	assert.ErrorIs(t, c.Backups.SetDescription(ctx, "nope", "x"), vprotect.ErrNotFound)

	// The VM page's Backups tab: this month, successful ones.
	all, err := c.Backups.List(ctx, &vprotect.BackupListOptions{ProtectedEntity: vprotecttest.DemoVMTenantAWebGUID,
		Statuses: []vprotect.BackupStatus{vprotect.BackupStatusSuccess, vprotect.BackupStatusPartialSuccess},
		From:     lifecycleT0.Add(-30 * 24 * time.Hour), To: lifecycleT0})
	require.NoError(t, err)
	assert.Len(t, all, 2)
	recent, err := c.Backups.List(ctx, &vprotect.BackupListOptions{ProtectedEntity: vprotecttest.DemoVMTenantAWebGUID,
		From: lifecycleT0.Add(-36 * time.Hour)})
	require.NoError(t, err)
	require.Len(t, recent, 1, "from keeps the incremental of a day ago")
	assert.Equal(t, vprotecttest.DemoBackupTenantAWebIncGUID, recent[0].GUID)
	removed, err := c.Backups.List(ctx, &vprotect.BackupListOptions{Statuses: []vprotect.BackupStatus{vprotect.BackupStatusSuccessRemoved}})
	require.NoError(t, err)
	assert.Empty(t, removed)
	mountable, err := c.Backups.List(ctx, &vprotect.BackupListOptions{ProtectedEntity: vprotecttest.DemoVMRHV1GUID, OnlyMountable: true})
	require.NoError(t, err)
	assert.Len(t, mountable, 1)
	for _, bk := range all {
		assert.Empty(t, bk.NetworkInterfaceCards, "NICs come with the details only")
	}
}

func TestIntegrationRetentionMarks(t *testing.T) {
	clk := vprotecttest.NewFakeClock(lifecycleT0)
	c, _ := fakeClient(t, vprotecttest.WithClock(clk))
	ctx := context.Background()
	full, err := c.Backups.Get(ctx, vprotecttest.DemoBackupTenantAWebFullGUID)
	require.NoError(t, err)
	inc, err := c.Backups.Get(ctx, vprotecttest.DemoBackupTenantAWebIncGUID)
	require.NoError(t, err)
	keep := time.Date(2026, 1, 7, 0, 0, 0, 0, time.UTC)
	marks := []vprotect.RetentionMark{
		vprotect.RetentionMarkOf(full.BackupLocations[0], vprotect.RetentionHintToRemove, time.Time{}),
		vprotect.RetentionMarkOf(inc.BackupLocations[0], vprotect.RetentionHintArchive, keep),
	}
	rows, err := c.Retention.Preview(ctx, marks...)
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, vprotect.RetentionHintStandardRetention, rows[0].PreviousHint.Name)
	assert.Equal(t, vprotect.RetentionHintToRemove, rows[0].RetentionHint.Name)
	assert.True(t, rows[1].ArchiveExpire.Equal(keep))

	require.NoError(t, c.Retention.Mark(ctx, marks...))
	full, err = c.Backups.Get(ctx, full.GUID)
	require.NoError(t, err)
	assert.Equal(t, vprotect.RetentionHintToRemove, full.BackupLocations[0].RetentionHint.Name)
	assert.True(t, full.IsSuccessful(), "the mark waits for the cleanup")

	clk.Set(time.Date(2026, 1, 6, 0, 0, 5, 0, time.UTC)) // the cleanup ran at midnight
	cleanups, err := c.Tasks.List(ctx, &vprotect.TaskListOptions{Type: vprotect.TaskTypeBackupCleanup})
	require.NoError(t, err)
	require.Len(t, cleanups, 1)
	assert.Equal(t, vprotect.TaskStateFinished, cleanups[0].State.Name)
	assert.Equal(t, vprotect.OriginTypeSystemSchedule, vprotect.OriginType(cleanups[0].OriginEntity.Type.Name))
	full, err = c.Backups.Get(ctx, full.GUID)
	require.NoError(t, err)
	assert.Equal(t, vprotect.BackupStatusSuccessRemoved, full.Status.Name, "a backup marked expired ends removed")
	assert.Equal(t, vprotect.BackupLocationStatusRemoved, full.BackupLocations[0].Status.Name)
	present, err := c.BackupLocations.List(ctx, &vprotect.BackupLocationListOptions{
		ProtectedEntity: vprotecttest.DemoVMTenantAWebGUID, LocationStatus: vprotect.BackupLocationStatusPresent})
	require.NoError(t, err)
	require.Len(t, present, 1, "the one kept until Wednesday")
	assert.Equal(t, inc.GUID, present[0].Backup.GUID)
	assert.True(t, present[0].ArchiveExpire.Equal(keep))

	clk.Set(time.Date(2026, 1, 7, 0, 0, 5, 0, time.UTC))
	inc, err = c.Backups.Get(ctx, inc.GUID)
	require.NoError(t, err)
	assert.Equal(t, vprotect.BackupStatusSuccessRemoved, inc.Status.Name, "removed once its keep-until date passed")

	err = c.Retention.Mark(ctx, vprotect.RetentionMark{Backup: "nope", Hint: vprotect.RetentionHintToRemove})
	assert.ErrorIs(t, err, vprotect.ErrBadRequest)
}

func TestIntegrationDeleteVM(t *testing.T) {
	c, _ := fakeClient(t, vprotecttest.WithTaskModel(vprotecttest.Instant))
	ctx := context.Background()
	tasks, err := c.Tasks.DeleteVM(ctx, vprotecttest.DemoVMRHV1GUID)
	require.NoError(t, err)
	require.Len(t, tasks, 1, "one DELETE task for the backups on s3-offsite")
	assert.Equal(t, vprotect.TaskTypeDelete, tasks[0].Type.Name)
	_, err = c.Tasks.WaitAll(ctx, tasks[0].GUID)
	require.NoError(t, err)
	_, err = c.VMs.Get(ctx, vprotecttest.DemoVMRHV1GUID)
	assert.ErrorIs(t, err, vprotect.ErrNotFound)
	bks, err := c.Backups.ListForVM(ctx, vprotecttest.DemoVMRHV1GUID)
	require.NoError(t, err)
	require.Len(t, bks, 1, "the history stays")
	assert.Equal(t, vprotect.BackupStatusSuccessRemoved, bks[0].Status.Name)

	tasks, err = c.Tasks.DeleteVM(ctx, vprotecttest.DemoVMRHV2GUID)
	require.NoError(t, err)
	assert.Empty(t, tasks, "a VM without backups goes at once")
	_, err = c.VMs.Get(ctx, vprotecttest.DemoVMRHV2GUID)
	assert.ErrorIs(t, err, vprotect.ErrNotFound)
}

func TestIntegrationTaskConsole(t *testing.T) {
	clk := vprotecttest.NewFakeClock(lifecycleT0)
	c, srv := fakeClient(t, vprotecttest.WithClock(clk), vprotecttest.WithoutTaskHistory())
	ctx := context.Background()
	_, err := c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{vprotecttest.DemoVMRHV1GUID}, WindowStart: lifecycleT0})
	require.NoError(t, err)
	clk.Advance(time.Minute)
	_, err = c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{vprotecttest.DemoVMTenantAWebGUID,
		vprotecttest.DemoVMTenantADBGUID, vprotecttest.DemoVMTenantAAppGUID, vprotecttest.DemoVMTenantBWebGUID}, WindowStart: clk.Now()})
	require.NoError(t, err)

	count := func(opts *vprotect.TaskListOptions) int {
		ts, err := c.Tasks.List(ctx, opts)
		require.NoError(t, err)
		return len(ts)
	}
	// The console lists every task and filters on the client; these are the server-side filters.
	finished := count(&vprotect.TaskListOptions{States: []vprotect.TaskState{vprotect.TaskStateFinished, vprotect.TaskStateFailed, vprotect.TaskStateCancelled}})
	assert.GreaterOrEqual(t, finished, 2, "the first backup's EXPORT and STORE")
	assert.Equal(t, finished+4, count(nil))
	assert.Equal(t, 2, count(&vprotect.TaskListOptions{State: vprotect.TaskStateRunning}))
	assert.Equal(t, 4, count(&vprotect.TaskListOptions{States: []vprotect.TaskState{vprotect.TaskStateRunning, vprotect.TaskStateQueued}}))
	assert.Equal(t, 4, count(&vprotect.TaskListOptions{Type: vprotect.TaskTypeExport, States: []vprotect.TaskState{vprotect.TaskStateRunning, vprotect.TaskStateQueued}}))
	assert.Equal(t, 0, count(&vprotect.TaskListOptions{WorkflowExecution: "wf-1"}), "the fake runs no workflows")

	require.NoError(t, c.Tasks.DeleteAllFinished(ctx))
	assert.Equal(t, 4, count(nil))
	require.NoError(t, c.Tasks.DeleteAllFinishedAndQueued(ctx))
	assert.Equal(t, 2, count(nil))
	assert.Equal(t, 2, count(&vprotect.TaskListOptions{State: vprotect.TaskStateRunning}))
	require.NoError(t, c.Tasks.CancelAllRunning(ctx))
	assert.Equal(t, 2, count(&vprotect.TaskListOptions{State: vprotect.TaskStateCancelled}), "cancelled, still listed")
	require.NoError(t, c.Tasks.DeleteAllFinished(ctx))
	assert.Empty(t, srv.Tasks())
}

// The restore dialog's calls in the order the 7.4 UI makes them (reference
// 7x 7.1), then its restore-and-import payload (7.3).
func TestIntegrationRestoreDialog(t *testing.T) {
	c, _ := fakeClient(t, vprotecttest.WithTaskModel(vprotecttest.Instant))
	ctx := context.Background()
	vm := vprotecttest.DemoVMTenantAWebGUID

	locs, err := c.BackupLocations.List(ctx, &vprotect.BackupLocationListOptions{ProtectedEntity: vm, LocationStatus: vprotect.BackupLocationStatusPresent})
	require.NoError(t, err)
	require.NotEmpty(t, locs)
	loc := locs[0]
	b, err := c.Backups.Get(ctx, loc.Backup.GUID)
	require.NoError(t, err)
	files, err := c.BackupFiles.ListForRestore(ctx, b.GUID)
	require.NoError(t, err)
	var disks []vprotect.BackupFile
	for _, f := range files {
		if f.IsRestorableDisk() {
			disks = append(disks, f)
		}
	}
	require.Len(t, disks, 1)
	mgrs, err := c.HypervisorManagers.List(ctx, &vprotect.HypervisorManagerListOptions{BackupToBeRestored: b.GUID})
	require.NoError(t, err)
	require.NotEmpty(t, mgrs)
	mgr := mgrs[0].GUID
	clusters, err := c.HypervisorClusters.List(ctx, &vprotect.ClusterListOptions{HypervisorManager: mgr})
	require.NoError(t, err)
	storages, err := c.HypervisorStorages.List(ctx, &vprotect.StorageListOptions{HypervisorManager: mgr})
	require.NoError(t, err)
	require.NotEmpty(t, storages)
	nets, err := c.Networks.List(ctx, &vprotect.NetworkListOptions{HypervisorManager: mgr})
	require.NoError(t, err)
	shared, err := c.Networks.ListShared(ctx, &vprotect.NetworkListOptions{HypervisorManager: mgr})
	require.NoError(t, err)
	assert.Equal(t, []string{"private", "public"}, []string{nets[0].Name, nets[1].Name})
	require.Len(t, shared, 1)
	flavors, err := c.VMFlavors.List(ctx, &vprotect.VMFlavorListOptions{HypervisorManager: mgr})
	require.NoError(t, err)
	require.Len(t, flavors, 2)
	projects, err := c.Projects.List(ctx, &vprotect.ProjectListOptions{HypervisorManager: mgr})
	require.NoError(t, err)
	assert.Len(t, projects, 2)

	tf := vprotect.RestoreTaskFileOf(disks[0])
	assert.Equal(t, storages[0].UUID, tf.StorageID, "a disk goes back to its storage by default")
	tf.DiskName = "disk1-copy"
	used := storages[0].TotalUsedSpace
	task, err := c.Tasks.RestoreAndImport(ctx, vprotect.RestoreRequest{
		Backup: b.GUID, BackupLocation: loc.GUID, HypervisorManager: mgr, RestoreClusterID: clusters[0].UUID,
		RestoredPEName: "a-web-1-copy", TaskFiles: []vprotect.RestoreTaskFile{tf},
		Networks: []vprotect.RestoredNetwork{{Network: shared[0].GUID, NetworkInterfaceCard: b.NetworkInterfaceCards[0].GUID}},
		VMFlavor: flavors[1].GUID,
	})
	require.NoError(t, err)
	imp, err := c.Tasks.WaitForRestore(ctx, task.GUID)
	require.NoError(t, err)
	restored, err := c.VMs.Get(ctx, imp.DstProtectedEntity.GUID)
	require.NoError(t, err)
	assert.Equal(t, "a-web-1-copy", restored.Name)
	assert.Equal(t, &vprotect.NameAndGuid{GUID: flavors[1].GUID, Name: "m1.large"}, restored.VMFlavor)
	storages, err = c.HypervisorStorages.List(ctx, &vprotect.StorageListOptions{HypervisorManager: mgr})
	require.NoError(t, err)
	assert.Greater(t, storages[0].TotalUsedSpace, used, "the restored disk takes space on its storage")

	jobs, err := c.RestoreJobs.List(ctx, &vprotect.RestoreJobListOptions{ProtectedEntity: vm})
	require.NoError(t, err)
	require.Len(t, jobs, 1)
	assert.Equal(t, vprotect.RestoreTypeRestoreAndImport, jobs[0].RestoreType.Name)
	assert.Equal(t, "FINISHED", jobs[0].Status.Name)
	assert.Equal(t, b.GUID, jobs[0].Backup.GUID)
	byJob, err := c.Tasks.List(ctx, &vprotect.TaskListOptions{RestoreJob: jobs[0].GUID})
	require.NoError(t, err)
	assert.Len(t, byJob, 2, "RESTORE and IMPORT")

	_, err = c.Tasks.RestoreAndImport(ctx, vprotect.RestoreRequest{BackupLocation: loc.GUID, HypervisorManager: mgr, RestoredPEName: "x",
		TaskFiles: []vprotect.RestoreTaskFile{{BackupFile: "not-a-file"}}})
	assert.ErrorIs(t, err, vprotect.ErrBadRequest)
}
