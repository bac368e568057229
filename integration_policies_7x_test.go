package vprotect_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// Policies as 7.x servers have them (reference 7x section 8): mailing
// lists, rules marked for deletion, the auto-assignment preview.
//
// 7.4 only: a 4.0 server does not serve these calls (vprotecttest 4.0
// answers them 404), so these tests run against the default 7.4 fake, not
// per server generation (eachServerVersion).

func TestIntegrationMailingLists(t *testing.T) {
	c, _ := fakeClient(t)
	ctx := context.Background()
	m, err := c.MailingLists.Create(ctx, &vprotect.MailingList{Name: "ops", Recipients: []string{"ops@example.com", "oncall@example.com"}})
	require.NoError(t, err)
	require.NotEmpty(t, m.GUID)
	_, err = c.MailingLists.Create(ctx, &vprotect.MailingList{Name: "ops"})
	assert.ErrorIs(t, err, vprotect.ErrConflict, "names are unique")

	page, err := c.MailingLists.ListPage(ctx, &vprotect.ListOptions{Size: 10})
	require.NoError(t, err)
	assert.Equal(t, 1, page.Total)
	assert.Equal(t, []vprotect.MailingList{{GUID: m.GUID, Name: "ops", RecipientCount: 2}}, page.Items)

	m.Recipients = []string{"ops@example.com"}
	_, err = c.MailingLists.Update(ctx, m.GUID, m)
	require.NoError(t, err)
	got, err := c.MailingLists.Get(ctx, m.GUID)
	require.NoError(t, err)
	assert.Equal(t, []string{"ops@example.com"}, got.Recipients)

	n := 0
	for l, err := range c.MailingLists.All(ctx, nil) {
		require.NoError(t, err)
		assert.Equal(t, 1, l.RecipientCount)
		n++
	}
	assert.Equal(t, 1, n)

	require.NoError(t, c.MailingLists.Delete(ctx, m.GUID))
	_, err = c.MailingLists.Get(ctx, m.GUID)
	assert.ErrorIs(t, err, vprotect.ErrNotFound)
}

// A rule left out of a policy update that still owns backups stays on the
// server marked for deletion; Policies.Get and ListByEntities hide it as
// the vendor UI does, Rules.List still shows it.
func TestIntegrationRulesMarkedForDeletionHidden(t *testing.T) {
	c, _ := fakeClient(t, vprotecttest.WithTaskModel(vprotecttest.Instant))
	ctx := context.Background()
	web := vprotecttest.DemoVMTenantAWebGUID
	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{web}, Rules: []string{vprotecttest.DemoRuleGUID}})
	require.NoError(t, err)
	_, err = c.Tasks.WaitForBackup(ctx, res.Tasks[0].GUID)
	require.NoError(t, err)

	// Replace the rule by a new one in one PUT, as the 7.x UI does.
	p, err := c.Policies.Get(ctx, vprotecttest.DemoPolicyGUID)
	require.NoError(t, err)
	require.Len(t, p.Rules, 1)
	p.Rules = []vprotect.Rule{*vprotect.NewRule("Weekly", "", nil, vprotecttest.DemoDefaultDestinationGUID)}
	_, err = c.Policies.Update(ctx, p.GUID, p)
	require.NoError(t, err)

	p, err = c.Policies.Get(ctx, vprotecttest.DemoPolicyGUID)
	require.NoError(t, err)
	require.Len(t, p.Rules, 1, "the old rule is hidden")
	assert.Equal(t, "Weekly", p.Rules[0].Name)
	byVM, err := c.Policies.ListByEntities(ctx, web)
	require.NoError(t, err)
	require.Len(t, byVM, 1)
	assert.Equal(t, []string{"Weekly"}, ruleNames(byVM[0].Rules))

	all, err := c.Rules.List(ctx, &vprotect.RuleListOptions{Policy: vprotecttest.DemoPolicyGUID})
	require.NoError(t, err)
	require.Len(t, all, 2, "the server keeps the rule that owns backups")
	for _, r := range all {
		if r.GUID == vprotecttest.DemoRuleGUID {
			assert.True(t, r.MarkedForDeletion)
			assert.False(t, r.Active)
			assert.Positive(t, r.BackupCount)
		}
	}

	// Sent back, the hidden rule stays out: the update keeps one rule.
	_, err = c.Policies.Update(ctx, p.GUID, p)
	require.NoError(t, err)
	all, err = c.Rules.List(ctx, &vprotect.RuleListOptions{Policy: vprotecttest.DemoPolicyGUID})
	require.NoError(t, err)
	assert.Len(t, all, 2)

	// A rule without backups goes at once.
	require.NoError(t, c.Rules.Delete(ctx, p.Rules[0].GUID))
	_, err = c.Rules.Get(ctx, p.Rules[0].GUID)
	assert.ErrorIs(t, err, vprotect.ErrNotFound)
}

func ruleNames(rs []vprotect.Rule) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}

func TestIntegrationAutoAssignmentPreview(t *testing.T) {
	c, _ := fakeClient(t)
	ctx := context.Background()

	// A new policy that takes the RHV VMs by tag, except rhv-vm-2 by name.
	p := vprotect.NewPolicy("rhv")
	p.AutoAssignSettings = vprotect.AutoAssignSettings{Mode: vprotect.EnumOf(vprotect.AutoAssignModeAssignOnly),
		IncludeTags: []string{"rhv"}, ExcludeRegExps: []string{"-2$"}}
	changes, err := c.Policies.AutoAssignmentPreview(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, []string{"rhv-vm-1", "rhv-vm-3"}, changedVMs(changes, "ASSIGN"))

	// gold in ASSIGN_AND_REMOVE by name: a-app-1 comes in, a-db-1 (a member,
	// now excluded) leaves; a-old-1 is not present and is not considered.
	gold, err := c.Policies.Get(ctx, vprotecttest.DemoPolicyGUID)
	require.NoError(t, err)
	gold.AutoAssignSettings = vprotect.AutoAssignSettings{Mode: vprotect.EnumOf(vprotect.AutoAssignModeAssignAndRemove),
		IncludeRegExps: []string{"^a-"}, ExcludeRegExps: []string{"^a-db"}}
	changes, err = c.Policies.AutoAssignmentPreview(ctx, gold)
	require.NoError(t, err)
	assert.Equal(t, []string{"a-app-1"}, changedVMs(changes, "ASSIGN"))
	assert.Equal(t, []string{"a-db-1"}, changedVMs(changes, "UNASSIGN"), "excluded, leaves in ASSIGN_AND_REMOVE")
	for _, ch := range changes {
		assert.NotEmpty(t, ch.ChangeReason.Description)
	}
	after, err := c.Policies.Get(ctx, vprotecttest.DemoPolicyGUID)
	require.NoError(t, err)
	assert.Len(t, after.VMs, 2, "a preview changes nothing")

	gold.AutoAssignSettings.Mode = vprotect.EnumOf(vprotect.AutoAssignModeDisabled)
	changes, err = c.Policies.AutoAssignmentPreview(ctx, gold)
	require.NoError(t, err)
	assert.Empty(t, changes)

	// Snapshot policies preview the same way.
	sp := vprotect.NewSnapshotPolicy("rhv-snapshots", 1, 1, nil)
	sp.AutoAssignSettings = vprotect.AutoAssignSettings{Mode: vprotect.EnumOf(vprotect.AutoAssignModeAssignOnly), IncludeTags: []string{"rhv"}}
	changes, err = c.SnapshotPolicies.AutoAssignmentPreview(ctx, sp)
	require.NoError(t, err)
	assert.Equal(t, []string{"rhv-vm-1", "rhv-vm-2", "rhv-vm-3"}, changedVMs(changes, "ASSIGN"))

	gold.AutoAssignSettings = vprotect.AutoAssignSettings{Mode: vprotect.EnumOf(vprotect.AutoAssignModeAssignOnly), IncludeRegExps: []string{"("}}
	_, err = c.Policies.AutoAssignmentPreview(ctx, gold)
	assert.ErrorIs(t, err, vprotect.ErrBadRequest)
}

func changedVMs(changes []vprotect.AutoAssignmentChange, typ string) []string {
	var out []string
	for _, ch := range changes {
		if ch.ChangeType.Name == typ {
			out = append(out, ch.ProtectedEntity.Name)
		}
	}
	return out
}

// A policy's daily report goes to a mailing list; a list in use stays.
func TestIntegrationPolicyMailingList(t *testing.T) {
	c, _ := fakeClient(t)
	ctx := context.Background()
	m, err := c.MailingLists.Create(ctx, &vprotect.MailingList{Name: "ops", Recipients: []string{"ops@example.com"}})
	require.NoError(t, err)

	p, err := c.Policies.Get(ctx, vprotecttest.DemoPolicyGUID)
	require.NoError(t, err)
	assert.Nil(t, p.MailingList)
	p.DailyReportEnabled = true
	p.MailingList = vprotect.RefPtr(m.GUID)
	_, err = c.Policies.Update(ctx, p.GUID, p)
	require.NoError(t, err)
	p, err = c.Policies.Get(ctx, vprotecttest.DemoPolicyGUID)
	require.NoError(t, err)
	assert.True(t, p.DailyReportEnabled)
	assert.Equal(t, &vprotect.NameAndGuid{GUID: m.GUID, Name: "ops"}, p.MailingList)

	err = c.MailingLists.Delete(ctx, m.GUID)
	assert.ErrorIs(t, err, vprotect.ErrConflict, "the policy still names it")

	p.MailingList = vprotect.RefPtr("no-such-list")
	_, err = c.Policies.Update(ctx, p.GUID, p)
	assert.ErrorIs(t, err, vprotect.ErrBadRequest)

	p.DailyReportEnabled, p.MailingList = false, nil
	_, err = c.Policies.Update(ctx, p.GUID, p)
	require.NoError(t, err)
	require.NoError(t, c.MailingLists.Delete(ctx, m.GUID))
}
