package vprotecttest

import "slices"

// Removing a VM from vProtect (POST /tasks/delete, 7x reference 3.1, 3.2)
// and the task console's bulk removals (6.1).
//
// A VM with backups still present on backup destinations gets one DELETE
// task per such destination; when a DELETE task finishes, the VM's copies on
// its destination are REMOVED (a backup with no copy left becomes
// SUCCESS_REMOVED, and stays in the history), and when the VM's last DELETE
// task has finished the VM is removed. A VM without present backups is
// removed at once and the answer is [].

// POST /tasks/delete {"value":"<vm guid>"}
func (s *Server) deleteVMTasks(c *call) (reply, error) {
	var req valueRequest[string]
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if req.Value == nil || *req.Value == "" {
		return reply{}, badRequest("value: the GUID of the virtual machine is required")
	}
	v, ok := s.st.vms.get(*req.Value)
	if !ok {
		return reply{}, badRequest("value: unknown virtual machine %s", *req.Value)
	}
	var dests []string
	for _, b := range s.st.backups.all() {
		if b.ProtectedEntity.GUID != v.GUID {
			continue
		}
		for _, l := range b.BackupLocations {
			if l.Status.Name == "PRESENT" && !slices.Contains(dests, l.BackupDestination.GUID) {
				dests = append(dests, l.BackupDestination.GUID)
			}
		}
	}
	if len(dests) == 0 {
		s.removeVM(v.GUID)
		return okReply([]Task{}), nil
	}
	out := make([]Task, 0, len(dests))
	for _, d := range dests {
		r := s.newTask(taskSpec{typ: "DELETE", vm: v, priority: 50, winStart: c.now, winEnd: c.now.Add(defaultWindowLength),
			dest: d, origin: s.userOrigin(c.login), tenants: s.st.vmTenants(v)}, c.now)
		out = append(out, s.renderTask(r))
	}
	s.advance(c.now)
	return okReply(out), nil
}

// deleteFinished is what a finished DELETE task does: it removes its VM's
// copies on its destination, and the VM after its last DELETE task.
func (s *Server) deleteFinished(r *taskRec) {
	dest := ""
	if r.BackupDestination != nil {
		dest = r.BackupDestination.GUID
	}
	for _, b := range s.st.backups.all() {
		if b.ProtectedEntity.GUID != r.vm {
			continue
		}
		for i := range b.BackupLocations {
			if l := &b.BackupLocations[i]; l.Status.Name == "PRESENT" && l.BackupDestination.GUID == dest {
				s.removeCopy(b, l)
			}
		}
	}
	for _, o := range s.st.active {
		if o != r && o.Type.Name == "DELETE" && o.vm == r.vm && !isTerminal(o.State.Name) {
			return
		}
	}
	s.removeVM(r.vm)
}

// removeVM drops a VM and its parts; its backups stay in the history.
func (s *Server) removeVM(guid string) {
	s.st.vms.del(guid)
	delete(s.st.vmDisks, guid)
	delete(s.st.vmNICs, guid)
}

// DELETE /tasks/all-finished: removes every FINISHED, FAILED and CANCELLED task.
func (s *Server) deleteAllFinished(c *call) (reply, error) {
	s.removeTasks(func(r *taskRec) bool { return isTerminal(r.State.Name) }, c)
	return noContent(), nil
}

// DELETE /tasks/all-finished-and-queued: removes the finished tasks and the
// QUEUED ones, which are cancelled first (a queued export fails its backup).
func (s *Server) deleteAllFinishedAndQueued(c *call) (reply, error) {
	s.removeTasks(func(r *taskRec) bool { return isTerminal(r.State.Name) || r.State.Name == "QUEUED" }, c)
	return noContent(), nil
}

// DELETE /tasks/all-running: cancels every RUNNING task; they stay listed.
func (s *Server) cancelAllRunning(c *call) (reply, error) {
	for _, r := range s.st.tasks.all() {
		if r.State.Name == "RUNNING" {
			s.endTask(r, "CANCELLED", "Cancelled by user", c.now)
		}
	}
	s.prune()
	s.advance(c.now)
	return noContent(), nil
}

// removeTasks removes the tasks that match, cancelling those not ended.
func (s *Server) removeTasks(match func(*taskRec) bool, c *call) {
	for _, r := range s.st.tasks.all() {
		if !match(r) {
			continue
		}
		if !isTerminal(r.State.Name) {
			s.endTask(r, "CANCELLED", "Cancelled by user", c.now)
		}
		s.st.tasks.del(r.GUID)
	}
	s.prune()
	s.advance(c.now)
}
