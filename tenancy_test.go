package vprotect

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A tenant filter goes out in the spellings of both server generations,
// whichever of its two names the caller set; two different values are
// refused before anything is sent.
func TestTenantFiltersSendBothGenerations(t *testing.T) {
	type call func(c *Client, tenantID, projectUUID string) error
	ctx := context.Background()
	cases := []struct {
		name, path, guideName, field string
		call                         call
	}{
		{"VMs", "/virtual-machines", "tenantid", "VMListOptions.ProjectUUID", func(c *Client, t, p string) error {
			_, err := c.VMs.List(ctx, &VMListOptions{TenantID: t, ProjectUUID: p})
			return err
		}},
		{"Tasks", "/tasks", "tenantId", "TaskListOptions.ProjectUUID", func(c *Client, t, p string) error {
			_, err := c.Tasks.List(ctx, &TaskListOptions{TenantID: t, ProjectUUID: p})
			return err
		}},
		{"Policies", "/policies/vm-backup", "tenantid", "PolicyListOptions.ProjectUUID", func(c *Client, t, p string) error {
			_, err := c.Policies.List(ctx, &PolicyListOptions{TenantID: t, ProjectUUID: p})
			return err
		}},
		{"Schedules", "/schedules", "tenantid", "ScheduleListOptions.ProjectUUID", func(c *Client, t, p string) error {
			_, err := c.Schedules.List(ctx, &ScheduleListOptions{TenantID: t, ProjectUUID: p})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, set := range [][2]string{{"tenant-a", ""}, {"", "tenant-a"}, {"tenant-a", "tenant-a"}} {
				c, mt := newTestClient(t)
				captor := respondJSON(mt, http.MethodGet, tc.path, 200, []byte("[]"))
				require.NoError(t, tc.call(c, set[0], set[1]))
				assert.Equal(t, url.Values{tc.guideName: {"tenant-a"}, "project-uuid": {"tenant-a"}}, captor.only(t).Query, "%q", set)
			}
			c, mt := newTestClient(t)
			captor := respondJSON(mt, http.MethodGet, tc.path, 200, []byte("[]"))
			err := tc.call(c, "tenant-a", "tenant-b")
			var ae *ArgumentError
			require.True(t, errors.As(err, &ae), "%v", err)
			assert.Equal(t, tc.field, ae.Field)
			assert.Empty(t, captor.all(), "nothing is sent")
		})
	}
}

// A policy or schedule body carries its tenant as tenantId (4.x) and as
// projectUuid (7.x); an answer in either spelling fills both fields.
func TestTenantBodiesSendBothGenerations(t *testing.T) {
	for _, set := range [][2]string{{"tenant-a", ""}, {"", "tenant-a"}} {
		p := NewPolicy("p")
		p.TenantID, p.ProjectUUID = set[0], set[1]
		b, err := newPolicyBody("", p)
		require.NoError(t, err)
		assert.Equal(t, [2]string{"tenant-a", "tenant-a"}, [2]string{b.TenantID, b.ProjectUUID})

		s := NewTimeSchedule("s", time.Hour, time.Hour, time.Monday)
		s.TenantID, s.ProjectUUID = set[0], set[1]
		sb, err := newScheduleBody("", s)
		require.NoError(t, err)
		assert.Equal(t, [2]string{"tenant-a", "tenant-a"}, [2]string{sb.TenantID, sb.ProjectUUID})
	}
	p := NewPolicy("p")
	p.TenantID, p.ProjectUUID = "tenant-a", "tenant-b"
	_, err := newPolicyBody("", p)
	var ae *ArgumentError
	require.True(t, errors.As(err, &ae), "%v", err)
	assert.Equal(t, "Policy.ProjectUUID", ae.Field)
	s := NewTimeSchedule("s", time.Hour, time.Hour, time.Monday)
	s.TenantID, s.ProjectUUID = "tenant-a", "tenant-b"
	_, err = newScheduleBody("", s)
	require.True(t, errors.As(err, &ae), "%v", err)
	assert.Equal(t, "Schedule.ProjectUUID", ae.Field)

	for answer, want := range map[string]string{`{"guid":"s1","tenantId":"t4"}`: "t4", `{"guid":"s1","projectUuid":"t7"}`: "t7"} {
		c, mt := newTestClient(t)
		respondJSON(mt, http.MethodGet, "/schedules/s1", 200, []byte(answer))
		s, err := c.Schedules.Get(context.Background(), "s1")
		require.NoError(t, err)
		assert.Equal(t, [2]string{want, want}, [2]string{s.TenantID, s.ProjectUUID}, answer)
	}
}

// A create or update of a policy or schedule with a tenant carries it as
// project-uuid too, the scope a 7.x server (and the vendor's OpenStack
// proxy) puts on every call; without a tenant, no query.
func TestTenantScopesCreates(t *testing.T) {
	ctx := context.Background()
	for _, tenant := range []string{"tenant-a", ""} {
		want := url.Values{}
		if tenant != "" {
			want.Set("project-uuid", tenant)
		}
		c, mt := newTestClient(t)
		policies := respondJSON(mt, http.MethodPost, "/policies/vm-backup", 200, []byte(`{"guid":"p1","rules":[{"guid":"r1"}]}`))
		policyPut := respondJSON(mt, http.MethodPut, "/policies/vm-backup/p1", 200, []byte(`{"guid":"p1"}`))
		schedules := respondJSON(mt, http.MethodPost, "/schedules", 200, []byte(`{"guid":"s1"}`))
		schedulePut := respondJSON(mt, http.MethodPut, "/schedules/s1", 200, []byte(`{"guid":"s1"}`))

		p := NewPolicy("p")
		p.TenantID = tenant
		p.Rules = []Rule{*NewRule("r", "", nil, "bd-1")}
		_, err := c.Policies.Create(ctx, p)
		require.NoError(t, err)
		_, err = c.Policies.Update(ctx, "p1", p)
		require.NoError(t, err)
		s := NewTimeSchedule("s", time.Hour, time.Hour, time.Monday)
		s.TenantID = tenant
		_, err = c.Schedules.Create(ctx, s)
		require.NoError(t, err)
		_, err = c.Schedules.Update(ctx, "s1", s)
		require.NoError(t, err)
		for name, captor := range map[string]*requestCaptor{"policy create": policies, "policy update": policyPut, "schedule create": schedules, "schedule update": schedulePut} {
			q := captor.only(t).Query
			if len(want) == 0 {
				assert.Empty(t, q, name)
			} else {
				assert.Equal(t, want, q, name)
			}
		}
	}
}
