package vprotect

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTasksSnapshot(t *testing.T) {
	c, mt := newTestClient(t)
	task := string(fixture(t, "task_get.json"))
	captor := respondJSON(mt, http.MethodPost, "/tasks/vm-snapshot", 201, "["+task+"]")
	tasks, err := c.Tasks.Snapshot(context.Background(), SnapshotRequest{ProtectedEntities: []string{"vm-1", "vm-2"}, Rule: "srule-1", Priority: Ptr(70)})
	require.NoError(t, err)
	assert.Len(t, tasks, 1)
	assertGolden(t, "task_snapshot.json", captor.only(t).Body)

	// A single task, or no body, decode too.
	for body, n := range map[string]int{task: 1, "": 0} {
		c, mt := newTestClient(t)
		respondJSON(mt, http.MethodPost, "/tasks/vm-snapshot", 200, body)
		tasks, err := c.Tasks.Snapshot(context.Background(), SnapshotRequest{ProtectedEntities: []string{"vm-1"}, Rule: "srule-1"})
		require.NoError(t, err)
		assert.Len(t, tasks, n)
		assert.NotNil(t, tasks)
	}
}

func TestTasksSnapshotBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	ctx := context.Background()
	cases := map[string]SnapshotRequest{
		"SnapshotRequest.ProtectedEntities":    {Rule: "r"},
		"SnapshotRequest.ProtectedEntities[0]": {ProtectedEntities: []string{""}, Rule: "r"},
		"SnapshotRequest.Rule":                 {ProtectedEntities: []string{"vm-1"}},
		"SnapshotRequest.Priority":             {ProtectedEntities: []string{"vm-1"}, Rule: "r", Priority: Ptr(101)},
	}
	for field, req := range cases {
		_, err := c.Tasks.Snapshot(ctx, req)
		requireArgError(t, err, field)
	}
}

func TestTasksInventorySync(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodPost, "/tasks/inventory-sync", 200, "")
	tasks, err := c.Tasks.InventorySync(context.Background(), "hvm-1", "hvm-2")
	require.NoError(t, err)
	assert.Equal(t, []Task{}, tasks)
	assertGolden(t, "task_inventory_sync.json", captor.only(t).Body)

	_, err = c.Tasks.InventorySync(context.Background())
	requireArgError(t, err, "managerGUIDs")
	_, err = c.Tasks.InventorySync(context.Background(), "hvm-1", " ")
	requireArgError(t, err, "managerGUIDs[1]")
}
