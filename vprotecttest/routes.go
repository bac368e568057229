package vprotecttest

import "net/http"

// route is one endpoint: a ServeMux pattern relative to /api and its handler.
type route struct {
	pattern string
	fn      func(c *call) (reply, error)
}

// routes registers every endpoint the server version serves; the others
// answer 404 like any unknown route.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	for _, rt := range s.routeTable() {
		if !s.gen.serves(rt.pattern) {
			continue
		}
		mux.Handle(rt.pattern, s.handle(rt.fn))
	}
	return mux
}

// routeTable lists every endpoint of the newest version (7.4); the
// generation table says which of them an older version does not serve.
func (s *Server) routeTable() []route {
	var rs []route
	h := func(pattern string, fn func(c *call) (reply, error)) { rs = append(rs, route{pattern, fn}) }

	h("POST /session/login", s.login)
	h("POST /session/login-with-token", s.loginWithToken)
	h("POST /session/logout", s.logout)
	h("GET /session", s.ping)
	h("GET /session/user", s.currentUser)
	h("PUT /users/{id}/password", s.changePassword)

	h("GET /virtual-machines", s.listVMs)
	h("GET /virtual-machines/{guid}", s.getVM)
	h("GET /virtual-machines/detailed", s.detailedVMs)
	h("PUT /virtual-machines/{guid}/settings", s.updateVMSettings)
	h("PUT /virtual-machines/{guid}/ssh-password", s.setVMSSHPassword)
	h("GET /credential", s.listCredentials)
	h("POST /virtual-machines/incremental-not-possible", s.incrementalNotPossible)
	h("DELETE /virtual-machines/all-non-present", s.deleteAllNonPresent)
	h("GET /virtual-machine-disks", s.listVMDisks)
	h("PUT /virtual-machine-disks/{guid}/settings", s.updateVMDiskSettings)

	h("GET /tasks", s.listTasks)
	h("GET /tasks/{guid}", s.getTask)
	h("POST /tasks/export", s.exportTasks)
	h("POST /tasks/restore-and-import", s.restoreAndImport)
	h("POST /tasks/vm-snapshot", s.snapshotTasks)
	h("POST /tasks/inventory-sync", s.inventorySync)
	h("PUT /tasks/{guid}/state", s.setTaskState)
	h("DELETE /tasks/{guid}", s.deleteTask)
	h("POST /tasks/delete", s.deleteVMTasks)
	h("DELETE /tasks/all-finished", s.deleteAllFinished)
	h("DELETE /tasks/all-finished-and-queued", s.deleteAllFinishedAndQueued)
	h("DELETE /tasks/all-running", s.cancelAllRunning)

	h("GET /backups", s.listBackups)
	h("GET /backups/{guid}", s.getBackup)
	h("PUT /backups/{guid}/description", s.setBackupDescription)
	h("PUT /backups/{guid}/warnings-acknowledged", s.setBackupWarningsAcknowledged)
	h("GET /backup-locations", s.listBackupLocations)
	h("GET /restore-jobs", s.listRestoreJobs)
	h("POST /retention/mark-backups", s.markBackups)
	h("POST /retention/mark-backups/preview", s.previewMarks)
	h("GET /backup-files/detailed/for-restore", s.listBackupFilesForRestore)
	h("GET /file-systems", s.listFileSystems)
	h("GET /backup-files", s.listBackupFiles)

	h("POST /tasks/restore-and-mount", s.restoreAndMount)
	h("POST /tasks/mount", s.remount)
	h("POST /tasks/unmount", s.unmount)
	h("GET /mounted-backups", s.listMountedBackups)
	h("GET /mounted-backups/{guid}", s.getMountedBackup)
	h("GET /mounted-file-systems/detailed", s.listMountedFileSystems)
	h("GET /mounted-files", s.listMountedFiles)
	h("POST /mounted-file-systems/{guid}/listing", s.listDirectory)
	h("POST /mounted-file-systems/{guid}/download", s.downloadFiles)

	h("GET /schedules", s.listSchedules)
	h("POST /schedules", s.createSchedule)
	h("GET /schedules/{guid}", s.getSchedule)
	h("PUT /schedules/{guid}", s.updateSchedule)
	h("DELETE /schedules/{guid}", s.deleteSchedule)

	h("GET /policies/vm-backup", s.listPolicies)
	h("POST /policies/vm-backup", s.createPolicy)
	h("GET /policies/vm-backup/{guid}", s.getPolicy)
	h("PUT /policies/vm-backup/{guid}", s.updatePolicy)
	h("DELETE /policies/vm-backup/{guid}", s.deletePolicy)
	h("POST /policies/vm-backup/list-by-entities", s.listPoliciesByEntities)
	h("POST /policies/vm-backup/auto-assignment-preview", s.previewBackupAutoAssignment)
	h("POST /policies/vm-backup/{guid}/auto-assignment-preview", s.previewBackupAutoAssignment)

	h("GET /policies/vm-snapshot", s.listSnapshotPolicies)
	h("POST /policies/vm-snapshot", s.createSnapshotPolicy)
	h("GET /policies/vm-snapshot/{guid}", s.getSnapshotPolicy)
	h("PUT /policies/vm-snapshot/{guid}", s.updateSnapshotPolicy)
	h("DELETE /policies/vm-snapshot/{guid}", s.deleteSnapshotPolicy)
	h("POST /policies/vm-snapshot/auto-assignment-preview", s.previewSnapshotAutoAssignment)
	h("POST /policies/vm-snapshot/{guid}/auto-assignment-preview", s.previewSnapshotAutoAssignment)
	h("POST /rules/vm-snapshot", s.createSnapshotRule)
	h("GET /snapshots", s.listSnapshots)
	h("GET /snapshots/{guid}", s.getSnapshot)
	h("PUT /snapshots/warnings-acknowledged", s.acknowledgeSnapshotWarnings)

	h("GET /mailing-lists", s.listMailingLists)
	h("POST /mailing-lists", s.createMailingList)
	h("GET /mailing-lists/{guid}", s.getMailingList)
	h("PUT /mailing-lists/{guid}", s.updateMailingList)
	h("DELETE /mailing-lists/{guid}", s.deleteMailingList)

	h("GET /rules/vm-backup", s.listRules)
	h("POST /rules/vm-backup", s.createRule)
	h("GET /rules/vm-backup/{guid}", s.getRule)
	h("PUT /rules/vm-backup/{guid}", s.updateRule)
	h("DELETE /rules/vm-backup/{guid}", s.deleteRule)

	h("GET /backup-destinations", s.listDestinations)
	h("GET /backup-destinations/{guid}", s.getDestination)
	h("POST /backup-destinations/usable-for-vms", s.usableDestinations)
	h("GET /hypervisors", s.listHypervisors)
	h("GET /hypervisors/{guid}", s.getHypervisor)
	h("GET /hypervisor-managers", s.listManagers)
	h("GET /hypervisor-managers/{guid}", s.getManager)
	h("GET /hypervisor-clusters", s.listClusters)
	h("GET /hypervisor-storages", s.listStorages)
	h("GET /projects", s.listProjects)
	h("GET /network", s.listNetworks)
	h("GET /network/shared", s.listSharedNetworks)
	h("GET /virtual-machine-flavors", s.listFlavors)
	h("GET /nodes", s.listNodes)
	h("GET /nodes/{guid}", s.getNode)
	return rs
}
