package vprotecttest

import "time"

// schedRun is the runner's bookkeeping for one schedule.
type schedRun struct {
	lastEval time.Time // fire times at or before this are never used
	next     time.Time
	hasNext  bool
	cached   bool
}

// resetSchedule restarts a schedule's evaluation at now (no backfill).
func (s *Server) resetSchedule(guid string, now time.Time) {
	s.st.schedRun[guid] = &schedRun{lastEval: now}
}

// scheduleNext returns the next fire time of an active VM_BACKUP or
// VM_SNAPSHOT schedule.
func (s *Server) scheduleNext(sc *Schedule) (time.Time, bool) {
	if !sc.Active || (sc.Type.Name != "VM_BACKUP" && !isSnapshotSchedule(sc)) {
		return time.Time{}, false
	}
	run, ok := s.st.schedRun[sc.GUID]
	if !ok {
		run = &schedRun{lastEval: s.sim}
		s.st.schedRun[sc.GUID] = run
	}
	if !run.cached {
		run.next, run.hasNext = nextFire(sc, run.lastEval)
		run.cached = true
	}
	return run.next, run.hasNext
}

// nextFire is the first fire time of sc strictly after after, within about a
// year (UTC days, months and occurrences as in reference 3.9).
func nextFire(sc *Schedule, after time.Time) (time.Time, bool) {
	after = after.UTC()
	day := time.Date(after.Year(), after.Month(), after.Day(), 0, 0, 0, 0, time.UTC)
	for i := 0; i < 400; i++ {
		d := day.AddDate(0, 0, i)
		if !dayMatches(sc, d) {
			continue
		}
		for _, off := range dayOffsets(sc) {
			if t := d.Add(off); t.After(after) {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// dayOffsets lists a schedule's fire times in a day as offsets from midnight.
func dayOffsets(sc *Schedule) []time.Duration {
	if sc.ExecutionType.Name == "INTERVAL" {
		if sc.Interval == nil || sc.Interval.Frequency <= 0 {
			return nil
		}
		var out []time.Duration
		for h := sc.Interval.StartHour; h <= sc.Interval.EndHour && h < 86400000; h += sc.Interval.Frequency {
			out = append(out, time.Duration(h)*time.Millisecond)
		}
		return out
	}
	if sc.Hour == nil {
		return nil
	}
	return []time.Duration{time.Duration(*sc.Hour) * time.Millisecond}
}

// dayMatches applies daysOfWeek (empty = every day), months (empty = every
// month) and dayOfWeekOccurrences (empty = every week) to a UTC day.
func dayMatches(sc *Schedule, d time.Time) bool {
	if len(sc.DaysOfWeek) > 0 && !hasEnum(sc.DaysOfWeek, weekdays[d.Weekday()]) {
		return false
	}
	if len(sc.Months) > 0 && !hasEnum(sc.Months, monthNames[d.Month()-1]) {
		return false
	}
	if len(sc.DayOfWeekOccurrences) == 0 {
		return true
	}
	daysInMonth := time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	occ := []string{"FIRST_IN_MONTH", "SECOND_IN_MONTH", "THIRD_IN_MONTH", "FOURTH_IN_MONTH", "FIFTH"}[(d.Day()-1)/7]
	if hasEnum(sc.DayOfWeekOccurrences, occ) {
		return true
	}
	return d.Day()+7 > daysInMonth && hasEnum(sc.DayOfWeekOccurrences, "LAST_IN_MONTH")
}

// fireSchedule creates the EXPORT tasks of one schedule run at time at: one per
// present VM of each active policy whose active rules hold the schedule
// (for a VM_SNAPSHOT schedule, the SNAPSHOT tasks of fireSnapshotSchedule).
func (s *Server) fireSchedule(sc *Schedule, at time.Time) {
	s.st.schedRun[sc.GUID] = &schedRun{lastEval: at}
	sc.LastRun = msPtr(at)
	if isSnapshotSchedule(sc) {
		s.fireSnapshotSchedule(sc, at)
		return
	}
	window := defaultWindowLength
	if sc.StartWindowLength != nil && *sc.StartWindowLength > 0 {
		window = time.Duration(*sc.StartWindowLength) * time.Millisecond
	} else if sc.ExecutionType.Name == "INTERVAL" && sc.Interval != nil && sc.Interval.Frequency > 0 {
		window = time.Duration(sc.Interval.Frequency) * time.Millisecond
	}
	bt := sc.BackupType.Name
	if !backupTypes[bt] {
		bt = "FULL"
	}
	origin := &NameGuidAndType{GUID: sc.GUID, Name: sc.Name, Type: enumOf("SCHEDULE")}
	done := map[string]bool{}
	for _, r := range s.st.rulesOfSchedule(sc.GUID) {
		if !r.Active || r.Policy == nil {
			continue
		}
		p, ok := s.st.policies.get(r.Policy.GUID)
		if !ok || !p.Active {
			continue
		}
		dest := primaryDestination(r)
		if dest == "" {
			dest = s.st.defaultDestination()
		}
		for _, vm := range s.st.vmsOfPolicy(p.GUID) {
			if !vm.Present || done[vm.GUID] {
				continue
			}
			done[vm.GUID] = true
			s.createExport(vm, exportSpec{backupType: bt, dest: dest, priority: p.Priority, winStart: at,
				winEnd: at.Add(window), origin: origin, schedule: sc.GUID, rule: r.GUID}, at)
		}
	}
}

// exportSpec describes one EXPORT to create.
type exportSpec struct {
	backupType string
	dest       string
	priority   int
	winStart   time.Time
	winEnd     time.Time
	origin     *NameGuidAndType
	schedule   string
	rule       string
}

// createExport creates an EXPORT task for vm and its IN_PROGRESS backup record.
func (s *Server) createExport(vm *VM, sp exportSpec, at time.Time) *taskRec {
	st := s.st
	bt := sp.backupType
	if bt == "INCREMENTAL" && vm.LastBackup == nil {
		bt = "FULL" // no previous backup: the server falls back to a full backup
	}
	b := &Backup{GUID: st.newGUID(), ProtectedEntity: *vmEntity(vm), Type: enumOf(bt), Status: enumOf("IN_PROGRESS"),
		SnapshotTime: ms(at), Warnings: []string{}, OriginEntity: sp.origin, BackupRule: st.ref(sp.rule)}
	loc := BackupLocation{GUID: st.newGUID(), SnapshotTime: ms(at), BackupDestination: st.refVal(sp.dest),
		RoleType: enumOf("PRIMARY"), Status: enumOf("IN_PROGRESS")}
	if d, ok := st.dests.get(sp.dest); ok {
		loc.BackupDestinationType = d.Type
	}
	b.BackupLocations = []BackupLocation{loc}
	st.backups.put(b.GUID, b)
	return s.newTask(taskSpec{typ: "EXPORT", vm: vm, priority: sp.priority, winStart: sp.winStart, winEnd: sp.winEnd,
		backupType: sp.backupType, dest: sp.dest, backup: b.GUID, origin: sp.origin, schedule: sp.schedule,
		tenants: st.vmTenants(vm)}, at)
}
