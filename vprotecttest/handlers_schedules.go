package vprotecttest

import (
	"strings"
	"time"
)

// scheduleRequest is the body of POST and PUT /schedules.
type scheduleRequest struct {
	Name                 *string        `json:"name"`
	Active               *bool          `json:"active"`
	Type                 *Enum          `json:"type"`
	BackupType           *Enum          `json:"backupType"`
	ExecutionType        *Enum          `json:"executionType"`
	Hour                 *int64         `json:"hour"`
	StartWindowLength    *int64         `json:"startWindowLength"`
	Interval             *Interval      `json:"interval"`
	DaysOfWeek           []Enum         `json:"daysOfWeek"`
	DayOfWeekOccurrences []Enum         `json:"dayOfWeekOccurrences"`
	Months               []Enum         `json:"months"`
	Rules                *[]NameAndGuid `json:"rules"`
	tenantRequest
}

const dayMillis = int64(24 * time.Hour / time.Millisecond)

// buildSchedule validates a request into a schedule (relations not
// applied): its name, its enums, its timing, then the rules it names.
func (s *Server) buildSchedule(req *scheduleRequest, self string) (Schedule, error) {
	var sc Schedule
	var err error
	if sc.Name, err = uniqueName(&s.st.schedules, "schedule", req.Name, self, 0); err != nil {
		return sc, err
	}
	sc.Active = req.Active == nil || *req.Active
	if err := req.enums(&sc); err != nil {
		return sc, err
	}
	if err := req.timing(&sc); err != nil {
		return sc, err
	}
	if req.Rules != nil {
		for i, r := range *req.Rules {
			if err := s.checkScheduleRule(&sc, i, r.GUID); err != nil {
				return sc, err
			}
		}
	}
	return sc, nil
}

// enums checks and defaults the schedule's enum fields.
func (req *scheduleRequest) enums(sc *Schedule) error {
	var err error
	if sc.Type, err = enumField(req.Type, "type", "VM_BACKUP", scheduleTypes); err != nil {
		return err
	}
	if sc.BackupType, err = enumField(req.BackupType, "backupType", "FULL", scheduleBackup); err != nil {
		return err
	}
	if sc.ExecutionType, err = enumField(req.ExecutionType, "executionType", "TIME", executionTypes); err != nil {
		return err
	}
	if sc.DaysOfWeek, err = enumListField(req.DaysOfWeek, "daysOfWeek", set(weekdays...)); err != nil {
		return err
	}
	if sc.Months, err = enumListField(req.Months, "months", set(monthNames...)); err != nil {
		return err
	}
	sc.DayOfWeekOccurrences, err = enumListField(req.DayOfWeekOccurrences, "dayOfWeekOccurrences", occurrences)
	return err
}

// timing checks the window and, by execution type, the hour (TIME) or the
// interval (INTERVAL); all values are milliseconds.
func (req *scheduleRequest) timing(sc *Schedule) error {
	if req.StartWindowLength != nil {
		if *req.StartWindowLength <= 0 {
			return badRequest("startWindowLength: must be > 0 (milliseconds)")
		}
		sc.StartWindowLength = clonePtr(req.StartWindowLength)
	}
	if sc.ExecutionType.Name == "TIME" {
		if req.Hour == nil {
			return badRequest("hour: is required for TIME schedules (milliseconds after UTC midnight)")
		}
		if *req.Hour < 0 || *req.Hour >= dayMillis {
			return badRequest("hour: must be 0..86399999 (milliseconds after UTC midnight)")
		}
		sc.Hour = clonePtr(req.Hour)
		if sc.StartWindowLength == nil {
			w := int64(defaultWindowLength / time.Millisecond)
			sc.StartWindowLength = &w
		}
		sc.Interval = clonePtr(req.Interval)
		return nil
	}
	iv := req.Interval
	if iv == nil {
		return badRequest("interval: is required for INTERVAL schedules")
	}
	if iv.StartHour < 0 || iv.StartHour >= dayMillis {
		return badRequest("interval.startHour: must be 0..86399999")
	}
	if iv.EndHour < iv.StartHour || iv.EndHour >= dayMillis {
		return badRequest("interval.endHour: must be startHour..86399999")
	}
	if iv.Frequency < 60000 {
		return badRequest("interval.frequency: must be at least 60000 (milliseconds)")
	}
	sc.Interval = clonePtr(iv)
	return nil
}

// setScheduleRules makes exactly the given rules hold the schedule.
func (s *Server) setScheduleRules(sched string, rules []NameAndGuid) {
	want := map[string]bool{}
	for _, r := range rules {
		want[r.GUID] = true
	}
	for _, r := range s.st.rules.all() {
		if want[r.GUID] {
			r.Schedules = addRef(r.Schedules, sched)
		} else {
			r.Schedules = removeRef(r.Schedules, sched)
		}
	}
	for _, r := range s.st.snapRules.all() {
		if want[r.GUID] {
			r.Schedules = addRef(r.Schedules, sched)
		} else {
			r.Schedules = removeRef(r.Schedules, sched)
		}
	}
}

// GET /schedules
func (s *Server) listSchedules(c *call) (reply, error) {
	q := c.r.URL.Query()
	tenant := s.gen.tenantOf(c.r)
	typ := param(q, "type")
	vm := param(q, "protected-entity", "protectedEntity")
	var vmScheds map[string]bool
	if vm != "" {
		vmScheds = map[string]bool{}
		if v, ok := s.st.vms.get(vm); ok && v.VMBackupPolicy != nil {
			for _, r := range s.st.rulesOfPolicy(v.VMBackupPolicy.GUID) {
				for _, ref := range r.Schedules {
					vmScheds[ref.GUID] = true
				}
			}
		}
		if v, ok := s.st.vms.get(vm); ok && v.SnapshotMgmtPolicy != nil {
			for _, r := range s.st.snapRulesOfPolicy(v.SnapshotMgmtPolicy.GUID) {
				for _, ref := range r.Schedules {
					vmScheds[ref.GUID] = true
				}
			}
		}
	}
	var out []*Schedule
	for _, sc := range s.st.schedules.all() {
		if tenant != "" && sc.TenantID != tenant {
			continue
		}
		if typ != "" && !strings.EqualFold(sc.Type.Name, typ) {
			continue
		}
		if vmScheds != nil && !vmScheds[sc.GUID] {
			continue
		}
		out = append(out, sc)
	}
	return listReply(c, out, func(sc *Schedule) string { return sc.Name }, s.scheduleWire)
}

// POST /schedules: the schedule belongs to the caller's project on 7.4,
// else to the body's tenant.
func (s *Server) createSchedule(c *call) (reply, error) {
	var req scheduleRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	sc, err := s.buildSchedule(&req, "")
	if err != nil {
		return reply{}, err
	}
	sc.GUID = s.st.newGUID()
	sc.TenantID = s.gen.createTenant(c.r, req.tenantRequest)
	s.st.schedules.put(sc.GUID, &sc)
	if req.Rules != nil {
		s.setScheduleRules(sc.GUID, *req.Rules)
	}
	s.resetSchedule(sc.GUID, c.now)
	return created(s.scheduleWire(&sc)), nil
}

// GET /schedules/{guid}
func (s *Server) getSchedule(c *call) (reply, error) {
	sc, ok := s.st.schedules.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("schedule", pathGUID(c.r))
	}
	return okReply(s.scheduleWire(sc)), nil
}

// PUT /schedules/{guid}: replaces the schedule; the tenant and the rules are kept when absent.
func (s *Server) updateSchedule(c *call) (reply, error) {
	old, ok := s.st.schedules.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("schedule", pathGUID(c.r))
	}
	var req scheduleRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	sc, err := s.buildSchedule(&req, old.GUID)
	if err != nil {
		return reply{}, err
	}
	sc.GUID, sc.LastRun = old.GUID, old.LastRun
	sc.TenantID = old.TenantID
	if t := s.gen.bodyTenant(req.tenantRequest); t != nil {
		sc.TenantID = *t
	}
	*old = sc
	if req.Rules != nil {
		s.setScheduleRules(sc.GUID, *req.Rules)
	}
	s.resetSchedule(sc.GUID, c.now)
	return okReply(s.scheduleWire(old)), nil
}

// DELETE /schedules/{guid}
func (s *Server) deleteSchedule(c *call) (reply, error) {
	sc, ok := s.st.schedules.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("schedule", pathGUID(c.r))
	}
	s.setScheduleRules(sc.GUID, nil)
	s.st.schedules.del(sc.GUID)
	delete(s.st.schedRun, sc.GUID)
	return noContent(), nil
}
