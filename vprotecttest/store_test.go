package vprotecttest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The name index finds the current name of an object of any kind by GUID:
// every stored object is in it, a rename through the stored pointer shows at
// once, and a deleted object has no name.
func TestStoreNameIndex(t *testing.T) {
	st := newState()
	require.NoError(t, st.load(DemoSeedAt(t0), t0))
	for guid, want := range map[string]string{
		DemoNodeGUID: "node-1", DemoDefaultDestinationGUID: "fs-default", DemoOpenStackManagerGUID: "openstack",
		DemoProjectAGUID: "tenant-a", DemoOpenStackHypervisorGUID: "compute-1.example.com", DemoOpenStackClusterGUID: "nova",
		DemoOpenStackStorageGUID: "ceph-volumes", DemoVMTenantAWebGUID: "a-web-1", DemoScheduleGUID: "daily-2200",
		DemoPolicyGUID: "gold", DemoRuleGUID: "Default", DemoOpenStackSharedNetGUID: "ext-shared", DemoFlavorSmallGUID: "m1.small",
	} {
		assert.Equal(t, want, st.nameOf(guid), guid)
	}
	b, ok := st.backups.get(DemoBackupRHV1GUID)
	require.True(t, ok)
	assert.Equal(t, backupName(b), st.nameOf(DemoBackupRHV1GUID))

	stored := len(st.nodes.m) + len(st.dests.m) + len(st.managers.m) + len(st.hypervisors.m) + len(st.clusters.m) +
		len(st.storages.m) + len(st.projects.m) + len(st.vms.m) + len(st.backups.m) + len(st.schedules.m) +
		len(st.policies.m) + len(st.rules.m) + len(st.tasks.m) + len(st.networks.m) + len(st.flavors.m) + len(st.credentials.m) + len(st.restoreJobs.m) +
		len(st.snapPols.m) + len(st.snapRules.m) + len(st.snapshots.m) + len(st.mailLists.m) +
		len(st.mounts.m) + len(st.mountedFSs.m)
	assert.Len(t, st.names, stored, "every stored object is in the index, nothing else")

	p, _ := st.policies.get(DemoPolicyGUID)
	p.Name = "platinum"
	assert.Equal(t, "platinum", st.nameOf(DemoPolicyGUID))
	assert.Equal(t, "platinum", st.ref(DemoPolicyGUID).Name)
	st.policies.del(DemoPolicyGUID)
	assert.Empty(t, st.nameOf(DemoPolicyGUID))
	assert.Len(t, st.names, stored-1)
	assert.Empty(t, st.nameOf(""))
	assert.Empty(t, st.nameOf("00000000-0000-4000-8000-999999999999"))
}
