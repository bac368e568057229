package vprotect

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPoliciesList(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/policies/vm-backup", 200, fixture(t, "policy_list.json"))

	got, err := c.Policies.List(context.Background(), &PolicyListOptions{
		ListOptions: ListOptions{Page: 0, Size: 20, OrderBy: "name", Direction: SortDescending, Filter: "tenant"},
		TenantID:    "tenant-a",
		Extended:    true,
	})
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"tenantid": {"tenant-a"}, "project-uuid": {"tenant-a"}, "extended": {"true"},
		"page": {"0"}, "size": {"20"}, "orderBy": {"name"}, "direction": {"desc"}, "filter": {"tenant"},
	}, captor.only(t).Query)

	require.Len(t, got, 2)
	assert.Equal(t, 1, got[0].VMCount)
	assert.Equal(t, int64(5368709120), got[0].AverageBackupSize)
	assert.Equal(t, 1, got[0].RuleCount)
	assert.Nil(t, got[0].Rules)
	assert.Nil(t, got[0].FailRemainingBackupTasksExportThreshold)
	// Bare strings from older servers decode too.
	assert.Equal(t, AutoAssignModeDisabled, got[1].AutoAssignSettings.Mode.Name)
	assert.Equal(t, []NameAndGuid{{GUID: "vm-0003"}}, got[1].VMs)
	assert.Equal(t, Ptr(100), got[1].FailRemainingBackupTasksStoreThreshold)
	assert.False(t, got[1].Active)
}

func TestPoliciesListNilOptions(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/policies/vm-backup", 200, "[]")
	got, err := c.Policies.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.Empty(t, captor.only(t).Query)
}

func TestPoliciesGet(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/policies/vm-backup/a%2Fb%20c", 200, fixture(t, "policy_details.json"))

	p, err := c.Policies.Get(context.Background(), "a/b c")
	require.NoError(t, err)
	assert.Equal(t, "/policies/vm-backup/a%2Fb%20c", captor.only(t).Path)

	month := Duration(30 * 24 * time.Hour)
	polRef := &NameAndGuid{GUID: "pol-0001", Name: "tenant-a-policy"}
	want := &Policy{
		GUID:                 "pol-0001",
		Name:                 "tenant-a-policy",
		Priority:             60,
		Active:               true,
		AutoRemoveNonPresent: true,
		AutoAssignSettings: AutoAssignSettings{
			Mode:           Enum[AutoAssignMode]{Name: AutoAssignModeAssignOnly, Description: "Assign only"},
			IncludeTags:    []string{"gold"},
			ExcludeTags:    []string{"no-backup"},
			IncludeRegExps: []string{"^web-.*"},
			ExcludeRegExps: []string{".*-tmp$"},
			HVClusters:     []NameAndGuid{{GUID: "cl-0001", Name: "Default"}},
			Projects:       []NameAndGuid{{GUID: "prj-0001", Name: "tenant-a"}},
		},
		VMs: []NameAndGuid{{GUID: "vm-0001", Name: "web-01"}, {GUID: "vm-0002", Name: "db-01"}},
		Rules: []Rule{
			{
				GUID:      "rule-0001",
				Name:      "Default",
				Policy:    polRef,
				Schedules: []NameAndGuid{{GUID: "sched-0001", Name: "tenant-a-daily"}},
				RuleBackupDestinations: []RuleBackupDestination{{
					GUID:                    "rbd-0001",
					BackupDestination:       BackupDestinationRef{GUID: "bd-0001", Name: "local-xfs", Type: Enum[BackupDestinationType]{Name: BackupDestinationTypeSyntheticXFS, Description: "Synthetic XFS"}},
					RoleType:                Enum[DestinationRole]{Name: DestinationRolePrimary, Description: "Primary"},
					BackupRetentionSettings: BackupRetentionSettings{RetentionKeepLastNFull: 4, RetentionKeepFullNewerThan: month, RetentionKeepLastNIncremental: 30, RetentionKeepIncrementalNewerThan: month},
					Active:                  true,
					Rule:                    &NameAndGuid{GUID: "rule-0001", Name: "Default"},
				}},
				Active: true, VMCount: 2, SchedulesCount: 1, BackupCount: 5,
			},
			// "Retired", marked for deletion in the fixture, is left out.
		},
		BackupRetryCount:                        2,
		FailRemainingBackupTasksExportThreshold: Ptr(50),
		FailRemainingBackupTasksStoreThreshold:  nil,
		DailyReportEnabled:                      true,
		MailingList:                             &NameAndGuid{GUID: "ml-0001", Name: "ops"},
		ExecuteAutoAssignmentAfterSavingPolicy:  true,
		DisableCleanOldBackups:                  false,
		QuiesceBeforeSnapshot:                   true,
		Projects:                                []NameAndGuid{{GUID: "prj-0001", Name: "tenant-a"}},
		ProjectUUID:                             "c0ffee00-0000-4000-8000-00000000000a",
		VisibleForAllProjects:                   false,
		ScanFileSystem:                          true,
		TenantID:                                "c0ffee00-0000-4000-8000-00000000000a", // filled from projectUuid
		VMCount:                                 2,
		AverageBackupSize:                       10737418240,
		RuleCount:                               2,
	}
	assert.Equal(t, want, p)
}

func TestPoliciesCreate(t *testing.T) {
	cases := []struct {
		name   string
		golden string
		policy func() *Policy
	}{
		{"guide two-step", "policy_create_two_step.json", func() *Policy {
			p := &Policy{Name: "tenant-a-policy", Priority: 50, VMs: []NameAndGuid{{GUID: "vm-guid", Name: "web-01"}}, TenantID: "tenant-a"}
			return p // auto-assignment mode unset: sent as DISABLED
		}},
		{"7.x with rules", "policy_create_with_rules.json", func() *Policy {
			p := NewPolicy("tenant-a-policy", "vm-guid")
			p.ProjectUUID = "c0ffee"
			p.Projects = Refs("prj-1")
			p.MailingList = &NameAndGuid{GUID: "ml-1", Name: "ops"}
			p.FailRemainingBackupTasksExportThreshold = Ptr(50)
			p.Rules = []Rule{*NewRule("Default", "", []string{"sched-guid"}, "bd-guid")}
			return p
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newTestClient(t)
			captor := respondJSON(mt, http.MethodPost, "/policies/vm-backup", 201, fixture(t, "policy_details.json"))
			in := tc.policy()
			before := *in
			got, err := c.Policies.Create(context.Background(), in)
			require.NoError(t, err)
			assert.Equal(t, "pol-0001", got.GUID)
			assert.Equal(t, before, *in, "the caller's policy must not change")
			req := captor.only(t)
			assert.Equal(t, "/policies/vm-backup", req.Path)
			assertGolden(t, tc.golden, req.Body)
		})
	}
}

func TestPoliciesUpdate(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodPut, "/policies/vm-backup/a%2Fb%20c", 200, fixture(t, "policy_details.json"))

	// Get-modify-put: VM records go back as references, embedded rules
	// without their server-only fields, rules marked for deletion left out.
	var p Policy
	require.NoError(t, json.Unmarshal(fixture(t, "policy_details.json"), &p))
	p.GUID = "a/b c"
	p.VMs = append(p.VMs, Ref("vm-0003"))

	got, err := c.Policies.Update(context.Background(), "a/b c", &p)
	require.NoError(t, err)
	assert.Equal(t, "pol-0001", got.GUID)
	req := captor.only(t)
	assert.Equal(t, "/policies/vm-backup/a%2Fb%20c", req.Path)
	assertGolden(t, "policy_update.json", req.Body)
}

func TestPoliciesUpdateRules(t *testing.T) {
	cases := []struct {
		name  string
		rules []Rule
		want  string // a fragment of the body, or "" for no rules member
	}{
		{"nil sends no rules", nil, ""},
		{"empty sends []", []Rule{}, `"rules":[]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newTestClient(t)
			captor := respondJSON(mt, http.MethodPut, "/policies/vm-backup/p1", 204, nil)
			p := NewPolicy("n")
			p.Rules = tc.rules
			got, err := c.Policies.Update(context.Background(), "p1", p)
			require.NoError(t, err)
			assert.Equal(t, "p1", got.GUID, "an empty answer returns the policy as sent")
			body := string(captor.only(t).Body)
			if tc.want == "" {
				assert.NotContains(t, body, `"rules"`)
			} else {
				assert.Contains(t, body, tc.want)
			}
		})
	}
}

func TestPoliciesDelete(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodDelete, "/policies/vm-backup/a%2Fb%20c", 204, nil)
	require.NoError(t, c.Policies.Delete(context.Background(), "a/b c"))
	assert.Equal(t, "/policies/vm-backup/a%2Fb%20c", captor.only(t).Path)
}

func TestPoliciesBadArguments(t *testing.T) {
	ctx := context.Background()
	edit := func(f func(p *Policy)) *Policy {
		p := NewPolicy("n", "vm")
		p.Rules = []Rule{*NewRule("r", "", nil, "bd")}
		f(p)
		return p
	}
	cases := []struct {
		name  string
		field string
		p     *Policy
	}{
		{"nil", "policy", nil},
		{"empty name", "Policy.Name", edit(func(p *Policy) { p.Name = "" })},
		{"long name", "Policy.Name", edit(func(p *Policy) { p.Name = strings.Repeat("é", 256) })},
		{"priority below 0", "Policy.Priority", edit(func(p *Policy) { p.Priority = -1 })},
		{"priority above 100", "Policy.Priority", edit(func(p *Policy) { p.Priority = 101 })},
		{"negative retries", "Policy.BackupRetryCount", edit(func(p *Policy) { p.BackupRetryCount = -1 })},
		{"export threshold", "Policy.FailRemainingBackupTasksExportThreshold", edit(func(p *Policy) { p.FailRemainingBackupTasksExportThreshold = Ptr(101) })},
		{"store threshold", "Policy.FailRemainingBackupTasksStoreThreshold", edit(func(p *Policy) { p.FailRemainingBackupTasksStoreThreshold = Ptr(-1) })},
		{"VM without guid", "Policy.VMs[1]", edit(func(p *Policy) { p.VMs = append(p.VMs, NameAndGuid{Name: "by name"}) })},
		{"rule without name", "Policy.Rules[0].Name", edit(func(p *Policy) { p.Rules[0].Name = "" })},
		{"rule destination without guid", "Policy.Rules[1].RuleBackupDestinations[0].BackupDestination", edit(func(p *Policy) {
			p.Rules = append(p.Rules, *NewRule("r2", "", nil, "bd"))
			p.Rules[1].RuleBackupDestinations[0].BackupDestination.GUID = ""
		})},
		{"rule destination without role", "Policy.Rules[0].RuleBackupDestinations[0].RoleType", edit(func(p *Policy) {
			p.Rules[0].RuleBackupDestinations[0].RoleType = Enum[DestinationRole]{}
		})},
	}
	for _, tc := range cases {
		for _, method := range []string{"Create", "Update"} {
			t.Run(method+" "+tc.name, func(t *testing.T) {
				c, _ := newTestClient(t)
				var err error
				if method == "Create" {
					_, err = c.Policies.Create(ctx, tc.p)
				} else {
					_, err = c.Policies.Update(ctx, "g", tc.p)
				}
				requireArgError(t, err, tc.field)
			})
		}
	}
	others := []struct {
		name  string
		field string
		call  func(c *Client) error
	}{
		{"Get empty guid", "guid", func(c *Client) error { _, err := c.Policies.Get(ctx, ""); return err }},
		{"Delete empty guid", "guid", func(c *Client) error { return c.Policies.Delete(ctx, "") }},
		{"Update empty guid", "guid", func(c *Client) error { _, err := c.Policies.Update(ctx, "", NewPolicy("n")); return err }},
		{"Update other guid", "Policy.GUID", func(c *Client) error {
			_, err := c.Policies.Update(ctx, "g", edit(func(p *Policy) { p.GUID = "h" }))
			return err
		}},
		{"List bad size", "ListOptions.Size", func(c *Client) error {
			_, err := c.Policies.List(ctx, &PolicyListOptions{ListOptions: ListOptions{Size: -1}})
			return err
		}},
		{"All bad page", "ListOptions.Page", func(c *Client) error {
			for _, err := range c.Policies.All(ctx, &PolicyListOptions{ListOptions: ListOptions{Page: -1}}) {
				return err
			}
			return nil
		}},
	}
	for _, tc := range others {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newTestClient(t)
			requireArgError(t, tc.call(c), tc.field)
		})
	}
}

func TestNewPolicy(t *testing.T) {
	p := NewPolicy("n", "vm-1", "vm-2")
	assert.Equal(t, &Policy{
		Name:                                   "n",
		Priority:                               50,
		Active:                                 true,
		AutoAssignSettings:                     AutoAssignSettings{Mode: EnumOf(AutoAssignModeDisabled)},
		VMs:                                    []NameAndGuid{{GUID: "vm-1"}, {GUID: "vm-2"}},
		ExecuteAutoAssignmentAfterSavingPolicy: true,
	}, p)
}

// Without extended=true the server sends no counts: VMCount and RuleCount
// are then those of the lists it sent, so they agree; its own counts win
// where it sends them.
func TestPolicyCountsAgreeWithLists(t *testing.T) {
	c, mt := newTestClient(t)
	respondJSON(mt, http.MethodGet, "/policies/vm-backup", http.StatusOK,
		`[{"guid":"p-1","name":"gold","vms":[{"guid":"vm-1"},{"guid":"vm-2"}],"rules":[{"guid":"r-1","name":"Default"}]},
		  {"guid":"p-2","name":"empty","vms":[],"rules":[]}]`)
	respondJSON(mt, http.MethodGet, "/policies/vm-backup?extended=true", http.StatusOK,
		`[{"guid":"p-1","name":"gold","vms":[],"vmCount":5,"ruleCount":3,"averageBackupSize":7}]`)
	respondJSON(mt, http.MethodGet, "/policies/vm-backup/p-1", http.StatusOK,
		`{"guid":"p-1","name":"gold","vms":[{"guid":"vm-1"}],"rules":[{"guid":"r-1"},{"guid":"r-2"}]}`)
	ctx := context.Background()

	ps, err := c.Policies.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, ps, 2)
	assert.Equal(t, 2, ps[0].VMCount)
	assert.Equal(t, 1, ps[0].RuleCount)
	assert.Zero(t, ps[1].VMCount)
	assert.Zero(t, ps[1].RuleCount)

	page, err := c.Policies.ListPage(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, page.Items[0].VMCount)
	for p, err := range c.Policies.All(ctx, nil) {
		require.NoError(t, err)
		assert.Equal(t, len(p.VMs), p.VMCount, p.Name)
		assert.Equal(t, len(p.Rules), p.RuleCount, p.Name)
	}

	ext, err := c.Policies.List(ctx, &PolicyListOptions{Extended: true})
	require.NoError(t, err)
	assert.Equal(t, 5, ext[0].VMCount, "the server's count wins")
	assert.Equal(t, 3, ext[0].RuleCount)

	one, err := c.Policies.Get(ctx, "p-1")
	require.NoError(t, err)
	assert.Equal(t, 1, one.VMCount)
	assert.Equal(t, 2, one.RuleCount)
}
