package vprotect

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTasksDeleteVM(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodPost, "/tasks/delete", http.StatusOK, fixture(t, "delete_vm_tasks.json"))

	tasks, err := c.Tasks.DeleteVM(context.Background(), "vm-1")
	require.NoError(t, err)
	req := rec.only(t)
	assert.Equal(t, http.MethodPost, req.Method)
	assertGolden(t, "tasks_delete_vm.json", req.Body)
	require.Len(t, tasks, 2)
	assert.Equal(t, TaskTypeDelete, tasks[0].Type.Name)
	assert.Equal(t, TaskStateQueued, tasks[0].State.Name)
	assert.Equal(t, "vm-1", tasks[0].ProtectedEntity.GUID)
	assert.Equal(t, &NameAndGuid{GUID: "bd-2", Name: "s3"}, tasks[1].BackupDestination)
}

func TestTasksDeleteVMAtOnce(t *testing.T) {
	c, mt := newTestClient(t)
	respondJSON(mt, http.MethodPost, "/tasks/delete", http.StatusOK, `[]`)
	tasks, err := c.Tasks.DeleteVM(context.Background(), "vm-1")
	require.NoError(t, err)
	assert.NotNil(t, tasks)
	assert.Empty(t, tasks)
}

func TestTasksDeleteVMNotRetried(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodPost, "/tasks/delete", http.StatusServiceUnavailable, `{"message":"busy"}`)
	_, err := c.Tasks.DeleteVM(context.Background(), "vm-1")
	require.Error(t, err)
	assert.Len(t, rec.all(), 1)
}

func TestTasksBulkRemovals(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		path string
		call func(*Client) error
	}{
		{"/tasks/all-finished", func(c *Client) error { return c.Tasks.DeleteAllFinished(ctx) }},
		{"/tasks/all-finished-and-queued", func(c *Client) error { return c.Tasks.DeleteAllFinishedAndQueued(ctx) }},
		{"/tasks/all-running", func(c *Client) error { return c.Tasks.CancelAllRunning(ctx) }},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			c, mt := newTestClient(t)
			rec := respondJSON(mt, http.MethodDelete, tc.path, http.StatusNoContent, nil)
			require.NoError(t, tc.call(c))
			req := rec.only(t)
			assert.Equal(t, http.MethodDelete, req.Method)
			assert.Empty(t, req.Body)
			assert.Empty(t, req.Query)
		})
	}
}

func TestTasksDeleteVMBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	_, err := c.Tasks.DeleteVM(context.Background(), "")
	requireArgError(t, err, "vmGUID")
}
