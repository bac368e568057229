package vprotecttest

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The 7.x UI's calls as the UI sends them (reference 7x 0.1, 4.3, 5.2):
// whole records with extra fields, rules inside the snapshot policy body
// that the save flow sends again on their own, the snapshot rule updated
// through the VM backup rules' path.

func TestSnapshotPolicySaveFlowAsTheUISendsIt(t *testing.T) {
	srv, c := loggedIn(t, WithTaskModel(Instant))
	sched := map[string]any{"name": "snap-2300", "type": map[string]string{"name": "VM_SNAPSHOT"}, "executionType": "TIME",
		"hour": 23 * 3600 * 1000, "daysOfWeek": []string{"MONDAY"}}
	var sc Schedule
	st, _, raw := c.do("POST", "/schedules", sched, &sc)
	require.Equal(t, http.StatusCreated, st, "%s", raw)

	// Create: the policy (its rules, if the Rule tab was edited, ride along
	// and are ignored), then the rule named "Default" under the policy.
	policy := map[string]any{"name": "snap-gold", "priority": 50, "autoRemoveNonPresent": true, "backupRetryCount": 0,
		"autoAssignSettings":                     map[string]any{"mode": map[string]string{"name": "DISABLED"}, "includeTags": []string{}, "hvClusters": []any{}},
		"vms":                                    []map[string]string{{"guid": DemoVMRHV1GUID, "name": "rhv-vm-1"}},
		"rules":                                  []map[string]any{{"retentionVersions": 2, "retentionDays": 1, "schedules": []any{sc}}},
		"executeAutoAssignmentAfterSavingPolicy": true, "dailyReportEnabled": false, "isNotSaved": true}
	var p SnapshotPolicy
	st, _, raw = c.do("POST", "/policies/vm-snapshot", policy, &p)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	assert.Empty(t, p.Rules, "rules are saved by their own call")
	// Numbers typed into the form come as strings (reference 7x 0.1).
	rule := map[string]any{"retentionVersions": "2", "retentionDays": "1", "schedules": []any{sc}, "name": "Default",
		"policy": map[string]string{"guid": p.GUID}}
	var r SnapshotRule
	st, _, raw = c.do("POST", "/rules/vm-snapshot", rule, &r)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	assert.Equal(t, 1, r.SchedulesCount)
	assert.Equal(t, 1, r.VMCount)
	assert.Equal(t, 2, r.RetentionVersions)
	assert.Equal(t, 1, r.RetentionDays)

	// Update: PUT the policy, PUT the rule through /rules/vm-backup.
	rule["retentionVersions"] = 5
	st, _, raw = c.do("PUT", "/rules/vm-backup/"+r.GUID, rule, &r)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	assert.Equal(t, 5, r.RetentionVersions)
	c.get("/rules/vm-backup/"+r.GUID, &r)
	assert.Equal(t, 5, r.RetentionVersions)
	policy["priority"] = 70
	st, _, raw = c.do("PUT", "/policies/vm-snapshot/"+p.GUID, policy, &p)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	assert.Equal(t, 70, p.Priority)
	require.Len(t, p.Rules, 1)

	// The UI's snapshot task: the policy's VMs and its whole first rule.
	task := map[string]any{"priority": 50, "protectedEntities": p.VMs, "rule": p.Rules[0]}
	var tasks []Task
	st, _, raw = c.do("POST", "/tasks/vm-snapshot", task, &tasks)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	require.Len(t, tasks, 1)
	snaps := srv.Snapshots()
	require.Len(t, snaps, 1)
	assert.Equal(t, "PRESENT", snaps[0].Status.Name)
	assert.Equal(t, "rhv-vm-1", snaps[0].ProtectedEntity.Name)
	assert.Len(t, srv.SnapshotPolicies(), 1)

	// A VM_SNAPSHOT schedule takes snapshot rules only, and the reverse.
	sched["name"], sched["rules"] = "snap-wrong", []map[string]string{{"guid": DemoRuleGUID}}
	st, _, raw = c.do("POST", "/schedules", sched, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "rules[0]")
	rule["schedules"] = []map[string]string{{"guid": DemoScheduleGUID}}
	st, _, raw = c.do("PUT", "/rules/vm-backup/"+r.GUID, rule, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "VM_SNAPSHOT")
}

func TestVMSettingsAsTheUISendsThem(t *testing.T) {
	srv, c := loggedIn(t)
	var vm map[string]any
	c.get("/virtual-machines/"+DemoVMRHV2GUID, &vm)
	// The whole record back, with a policy list record and the UI's "no
	// credential" ({"name":""}).
	vm["vmBackupPolicy"] = map[string]any{"guid": DemoPolicyGUID, "name": "gold", "vmCount": 2, "averageBackupSize": 0}
	vm["credential"] = map[string]string{"name": ""}
	vm["sshPort"] = 2222
	var out VM
	st, _, raw := c.do("PUT", "/virtual-machines/"+DemoVMRHV2GUID+"/settings", vm, &out)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	assert.Equal(t, &NameAndGuid{GUID: DemoPolicyGUID, Name: "gold"}, out.VMBackupPolicy)
	assert.Nil(t, out.Credential)
	assert.Equal(t, 2222, out.SSHPort)
	for _, p := range srv.Policies() {
		if p.GUID == DemoPolicyGUID {
			assert.Len(t, p.VMs, 3)
		}
	}
	vm["vmBackupPolicy"] = map[string]string{"guid": "nope"}
	st, _, raw = c.do("PUT", "/virtual-machines/"+DemoVMRHV2GUID+"/settings", vm, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "vmBackupPolicy")

	// Disks: the whole disk with excludedFromBackup toggled.
	var disks []VMDisk
	c.get("/virtual-machine-disks?virtual-machine="+DemoVMRHV1GUID, &disks)
	require.Len(t, disks, 2)
	disks[0].ExcludedFromBackup = true
	st, _, raw = c.do("PUT", "/virtual-machine-disks/"+disks[0].GUID+"/settings", disks[0], nil)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	excluded := 0
	for _, d := range srv.VMDisks() {
		if d.ExcludedFromBackup {
			excluded++
		}
	}
	assert.Equal(t, 1, excluded)
}

func TestListByEntitiesTakesStrings(t *testing.T) {
	_, c := loggedIn(t)
	var ps []Policy
	st, _, raw := c.do("POST", "/policies/vm-backup/list-by-entities", `{"protectedEntities":["`+DemoVMTenantADBGUID+`"]}`, &ps)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	require.Len(t, ps, 1)
	assert.Equal(t, "gold", ps[0].Name)
	require.Len(t, ps[0].Rules, 1)
	st, _, _ = c.do("POST", "/policies/vm-backup/list-by-entities", `{"protectedEntities":["nope"]}`, nil)
	assert.Equal(t, http.StatusBadRequest, st)
}

func TestMailingListsWire(t *testing.T) {
	srv, c := loggedIn(t)
	var m MailingList
	st, _, raw := c.do("POST", "/mailing-lists", `{"name":"ops","recipients":["ops@example.com"]}`, &m)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	var list []map[string]any
	h := c.get("/mailing-lists?page=0&size=10", &list)
	assert.Equal(t, "1", h.Get("X-Total-Count"))
	assert.Equal(t, []map[string]any{{"guid": m.GUID, "name": "ops", "recipientCount": float64(1)}}, list)
	st, _, raw = c.do("PUT", "/mailing-lists/"+m.GUID, `{"guid":"`+m.GUID+`","name":"ops","recipients":["not an address"]}`, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "recipients[0]")
	assert.Len(t, srv.MailingLists(), 1)
}

func TestSSHPasswordKeptNeverAnswered(t *testing.T) {
	srv, c := loggedIn(t)
	path := "/virtual-machines/" + DemoVMRHV1GUID + "/ssh-password"
	st, _, raw := c.do("PUT", path, map[string]string{"value": "hunter2-ssh"}, nil)
	require.Equal(t, http.StatusNoContent, st, "%s", raw)
	st, _, raw = c.do("PUT", path, `{}`, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "value")
	st, _, _ = c.do("PUT", "/virtual-machines/00000000-0000-4000-8000-00000000ffff/ssh-password", map[string]string{"value": "x"}, nil)
	assert.Equal(t, http.StatusNotFound, st)

	var vm map[string]any
	c.get("/virtual-machines/"+DemoVMRHV1GUID, &vm)
	assert.NotContains(t, fmt.Sprint(vm), "hunter2-ssh")
	for _, r := range srv.Requests() {
		assert.NotContains(t, string(r.Body), "hunter2-ssh", "the request log masks it")
	}
}

func TestCredentialsListed(t *testing.T) {
	_, c := loggedIn(t)
	var creds []map[string]any
	c.get("/credential", &creds)
	require.Len(t, creds, 2)
	assert.Equal(t, map[string]any{"guid": DemoCredentialLinuxGUID, "name": "linux-root", "user": "root"}, creds[0])
	assert.Equal(t, "windows-admin", creds[1]["name"])
}

func TestSnapshotWarningsAcknowledged(t *testing.T) {
	srv, c := loggedIn(t, WithTaskModel(Instant))
	var p SnapshotPolicy
	st, _, raw := c.do("POST", "/policies/vm-snapshot", map[string]any{"name": "warned", "priority": 50,
		"vms": []map[string]string{{"guid": DemoVMRHV2GUID}}}, &p)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	var r SnapshotRule
	st, _, raw = c.do("POST", "/rules/vm-snapshot", map[string]any{"name": "Default", "retentionVersions": 1, "retentionDays": 1,
		"policy": map[string]string{"guid": p.GUID}}, &r)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	srv.FailNextTask("SNAPSHOT", DemoVMRHV2GUID, "guest agent not responding")
	st, _, raw = c.do("POST", "/tasks/vm-snapshot", map[string]any{"protectedEntities": []map[string]string{{"guid": DemoVMRHV2GUID}},
		"rule": map[string]string{"guid": r.GUID}}, nil)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	snaps := srv.Snapshots()
	require.Len(t, snaps, 1)
	require.True(t, snaps[0].WarningsPresent, "%+v", snaps[0])

	st, _, raw = c.do("PUT", "/snapshots/warnings-acknowledged", map[string]any{"guids": []string{snaps[0].GUID, "nope"}}, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "guids[1]")
	assert.True(t, srv.Snapshots()[0].WarningsPresent, "a bad batch changes nothing")
	st, _, raw = c.do("PUT", "/snapshots/warnings-acknowledged", map[string]any{"guids": []string{}}, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "guids")

	var out []Snapshot
	st, _, raw = c.do("PUT", "/snapshots/warnings-acknowledged", map[string]any{"guids": []string{snaps[0].GUID}}, &out)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	require.Len(t, out, 1)
	assert.False(t, out[0].WarningsPresent)
	assert.Equal(t, []string{}, out[0].Warnings)
	assert.False(t, srv.Snapshots()[0].WarningsPresent)
}
