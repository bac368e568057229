package vprotecttest

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests of the backup lifecycle (7x reference 3): details, description and
// warnings, retention marks and the cleanup that applies them, deleting a VM,
// and the task console's bulk removals (6.1).

// location is the test's view of a backup location.
type location struct {
	GUID              string
	Status            Enum
	RetentionHint     *Enum
	ArchiveExpire     *int64
	BackupDestination NameAndGuid
	Type              *Enum
}

// backupView is the test's view of a backup record.
type backupView struct {
	GUID                  string
	Status                Enum
	Description           string
	WarningsAcknowledged  bool
	TaskTimeStats         *map[string]int64
	TaskDurationTime      int64
	IscsiMountable        *bool
	BackupLocations       []location
	NetworkInterfaceCards []NetworkInterfaceCard
}

func (c *apiClient) backup(guid string) backupView {
	c.t.Helper()
	var b backupView
	c.get("/backups/"+guid, &b)
	return b
}

func TestBackupDetails7x(t *testing.T) {
	_, c := loggedIn(t, WithClock(NewFakeClock(t0)))
	var list []backupView
	c.get("/backups?protected-entity="+DemoVMTenantAWebGUID, &list)
	require.Len(t, list, 2)
	for _, b := range list {
		require.NotNil(t, b.TaskTimeStats, "taskTimeStats is never null")
		assert.Nil(t, b.NetworkInterfaceCards, "NICs come with the details only")
		assert.Nil(t, b.IscsiMountable)
	}
	d := c.backup(DemoBackupTenantAWebIncGUID)
	require.NotNil(t, d.IscsiMountable)
	assert.True(t, *d.IscsiMountable)
	require.Len(t, d.NetworkInterfaceCards, 1)
	nic := d.NetworkInterfaceCards[0]
	assert.Equal(t, "eth0", nic.Name)
	assert.Equal(t, &NameAndGuid{GUID: DemoOpenStackPrivateNetGUID, Name: "private"}, nic.Network)
	assert.Equal(t, &NameAndGuid{GUID: DemoVMTenantAWebGUID, Name: "a-web-1"}, nic.VirtualMachine)
	assert.Len(t, nic.Backups, 1)
	assert.Equal(t, "INCREMENTAL", d.BackupLocations[0].Type.Name, "a location's type is its backup's")
	assert.Equal(t, nic.GUID, c.backup(DemoBackupTenantAWebFullGUID).NetworkInterfaceCards[0].GUID, "the same VM NIC in every backup")
	assert.Len(t, c.backup(DemoBackupTenantAWebFullGUID).NetworkInterfaceCards[0].Backups, 2)

	st, _, raw := c.do("PUT", "/backups/"+DemoBackupTenantAWebIncGUID+"/description", map[string]string{"value": "before upgrade"}, nil)
	require.Equal(t, http.StatusNoContent, st, "%s", raw)
	st, _, raw = c.do("PUT", "/backups/"+DemoBackupTenantAWebIncGUID+"/warnings-acknowledged", map[string]bool{"value": true}, nil)
	require.Equal(t, http.StatusNoContent, st, "%s", raw)
	d = c.backup(DemoBackupTenantAWebIncGUID)
	assert.Equal(t, "before upgrade", d.Description)
	assert.True(t, d.WarningsAcknowledged)

	st, _, _ = c.do("PUT", "/backups/nope/description", map[string]string{"value": "x"}, nil)
	assert.Equal(t, http.StatusNotFound, st)
	st, _, raw = c.do("PUT", "/backups/"+DemoBackupRHV1GUID+"/warnings-acknowledged", `{}`, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "value")
}

func TestBackupTaskTimeStatsFromTasks(t *testing.T) {
	clk := NewFakeClock(t0)
	_, c := loggedIn(t, WithClock(clk))
	c.export(exportBody(DemoVMTenantBAppGUID))
	clk.Advance(time.Minute)
	var list []backupView
	c.get("/backups?protected-entity="+DemoVMTenantBAppGUID, &list)
	require.Len(t, list, 1)
	assert.Equal(t, "SUCCESS", list[0].Status.Name)
	assert.Equal(t, map[string]int64{"queuedExportTime": 0, "exportTime": 3000, "queuedStoreTime": 0, "storeTime": 2000}, *list[0].TaskTimeStats)
	assert.Equal(t, int64(5000), list[0].TaskDurationTime)
}

func TestRetentionMarksAppliedAtCleanup(t *testing.T) {
	clk := NewFakeClock(t0) // Monday 12:00 UTC
	_, c := loggedIn(t, WithClock(clk), WithBackupCleanupTime(2*time.Hour))
	var dests []BackupDestination
	c.get("/backup-destinations", &dests)
	used := dests[0].TotalUsedSpace

	marks := []map[string]any{
		{"guid": DemoBackupTenantAWebFullGUID, "backup": map[string]string{"guid": DemoBackupTenantAWebFullGUID},
			"backupDestination": map[string]string{"guid": DemoDefaultDestinationGUID}, "roleType": map[string]string{"name": "PRIMARY"},
			"retentionHint": map[string]string{"name": "TO_REMOVE", "description": "Mark as expired"}, "archiveExpire": nil},
		{"guid": DemoBackupTenantAWebIncGUID, "retentionHint": "ARCHIVE", "archiveExpire": "2026-01-07T01:00:00.000Z"},
	}
	var rows []RetentionPreview
	st, _, raw := c.do("POST", "/retention/mark-backups/preview", marks, &rows)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	require.Len(t, rows, 2)
	assert.Equal(t, "STANDARD_RETENTION", rows[0].PreviousHint.Name)
	assert.Equal(t, "TO_REMOVE", rows[0].RetentionHint.Name)
	assert.Equal(t, "fs-default", rows[0].BackupDestination.Name)
	assert.Equal(t, "FULL", rows[0].Type.Name)
	keep := time.Date(2026, 1, 7, 1, 0, 0, 0, time.UTC).UnixMilli()
	assert.Equal(t, keep, *rows[1].ArchiveExpire)
	assert.Equal(t, "STANDARD_RETENTION", c.backup(DemoBackupTenantAWebFullGUID).BackupLocations[0].RetentionHint.Name, "a preview changes nothing")

	st, _, raw = c.do("POST", "/retention/mark-backups", marks, nil)
	require.Equal(t, http.StatusNoContent, st, "%s", raw)
	full := c.backup(DemoBackupTenantAWebFullGUID)
	assert.Equal(t, "TO_REMOVE", full.BackupLocations[0].RetentionHint.Name)
	assert.Equal(t, "PRESENT", full.BackupLocations[0].Status.Name, "marks wait for the cleanup")
	inc := c.backup(DemoBackupTenantAWebIncGUID)
	assert.Equal(t, "ARCHIVE", inc.BackupLocations[0].RetentionHint.Name)
	assert.Equal(t, keep, *inc.BackupLocations[0].ArchiveExpire)

	cleanups := func() []wireTask {
		var ts []wireTask
		c.get("/tasks?type=BACKUP_CLEANUP", &ts)
		return ts
	}
	clk.Set(time.Date(2026, 1, 6, 1, 59, 0, 0, time.UTC))
	assert.Empty(t, cleanups(), "no cleanup before the removal time")
	clk.Set(time.Date(2026, 1, 6, 2, 0, 30, 0, time.UTC))
	ts := cleanups()
	require.Len(t, ts, 1)
	assert.Equal(t, "FINISHED", ts[0].State.Name)
	assert.Equal(t, time.Date(2026, 1, 6, 2, 0, 0, 0, time.UTC).UnixMilli(), *ts[0].StartTime)
	assert.Equal(t, "SYSTEM_SCHEDULE", ts[0].OriginEntity.Type.Name)
	full = c.backup(DemoBackupTenantAWebFullGUID)
	assert.Equal(t, "REMOVED", full.BackupLocations[0].Status.Name)
	assert.Equal(t, "SUCCESS_REMOVED", full.Status.Name, "no copy left")
	assert.Equal(t, "PRESENT", c.backup(DemoBackupTenantAWebIncGUID).BackupLocations[0].Status.Name, "kept until Wednesday 01:00")
	c.get("/backup-destinations", &dests)
	assert.Less(t, dests[0].TotalUsedSpace, used)
	var present []location
	c.get("/backup-locations?protected-entity="+DemoVMTenantAWebGUID+"&location-status=PRESENT", &present)
	assert.Len(t, present, 1)

	clk.Set(time.Date(2026, 1, 7, 2, 0, 30, 0, time.UTC))
	require.Len(t, cleanups(), 2, "the day the keep-until date passed")
	assert.Equal(t, "SUCCESS_REMOVED", c.backup(DemoBackupTenantAWebIncGUID).Status.Name)
	clk.Set(time.Date(2026, 1, 12, 3, 0, 0, 0, time.UTC))
	assert.Len(t, cleanups(), 2, "no task on a day with nothing to remove")

	// Back to the policy's retention: nothing to remove.
	st, _, raw = c.do("POST", "/retention/mark-backups", []map[string]any{{"guid": DemoBackupTenantBWebGUID, "retentionHint": "STANDARD_RETENTION"}}, nil)
	require.Equal(t, http.StatusNoContent, st, "%s", raw)
	clk.Advance(48 * time.Hour)
	assert.Len(t, cleanups(), 2)
	assert.Equal(t, "SUCCESS", c.backup(DemoBackupTenantBWebGUID).Status.Name)
}

func TestRetentionMarkValidation(t *testing.T) {
	_, c := loggedIn(t, WithClock(NewFakeClock(t0)))
	bad := []struct {
		body any
		want string
	}{
		{[]any{}, "at least one"},
		{[]map[string]any{{"guid": "nope", "retentionHint": "TO_REMOVE"}}, "[0].guid: unknown backup"},
		{[]map[string]any{{"guid": DemoBackupRHV1GUID}}, "[0].retentionHint"},
		{[]map[string]any{{"guid": DemoBackupRHV1GUID, "retentionHint": "RECREATE"}}, "[0].retentionHint"},
		{[]map[string]any{{"guid": DemoBackupRHV1GUID, "retentionHint": "ARCHIVE"}}, "[0].archiveExpire: is required"},
		{[]map[string]any{{"guid": DemoBackupRHV1GUID, "retentionHint": "ARCHIVE", "archiveExpire": "tomorrow"}}, "[0].archiveExpire"},
		{[]map[string]any{{"guid": DemoBackupRHV1GUID, "retentionHint": "TO_REMOVE", "backupDestination": DemoDefaultDestinationGUID}}, "[0].backupDestination"},
	}
	for _, tc := range bad {
		for _, path := range []string{"/retention/mark-backups", "/retention/mark-backups/preview"} {
			st, _, raw := c.do("POST", path, tc.body, nil)
			assert.Equal(t, http.StatusBadRequest, st, "%v", tc.body)
			assert.Contains(t, errMsg(t, raw), tc.want)
		}
	}
	// archiveExpire in epoch ms is accepted as well.
	st, _, raw := c.do("POST", "/retention/mark-backups", []map[string]any{{"guid": DemoBackupRHV1GUID, "retentionHint": "ARCHIVE", "archiveExpire": t0.Add(time.Hour).UnixMilli()}}, nil)
	require.Equal(t, http.StatusNoContent, st, "%s", raw)
	assert.Equal(t, t0.Add(time.Hour).UnixMilli(), *c.backup(DemoBackupRHV1GUID).BackupLocations[0].ArchiveExpire)
}

func TestDeleteVMFromVProtect(t *testing.T) {
	clk := NewFakeClock(t0)
	_, c := loggedIn(t, WithClock(clk))
	var tasks []wireTask
	st, _, raw := c.do("POST", "/tasks/delete", map[string]string{"value": DemoVMTenantAWebGUID}, &tasks)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	require.Len(t, tasks, 1, "one DELETE task per destination holding backups")
	assert.Equal(t, "DELETE", tasks[0].Type.Name)
	assert.Equal(t, DemoDefaultDestinationGUID, tasks[0].BackupDestination.GUID)
	assert.Equal(t, DemoVMTenantAWebGUID, tasks[0].ProtectedEntity.GUID)
	c.get("/virtual-machines/"+DemoVMTenantAWebGUID, nil)

	clk.Advance(2 * time.Second)
	assert.Equal(t, "FINISHED", c.task(tasks[0].GUID).State.Name)
	st, _, _ = c.do("GET", "/virtual-machines/"+DemoVMTenantAWebGUID, nil, nil)
	assert.Equal(t, http.StatusNotFound, st, "the VM is gone")
	var hist []backupView
	c.get("/backups?protected-entity="+DemoVMTenantAWebGUID, &hist)
	require.Len(t, hist, 2, "the history stays")
	for _, b := range hist {
		assert.Equal(t, "SUCCESS_REMOVED", b.Status.Name)
		assert.Equal(t, "REMOVED", b.BackupLocations[0].Status.Name)
	}

	st, _, raw = c.do("POST", "/tasks/delete", map[string]string{"value": DemoVMTenantAAppGUID}, nil)
	require.Equal(t, http.StatusOK, st)
	assert.JSONEq(t, `[]`, string(raw), "no backups: gone at once")
	st, _, _ = c.do("GET", "/virtual-machines/"+DemoVMTenantAAppGUID, nil, nil)
	assert.Equal(t, http.StatusNotFound, st)

	st, _, raw = c.do("POST", "/tasks/delete", map[string]string{"value": "nope"}, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "value: unknown virtual machine")
	st, _, _ = c.do("POST", "/tasks/delete", `{}`, nil)
	assert.Equal(t, http.StatusBadRequest, st)
}

func TestTaskConsoleBulkRemovals(t *testing.T) {
	clk := NewFakeClock(t0)
	srv, c := loggedIn(t, WithClock(clk), WithoutTaskHistory())
	c.export(exportBody(DemoVMRHV1GUID))
	clk.Advance(time.Minute) // EXPORT and STORE finished
	c.export(exportBody(DemoVMTenantAWebGUID, DemoVMTenantADBGUID, DemoVMTenantAAppGUID, DemoVMTenantBWebGUID))
	states := func() map[string]int {
		n := map[string]int{}
		for _, tk := range srv.Tasks() {
			n[tk.State.Name]++
		}
		return n
	}
	before := states()
	require.Equal(t, 2, before["RUNNING"])
	require.Equal(t, 2, before["QUEUED"])
	require.GreaterOrEqual(t, before["FINISHED"], 2)

	st, _, _ := c.do("DELETE", "/tasks/all-finished", nil, nil)
	require.Equal(t, http.StatusNoContent, st)
	assert.Equal(t, map[string]int{"RUNNING": 2, "QUEUED": 2}, states())

	var queued []wireTask
	c.get("/tasks?state=QUEUED", &queued)
	st, _, _ = c.do("DELETE", "/tasks/all-finished-and-queued", nil, nil)
	require.Equal(t, http.StatusNoContent, st)
	assert.Equal(t, map[string]int{"RUNNING": 2}, states())
	for _, q := range queued {
		assert.Equal(t, "FAILED", c.backup(q.Backup.GUID).Status.Name, "a removed queued export fails its backup")
	}

	st, _, _ = c.do("DELETE", "/tasks/all-running", nil, nil)
	require.Equal(t, http.StatusNoContent, st)
	assert.Equal(t, map[string]int{"CANCELLED": 2}, states(), "cancelled tasks stay listed")
	st, _, _ = c.do("DELETE", "/tasks/all-finished", nil, nil)
	require.Equal(t, http.StatusNoContent, st)
	assert.Empty(t, srv.Tasks(), "CANCELLED counts as finished")
}

func TestRestoreDialogLookups(t *testing.T) {
	_, c := loggedIn(t, WithClock(NewFakeClock(t0)))
	names := func(path string) []string {
		var items []struct{ GUID, Name string }
		c.get(path, &items)
		out := []string{}
		for _, it := range items {
			out = append(out, it.Name)
		}
		return out
	}
	assert.Equal(t, []string{"private", "public"}, names("/network?hypervisor-manager="+DemoOpenStackManagerGUID))
	assert.Equal(t, []string{"ext-shared"}, names("/network/shared?hypervisor-manager="+DemoOpenStackManagerGUID))
	assert.Equal(t, []string{"ovirtmgmt"}, names("/network?hypervisor-manager="+DemoRHVManagerGUID))
	assert.Empty(t, names("/network/shared?hypervisor-manager="+DemoRHVManagerGUID))
	assert.Equal(t, []string{"m1.small", "m1.large"}, names("/virtual-machine-flavors?hypervisor-manager="+DemoOpenStackManagerGUID))
	assert.Empty(t, names("/virtual-machine-flavors?hypervisor-manager="+DemoRHVManagerGUID))
	assert.Equal(t, []string{"tenant-a", "tenant-b"}, names("/projects?hypervisor-manager="+DemoOpenStackManagerGUID))

	var files []BackupFile
	c.get("/backup-files/detailed/for-restore?backup="+DemoBackupTenantAWebIncGUID+"&with-modified-configs=true", &files)
	require.Len(t, files, 2)
	assert.Equal(t, "DISK_INC", files[0].BackupFileType.Name)
	assert.Equal(t, DemoOpenStackStorageUUID, *files[0].StorageID)
	assert.Equal(t, "disk1", files[0].VMDisk.Name)
	assert.Equal(t, &NameAndGuid{GUID: DemoOpenStackStorageGUID, Name: "ceph-volumes"}, files[0].VMDisk.OriginalStorage)
	assert.Equal(t, "VM_CONFIG", files[1].BackupFileType.Name)
	assert.Nil(t, files[1].StorageID)
	var again []BackupFile
	c.get("/backup-files/detailed/for-restore?backup="+DemoBackupTenantAWebIncGUID, &again)
	assert.Equal(t, files, again, "files are recorded once")
	st, _, _ := c.do("GET", "/backup-files/detailed/for-restore", nil, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	st, _, _ = c.do("GET", "/backup-files/detailed/for-restore?backup=nope", nil, nil)
	assert.Equal(t, http.StatusBadRequest, st)
}

// restoreDialogBody is a restore as the 7.4 dialog sends it: backup null,
// the location with its backup, taskFiles, networks, flavor.
func restoreDialogBody(t *testing.T, c *apiClient, backup string) map[string]any {
	var files []BackupFile
	c.get("/backup-files/detailed/for-restore?backup="+backup+"&with-modified-configs=true", &files)
	b := c.backup(backup)
	return map[string]any{
		"backup":            nil,
		"backupLocation":    map[string]any{"guid": b.BackupLocations[0].GUID, "backup": map[string]string{"guid": backup}, "name": "2026-01-04 12:00:00 (fs-default)"},
		"hypervisorManager": map[string]any{"guid": DemoOpenStackManagerGUID, "type": map[string]string{"name": "OPENSTACK"}},
		"restoredPeName":    "a-web-1-copy",
		"restoreClusterId":  DemoOpenStackClusterUUID,
		"taskFiles": []map[string]any{{"backupFile": map[string]string{"guid": files[0].GUID}, "originalDiskName": "disk1",
			"diskName": "disk1-copy", "path": files[0].Path, "excludedFromRestore": false, "storageId": DemoOpenStackStorageUUID}},
		"restoreToOriginalVolumeType": false,
		"restoredNetworks": []map[string]any{{"network": map[string]string{"guid": DemoOpenStackPublicNetGUID},
			"networkInterfaceCard": map[string]string{"guid": b.NetworkInterfaceCards[0].GUID, "name": "eth0"}}},
		"restoreVmFlavor":    map[string]string{"guid": DemoFlavorLargeGUID, "name": "m1.large"},
		"isDiskLayoutActive": false,
		"baseImage":          map[string]any{},
	}
}

func TestRestoreHonoursThePlacement(t *testing.T) {
	clk := NewFakeClock(t0)
	srv, c := loggedIn(t, WithClock(clk), WithTaskModel(Instant))
	var storages []HypervisorStorage
	c.get("/hypervisor-storages?hypervisor-manager="+DemoOpenStackManagerGUID, &storages)
	used := storages[0].TotalUsedSpace

	var rt wireTask
	st, _, raw := c.do("POST", "/tasks/restore-and-import", restoreDialogBody(t, c, DemoBackupTenantAWebFullGUID), &rt)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	clk.Advance(time.Second)
	newVM := rt.DstProtectedEntity.GUID
	var vm VM
	c.get("/virtual-machines/"+newVM, &vm)
	assert.Equal(t, &NameAndGuid{GUID: DemoFlavorLargeGUID, Name: "m1.large"}, vm.VMFlavor)
	c.get("/hypervisor-storages?hypervisor-manager="+DemoOpenStackManagerGUID, &storages)
	assert.Equal(t, used+backupSize(DemoVMTenantAWebGUID, true), storages[0].TotalUsedSpace, "the restored disk takes its size")

	// A backup of the restored VM shows the disk and NIC as placed.
	c.export(exportBody(newVM))
	clk.Advance(time.Second)
	bk := srv.Backups()[len(srv.Backups())-1]
	require.Equal(t, "SUCCESS", bk.Status.Name)
	d := c.backup(bk.GUID)
	assert.Equal(t, DemoOpenStackPublicNetGUID, d.NetworkInterfaceCards[0].Network.GUID)
	var files []BackupFile
	c.get("/backup-files/detailed/for-restore?backup="+bk.GUID, &files)
	assert.Equal(t, "disk1-copy", files[0].VMDisk.Name)

	var jobs []RestoreJob
	c.get("/restore-jobs?protected-entity="+DemoVMTenantAWebGUID, &jobs)
	require.Len(t, jobs, 1)
	j := jobs[0]
	assert.Equal(t, "RESTORE_AND_IMPORT", j.RestoreType.Name)
	assert.Equal(t, "FINISHED", j.Status.Name)
	assert.Equal(t, DemoBackupTenantAWebFullGUID, j.Backup.GUID)
	assert.Equal(t, t0.UnixMilli(), j.RestoreTime)

	// An excluded disk is not restored: nothing more on the storage.
	body := restoreDialogBody(t, c, DemoBackupTenantAWebFullGUID)
	body["taskFiles"].([]map[string]any)[0]["excludedFromRestore"] = true
	body["restoredPeName"] = "a-web-1-nodisk"
	st, _, raw = c.do("POST", "/tasks/restore-and-import", body, &rt)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	clk.Advance(time.Second)
	c.get("/hypervisor-storages?hypervisor-manager="+DemoOpenStackManagerGUID, &storages)
	assert.Equal(t, used+backupSize(DemoVMTenantAWebGUID, true), storages[0].TotalUsedSpace)
	c.get("/restore-jobs", &jobs)
	require.Len(t, jobs, 2)
	assert.Equal(t, "a-web-1-nodisk", srv.VMs()[len(srv.VMs())-1].Name)
	assert.GreaterOrEqual(t, jobs[0].RestoreTime, jobs[1].RestoreTime, "newest first")
	var none []RestoreJob
	c.get("/restore-jobs?to="+strconv.FormatInt(t0.UnixMilli()-1, 10), &none)
	assert.Empty(t, none)
}

func TestRestorePlacementValidation(t *testing.T) {
	_, c := loggedIn(t, WithClock(NewFakeClock(t0)))
	cases := []struct {
		edit func(b map[string]any)
		want string
	}{
		{func(b map[string]any) {
			b["taskFiles"].([]map[string]any)[0]["backupFile"] = map[string]string{"guid": "nope"}
		}, "taskFiles[0].backupFile"},
		{func(b map[string]any) { b["taskFiles"].([]map[string]any)[0]["storageId"] = DemoRHVStorageUUID }, "taskFiles[0].storageId"},
		{func(b map[string]any) {
			b["restoredNetworks"].([]map[string]any)[0]["networkInterfaceCard"] = map[string]string{"guid": "nope"}
		}, "restoredNetworks[0].networkInterfaceCard"},
		{func(b map[string]any) {
			b["restoredNetworks"].([]map[string]any)[0]["network"] = map[string]string{"guid": DemoRHVNetGUID}
		}, "restoredNetworks[0].network"},
		{func(b map[string]any) { b["restoreVmFlavor"] = map[string]string{"guid": "nope"} }, "restoreVmFlavor"},
		{func(b map[string]any) {
			b["backupLocation"].(map[string]any)["backup"] = map[string]string{"guid": DemoBackupRHV1GUID}
		}, "backupLocation.backup"},
	}
	for _, tc := range cases {
		body := restoreDialogBody(t, c, DemoBackupTenantAWebFullGUID)
		tc.edit(body)
		st, _, raw := c.do("POST", "/tasks/restore-and-import", body, nil)
		assert.Equal(t, http.StatusBadRequest, st, tc.want)
		assert.Contains(t, errMsg(t, raw), tc.want)
	}
	// With restoreToOriginalVolumeType the storageId of an entry does not count.
	body := restoreDialogBody(t, c, DemoBackupTenantAWebFullGUID)
	body["restoreToOriginalVolumeType"] = true
	body["taskFiles"].([]map[string]any)[0]["storageId"] = DemoRHVStorageUUID
	st, _, raw := c.do("POST", "/tasks/restore-and-import", body, nil)
	assert.Equal(t, http.StatusCreated, st, "%s", raw)
}

func TestRetentionBackToThePolicy(t *testing.T) {
	clk := NewFakeClock(t0)
	seed := DemoSeedAt(t0)
	seed.Rules[0].RuleBackupDestinations[0].BackupRetentionSettings = RetentionSettings{
		RetentionKeepLastNFull: 1, RetentionKeepFullNewerThan: int64(24 * time.Hour / time.Millisecond),
		RetentionKeepLastNIncremental: 30, RetentionKeepIncrementalNewerThan: int64(30 * 24 * time.Hour / time.Millisecond)}
	_, c := loggedIn(t, WithClock(clk), WithSeed(seed), WithTaskModel(Instant))
	cleanups := func() int {
		var ts []wireTask
		c.get("/tasks?type=BACKUP_CLEANUP", &ts)
		return len(ts)
	}
	// Keep the 3-day-old full backup of a-web-1 until Friday, then a new full one makes it the second.
	mark := func(hint string, expire any) {
		t.Helper()
		st, _, raw := c.do("POST", "/retention/mark-backups", []map[string]any{{"guid": DemoBackupTenantAWebFullGUID,
			"retentionHint": hint, "archiveExpire": expire}}, nil)
		require.Equal(t, http.StatusNoContent, st, "%s", raw)
	}
	mark("ARCHIVE", "2026-01-09T00:00:00Z")
	c.export(exportBody(DemoVMTenantAWebGUID))
	clk.Set(time.Date(2026, 1, 6, 0, 0, 1, 0, time.UTC))
	assert.Equal(t, 0, cleanups(), "the rule would remove it, the mark keeps it")
	assert.Equal(t, "PRESENT", c.backup(DemoBackupTenantAWebFullGUID).BackupLocations[0].Status.Name)

	mark("STANDARD_RETENTION", nil)
	clk.Set(time.Date(2026, 1, 7, 0, 0, 1, 0, time.UTC))
	require.Equal(t, 1, cleanups(), "back under the rule: one full backup kept, newer than a day")
	assert.Equal(t, "SUCCESS_REMOVED", c.backup(DemoBackupTenantAWebFullGUID).Status.Name)
	assert.Equal(t, "SUCCESS", c.backup(DemoBackupTenantAWebIncGUID).Status.Name, "incrementals keep 30")
	var mine []backupView
	c.get("/backups?protected-entity="+DemoVMTenantAWebGUID+"&status=SUCCESS", &mine)
	assert.Len(t, mine, 2, "the new full backup and the incremental")
}
