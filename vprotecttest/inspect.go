package vprotecttest

import "cmp"

// Read access for test assertions. Each method first brings the state up to
// the clock's current time (as a request would) and returns copies; it never
// steps StepPerPoll tasks and is not recorded as a request.

// sync brings the state up to the clock; the caller holds s.mu.
func (s *Server) sync() { s.advance(s.cfg.clock.Now()) }

// snapshot renders every object of a store, in store order.
func snapshot[T, R any](s *Server, from *store[T], render func(*T) R) []R {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sync()
	out := make([]R, 0, len(from.order))
	for _, v := range from.all() {
		out = append(out, render(v))
	}
	return out
}

// Tasks returns every task, oldest first.
func (s *Server) Tasks() []Task { return snapshot(s, &s.st.tasks, s.renderTask) }

// Task returns one task by GUID.
func (s *Server) Task(guid string) (Task, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sync()
	r, ok := s.st.tasks.get(guid)
	if !ok {
		return Task{}, false
	}
	return s.renderTask(r), true
}

// Backups returns every backup record, oldest first.
func (s *Server) Backups() []Backup { return snapshot(s, &s.st.backups, s.st.renderBackup) }

// VMs returns every virtual machine in inventory order.
func (s *Server) VMs() []VM { return snapshot(s, &s.st.vms, s.st.renderVM) }

// Schedules returns every schedule with its rules and policies.
func (s *Server) Schedules() []Schedule { return snapshot(s, &s.st.schedules, s.st.renderSchedule) }

// Policies returns every policy with its VMs, rules and counters.
func (s *Server) Policies() []Policy {
	return snapshot(s, &s.st.policies, func(p *Policy) Policy { return s.st.renderPolicy(p, true) })
}

// Rules returns every rule.
func (s *Server) Rules() []Rule { return snapshot(s, &s.st.rules, s.st.renderRule) }

// Snapshots returns every VM snapshot, removed ones included.
func (s *Server) Snapshots() []Snapshot { return snapshot(s, &s.st.snapshots, s.st.renderSnapshot) }

// SnapshotPolicies returns every snapshot policy with its VMs, rules and counters.
func (s *Server) SnapshotPolicies() []SnapshotPolicy {
	return snapshot(s, &s.st.snapPols, func(p *SnapshotPolicy) SnapshotPolicy { return s.st.renderSnapshotPolicy(p, true) })
}

// VMDisks returns the disks of every VM, in inventory order (a VM not yet
// given disks gets its default disk).
func (s *Server) VMDisks() []VMDisk {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sync()
	var out []VMDisk
	for _, v := range s.st.vms.all() {
		for _, d := range s.disksOf(v.GUID) {
			out = append(out, s.st.renderVMDisk(v.GUID, d))
		}
	}
	return out
}

// MailingLists returns every mailing list with its recipients.
func (s *Server) MailingLists() []MailingList {
	return snapshot(s, &s.st.mailLists, func(m *MailingList) MailingList { return renderMailingList(m) })
}

// FailNextTask forces the next task of taskType (EXPORT, STORE, RESTORE,
// IMPORT) for vmGUID ("" = any VM) to end FAILED with statusInfo message
// when it would have finished. A failed EXPORT or STORE fails its backup; a
// failed EXPORT or RESTORE creates no follow-up task. Calls queue up.
func (s *Server) FailNextTask(taskType, vmGUID, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forced = append(s.forced, forcedOutcome{typ: taskType, vm: vmGUID, msg: cmp.Or(message, "Task failed")})
}
