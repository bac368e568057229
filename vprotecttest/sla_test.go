package vprotecttest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scheduleBody is a schedule as the 7.4 UI sends it; tenant is its
// projectUuid (a 4.0 server reads tenantId, see tenantBody).
func scheduleBody(name, tenant string, rules ...string) map[string]any {
	rs := []map[string]string{}
	for _, r := range rules {
		rs = append(rs, map[string]string{"guid": r})
	}
	return map[string]any{"name": name, "active": true, "type": map[string]string{"name": "VM_BACKUP"},
		"backupType": map[string]string{"name": "FULL"}, "executionType": map[string]string{"name": "TIME"},
		"hour": 36000000, "startWindowLength": 21600000, "daysOfWeek": []map[string]string{{"name": "MONDAY"}},
		"dayOfWeekOccurrences": []string{}, "months": []string{}, "rules": rs, "projectUuid": tenant}
}

// tenantBody renames a body's projectUuid to the 4.0 spelling tenantId.
func tenantBody(body map[string]any) map[string]any {
	if v, ok := body["projectUuid"]; ok {
		delete(body, "projectUuid")
		body["tenantId"] = v
	}
	return body
}

// wirePolicy and wireSchedule read the 7.4 projectUuid too.
type wirePolicy struct {
	Policy
	ProjectUUID string `json:"projectUuid"`
}

type wireSchedule struct {
	Schedule
	ProjectUUID string `json:"projectUuid"`
}

func (c *apiClient) create(path string, body, out any) {
	c.t.Helper()
	st, _, raw := c.do("POST", path, body, out)
	require.Equal(c.t, http.StatusCreated, st, "POST %s: %s", path, raw)
}

func TestScheduleCRUD(t *testing.T) {
	_, c := loggedIn(t)
	var sc Schedule
	c.create("/schedules", scheduleBody("tenant-a-daily", "tenant-a", DemoRuleGUID), &sc)
	assert.Equal(t, "tenant-a-daily", sc.Name)
	assert.Equal(t, "TIME", sc.ExecutionType.Name)
	assert.Equal(t, []NameAndGuid{{GUID: DemoRuleGUID, Name: "Default"}}, sc.Rules)
	assert.Equal(t, []NameAndGuid{{GUID: DemoPolicyGUID, Name: "gold"}}, sc.Policies)

	var r Rule
	c.get("/rules/vm-backup/"+DemoRuleGUID, &r)
	assert.Contains(t, r.Schedules, NameAndGuid{GUID: sc.GUID, Name: "tenant-a-daily"}, "rule side agrees")

	// Horizon 2020 form (bare strings, interval always sent), through the
	// 7.x proxy, which scopes the create with project-uuid.
	var sc2 Schedule
	c.create("/schedules?project-uuid=tenant-b", map[string]any{"active": true, "name": "b-interval", "type": map[string]string{"name": "VM_BACKUP"},
		"executionType": "INTERVAL", "backupType": "INCREMENTAL", "daysOfWeek": []string{"MONDAY", "FRIDAY"}, "rules": []string{},
		"interval": map[string]int64{"startHour": 0, "endHour": 79140000, "frequency": 7200000}, "months": []string{}}, &sc2)
	assert.Equal(t, "INCREMENTAL", sc2.BackupType.Name)
	assert.Equal(t, "Friday", sc2.DaysOfWeek[1].Description)

	var list []Schedule
	h := c.get("/schedules?project-uuid=tenant-a", &list)
	assert.Equal(t, []string{"daily-2200", "tenant-a-daily"}, names(list, func(s Schedule) string { return s.Name }))
	assert.Equal(t, "2", h.Get("X-Total-Count"))
	c.get("/schedules?project-uuid=tenant-b&type=VM_BACKUP", &list)
	assert.Equal(t, []string{"b-interval"}, names(list, func(s Schedule) string { return s.Name }))
	c.get("/schedules?protected-entity="+DemoVMTenantAWebGUID, &list)
	assert.Len(t, list, 2)
	c.get("/schedules?type=VM_SNAPSHOT", &list)
	assert.Empty(t, list)

	// Update: move the schedule from the rule (rules: []) — the rule side follows.
	body := scheduleBody("tenant-a-daily-2", "")
	delete(body, "projectUuid")
	var up wireSchedule
	st, _, raw := c.do("PUT", "/schedules/"+sc.GUID, body, &up)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	assert.Equal(t, "tenant-a-daily-2", up.Name)
	assert.Equal(t, "tenant-a", up.ProjectUUID, "kept when absent")
	assert.Empty(t, up.Rules)
	c.get("/rules/vm-backup/"+DemoRuleGUID, &r)
	assert.Equal(t, []NameAndGuid{{GUID: DemoScheduleGUID, Name: "daily-2200"}}, r.Schedules)

	// Duplicate name → 409 (create and update).
	st, _, raw = c.do("POST", "/schedules", scheduleBody("b-interval", ""), nil)
	assert.Equal(t, http.StatusConflict, st)
	assert.Contains(t, errMsg(t, raw), "name")
	st, _, _ = c.do("PUT", "/schedules/"+sc.GUID, scheduleBody("daily-2200", ""), nil)
	assert.Equal(t, http.StatusConflict, st)

	st, _, _ = c.do("DELETE", "/schedules/"+sc2.GUID, nil, nil)
	assert.Equal(t, http.StatusNoContent, st)
	for _, m := range []string{"GET", "PUT", "DELETE"} {
		st, _, _ = c.do(m, "/schedules/"+sc2.GUID, scheduleBody("x", ""), nil)
		assert.Equal(t, http.StatusNotFound, st, m)
	}
	// Deleting a schedule unlinks it from its rules.
	st, _, _ = c.do("DELETE", "/schedules/"+DemoScheduleGUID, nil, nil)
	require.Equal(t, http.StatusNoContent, st)
	c.get("/rules/vm-backup/"+DemoRuleGUID, &r)
	assert.Empty(t, r.Schedules)
}

func TestScheduleValidation(t *testing.T) {
	_, c := loggedIn(t)
	mod := func(f func(m map[string]any)) map[string]any {
		b := scheduleBody("v", "")
		f(b)
		return b
	}
	for _, tc := range []struct {
		name string
		body any
		msg  string
	}{
		{"name", mod(func(m map[string]any) { delete(m, "name") }), "name: is required"},
		{"type", mod(func(m map[string]any) { m["type"] = "NOPE" }), "type: invalid value"},
		{"backupType", mod(func(m map[string]any) { m["backupType"] = map[string]string{"name": "DIFF"} }), "backupType: invalid value"},
		{"hour missing", mod(func(m map[string]any) { delete(m, "hour") }), "hour: is required"},
		{"hour range", mod(func(m map[string]any) { m["hour"] = 86400000 }), "hour: must be"},
		{"days", mod(func(m map[string]any) { m["daysOfWeek"] = []string{"MONDAY", "FUNDAY"} }), "daysOfWeek[1]: invalid value"},
		{"months", mod(func(m map[string]any) { m["months"] = []string{"SMARCH"} }), "months[0]"},
		{"occurrence", mod(func(m map[string]any) { m["dayOfWeekOccurrences"] = []string{"FIFTH_IN_MONTH"} }), "dayOfWeekOccurrences[0]"},
		{"interval", mod(func(m map[string]any) { m["executionType"] = "INTERVAL" }), "interval: is required"},
		{"frequency", mod(func(m map[string]any) {
			m["executionType"] = "INTERVAL"
			m["interval"] = map[string]int{"startHour": 0, "endHour": 1000, "frequency": 5}
		}), "interval.frequency"},
		{"window", mod(func(m map[string]any) { m["startWindowLength"] = 0 }), "startWindowLength"},
		{"rule", mod(func(m map[string]any) { m["rules"] = []string{"nope"} }), `rules[0]: unknown rule "nope"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, _, raw := c.do("POST", "/schedules", tc.body, nil)
			assert.Equal(t, http.StatusBadRequest, st)
			assert.Contains(t, errMsg(t, raw), tc.msg)
		})
	}
}

// policyBody is a policy as the 7.4 UI sends it, with projectUuid tenant.
func policyBody(name, tenant string, vms []string, rules ...map[string]any) map[string]any {
	vs := []map[string]string{}
	for _, v := range vms {
		vs = append(vs, map[string]string{"guid": v})
	}
	b := map[string]any{"name": name, "priority": 50, "active": true, "autoRemoveNonPresent": false,
		"autoAssignSettings": map[string]any{"mode": map[string]string{"name": "DISABLED"}}, "vms": vs, "projectUuid": tenant}
	if rules != nil {
		b["rules"] = rules
	}
	return b
}

// uiRule is the 7.4 UI's embedded rule, including its empty SECONDARY.
func uiRule(name string, sched string) map[string]any {
	return map[string]any{"name": name, "active": true, "position": 0, "schedules": []map[string]string{{"guid": sched}},
		"ruleBackupDestinations": []map[string]any{
			{"roleType": map[string]string{"name": "PRIMARY", "description": "PRIMARY"}, "backupDestination": map[string]string{"guid": DemoS3DestinationGUID},
				"backupRetentionSettings": map[string]any{"retentionKeepLastNFull": 4, "retentionKeepFullNewerThan": 2592000000,
					"retentionKeepLastNIncremental": 30, "retentionKeepIncrementalNewerThan": 2592000000, "keepLastBackupWhenSourceStillExists": false},
				"daysToKeepRetentionLock": 3},
			{"roleType": map[string]string{"name": "SECONDARY"}, "backupDestination": map[string]any{"nodeConfigs": []string{}, "visibleForAllVms": true}},
		}}
}

func TestPolicyCRUDAndConsistency(t *testing.T) {
	srv, c := loggedIn(t)
	// 7.4 single request with embedded rules; a-web-1 moves from "gold".
	var p Policy
	c.create("/policies/vm-backup", policyBody("silver", "tenant-a", []string{DemoVMTenantAWebGUID, DemoVMTenantAAppGUID}, uiRule("Default", DemoScheduleGUID)), &p)
	assert.Equal(t, []NameAndGuid{{DemoVMTenantAWebGUID, "a-web-1"}, {DemoVMTenantAAppGUID, "a-app-1"}}, p.VMs)
	require.Len(t, p.Rules, 1)
	rule := p.Rules[0]
	require.Len(t, rule.RuleBackupDestinations, 1, "the empty SECONDARY is ignored")
	rd := rule.RuleBackupDestinations[0]
	assert.Equal(t, "PRIMARY", rd.RoleType.Name)
	assert.Equal(t, DemoS3DestinationGUID, rd.BackupDestination.GUID)
	assert.Equal(t, "S3", rd.BackupDestination.Type.Name)
	assert.Equal(t, 3, rd.DaysToKeepRetentionLock)
	assert.True(t, rd.Active)
	assert.Equal(t, &NameAndGuid{GUID: p.GUID, Name: "silver"}, rule.Policy)

	var vm VM
	c.get("/virtual-machines/"+DemoVMTenantAWebGUID, &vm)
	assert.Equal(t, &NameAndGuid{GUID: p.GUID, Name: "silver"}, vm.VMBackupPolicy)
	var gold Policy
	c.get("/policies/vm-backup/"+DemoPolicyGUID, &gold)
	assert.Equal(t, []NameAndGuid{{DemoVMTenantADBGUID, "a-db-1"}}, gold.VMs)

	var sc Schedule
	c.get("/schedules/"+DemoScheduleGUID, &sc)
	assert.Len(t, sc.Rules, 2, "the embedded rule's schedule sees it")

	// The guide's first step, a policy without rules, is refused (the
	// two-step flow is TestPolicyTwoStepFlow40). Through the 7.x proxy
	// (project-uuid on the POST), with bare strings.
	st, _, raw := c.do("POST", "/policies/vm-backup", map[string]any{"name": "bronze", "vms": []string{DemoVMTenantBWebGUID}}, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "rules: required")
	var bronze wirePolicy
	c.create("/policies/vm-backup?project-uuid=tenant-b", map[string]any{"name": "bronze", "autoAssignSettings": map[string]string{"mode": "DISABLED"},
		"vms": []string{DemoVMTenantBWebGUID}, "rules": []map[string]any{{"name": "Default", "schedules": []string{DemoScheduleGUID},
			"backupDestinations": []string{DemoDefaultDestinationGUID}}}}, &bronze)
	assert.Equal(t, "tenant-b", bronze.ProjectUUID, "the caller's project")
	require.Len(t, bronze.Rules, 1)
	r2 := bronze.Rules[0]
	assert.Equal(t, DemoDefaultDestinationGUID, r2.RuleBackupDestinations[0].BackupDestination.GUID)
	assert.Equal(t, 1, r2.VMCount)
	var rules []Rule
	c.get("/rules/vm-backup?policy="+bronze.GUID, &rules)
	assert.Len(t, rules, 1)

	// Lists: tenant filter and extended counters.
	var ps []Policy
	c.get("/policies/vm-backup?project-uuid=tenant-b", &ps)
	assert.Equal(t, []string{"bronze"}, names(ps, func(p Policy) string { return p.Name }))
	assert.Nil(t, ps[0].VMCount)
	h := c.get("/policies/vm-backup?project-uuid=tenant-a&extended=true&page=0&size=1&orderBy=name", &ps)
	assert.Equal(t, "2", h.Get("X-Total-Count"))
	require.Len(t, ps, 1)
	assert.Equal(t, "gold", ps[0].Name)
	assert.Equal(t, 1, *ps[0].VMCount)
	assert.Equal(t, 1, *ps[0].RuleCount)
	assert.Equal(t, int64(0), *ps[0].AverageBackupSize)
	c.get("/policies/vm-backup?extended=true&filter=silv", &ps)
	require.Len(t, ps, 1)
	assert.Equal(t, (backupSize(DemoVMTenantAWebGUID, true)+backupSize(DemoVMTenantAWebGUID, false))/2, *ps[0].AverageBackupSize)

	// PUT: the schedule side of a rule update is consistent too.
	var up Rule
	st, _, raw = c.do("PUT", "/rules/vm-backup/"+r2.GUID, map[string]any{"name": "Renamed", "schedules": []string{},
		"ruleBackupDestinations": []map[string]any{{"roleType": "PRIMARY", "backupDestination": DemoDefaultDestinationGUID}}}, &up)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	assert.Equal(t, bronze.GUID, up.Policy.GUID, "policy kept")
	c.get("/schedules/"+DemoScheduleGUID, &sc)
	assert.Len(t, sc.Rules, 2)

	// PUT policy: vms replaced, rules reconciled (keep the existing by guid, add one).
	dest := []map[string]any{{"roleType": "PRIMARY", "backupDestination": DemoS3DestinationGUID}}
	body := policyBody("silver", "", []string{DemoVMTenantAAppGUID}, map[string]any{"guid": rule.GUID, "name": "Default", "schedules": []string{},
		"ruleBackupDestinations": dest}, map[string]any{"name": "Weekly", "ruleBackupDestinations": dest})
	delete(body, "projectUuid")
	var p2 wirePolicy
	st, _, raw = c.do("PUT", "/policies/vm-backup/"+p.GUID, body, &p2)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	assert.Equal(t, "tenant-a", p2.ProjectUUID, "kept when absent")
	assert.Equal(t, []NameAndGuid{{DemoVMTenantAAppGUID, "a-app-1"}}, p2.VMs)
	require.Len(t, p2.Rules, 2)
	assert.Equal(t, rule.GUID, p2.Rules[0].GUID)
	assert.Equal(t, "Weekly", p2.Rules[1].Name)

	c.get("/virtual-machines/"+DemoVMTenantAWebGUID, &vm)
	assert.Nil(t, vm.VMBackupPolicy, "removed from the policy")

	// Conflicts and validation.
	st, _, _ = c.do("POST", "/policies/vm-backup", policyBody("gold", "", nil), nil)
	assert.Equal(t, http.StatusConflict, st)
	st, _, _ = c.do("PUT", "/policies/vm-backup/"+p.GUID, policyBody("gold", "", nil), nil)
	assert.Equal(t, http.StatusConflict, st)
	for _, tc := range []struct {
		body map[string]any
		msg  string
	}{
		{map[string]any{"priority": 5}, "name: is required"},
		{map[string]any{"name": "x", "priority": 500}, "priority: must be between 0 and 100"},
		{map[string]any{"name": "x", "vms": []string{"nope"}}, `vms[0]: unknown virtual machine "nope"`},
		{map[string]any{"name": "x", "autoAssignSettings": map[string]string{"mode": "SOMETIMES"}}, "autoAssignSettings.mode"},
		{map[string]any{"name": "x"}, "rules: required"},
		{map[string]any{"name": "x", "rules": []any{}}, "rules: required"},
		{map[string]any{"name": "x", "rules": []map[string]any{{"name": "r"}}}, "rules[0].ruleBackupDestinations: required"},
		{map[string]any{"name": "x", "rules": []map[string]any{{"active": true}}}, "rules[0].name: is required"},
		{map[string]any{"name": "x", "rules": []map[string]any{{"name": "r", "schedules": []string{"nope"}}}}, "rules[0].schedules[0]"},
		{map[string]any{"name": "x", "rules": []map[string]any{{"name": "r", "ruleBackupDestinations": []map[string]any{{"backupDestination": "nope"}}}}},
			"rules[0].ruleBackupDestinations[0].backupDestination"},
	} {
		st, _, raw := c.do("POST", "/policies/vm-backup", tc.body, nil)
		assert.Equal(t, http.StatusBadRequest, st, tc.msg)
		assert.Contains(t, errMsg(t, raw), tc.msg)
	}
	for _, tc := range []struct {
		body map[string]any
		msg  string
	}{
		{map[string]any{"name": "x"}, "policy: is required"},
		{map[string]any{"name": "x", "policy": "nope"}, "policy: unknown policy"},
		{map[string]any{"policy": p.GUID}, "name: is required"},
	} {
		st, _, raw := c.do("POST", "/rules/vm-backup", tc.body, nil)
		assert.Equal(t, http.StatusBadRequest, st, tc.msg)
		assert.Contains(t, errMsg(t, raw), tc.msg)
	}

	// Delete a policy: its rules go, its VMs are unassigned, schedules unlinked.
	st, _, _ = c.do("DELETE", "/policies/vm-backup/"+DemoPolicyGUID, nil, nil)
	require.Equal(t, http.StatusNoContent, st)
	st, _, _ = c.do("GET", "/rules/vm-backup/"+DemoRuleGUID, nil, nil)
	assert.Equal(t, http.StatusNotFound, st)
	c.get("/schedules/"+DemoScheduleGUID, &sc)
	assert.Empty(t, sc.Rules)
	c.get("/virtual-machines/"+DemoVMTenantADBGUID, &vm)
	assert.Nil(t, vm.VMBackupPolicy)
	for _, r := range srv.Rules() {
		assert.NotEqual(t, DemoPolicyGUID, r.Policy.GUID)
	}

	st, _, _ = c.do("DELETE", "/rules/vm-backup/"+r2.GUID, nil, nil)
	assert.Equal(t, http.StatusNoContent, st)
	c.get("/policies/vm-backup/"+bronze.GUID, &bronze)
	assert.Empty(t, bronze.Rules)
	st, _, _ = c.do("DELETE", "/rules/vm-backup/"+r2.GUID, nil, nil)
	assert.Equal(t, http.StatusNotFound, st)
}

// Each generation isolates tenants with its own spellings: 4.0 the guide's
// tenantid (tenantId, tenant-id) and the tenantId body field, 7.4
// project-uuid and projectUuid.
func TestTenantIsolation(t *testing.T) {
	for _, version := range []string{ServerVersion74, ServerVersion40} {
		t.Run(version, func(t *testing.T) {
			g := generations[version]
			body := func(b map[string]any) map[string]any {
				if g.tenantField == "tenantId" {
					return tenantBody(b)
				}
				return b
			}
			rule := map[string]any{"name": "r", "ruleBackupDestinations": []map[string]any{{"backupDestination": DemoDefaultDestinationGUID}}}
			_, c := loggedIn(t, WithServerVersion(version), WithTaskModel(Instant), WithoutTaskHistory())
			c.create("/schedules", body(scheduleBody("sa", DemoTenantA)), nil)
			c.create("/schedules", body(scheduleBody("sb", DemoTenantB)), nil)
			c.create("/policies/vm-backup", body(policyBody("pb", DemoTenantB, []string{DemoVMTenantBDBGUID}, rule)), nil)
			c.export(exportBody(DemoVMTenantAAppGUID, DemoVMTenantBAppGUID, DemoVMRHV1GUID))
			spellings := g.tenantParams
			if version == ServerVersion40 {
				spellings = append(spellings, "tenantId") // /tasks in the guide
			}
			tenants := map[string]string{DemoTenantA: "a-", DemoTenantB: "b-"}
			for tenant, prefix := range tenants {
				for _, p := range spellings {
					var vms []VM
					c.get("/virtual-machines?"+p+"="+tenant, &vms)
					require.NotEmpty(t, vms)
					for _, v := range vms {
						assert.Equal(t, tenant, v.Project.UUID, p)
					}
					var tasks []wireTask
					c.get("/tasks?"+p+"="+tenant, &tasks)
					require.Len(t, tasks, 2, p)
					for _, tk := range tasks {
						assert.Regexp(t, "^"+prefix, tk.ProtectedEntity.Name, p)
					}
					var scheds []wireSchedule
					c.get("/schedules?"+p+"="+tenant, &scheds)
					require.NotEmpty(t, scheds, p)
					for _, s := range scheds {
						assert.Equal(t, tenant, s.TenantID+s.ProjectUUID, p)
					}
					var pols []wirePolicy
					c.get("/policies/vm-backup?"+p+"="+tenant, &pols)
					require.NotEmpty(t, pols)
					for _, pl := range pols {
						assert.Equal(t, tenant, pl.TenantID+pl.ProjectUUID, p)
					}
				}
			}
		})
	}
}
