package vprotect

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPoliciesListByEntities(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodPost, "/policies/vm-backup/list-by-entities", 200, fixture(t, "policies_by_entities.json"))
	ps, err := c.Policies.ListByEntities(context.Background(), "vm-0001")
	require.NoError(t, err)
	assertGolden(t, "policies_list_by_entities.json", captor.only(t).Body)
	require.Len(t, ps, 1)
	require.Len(t, ps[0].Rules, 1, "the rule marked for deletion is left out, as the vendor UI leaves it out")
	assert.Equal(t, "rule-0001", ps[0].Rules[0].GUID)
	assert.Equal(t, 2, ps[0].RuleCount, "the server's counters are kept")

	c, mt = newTestClient(t)
	respondJSON(mt, http.MethodPost, "/policies/vm-backup/list-by-entities", 200, "[]")
	ps, err = c.Policies.ListByEntities(context.Background(), "vm-0009")
	require.NoError(t, err)
	assert.Equal(t, []Policy{}, ps, "no policy with rules")

	_, err = c.Policies.ListByEntities(context.Background())
	requireArgError(t, err, "vmGUIDs")
	_, err = c.Policies.ListByEntities(context.Background(), "")
	requireArgError(t, err, "vmGUIDs[0]")
}

func TestPoliciesAutoAssignmentPreview(t *testing.T) {
	c, mt := newTestClient(t)
	fresh := respondJSON(mt, http.MethodPost, "/policies/vm-backup/auto-assignment-preview", 200, fixture(t, "auto_assignment_preview.json"))
	existing := respondJSON(mt, http.MethodPost, "/policies/vm-backup/pol%2F1/auto-assignment-preview", 200, "[]")
	ctx := context.Background()

	p := NewPolicy("web", "vm-0001")
	p.AutoAssignSettings = AutoAssignSettings{Mode: EnumOf(AutoAssignModeAssignAndRemove), IncludeTags: []string{"web"}, ExcludeRegExps: []string{"-tmp$"}}
	changes, err := c.Policies.AutoAssignmentPreview(ctx, p)
	require.NoError(t, err)
	assertGolden(t, "policy_auto_assignment_preview.json", fresh.only(t).Body)
	assert.Equal(t, []AutoAssignmentChange{
		{ProtectedEntity: NameAndGuid{GUID: "vm-0003", Name: "web-02"}, ChangeType: EnumNameAndDescription{Name: "ASSIGN", Description: "Assign"},
			ChangeReason: EnumNameAndDescription{Name: "INCLUDED_BY_TAG", Description: "Included by tag"}},
		{ProtectedEntity: NameAndGuid{GUID: "vm-0004", Name: "web-tmp"}, ChangeType: EnumNameAndDescription{Name: "UNASSIGN", Description: "Unassign"},
			ChangeReason: EnumNameAndDescription{Name: "EXCLUDED_BY_NAME", Description: "Excluded by name"}},
	}, changes)

	p.GUID = "pol/1"
	changes, err = c.Policies.AutoAssignmentPreview(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, []AutoAssignmentChange{}, changes)
	existing.only(t)

	_, err = c.Policies.AutoAssignmentPreview(ctx, nil)
	requireArgError(t, err, "policy")
	_, err = c.Policies.AutoAssignmentPreview(ctx, &Policy{})
	requireArgError(t, err, "Policy.Name")
	p.GUID = ".."
	_, err = c.Policies.AutoAssignmentPreview(ctx, p)
	requireArgError(t, err, "Policy.GUID")
}

func TestSnapshotPoliciesAutoAssignmentPreview(t *testing.T) {
	c, mt := newTestClient(t)
	fresh := respondJSON(mt, http.MethodPost, "/policies/vm-snapshot/auto-assignment-preview", 200, fixture(t, "auto_assignment_preview.json"))
	existing := respondJSON(mt, http.MethodPost, "/policies/vm-snapshot/spol-1/auto-assignment-preview", 200, "[]")
	ctx := context.Background()

	p := NewSnapshotPolicy("hourly", 3, 1, nil)
	p.AutoAssignSettings.IncludeTags = []string{"web"}
	changes, err := c.SnapshotPolicies.AutoAssignmentPreview(ctx, p)
	require.NoError(t, err)
	assert.Len(t, changes, 2)
	fresh.only(t)

	p.GUID = "spol-1"
	_, err = c.SnapshotPolicies.AutoAssignmentPreview(ctx, p)
	require.NoError(t, err)
	existing.only(t)

	_, err = c.SnapshotPolicies.AutoAssignmentPreview(ctx, nil)
	requireArgError(t, err, "policy")
}
