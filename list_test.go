package vprotect

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestListNilOptions: a nil options pointer lists everything, with no query.
func TestListNilOptions(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		path string
		call func(c *Client) error
	}{
		"BackupDestinations": {"/backup-destinations", func(c *Client) error { _, err := c.BackupDestinations.List(ctx, nil); return err }},
		"Hypervisors":        {"/hypervisors", func(c *Client) error { _, err := c.Hypervisors.List(ctx, nil); return err }},
		"HypervisorManagers": {"/hypervisor-managers", func(c *Client) error { _, err := c.HypervisorManagers.List(ctx, nil); return err }},
		"HypervisorClusters": {"/hypervisor-clusters", func(c *Client) error { _, err := c.HypervisorClusters.List(ctx, nil); return err }},
		"HypervisorStorages": {"/hypervisor-storages", func(c *Client) error { _, err := c.HypervisorStorages.List(ctx, nil); return err }},
		"Nodes":              {"/nodes", func(c *Client) error { _, err := c.Nodes.List(ctx, nil); return err }},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			cap := respondJSON(mt, http.MethodGet, tc.path, 200, "[]")
			require.NoError(t, tc.call(c))
			assert.Empty(t, cap.only(t).Query)
		})
	}
}
