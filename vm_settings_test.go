package vprotect

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVMsUpdateSettings(t *testing.T) {
	c, mt := newTestClient(t)
	get := respondJSON(mt, http.MethodGet, "/virtual-machines/a%2Fb%20c", 200, fixture(t, "vm_get.json"))
	put := respondJSON(mt, http.MethodPut, "/virtual-machines/a%2Fb%20c/settings", 200, `{"guid":"a/b c","name":"web-01","vmBackupPolicy":{"guid":"pol-0002","name":"silver"}}`)
	ctx := context.Background()

	vm, err := c.VMs.Get(ctx, "a/b c")
	require.NoError(t, err)
	get.only(t)
	vm.VMBackupPolicy = &NameAndGuid{GUID: "pol-0002", Name: "silver"}
	vm.SnapshotMgmtPolicy = RefPtr("spol-0001")
	vm.Credential = nil
	vm.QuiesceBeforeSnapshot = true
	vm.BaseImageCreationConfig = json.RawMessage(`{"windowsImageRequired":{"name":"INHERIT"}}`)
	out, err := c.VMs.UpdateSettings(ctx, vm.GUID, vm)
	require.NoError(t, err)
	assert.Equal(t, &NameAndGuid{GUID: "pol-0002", Name: "silver"}, out.VMBackupPolicy)
	assertGolden(t, "vm_settings.json", put.only(t).Body)
}

func TestVMsUpdateSettingsBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	ctx := context.Background()
	cases := []struct {
		field string
		vm    *VirtualMachine
	}{
		{"vm", nil},
		{"VirtualMachine.GUID", &VirtualMachine{GUID: "other"}},
		{"VirtualMachine.VMBackupPolicy", &VirtualMachine{VMBackupPolicy: &NameAndGuid{Name: "gold"}}},
		{"VirtualMachine.Credential", &VirtualMachine{Credential: &NameAndGuid{}}},
		{"VirtualMachine.SSHPort", &VirtualMachine{SSHPort: 70000}},
		{"VirtualMachine.PreSnapCmdArgs", &VirtualMachine{PreSnapCmdExecEnabled: true}},
		{"VirtualMachine.PostSnapCmdArgs", &VirtualMachine{PostSnapCmdExecEnabled: true}},
		{"VirtualMachine.BaseImageCreationConfig", &VirtualMachine{BaseImageCreationConfig: json.RawMessage(`{`)}},
	}
	for _, tc := range cases {
		_, err := c.VMs.UpdateSettings(ctx, "vm-1", tc.vm)
		requireArgError(t, err, tc.field)
	}
	_, err := c.VMs.UpdateSettings(ctx, "", &VirtualMachine{})
	requireArgError(t, err, "guid")
}

func TestVMsDetailed(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/virtual-machines/detailed", 200, fixture(t, "vm_list.json"))
	vms, err := c.VMs.Detailed(context.Background(), "web")
	require.NoError(t, err)
	assert.NotEmpty(t, vms)
	assert.Equal(t, url.Values{"filter": {"web"}}, captor.only(t).Query)

	c, mt = newTestClient(t)
	captor = respondJSON(mt, http.MethodGet, "/virtual-machines/detailed", 200, "null")
	vms, err = c.VMs.Detailed(context.Background(), "")
	require.NoError(t, err)
	assert.Equal(t, []VirtualMachine{}, vms)
	assert.Empty(t, captor.only(t).Query)
}

func TestVMsDeleteAllNonPresent(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodDelete, "/virtual-machines/all-non-present", 204, nil)
	require.NoError(t, c.VMs.DeleteAllNonPresent(context.Background()))
	assert.Empty(t, captor.only(t).Body)
}

func TestVMsIncrementalNotPossible(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodPost, "/virtual-machines/incremental-not-possible", 200, fixture(t, "incremental_not_possible.json"))
	rows, err := c.VMs.IncrementalNotPossible(context.Background(), "vm-0001", "vm-0002")
	require.NoError(t, err)
	assertGolden(t, "incremental_not_possible.json", captor.only(t).Body)
	require.Len(t, rows, 1)
	assert.Equal(t, "db-01", rows[0].VirtualMachine.Name)
	assert.Equal(t, &NameAndGuid{GUID: "pol-0001", Name: "gold"}, rows[0].VirtualMachine.VMBackupPolicy)
	assert.True(t, rows[0].HasReason(IncrementalNotPossibleReasonMissingIncrementalScheduler))
	assert.False(t, rows[0].HasReason("MISSING_SNAPSHOT"))
	assert.Equal(t, "Missing incremental scheduler", rows[0].Reasons[0].Description)

	c, mt = newTestClient(t)
	respondJSON(mt, http.MethodPost, "/virtual-machines/incremental-not-possible", 200, "[]")
	rows, err = c.VMs.IncrementalNotPossible(context.Background(), "vm-0001")
	require.NoError(t, err)
	assert.Equal(t, []VMNotReadyForIncremental{}, rows, "every VM ready")

	_, err = c.VMs.IncrementalNotPossible(context.Background())
	requireArgError(t, err, "vmGUIDs")
	_, err = c.VMs.IncrementalNotPossible(context.Background(), "vm-1", "")
	requireArgError(t, err, "vmGUIDs[1]")
}

func TestVMsSetSSHPassword(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodPut, "/virtual-machines/a%2Fb%20c/ssh-password", http.StatusNoContent, nil)

	require.NoError(t, c.VMs.SetSSHPassword(context.Background(), "a/b c", "s3cret"))
	req := rec.only(t)
	assert.Equal(t, "/virtual-machines/a%2Fb%20c/ssh-password", req.Path)
	assertGolden(t, "vm_ssh_password.json", req.Body)
}

func TestVMsSetSSHPasswordBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	ctx := context.Background()
	requireArgError(t, c.VMs.SetSSHPassword(ctx, "", "s3cret"), "guid")
	requireArgError(t, c.VMs.SetSSHPassword(ctx, "vm-1", ""), "password")
}
