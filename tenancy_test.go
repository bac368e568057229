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
