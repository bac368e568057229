package vprotect_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// The integration suite runs every use case of the vendor's integration
// guide through the SDK against the fake server.

// fakeClient starts the fake with opts and returns a client logged in as its
// default user, polling without pause.
func fakeClient(t *testing.T, opts ...vprotecttest.Option) (*vprotect.Client, *vprotecttest.Server) {
	t.Helper()
	srv := vprotecttest.Start(t, opts...)
	c, err := vprotect.New(srv.URL(),
		vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword),
		vprotect.WithPollInterval(0))
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c, srv
}

// serverVersions are the generations the fake plays. The tests whose
// outcome depends on the generation (tenancy, the policy flows) run once
// per version through eachServerVersion; the rest run against the default,
// 7.4, and so do the tests of what only 7.x servers serve (file-level
// restore, snapshots, the VM page, retention, restore jobs: a 4.0 fake
// answers them 404), which say so.
var serverVersions = []string{vprotecttest.ServerVersion74, vprotecttest.ServerVersion40}

// eachServerVersion runs f as a subtest per server generation; f starts
// its fake with vprotecttest.WithServerVersion(version).
func eachServerVersion(t *testing.T, f func(t *testing.T, version string)) {
	t.Helper()
	for _, v := range serverVersions {
		t.Run(v, func(t *testing.T) { f(t, v) })
	}
}

func names(vms []vprotect.VirtualMachine) []string {
	out := make([]string, len(vms))
	for i, vm := range vms {
		out[i] = vm.Name
	}
	return out
}

// Guide use case 1: list the VMs of a tenant, on either generation (the
// SDK sends the tenant as tenantid and project-uuid).
func TestIntegrationVMsPerTenant(t *testing.T) {
	eachServerVersion(t, testVMsPerTenant)
}

func testVMsPerTenant(t *testing.T, version string) {
	c, _ := fakeClient(t, vprotecttest.WithServerVersion(version))
	ctx := context.Background()
	a, err := c.VMs.List(ctx, &vprotect.VMListOptions{TenantID: vprotecttest.DemoTenantA})
	require.NoError(t, err)
	b, err := c.VMs.List(ctx, &vprotect.VMListOptions{TenantID: vprotecttest.DemoTenantB})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(a), 3)
	require.GreaterOrEqual(t, len(b), 3)
	for _, vm := range a {
		require.NotNil(t, vm.Project, vm.Name)
		assert.NotContains(t, names(b), vm.Name, "tenant isolation")
	}
	assert.Contains(t, names(a), "a-web-1")
	assert.Contains(t, names(b), "b-web-1")

	rhv, err := c.VMs.List(ctx, &vprotect.VMListOptions{HypervisorManagerType: vprotect.HypervisorManagerTypeRHV})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(rhv), 3)
	for _, vm := range rhv {
		assert.Equal(t, vprotect.HypervisorManagerTypeRHV, vm.HVMType.Name)
	}

	page, err := c.VMs.ListPage(ctx, &vprotect.VMListOptions{ListOptions: vprotect.ListOptions{Size: 2, OrderBy: "name"}})
	require.NoError(t, err)
	assert.Len(t, page.Items, 2)
	assert.Greater(t, page.Total, 2)

	n := 0
	for vm, err := range c.VMs.All(ctx, nil) {
		require.NoError(t, err)
		require.NotEmpty(t, vm.GUID)
		n++
	}
	assert.Equal(t, page.Total, n, "All pages through every VM")
}

// Guide use case 2: VM details.
func TestIntegrationVMDetails(t *testing.T) {
	c, _ := fakeClient(t)
	vm, err := c.VMs.Get(context.Background(), vprotecttest.DemoVMTenantAWebGUID)
	require.NoError(t, err)
	assert.Equal(t, "a-web-1", vm.Name)
	assert.True(t, vm.Present)
	require.NotNil(t, vm.VMBackupPolicy)
	assert.Equal(t, vprotecttest.DemoPolicyGUID, vm.VMBackupPolicy.GUID)
	assert.Greater(t, vm.LastSuccessfulBackupSize, int64(0))
	assert.False(t, vm.LastBackup.IsZero())

	_, err = c.VMs.Get(context.Background(), "no-such-vm")
	assert.ErrorIs(t, err, vprotect.ErrNotFound)
}

// Guide use cases 3 and 4: back up a VM and follow its tasks to the end.
func TestIntegrationExportAndWaitThroughStore(t *testing.T) {
	c, srv := fakeClient(t, vprotecttest.WithTaskModel(vprotecttest.StepPerPoll), vprotecttest.WithoutTaskHistory())
	ctx := context.Background()
	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{
		ProtectedEntities: []string{vprotecttest.DemoVMTenantAWebGUID},
		BackupType:        vprotect.BackupTypeFull,
		BackupDestination: vprotecttest.DemoDefaultDestinationGUID,
	})
	require.NoError(t, err)
	require.Len(t, res.Tasks, 1)
	export := res.Tasks[0]
	assert.Equal(t, vprotect.TaskTypeExport, export.Type.Name)
	require.NotNil(t, export.Backup)
	assert.Equal(t, []vprotect.NameAndGuid{{GUID: vprotecttest.DemoVMTenantAWebGUID, Name: "a-web-1"}}, res.Successful)

	var seen []vprotect.TaskType
	backup, err := c.Tasks.WaitForBackupFunc(ctx, export.GUID, func(t *vprotect.Task) {
		if len(seen) == 0 || seen[len(seen)-1] != t.Type.Name {
			seen = append(seen, t.Type.Name)
		}
	})
	require.NoError(t, err)
	assert.Equal(t, []vprotect.TaskType{vprotect.TaskTypeExport, vprotect.TaskTypeStore}, seen)
	assert.Equal(t, export.Backup.GUID, backup.GUID)
	assert.Equal(t, vprotect.BackupStatusSuccess, backup.Status.Name)
	assert.Greater(t, backup.Size, int64(0))

	stores, err := c.Tasks.List(ctx, &vprotect.TaskListOptions{ParentTask: export.GUID})
	require.NoError(t, err)
	require.Len(t, stores, 1)
	assert.Equal(t, vprotect.TaskTypeStore, stores[0].Type.Name)
	assert.Equal(t, vprotect.TaskStateFinished, stores[0].State.Name)

	exports := 0
	for _, task := range srv.Tasks() {
		if task.Type.Name == "EXPORT" {
			exports++
		}
	}
	assert.Equal(t, 1, exports, "one EXPORT per VM asked")
}

func TestIntegrationFailedExport(t *testing.T) {
	c, srv := fakeClient(t, vprotecttest.WithTaskModel(vprotecttest.StepPerPoll))
	srv.FailNextTask("EXPORT", vprotecttest.DemoVMTenantADBGUID, "snapshot failed: disk busy")
	ctx := context.Background()
	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{vprotecttest.DemoVMTenantADBGUID}})
	require.NoError(t, err)
	_, err = c.Tasks.WaitForBackup(ctx, res.Tasks[0].GUID)
	var tfe *vprotect.TaskFailedError
	require.ErrorAs(t, err, &tfe)
	assert.ErrorIs(t, err, vprotect.ErrTaskFailed)
	assert.Equal(t, "snapshot failed: disk busy", tfe.StatusInfo)
}

func TestIntegrationWaitAllAndCancel(t *testing.T) {
	c, _ := fakeClient(t, vprotecttest.WithTaskModel(vprotecttest.StepPerPoll))
	ctx := context.Background()
	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{
		vprotecttest.DemoVMTenantBWebGUID, vprotecttest.DemoVMTenantBDBGUID, vprotecttest.DemoVMTenantBAppGUID}})
	require.NoError(t, err)
	require.Len(t, res.Tasks, 3)
	require.NoError(t, c.Tasks.Cancel(ctx, res.Tasks[2].GUID))
	guids := []string{res.Tasks[0].GUID, res.Tasks[1].GUID, res.Tasks[2].GUID}
	tasks, err := c.Tasks.WaitAll(ctx, guids...)
	require.Error(t, err)
	assert.ErrorIs(t, err, vprotect.ErrTaskCancelled)
	require.Len(t, tasks, 3)
	assert.Equal(t, vprotect.TaskStateFinished, tasks[0].State.Name)
	assert.Equal(t, vprotect.TaskStateFinished, tasks[1].State.Name)
	assert.Equal(t, vprotect.TaskStateCancelled, tasks[2].State.Name)

	b, err := c.Backups.Get(ctx, res.Tasks[2].Backup.GUID)
	require.NoError(t, err)
	assert.Equal(t, vprotect.BackupStatusFailed, b.Status.Name, "a cancelled export fails its backup")
}

// Guide use case 4: task listing by each filter.
func TestIntegrationTaskFilters(t *testing.T) {
	eachServerVersion(t, testTaskFilters)
}

func testTaskFilters(t *testing.T, version string) {
	c, _ := fakeClient(t, vprotecttest.WithServerVersion(version), vprotecttest.WithTaskModel(vprotecttest.Instant))
	ctx := context.Background()
	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{
		ProtectedEntities: []string{vprotecttest.DemoVMTenantAWebGUID, vprotecttest.DemoVMRHV1GUID},
		BackupDestination: vprotecttest.DemoDefaultDestinationGUID,
	})
	require.NoError(t, err)
	require.Len(t, res.Tasks, 2)
	web := res.Tasks[0]
	cases := []struct {
		name string
		opts vprotect.TaskListOptions
		want func(vprotect.Task) bool
	}{
		{"protected-entity", vprotect.TaskListOptions{ProtectedEntity: vprotecttest.DemoVMTenantAWebGUID},
			func(t vprotect.Task) bool {
				return t.ProtectedEntity != nil && t.ProtectedEntity.GUID == vprotecttest.DemoVMTenantAWebGUID
			}},
		{"backup", vprotect.TaskListOptions{Backup: web.Backup.GUID},
			func(t vprotect.Task) bool { return t.Backup != nil && t.Backup.GUID == web.Backup.GUID }},
		{"type", vprotect.TaskListOptions{Type: vprotect.TaskTypeStore},
			func(t vprotect.Task) bool { return t.Type.Name == vprotect.TaskTypeStore }},
		{"state", vprotect.TaskListOptions{State: vprotect.TaskStateFinished},
			func(t vprotect.Task) bool { return t.State.Name == vprotect.TaskStateFinished }},
		{"states", vprotect.TaskListOptions{States: []vprotect.TaskState{vprotect.TaskStateFinished, vprotect.TaskStateFailed}},
			func(t vprotect.Task) bool { return t.State.Name.IsTerminal() }},
		{"parent-task", vprotect.TaskListOptions{ParentTask: web.GUID},
			func(t vprotect.Task) bool { return t.ParentTask != nil && t.ParentTask.GUID == web.GUID }},
		{"node", vprotect.TaskListOptions{Node: vprotecttest.DemoNodeGUID},
			func(t vprotect.Task) bool { return t.Node != nil && t.Node.GUID == vprotecttest.DemoNodeGUID }},
		{"backup-destination", vprotect.TaskListOptions{BackupDestination: vprotecttest.DemoDefaultDestinationGUID},
			func(t vprotect.Task) bool {
				return t.BackupDestination != nil && t.BackupDestination.GUID == vprotecttest.DemoDefaultDestinationGUID
			}},
		{"hypervisor-manager", vprotect.TaskListOptions{HypervisorManager: vprotecttest.DemoRHVManagerGUID},
			func(t vprotect.Task) bool {
				return t.HypervisorManager != nil && t.HypervisorManager.GUID == vprotecttest.DemoRHVManagerGUID
			}},
		{"tenantId", vprotect.TaskListOptions{TenantID: vprotecttest.DemoTenantA},
			func(t vprotect.Task) bool {
				return t.ProtectedEntity != nil && slices.Contains([]string{vprotecttest.DemoVMTenantAWebGUID, vprotecttest.DemoVMTenantADBGUID,
					vprotecttest.DemoVMTenantAAppGUID, vprotecttest.DemoVMRemovedGUID}, t.ProtectedEntity.GUID)
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			tasks, err := c.Tasks.List(ctx, &opts)
			require.NoError(t, err)
			require.NotEmpty(t, tasks)
			for _, task := range tasks {
				assert.True(t, tc.want(task), "%s %s does not match", task.Type.Name, task.GUID)
			}
		})
	}
}

// Guide use case 5: backup history.
func TestIntegrationBackupHistory(t *testing.T) {
	c, _ := fakeClient(t)
	ctx := context.Background()
	backups, err := c.Backups.ListForVM(ctx, vprotecttest.DemoVMTenantAWebGUID)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(backups), 2)
	for _, b := range backups {
		assert.Equal(t, vprotecttest.DemoVMTenantAWebGUID, b.ProtectedEntity.GUID)
	}
	ok, err := c.Backups.List(ctx, &vprotect.BackupListOptions{
		ProtectedEntity: vprotecttest.DemoVMTenantAWebGUID,
		Statuses:        []vprotect.BackupStatus{vprotect.BackupStatusSuccess, vprotect.BackupStatusPartialSuccess},
		From:            time.Now().Add(-48 * time.Hour),
	})
	require.NoError(t, err)
	require.Len(t, ok, 1, "only the incremental of a day ago is newer than two days")
	full, err := c.Backups.Get(ctx, vprotecttest.DemoBackupTenantAWebFullGUID)
	require.NoError(t, err)
	require.NotEmpty(t, full.BackupLocations)
	assert.Equal(t, vprotect.BackupLocationStatusPresent, full.BackupLocations[0].Status.Name)

	removed, err := c.Backups.ListForVM(ctx, vprotecttest.DemoVMRemovedGUID)
	require.NoError(t, err)
	assert.NotEmpty(t, removed, "a VM no longer present keeps its backups")
}

// Guide use case 6: restore a backup under a new name and find the VM.
func TestIntegrationRestoreAndImport(t *testing.T) {
	c, _ := fakeClient(t, vprotecttest.WithTaskModel(vprotecttest.StepPerPoll))
	ctx := context.Background()
	managers, err := c.HypervisorManagers.List(ctx, &vprotect.HypervisorManagerListOptions{BackupToBeRestored: vprotecttest.DemoBackupTenantAWebFullGUID})
	require.NoError(t, err)
	require.NotEmpty(t, managers)
	storages, err := c.HypervisorStorages.List(ctx, &vprotect.StorageListOptions{HypervisorManager: managers[0].GUID})
	require.NoError(t, err)
	require.NotEmpty(t, storages)

	task, err := c.Tasks.RestoreAndImport(ctx, vprotect.RestoreRequest{
		Backup:            vprotecttest.DemoBackupTenantAWebFullGUID,
		HypervisorManager: managers[0].GUID,
		RestoredPEName:    "a-web-1-restored",
		RestoreStorageID:  storages[0].UUID,
	})
	require.NoError(t, err)
	assert.Equal(t, vprotect.TaskTypeRestore, task.Type.Name)
	imp, err := c.Tasks.WaitForRestore(ctx, task.GUID)
	require.NoError(t, err)
	assert.Equal(t, vprotect.TaskTypeImport, imp.Type.Name)
	assert.Equal(t, vprotect.TaskStateFinished, imp.State.Name)

	vms, err := c.VMs.List(ctx, &vprotect.VMListOptions{ListOptions: vprotect.ListOptions{Filter: "a-web-1-restored"}})
	require.NoError(t, err)
	require.Contains(t, names(vms), "a-web-1-restored")
}

func TestIntegrationRestoreArgumentsCheckedFirst(t *testing.T) {
	c, srv := fakeClient(t)
	_, err := c.Tasks.RestoreAndImport(context.Background(), vprotect.RestoreRequest{
		Backup: vprotecttest.DemoBackupTenantAWebFullGUID, Hypervisor: vprotecttest.DemoRHVHypervisorGUID, HypervisorManager: vprotecttest.DemoRHVManagerGUID})
	var ae *vprotect.ArgumentError
	require.ErrorAs(t, err, &ae)
	assert.Zero(t, srv.Calls("POST /tasks/restore-and-import"))
}

// Guide use case 7: schedules, policies and rules, in the guide's two-step
// flow (policy, then rule) and in the 7.x single request.
func TestIntegrationSchedulesPoliciesRules(t *testing.T) {
	eachServerVersion(t, testSchedulesPoliciesRules)
}

// One program against either generation: a schedule, then a policy with
// its rule inside (one request on 7.4; on 4.0, which ignores rules in a
// policy, Create adds the rule with POST /rules/vm-backup), the tenant set
// once and listed by it, get-modify-put, delete.
func testSchedulesPoliciesRules(t *testing.T, version string) {
	c, srv := fakeClient(t, vprotecttest.WithServerVersion(version))
	ctx := context.Background()

	sched := vprotect.NewTimeSchedule("tenant-a-nightly", 22*time.Hour, 4*time.Hour, time.Monday, time.Thursday)
	sched.TenantID = vprotecttest.DemoTenantA
	created, err := c.Schedules.Create(ctx, sched)
	require.NoError(t, err)
	require.NotEmpty(t, created.GUID)
	assert.Equal(t, vprotecttest.DemoTenantA, created.TenantID, "the tenant comes back in either spelling")
	assert.Equal(t, vprotecttest.DemoTenantA, created.ProjectUUID)
	_, err = c.Schedules.Create(ctx, sched)
	assert.ErrorIs(t, err, vprotect.ErrConflict, "schedule names are unique")

	pol := vprotect.NewPolicy("tenant-a-silver", vprotecttest.DemoVMTenantAAppGUID)
	pol.Priority, pol.TenantID = 60, vprotecttest.DemoTenantA
	pol.Rules = []vprotect.Rule{*vprotect.NewRule("Default", "", []string{created.GUID}, vprotecttest.DemoDefaultDestinationGUID)}
	pol, err = c.Policies.Create(ctx, pol)
	require.NoError(t, err)
	assert.Equal(t, vprotect.AutoAssignModeDisabled, pol.AutoAssignSettings.Mode.Name, "DISABLED by default")
	assert.Equal(t, vprotecttest.DemoTenantA, pol.TenantID)
	require.Len(t, pol.Rules, 1, "the rule, inside the policy or created after it")
	rule := pol.Rules[0]
	ruleCreates := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && r.Path == "/api/rules/vm-backup" {
			ruleCreates++
		}
	}
	if version == vprotecttest.ServerVersion40 {
		assert.Equal(t, 1, ruleCreates, "4.0 ignores rules in a policy: the guide's second step")
	} else {
		assert.Zero(t, ruleCreates, "7.4 takes the rules in one request")
	}

	got, err := c.Schedules.Get(ctx, created.GUID)
	require.NoError(t, err)
	assert.Contains(t, got.Rules, vprotect.NameAndGuid{GUID: rule.GUID, Name: rule.Name}, "the schedule lists the rule")
	vm, err := c.VMs.Get(ctx, vprotecttest.DemoVMTenantAAppGUID)
	require.NoError(t, err)
	assert.Equal(t, pol.GUID, vm.VMBackupPolicy.GUID)

	// Update (get, modify, put).
	got.StartWindowLength = vprotect.Ptr(vprotect.Duration(2 * time.Hour))
	upd, err := c.Schedules.Update(ctx, got.GUID, got)
	require.NoError(t, err)
	assert.Equal(t, 2*time.Hour, upd.StartWindowLength.Std())
	polGot, err := c.Policies.Get(ctx, pol.GUID)
	require.NoError(t, err)
	require.Len(t, polGot.Rules, 1)
	assert.Equal(t, []vprotect.NameAndGuid{{GUID: vprotecttest.DemoVMTenantAAppGUID, Name: "a-app-1"}}, polGot.VMs,
		"VM list records (7.4) and references (4.0) read alike")
	polGot.Priority = 70
	_, err = c.Policies.Update(ctx, pol.GUID, polGot)
	require.NoError(t, err)
	polGot, err = c.Policies.Get(ctx, pol.GUID)
	require.NoError(t, err)
	assert.Equal(t, 70, polGot.Priority)
	require.Len(t, polGot.Rules, 1)
	assert.Equal(t, rule.GUID, polGot.Rules[0].GUID, "the rule kept its identity")

	// Tenant filter.
	mine, err := c.Policies.List(ctx, &vprotect.PolicyListOptions{TenantID: vprotecttest.DemoTenantA})
	require.NoError(t, err)
	theirs, err := c.Policies.List(ctx, &vprotect.PolicyListOptions{ProjectUUID: vprotecttest.DemoTenantB})
	require.NoError(t, err)
	for _, p := range theirs {
		assert.NotEqual(t, "tenant-a-silver", p.Name)
	}
	assert.Contains(t, policyNames(mine), "tenant-a-silver")
	assert.Contains(t, policyNames(mine), "gold")
	scheds, err := c.Schedules.List(ctx, &vprotect.ScheduleListOptions{TenantID: vprotecttest.DemoTenantA})
	require.NoError(t, err)
	require.NotEmpty(t, scheds)
	for _, s := range scheds {
		assert.Equal(t, vprotecttest.DemoTenantA, s.TenantID, s.Name)
	}

	// Delete: the policy takes its rules along; the schedule stays, unlinked.
	require.NoError(t, c.Policies.Delete(ctx, pol.GUID))
	_, err = c.Rules.Get(ctx, rule.GUID)
	assert.ErrorIs(t, err, vprotect.ErrNotFound)
	got, err = c.Schedules.Get(ctx, created.GUID)
	require.NoError(t, err)
	assert.Empty(t, got.Rules)
	require.NoError(t, c.Schedules.Delete(ctx, created.GUID))
	_, err = c.Schedules.Get(ctx, created.GUID)
	assert.ErrorIs(t, err, vprotect.ErrNotFound)
	for _, r := range srv.Rules() {
		assert.NotEqual(t, rule.GUID, r.GUID, "the fake kept a rule of a deleted policy")
	}
}

// The guide's two-step flow: a policy without rules, then its rule. A 4.0
// server takes it; a 7.4 server refuses the first step, naming rules.
func TestIntegrationPolicyTwoStepFlow(t *testing.T) {
	eachServerVersion(t, func(t *testing.T, version string) {
		c, _ := fakeClient(t, vprotecttest.WithServerVersion(version))
		ctx := context.Background()
		pol, err := c.Policies.Create(ctx, vprotect.NewPolicy("two-step", vprotecttest.DemoVMTenantBAppGUID))
		if version == vprotecttest.ServerVersion74 {
			require.ErrorIs(t, err, vprotect.ErrBadRequest)
			assert.Contains(t, err.Error(), "rules", "the 400 names the field")
			return
		}
		require.NoError(t, err)
		assert.Empty(t, pol.Rules)
		rule, err := c.Rules.Create(ctx, vprotect.NewRule("Default", pol.GUID, []string{vprotecttest.DemoScheduleGUID}, vprotecttest.DemoDefaultDestinationGUID))
		require.NoError(t, err)
		got, err := c.Policies.Get(ctx, pol.GUID)
		require.NoError(t, err)
		require.Len(t, got.Rules, 1)
		assert.Equal(t, rule.GUID, got.Rules[0].GUID)
	})
}

func policyNames(ps []vprotect.Policy) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

// A session that expires in the middle of a flow is never seen by the caller.
func TestIntegrationSessionExpiryIsInvisible(t *testing.T) {
	c, srv := fakeClient(t, vprotecttest.WithTaskModel(vprotecttest.StepPerPoll))
	ctx := context.Background()
	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{vprotecttest.DemoVMTenantAWebGUID}})
	require.NoError(t, err)
	srv.ExpireSessions()
	_, err = c.Tasks.WaitForBackup(ctx, res.Tasks[0].GUID)
	require.NoError(t, err)
	srv.ExpireSessions()
	_, err = c.VMs.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, srv.Logins(), "the first login and one per expiry")
}

func TestIntegrationWrongPassword(t *testing.T) {
	srv := vprotecttest.Start(t)
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials("admin", "not-the-password"))
	require.NoError(t, err)
	defer c.Close()
	_, err = c.VMs.List(context.Background(), nil)
	assert.True(t, errors.Is(err, vprotect.ErrInvalidCredentials))
	assert.Zero(t, srv.Logins())
}

// Restore targets against the fake: the VM's own manager with its storage
// and cluster first, by UUID in the request; RestoreAs restores next to the
// source under the name given and waits for the IMPORT.
func TestIntegrationRestoreTargetsAndRestoreAs(t *testing.T) {
	c, srv := fakeClient(t, vprotecttest.WithTaskModel(vprotecttest.StepPerPoll))
	ctx := context.Background()
	for backup, want := range map[string]vprotect.RestoreRequest{
		vprotecttest.DemoBackupTenantAWebFullGUID: {Backup: vprotecttest.DemoBackupTenantAWebFullGUID, HypervisorManager: vprotecttest.DemoOpenStackManagerGUID,
			RestoreStorageID: vprotecttest.DemoOpenStackStorageUUID, RestoreClusterID: vprotecttest.DemoOpenStackClusterUUID, RestoredPEName: "copy"},
		vprotecttest.DemoBackupRHV1GUID: {Backup: vprotecttest.DemoBackupRHV1GUID, HypervisorManager: vprotecttest.DemoRHVManagerGUID,
			RestoreStorageID: vprotecttest.DemoRHVStorageUUID, RestoreClusterID: vprotecttest.DemoRHVClusterUUID, RestoredPEName: "copy"},
	} {
		targets, err := c.Backups.RestoreTargets(ctx, backup)
		require.NoError(t, err)
		require.NotEmpty(t, targets)
		assert.True(t, targets[0].Original, "%s: the VM's own place first", backup)
		assert.Equal(t, want, targets[0].Request(backup, "copy"))
	}
	targets, err := c.Backups.RestoreTargets(ctx, vprotecttest.DemoBackupTenantAWebFullGUID)
	require.NoError(t, err)
	assert.Equal(t, "hypervisor manager openstack (OPENSTACK), storage ceph-volumes, cluster nova", targets[0].String())

	// The VM of this backup is gone from its hypervisor: still a target.
	targets, err = c.Backups.RestoreTargets(ctx, vprotecttest.DemoBackupRemovedVMGUID)
	require.NoError(t, err)
	assert.NotEmpty(t, targets)

	var seen []string
	imported, err := c.Backups.RestoreAs(ctx, vprotecttest.DemoBackupTenantAWebFullGUID, "a-web-1-copy", func(t *vprotect.Task) {
		seen = append(seen, string(t.Type.Name))
	})
	require.NoError(t, err)
	assert.Equal(t, vprotect.TaskTypeImport, imported.Type.Name)
	assert.Equal(t, vprotect.TaskStateFinished, imported.State.Name)
	require.NotNil(t, imported.DstProtectedEntity)
	assert.Equal(t, "a-web-1-copy", imported.DstProtectedEntity.Name)
	assert.Contains(t, seen, "RESTORE")
	assert.Contains(t, seen, "IMPORT")
	vm, err := c.VMs.Get(ctx, imported.DstProtectedEntity.GUID)
	require.NoError(t, err)
	assert.Equal(t, "a-web-1-copy", vm.Name)
	require.NotNil(t, vm.HVManager)
	assert.Equal(t, vprotecttest.DemoOpenStackManagerGUID, vm.HVManager.GUID, "next to the source")
	reqs := srv.Requests()
	var restore []byte
	for _, r := range reqs {
		if r.Method == "POST" && r.Path == "/api/tasks/restore-and-import" {
			restore = r.Body
		}
	}
	assert.JSONEq(t, `{"backup":{"guid":"`+vprotecttest.DemoBackupTenantAWebFullGUID+`"},"hypervisorManager":{"guid":"`+vprotecttest.DemoOpenStackManagerGUID+`"},
		"restoredPeName":"a-web-1-copy","restoreStorageId":"`+vprotecttest.DemoOpenStackStorageUUID+`","restoreClusterId":"`+vprotecttest.DemoOpenStackClusterUUID+`"}`, string(restore))

	// No name: refused before any request.
	before := srv.Calls("POST /tasks/restore-and-import")
	_, err = c.Backups.RestoreAs(ctx, vprotecttest.DemoBackupTenantAWebFullGUID, "", nil)
	var ae *vprotect.ArgumentError
	require.ErrorAs(t, err, &ae)
	_, err = c.Tasks.RestoreAndImport(ctx, targets[0].Request(vprotecttest.DemoBackupRemovedVMGUID, ""))
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "RestoreRequest.RestoredPEName", ae.Field)
	assert.Equal(t, before, srv.Calls("POST /tasks/restore-and-import"))
}

// seedWithVMs is the demo data plus n present VMs of tenant-a, named
// bulk-001 on, for batch waits.
func seedWithVMs(n int) vprotecttest.Seed {
	seed := vprotecttest.DemoSeedAt(time.Now())
	template := seed.VMs[0] // a-web-1
	for i := 1; i <= n; i++ {
		vm := template
		vm.GUID = fmt.Sprintf("00000000-0000-4000-8000-%012d", 500000+i)
		vm.UUID = fmt.Sprintf("11111111-0000-4000-8000-%012d", 500000+i)
		vm.Name = fmt.Sprintf("bulk-%03d", i)
		seed.VMs = append(seed.VMs, vm)
	}
	return seed
}

// waitCost counts the requests of a wait by kind.
type waitCost struct {
	polls      int // GET /tasks?states=QUEUED&states=RUNNING, or GET /tasks?page=0&size=500
	finals     int // GET /tasks?states=FINISHED&states=FAILED&states=CANCELLED
	gets       int // GET /tasks/{guid}
	lookups    int // GET /tasks?backup={guid}&type=STORE
	backupList int // GET /backups?from=...
	backupGets int // GET /backups/{guid}
}

func (w waitCost) total() int {
	return w.polls + w.finals + w.gets + w.lookups + w.backupList + w.backupGets
}

func (w waitCost) String() string {
	return fmt.Sprintf("%d requests (%d polls, %d lists of ended tasks, %d backup lists, %d task reads, %d STORE look-ups, %d backup reads)",
		w.total(), w.polls, w.finals, w.backupList, w.gets, w.lookups, w.backupGets)
}

// backupWaitCost exports the bulk VMs of a fresh fake and waits for the
// whole backups with wait, returning the requests the wait made by kind.
// Tasks run for their default times (EXPORT 3 s, STORE 2 s, two at a time
// per node) on a fake clock that each poll moves 2 s on, as a real wait
// polling every 2 s would see them: a poll is the list request
// (GET /tasks?states=QUEUED&states=RUNNING) the waits make once per round.
func backupWaitCost(t *testing.T, n int, concurrent int, wait func(ctx context.Context, c *vprotect.Client, exports []string) error) waitCost {
	t.Helper()
	clock := vprotecttest.NewFakeClock(time.Now().Truncate(time.Second)) // whole seconds, as the task times and the polls
	srv := vprotecttest.Start(t, vprotecttest.WithSeed(seedWithVMs(n)), vprotecttest.WithClock(clock),
		vprotecttest.WithConcurrentTasksPerNode(concurrent))
	// A poll lists the tasks still queued or running, or (while tasks end
	// and it fits in a page) the whole list.
	isPoll := func(path string, q url.Values) bool {
		return path == "/api/tasks" && (slices.Contains(q["states"], "QUEUED") || (!q.Has("states") && !q.Has("backup")))
	}
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword),
		vprotect.WithPollInterval(0), vprotect.WithTransport(func(next http.RoundTripper) http.RoundTripper {
			return roundTripper(func(r *http.Request) (*http.Response, error) {
				if isPoll(r.URL.Path, r.URL.Query()) {
					clock.Advance(2 * time.Second)
				}
				return next.RoundTrip(r)
			})
		}))
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	var guids []string
	for i := 1; i <= n; i++ {
		guids = append(guids, fmt.Sprintf("00000000-0000-4000-8000-%012d", 500000+i))
	}
	// The exports' window opens on the fake's clock, half a second after
	// its whole second: every task then ends half a second off the polls,
	// never at one (where the count would depend on how the fake breaks the
	// tie: 200 requests instead of 202 for 100 VMs two at a time). Left
	// unset, the window opens at the client's time.Now(), ahead of the
	// clock by however long the setup took, and a setup that took a second
	// more (a loaded machine) moved every task end past a poll: 6 requests
	// instead of 5, 22 instead of 21.
	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: guids, BackupType: vprotect.BackupTypeFull,
		WindowStart: clock.Now().Add(500 * time.Millisecond)})
	require.NoError(t, err)
	require.Len(t, res.Tasks, n)
	exports := make([]string, n)
	for i, task := range res.Tasks {
		exports[i] = task.GUID
	}
	start := len(srv.Requests())
	require.NoError(t, wait(ctx, c, exports))
	var cost waitCost
	for _, r := range srv.Requests()[start:] {
		q, _ := url.ParseQuery(r.RawQuery)
		switch {
		case r.Method != "GET":
			t.Errorf("a request no wait should make: %s %s?%s", r.Method, r.Path, r.RawQuery)
		case isPoll(r.Path, q):
			cost.polls++
		case r.Path == "/api/tasks" && slices.Contains(q["states"], "FINISHED"):
			cost.finals++
		case r.Path == "/api/tasks" && q.Has("backup"):
			cost.lookups++
		case strings.HasPrefix(r.Path, "/api/tasks/"):
			cost.gets++
		case r.Path == "/api/backups" && q.Has("from"):
			cost.backupList++
		case strings.HasPrefix(r.Path, "/api/backups/"):
			cost.backupGets++
		default:
			t.Errorf("a request no wait should make: %s %s?%s", r.Method, r.Path, r.RawQuery)
		}
	}
	return cost
}

// roundTripper is a RoundTripper made of a function.
type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// WaitForBackups waits for N whole backups at one list request per poll,
// plus one list of ended tasks and one of backups in the polls after which
// some tasks ended or backups were stored: nothing is read one by one. The
// numbers are the ones its doc states; the former waits (one GET per task
// and backup) cost 43, 426 and 303.
func TestWaitForBackupsRequestCount(t *testing.T) {
	batch := func(ctx context.Context, c *vprotect.Client, exports []string) error {
		results, err := c.Tasks.WaitForBackups(ctx, exports...)
		if err != nil {
			return err
		}
		for i, r := range results {
			if r.Backup == nil || !r.Backup.IsSuccessful() || r.Store == nil || r.Store.State.Name != vprotect.TaskStateFinished ||
				r.Export == nil || r.Export.GUID != exports[i] || r.VM == nil || r.Backup.ProtectedEntity.GUID != r.VM.GUID {
				return fmt.Errorf("result %d: %+v", i, r)
			}
		}
		return nil
	}
	// The same backups waited for each on its own, at the same time.
	each := func(ctx context.Context, c *vprotect.Client, exports []string) error {
		errs := make(chan error, len(exports))
		for _, e := range exports {
			go func() {
				b, err := c.Tasks.WaitForBackup(ctx, e)
				if err == nil && !b.IsSuccessful() {
					err = fmt.Errorf("backup %s: %s", b.GUID, b.Status.Name)
				}
				errs <- err
			}()
		}
		var all []error
		for range exports {
			all = append(all, <-errs)
		}
		return errors.Join(all...)
	}
	exportHalf := func(ctx context.Context, c *vprotect.Client, exports []string) error {
		_, err := c.Tasks.WaitAll(ctx, exports...)
		return err
	}
	for _, tc := range []struct{ n, concurrent, documented int }{{10, 2, 21}, {100, 2, 202}, {100, 100, 5}} {
		cost := backupWaitCost(t, tc.n, tc.concurrent, batch)
		assert.Equal(t, tc.documented, cost.total(), "the count WaitForBackups' doc states for %d VMs, %d at a time: %s", tc.n, tc.concurrent, cost)
		assert.Zero(t, cost.gets+cost.lookups+cost.backupGets, "every task and backup comes from a list: %s", cost)
		assert.LessOrEqual(t, cost.finals+cost.backupList, 2*cost.polls, "at most one list of ended tasks and one of backups per poll")
		t.Logf("%d VMs, %d tasks at a time: WaitForBackups %s", tc.n, tc.concurrent, cost)
		if tc.n == 100 {
			// N waits at the same time share the client's poller: the same
			// polls, and the final lists shared too.
			eachCost := backupWaitCost(t, tc.n, tc.concurrent, each)
			assert.LessOrEqual(t, eachCost.total(), cost.total()+2, "%d WaitForBackup at once: %s", tc.n, eachCost)
			t.Logf("  %d WaitForBackup at the same time: %s", tc.n, eachCost)
		}
		if testing.Verbose() { // the comparison the doc states beside it
			t.Logf("  WaitAll for the EXPORTs alone: %s", backupWaitCost(t, tc.n, tc.concurrent, exportHalf))
		}
		if testing.Short() {
			break // 100 VMs take seconds
		}
	}
}

// Policies.List with and without Extended gives the same counts, which
// agree with the VMs and rules returned; creating a policy takes its VMs
// out of their old policy (one policy per VM), as Create's doc says.
func TestIntegrationPolicyCountsAndOnePolicyPerVM(t *testing.T) {
	eachServerVersion(t, testPolicyCountsAndOnePolicyPerVM)
}

func testPolicyCountsAndOnePolicyPerVM(t *testing.T, version string) {
	c, _ := fakeClient(t, vprotecttest.WithServerVersion(version))
	ctx := context.Background()
	find := func(ps []vprotect.Policy, name string) vprotect.Policy {
		t.Helper()
		for _, p := range ps {
			if p.Name == name {
				return p
			}
		}
		t.Fatalf("no policy %s", name)
		return vprotect.Policy{}
	}
	plain, err := c.Policies.List(ctx, &vprotect.PolicyListOptions{TenantID: vprotecttest.DemoTenantA})
	require.NoError(t, err)
	ext, err := c.Policies.List(ctx, &vprotect.PolicyListOptions{TenantID: vprotecttest.DemoTenantA, Extended: true})
	require.NoError(t, err)
	gold, goldExt := find(plain, "gold"), find(ext, "gold")
	assert.Equal(t, 2, gold.VMCount)
	assert.Equal(t, goldExt.VMCount, gold.VMCount, "with and without Extended")
	assert.Equal(t, goldExt.RuleCount, gold.RuleCount)
	assert.Equal(t, len(gold.VMs), gold.VMCount)
	if gold.Rules != nil {
		assert.Equal(t, len(gold.Rules), gold.RuleCount)
	}

	p := vprotect.NewPolicy("silver", vprotecttest.DemoVMTenantAWebGUID)
	p.TenantID = vprotecttest.DemoTenantA
	p.Rules = []vprotect.Rule{*vprotect.NewRule("Default", "", []string{vprotecttest.DemoScheduleGUID}, vprotecttest.DemoDefaultDestinationGUID)}
	created, err := c.Policies.Create(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, 1, created.VMCount)
	assert.Equal(t, 1, created.RuleCount)
	vm, err := c.VMs.Get(ctx, vprotecttest.DemoVMTenantAWebGUID)
	require.NoError(t, err)
	require.NotNil(t, vm.VMBackupPolicy)
	assert.Equal(t, created.GUID, vm.VMBackupPolicy.GUID, "the VM moved to the new policy")
	plain, err = c.Policies.List(ctx, &vprotect.PolicyListOptions{TenantID: vprotecttest.DemoTenantA})
	require.NoError(t, err)
	gold = find(plain, "gold")
	assert.Equal(t, 1, gold.VMCount, "and left its old one")
	for _, ref := range gold.VMs {
		assert.NotEqual(t, vprotecttest.DemoVMTenantAWebGUID, ref.GUID)
	}
}

// VirtualMachine.Restorable is what the VM's backups say: true with a
// successful backup, and true once the first backup is stored.
func TestIntegrationVMRestorable(t *testing.T) {
	c, _ := fakeClient(t, vprotecttest.WithTaskModel(vprotecttest.Instant))
	ctx := context.Background()
	vms, err := c.VMs.List(ctx, &vprotect.VMListOptions{TenantID: vprotecttest.DemoTenantA})
	require.NoError(t, err)
	require.NotEmpty(t, vms)
	for _, vm := range vms {
		backups, err := c.Backups.List(ctx, &vprotect.BackupListOptions{ProtectedEntity: vm.GUID,
			Statuses: []vprotect.BackupStatus{vprotect.BackupStatusSuccess, vprotect.BackupStatusPartialSuccess}})
		require.NoError(t, err)
		assert.Equal(t, len(backups) > 0, vm.Restorable, "%s: %d successful backups", vm.Name, len(backups))
	}
	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{vprotecttest.DemoVMTenantAAppGUID}})
	require.NoError(t, err)
	_, err = c.Tasks.WaitForBackup(ctx, res.Tasks[0].GUID)
	require.NoError(t, err)
	vm, err := c.VMs.Get(ctx, vprotecttest.DemoVMTenantAAppGUID)
	require.NoError(t, err)
	assert.True(t, vm.Restorable, "after its first backup")
}

// The OS credentials the VM settings name: the demo's two, no password.
func TestIntegrationCredentials(t *testing.T) {
	c, _ := fakeClient(t)
	ctx := context.Background()
	creds, err := c.Credentials.List(ctx)
	require.NoError(t, err)
	require.Len(t, creds, 2)
	assert.Equal(t, vprotect.Credential{GUID: vprotecttest.DemoCredentialLinuxGUID, Name: "linux-root", User: "root"}, creds[0])

	vm, err := c.VMs.Get(ctx, vprotecttest.DemoVMRHV1GUID)
	require.NoError(t, err)
	vm.Credential = &vprotect.NameAndGuid{GUID: creds[0].GUID, Name: creds[0].Name}
	out, err := c.VMs.UpdateSettings(ctx, vm.GUID, vm)
	require.NoError(t, err)
	assert.Equal(t, creds[0].GUID, out.Credential.GUID)
}

// The SSH password is taken (204) and never shows in the fake's request log.
func TestIntegrationSetSSHPassword(t *testing.T) {
	c, srv := fakeClient(t)
	ctx := context.Background()
	const password = "ssh-pass-not-for-the-log"
	require.NoError(t, c.VMs.SetSSHPassword(ctx, vprotecttest.DemoVMRHV1GUID, password))
	assert.Equal(t, 1, srv.Calls("PUT /virtual-machines/{guid}/ssh-password"))
	for _, r := range srv.Requests() {
		assert.NotContains(t, string(r.Body), password, "%s %s", r.Method, r.Path)
	}
	vm, err := c.VMs.Get(ctx, vprotecttest.DemoVMRHV1GUID)
	require.NoError(t, err)
	assert.NotContains(t, fmt.Sprintf("%+v", vm), password)

	var apiErr *vprotect.APIError
	require.ErrorAs(t, c.VMs.SetSSHPassword(ctx, "00000000-0000-4000-8000-00000000ffff", password), &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.NotContains(t, apiErr.Error(), password)
}

// A restore with a tenant lands in that tenant's project on both
// generations: a 7.4 server takes the project from project-uuid (the 7.x
// clients send no restoreProject), a 4.0 server from restoreProject.
func TestIntegrationRestoreIntoTenant(t *testing.T) {
	eachServerVersion(t, func(t *testing.T, version string) {
		c, srv := fakeClient(t, vprotecttest.WithServerVersion(version), vprotecttest.WithTaskModel(vprotecttest.Instant))
		ctx := context.Background()
		req := vprotect.RestoreRequest{
			Backup:         vprotecttest.DemoBackupTenantAWebFullGUID, // of tenant-a
			Hypervisor:     vprotecttest.DemoOpenStackHypervisorGUID,
			RestoredPEName: "restored-into-b",
			TenantID:       vprotecttest.DemoTenantB,
		}
		if version == vprotecttest.ServerVersion40 {
			req.RestoreProject = vprotecttest.DemoTenantB
		}
		task, err := c.Tasks.RestoreAndImport(ctx, req)
		require.NoError(t, err)
		_, err = c.Tasks.WaitForRestore(ctx, task.GUID)
		require.NoError(t, err)
		vms, err := c.VMs.List(ctx, &vprotect.VMListOptions{TenantID: vprotecttest.DemoTenantB})
		require.NoError(t, err)
		assert.Contains(t, names(vms), "restored-into-b", "the tenant's VMs on %s: %v", version, srv.VMs()[len(srv.VMs())-1].Project)
	})
}
