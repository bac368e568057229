package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSnapshotPoliciesListAndGet(t *testing.T) {
	c, mt := newTestClient(t)
	details := fixture(t, "snapshot_policy_details.json")
	list := respondJSON(mt, http.MethodGet, "/policies/vm-snapshot", 200, "["+string(details)+"]")
	get := respondJSON(mt, http.MethodGet, "/policies/vm-snapshot/spol-0001", 200, details)
	ctx := context.Background()

	ps, err := c.SnapshotPolicies.List(ctx, &SnapshotPolicyListOptions{Extended: true, ProjectUUID: "c0ffee"})
	require.NoError(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, url.Values{"extended": {"true"}, "project-uuid": {"c0ffee"}}, list.only(t).Query)

	p, err := c.SnapshotPolicies.Get(ctx, "spol-0001")
	require.NoError(t, err)
	get.only(t)
	assert.Equal(t, &SnapshotPolicy{
		GUID: "spol-0001", Name: "hourly-snapshots", Priority: 50, Active: true, AutoRemoveNonPresent: true,
		AutoAssignSettings: AutoAssignSettings{Mode: Enum[AutoAssignMode]{Name: AutoAssignModeDisabled, Description: "Disabled"},
			IncludeTags: []string{}, ExcludeTags: []string{}, IncludeRegExps: []string{}, ExcludeRegExps: []string{}, HVClusters: []NameAndGuid{}},
		VMs: []NameAndGuid{{GUID: "vm-0001", Name: "web-01"}, {GUID: "vm-0002", Name: "db-01"}},
		Rules: []SnapshotRule{{
			GUID: "srule-0001", Name: "Default", RetentionVersions: 3, RetentionDays: 7,
			Policy: &NameAndGuid{GUID: "spol-0001", Name: "hourly-snapshots"}, Schedules: []NameAndGuid{{GUID: "sched-0009", Name: "every-hour"}},
			VMCount: 2, SchedulesCount: 1, Active: true,
		}},
		ExecuteAutoAssignmentAfterSavingPolicy: true,
		VMCount:                                2, RuleCount: 1,
	}, p)
}

func TestSnapshotPoliciesCreateUpdateDelete(t *testing.T) {
	c, mt := newTestClient(t)
	ctx := context.Background()
	created := respondJSON(mt, http.MethodPost, "/policies/vm-snapshot", 201, `{"guid":"spol-9","name":"hourly"}`)
	updated := respondJSON(mt, http.MethodPut, "/policies/vm-snapshot/spol-9", 204, nil)
	deleted := respondJSON(mt, http.MethodDelete, "/policies/vm-snapshot/spol-9", 204, nil)

	p := NewSnapshotPolicy("hourly", 3, 7, []string{"sched-1"}, "vm-1", "vm-2")
	p.FailRemainingBackupTasksExportThreshold = Ptr(50)
	got, err := c.SnapshotPolicies.Create(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, "spol-9", got.GUID)
	assertGolden(t, "snapshot_policy_create.json", created.only(t).Body)

	p.GUID = "spol-9"
	p.Active = false
	got, err = c.SnapshotPolicies.Update(ctx, "spol-9", p)
	require.NoError(t, err)
	assert.Equal(t, "spol-9", got.GUID, "an empty answer gives the policy as sent")
	assert.False(t, got.Active)
	assertGolden(t, "snapshot_policy_update.json", updated.only(t).Body)

	require.NoError(t, c.SnapshotPolicies.Delete(ctx, "spol-9"))
	deleted.only(t)
}

// TestSnapshotPoliciesSaveNew is the vendor UI's create flow: the policy,
// then its first rule under the new policy's GUID, named "Default".
func TestSnapshotPoliciesSaveNew(t *testing.T) {
	c, mt := newTestClient(t)
	created := respondJSON(mt, http.MethodPost, "/policies/vm-snapshot", 201, `{"guid":"spol-9","name":"hourly"}`)
	rule := respondJSON(mt, http.MethodPost, "/rules/vm-snapshot", 201, `{"guid":"srule-9","name":"Default"}`)
	get := respondJSON(mt, http.MethodGet, "/policies/vm-snapshot/spol-9", 200, `{"guid":"spol-9","name":"hourly","rules":[{"guid":"srule-9","name":"Default","retentionVersions":3}]}`)

	p := NewSnapshotPolicy("hourly", 3, 7, []string{"sched-1"}, "vm-1")
	p.Rules[0].Name = ""
	got, err := c.SnapshotPolicies.Save(context.Background(), p)
	require.NoError(t, err)
	assert.Equal(t, "srule-9", got.Rules[0].GUID)
	created.only(t)
	assertGolden(t, "snapshot_rule_create.json", rule.only(t).Body)
	get.only(t)
}

// TestSnapshotPoliciesSaveExisting is the UI's update flow: PUT the policy,
// then PUT its rule through the VM backup rules' path.
func TestSnapshotPoliciesSaveExisting(t *testing.T) {
	c, mt := newTestClient(t)
	updated := respondJSON(mt, http.MethodPut, "/policies/vm-snapshot/spol-9", 200, `{"guid":"spol-9","name":"hourly"}`)
	rule := respondJSON(mt, http.MethodPut, "/rules/vm-backup/srule-9", 204, nil)
	get := respondJSON(mt, http.MethodGet, "/policies/vm-snapshot/spol-9", 200, `{"guid":"spol-9","name":"hourly"}`)

	p := NewSnapshotPolicy("hourly", 5, 0, []string{"sched-1", "sched-2"}, "vm-1")
	p.GUID = "spol-9"
	p.Rules[0].GUID = "srule-9"
	_, err := c.SnapshotPolicies.Save(context.Background(), p)
	require.NoError(t, err)
	updated.only(t)
	assertGolden(t, "snapshot_rule_update.json", rule.only(t).Body)
	get.only(t)
}

func TestSnapshotPoliciesSaveChecksEverythingFirst(t *testing.T) {
	c, _ := newTestClient(t) // any request fails the test
	ctx := context.Background()
	p := NewSnapshotPolicy("hourly", -1, 7, nil, "vm-1")
	_, err := c.SnapshotPolicies.Save(ctx, p)
	requireArgError(t, err, "SnapshotPolicy.Rules[0].RetentionVersions")

	p = NewSnapshotPolicy("hourly", 1, 7, []string{""}, "vm-1")
	_, err = c.SnapshotPolicies.Save(ctx, p)
	requireArgError(t, err, "SnapshotPolicy.Rules[0].Schedules[0]")

	p = NewSnapshotPolicy("hourly", 1, 7, nil)
	p.GUID = "spol-1"
	p.Rules[0].Policy = RefPtr("spol-2")
	_, err = c.SnapshotPolicies.Save(ctx, p)
	requireArgError(t, err, "SnapshotPolicy.Rules[0].Policy")

	_, err = c.SnapshotPolicies.Save(ctx, nil)
	requireArgError(t, err, "policy")
}

func TestSnapshotPoliciesBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	ctx := context.Background()
	cases := []struct {
		field string
		call  func() error
	}{
		{"guid", func() error { _, err := c.SnapshotPolicies.Get(ctx, ""); return err }},
		{"guid", func() error { return c.SnapshotPolicies.Delete(ctx, " ") }},
		{"policy", func() error { _, err := c.SnapshotPolicies.Create(ctx, nil); return err }},
		{"SnapshotPolicy.Name", func() error { _, err := c.SnapshotPolicies.Create(ctx, &SnapshotPolicy{}); return err }},
		{"SnapshotPolicy.Priority", func() error {
			_, err := c.SnapshotPolicies.Create(ctx, &SnapshotPolicy{Name: "x", Priority: 101})
			return err
		}},
		{"SnapshotPolicy.VMs[0]", func() error {
			_, err := c.SnapshotPolicies.Create(ctx, &SnapshotPolicy{Name: "x", VMs: []NameAndGuid{{Name: "web"}}})
			return err
		}},
		{"SnapshotPolicy.GUID", func() error {
			_, err := c.SnapshotPolicies.Update(ctx, "a", &SnapshotPolicy{GUID: "b", Name: "x"})
			return err
		}},
		{"SnapshotRule.Policy", func() error { _, err := c.SnapshotPolicies.CreateRule(ctx, &SnapshotRule{}); return err }},
		{"SnapshotRule.RetentionDays", func() error {
			_, err := c.SnapshotPolicies.CreateRule(ctx, &SnapshotRule{Policy: RefPtr("p"), RetentionDays: -1})
			return err
		}},
		{"SnapshotRule.GUID", func() error {
			_, err := c.SnapshotPolicies.UpdateRule(ctx, "a", &SnapshotRule{GUID: "b"})
			return err
		}},
		{"guid", func() error { _, err := c.SnapshotPolicies.UpdateRule(ctx, "", &SnapshotRule{}); return err }},
	}
	for _, tc := range cases {
		requireArgError(t, tc.call(), tc.field)
	}
}
