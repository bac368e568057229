package vprotecttest

import (
	"math"
	"sort"
	"time"
)

// taskRec is a task plus what the engine needs to derive its state.
type taskRec struct {
	Task
	seq      int
	created  time.Time
	winStart time.Time
	winEnd   time.Time
	started  time.Time
	dur      time.Duration
	nodeKey  string
	failMsg  string
	step     int
	vm       string
	tenants  []string
	schedule string
	newVM    *VM          // RESTORE/IMPORT: the VM that appears when IMPORT finishes
	restore  *restorePlan // RESTORE/IMPORT: the disks and NICs the new VM gets
	job      *restoreJob  // RESTORE/IMPORT: the restore job the task is part of
	snapshot string       // SNAPSHOT: the snapshot record the task fills
}

// taskSpec describes a task to create.
type taskSpec struct {
	typ        string
	vm         *VM
	priority   int
	winStart   time.Time
	winEnd     time.Time
	backupType string
	dest       string
	backup     string
	parent     string
	origin     *NameGuidAndType
	node       string
	hypervisor string
	manager    string
	newVM      *VM
	schedule   string
	tenants    []string
	restore    *restorePlan
	job        *restoreJob
	mounted    string // the mounted backup a RESTORE, MOUNT or UNMOUNT works on
	mountChain bool   // a RESTORE of a restore-and-mount: MOUNT follows it
}

// forcedOutcome is a pending FailNextTask.
type forcedOutcome struct {
	typ, vm, msg string
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func msPtr(t time.Time) *int64 {
	v := t.UnixMilli()
	return &v
}

func isTerminal(state string) bool {
	return state == "FINISHED" || state == "FAILED" || state == "CANCELLED"
}

// nodeFor picks the node that runs a task for vm.
func (s *Server) nodeFor(vm *VM, manager string) string {
	if vm != nil && vm.Hypervisor != nil {
		if h, ok := s.st.hypervisors.get(vm.Hypervisor.GUID); ok && h.Node != nil {
			return h.Node.GUID
		}
	}
	if vm != nil && vm.HvManager != nil && manager == "" {
		manager = vm.HvManager.GUID
	}
	if m, ok := s.st.managers.get(manager); ok && m.Node != nil {
		return m.Node.GUID
	}
	if nodes := s.st.nodes.all(); len(nodes) > 0 {
		return nodes[0].GUID
	}
	return ""
}

// newTask creates a QUEUED task at time at.
func (s *Server) newTask(sp taskSpec, at time.Time) *taskRec {
	st := s.st
	st.taskSeq++
	rec := &taskRec{seq: st.taskSeq, created: at, winStart: sp.winStart, winEnd: sp.winEnd,
		schedule: sp.schedule, tenants: sp.tenants, newVM: sp.newVM, restore: sp.restore, job: sp.job}
	if sp.job != nil {
		sp.job.tasks = append(sp.job.tasks, rec)
	}
	rec.GUID = st.newGUID()
	rec.Type = enumOf(sp.typ)
	rec.State = enumOf("QUEUED")
	rec.WindowStart, rec.WindowEnd = ms(sp.winStart), ms(sp.winEnd)
	rec.Priority = sp.priority
	if sp.backupType != "" {
		rec.BackupType = enumPtr(sp.backupType)
	}
	if sp.vm != nil {
		rec.vm = sp.vm.GUID
		rec.ProtectedEntity = vmEntity(sp.vm)
		if sp.hypervisor == "" && sp.manager == "" {
			if sp.vm.Hypervisor != nil {
				sp.hypervisor = sp.vm.Hypervisor.GUID
			}
			if sp.vm.HvManager != nil {
				sp.manager = sp.vm.HvManager.GUID
			}
		}
	}
	if sp.newVM != nil {
		rec.DstProtectedEntity = vmEntity(sp.newVM)
		rec.RestoreType = enumPtr("RESTORE_AND_IMPORT")
	}
	if sp.mountChain {
		rec.RestoreType = enumPtr("RESTORE_AND_MOUNT")
	}
	rec.MountedBackup = st.ref(sp.mounted)
	rec.BackupDestination = st.ref(sp.dest)
	rec.Hypervisor = st.ref(sp.hypervisor)
	rec.HypervisorManager = st.ref(sp.manager)
	if sp.node == "" {
		sp.node = s.nodeFor(sp.vm, sp.manager)
	}
	rec.nodeKey = sp.node
	rec.Node = st.ref(sp.node)
	rec.OriginEntity = sp.origin
	rec.ParentTask = st.ref(sp.parent)
	rec.Backup = st.ref(sp.backup)
	switch s.cfg.model {
	case Instant, StepPerPoll:
		rec.dur = 0
	default:
		d, ok := s.cfg.durations[sp.typ]
		if !ok {
			d = defaultOtherTaskRuntime
		}
		rec.dur = d
	}
	for i, f := range s.forced {
		if f.typ == sp.typ && (f.vm == "" || f.vm == rec.vm) {
			rec.failMsg = f.msg
			s.forced = append(s.forced[:i:i], s.forced[i+1:]...)
			break
		}
	}
	st.tasks.put(rec.GUID, rec)
	st.active = append(st.active, rec)
	return rec
}

// advance simulates everything that happened up to now, in time order.
func (s *Server) advance(now time.Time) {
	if now.Before(s.sim) {
		now = s.sim
	}
	for {
		s.settle(s.sim)
		next, ok := s.nextEvent(s.sim)
		if !ok || next.After(now) {
			break
		}
		s.sim = next
	}
	s.sim = now
	s.settle(now)
}

// nextEvent is the earliest time after t at which something changes.
func (s *Server) nextEvent(t time.Time) (time.Time, bool) {
	var best time.Time
	found := false
	consider := func(x time.Time) {
		if x.After(t) && (!found || x.Before(best)) {
			best, found = x, true
		}
	}
	for _, rec := range s.st.active {
		switch rec.State.Name {
		case "RUNNING":
			if s.cfg.model != StepPerPoll {
				consider(rec.started.Add(rec.dur))
			}
		case "QUEUED":
			consider(rec.ready())
			consider(rec.winEnd)
		}
	}
	for _, sc := range s.st.schedules.all() {
		if next, ok := s.scheduleNext(sc); ok {
			consider(next)
		}
	}
	if run, ok := s.nextCleanupRun(); ok {
		consider(run)
	}
	if next, ok := s.nextAutoUnmount(t); ok {
		consider(next)
	}
	return best, found
}

func (rec *taskRec) ready() time.Time {
	if rec.winStart.After(rec.created) {
		return rec.winStart
	}
	return rec.created
}

// settle applies every change due at or before t until nothing changes.
func (s *Server) settle(t time.Time) {
	for changed := true; changed; {
		changed = false
		if s.cfg.model != StepPerPoll {
			var due []*taskRec
			for _, rec := range s.st.active {
				if rec.State.Name == "RUNNING" && !rec.started.Add(rec.dur).After(t) {
					due = append(due, rec)
				}
			}
			sort.SliceStable(due, func(i, j int) bool {
				return finishAt(due[i]).Before(finishAt(due[j]))
			})
			for _, r := range due {
				s.finish(r, r.started.Add(r.dur))
				changed = true
			}
		}
		for _, rec := range s.st.active {
			if rec.State.Name == "QUEUED" && !rec.winEnd.After(t) {
				s.endTask(rec, "FAILED", "Task was not started within its time window (window expired)", rec.winEnd)
				changed = true
			}
		}
		for _, sc := range s.st.schedules.all() {
			if next, ok := s.scheduleNext(sc); ok && !next.After(t) {
				s.fireSchedule(sc, next)
				changed = true
			}
		}
		if run, ok := s.nextCleanupRun(); ok && !run.After(t) {
			s.runCleanup(run)
			changed = true
		}
		if s.autoUnmount(t) {
			changed = true
		}
		if s.cfg.model != StepPerPoll && s.fillSlots(t) {
			changed = true
		}
		s.prune()
	}
}

// finishAt returns a running task's finish time.
func finishAt(r *taskRec) time.Time { return r.started.Add(r.dur) }

// prune drops terminal tasks from the active list.
func (s *Server) prune() {
	out := s.st.active[:0]
	for _, r := range s.st.active {
		if !isTerminal(r.State.Name) {
			out = append(out, r)
		}
	}
	for i := len(out); i < len(s.st.active); i++ {
		s.st.active[i] = nil
	}
	s.st.active = out
}

// runningOn counts RUNNING tasks on a node.
func (s *Server) runningOn(node string) int {
	n := 0
	for _, r := range s.st.active {
		if r.State.Name == "RUNNING" && r.nodeKey == node {
			n++
		}
	}
	return n
}

// fillSlots starts ready QUEUED tasks, highest priority first then FIFO,
// while their node has a free slot. It reports whether any task started.
func (s *Server) fillSlots(t time.Time) bool {
	var ready []*taskRec
	for _, r := range s.st.active {
		if r.State.Name == "QUEUED" && !r.ready().After(t) && r.winEnd.After(t) {
			ready = append(ready, r)
		}
	}
	sort.SliceStable(ready, func(i, j int) bool {
		if ready[i].Priority != ready[j].Priority {
			return ready[i].Priority > ready[j].Priority
		}
		return ready[i].seq < ready[j].seq
	})
	started := false
	running := map[string]int{}
	for _, r := range ready {
		if _, ok := running[r.nodeKey]; !ok {
			running[r.nodeKey] = s.runningOn(r.nodeKey)
		}
		if running[r.nodeKey] >= s.cfg.concurrent {
			continue
		}
		running[r.nodeKey]++
		s.start(r, t)
		started = true
	}
	return started
}

// start moves a task to RUNNING at t.
func (s *Server) start(r *taskRec, t time.Time) {
	r.State = enumOf("RUNNING")
	r.started = t
	r.StartTime = msPtr(t)
	r.Progress = 0
	s.snapshotTaskChanged(r, t)
	s.mountTaskChanged(r)
	if r.Type.Name == "EXPORT" && r.Backup != nil {
		if b, ok := s.st.backups.get(r.Backup.GUID); ok {
			b.SnapshotTime = ms(t)
			for i := range b.BackupLocations {
				b.BackupLocations[i].SnapshotTime = ms(t)
			}
		}
	}
}

// stepTask advances a task one step (StepPerPoll model).
func (s *Server) stepTask(r *taskRec, now time.Time) {
	switch r.State.Name {
	case "QUEUED":
		if !r.ready().After(now) && s.runningOn(r.nodeKey) < s.cfg.concurrent {
			s.start(r, now)
			r.step = 1
		}
	case "RUNNING":
		if r.step < 2 {
			r.step = 2
			r.Progress = 50
			return
		}
		s.finish(r, now)
	}
	s.prune()
}

// finish ends a RUNNING task at t, successfully unless a failure was forced,
// and creates the next task of its chain.
func (s *Server) finish(r *taskRec, t time.Time) {
	if r.failMsg != "" {
		s.endTask(r, "FAILED", r.failMsg, t)
		return
	}
	r.State = enumOf("FINISHED")
	r.Progress = 100
	r.FinishTime = msPtr(t)
	s.mountTaskChanged(r)
	var vm *VM
	if v, ok := s.st.vms.get(r.vm); ok {
		vm = v
	}
	child := func(typ string) {
		bt := ""
		if r.BackupType != nil {
			bt = r.BackupType.Name
		}
		sp := taskSpec{typ: typ, vm: vm, priority: r.Priority, winStart: t, winEnd: t.Add(defaultChildWindowLen),
			backupType: bt, parent: r.GUID, origin: r.OriginEntity, node: r.nodeKey, newVM: r.newVM,
			schedule: r.schedule, tenants: r.tenants, restore: r.restore, job: r.job}
		if r.MountedBackup != nil {
			sp.mounted = r.MountedBackup.GUID
		}
		if r.BackupDestination != nil {
			sp.dest = r.BackupDestination.GUID
		}
		if r.Backup != nil {
			sp.backup = r.Backup.GUID
		}
		if r.Hypervisor != nil {
			sp.hypervisor = r.Hypervisor.GUID
		}
		if r.HypervisorManager != nil {
			sp.manager = r.HypervisorManager.GUID
		}
		c := s.newTask(sp, t)
		if vm == nil && r.ProtectedEntity != nil {
			pe := *r.ProtectedEntity
			c.ProtectedEntity = &pe
			c.vm = r.vm
		}
	}
	switch r.Type.Name {
	case "EXPORT":
		child("STORE")
	case "STORE":
		s.backupSucceeded(r, t)
	case "RESTORE":
		if r.RestoreType != nil && r.RestoreType.Name == "RESTORE_AND_MOUNT" {
			child("MOUNT")
		} else {
			child("IMPORT")
		}
	case "BACKUP_CLEANUP":
		s.cleanBackups(t)
	case "DELETE":
		s.deleteFinished(r)
	case "SNAPSHOT":
		s.snapshotTaskChanged(r, t)
	case "IMPORT":
		if r.newVM != nil {
			if _, exists := s.st.vms.get(r.newVM.GUID); !exists {
				v := *r.newVM
				s.st.vms.put(v.GUID, &v)
				s.applyRestore(r.restore, v.GUID)
			}
		}
	}
}

// endTask puts a task in a terminal failure state (FAILED or CANCELLED) at t;
// the backup of an EXPORT or STORE fails with it.
func (s *Server) endTask(r *taskRec, state, info string, t time.Time) {
	if r.State.Name == "RUNNING" {
		r.Progress = s.progress(r, t)
	}
	r.State = enumOf(state)
	r.StatusInfo = info
	r.FinishTime = msPtr(t)
	s.snapshotTaskChanged(r, t)
	s.mountTaskChanged(r)
	if (r.Type.Name == "EXPORT" || r.Type.Name == "STORE") && r.Backup != nil {
		if b, ok := s.st.backups.get(r.Backup.GUID); ok {
			b.Status = enumOf("FAILED")
			b.StatusInfo = info
			for i := range b.BackupLocations {
				b.BackupLocations[i].Status = enumOf("FAILED")
			}
		}
	}
}

// backupSucceeded completes the backup of a finished STORE task.
func (s *Server) backupSucceeded(r *taskRec, t time.Time) {
	if r.Backup == nil {
		return
	}
	b, ok := s.st.backups.get(r.Backup.GUID)
	if !ok {
		return
	}
	full := b.Type.Name == "FULL"
	b.Status = enumOf("SUCCESS")
	b.StatusInfo = ""
	b.BackupTime = msPtr(t)
	b.Size = s.exportSize(b.ProtectedEntity.GUID, full)
	b.EffectiveBackupSize = b.Size
	s.recordParts(b)
	b.EffectiveBackupObjectsCount = int64(len(b.files))
	s.recordTaskTimes(b, r, t)
	for i := range b.BackupLocations {
		b.BackupLocations[i].Status = enumOf("PRESENT")
		b.BackupLocations[i].RetentionHint = enumPtr("STANDARD_RETENTION")
		if d, ok := s.st.dests.get(b.BackupLocations[i].BackupDestination.GUID); ok {
			d.TotalUsedSpace += b.Size
		}
	}
	if v, ok := s.st.vms.get(b.ProtectedEntity.GUID); ok {
		v.Restorable = true
		v.LastBackup = msPtr(t)
		v.LastSuccessfulBackupSize = b.Size
		if full {
			v.LastSuccessfulFullBackupSize = b.Size
		}
		yes := true
		v.BackupUpToDate = &yes
		s.backupSnapshot(v, b.GUID, t)
	}
}

// recordTaskTimes sets a backup's taskTimeStats and taskDurationTime from
// its finished STORE task and that task's EXPORT.
func (s *Server) recordTaskTimes(b *Backup, store *taskRec, t time.Time) {
	b.TaskTimeStats.QueuedStoreTime, b.TaskTimeStats.StoreTime = taskTimes(store, t)
	if store.ParentTask != nil {
		if exp, ok := s.st.tasks.get(store.ParentTask.GUID); ok {
			b.TaskTimeStats.QueuedExportTime, b.TaskTimeStats.ExportTime = taskTimes(exp, t)
		}
	}
	ts := b.TaskTimeStats
	b.TaskDurationTime = ts.QueuedExportTime + ts.ExportTime + ts.QueuedStoreTime + ts.StoreTime
}

// progress is a task's progress at t (0..100, one decimal).
func (s *Server) progress(r *taskRec, t time.Time) float64 {
	switch r.State.Name {
	case "QUEUED":
		return 0
	case "RUNNING":
		if s.cfg.model == StepPerPoll || r.dur <= 0 {
			return r.Progress
		}
		p := float64(t.Sub(r.started)) / float64(r.dur) * 100
		p = math.Floor(p*10) / 10
		return math.Max(0, math.Min(p, 99.9))
	default:
		return r.Progress
	}
}
