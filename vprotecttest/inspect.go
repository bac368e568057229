package vprotecttest

import "cmp"

// Read access for test assertions. Each method first brings the state up to
// the clock's current time (as a request would) and returns copies; it never
// steps StepPerPoll tasks and is not recorded as a request.

// sync brings the state up to the clock; the caller holds s.mu.
func (s *Server) sync() { s.advance(s.cfg.clock.Now()) }

// Tasks returns every task, oldest first.
func (s *Server) Tasks() []Task {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sync()
	out := []Task{}
	for _, r := range s.st.tasks.all() {
		out = append(out, s.renderTask(r))
	}
	return out
}

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
func (s *Server) Backups() []Backup {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sync()
	out := []Backup{}
	for _, b := range s.st.backups.all() {
		out = append(out, s.st.renderBackup(b))
	}
	return out
}

// VMs returns every virtual machine in inventory order.
func (s *Server) VMs() []VM {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sync()
	out := []VM{}
	for _, v := range s.st.vms.all() {
		out = append(out, s.st.renderVM(v))
	}
	return out
}

// Schedules returns every schedule with its rules and policies.
func (s *Server) Schedules() []Schedule {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sync()
	out := []Schedule{}
	for _, sc := range s.st.schedules.all() {
		out = append(out, s.st.renderSchedule(sc))
	}
	return out
}

// Policies returns every policy with its VMs, rules and counters.
func (s *Server) Policies() []Policy {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sync()
	out := []Policy{}
	for _, p := range s.st.policies.all() {
		out = append(out, s.st.renderPolicy(p, true))
	}
	return out
}

// Rules returns every rule.
func (s *Server) Rules() []Rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sync()
	out := []Rule{}
	for _, r := range s.st.rules.all() {
		out = append(out, s.st.renderRule(r))
	}
	return out
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
