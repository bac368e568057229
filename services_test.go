package vprotect

import (
	"context"
	"iter"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestServicesNotFound: a 404 to any call of any service matches
// ErrNotFound.
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

		"BackupLocations.List": {http.MethodGet, "/backup-locations", func(c *Client) error { _, err := c.BackupLocations.List(ctx, nil); return err }},
		"Backups.Get":          {http.MethodGet, "/backups/nope", func(c *Client) error { _, err := c.Backups.Get(ctx, "nope"); return err }},
		"VMs.Get":              {http.MethodGet, "/virtual-machines/nope", func(c *Client) error { _, err := c.VMs.Get(ctx, "nope"); return err }},

		"Policies.List":     {http.MethodGet, "/policies/vm-backup", func(c *Client) error { _, err := c.Policies.List(ctx, nil); return err }},
		"Policies.ListPage": {http.MethodGet, "/policies/vm-backup", func(c *Client) error { _, err := c.Policies.ListPage(ctx, nil); return err }},
		"Policies.All":      {http.MethodGet, "/policies/vm-backup", func(c *Client) error { return firstErr(c.Policies.All(ctx, nil)) }},
		"Policies.Get":      {http.MethodGet, "/policies/vm-backup/nope", func(c *Client) error { _, err := c.Policies.Get(ctx, "nope"); return err }},
		"Policies.Create": {http.MethodPost, "/policies/vm-backup", func(c *Client) error {
			_, err := c.Policies.Create(ctx, NewPolicy("n", "vm-x"))
			return err
		}},
		"Policies.Update": {http.MethodPut, "/policies/vm-backup/nope", func(c *Client) error {
			_, err := c.Policies.Update(ctx, "nope", NewPolicy("n"))
			return err
		}},
		"Policies.Delete": {http.MethodDelete, "/policies/vm-backup/nope", func(c *Client) error { return c.Policies.Delete(ctx, "nope") }},

		"Rules.List":     {http.MethodGet, "/rules/vm-backup", func(c *Client) error { _, err := c.Rules.List(ctx, nil); return err }},
		"Rules.ListPage": {http.MethodGet, "/rules/vm-backup", func(c *Client) error { _, err := c.Rules.ListPage(ctx, nil); return err }},
		"Rules.All":      {http.MethodGet, "/rules/vm-backup", func(c *Client) error { return firstErr(c.Rules.All(ctx, nil)) }},
		"Rules.Get":      {http.MethodGet, "/rules/vm-backup/nope", func(c *Client) error { _, err := c.Rules.Get(ctx, "nope"); return err }},
		"Rules.Create": {http.MethodPost, "/rules/vm-backup", func(c *Client) error {
			_, err := c.Rules.Create(ctx, NewRule("n", "nope", nil, "bd"))
			return err
		}},
		"Rules.Update": {http.MethodPut, "/rules/vm-backup/nope", func(c *Client) error {
			_, err := c.Rules.Update(ctx, "nope", NewRule("n", "p", nil, "bd"))
			return err
		}},
		"Rules.Delete": {http.MethodDelete, "/rules/vm-backup/nope", func(c *Client) error { return c.Rules.Delete(ctx, "nope") }},

		"Schedules.List": {http.MethodGet, "/schedules", func(c *Client) error { _, err := c.Schedules.List(ctx, nil); return err }},
		"Schedules.Get":  {http.MethodGet, "/schedules/nope", func(c *Client) error { _, err := c.Schedules.Get(ctx, "nope"); return err }},
		"Schedules.Create": {http.MethodPost, "/schedules", func(c *Client) error {
			_, err := c.Schedules.Create(ctx, NewTimeSchedule("n", 0, time.Hour, time.Monday))
			return err
		}},
		"Schedules.Update": {http.MethodPut, "/schedules/nope", func(c *Client) error {
			_, err := c.Schedules.Update(ctx, "nope", NewTimeSchedule("n", 0, time.Hour, time.Monday))
			return err
		}},
		"Schedules.Delete": {http.MethodDelete, "/schedules/nope", func(c *Client) error { return c.Schedules.Delete(ctx, "nope") }},

		"Tasks.Get":    {http.MethodGet, "/tasks/nope", func(c *Client) error { _, err := c.Tasks.Get(ctx, "nope"); return err }},
		"Tasks.Cancel": {http.MethodPut, "/tasks/nope/state", func(c *Client) error { return c.Tasks.Cancel(ctx, "nope") }},
		"Tasks.Delete": {http.MethodDelete, "/tasks/nope", func(c *Client) error { return c.Tasks.Delete(ctx, "nope") }},
		"Tasks.Export": {http.MethodPost, "/tasks/export", func(c *Client) error {
			_, err := c.Tasks.Export(ctx, ExportRequest{ProtectedEntities: []string{"nope"}})
			return err
		}},
		"Tasks.RestoreAndImport": {http.MethodPost, "/tasks/restore-and-import", func(c *Client) error {
			_, err := c.Tasks.RestoreAndImport(ctx, RestoreRequest{Backup: "nope", Hypervisor: "hv-1", RestoredPEName: "copy"})
			return err
		}},

		"Backups.SetDescription": {http.MethodPut, "/backups/nope/description", func(c *Client) error {
			return c.Backups.SetDescription(ctx, "nope", "x")
		}},
		"Backups.AcknowledgeWarnings": {http.MethodPut, "/backups/nope/warnings-acknowledged", func(c *Client) error {
			return c.Backups.AcknowledgeWarnings(ctx, "nope")
		}},
		"BackupFiles.ListForRestore": {http.MethodGet, "/backup-files/detailed/for-restore", func(c *Client) error {
			_, err := c.BackupFiles.ListForRestore(ctx, "nope")
			return err
		}},
		"RestoreJobs.List": {http.MethodGet, "/restore-jobs", func(c *Client) error { _, err := c.RestoreJobs.List(ctx, nil); return err }},
		"Retention.Preview": {http.MethodPost, "/retention/mark-backups/preview", func(c *Client) error {
			_, err := c.Retention.Preview(ctx, RetentionMark{Backup: "nope", Hint: RetentionHintToRemove})
			return err
		}},
		"Retention.Mark": {http.MethodPost, "/retention/mark-backups", func(c *Client) error {
			return c.Retention.Mark(ctx, RetentionMark{Backup: "nope", Hint: RetentionHintToRemove})
		}},
		"Credentials.List": {http.MethodGet, "/credential", func(c *Client) error { _, err := c.Credentials.List(ctx); return err }},
		"Snapshots.AcknowledgeWarnings": {http.MethodPut, "/snapshots/warnings-acknowledged", func(c *Client) error {
			_, err := c.Snapshots.AcknowledgeWarnings(ctx, "nope")
			return err
		}},
		"VMs.SetSSHPassword": {http.MethodPut, "/virtual-machines/nope/ssh-password", func(c *Client) error {
			return c.VMs.SetSSHPassword(ctx, "nope", "s3cret")
		}},
		"Networks.List":           {http.MethodGet, "/network", func(c *Client) error { _, err := c.Networks.List(ctx, nil); return err }},
		"Networks.ListShared":     {http.MethodGet, "/network/shared", func(c *Client) error { _, err := c.Networks.ListShared(ctx, nil); return err }},
		"VMFlavors.List":          {http.MethodGet, "/virtual-machine-flavors", func(c *Client) error { _, err := c.VMFlavors.List(ctx, nil); return err }},
		"Projects.List":           {http.MethodGet, "/projects", func(c *Client) error { _, err := c.Projects.List(ctx, nil); return err }},
		"Tasks.DeleteVM":          {http.MethodPost, "/tasks/delete", func(c *Client) error { _, err := c.Tasks.DeleteVM(ctx, "nope"); return err }},
		"Tasks.DeleteAllFinished": {http.MethodDelete, "/tasks/all-finished", func(c *Client) error { return c.Tasks.DeleteAllFinished(ctx) }},
		"Tasks.DeleteAllFinishedAndQueued": {http.MethodDelete, "/tasks/all-finished-and-queued", func(c *Client) error {
			return c.Tasks.DeleteAllFinishedAndQueued(ctx)
		}},
		"Tasks.CancelAllRunning": {http.MethodDelete, "/tasks/all-running", func(c *Client) error { return c.Tasks.CancelAllRunning(ctx) }},

		"Snapshots.List":     {http.MethodGet, "/snapshots", func(c *Client) error { _, err := c.Snapshots.List(ctx, nil); return err }},
		"Snapshots.ListPage": {http.MethodGet, "/snapshots", func(c *Client) error { _, err := c.Snapshots.ListPage(ctx, nil); return err }},
		"Snapshots.All":      {http.MethodGet, "/snapshots", func(c *Client) error { return firstErr(c.Snapshots.All(ctx, nil)) }},
		"Snapshots.Get":      {http.MethodGet, "/snapshots/nope", func(c *Client) error { _, err := c.Snapshots.Get(ctx, "nope"); return err }},

		"SnapshotPolicies.List": {http.MethodGet, "/policies/vm-snapshot", func(c *Client) error { _, err := c.SnapshotPolicies.List(ctx, nil); return err }},
		"SnapshotPolicies.ListPage": {http.MethodGet, "/policies/vm-snapshot", func(c *Client) error {
			_, err := c.SnapshotPolicies.ListPage(ctx, nil)
			return err
		}},
		"SnapshotPolicies.All": {http.MethodGet, "/policies/vm-snapshot", func(c *Client) error { return firstErr(c.SnapshotPolicies.All(ctx, nil)) }},
		"SnapshotPolicies.Get": {http.MethodGet, "/policies/vm-snapshot/nope", func(c *Client) error {
			_, err := c.SnapshotPolicies.Get(ctx, "nope")
			return err
		}},
		"SnapshotPolicies.Create": {http.MethodPost, "/policies/vm-snapshot", func(c *Client) error {
			_, err := c.SnapshotPolicies.Create(ctx, NewSnapshotPolicy("n", 1, 1, nil))
			return err
		}},
		"SnapshotPolicies.Update": {http.MethodPut, "/policies/vm-snapshot/nope", func(c *Client) error {
			_, err := c.SnapshotPolicies.Update(ctx, "nope", NewSnapshotPolicy("n", 1, 1, nil))
			return err
		}},
		"SnapshotPolicies.Delete": {http.MethodDelete, "/policies/vm-snapshot/nope", func(c *Client) error { return c.SnapshotPolicies.Delete(ctx, "nope") }},
		"SnapshotPolicies.CreateRule": {http.MethodPost, "/rules/vm-snapshot", func(c *Client) error {
			_, err := c.SnapshotPolicies.CreateRule(ctx, &SnapshotRule{Policy: RefPtr("nope")})
			return err
		}},
		"SnapshotPolicies.UpdateRule": {http.MethodPut, "/rules/vm-backup/nope", func(c *Client) error {
			_, err := c.SnapshotPolicies.UpdateRule(ctx, "nope", &SnapshotRule{Name: "Default"})
			return err
		}},
		"SnapshotPolicies.Save": {http.MethodPut, "/policies/vm-snapshot/nope", func(c *Client) error {
			p := NewSnapshotPolicy("n", 1, 1, nil)
			p.GUID = "nope"
			_, err := c.SnapshotPolicies.Save(ctx, p)
			return err
		}},
		"SnapshotPolicies.AutoAssignmentPreview": {http.MethodPost, "/policies/vm-snapshot/auto-assignment-preview", func(c *Client) error {
			_, err := c.SnapshotPolicies.AutoAssignmentPreview(ctx, NewSnapshotPolicy("n", 1, 1, nil))
			return err
		}},
		"Policies.ListByEntities": {http.MethodPost, "/policies/vm-backup/list-by-entities", func(c *Client) error {
			_, err := c.Policies.ListByEntities(ctx, "nope")
			return err
		}},
		"Policies.AutoAssignmentPreview": {http.MethodPost, "/policies/vm-backup/nope/auto-assignment-preview", func(c *Client) error {
			p := NewPolicy("n")
			p.GUID = "nope"
			_, err := c.Policies.AutoAssignmentPreview(ctx, p)
			return err
		}},

		"MailingLists.List":     {http.MethodGet, "/mailing-lists", func(c *Client) error { _, err := c.MailingLists.List(ctx, nil); return err }},
		"MailingLists.ListPage": {http.MethodGet, "/mailing-lists", func(c *Client) error { _, err := c.MailingLists.ListPage(ctx, nil); return err }},
		"MailingLists.All":      {http.MethodGet, "/mailing-lists", func(c *Client) error { return firstErr(c.MailingLists.All(ctx, nil)) }},
		"MailingLists.Get":      {http.MethodGet, "/mailing-lists/nope", func(c *Client) error { _, err := c.MailingLists.Get(ctx, "nope"); return err }},
		"MailingLists.Create": {http.MethodPost, "/mailing-lists", func(c *Client) error {
			_, err := c.MailingLists.Create(ctx, &MailingList{Name: "n"})
			return err
		}},
		"MailingLists.Update": {http.MethodPut, "/mailing-lists/nope", func(c *Client) error {
			_, err := c.MailingLists.Update(ctx, "nope", &MailingList{Name: "n"})
			return err
		}},
		"MailingLists.Delete": {http.MethodDelete, "/mailing-lists/nope", func(c *Client) error { return c.MailingLists.Delete(ctx, "nope") }},

		"VMDisks.List": {http.MethodGet, "/virtual-machine-disks", func(c *Client) error { _, err := c.VMDisks.List(ctx, nil); return err }},
		"VMDisks.UpdateSettings": {http.MethodPut, "/virtual-machine-disks/nope/settings", func(c *Client) error {
			_, err := c.VMDisks.UpdateSettings(ctx, "nope", &VMDisk{})
			return err
		}},
		"VMs.UpdateSettings": {http.MethodPut, "/virtual-machines/nope/settings", func(c *Client) error {
			_, err := c.VMs.UpdateSettings(ctx, "nope", &VirtualMachine{})
			return err
		}},
		"VMs.Detailed": {http.MethodGet, "/virtual-machines/detailed", func(c *Client) error { _, err := c.VMs.Detailed(ctx, ""); return err }},
		"VMs.IncrementalNotPossible": {http.MethodPost, "/virtual-machines/incremental-not-possible", func(c *Client) error {
			_, err := c.VMs.IncrementalNotPossible(ctx, "nope")
			return err
		}},
		"VMs.DeleteAllNonPresent": {http.MethodDelete, "/virtual-machines/all-non-present", func(c *Client) error { return c.VMs.DeleteAllNonPresent(ctx) }},
		"Tasks.Snapshot": {http.MethodPost, "/tasks/vm-snapshot", func(c *Client) error {
			_, err := c.Tasks.Snapshot(ctx, SnapshotRequest{ProtectedEntities: []string{"nope"}, Rule: "r"})
			return err
		}},
		"Tasks.InventorySync": {http.MethodPost, "/tasks/inventory-sync", func(c *Client) error {
			_, err := c.Tasks.InventorySync(ctx, "nope")
			return err
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t)
			respondJSON(mt, tc.method, tc.path, 404, `{"message":"not found"}`)
			assert.ErrorIs(t, tc.call(c), ErrNotFound)
		})
	}
}

// TestServicesBadArguments: bad arguments of the smaller services are
// refused before anything is sent, naming the field.
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
		{"Snapshots bad paging", "ListOptions.Page", func(c *Client) error {
			_, err := c.Snapshots.List(ctx, &SnapshotListOptions{ListOptions: ListOptions{Page: 1}})
			return err
		}},
		{"VMDisks bad direction", "ListOptions.Direction", func(c *Client) error {
			_, err := c.VMDisks.List(ctx, &VMDiskListOptions{ListOptions: ListOptions{Direction: "up"}})
			return err
		}},
		{"MailingLists bad size", "ListOptions.Size", func(c *Client) error {
			_, err := c.MailingLists.List(ctx, &ListOptions{Size: -1})
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

// firstErr returns the first error an iterator yields, or nil.
func firstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}
