package vprotecttest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func names[T any](items []T, name func(T) string) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, name(it))
	}
	return out
}

func vmName(v VM) string { return v.Name }

func TestVMListFilters(t *testing.T) {
	_, c := loggedIn(t)
	_, c40 := loggedIn(t, WithServerVersion(ServerVersion40))
	for _, tc := range []struct {
		version string // "" for both
		query   string
		want    []string
	}{
		{"", "", []string{"a-web-1", "a-db-1", "a-app-1", "b-web-1", "b-db-1", "b-app-1", "rhv-vm-1", "rhv-vm-2", "rhv-vm-3", "a-old-1"}},
		{ServerVersion40, "?tenantid=tenant-a", []string{"a-web-1", "a-db-1", "a-app-1", "a-old-1"}},
		{ServerVersion40, "?tenantId=tenant-b", []string{"b-web-1", "b-db-1", "b-app-1"}},
		{ServerVersion40, "?tenant-id=" + DemoProjectBGUID, []string{"b-web-1", "b-db-1", "b-app-1"}},
		{ServerVersion40, "?tenantid=unknown", []string{}},
		{ServerVersion40, "?project-uuid=tenant-b", []string{"a-web-1", "a-db-1", "a-app-1", "b-web-1", "b-db-1", "b-app-1", "rhv-vm-1", "rhv-vm-2", "rhv-vm-3", "a-old-1"}},
		{ServerVersion74, "?project-uuid=tenant-b", []string{"b-web-1", "b-db-1", "b-app-1"}},
		{ServerVersion74, "?project-uuid=" + DemoProjectAGUID, []string{"a-web-1", "a-db-1", "a-app-1", "a-old-1"}},
		{ServerVersion74, "?project-uuid=unknown", []string{}},
		{ServerVersion74, "?tenantid=tenant-b", []string{"a-web-1", "a-db-1", "a-app-1", "b-web-1", "b-db-1", "b-app-1", "rhv-vm-1", "rhv-vm-2", "rhv-vm-3", "a-old-1"}},
		{"", "?hypervisor-manager-type=RHV", []string{"rhv-vm-1", "rhv-vm-2", "rhv-vm-3"}},
		{ServerVersion74, "?hypervisor-manager-type=OPENSTACK&project-uuid=tenant-b&filter=WEB", []string{"b-web-1"}},
		{"", "?uuid=11111111-0000-4000-8000-000000000017", []string{"b-web-1"}},
		{"", "/?orderBy=name&direction=desc&page=0&size=3", []string{"rhv-vm-3", "rhv-vm-2", "rhv-vm-1"}},
		{"", "?orderBy=name&page=1&size=4", []string{"b-app-1", "b-db-1", "b-web-1", "rhv-vm-1"}},
		{"", "?orderBy=present&page=0&size=1", []string{"a-old-1"}},
	} {
		for _, v := range []struct {
			version string
			c       *apiClient
		}{{ServerVersion74, c}, {ServerVersion40, c40}} {
			if tc.version != "" && tc.version != v.version {
				continue
			}
			t.Run(v.version+tc.query, func(t *testing.T) {
				var vms []VM
				h := v.c.get("/virtual-machines"+tc.query, &vms)
				assert.Equal(t, tc.want, names(vms, vmName))
				assert.NotEmpty(t, h.Get("X-Total-Count"))
			})
		}
	}
	var vms []VM
	h := c.get("/virtual-machines?page=2&size=4", &vms)
	assert.Equal(t, "10", h.Get("X-Total-Count"))
	assert.Len(t, vms, 2)
	for _, q := range []string{"?page=-1", "?size=0", "?page=x", "?direction=up"} {
		st, _, raw := c.do("GET", "/virtual-machines"+q, nil, nil)
		assert.Equal(t, http.StatusBadRequest, st, q)
		assert.Contains(t, errMsg(t, raw), strings.Split(strings.TrimPrefix(q, "?"), "=")[0], q)
	}
}

func TestVMWireFormat(t *testing.T) {
	_, c := loggedIn(t)
	var m map[string]any
	c.get("/virtual-machines/"+DemoVMTenantAWebGUID, &m)
	for _, k := range []string{"guid", "uuid", "name", "present", "hypervisor", "hvManager", "hvType", "hvmType", "vmBackupPolicy",
		"project", "backupUpToDate", "lastBackup", "lastSuccessfulBackupSize", "lastSuccessfulFullBackupSize", "warningsPresent", "tags"} {
		assert.Contains(t, m, k)
	}
	assert.Equal(t, map[string]any{"name": "OPENSTACK", "description": "OpenStack"}, m["hvmType"])
	assert.Equal(t, map[string]any{"guid": DemoPolicyGUID, "name": "gold"}, m["vmBackupPolicy"])
	assert.Equal(t, DemoTenantA, m["project"].(map[string]any)["uuid"])

	var vm map[string]any
	c.get("/virtual-machines/"+DemoVMTenantAAppGUID, &vm)
	assert.NotContains(t, vm, "backupUpToDate", "absent when never backed up")
	assert.Nil(t, vm["lastBackup"])

	st, h, raw := c.do("GET", "/virtual-machines/nope", nil, nil)
	assert.Equal(t, http.StatusNotFound, st)
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	assert.JSONEq(t, `{"message":"virtual machine nope not found","status":404}`, string(raw))
}

// A request the fake does not serve is a JSON 404 naming its method and
// path; a path served for other methods is a 405 with Allow. A {guid}
// wildcard never takes one of the API's literal words.
func TestRoutingErrors(t *testing.T) {
	srv, c := loggedIn(t)
	for _, tc := range []struct {
		method, path string
		status       int
		msg, allow   string
	}{
		{"GET", "/nothing-here", 404, "no route for GET /api/nothing-here", ""},
		{"GET", "/", 404, "no route for GET /api/", ""},
		{"DELETE", "/virtual-machines", 405, "method DELETE not allowed on /api/virtual-machines (allowed: GET)", "GET"},
		{"POST", "/virtual-machines/" + DemoVMRHV1GUID, 405, "", "GET"},
		{"PATCH", "/schedules", 405, "", "GET, POST"},
		{"PATCH", "/schedules/" + DemoScheduleGUID, 405, "", "GET, PUT, DELETE"},
		{"GET", "/tasks/export", 405, "method GET not allowed on /api/tasks/export (allowed: POST)", "POST"},
		{"PUT", "/tasks/export/state", 404, "no route for PUT /api/tasks/export/state", ""},
		{"GET", "/policies/vm-backup/list-by-entities", 405, "method GET not allowed on /api/policies/vm-backup/list-by-entities (allowed: POST)", "POST"},
		{"DELETE", "/policies/vm-backup/list-by-entities", 405, "", "POST"},
		{"PUT", "/policies/vm-backup/list-by-entities/x", 404, "no route for PUT /api/policies/vm-backup/list-by-entities/x", ""},
		{"GET", "/virtual-machines/detailed/x", 404, "no route for GET /api/virtual-machines/detailed/x", ""},
	} {
		st, h, raw := c.do(tc.method, tc.path, nil, nil)
		assert.Equal(t, tc.status, st, "%s %s", tc.method, tc.path)
		assert.Equal(t, "application/json", h.Get("Content-Type"))
		if tc.msg != "" {
			assert.Equal(t, tc.msg, errMsg(t, raw), "%s %s", tc.method, tc.path)
		} else {
			assert.NotEmpty(t, errMsg(t, raw))
		}
		assert.Equal(t, tc.allow, h.Get("Allow"), "%s %s", tc.method, tc.path)
	}

	// POST list-by-entities is never routed as a policy GUID: it is either
	// served, or a 404 (not a 405 offering GET, PUT and DELETE on it).
	srv.ResetRequests()
	st, h, raw := c.do("POST", "/policies/vm-backup/list-by-entities", `{"protectedEntities":["`+DemoVMTenantAWebGUID+`"]}`, nil)
	assert.NotEqual(t, http.StatusMethodNotAllowed, st, "%s", raw)
	assert.Empty(t, h.Get("Allow"))
	if st == http.StatusNotFound {
		assert.Equal(t, "no route for POST /api/policies/vm-backup/list-by-entities", errMsg(t, raw))
	}
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.NotContains(t, reqs[0].Pattern, "{guid}")

	req, _ := http.NewRequest("GET", strings.TrimSuffix(c.srv.URL(), "/api")+"/other", nil)
	resp, err := c.hc.Do(req)
	require.NoError(t, err)
	raw, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, "no route for GET /other", errMsg(t, raw))
}

func TestBackupsList(t *testing.T) {
	clk := NewFakeClock(t0)
	_, c := loggedIn(t, WithClock(clk))
	inProgress := c.export(exportBody(DemoVMTenantAWebGUID))[0]
	count := func(q string) int {
		var bs []Backup
		h := c.get("/backups"+q, &bs)
		assert.Equal(t, h.Get("X-Total-Count"), itoa(len(bs)), q)
		return len(bs)
	}
	day := int64(24 * time.Hour / time.Millisecond)
	for q, want := range map[string]int{
		"": 8,
		"/?protected-entity=" + DemoVMTenantAWebGUID: 3,
		"?status=FAILED":                         2,
		"?status=SUCCESS":                        5,
		"?status=SUCCESS&status=IN_PROGRESS":     6,
		"?status=IN_PROGRESS":                    1,
		"?from=" + i64(t0.UnixMilli()-day*5/2):   6,
		"?to=" + i64(t0.UnixMilli()-day*5/2):     2,
		"?only-mountable=true":                   5,
		"?protected-entity=" + DemoVMRemovedGUID: 1,
	} {
		assert.Equal(t, want, count(q), q)
	}
	var b map[string]any
	c.get("/backups/"+DemoBackupRHV1GUID, &b)
	for _, k := range []string{"guid", "protectedEntity", "type", "status", "snapshotTime", "backupTime", "size", "backupLocations"} {
		assert.Contains(t, b, k)
	}
	loc := b["backupLocations"].([]any)[0].(map[string]any)
	assert.Equal(t, "PRESENT", loc["status"].(map[string]any)["name"])
	assert.Equal(t, "S3", loc["backupDestinationType"].(map[string]any)["name"])
	assert.Equal(t, DemoBackupRHV1GUID, loc["backup"].(map[string]any)["guid"])

	var locs []BackupLocation
	c.get("/backup-locations?protected-entity="+DemoVMTenantAWebGUID, &locs)
	assert.Len(t, locs, 3)
	c.get("/backup-locations?protected-entity="+DemoVMTenantAWebGUID+"&location-status=PRESENT", &locs)
	assert.Len(t, locs, 2)
	_ = inProgress
	st, _, _ := c.do("GET", "/backups/x", nil, nil)
	assert.Equal(t, http.StatusNotFound, st)
}

func TestInfrastructure(t *testing.T) {
	_, c := loggedIn(t)
	var dests []BackupDestination
	c.get("/backup-destinations", &dests)
	require.Len(t, dests, 2)
	assert.True(t, dests[0].DefaultBackupDestination)
	assert.Equal(t, "S3", dests[1].Type.Name)
	for _, body := range []string{`[{"guid":"` + DemoVMRHV1GUID + `"}]`, `["` + DemoVMRHV1GUID + `"]`} {
		var usable []BackupDestination
		st, _, raw := c.do("POST", "/backup-destinations/usable-for-vms", body, &usable)
		require.Equal(t, http.StatusOK, st, "%s", raw)
		assert.Len(t, usable, 2)
	}
	st, _, raw := c.do("POST", "/backup-destinations/usable-for-vms", `["nope"]`, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "[0]")

	var hvs []Hypervisor
	c.get("/hypervisors", &hvs)
	assert.Len(t, hvs, 2)
	var hv Hypervisor
	c.get("/hypervisors/"+DemoRHVHypervisorGUID, &hv)
	assert.Equal(t, DemoNodeGUID, hv.Node.GUID)

	var mgrs []HypervisorManager
	c.get("/hypervisor-managers", &mgrs)
	assert.Len(t, mgrs, 2)
	c.get("/hypervisor-managers/?backup-to-be-restored="+DemoBackupRHV1GUID, &mgrs)
	require.Len(t, mgrs, 1)
	assert.Equal(t, DemoRHVManagerGUID, mgrs[0].GUID)
	c.get("/hypervisor-managers?backup-to-be-restored=unknown", &mgrs)
	assert.Len(t, mgrs, 0)
	var mgr HypervisorManager
	c.get("/hypervisor-managers/"+DemoOpenStackManagerGUID, &mgr)
	assert.Equal(t, "OPENSTACK", mgr.Type.Name)

	var cls []HypervisorCluster
	c.get("/hypervisor-clusters?hypervisor-manager="+DemoRHVManagerGUID, &cls)
	require.Len(t, cls, 1)
	assert.Equal(t, DemoRHVClusterUUID, cls[0].UUID)
	var sts []HypervisorStorage
	c.get("/hypervisor-storages?hypervisor-manager="+DemoOpenStackManagerGUID, &sts)
	require.Len(t, sts, 1)
	assert.Equal(t, DemoOpenStackStorageUUID, sts[0].UUID)
	c.get("/hypervisor-storages?hypervisor="+DemoRHVHypervisorGUID, &sts)
	require.Len(t, sts, 1)
	assert.Equal(t, DemoRHVStorageUUID, sts[0].UUID)

	var nodes []Node
	c.get("/nodes", &nodes)
	require.Len(t, nodes, 1)
	assert.Equal(t, "RUNNING", nodes[0].State.Name)
	var projects []Project
	c.get("/projects?hypervisor-manager="+DemoOpenStackManagerGUID, &projects)
	assert.Len(t, projects, 2)
}

func TestDemoSeedGUIDs(t *testing.T) {
	srv := Start(t, WithClock(NewFakeClock(t0)))
	assert.Equal(t, DemoBackupTenantAWebFullGUID, guidFor(28))
	assert.Equal(t, DemoBackupRemovedVMGUID, guidFor(36))
	vms := srv.VMs()
	require.Len(t, vms, 10)
	assert.False(t, vms[9].Present)
	failed := map[string]bool{DemoBackupFailedGUID: true, DemoBackupCancelledGUID: true}
	for _, b := range srv.Backups() {
		if failed[b.GUID] {
			assert.Equal(t, "FAILED", b.Status.Name)
			assert.NotEmpty(t, b.StatusInfo)
		} else {
			assert.Equal(t, "SUCCESS", b.Status.Name)
		}
		assert.Less(t, b.SnapshotTime, t0.UnixMilli())
	}
	// Stable across runs: two servers give the same JSON.
	a, _ := json.Marshal(DemoSeedAt(t0))
	b, _ := json.Marshal(DemoSeedAt(t0))
	assert.Equal(t, string(a), string(b))
}

func TestEmptyAndCustomSeed(t *testing.T) {
	srv, c := loggedIn(t, WithEmptySeed())
	var vms []VM
	h := c.get("/virtual-machines", &vms)
	assert.Empty(t, vms)
	assert.Equal(t, "0", h.Get("X-Total-Count"))
	assert.Empty(t, srv.Backups())

	seed, err := LoadSeedFile("testdata/seed-example.json")
	require.NoError(t, err)
	srv2, c2 := loggedIn(t, WithSeedFile("testdata/seed-example.json"))
	c2.get("/virtual-machines?project-uuid=acme", &vms)
	require.Len(t, vms, len(seed.VMs))
	assert.Equal(t, "web-1", vms[0].Name)
	assert.Equal(t, "gold", vms[0].VMBackupPolicy.Name)
	assert.Len(t, srv2.Schedules()[0].Rules, 1)

	// Go-value seed; export works on it.
	srv3, c3 := loggedIn(t, WithTaskModel(Instant), WithSeed(Seed{
		BackupDestinations: []BackupDestination{{Name: "bd", Type: Enum{Name: "FILESYSTEM"}}},
		VMs:                []VM{{Name: "solo", Present: true}},
	}))
	vm := srv3.VMs()[0]
	assert.Equal(t, guidFor(1002), vm.GUID)
	c3.export(exportBody(vm.GUID))
	assert.Equal(t, "SUCCESS", srv3.Backups()[0].Status.Name)

	_, err = newServer(WithSeedFile("testdata/missing.json"))
	assert.Error(t, err)
	_, err = newServer(WithSeed(Seed{VMs: []VM{{GUID: "x"}, {GUID: "x"}}}))
	assert.ErrorContains(t, err, "duplicate guid")
}

func itoa(n int) string  { return i64(int64(n)) }
func i64(n int64) string { b, _ := json.Marshal(n); return string(b) }

// The demo data reads like a small installation a monitoring client meets:
// task history of the last days in every terminal state, each STORE the
// child of its EXPORT with the same backup, failures with their reasons,
// and backup locations that name their destinations.
func TestDemoTaskHistory(t *testing.T) {
	_, c := loggedIn(t, WithClock(NewFakeClock(t0)))
	var tasks []wireTask
	h := c.get("/tasks", &tasks)
	assert.Equal(t, itoa(len(tasks)), h.Get("X-Total-Count"))
	seen := map[string]bool{}
	byGUID := map[string]wireTask{}
	for _, tk := range tasks {
		byGUID[tk.GUID] = tk
	}
	for _, tk := range tasks {
		seen[tk.Type.Name+" "+tk.State.Name] = true
		require.NotNil(t, tk.StartTime, tk.GUID)
		require.NotNil(t, tk.FinishTime, tk.GUID)
		assert.Less(t, *tk.FinishTime, t0.UnixMilli(), "history is in the past")
		assert.Greater(t, *tk.StartTime, t0.Add(-11*24*time.Hour).UnixMilli(), "of the last days")
		require.NotNil(t, tk.ProtectedEntity, tk.GUID)
		assert.NotEmpty(t, tk.ProtectedEntity.Name)
		require.NotNil(t, tk.Backup, tk.GUID)
		assert.NotEmpty(t, tk.Backup.Name, "references carry names")
		if tk.State.Name != "FINISHED" {
			assert.NotEmpty(t, tk.StatusInfo, "%s %s says why", tk.Type.Name, tk.State.Name)
		}
		if tk.Type.Name == "STORE" {
			require.NotNil(t, tk.ParentTask)
			parent := byGUID[tk.ParentTask.GUID]
			assert.Equal(t, "EXPORT", parent.Type.Name)
			assert.Equal(t, "FINISHED", parent.State.Name)
			assert.Equal(t, parent.Backup.GUID, tk.Backup.GUID)
		}
		if tk.Type.Name != "RESTORE" {
			require.NotNil(t, tk.BackupDestination)
			assert.NotEmpty(t, tk.BackupDestination.Name)
		}
	}
	for _, want := range []string{"EXPORT FINISHED", "STORE FINISHED", "STORE FAILED", "EXPORT CANCELLED", "RESTORE FINISHED", "RESTORE FAILED"} {
		assert.True(t, seen[want], "the history has a %s task", want)
	}

	var failed Backup
	c.get("/backups/"+DemoBackupFailedGUID, &failed)
	assert.Equal(t, "FAILED", failed.Status.Name)
	var tenantA []wireTask
	c.get("/tasks?project-uuid="+DemoTenantA, &tenantA)
	assert.NotEmpty(t, tenantA)
	assert.Less(t, len(tenantA), len(tasks), "history is per tenant too")

	var backups []Backup
	c.get("/backups", &backups)
	for _, b := range backups {
		for _, l := range b.BackupLocations {
			assert.NotEmpty(t, l.BackupDestination.Name, "a location of %s names its destination", b.GUID)
		}
	}

	// WithoutTaskHistory leaves the history out, for tests that count tasks.
	_, bare := loggedIn(t, WithoutTaskHistory())
	bare.get("/tasks", &tasks)
	assert.Empty(t, tasks)
}

// The vendor's Horizon proxy scopes every call with the 3rd-party-project
// header (reference 7x section 9.1); lists honour it like project-uuid.
func TestThirdPartyProjectHeader(t *testing.T) {
	_, c := loggedIn(t)
	list := func(path string, header bool) []map[string]any {
		req, err := http.NewRequest("GET", c.srv.URL()+path, nil)
		require.NoError(t, err)
		if header {
			req.Header.Set("3rd-party", "HORIZON")
			req.Header.Set("3rd-party-project", DemoTenantA)
		}
		resp, err := c.hc.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var out []map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		return out
	}
	for _, path := range []string{"/virtual-machines", "/tasks", "/schedules", "/policies/vm-backup"} {
		var byParam []map[string]any
		c.get(path+"?project-uuid="+DemoTenantA, &byParam)
		scoped := list(path, true)
		assert.Equal(t, len(byParam), len(scoped), path)
		assert.NotEmpty(t, scoped, path)
	}
	// The demo's schedule and policy are tenant-a's; its VMs and tasks are not all.
	assert.Less(t, len(list("/virtual-machines", true)), len(list("/virtual-machines", false)))
	assert.Less(t, len(list("/tasks", true)), len(list("/tasks", false)))
}
