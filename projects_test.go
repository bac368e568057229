package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProjectsList(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodGet, "/projects", http.StatusOK, fixture(t, "project_list.json"))
	ps, err := c.Projects.List(context.Background(), &ProjectListOptions{HypervisorManager: "hvm-1"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"hypervisor-manager": {"hvm-1"}}, rec.only(t).Query)
	assert.Equal(t, []Project{{GUID: "prj-1", UUID: "9f1c0d2a7e", Name: "tenant-a", HvManager: &NameAndGuid{GUID: "hvm-1", Name: "openstack"}}}, ps)
}
