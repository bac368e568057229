package vprotect

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The targets of a backup, best first: the VM's own manager (listed second
// by the server) with the storage its cluster uses, then that manager's
// other storage, then the other manager; each ready for a RestoreRequest.
func TestBackupsRestoreTargets(t *testing.T) {
	c, mt := newTestClient(t)
	backup := respondJSON(mt, http.MethodGet, "/backups/bk-1", http.StatusOK,
		`{"guid":"bk-1","protectedEntity":{"guid":"vm-1","name":"web-01"},"status":{"name":"SUCCESS"}}`)
	vm := respondJSON(mt, http.MethodGet, "/virtual-machines/vm-1", http.StatusOK,
		`{"guid":"vm-1","name":"web-01","hvManager":{"guid":"hvm-2","name":"os-east"},"hvCluster":{"guid":"cl-b","name":"zone-b"}}`)
	managers := respondJSON(mt, http.MethodGet, "/hypervisor-managers?backup-to-be-restored=bk-1", http.StatusOK,
		`[{"guid":"hvm-1","name":"os-west","type":{"name":"OPENSTACK"}},{"guid":"hvm-2","name":"os-east","type":{"name":"OPENSTACK"}}]`)
	storages2 := respondJSON(mt, http.MethodGet, "/hypervisor-storages?hypervisor-manager=hvm-2", http.StatusOK,
		`[{"guid":"st-a","uuid":"uuid-st-a","name":"ssd","clusters":[{"guid":"cl-a"}]},{"guid":"st-b","uuid":"uuid-st-b","name":"hdd","clusters":[{"guid":"cl-a"},{"guid":"cl-b"}]}]`)
	clusters2 := respondJSON(mt, http.MethodGet, "/hypervisor-clusters?hypervisor-manager=hvm-2", http.StatusOK,
		`[{"guid":"cl-a","uuid":"uuid-cl-a","name":"zone-a"},{"guid":"cl-b","uuid":"uuid-cl-b","name":"zone-b"}]`)
	storages1 := respondJSON(mt, http.MethodGet, "/hypervisor-storages?hypervisor-manager=hvm-1", http.StatusOK,
		`[{"guid":"st-c","uuid":"uuid-st-c","name":"ceph","clusters":[]}]`)
	clusters1 := respondJSON(mt, http.MethodGet, "/hypervisor-clusters?hypervisor-manager=hvm-1", http.StatusOK,
		`[{"guid":"cl-c","uuid":"uuid-cl-c","name":"nova"}]`)

	targets, err := c.Backups.RestoreTargets(context.Background(), "bk-1")
	require.NoError(t, err)
	for _, cp := range []*requestCaptor{backup, vm, managers, storages2, clusters2, storages1, clusters1} {
		assert.Len(t, cp.all(), 1)
	}
	require.Len(t, targets, 3)
	want := []struct {
		desc     string
		original bool
		req      RestoreRequest
	}{
		{"hypervisor manager os-east (OPENSTACK), storage hdd, cluster zone-b", true,
			RestoreRequest{Backup: "bk-1", HypervisorManager: "hvm-2", RestoreStorageID: "uuid-st-b", RestoreClusterID: "uuid-cl-b", RestoredPEName: "web-01-copy"}},
		{"hypervisor manager os-east (OPENSTACK), storage ssd, cluster zone-a", false,
			RestoreRequest{Backup: "bk-1", HypervisorManager: "hvm-2", RestoreStorageID: "uuid-st-a", RestoreClusterID: "uuid-cl-a", RestoredPEName: "web-01-copy"}},
		{"hypervisor manager os-west (OPENSTACK), storage ceph", false,
			RestoreRequest{Backup: "bk-1", HypervisorManager: "hvm-1", RestoreStorageID: "uuid-st-c", RestoredPEName: "web-01-copy"}},
	}
	for i, w := range want {
		assert.Equal(t, w.desc, targets[i].String(), "target %d", i)
		assert.Equal(t, w.original, targets[i].Original, "target %d", i)
		assert.Equal(t, w.req, targets[i].Request("bk-1", "web-01-copy"), "target %d", i)
	}

	// The first target's request is what goes on the wire.
	rec := respondJSON(mt, http.MethodPost, "/tasks/restore-and-import", http.StatusOK, fixture(t, "restore_task.json"))
	_, err = c.Tasks.RestoreAndImport(context.Background(), targets[0].Request("bk-1", "web-01-copy"))
	require.NoError(t, err)
	assert.JSONEq(t, `{"backup":{"guid":"bk-1"},"hypervisorManager":{"guid":"hvm-2"},"restoredPeName":"web-01-copy",
		"restoreStorageId":"uuid-st-b","restoreClusterId":"uuid-cl-b"}`, string(rec.only(t).Body))
}

// A VM on a stand-alone hypervisor, for which the server offers no manager,
// restores to that hypervisor; a backup whose VM is gone and that no
// manager takes has no target.
func TestBackupsRestoreTargetsStandAloneAndNone(t *testing.T) {
	c, mt := newTestClient(t)
	respondJSON(mt, http.MethodGet, "/backups/bk-1", http.StatusOK, `{"guid":"bk-1","protectedEntity":{"guid":"vm-1"}}`)
	respondJSON(mt, http.MethodGet, "/virtual-machines/vm-1", http.StatusOK, `{"guid":"vm-1","name":"esx-vm","hypervisor":{"guid":"hv-1","name":"esx-1"}}`)
	respondJSON(mt, http.MethodGet, "/hypervisor-managers?backup-to-be-restored=bk-1", http.StatusOK, `[]`)
	targets, err := c.Backups.RestoreTargets(context.Background(), "bk-1")
	require.NoError(t, err)
	require.Len(t, targets, 1)
	assert.Equal(t, "hypervisor esx-1", targets[0].String())
	assert.True(t, targets[0].Original)
	assert.Equal(t, RestoreRequest{Backup: "bk-1", Hypervisor: "hv-1", RestoredPEName: "n"}, targets[0].Request("bk-1", "n"))

	respondJSON(mt, http.MethodGet, "/backups/bk-2", http.StatusOK, `{"guid":"bk-2","protectedEntity":{"guid":"vm-2"}}`)
	respondJSON(mt, http.MethodGet, "/virtual-machines/vm-2", http.StatusNotFound, `{"message":"not found"}`)
	respondJSON(mt, http.MethodGet, "/hypervisor-managers?backup-to-be-restored=bk-2", http.StatusOK, `[]`)
	targets, err = c.Backups.RestoreTargets(context.Background(), "bk-2")
	require.NoError(t, err, "a VM gone from the inventory is no error")
	assert.Empty(t, targets)
	assert.NotNil(t, targets, "an empty list, not nil")

	_, err = c.Backups.RestoreAs(context.Background(), "bk-2", "copy", nil)
	assert.ErrorIs(t, err, ErrNoRestoreTarget)
	assert.ErrorContains(t, err, "bk-2")
}

// A restore without a name is refused before any request: the server would
// give the new VM the source's name.
func TestRestoreNeedsAName(t *testing.T) {
	c, _ := newTestClient(t) // any request fails the test
	ctx := context.Background()
	for _, name := range []string{"", "  "} {
		_, err := c.Tasks.RestoreAndImport(ctx, RestoreRequest{Backup: "bk-1", HypervisorManager: "hvm-1", RestoredPEName: name})
		requireArgError(t, err, "RestoreRequest.RestoredPEName")
		assert.ErrorContains(t, err, "two VMs share it")
		_, err = c.Backups.RestoreAs(ctx, "bk-1", name, nil)
		requireArgError(t, err, "restoredName")
	}
	_, err := c.Backups.RestoreTargets(ctx, "")
	requireArgError(t, err, "backupGUID")
	_, err = c.Backups.RestoreAs(ctx, "", "copy", nil)
	requireArgError(t, err, "backupGUID")

	// With Overwrite and no name the restore replaces the source VM: allowed.
	c2, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodPost, "/tasks/restore-and-import", http.StatusOK, fixture(t, "restore_task.json"))
	_, err = c2.Tasks.RestoreAndImport(ctx, RestoreRequest{Backup: "bk-1", HypervisorManager: "hvm-1", Overwrite: true})
	require.NoError(t, err)
	assert.JSONEq(t, `{"backup":{"guid":"bk-1"},"hypervisorManager":{"guid":"hvm-1"},"overwrite":true}`, string(rec.only(t).Body))
}
