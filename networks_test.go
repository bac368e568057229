package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNetworksList(t *testing.T) {
	for _, shared := range []bool{false, true} {
		path := "/network"
		if shared {
			path = "/network/shared"
		}
		t.Run(path, func(t *testing.T) {
			c, mt := newTestClient(t)
			rec := respondJSON(mt, http.MethodGet, path, http.StatusOK, fixture(t, "network_list.json"))
			list := c.Networks.List
			if shared {
				list = c.Networks.ListShared
			}
			nets, err := list(context.Background(), &NetworkListOptions{HypervisorManager: "hvm-1"})
			require.NoError(t, err)
			assert.Equal(t, url.Values{"hypervisor-manager": {"hvm-1"}}, rec.only(t).Query)
			assert.Equal(t, []Network{
				{GUID: "net-1", UUID: "6b1a4c2e-net-private", Name: "private"},
				{GUID: "net-2", UUID: "6b1a4c2e-net-public", Name: "public"},
			}, nets)
		})
	}
}

func TestNetworksListAll(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodGet, "/network", http.StatusOK, `[]`)
	nets, err := c.Networks.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, nets)
	assert.Empty(t, rec.only(t).Query)
}
