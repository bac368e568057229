package vprotect

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTasksListQuery(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/tasks", http.StatusOK, fixture(t, "task_list.json"))

	tasks, err := c.Tasks.List(context.Background(), &TaskListOptions{
		ListOptions:           ListOptions{Page: 1, Size: 20, OrderBy: "windowStart", Direction: SortDescending, Filter: "web"},
		ProtectedEntity:       "vm-1",
		Backup:                "bk-1",
		Schedule:              "sched-1",
		State:                 TaskStateRunning,
		States:                []TaskState{TaskStateQueued, TaskStateRunning},
		Type:                  TaskTypeExport,
		TenantID:              "tenant-a",
		Node:                  "node-1",
		Hypervisor:            "hv-1",
		HypervisorManager:     "hvm-1",
		BackupDestination:     "bd-1",
		ParentTask:            "task-0",
		NameLike:              "web",
		RestoreJob:            "rj-1",
		StorageProvider:       "sp-1",
		WorkflowExecution:     "wf-1",
		MountedBackupAssigned: Ptr(false),
	})
	require.NoError(t, err)
	req := captor.only(t)
	assert.Equal(t, http.MethodGet, req.Method)
	assert.Equal(t, "/tasks", req.Path)
	assert.Equal(t, url.Values{
		"page": {"1"}, "size": {"20"}, "orderBy": {"windowStart"}, "direction": {"desc"}, "filter": {"web"},
		"protected-entity": {"vm-1"}, "backup": {"bk-1"}, "schedule": {"sched-1"},
		"state": {"RUNNING"}, "states": {"QUEUED", "RUNNING"}, "type": {"EXPORT"},
		"tenantId": {"tenant-a"}, "project-uuid": {"tenant-a"}, "node": {"node-1"},
		"hypervisor": {"hv-1"}, "hypervisor-manager": {"hvm-1"}, "backup-destination": {"bd-1"},
		"parent-task": {"task-0"}, "nameLike": {"web"}, "restore-job": {"rj-1"},
		"storage-provider": {"sp-1"}, "workflow-execution": {"wf-1"}, "mounted-backup-assigned": {"false"},
	}, req.Query)

	require.Len(t, tasks, 2)
	assert.Equal(t, TaskStateFinished, tasks[0].State.Name)
	assert.True(t, tasks[0].IsTerminal())
	assert.Equal(t, 10*time.Minute, tasks[0].FinishTime.Sub(tasks[0].StartTime.Time))
	assert.Equal(t, &NameAndGuid{GUID: "bk-1", Name: "web-01 backup"}, tasks[0].Backup)
	assert.Equal(t, OriginTypeSchedule, OriginType(tasks[0].OriginEntity.Type.Name))
	assert.Equal(t, TaskTypeStore, tasks[1].Type.Name)
	assert.False(t, tasks[1].IsTerminal())
	assert.Nil(t, tasks[1].ProtectedEntity)
	assert.Equal(t, "web-01", tasks[1].ProtectedEntityDisplayName)
	assert.True(t, tasks[1].StartTime.IsZero(), "a task that never ran has no start time")
	assert.Equal(t, "task-1", tasks[1].ParentTask.GUID)
}

func TestTasksGet(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "=~/tasks/.+$", http.StatusOK, fixture(t, "task_get.json"))

	task, err := c.Tasks.Get(context.Background(), "a/b c")
	require.NoError(t, err)
	req := captor.only(t)
	assert.Equal(t, http.MethodGet, req.Method)
	assert.Equal(t, "/tasks/a%2Fb%20c", req.Path)

	vmType := EnumNameAndDescription{Name: "VM", Description: "Virtual machine"}
	want := &Task{
		GUID:                       "a/b c",
		Type:                       Enum[TaskType]{Name: TaskTypeExport, Description: "Export"},
		State:                      Enum[TaskState]{Name: TaskStateRunning, Description: "Running"},
		Progress:                   66.5,
		ProgressChange:             1.5,
		WindowStart:                TimestampOf(time.UnixMilli(1717000000000)),
		WindowEnd:                  TimestampOf(time.UnixMilli(1717021600000)),
		StartTime:                  TimestampOf(time.UnixMilli(1717000060000)),
		Priority:                   70,
		BackupType:                 Enum[BackupType]{Name: BackupTypeIncremental, Description: "Incremental"},
		ProtectedEntity:            &NameGuidAndType{GUID: "vm-1", Name: "web-01", Type: vmType},
		ProtectedEntityDisplayName: "web-01",
		DstProtectedEntity:         &NameGuidAndType{GUID: "vm-9", Name: "web-01-restored", Type: vmType},
		ProtectedEntitySnapshot:    &NameAndGuid{GUID: "snap-1", Name: "web-01 snapshot"},
		BackupDestination:          &NameAndGuid{GUID: "bd-1", Name: "xfs-primary"},
		Hypervisor:                 &NameAndGuid{GUID: "hv-1", Name: "kvm-host-1"},
		HypervisorManager:          &NameAndGuid{GUID: "hvm-1", Name: "openstack-east"},
		Node:                       &NameAndGuid{GUID: "node-1", Name: "vprotect-node-1"},
		OriginEntity:               &NameGuidAndType{GUID: "user-1", Name: "admin", Type: EnumNameAndDescription{Name: "USER", Description: "User"}},
		StatusInfo:                 "Exporting disk vda",
		RestoreType:                Enum[RestoreType]{Name: RestoreTypeRestoreAndImport, Description: "Restore and import"},
		ParentTask:                 &NameAndGuid{GUID: "task-0", Name: "parent"},
		WorkflowExecution:          &NameAndGuid{GUID: "wf-1", Name: "workflow 1"},
		RetryCount:                 2,
		ProcessedObjectCount:       1,
		TotalObjectCount:           3,
		PowerOnAfterRestore:        true,
		StorageProvider:            &NameAndGuid{GUID: "sp-1", Name: "ceph"},
		CloudServiceProvider:       &NameAndGuid{GUID: "csp-1", Name: "m365"},
		OSAgent:                    &NameAndGuid{GUID: "osa-1", Name: "agent-1"},
		TapeManager:                &NameAndGuid{GUID: "tm-1", Name: "tapes"},
		Backup:                     &NameAndGuid{GUID: "bk-1", Name: "web-01 backup"},
	}
	// Timestamps compare by instant; the location differs after decoding.
	for _, p := range []struct{ want, got *Timestamp }{
		{&want.WindowStart, &task.WindowStart}, {&want.WindowEnd, &task.WindowEnd},
		{&want.StartTime, &task.StartTime}, {&want.FinishTime, &task.FinishTime},
	} {
		assert.True(t, p.want.Equal(p.got.Time), "%v != %v", p.want, p.got)
		*p.want = *p.got
	}
	assert.Equal(t, want, task)
	assert.True(t, task.FinishTime.IsZero())
}

func TestTasksExportGolden(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodPost, "/tasks/export", http.StatusOK, fixture(t, "export_array.json"))

	start := time.UnixMilli(1717000000000)
	res, err := c.Tasks.Export(context.Background(), ExportRequest{
		ProtectedEntities: []string{"vm-1", "vm-2"},
		BackupType:        BackupTypeFull,
		BackupDestination: "bd-1",
		Rules:             []string{"rule-1"},
		Priority:          Ptr(80),
		WindowStart:       start,
		WindowEnd:         start.Add(6 * time.Hour),
		RetryCount:        2,
		TenantID:          "tenant-a",
	})
	require.NoError(t, err)
	req := captor.only(t)
	assert.Equal(t, http.MethodPost, req.Method)
	assert.Equal(t, "/tasks/export", req.Path)
	assert.Equal(t, url.Values{"project-uuid": {"tenant-a"}}, req.Query, "the tenant as a 7.x server reads it")
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assertGolden(t, "export_full.json", req.Body)

	require.Len(t, res.Tasks, 2)
	assert.Equal(t, "task-1", res.Tasks[0].GUID)
	assert.Equal(t, &NameAndGuid{GUID: "bk-2", Name: "db-01 backup"}, res.Tasks[1].Backup)
	assert.Equal(t, []NameAndGuid{{GUID: "vm-1", Name: "web-01"}, {GUID: "vm-2", Name: "db-01"}}, res.Successful)
	assert.Empty(t, res.Unsuccessful)
}

func TestTasksExportDefaults(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodPost, "/tasks/export", http.StatusOK, fixture(t, "export_single.json"))

	before := time.Now().UnixMilli()
	res, err := c.Tasks.Export(context.Background(), ExportRequest{ProtectedEntities: []string{"vm-1"}, Priority: Ptr(0)})
	after := time.Now().UnixMilli()
	require.NoError(t, err)

	var body map[string]any
	require.NoError(t, json.Unmarshal(captor.only(t).Body, &body))
	ws, ok := body["windowStart"].(float64)
	require.True(t, ok, "windowStart is sent: %s", captor.only(t).Body)
	assert.GreaterOrEqual(t, int64(ws), before)
	assert.LessOrEqual(t, int64(ws), after)
	delete(body, "windowStart")
	assert.Equal(t, map[string]any{
		"backupType":        map[string]any{"name": "FULL"},
		"protectedEntities": []any{map[string]any{"guid": "vm-1"}},
		"priority":          float64(0),
	}, body, "priority 0 is kept, windowEnd is left to the server")

	require.Len(t, res.Tasks, 1)
	assert.Equal(t, []NameAndGuid{{GUID: "vm-1", Name: "web-01"}}, res.Successful)

	// No priority at all means the default 50.
	respondJSON(mt, http.MethodPost, "/tasks/export", http.StatusOK, fixture(t, "export_single.json"))
	captor2 := respondJSON(mt, http.MethodPost, "/tasks/export", http.StatusOK, fixture(t, "export_single.json"))
	_, err = c.Tasks.Export(context.Background(), ExportRequest{ProtectedEntities: []string{"vm-1"}, BackupType: BackupTypeIncremental})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(captor2.only(t).Body, &body))
	assert.Equal(t, float64(DefaultTaskPriority), body["priority"])
	assert.Equal(t, map[string]any{"name": "INCREMENTAL"}, body["backupType"])
}

func TestExportResultShapes(t *testing.T) {
	tests := []struct {
		name           string
		body           string
		tasks          []string
		ok, notOK      []NameAndGuid
		wantBackupGUID string
	}{
		{"array", string(fixture(t, "export_array.json")), []string{"task-1", "task-2"},
			[]NameAndGuid{{GUID: "vm-1", Name: "web-01"}, {GUID: "vm-2", Name: "db-01"}}, []NameAndGuid{}, "bk-1"},
		{"single", string(fixture(t, "export_single.json")), []string{"task-1"},
			[]NameAndGuid{{GUID: "vm-1", Name: "web-01"}}, []NameAndGuid{}, "bk-1"},
		{"envelope", string(fixture(t, "export_envelope.json")), []string{"task-1"},
			[]NameAndGuid{{GUID: "vm-1", Name: "web-01"}}, []NameAndGuid{{GUID: "vm-3", Name: "gone-01"}}, "bk-1"},
		{"envelope without successful", `{"tasks":[{"guid":"t","protectedEntity":{"guid":"vm-7","name":"x"}}],"unsuccessful":[]}`,
			[]string{"t"}, []NameAndGuid{{GUID: "vm-7", Name: "x"}}, []NameAndGuid{}, ""},
		{"empty array", `[]`, []string{}, []NameAndGuid{}, []NameAndGuid{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r ExportResult
			require.NoError(t, json.Unmarshal([]byte(tt.body), &r))
			guids := []string{}
			for _, task := range r.Tasks {
				guids = append(guids, task.GUID)
			}
			assert.Equal(t, tt.tasks, guids)
			assert.Equal(t, tt.ok, r.Successful)
			assert.Equal(t, tt.notOK, r.Unsuccessful)
			if tt.wantBackupGUID != "" {
				assert.Equal(t, tt.wantBackupGUID, r.Tasks[0].Backup.GUID)
			}
		})
	}
	var r ExportResult
	assert.Error(t, json.Unmarshal([]byte(`"task-1"`), &r))
}

func TestTasksExportEnvelope(t *testing.T) {
	c, mt := newTestClient(t)
	respondJSON(mt, http.MethodPost, "/tasks/export", http.StatusOK, fixture(t, "export_envelope.json"))
	res, err := c.Tasks.Export(context.Background(), ExportRequest{
		ProtectedEntities: []string{"vm-1", "vm-3"},
		WindowStart:       time.UnixMilli(1717000000000),
	})
	require.NoError(t, err)
	assert.Equal(t, []NameAndGuid{{GUID: "vm-3", Name: "gone-01"}}, res.Unsuccessful)
	assert.Len(t, res.Tasks, 1)
}

func TestTasksRestoreAndImportGolden(t *testing.T) {
	tests := []struct {
		name   string
		golden string
		req    RestoreRequest
	}{
		{"guide form", "restore_guide.json", RestoreRequest{
			Backup:            "bk-1",
			HypervisorManager: "hvm-1",
			RestoredPEName:    "web-01-restored",
			RestoreStorageID:  "storage-uuid",
			RestoreClusterID:  "cluster-uuid",
			RestoreProject:    "tenant-a",
			DataCenter:        "Default",
			TenantID:          "tenant-a",
		}},
		{"7.x form", "restore_full.json", RestoreRequest{
			Backup:                      "bk-1",
			BackupLocation:              "loc-1",
			Hypervisor:                  "hv-1",
			RestoredPEName:              "web-01-restored",
			Overwrite:                   true,
			DiskAllocationFormat:        DiskAllocationFormatSparse,
			RestoreToOriginalVolumeType: true,
			VMFlavor:                    "fl-1",
			Networks: []RestoredNetwork{
				{Network: "net-1", NetworkInterfaceCard: "nic-1", SecurityGroups: []string{"sg-1"}, MACAddress: "fa:16:3e:00:00:01"},
				{Network: "net-2", NetworkInterfaceCard: "nic-2"},
			},
		}},
		{"7.x restore dialog", "restore_dialog.json", RestoreRequest{
			Backup:            "bk-1",
			BackupLocation:    "loc-1",
			HypervisorManager: "hvm-1",
			RestoredPEName:    "web-01-copy",
			RestoreClusterID:  "cluster-uuid",
			VMFlavor:          "fl-1",
			TaskFiles: []RestoreTaskFile{
				{BackupFile: "bf-1", Path: "/vprotect_data/web-01/disk1.qcow2", OriginalDiskName: "disk1", DiskName: "disk1-restored", StorageID: "st-uuid-2"},
				RestoreTaskFileOf(BackupFile{GUID: "bf-2", Path: "/vprotect_data/web-01/disk2.qcow2",
					VMDisk: &BackupFileDisk{Name: "disk2", ExcludedFromBackup: true}}),
			},
			Networks: []RestoredNetwork{{Network: "net-1", NetworkInterfaceCard: "nic-1"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newTestClient(t)
			captor := respondJSON(mt, http.MethodPost, "/tasks/restore-and-import", http.StatusOK, fixture(t, "restore_task.json"))
			task, err := c.Tasks.RestoreAndImport(context.Background(), tt.req)
			require.NoError(t, err)
			req := captor.only(t)
			assert.Equal(t, http.MethodPost, req.Method)
			assert.Equal(t, "/tasks/restore-and-import", req.Path)
			if tt.req.TenantID != "" {
				assert.Equal(t, url.Values{"project-uuid": {tt.req.TenantID}}, req.Query, "the tenant as a 7.x server reads it")
			} else {
				assert.Empty(t, req.Query)
			}
			assertGolden(t, tt.golden, req.Body)

			assert.Equal(t, "task-r1", task.GUID)
			assert.Equal(t, TaskTypeRestore, task.Type.Name)
			assert.Equal(t, RestoreTypeRestoreAndImport, task.RestoreType.Name)
			assert.Equal(t, "web-01-restored", task.DstProtectedEntity.Name)
		})
	}
}

func TestRestoreTaskFileOf(t *testing.T) {
	f := BackupFile{GUID: "bf-1", Path: "/p/disk1.qcow2", StorageID: "st-uuid",
		VMDisk: &BackupFileDisk{GUID: "d-1", Name: "disk1", ExcludedFromBackup: true}}
	assert.Equal(t, RestoreTaskFile{BackupFile: "bf-1", Path: "/p/disk1.qcow2", OriginalDiskName: "disk1", DiskName: "disk1",
		StorageID: "st-uuid", ExcludedFromRestore: true}, RestoreTaskFileOf(f))
	assert.Equal(t, RestoreTaskFile{BackupFile: "bf-3", Path: "/p/vm.xml"}, RestoreTaskFileOf(BackupFile{GUID: "bf-3", Path: "/p/vm.xml"}))
}

func TestTasksCancelAndDelete(t *testing.T) {
	c, mt := newTestClient(t)
	cancel := respondJSON(mt, http.MethodPut, "=~/tasks/.+/state$", http.StatusNoContent, nil)
	del := respondJSON(mt, http.MethodDelete, "=~/tasks/.+$", http.StatusNoContent, nil)

	require.NoError(t, c.Tasks.Cancel(context.Background(), "a/b c"))
	req := cancel.only(t)
	assert.Equal(t, http.MethodPut, req.Method)
	assert.Equal(t, "/tasks/a%2Fb%20c/state", req.Path)
	assertGolden(t, "task_cancel.json", req.Body)

	require.NoError(t, c.Tasks.Delete(context.Background(), "a/b c"))
	req = del.only(t)
	assert.Equal(t, http.MethodDelete, req.Method)
	assert.Equal(t, "/tasks/a%2Fb%20c", req.Path)
	assert.Empty(t, req.Body)
}

func TestTasksExportNotRetried(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodPost, "/tasks/export", http.StatusServiceUnavailable, `{"message":"busy"}`)
	_, err := c.Tasks.Export(context.Background(), ExportRequest{ProtectedEntities: []string{"vm-1"}})
	require.ErrorIs(t, err, ErrServer)
	assert.Len(t, captor.all(), 1, "a POST /tasks/export is never re-sent")
}

func TestTasksBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	ctx := context.Background()
	start := time.UnixMilli(1717000000000)
	ok := func(f func(*ExportRequest)) ExportRequest {
		r := ExportRequest{ProtectedEntities: []string{"vm-1"}, WindowStart: start}
		f(&r)
		return r
	}
	exports := []struct {
		field string
		req   ExportRequest
	}{
		{"ExportRequest.ProtectedEntities", ExportRequest{}},
		{"ExportRequest.ProtectedEntities[1]", ok(func(r *ExportRequest) { r.ProtectedEntities = []string{"vm-1", " "} })},
		{"ExportRequest.Rules[0]", ok(func(r *ExportRequest) { r.Rules = []string{""} })},
		{"ExportRequest.Priority", ok(func(r *ExportRequest) { r.Priority = Ptr(101) })},
		{"ExportRequest.Priority", ok(func(r *ExportRequest) { r.Priority = Ptr(-1) })},
		{"ExportRequest.RetryCount", ok(func(r *ExportRequest) { r.RetryCount = -1 })},
		{"ExportRequest.BackupType", ok(func(r *ExportRequest) { r.BackupType = BackupTypeSynchronization })},
		{"ExportRequest.WindowEnd", ok(func(r *ExportRequest) { r.WindowEnd = start })},
		{"ExportRequest.WindowEnd", ok(func(r *ExportRequest) { r.WindowEnd = start.Add(-time.Hour) })},
	}
	for _, tt := range exports {
		_, err := c.Tasks.Export(ctx, tt.req)
		requireArgError(t, err, tt.field)
	}

	restores := []struct {
		field string
		req   RestoreRequest
	}{
		{"RestoreRequest.Backup", RestoreRequest{Hypervisor: "hv-1"}},
		{"RestoreRequest.HypervisorManager", RestoreRequest{Backup: "bk-1"}},
		{"RestoreRequest.Hypervisor", RestoreRequest{Backup: "bk-1", Hypervisor: "hv-1", HypervisorManager: "hvm-1"}},
		{"RestoreRequest.BackupLocation", RestoreRequest{Backup: "bk-1", BackupLocation: " ", Hypervisor: "hv-1"}},
		{"RestoreRequest.Networks[0].NetworkInterfaceCard", RestoreRequest{Backup: "bk-1", Hypervisor: "hv-1",
			Networks: []RestoredNetwork{{Network: "net-1"}}}},
		{"RestoreRequest.TaskFiles[1].BackupFile", RestoreRequest{Backup: "bk-1", Hypervisor: "hv-1",
			TaskFiles: []RestoreTaskFile{{BackupFile: "bf-1"}, {DiskName: "d"}}}},
	}
	for _, tt := range restores {
		_, err := c.Tasks.RestoreAndImport(ctx, tt.req)
		requireArgError(t, err, tt.field)
	}

	_, err := c.Tasks.Get(ctx, "")
	requireArgError(t, err, "guid")
	requireArgError(t, c.Tasks.Cancel(ctx, ""), "guid")
	requireArgError(t, c.Tasks.Delete(ctx, "\t"), "guid")
	_, err = c.Tasks.List(ctx, &TaskListOptions{ListOptions: ListOptions{Size: -2}})
	requireArgError(t, err, "ListOptions.Size")
	_, err = c.Tasks.ListPage(ctx, &TaskListOptions{ListOptions: ListOptions{Page: 3}})
	requireArgError(t, err, "ListOptions.Page")
	for _, err := range c.Tasks.All(ctx, &TaskListOptions{ListOptions: ListOptions{Direction: "x"}}) {
		requireArgError(t, err, "ListOptions.Direction")
	}
}
