package main

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// busyFake is the demo fake on a fake clock with a finished backup, a
// failed one and one running, so that every kind of metric has values.
func busyFake(t *testing.T) (*testExporter, *vprotecttest.FakeClock) {
	t.Helper()
	// A Wednesday a minute before the demo schedule's 22:00 UTC, which the
	// test turns on so that it runs.
	clock := vprotecttest.NewFakeClock(time.Date(2026, 12, 2, 21, 59, 30, 0, time.UTC))
	e := newTestExporter(t, clock.Now, nil, vprotecttest.WithClock(clock))
	ctx := context.Background()
	sc, err := e.client.Schedules.Get(ctx, vprotecttest.DemoScheduleGUID)
	if err != nil {
		t.Fatal(err)
	}
	sc.Active = true
	if _, err := e.client.Schedules.Update(ctx, sc.GUID, sc); err != nil {
		t.Fatal(err)
	}
	e.srv.FailNextTask("EXPORT", vprotecttest.DemoVMTenantBDBGUID, "no space left on the staging space")
	export := func(vm string) {
		t.Helper()
		if _, err := e.client.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{vm}, BackupType: vprotect.BackupTypeFull,
			WindowStart: clock.Now(), WindowEnd: clock.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	export(vprotecttest.DemoVMTenantAWebGUID)
	export(vprotecttest.DemoVMTenantBDBGUID)
	for range 3 { // EXPORT, then STORE
		clock.Advance(10 * time.Second)
		if _, err := e.client.Tasks.List(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	export(vprotecttest.DemoVMRHV2GUID)
	clock.Advance(time.Second) // running
	return e, clock
}

// Every VM, task, backup, policy, schedule, node and destination the API
// lists appears with the values of the API's own answers (read as plain
// JSON, not through the SDK), and nothing else does.
func TestMetricsMatchTheAPI(t *testing.T) {
	e, clock := busyFake(t)
	got := gather(t, e.reg)
	raw := newRawAPI(t, e.srv)
	now := clock.Now()

	if v := value(t, got, "vprotect_up"); v != 1 {
		t.Fatalf("vprotect_up = %v", v)
	}
	if v := value(t, got, "vprotect_stale"); v != 0 {
		t.Errorf("vprotect_stale = %v", v)
	}
	if v := value(t, got, "vprotect_last_refresh_success_timestamp_seconds"); v != float64(now.Unix()) {
		t.Errorf("last refresh = %v, want %v", v, now.Unix())
	}
	want := map[string]map[string]float64{}
	add := func(name string, v float64, labels ...string) {
		m := map[string]string{}
		for i := 0; i < len(labels); i += 2 {
			m[labels[i]] = labels[i+1]
		}
		if want[name] == nil {
			want[name] = map[string]float64{}
		}
		want[name][labelKey(m)] += v
	}
	sec := func(ms float64) float64 { return ms / 1000 }

	// Backups: the window's by status, and each VM's latest successful ones.
	lastOK, lastFull := map[string]float64{}, map[string]float64{}
	for _, b := range raw.list("/backups") {
		status, snap, vm := str(b, "status", "name"), num(b, "snapshotTime"), str(b, "protectedEntity", "guid")
		if snap >= float64(now.Add(-24*time.Hour).UnixMilli()) {
			add("vprotect_backups_window", 1, "status", status)
		}
		if status == "SUCCESS" || status == "PARTIAL_SUCCESS" {
			lastOK[vm] = max(lastOK[vm], snap)
			if str(b, "type", "name") == "FULL" {
				lastFull[vm] = max(lastFull[vm], snap)
			}
		}
	}
	add("vprotect_backups_window_seconds", 24*3600)
	if len(lastFull) < 3 {
		t.Fatalf("only %d VMs with a full backup: the demo has changed", len(lastFull))
	}

	policyVMs := map[string]float64{}
	vms := raw.list("/virtual-machines")
	for _, vm := range vms {
		id := str(vm, "guid")
		add("vprotect_vm_info", 1, "vm_guid", id, "vm", str(vm, "name"), "project", str(vm, "project", "name"),
			"policy_guid", str(vm, "vmBackupPolicy", "guid"), "policy", str(vm, "vmBackupPolicy", "name"),
			"hypervisor_manager", str(vm, "hvManager", "name"))
		add("vprotect_vm_present", boolf(vm["present"] == true), "vm_guid", id)
		add("vprotect_vm_protected", boolf(vm["vmBackupPolicy"] != nil), "vm_guid", id)
		if p := str(vm, "vmBackupPolicy", "guid"); p != "" {
			policyVMs[p]++
		}
		if u, ok := vm["backupUpToDate"].(bool); ok {
			add("vprotect_vm_backup_up_to_date", boolf(u), "vm_guid", id)
		}
		if ms := num(vm, "lastBackup"); ms != 0 {
			add("vprotect_vm_last_backup_timestamp_seconds", sec(ms), "vm_guid", id)
		}
		add("vprotect_vm_last_successful_backup_size_bytes", num(vm, "lastSuccessfulBackupSize"), "vm_guid", id)
		add("vprotect_vm_last_successful_full_backup_size_bytes", num(vm, "lastSuccessfulFullBackupSize"), "vm_guid", id)
		if ms, ok := lastOK[id]; ok {
			add("vprotect_vm_last_successful_backup_timestamp_seconds", sec(ms), "vm_guid", id)
		}
		if ms, ok := lastFull[id]; ok {
			add("vprotect_vm_last_successful_full_backup_timestamp_seconds", sec(ms), "vm_guid", id)
		}
	}
	if len(vms) < 10 {
		t.Fatalf("%d VMs: the demo has changed", len(vms))
	}

	running, failed := 0, 0
	for _, task := range raw.list("/tasks") {
		typ, state := str(task, "type", "name"), str(task, "state", "name")
		add("vprotect_tasks", 1, "type", typ, "state", state)
		if fin := num(task, "finishTime"); fin != 0 && fin >= float64(now.Add(-time.Hour).UnixMilli()) &&
			(state == "FINISHED" || state == "FAILED" || state == "CANCELLED") {
			add("vprotect_tasks_ended_last_hour", 1, "type", typ, "state", state)
			if state == "FAILED" {
				failed++
			}
		}
		if state == "RUNNING" {
			running++
			add("vprotect_task_progress_ratio", num(task, "progress")/100, "task_guid", str(task, "guid"), "type", typ,
				"vm_guid", str(task, "protectedEntity", "guid"), "vm", str(task, "protectedEntity", "name"))
		}
	}
	if running == 0 || failed == 0 {
		t.Fatalf("%d running and %d failed tasks: the setup no longer makes them", running, failed)
	}

	for _, d := range raw.list("/backup-destinations") {
		id := str(d, "guid")
		used, avail := num(d, "totalUsedSpace"), num(d, "totalAvailableSpace")
		add("vprotect_backup_destination_info", 1, "destination_guid", id, "destination", str(d, "name"), "type", str(d, "type", "name"))
		add("vprotect_backup_destination_used_bytes", used, "destination_guid", id)
		add("vprotect_backup_destination_available_bytes", avail, "destination_guid", id)
		if used+avail > 0 {
			add("vprotect_backup_destination_capacity_bytes", used+avail, "destination_guid", id)
		}
		add("vprotect_backup_destination_dedup_used_bytes", num(d, "totalDedupUsedSpace"), "destination_guid", id)
		add("vprotect_backup_destination_dedup_available_bytes", num(d, "totalDedupAvailableSpace"), "destination_guid", id)
	}
	for _, n := range raw.list("/nodes") {
		id := str(n, "guid")
		add("vprotect_node_info", 1, "node_guid", id, "node", str(n, "name"), "version", str(n, "version"), "state", str(n, "state", "name"), "ip", str(n, "nodeIP"))
		add("vprotect_node_up", boolf(str(n, "state", "name") == "RUNNING"), "node_guid", id)
		add("vprotect_node_last_seen_timestamp_seconds", sec(num(n, "lastSeen")), "node_guid", id)
		add("vprotect_node_staging_space_total_bytes", num(n, "stagingSpace", "totalSpace"), "node_guid", id)
		add("vprotect_node_staging_space_used_bytes", num(n, "stagingSpace", "usedSpace"), "node_guid", id)
	}
	for _, p := range raw.list("/policies/vm-backup?extended=true") {
		id := str(p, "guid")
		add("vprotect_policy_info", 1, "policy_guid", id, "policy", str(p, "name"))
		add("vprotect_policy_active", boolf(p["active"] == true), "policy_guid", id)
		add("vprotect_policy_vms", policyVMs[id], "policy_guid", id)
		if n := num(p, "vmCount"); n != policyVMs[id] {
			t.Errorf("policy %s: vmCount %v, but %v VMs name it", id, n, policyVMs[id])
		}
		rules, active := 0.0, 0.0
		for _, r := range p["rules"].([]any) {
			r := r.(map[string]any)
			if r["markedForDeletion"] == true {
				continue
			}
			rules++
			active += boolf(r["active"] == true)
		}
		add("vprotect_policy_rules", rules, "policy_guid", id)
		add("vprotect_policy_rules_active", active, "policy_guid", id)
	}
	for _, s := range raw.list("/schedules") {
		id := str(s, "guid")
		add("vprotect_schedule_info", 1, "schedule_guid", id, "schedule", str(s, "name"), "type", str(s, "type", "name"),
			"backup_type", str(s, "backupType", "name"), "execution_type", str(s, "executionType", "name"))
		add("vprotect_schedule_active", boolf(s["active"] == true), "schedule_guid", id)
		if ms := num(s, "lastRun"); ms != 0 {
			add("vprotect_schedule_last_run_timestamp_seconds", sec(ms), "schedule_guid", id)
		}
	}

	for _, name := range slices.Sorted(maps.Keys(want)) {
		gotSeries := byLabels(got[name])
		if !maps.Equal(gotSeries, want[name]) {
			t.Errorf("%s:\n got %v\nwant %v", name, gotSeries, want[name])
		}
	}
	// The families computed from schedules are checked by
	// TestScheduleIntervals and TestVMIntervals; every other vprotect_
	// family with values was compared above.
	computed := map[string]bool{"vprotect_vm_backup_interval_max_seconds": true, "vprotect_schedule_interval_max_seconds": true}
	for name := range got {
		if strings.HasPrefix(name, "vprotect_") && !strings.HasPrefix(name, "vprotect_api_") && want[name] == nil && !computed[name] &&
			!strings.HasPrefix(name, "vprotect_refreshes") && name != "vprotect_up" && name != "vprotect_stale" &&
			name != "vprotect_scrape_duration_seconds" && name != "vprotect_last_refresh_success_timestamp_seconds" {
			t.Errorf("%s is exported but not checked against the API", name)
		}
	}
	for _, name := range []string{"vprotect_vm_backup_interval_max_seconds", "vprotect_schedule_interval_max_seconds"} {
		if len(got[name]) == 0 {
			t.Errorf("%s: no series on the demo data", name)
		}
	}
}

// The output passes the checks of promtool check metrics.
func TestMetricsLint(t *testing.T) {
	e, _ := busyFake(t)
	problems, err := testutil.GatherAndLint(e.reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
	if n, err := testutil.GatherAndCount(e.reg); err != nil || n < 100 {
		t.Fatalf("%d series, %v", n, err)
	}
}

// The API metrics come from the SDK's observer: requests by route and
// status, and a re-login after the sessions expired.
func TestAPIMetrics(t *testing.T) {
	e := newTestExporter(t, nil, func(c *config) { c.cacheTTL = time.Nanosecond })
	gather(t, e.reg)
	e.srv.ExpireSessions()
	got := gather(t, e.reg)
	if v := value(t, got, "vprotect_api_relogins_total"); v != 1 {
		t.Errorf("relogins = %v, want 1", v)
	}
	req := byLabels(got["vprotect_api_requests_total"])
	for k, want := range map[string]float64{
		"method=POST,route=/session/login,status=200":     2,
		"method=GET,route=/virtual-machines,status=200":   2,
		"method=GET,route=/nodes,status=200":              2,
		"method=GET,route=/policies/vm-backup,status=200": 2,
	} {
		if req[k] != want {
			t.Errorf("requests{%s} = %v, want %v (all: %v)", k, req[k], want, req)
		}
	}
	if n := sumWhere(req, "status=401"); n < 1 {
		t.Errorf("no 401 counted after the sessions expired: %v", req)
	}
	logins := byLabels(got["vprotect_api_logins_total"])
	if logins["kind=first,result=success"] != 1 || logins["kind=relogin,result=success"] != 1 {
		t.Errorf("logins = %v", logins)
	}
	if v := byLabels(got["vprotect_refreshes_total"])["result=success"]; v != 2 {
		t.Errorf("refreshes = %v, want 2", v)
	}
}

// sumWhere adds the values whose label key contains part.
func sumWhere(series map[string]float64, part string) float64 {
	var n float64
	for k, v := range series {
		if strings.Contains(k, part) {
			n += v
		}
	}
	return n
}

// Every family the exporter has appears in a scrape of a busy fake, under
// its name and labels; the table in families is what the README lists.
func TestFamiliesAreExported(t *testing.T) {
	e, _ := busyFake(t)
	got := gather(t, e.reg)
	for _, m := range families {
		series := got[m.name]
		if len(series) == 0 {
			t.Errorf("%s: no series", m.name)
			continue
		}
		var labels []string
		for k := range series[0].labels {
			labels = append(labels, k)
		}
		slices.Sort(labels)
		wantLabels := slices.Sorted(slices.Values(m.labels))
		if !slices.Equal(labels, wantLabels) {
			t.Errorf("%s: labels %v, want %v", m.name, labels, wantLabels)
		}
	}
}
