package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVMFlavorsList(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodGet, "/virtual-machine-flavors", http.StatusOK, fixture(t, "flavor_list.json"))
	fl, err := c.VMFlavors.List(context.Background(), &VMFlavorListOptions{HypervisorManager: "hvm-1"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"hypervisor-manager": {"hvm-1"}}, rec.only(t).Query)
	assert.Equal(t, []VMFlavor{{GUID: "fl-1", UUID: "1", Name: "m1.small"}, {GUID: "fl-2", UUID: "2", Name: "m1.large"}}, fl)
}
