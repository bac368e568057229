package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNodesList(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/nodes", 200, fixture(t, "node_list.json"))
	got, err := c.Nodes.List(context.Background(), &NodeListOptions{BackupToBeRestored: "bk-1"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"backup-to-be-restored": {"bk-1"}}, captor.only(t).Query)
	require.Len(t, got, 2)
	assert.Equal(t, Node{
		GUID:         "node-0001",
		Name:         "node1",
		LastSeen:     TimestampOf(time.UnixMilli(1717236000000)),
		NodeIP:       "10.0.0.5",
		Version:      "7.4.0-27",
		State:        EnumNameAndDescription{Name: "RUNNING", Description: "Running"},
		StagingSpace: NodeStagingSpace{TotalSpace: 536870912000, UsedSpace: 10737418240},
	}, got[0])
	assert.True(t, got[1].LastSeen.IsZero())
	assert.Equal(t, "NOT_REACHABLE", got[1].State.Name)
}
