package vprotect

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRulesList(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/rules/vm-backup", 200, fixture(t, "rule_list.json"))

	got, err := c.Rules.List(context.Background(), &RuleListOptions{
		ListOptions: ListOptions{Page: 1, Size: 2, OrderBy: "name", Direction: SortAscending, Filter: "def"},
		Policy:      "pol-0001",
		NameLike:    "Def%",
	})
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"policy": {"pol-0001"}, "nameLike": {"Def%"},
		"page": {"1"}, "size": {"2"}, "orderBy": {"name"}, "direction": {"asc"}, "filter": {"def"},
	}, captor.only(t).Query)

	require.Len(t, got, 2)
	assert.Equal(t, "rule-0001", got[0].GUID)
	require.Len(t, got[0].RuleBackupDestinations, 1)
	assert.Equal(t, BackupDestinationTypeSyntheticXFS, got[0].RuleBackupDestinations[0].BackupDestination.Type.Name)
	// A bare GUID string decodes as a reference.
	assert.Equal(t, &NameAndGuid{GUID: "pol-0001"}, got[1].Policy)
	assert.True(t, got[1].MarkedForDeletion)
	assert.True(t, got[1].Removable)
	assert.Equal(t, 1, got[1].Position)
}

func TestRulesGet(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/rules/vm-backup/a%2Fb%20c", 200, fixture(t, "rule_details.json"))

	r, err := c.Rules.Get(context.Background(), "a/b c")
	require.NoError(t, err)
	req := captor.only(t)
	assert.Equal(t, "/rules/vm-backup/a%2Fb%20c", req.Path)
	assert.Equal(t, url.Values{"only-active-destinations": {"false"}}, req.Query)

	month, week := Duration(30*24*time.Hour), Duration(7*24*time.Hour)
	ruleRef := &NameAndGuid{GUID: "rule-0001", Name: "Default"}
	want := &Rule{
		GUID:      "rule-0001",
		Name:      "Default",
		Policy:    &NameAndGuid{GUID: "pol-0001", Name: "tenant-a-policy"},
		Schedules: []NameAndGuid{{GUID: "sched-0001", Name: "tenant-a-daily"}},
		RuleBackupDestinations: []RuleBackupDestination{
			{
				GUID:              "rbd-0001",
				Type:              EnumNameAndDescription{Name: "VM", Description: "VM"},
				BackupDestination: BackupDestinationRef{GUID: "bd-0001", Name: "local-xfs", Type: Enum[BackupDestinationType]{Name: BackupDestinationTypeSyntheticXFS, Description: "Synthetic XFS"}},
				RoleType:          Enum[DestinationRole]{Name: DestinationRolePrimary, Description: "Primary"},
				BackupRetentionSettings: BackupRetentionSettings{
					RetentionKeepLastNFull: 4, RetentionKeepFullNewerThan: month,
					RetentionKeepLastNIncremental: 30, RetentionKeepIncrementalNewerThan: month,
					KeepLastBackupWhenSourceStillExists: true,
				},
				DaysToKeepRetentionLock: 7,
				Active:                  true,
				Rule:                    ruleRef,
			},
			{
				GUID:                    "rbd-0002",
				Type:                    EnumNameAndDescription{Name: "VM", Description: "VM"},
				BackupDestination:       BackupDestinationRef{GUID: "bd-0002", Name: "offsite-s3", Type: Enum[BackupDestinationType]{Name: BackupDestinationTypeS3, Description: "Amazon S3"}},
				RoleType:                Enum[DestinationRole]{Name: DestinationRoleSecondary, Description: "Secondary"},
				BackupRetentionSettings: BackupRetentionSettings{RetentionKeepLastNFull: 2, RetentionKeepFullNewerThan: week},
				Rule:                    ruleRef,
			},
		},
		Active:                  true,
		Position:                0,
		VMCount:                 3,
		SchedulesCount:          1,
		BackupCount:             12,
		Removable:               false,
		MarkedForDeletion:       false,
		DaysToKeepRetentionLock: 7,
	}
	assert.Equal(t, want, r)
	assert.Equal(t, NameAndGuid{GUID: "bd-0002", Name: "offsite-s3"}, r.RuleBackupDestinations[1].BackupDestination.Ref())
}

func TestRulesCreate(t *testing.T) {
	cases := []struct {
		name   string
		golden string
		rule   func() *Rule
	}{
		{"guide minimal", "rule_create_guide.json", func() *Rule {
			return NewRule("Default", "pol-guid", []string{"sched-guid"}, "")
		}},
		{"with destinations", "rule_create.json", func() *Rule {
			r := NewRule("Default", "pol-guid", []string{"sched-1", "sched-2"}, "bd-primary")
			r.RuleBackupDestinations = append(r.RuleBackupDestinations, RuleBackupDestination{
				Type:                    EnumNameAndDescription{Name: "VM", Description: "VM"},
				BackupDestination:       BackupDestinationRef{GUID: "bd-archive", Name: "tape", Type: EnumOf(BackupDestinationTypeISP)},
				RoleType:                Enum[DestinationRole]{Name: DestinationRoleArchive, Description: "Archive"},
				BackupRetentionSettings: BackupRetentionSettings{RetentionKeepLastNFull: 1, RetentionKeepFullNewerThan: Duration(365 * 24 * time.Hour)},
				DaysToKeepRetentionLock: 14,
				Active:                  true,
			})
			r.Position = 2
			return r
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newTestClient(t)
			captor := respondJSON(mt, http.MethodPost, "/rules/vm-backup", 201, fixture(t, "rule_details.json"))
			got, err := c.Rules.Create(context.Background(), tc.rule())
			require.NoError(t, err)
			assert.Equal(t, "rule-0001", got.GUID)
			req := captor.only(t)
			assert.Equal(t, "/rules/vm-backup", req.Path)
			assertGolden(t, tc.golden, req.Body)
		})
	}
}

func TestRulesUpdate(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodPut, "/rules/vm-backup/a%2Fb%20c", 200, fixture(t, "rule_details.json"))

	// Get-modify-put: the decoded details go back without server-only fields.
	var r Rule
	require.NoError(t, json.Unmarshal(fixture(t, "rule_details.json"), &r))
	r.GUID = "a/b c"
	r.RuleBackupDestinations[1].Active = true

	got, err := c.Rules.Update(context.Background(), "a/b c", &r)
	require.NoError(t, err)
	assert.Equal(t, "rule-0001", got.GUID)
	req := captor.only(t)
	assert.Equal(t, "/rules/vm-backup/a%2Fb%20c", req.Path)
	assertGolden(t, "rule_update.json", req.Body)
}

func TestRulesUpdateEmptyAnswer(t *testing.T) {
	c, mt := newTestClient(t)
	respondJSON(mt, http.MethodPut, "/rules/vm-backup/r1", 204, nil)
	got, err := c.Rules.Update(context.Background(), "r1", NewRule("n", "p", nil, "bd"))
	require.NoError(t, err)
	assert.Equal(t, "r1", got.GUID)
	assert.Equal(t, "n", got.Name)
}

func TestRulesDelete(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodDelete, "/rules/vm-backup/a%2Fb%20c", 204, nil)
	require.NoError(t, c.Rules.Delete(context.Background(), "a/b c"))
	assert.Equal(t, "/rules/vm-backup/a%2Fb%20c", captor.only(t).Path)
}

func TestRulesBadArguments(t *testing.T) {
	ctx := context.Background()
	valid := func() *Rule { return NewRule("n", "p", []string{"s"}, "bd") }
	edit := func(f func(r *Rule)) *Rule { r := valid(); f(r); return r }
	cases := []struct {
		name  string
		field string
		call  func(c *Client) error
	}{
		{"Get empty guid", "guid", func(c *Client) error { _, err := c.Rules.Get(ctx, ""); return err }},
		{"Delete empty guid", "guid", func(c *Client) error { return c.Rules.Delete(ctx, "") }},
		{"Update empty guid", "guid", func(c *Client) error { _, err := c.Rules.Update(ctx, "", valid()); return err }},
		{"Create nil", "rule", func(c *Client) error { _, err := c.Rules.Create(ctx, nil); return err }},
		{"Update nil", "rule", func(c *Client) error { _, err := c.Rules.Update(ctx, "g", nil); return err }},
		{"Update other guid", "Rule.GUID", func(c *Client) error {
			_, err := c.Rules.Update(ctx, "g", edit(func(r *Rule) { r.GUID = "h" }))
			return err
		}},
		{"Create without policy", "Rule.Policy", func(c *Client) error {
			_, err := c.Rules.Create(ctx, NewRule("n", "", nil, "bd"))
			return err
		}},
		{"Create empty policy guid", "Rule.Policy", func(c *Client) error {
			_, err := c.Rules.Create(ctx, edit(func(r *Rule) { r.Policy = &NameAndGuid{Name: "by name"} }))
			return err
		}},
		{"Create empty name", "Rule.Name", func(c *Client) error {
			_, err := c.Rules.Create(ctx, edit(func(r *Rule) { r.Name = "" }))
			return err
		}},
		{"Update long name", "Rule.Name", func(c *Client) error {
			_, err := c.Rules.Update(ctx, "g", edit(func(r *Rule) { r.Name = string(make([]byte, 256)) }))
			return err
		}},
		{"Create negative position", "Rule.Position", func(c *Client) error {
			_, err := c.Rules.Create(ctx, edit(func(r *Rule) { r.Position = -1 }))
			return err
		}},
		{"Create destination without guid", "Rule.RuleBackupDestinations[1].BackupDestination", func(c *Client) error {
			_, err := c.Rules.Create(ctx, edit(func(r *Rule) {
				r.RuleBackupDestinations = append(r.RuleBackupDestinations, RuleBackupDestination{RoleType: EnumOf(DestinationRoleSecondary)})
			}))
			return err
		}},
		{"Update destination without role", "Rule.RuleBackupDestinations[0].RoleType", func(c *Client) error {
			_, err := c.Rules.Update(ctx, "g", edit(func(r *Rule) { r.RuleBackupDestinations[0].RoleType = Enum[DestinationRole]{} }))
			return err
		}},
		{"Create negative retention lock", "Rule.RuleBackupDestinations[0].DaysToKeepRetentionLock", func(c *Client) error {
			_, err := c.Rules.Create(ctx, edit(func(r *Rule) { r.RuleBackupDestinations[0].DaysToKeepRetentionLock = -1 }))
			return err
		}},
		{"List bad paging", "ListOptions.Page", func(c *Client) error {
			_, err := c.Rules.List(ctx, &RuleListOptions{ListOptions: ListOptions{Page: 2}})
			return err
		}},
		{"All bad direction", "ListOptions.Direction", func(c *Client) error {
			for _, err := range c.Rules.All(ctx, &RuleListOptions{ListOptions: ListOptions{Direction: "up"}}) {
				return err
			}
			return nil
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newTestClient(t)
			requireArgError(t, tc.call(c), tc.field)
		})
	}
}

func TestNewRule(t *testing.T) {
	r := NewRule("Default", "pol", []string{"s1", "s2"}, "bd")
	assert.Equal(t, &Rule{
		Name:      "Default",
		Policy:    &NameAndGuid{GUID: "pol"},
		Schedules: []NameAndGuid{{GUID: "s1"}, {GUID: "s2"}},
		Active:    true,
		RuleBackupDestinations: []RuleBackupDestination{{
			BackupDestination: BackupDestinationRef{GUID: "bd"},
			RoleType:          EnumOf(DestinationRolePrimary),
			BackupRetentionSettings: BackupRetentionSettings{
				RetentionKeepLastNFull: 4, RetentionKeepFullNewerThan: Duration(2592000000 * time.Millisecond),
				RetentionKeepLastNIncremental: 30, RetentionKeepIncrementalNewerThan: Duration(2592000000 * time.Millisecond),
			},
			Active: true,
		}},
	}, r)
	assert.Nil(t, NewRule("x", "", nil, "").Policy)
	assert.Empty(t, NewRule("x", "", nil, "").RuleBackupDestinations)

	var ref BackupDestinationRef
	require.NoError(t, json.Unmarshal([]byte(`"bd-9"`), &ref))
	assert.Equal(t, BackupDestinationRef{GUID: "bd-9"}, ref)
	require.NoError(t, json.Unmarshal([]byte(`null`), &ref))
	assert.Equal(t, BackupDestinationRef{}, ref)
}
