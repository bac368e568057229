package vprotecttest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServerVersionOption(t *testing.T) {
	srv := Start(t)
	assert.Equal(t, ServerVersion74, srv.gen.version, "the default")
	for _, v := range []string{ServerVersion74, ServerVersion40} {
		srv := Start(t, WithServerVersion(v))
		assert.Equal(t, v, srv.gen.version)
	}
	for _, v := range []string{"", "7", "7.4.0", "5.0", "4"} {
		_, err := New(WithServerVersion(v))
		require.Error(t, err, "%q", v)
		assert.Contains(t, err.Error(), `"`+v+`" is not a server version the fake plays (4.0, 7.4)`)
	}
}

// Every 7.4-only route is one the fake routes, and 4.0 answers it as an
// unknown route while 7.4 serves it.
func TestRoutes74OnlyAre404On40(t *testing.T) {
	_, c74 := loggedIn(t)
	_, c40 := loggedIn(t, WithServerVersion(ServerVersion40))
	known := map[string]bool{}
	for _, rt := range (&Server{}).routeTable() {
		known[rt.pattern] = true
	}
	path := strings.NewReplacer("{guid}", DemoVMTenantAWebGUID, "{id}", "1")
	for pattern := range routes74Only {
		require.True(t, known[pattern], "routes74Only names %q, which routeTable does not have", pattern)
		method, p, _ := strings.Cut(pattern, " ")
		p = path.Replace(p)
		st, _, raw := c40.do(method, p, "{}", nil)
		assert.Equal(t, http.StatusNotFound, st, "4.0 %s", pattern)
		assert.Contains(t, errMsg(t, raw), "no route for "+method+" /api"+p, "4.0 %s", pattern)
		st, _, raw = c74.do(method, p, "{}", nil)
		if st == http.StatusNotFound {
			assert.NotContains(t, errMsg(t, raw), "no route", "7.4 serves %s", pattern)
		}
	}
	// The guide's routes stay: a sample.
	for _, p := range []string{"/virtual-machines", "/tasks", "/schedules", "/policies/vm-backup", "/rules/vm-backup", "/backups", "/backup-destinations", "/nodes"} {
		c40.get(p, nil)
	}
}

// doScoped is do with the Horizon proxy's 3rd-party headers.
func (c *apiClient) doScoped(method, path, project string, body, out any) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		require.NoError(c.t, err)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.srv.URL()+path, rd)
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("3rd-party", "HORIZON")
	req.Header.Set("3rd-party-project", project)
	resp, err := c.hc.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	if out != nil && resp.StatusCode < 300 {
		require.NoError(c.t, json.Unmarshal(raw, out), "body: %s", raw)
	}
	return resp.StatusCode, raw
}

// destRule is a rule with one destination, as 7.4 requires.
func destRule(name string) map[string]any {
	return map[string]any{"name": name, "ruleBackupDestinations": []map[string]any{{"roleType": "PRIMARY", "backupDestination": DemoDefaultDestinationGUID}}}
}

// 7.4 scopes creates and lists by the caller's project: the
// 3rd-party-project header or project-uuid, over a projectUuid in the
// body; tenantId is not read.
func TestProjectScopedCreates74(t *testing.T) {
	_, c := loggedIn(t)
	var sc wireSchedule
	st, raw := c.doScoped("POST", "/schedules", "proj-x", scheduleBody("x-nightly", "proj-other"), &sc)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	assert.Equal(t, "proj-x", sc.ProjectUUID, "the caller's project wins over the body")
	assert.NotContains(t, string(raw), "tenantId")

	var pol wirePolicy
	st, raw = c.doScoped("POST", "/policies/vm-backup", "proj-x", policyBody("x-gold", "", nil, destRule("r")), &pol)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	assert.Equal(t, "proj-x", pol.ProjectUUID)

	c.create("/policies/vm-backup?project-uuid=proj-y", policyBody("y-gold", "", nil, destRule("r")), &pol)
	assert.Equal(t, "proj-y", pol.ProjectUUID, "project-uuid on the POST")
	c.create("/policies/vm-backup", policyBody("z-gold", "proj-z", nil, destRule("r")), &pol)
	assert.Equal(t, "proj-z", pol.ProjectUUID, "no scope: the body's projectUuid")
	var t4 wirePolicy
	c.create("/policies/vm-backup", tenantBody(policyBody("t-gold", "proj-t", nil, destRule("r"))), &t4)
	assert.Empty(t, t4.ProjectUUID+t4.TenantID, "tenantId is a 4.x field: not read")
	c.create("/policies/vm-backup", map[string]any{"name": "shared", "visibleForAllProjects": true, "rules": []any{destRule("r")}}, nil)
	c.create("/policies/vm-backup", map[string]any{"name": "for-x", "projects": []map[string]string{{"guid": "proj-x"}}, "rules": []any{destRule("r")}}, nil)

	var ps []wirePolicy
	st, raw = c.doScoped("GET", "/policies/vm-backup", "proj-x", nil, &ps)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	assert.ElementsMatch(t, []string{"x-gold", "shared", "for-x"}, names(ps, func(p wirePolicy) string { return p.Name }),
		"own, visible for all, and listing the project")
	c.get("/policies/vm-backup?project-uuid=proj-y", &ps)
	assert.ElementsMatch(t, []string{"y-gold", "shared"}, names(ps, func(p wirePolicy) string { return p.Name }))
	var scheds []wireSchedule
	c.doScoped("GET", "/schedules", "proj-x", nil, &scheds)
	assert.Equal(t, []string{"x-nightly"}, names(scheds, func(s wireSchedule) string { return s.Name }))
	c.get("/schedules?tenantid=proj-x", &scheds)
	assert.Greater(t, len(scheds), 1, "tenantid is a 4.x parameter: not read")
}

// 7.4 policy details: projects, visibleForAllProjects, mailingList, and
// the VMs as VM list records; no tenantId. 4.0: none of these, VMs as
// references, tenantId.
func TestPolicyDetailsByGeneration(t *testing.T) {
	for _, version := range []string{ServerVersion74, ServerVersion40} {
		t.Run(version, func(t *testing.T) {
			_, c := loggedIn(t, WithServerVersion(version))
			var p map[string]any
			c.get("/policies/vm-backup/"+DemoPolicyGUID, &p)
			vms := p["vms"].([]any)
			require.NotEmpty(t, vms)
			vm := vms[0].(map[string]any)
			if version == ServerVersion74 {
				for _, k := range []string{"projects", "visibleForAllProjects", "mailingList", "projectUuid"} {
					assert.Contains(t, p, k)
				}
				assert.NotContains(t, p, "tenantId")
				assert.Equal(t, DemoTenantA, p["projectUuid"])
				for _, k := range []string{"guid", "name", "uuid", "present", "hvmType", "project", "vmBackupPolicy"} {
					assert.Contains(t, vm, k, "a VM list record")
				}
				var list []map[string]any
				c.get("/policies/vm-backup?extended=true", &list)
				assert.Contains(t, list[0]["vms"].([]any)[0], "present", "lists too")
				return
			}
			for _, k := range []string{"projects", "visibleForAllProjects", "mailingList", "projectUuid"} {
				assert.NotContains(t, p, k)
			}
			assert.Equal(t, DemoTenantA, p["tenantId"])
			assert.Equal(t, map[string]any{"guid": DemoVMTenantAWebGUID, "name": "a-web-1"}, vm, "a reference")
		})
	}
}

// 7.4 refuses a policy without rules on create and update, and a rule
// without a destination; the 400 names the field.
func TestPolicyRulesRequired74(t *testing.T) {
	_, c := loggedIn(t)
	for _, tc := range []struct {
		method, path string
		body         map[string]any
		msg          string
	}{
		{"POST", "/policies/vm-backup", map[string]any{"name": "n"}, "rules: required"},
		{"POST", "/policies/vm-backup", map[string]any{"name": "n", "rules": []any{}}, "rules: required"},
		{"PUT", "/policies/vm-backup/" + DemoPolicyGUID, map[string]any{"name": "gold", "priority": 10}, "rules: required"},
		{"POST", "/policies/vm-backup", map[string]any{"name": "n", "rules": []any{map[string]any{"name": "r"}}}, "rules[0].ruleBackupDestinations: required"},
		{"POST", "/rules/vm-backup", map[string]any{"name": "r", "policy": DemoPolicyGUID}, "ruleBackupDestinations: required"},
		{"PUT", "/rules/vm-backup/" + DemoRuleGUID, map[string]any{"name": "r"}, "ruleBackupDestinations: required"},
		{"POST", "/policies/vm-backup", map[string]any{"name": "n", "rules": []any{destRule(strings.Repeat("r", 256))}}, "rules[0].name: must be at most 255 characters"},
	} {
		st, _, raw := c.do(tc.method, tc.path, tc.body, nil)
		assert.Equal(t, http.StatusBadRequest, st, "%s %s", tc.method, tc.path)
		assert.Contains(t, errMsg(t, raw), tc.msg, "%s %s", tc.method, tc.path)
	}
	var gold Policy
	c.get("/policies/vm-backup/"+DemoPolicyGUID, &gold)
	assert.Equal(t, 50, gold.Priority, "the refused PUT changed nothing")
}

// 4.0: the guide's two-step flow. A policy without rules is created; rules
// in a policy body are ignored (create and update); the rule comes with
// POST /rules/vm-backup and, without a destination, gets the default one.
// tenantId is stored and filtered by, projectUuid and the header are not.
func TestPolicyTwoStepFlow40(t *testing.T) {
	_, c := loggedIn(t, WithServerVersion(ServerVersion40))
	var p map[string]any
	c.create("/policies/vm-backup", map[string]any{"name": "bronze", "autoAssignSettings": map[string]string{"mode": "DISABLED"},
		"vms": []string{DemoVMTenantBWebGUID}, "tenantId": "tenant-b", "projectUuid": "ignored", "rules": []any{destRule("inline")}}, &p)
	guid := p["guid"].(string)
	assert.Empty(t, p["rules"], "rules inside a policy are not read")
	assert.Equal(t, "tenant-b", p["tenantId"])
	assert.NotContains(t, p, "projectUuid")

	var r Rule
	c.create("/rules/vm-backup", map[string]any{"name": "Default", "schedules": []map[string]string{{"guid": DemoScheduleGUID}},
		"policy": map[string]string{"guid": guid}}, &r)
	assert.Equal(t, DemoDefaultDestinationGUID, r.RuleBackupDestinations[0].BackupDestination.GUID, "no destination: the default")
	assert.Equal(t, 1, r.VMCount)

	st, _, raw := c.do("PUT", "/policies/vm-backup/"+guid, map[string]any{"name": "bronze", "priority": 10, "rules": []any{}}, nil)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	var got Policy
	c.get("/policies/vm-backup/"+guid, &got)
	assert.Equal(t, 10, got.Priority, "a PUT without rules is fine")
	require.Len(t, got.Rules, 1, "and rules in it are ignored")
	assert.Equal(t, "tenant-b", got.TenantID, "kept when absent")

	var ps []Policy
	c.get("/policies/vm-backup?tenantId=tenant-b", &ps)
	assert.Equal(t, []string{"bronze"}, names(ps, func(p Policy) string { return p.Name }))
	st, raw = c.doScoped("GET", "/policies/vm-backup", "tenant-b", nil, &ps)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	assert.Len(t, ps, 2, "the 3rd-party-project header is a 7.x proxy's: not read")
	c.get("/policies/vm-backup?project-uuid=tenant-b", &ps)
	assert.Len(t, ps, 2, "project-uuid is a 7.x parameter: not read")
}

// 7.4 restores into the caller's project (project-uuid or the header, over
// restoreProject, which the UI no longer sends); 4.0 reads restoreProject
// and ignores the scope.
func TestRestoreIntoCallersProject(t *testing.T) {
	for _, tc := range []struct {
		version, want string
	}{{ServerVersion74, DemoTenantB}, {ServerVersion40, DemoTenantA}} {
		t.Run(tc.version, func(t *testing.T) {
			srv, c := loggedIn(t, WithServerVersion(tc.version), WithTaskModel(Instant))
			c.create("/tasks/restore-and-import?project-uuid="+DemoTenantB, map[string]any{
				"backup": DemoBackupTenantAWebFullGUID, "hypervisor": DemoOpenStackHypervisorGUID, "restoreProject": "tenant-a",
				"restoredPeName": "scoped"}, nil)
			vms := srv.VMs()
			vm := vms[len(vms)-1]
			require.Equal(t, "scoped", vm.Name)
			require.NotNil(t, vm.Project)
			assert.Equal(t, tc.want, vm.Project.UUID)
		})
	}
}
