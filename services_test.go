package vprotect

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestServicesNotFound(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		method, path string
		call         func(c *Client) error
	}{
		"BackupDestinations.List": {http.MethodGet, "/backup-destinations", func(c *Client) error { _, err := c.BackupDestinations.List(ctx, nil); return err }},
		"BackupDestinations.UsableForVMs": {http.MethodPost, "/backup-destinations/usable-for-vms", func(c *Client) error {
			_, err := c.BackupDestinations.UsableForVMs(ctx, "nope")
			return err
		}},
		"Hypervisors.List":        {http.MethodGet, "/hypervisors", func(c *Client) error { _, err := c.Hypervisors.List(ctx, nil); return err }},
		"Hypervisors.Get":         {http.MethodGet, "/hypervisors/nope", func(c *Client) error { _, err := c.Hypervisors.Get(ctx, "nope"); return err }},
		"HypervisorManagers.List": {http.MethodGet, "/hypervisor-managers", func(c *Client) error { _, err := c.HypervisorManagers.List(ctx, nil); return err }},
		"HypervisorManagers.ListPage": {http.MethodGet, "/hypervisor-managers", func(c *Client) error {
			_, err := c.HypervisorManagers.ListPage(ctx, nil)
			return err
		}},
		"HypervisorManagers.Get": {http.MethodGet, "/hypervisor-managers/nope", func(c *Client) error { _, err := c.HypervisorManagers.Get(ctx, "nope"); return err }},
		"HypervisorClusters.List": {http.MethodGet, "/hypervisor-clusters", func(c *Client) error {
			_, err := c.HypervisorClusters.List(ctx, &ClusterListOptions{HypervisorManager: "nope"})
			return err
		}},
		"HypervisorStorages.List": {http.MethodGet, "/hypervisor-storages", func(c *Client) error {
			_, err := c.HypervisorStorages.List(ctx, &StorageListOptions{HypervisorManager: "nope"})
			return err
		}},
		"Nodes.List": {http.MethodGet, "/nodes", func(c *Client) error { _, err := c.Nodes.List(ctx, nil); return err }},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			respondJSON(mt, tc.method, tc.path, 404, `{"message":"not found"}`)
			assert.ErrorIs(t, tc.call(c), ErrNotFound)
		})
	}
}

func TestServicesBadArguments(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name  string
		field string
		call  func(c *Client) error
	}{
		{"UsableForVMs no VMs", "vmGUIDs", func(c *Client) error { _, err := c.BackupDestinations.UsableForVMs(ctx); return err }},
		{"UsableForVMs empty VM", "vmGUIDs[1]", func(c *Client) error { _, err := c.BackupDestinations.UsableForVMs(ctx, "vm-1", ""); return err }},
		{"BackupDestinations bad paging", "ListOptions.Page", func(c *Client) error {
			_, err := c.BackupDestinations.List(ctx, &ListOptions{Page: 1})
			return err
		}},
		{"Hypervisors.Get empty guid", "guid", func(c *Client) error { _, err := c.Hypervisors.Get(ctx, ""); return err }},
		{"Hypervisors bad paging", "ListOptions.Size", func(c *Client) error {
			_, err := c.Hypervisors.List(ctx, &HypervisorListOptions{ListOptions: ListOptions{Size: -5}})
			return err
		}},
		{"HypervisorManagers.Get empty guid", "guid", func(c *Client) error { _, err := c.HypervisorManagers.Get(ctx, ""); return err }},
		{"HypervisorManagers bad direction", "ListOptions.Direction", func(c *Client) error {
			_, err := c.HypervisorManagers.List(ctx, &HypervisorManagerListOptions{ListOptions: ListOptions{Direction: "sideways"}})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newTestClient(t)
			requireArgError(t, tc.call(c), tc.field)
		})
	}
}
