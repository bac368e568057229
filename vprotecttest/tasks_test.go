package vprotecttest

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func exportBody(vms ...string) map[string]any {
	var pes []map[string]string
	for _, v := range vms {
		pes = append(pes, map[string]string{"guid": v})
	}
	return map[string]any{"backupType": map[string]string{"name": "FULL"}, "protectedEntities": pes}
}

func (c *apiClient) export(body any) []wireTask {
	c.t.Helper()
	var tasks []wireTask
	st, _, raw := c.do("POST", "/tasks/export", body, &tasks)
	require.Equal(c.t, http.StatusCreated, st, "%s", raw)
	return tasks
}

func (c *apiClient) task(guid string) wireTask {
	c.t.Helper()
	var tk wireTask
	c.get("/tasks/"+guid, &tk)
	return tk
}

func TestExportStoreChainTimed(t *testing.T) {
	clk := NewFakeClock(t0)
	srv, c := loggedIn(t, WithClock(clk))
	before := srv.VMs()[2] // a-app-1 has no backups
	require.Equal(t, DemoVMTenantAAppGUID, before.GUID)
	require.Nil(t, before.LastBackup)

	tasks := c.export(exportBody(DemoVMTenantAAppGUID))
	require.Len(t, tasks, 1)
	exp := tasks[0]
	assert.Equal(t, "EXPORT", exp.Type.Name)
	assert.Equal(t, "RUNNING", exp.State.Name, "a free node starts the task at once")
	assert.Equal(t, 50, exp.Priority)
	assert.Equal(t, t0.UnixMilli(), exp.WindowStart)
	assert.Equal(t, t0.Add(6*time.Hour).UnixMilli(), exp.WindowEnd)
	assert.Equal(t, DemoDefaultDestinationGUID, exp.BackupDestination.GUID)
	assert.Equal(t, "USER", exp.OriginEntity.Type.Name)
	require.NotNil(t, exp.Backup)

	var b Backup
	c.get("/backups/"+exp.Backup.GUID, &b)
	assert.Equal(t, "IN_PROGRESS", b.Status.Name)
	assert.Equal(t, "In progress", b.Status.Description)

	clk.Advance(1500 * time.Millisecond)
	tk := c.task(exp.GUID)
	assert.Equal(t, "RUNNING", tk.State.Name)
	assert.InDelta(t, 50.0, tk.Progress, 0.1)

	clk.Advance(2 * time.Second) // export done at +3s, store runs 3s..5s
	tk = c.task(exp.GUID)
	assert.Equal(t, "FINISHED", tk.State.Name)
	assert.Equal(t, 100.0, tk.Progress)
	assert.Equal(t, t0.Add(3*time.Second).UnixMilli(), *tk.FinishTime)

	var stores []wireTask
	c.get("/tasks?type=STORE&parent-task="+exp.GUID, &stores)
	require.Len(t, stores, 1)
	assert.Equal(t, "RUNNING", stores[0].State.Name)
	assert.Equal(t, exp.Backup.GUID, stores[0].Backup.GUID)
	assert.Equal(t, t0.Add(3*time.Second).UnixMilli(), *stores[0].StartTime)

	clk.Advance(2 * time.Second)
	c.get("/backups/"+exp.Backup.GUID, &b)
	assert.Equal(t, "SUCCESS", b.Status.Name)
	assert.Greater(t, b.Size, int64(0))
	assert.Equal(t, backupSize(DemoVMTenantAAppGUID, true), b.Size, "deterministic size")
	require.Len(t, b.BackupLocations, 1)
	assert.Equal(t, "PRESENT", b.BackupLocations[0].Status.Name)
	assert.Equal(t, t0.Add(5*time.Second).UnixMilli(), *b.BackupTime)

	var vm VM
	c.get("/virtual-machines/"+DemoVMTenantAAppGUID, &vm)
	require.NotNil(t, vm.LastBackup)
	assert.Equal(t, t0.Add(5*time.Second).UnixMilli(), *vm.LastBackup)
	assert.Equal(t, b.Size, vm.LastSuccessfulBackupSize)
	assert.Equal(t, b.Size, vm.LastSuccessfulFullBackupSize)
	require.NotNil(t, vm.BackupUpToDate)
	assert.True(t, *vm.BackupUpToDate)
}

func TestExportInstantAndShapes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		shape ExportShape
		check func(t *testing.T, raw []byte)
	}{
		{"array", ExportArray, func(t *testing.T, raw []byte) { assert.Equal(t, byte('['), raw[0]) }},
		{"single", ExportSingle, func(t *testing.T, raw []byte) { assert.Regexp(t, `^\{"guid"`, string(raw)) }},
		{"envelope", ExportEnvelope, func(t *testing.T, raw []byte) {
			assert.Regexp(t, `^\{"successful":\[\{"guid":"`+DemoVMRHV2GUID+`","name":"rhv-vm-2"\}.*\],"unsuccessful":\[\],"tasks":\[`, string(raw))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := loggedIn(t, WithTaskModel(Instant), WithExportResponse(tc.shape), WithoutTaskHistory())
			st, h, raw := c.do("POST", "/tasks/export", exportBody(DemoVMRHV2GUID, DemoVMRHV3GUID), nil)
			require.Equal(t, http.StatusCreated, st)
			assert.Equal(t, "application/json", h.Get("Content-Type"))
			tc.check(t, raw)
			tasks := srv.Tasks()
			require.Len(t, tasks, 4, "two exports and two stores")
			for _, tk := range tasks {
				assert.Equal(t, "FINISHED", tk.State.Name)
			}
			for _, b := range srv.Backups()[seededBackups:] {
				assert.Equal(t, "SUCCESS", b.Status.Name)
			}
		})
	}
}

func TestExportValidation(t *testing.T) {
	_, c := loggedIn(t)
	for _, tc := range []struct {
		name string
		body any
		msg  string
	}{
		{"no body", nil, "request body is required"},
		{"bad json", "{", "invalid JSON body"},
		{"no vms", map[string]any{"backupType": "FULL"}, "protectedEntities: must not be empty"},
		{"unknown vm", exportBody("nope"), "protectedEntities[0]: unknown virtual machine nope"},
		{"not present", exportBody(DemoVMRemovedGUID), "protectedEntities[0]: virtual machine " + DemoVMRemovedGUID + " is no longer present"},
		{"bad type", map[string]any{"backupType": "DIFF", "protectedEntities": []string{DemoVMRHV1GUID}}, "backupType: must be FULL or INCREMENTAL"},
		{"priority", map[string]any{"priority": 101, "protectedEntities": []string{DemoVMRHV1GUID}}, "priority: must be between 0 and 100"},
		{"window", map[string]any{"windowStart": 2000, "windowEnd": 1000, "protectedEntities": []string{DemoVMRHV1GUID}}, "windowEnd: must be after windowStart"},
		{"destination", map[string]any{"backupDestination": "nope", "protectedEntities": []string{DemoVMRHV1GUID}}, "backupDestination: unknown backup destination nope"},
		{"rule", map[string]any{"rules": []string{"nope"}, "protectedEntities": []string{DemoVMRHV1GUID}}, `rules[0]: unknown rule "nope"`},
		{"wrong type", map[string]any{"priority": "high", "protectedEntities": []string{DemoVMRHV1GUID}}, `priority: "high" is not a whole number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, _, raw := c.do("POST", "/tasks/export", tc.body, nil)
			assert.Equal(t, http.StatusBadRequest, st)
			assert.Contains(t, errMsg(t, raw), tc.msg)
		})
	}
}

func TestExportDestinationChoice(t *testing.T) {
	_, c := loggedIn(t, WithTaskModel(Instant))
	// Bare strings for enums and references work as well as objects.
	tk := c.export(map[string]any{"backupType": "INCREMENTAL", "backupDestination": DemoS3DestinationGUID, "protectedEntities": []string{DemoVMTenantBDBGUID}})
	assert.Equal(t, DemoS3DestinationGUID, tk[0].BackupDestination.GUID)
	// A rule's primary destination.
	tk = c.export(map[string]any{"rules": []map[string]string{{"guid": DemoRuleGUID, "name": "Default"}}, "protectedEntities": []map[string]any{{"guid": DemoVMTenantBDBGUID, "name": "x"}}})
	assert.Equal(t, DemoDefaultDestinationGUID, tk[0].BackupDestination.GUID)
	// The VM's policy's rule (a-web-1 is in "gold").
	tk = c.export(exportBody(DemoVMTenantAWebGUID))
	assert.Equal(t, DemoDefaultDestinationGUID, tk[0].BackupDestination.GUID)
	var b Backup
	c.get("/backups/"+tk[0].Backup.GUID, &b)
	require.NotNil(t, b.BackupRule)
	assert.Equal(t, DemoRuleGUID, b.BackupRule.GUID)
	// INCREMENTAL with no earlier backup falls back to FULL.
	tk = c.export(map[string]any{"backupType": "INCREMENTAL", "protectedEntities": []string{DemoVMTenantBAppGUID}})
	c.get("/backups/"+tk[0].Backup.GUID, &b)
	assert.Equal(t, "FULL", b.Type.Name)
}

func TestQueuePriorityAndConcurrency(t *testing.T) {
	clk := NewFakeClock(t0)
	srv, c := loggedIn(t, WithClock(clk), WithConcurrentTasksPerNode(2), WithoutTaskHistory(),
		WithTaskDurations(map[string]time.Duration{"EXPORT": 10 * time.Second, "STORE": 10 * time.Second}))
	low := c.export(exportBody(DemoVMRHV1GUID, DemoVMRHV2GUID, DemoVMRHV3GUID))
	high := c.export(map[string]any{"priority": 90, "protectedEntities": []string{DemoVMTenantBWebGUID}})
	assert.Equal(t, "RUNNING", low[0].State.Name)
	assert.Equal(t, "RUNNING", low[1].State.Name)
	assert.Equal(t, "QUEUED", low[2].State.Name)
	assert.Equal(t, "QUEUED", high[0].State.Name)

	var queued []wireTask
	h := c.get("/tasks?state=QUEUED", &queued)
	assert.Len(t, queued, 2)
	assert.Equal(t, "2", h.Get("X-Total-Count"))

	clk.Advance(10 * time.Second)
	// At +10s both first exports finish: two STOREs (prio 50, created at 10s)
	// and the two queued exports compete; priority 90 goes first, then FIFO.
	tk := c.task(high[0].GUID)
	assert.Equal(t, "RUNNING", tk.State.Name)
	assert.Equal(t, t0.Add(10*time.Second).UnixMilli(), *tk.StartTime)
	assert.Equal(t, "RUNNING", c.task(low[2].GUID).State.Name, "older than the STOREs")
	var running []wireTask
	c.get("/tasks?states=RUNNING&states=QUEUED", &running)
	assert.Len(t, running, 4)

	clk.Advance(time.Hour)
	for _, tk := range srv.Tasks() {
		assert.Equal(t, "FINISHED", tk.State.Name, tk.Type.Name)
	}
	assert.Len(t, srv.Tasks(), 8)
}

func TestWindowExpiry(t *testing.T) {
	clk := NewFakeClock(t0)
	srv, c := loggedIn(t, WithClock(clk), WithConcurrentTasksPerNode(1),
		WithTaskDurations(map[string]time.Duration{"EXPORT": time.Hour, "STORE": time.Hour}))
	first := c.export(exportBody(DemoVMRHV1GUID))
	short := c.export(map[string]any{"protectedEntities": []string{DemoVMRHV2GUID},
		"windowStart": t0.UnixMilli(), "windowEnd": t0.Add(30 * time.Minute).UnixMilli()})
	assert.Equal(t, "RUNNING", first[0].State.Name)
	assert.Equal(t, "QUEUED", short[0].State.Name)
	clk.Advance(31 * time.Minute)
	tk := c.task(short[0].GUID)
	assert.Equal(t, "FAILED", tk.State.Name)
	assert.Contains(t, tk.StatusInfo, "window expired")
	assert.Equal(t, t0.Add(30*time.Minute).UnixMilli(), *tk.FinishTime)
	var b Backup
	c.get("/backups/"+short[0].Backup.GUID, &b)
	assert.Equal(t, "FAILED", b.Status.Name)
	_ = srv
}

func TestCancelAndDelete(t *testing.T) {
	clk := NewFakeClock(t0)
	srv, c := loggedIn(t, WithClock(clk), WithConcurrentTasksPerNode(1), WithoutTaskHistory())
	tasks := c.export(exportBody(DemoVMRHV1GUID, DemoVMRHV2GUID, DemoVMRHV3GUID))
	run, queued, third := tasks[0], tasks[1], tasks[2]

	var got wireTask
	st, _, raw := c.do("PUT", "/tasks/"+run.GUID+"/state", map[string]any{"state": map[string]string{"name": "CANCELLED"}, "statusInfo": "Canceled by user"}, &got)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	assert.Equal(t, "CANCELLED", got.State.Name)
	assert.Equal(t, "Canceled by user", got.StatusInfo)
	var b Backup
	c.get("/backups/"+run.Backup.GUID, &b)
	assert.Equal(t, "FAILED", b.Status.Name)
	assert.Equal(t, "RUNNING", c.task(queued.GUID).State.Name, "the slot went to the next task")

	st, _, _ = c.do("PUT", "/tasks/"+run.GUID+"/state", map[string]any{"state": "CANCELLED"}, nil)
	assert.Equal(t, http.StatusConflict, st)
	st, _, raw = c.do("PUT", "/tasks/"+queued.GUID+"/state", map[string]any{"state": "FINISHED"}, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "state: only CANCELLED")

	// DELETE cancels a queued task and deletes a finished one.
	st, _, _ = c.do("DELETE", "/tasks/"+third.GUID, nil, nil)
	assert.Equal(t, http.StatusNoContent, st)
	assert.Equal(t, "CANCELLED", c.task(third.GUID).State.Name)
	st, _, _ = c.do("DELETE", "/tasks/"+third.GUID, nil, nil)
	assert.Equal(t, http.StatusNoContent, st)
	st, _, _ = c.do("GET", "/tasks/"+third.GUID, nil, nil)
	assert.Equal(t, http.StatusNotFound, st)

	clk.Advance(time.Minute)
	var stores []wireTask
	c.get("/tasks?type=STORE", &stores)
	require.Len(t, stores, 1, "no STORE for the cancelled export")
	assert.Equal(t, queued.GUID, stores[0].ParentTask.GUID)
	_ = srv
}

func TestFailNextTask(t *testing.T) {
	srv, c := loggedIn(t, WithTaskModel(Instant), WithoutTaskHistory())
	srv.FailNextTask("STORE", DemoVMRHV2GUID, "staging space full")
	srv.FailNextTask("EXPORT", "", "snapshot failed")
	tasks := c.export(exportBody(DemoVMRHV1GUID, DemoVMRHV2GUID))
	assert.Equal(t, "FAILED", tasks[0].State.Name)
	assert.Equal(t, "snapshot failed", tasks[0].StatusInfo)
	assert.Equal(t, "FINISHED", tasks[1].State.Name)
	var stores []wireTask
	c.get("/tasks?type=STORE", &stores)
	require.Len(t, stores, 1)
	assert.Equal(t, "FAILED", stores[0].State.Name)
	assert.Equal(t, "staging space full", stores[0].StatusInfo)
	var b Backup
	c.get("/backups/"+tasks[1].Backup.GUID, &b)
	assert.Equal(t, "FAILED", b.Status.Name)
	assert.Equal(t, "staging space full", b.StatusInfo)
	// Consumed: the next export succeeds.
	tasks = c.export(exportBody(DemoVMRHV2GUID))
	c.get("/backups/"+tasks[0].Backup.GUID, &b)
	assert.Equal(t, "SUCCESS", b.Status.Name)
}

func TestStepPerPoll(t *testing.T) {
	srv, c := loggedIn(t, WithTaskModel(StepPerPoll), WithoutTaskHistory())
	tk := c.export(exportBody(DemoVMRHV1GUID))[0]
	assert.Equal(t, "QUEUED", tk.State.Name)
	var seen []string
	for i := 0; i < 3; i++ {
		got := c.task(tk.GUID)
		seen = append(seen, fmt.Sprintf("%s %.0f", got.State.Name, got.Progress))
	}
	assert.Equal(t, []string{"RUNNING 0", "RUNNING 50", "FINISHED 100"}, seen)
	// The STORE steps through list reads too.
	var page []wireTask
	for _, want := range []string{"RUNNING 0", "RUNNING 50", "FINISHED 100"} {
		c.get("/tasks?type=STORE", &page)
		require.Len(t, page, 1)
		assert.Equal(t, want, fmt.Sprintf("%s %.0f", page[0].State.Name, page[0].Progress))
	}
	assert.Equal(t, "SUCCESS", srv.Backups()[seededBackups].Status.Name)
	// Accessors never step.
	tk = c.export(exportBody(DemoVMRHV2GUID))[0]
	got, ok := srv.Task(tk.GUID)
	require.True(t, ok)
	got, _ = srv.Task(tk.GUID)
	assert.Equal(t, "QUEUED", got.State.Name)
}

func TestRestoreAndImport(t *testing.T) {
	clk := NewFakeClock(t0)
	srv, c := loggedIn(t, WithClock(clk))
	var rt wireTask
	st, _, raw := c.do("POST", "/tasks/restore-and-import", map[string]any{
		"backup": DemoBackupTenantAWebFullGUID, "hypervisorManager": map[string]string{"guid": DemoOpenStackManagerGUID},
		"restoredPeName": "a-web-1-restored", "restoreClusterId": DemoOpenStackClusterUUID, "restoreStorageId": DemoOpenStackStorageUUID,
	}, &rt)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	assert.Equal(t, "RESTORE", rt.Type.Name)
	assert.Equal(t, "a-web-1-restored", rt.DstProtectedEntity.Name)
	assert.Equal(t, DemoVMTenantAWebGUID, rt.ProtectedEntity.GUID)
	newGUID := rt.DstProtectedEntity.GUID

	st, _, _ = c.do("GET", "/virtual-machines/"+newGUID, nil, nil)
	assert.Equal(t, http.StatusNotFound, st, "the VM appears only after IMPORT")

	clk.Advance(3 * time.Second)
	var imports []wireTask
	c.get("/tasks?type=IMPORT", &imports)
	require.Len(t, imports, 1)
	assert.Equal(t, rt.GUID, imports[0].ParentTask.GUID)
	clk.Advance(2 * time.Second)
	assert.Equal(t, "FINISHED", c.task(imports[0].GUID).State.Name)

	var vm VM
	c.get("/virtual-machines/"+newGUID, &vm)
	assert.Equal(t, "a-web-1-restored", vm.Name)
	assert.Equal(t, DemoOpenStackManagerGUID, vm.HvManager.GUID)
	assert.Equal(t, DemoTenantA, vm.Project.UUID, "same project as the source")
	var inTenant []VM
	c.get("/virtual-machines?project-uuid="+DemoTenantA, &inTenant)
	assert.Len(t, inTenant, 5)

	// restoreProject by name, and the location as the source.
	st, _, raw = c.do("POST", "/tasks/restore-and-import", map[string]any{
		"backupLocation": map[string]string{"guid": guidFor(29)}, "hypervisor": DemoOpenStackHypervisorGUID, "restoreProject": "tenant-b",
	}, &rt)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	clk.Advance(time.Minute)
	vm = srv.VMs()[len(srv.VMs())-1]
	assert.Equal(t, "a-web-1", vm.Name, "default name is the original one")
	assert.Equal(t, DemoTenantB, vm.Project.UUID)
}

func TestRestoreValidation(t *testing.T) {
	clk := NewFakeClock(t0)
	_, c := loggedIn(t, WithClock(clk))
	pending := c.export(exportBody(DemoVMRHV2GUID))[0]
	for _, tc := range []struct {
		name string
		body map[string]any
		msg  string
	}{
		{"no source", map[string]any{"hypervisorManager": DemoRHVManagerGUID}, "backup or backupLocation: one of them is required"},
		{"both targets", map[string]any{"backup": DemoBackupRHV1GUID, "hypervisorManager": DemoRHVManagerGUID, "hypervisor": DemoRHVHypervisorGUID}, "hypervisor or hypervisorManager"},
		{"no target", map[string]any{"backup": DemoBackupRHV1GUID}, "hypervisor or hypervisorManager"},
		{"unknown backup", map[string]any{"backup": "x", "hypervisorManager": DemoRHVManagerGUID}, "backup: unknown backup x"},
		{"unfinished", map[string]any{"backup": pending.Backup.GUID, "hypervisorManager": DemoRHVManagerGUID}, "cannot be restored"},
		{"unknown manager", map[string]any{"backup": DemoBackupRHV1GUID, "hypervisorManager": "x"}, "hypervisorManager: unknown"},
		{"unknown cluster", map[string]any{"backup": DemoBackupRHV1GUID, "hypervisorManager": DemoRHVManagerGUID, "restoreClusterId": "x"}, "restoreClusterId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, _, raw := c.do("POST", "/tasks/restore-and-import", tc.body, nil)
			assert.Equal(t, http.StatusBadRequest, st)
			assert.Contains(t, errMsg(t, raw), tc.msg)
		})
	}
}

func TestTaskFilters(t *testing.T) {
	clk := NewFakeClock(t0)
	_, c := loggedIn(t, WithClock(clk), WithTaskModel(Instant), WithoutTaskHistory())
	a := c.export(exportBody(DemoVMTenantAWebGUID))[0]
	bTask := c.export(exportBody(DemoVMTenantBWebGUID))[0]
	r := c.export(map[string]any{"backupDestination": DemoS3DestinationGUID, "protectedEntities": []string{DemoVMRHV1GUID}})[0]
	count := func(q string) int {
		var ts []wireTask
		h := c.get("/tasks"+q, &ts)
		assert.Equal(t, fmt.Sprint(len(ts)), h.Get("X-Total-Count"), q)
		return len(ts)
	}
	for q, want := range map[string]int{
		"":                                                6,
		"?protected-entity=" + DemoVMRHV1GUID:             2,
		"?protectedEntity=" + DemoVMRHV1GUID:              2,
		"?backup=" + a.Backup.GUID:                        2,
		"?type=EXPORT":                                    3,
		"?type=STORE&state=FINISHED":                      3,
		"?state=QUEUED":                                   0,
		"?project-uuid=" + DemoTenantA:                    2,
		"?project-uuid=" + DemoProjectBGUID:               2,
		"?project-uuid=nobody":                            0,
		"?tenantId=" + DemoTenantA:                        6, // 4.0's spellings: see TestTenantIsolation
		"?node=" + DemoNodeGUID:                           6,
		"?hypervisor=" + DemoRHVHypervisorGUID:            2,
		"?hypervisor-manager=" + DemoOpenStackManagerGUID: 4,
		"?backup-destination=" + DemoS3DestinationGUID:    2,
		"?parent-task=" + bTask.GUID:                      1,
		"?schedule=" + DemoScheduleGUID:                   0,
	} {
		assert.Equal(t, want, count(q), q)
	}
	_ = r
	var ts []wireTask
	h := c.get("/tasks?page=1&size=4", &ts)
	assert.Len(t, ts, 2)
	assert.Equal(t, "6", h.Get("X-Total-Count"))
	st, _, raw := c.do("GET", "/tasks?state=DONE", nil, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "state")
}
