package vprotecttest

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Snapshot management (reference 7x section 4): snapshot policies and
// their rules, the snapshots they make, POST /tasks/vm-snapshot and the
// VM_SNAPSHOT schedules that run them.
//
// A SNAPSHOT task makes a snapshot record (QUEUED, CREATING while the task
// runs, then PRESENT or FAILED). When one becomes PRESENT, the rule's
// retention is applied to that VM's snapshots of the rule, newest first:
// the newest is always kept, and a snapshot is kept while either limit
// keeps it (one of the last retentionVersions, or younger than
// retentionDays); the others become REMOVED. Every successful backup also
// leaves a snapshot that is not stand-alone: the VM's lastStoredSnapshot,
// which the next incremental backup starts from; the previous one is
// REMOVED.

// snapshotPolicyRequest is the body of POST and PUT /policies/vm-snapshot.
// Its rules, if any, are ignored: they are saved through /rules/vm-snapshot
// (the UI's two-call save flow, reference 7x 4.3).
type snapshotPolicyRequest struct {
	policyRequest
	ExecuteAutoAssignmentAfterSavingPolicy *bool `json:"executeAutoAssignmentAfterSavingPolicy"`
}

// buildSnapshotPolicy validates a request; self is the policy's own GUID on update.
func (s *Server) buildSnapshotPolicy(req *snapshotPolicyRequest, self string) (SnapshotPolicy, error) {
	var p SnapshotPolicy
	name, err := uniqueName(&s.st.snapPols, "snapshot policy", req.Name, self, 255)
	if err != nil {
		return p, err
	}
	var bp Policy
	if err := req.settings(&bp); err != nil {
		return p, err
	}
	p = SnapshotPolicy{Name: name, Priority: bp.Priority, Active: bp.Active, AutoRemoveNonPresent: bp.AutoRemoveNonPresent,
		BackupRetryCount: bp.BackupRetryCount, AutoAssignSettings: bp.AutoAssignSettings, DailyReportEnabled: bp.DailyReportEnabled,
		ExecuteAutoAssignmentAfterSavingPolicy:  req.ExecuteAutoAssignmentAfterSavingPolicy == nil || *req.ExecuteAutoAssignmentAfterSavingPolicy,
		FailRemainingBackupTasksExportThreshold: bp.FailRemainingBackupTasksExportThreshold,
		FailRemainingBackupTasksStoreThreshold:  bp.FailRemainingBackupTasksStoreThreshold}
	if req.VMs != nil {
		for i, ref := range *req.VMs {
			if _, ok := s.st.vms.get(ref.GUID); !ok {
				return p, badRequest("vms[%d]: unknown virtual machine %q", i, ref.GUID)
			}
		}
	}
	return p, nil
}

// assignSnapshotVMs makes exactly the listed VMs members of the snapshot
// policy; a VM moves from its old snapshot policy.
func (s *Server) assignSnapshotVMs(policy string, refs []NameAndGuid) {
	want := map[string]bool{}
	for _, r := range refs {
		want[r.GUID] = true
	}
	for _, v := range s.st.vms.all() {
		switch {
		case want[v.GUID]:
			v.SnapshotMgmtPolicy = &NameAndGuid{GUID: policy}
		case v.SnapshotMgmtPolicy != nil && v.SnapshotMgmtPolicy.GUID == policy:
			v.SnapshotMgmtPolicy = nil
		}
	}
}

// GET /policies/vm-snapshot (extended=true adds the counters)
func (s *Server) listSnapshotPolicies(c *call) (reply, error) {
	extended, err := boolParam(c.r.URL.Query(), "extended")
	if err != nil {
		return reply{}, err
	}
	return listReply(c, s.st.snapPols.all(), func(p *SnapshotPolicy) string { return p.Name },
		func(p *SnapshotPolicy) SnapshotPolicy { return s.st.renderSnapshotPolicy(p, extended) })
}

// POST /policies/vm-snapshot
func (s *Server) createSnapshotPolicy(c *call) (reply, error) {
	var req snapshotPolicyRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	p, err := s.buildSnapshotPolicy(&req, "")
	if err != nil {
		return reply{}, err
	}
	p.GUID = s.st.newGUID()
	s.st.snapPols.put(p.GUID, &p)
	if req.VMs != nil {
		s.assignSnapshotVMs(p.GUID, *req.VMs)
	}
	return created(s.st.renderSnapshotPolicy(&p, true)), nil
}

// GET /policies/vm-snapshot/{guid}
func (s *Server) getSnapshotPolicy(c *call) (reply, error) {
	p, ok := s.st.snapPols.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("snapshot policy", pathGUID(c.r))
	}
	return okReply(s.st.renderSnapshotPolicy(p, true)), nil
}

// PUT /policies/vm-snapshot/{guid}: vms are kept when absent; rules are
// not touched (PUT /rules/vm-backup/{guid} changes them).
func (s *Server) updateSnapshotPolicy(c *call) (reply, error) {
	old, ok := s.st.snapPols.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("snapshot policy", pathGUID(c.r))
	}
	var req snapshotPolicyRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	p, err := s.buildSnapshotPolicy(&req, old.GUID)
	if err != nil {
		return reply{}, err
	}
	p.GUID = old.GUID
	*old = p
	if req.VMs != nil {
		s.assignSnapshotVMs(p.GUID, *req.VMs)
	}
	return okReply(s.st.renderSnapshotPolicy(old, true)), nil
}

// DELETE /policies/vm-snapshot/{guid}: its rules go too; its VMs are unassigned.
func (s *Server) deleteSnapshotPolicy(c *call) (reply, error) {
	p, ok := s.st.snapPols.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("snapshot policy", pathGUID(c.r))
	}
	for _, r := range s.st.snapRulesOfPolicy(p.GUID) {
		s.st.snapRules.del(r.GUID)
	}
	s.assignSnapshotVMs(p.GUID, nil)
	s.st.snapPols.del(p.GUID)
	return noContent(), nil
}

// snapshotRuleRequest is the body of POST /rules/vm-snapshot and of a PUT
// /rules/vm-backup/{guid} that names a snapshot rule.
type snapshotRuleRequest struct {
	Name              *string        `json:"name"`
	Policy            *NameAndGuid   `json:"policy"`
	RetentionVersions *int           `json:"retentionVersions"`
	RetentionDays     *int           `json:"retentionDays"`
	Schedules         *[]NameAndGuid `json:"schedules"`
	Active            *bool          `json:"active"`
	Position          *int           `json:"position"`
}

// buildSnapshotRule validates a snapshot rule request over old (the zero
// rule for a create): absent fields keep old's values.
func (s *Server) buildSnapshotRule(req *snapshotRuleRequest, old SnapshotRule) (SnapshotRule, error) {
	r := old
	if req.Name != nil {
		r.Name = strings.TrimSpace(*req.Name)
	}
	if r.Name == "" {
		return r, badRequest("name: is required")
	}
	r.Active = req.Active == nil || *req.Active
	for _, f := range []struct {
		field string
		v     *int
		dst   *int
	}{{"retentionVersions", req.RetentionVersions, &r.RetentionVersions},
		{"retentionDays", req.RetentionDays, &r.RetentionDays}, {"position", req.Position, &r.Position}} {
		if f.v == nil {
			continue
		}
		if *f.v < 0 {
			return r, badRequest("%s: must be >= 0", f.field)
		}
		*f.dst = *f.v
	}
	if req.Schedules != nil {
		r.Schedules = []NameAndGuid{}
		for i, ref := range *req.Schedules {
			sc, ok := s.st.schedules.get(ref.GUID)
			if !ok {
				return r, badRequest("schedules[%d]: unknown schedule %q", i, ref.GUID)
			}
			if !isSnapshotSchedule(sc) {
				return r, badRequest("schedules[%d]: schedule %q is a %s schedule, a snapshot rule needs VM_SNAPSHOT", i, sc.Name, sc.Type.Name)
			}
			r.Schedules = addRef(r.Schedules, ref.GUID)
		}
	}
	if r.Schedules == nil {
		r.Schedules = []NameAndGuid{}
	}
	return r, nil
}

// POST /rules/vm-snapshot
func (s *Server) createSnapshotRule(c *call) (reply, error) {
	var req snapshotRuleRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if req.Policy == nil || req.Policy.GUID == "" {
		return reply{}, badRequest("policy: is required")
	}
	if _, ok := s.st.snapPols.get(req.Policy.GUID); !ok {
		return reply{}, badRequest("policy: unknown snapshot policy %q", req.Policy.GUID)
	}
	r, err := s.buildSnapshotRule(&req, SnapshotRule{Position: len(s.st.snapRulesOfPolicy(req.Policy.GUID))})
	if err != nil {
		return reply{}, err
	}
	r.GUID = s.st.newGUID()
	r.Policy = &NameAndGuid{GUID: req.Policy.GUID}
	s.st.snapRules.put(r.GUID, &r)
	return created(s.st.renderSnapshotRule(&r)), nil
}

// updateSnapshotRule serves PUT /rules/vm-backup/{guid} for a snapshot
// rule, the path the UI updates snapshot rules through (reference 7x 4.1).
func (s *Server) updateSnapshotRule(c *call, old *SnapshotRule) (reply, error) {
	var req snapshotRuleRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if req.Policy != nil && req.Policy.GUID != "" && req.Policy.GUID != old.Policy.GUID {
		return reply{}, badRequest("policy: a snapshot rule cannot move to another policy")
	}
	r, err := s.buildSnapshotRule(&req, *old)
	if err != nil {
		return reply{}, err
	}
	*old = r
	return okReply(s.st.renderSnapshotRule(old)), nil
}

// snapshotTaskRequest is the body of POST /tasks/vm-snapshot (reference 7x 4.4).
type snapshotTaskRequest struct {
	Priority          *int          `json:"priority"`
	ProtectedEntities []NameAndGuid `json:"protectedEntities"`
	Rule              *NameAndGuid  `json:"rule"`
}

// POST /tasks/vm-snapshot: a SNAPSHOT task per VM; each VM needs a
// snapshot policy (the CLI says so, reference 7x 4.4).
func (s *Server) snapshotTasks(c *call) (reply, error) {
	var req snapshotTaskRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	prio, err := validPriority(req.Priority, "priority")
	if err != nil {
		return reply{}, err
	}
	if req.Rule == nil || req.Rule.GUID == "" {
		return reply{}, badRequest("rule: is required")
	}
	rule, ok := s.st.snapRules.get(req.Rule.GUID)
	if !ok {
		return reply{}, badRequest("rule: unknown snapshot rule %q", req.Rule.GUID)
	}
	if len(req.ProtectedEntities) == 0 {
		return reply{}, badRequest("protectedEntities: must not be empty")
	}
	var vms []*VM
	for i, ref := range req.ProtectedEntities {
		v, ok := s.st.vms.get(ref.GUID)
		if !ok {
			return reply{}, badRequest("protectedEntities[%d]: unknown virtual machine %q", i, ref.GUID)
		}
		if v.SnapshotMgmtPolicy == nil {
			return reply{}, badRequest("protectedEntities[%d]: virtual machine %q has no snapshot policy", i, v.Name)
		}
		vms = append(vms, v)
	}
	origin := s.userOrigin(c.login)
	tasks := make([]Task, 0, len(vms))
	var recs []*taskRec
	for _, v := range vms {
		recs = append(recs, s.createSnapshotTask(v, rule, prio, origin, "", c.now))
	}
	s.advance(c.now)
	for _, r := range recs {
		tasks = append(tasks, s.renderTask(r))
	}
	return created(tasks), nil
}

// createSnapshotTask queues a SNAPSHOT task for vm under rule, and the
// QUEUED snapshot record it will fill.
func (s *Server) createSnapshotTask(vm *VM, rule *SnapshotRule, prio int, origin *NameGuidAndType, schedule string, at time.Time) *taskRec {
	rec := s.newTask(taskSpec{typ: "SNAPSHOT", vm: vm, priority: prio, winStart: at, winEnd: at.Add(defaultWindowLength),
		origin: origin, schedule: schedule, tenants: s.st.vmTenants(vm)}, at)
	snap := &Snapshot{GUID: s.st.newGUID(), SnapshotTime: ms(at), ProtectedEntity: *vmEntity(vm),
		Rule: &SnapshotRule{GUID: rule.GUID}, Warnings: []string{}, Status: enumOf("QUEUED"), StandAlone: true,
		LastStoredSnapshotAssignments: []SnapshotAssignment{}}
	snap.UUID = "snap-" + snap.GUID
	s.st.snapshots.put(snap.GUID, snap)
	rec.snapshot = snap.GUID
	return rec
}

// snapshotTaskChanged follows a SNAPSHOT task's state in its snapshot
// record at t, and applies the rule's retention once the snapshot is taken.
func (s *Server) snapshotTaskChanged(r *taskRec, t time.Time) {
	snap, ok := s.st.snapshots.get(r.snapshot)
	if !ok {
		return
	}
	switch r.State.Name {
	case "RUNNING":
		snap.Status, snap.SnapshotTime = enumOf("CREATING"), ms(t)
	case "FINISHED":
		snap.Status = enumOf("PRESENT")
		s.applySnapshotRetention(snap.ProtectedEntity.GUID, snap.Rule.GUID, t)
	case "FAILED", "CANCELLED":
		snap.Status = enumOf("FAILED")
		if r.StatusInfo != "" {
			snap.Warnings = []string{r.StatusInfo}
			snap.WarningsPresent = true
		}
	}
}

// applySnapshotRetention removes the stand-alone snapshots of vm under rule
// that the rule's retention no longer keeps (see the top of this file).
func (s *Server) applySnapshotRetention(vm, rule string, now time.Time) {
	r, ok := s.st.snapRules.get(rule)
	if !ok {
		return
	}
	var present []*Snapshot
	for _, sn := range s.st.snapshots.all() {
		if sn.StandAlone && sn.ProtectedEntity.GUID == vm && sn.Rule != nil && sn.Rule.GUID == rule && sn.Status.Name == "PRESENT" {
			present = append(present, sn)
		}
	}
	sort.SliceStable(present, func(i, j int) bool { return present[i].SnapshotTime > present[j].SnapshotTime })
	maxAge := time.Duration(r.RetentionDays) * 24 * time.Hour
	for i, sn := range present {
		young := now.Sub(time.UnixMilli(sn.SnapshotTime)) < maxAge
		if i == 0 || i < r.RetentionVersions || young {
			continue
		}
		sn.Status = enumOf("REMOVED")
	}
}

// backupSnapshot records the snapshot a successful backup of vm leaves for
// the next incremental backup, at t: it becomes the VM's lastStoredSnapshot
// and the previous one is removed.
func (s *Server) backupSnapshot(vm *VM, backup string, t time.Time) {
	if vm.LastStoredSnapshot != nil {
		if old, ok := s.st.snapshots.get(vm.LastStoredSnapshot.GUID); ok {
			old.Status = enumOf("REMOVED")
			old.LastStoredSnapshotAssignments = []SnapshotAssignment{}
		}
	}
	snap := &Snapshot{GUID: s.st.newGUID(), SnapshotTime: ms(t), ProtectedEntity: *vmEntity(vm), Warnings: []string{},
		Status: enumOf("PRESENT"), Metadata: fmt.Sprintf("backup %s", backup)}
	snap.UUID = "snap-" + snap.GUID
	snap.LastStoredSnapshotAssignments = []SnapshotAssignment{{ProtectedEntitySnapshot: NameAndGuid{GUID: snap.GUID}}}
	s.st.snapshots.put(snap.GUID, snap)
	vm.LastStoredSnapshot = &NameAndGuid{GUID: snap.GUID}
}

// fireSnapshotSchedule creates the SNAPSHOT tasks of one VM_SNAPSHOT
// schedule run at time at: one per present VM of each active snapshot
// policy whose active rules hold the schedule.
func (s *Server) fireSnapshotSchedule(sc *Schedule, at time.Time) {
	origin := &NameGuidAndType{GUID: sc.GUID, Name: sc.Name, Type: enumOf("SCHEDULE")}
	done := map[string]bool{}
	for _, r := range s.st.snapRulesOfSchedule(sc.GUID) {
		if !r.Active || r.Policy == nil {
			continue
		}
		p, ok := s.st.snapPols.get(r.Policy.GUID)
		if !ok || !p.Active {
			continue
		}
		for _, vm := range s.st.vmsOfSnapshotPolicy(p.GUID) {
			if !vm.Present || done[vm.GUID] {
				continue
			}
			done[vm.GUID] = true
			s.createSnapshotTask(vm, r, p.Priority, origin, sc.GUID, at)
		}
	}
}

// GET /snapshots: the filters of reference 7x 4.1 (nameLike and filter
// match the VM's name), newest first.
func (s *Server) listSnapshots(c *call) (reply, error) {
	f, err := s.snapshotFilterOf(c)
	if err != nil {
		return reply{}, err
	}
	var out []*Snapshot
	for _, sn := range s.st.snapshots.all() {
		if f.match(s.st, sn) {
			out = append(out, sn)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].SnapshotTime > out[j].SnapshotTime })
	return listReply(c, out, func(sn *Snapshot) string { return s.st.nameOf(sn.ProtectedEntity.GUID) }, s.st.renderSnapshot)
}

// GET /snapshots/{guid}
func (s *Server) getSnapshot(c *call) (reply, error) {
	sn, ok := s.st.snapshots.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("snapshot", pathGUID(c.r))
	}
	return okReply(s.st.renderSnapshot(sn)), nil
}

// warningAcknowledgementRequest is WarningAcknowledgementRequest. The
// reference calls it "a batch of identifiers" without naming its member;
// the fake's choice is {"guids":[...]}, the snapshots' GUIDs.
type warningAcknowledgementRequest struct {
	GUIDs []string `json:"guids"`
}

// PUT /snapshots/warnings-acknowledged {"guids":[...]}: clears the warnings
// of the named snapshots (warnings [], warningsPresent false) and answers
// their details, in the order asked. An unknown GUID is a 400 and changes
// nothing.
func (s *Server) acknowledgeSnapshotWarnings(c *call) (reply, error) {
	var req warningAcknowledgementRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if len(req.GUIDs) == 0 {
		return reply{}, badRequest("guids: must name at least one snapshot")
	}
	sns := make([]*Snapshot, 0, len(req.GUIDs))
	for i, g := range req.GUIDs {
		sn, ok := s.st.snapshots.get(g)
		if !ok {
			return reply{}, badRequest("guids[%d]: unknown snapshot %q", i, g)
		}
		sns = append(sns, sn)
	}
	out := make([]Snapshot, 0, len(sns))
	for _, sn := range sns {
		sn.Warnings = []string{}
		sn.WarningsPresent = false
		out = append(out, s.st.renderSnapshot(sn))
	}
	return okReply(out), nil
}

// snapshotFilter is the parsed query of GET /snapshots.
type snapshotFilter struct {
	entities              []string
	standAlone            *bool
	status                string
	from, to, after       int64
	hasFrom, hasTo, hasAf bool
	policy, rule, uuid    string
	project               string
}

func (s *Server) snapshotFilterOf(c *call) (snapshotFilter, error) {
	q := c.r.URL.Query()
	f := snapshotFilter{entities: params(q, "protected-entity", "protectedEntity"),
		status: strings.ToUpper(param(q, "status")), policy: param(q, "policy"), rule: param(q, "backup-rule"),
		uuid: param(q, "uuid"), project: s.gen.tenantOf(c.r)}
	if f.status != "" && !snapshotStatuses[f.status] {
		return f, badRequest("status: invalid value %q", f.status)
	}
	if v := param(q, "stand-alone"); v != "" {
		b, err := boolParam(q, "stand-alone")
		if err != nil {
			return f, err
		}
		f.standAlone = &b
	}
	var err error
	if f.from, f.hasFrom, err = intParam(q, "from"); err != nil {
		return f, err
	}
	if f.to, f.hasTo, err = intParam(q, "to"); err != nil {
		return f, err
	}
	if f.after, f.hasAf, err = intParam(q, "after"); err != nil {
		return f, err
	}
	return f, nil
}

var snapshotStatuses = set("CREATING", "FAILED", "PRESENT", "QUEUED", "REMOVED")

func (f *snapshotFilter) match(st *state, sn *Snapshot) bool {
	switch {
	case len(f.entities) > 0 && !containsFold(f.entities, sn.ProtectedEntity.GUID),
		f.standAlone != nil && sn.StandAlone != *f.standAlone,
		f.status != "" && sn.Status.Name != f.status,
		f.hasFrom && sn.SnapshotTime < f.from,
		f.hasTo && sn.SnapshotTime > f.to,
		f.hasAf && sn.SnapshotTime <= f.after,
		f.uuid != "" && sn.UUID != f.uuid:
		return false
	}
	if f.rule != "" && (sn.Rule == nil || sn.Rule.GUID != f.rule) {
		return false
	}
	if f.policy != "" {
		r, ok := st.snapRules.get(ruleGUIDOf(sn))
		if !ok || r.Policy == nil || r.Policy.GUID != f.policy {
			return false
		}
	}
	vm, _ := st.vms.get(sn.ProtectedEntity.GUID)
	if f.project != "" && !containsFold(st.vmTenants(vm), f.project) {
		return false
	}
	return true
}

func ruleGUIDOf(sn *Snapshot) string {
	if sn.Rule == nil {
		return ""
	}
	return sn.Rule.GUID
}

// snapRulesOfPolicy returns a snapshot policy's rules ordered by position.
func (st *state) snapRulesOfPolicy(policy string) []*SnapshotRule {
	var out []*SnapshotRule
	for _, r := range st.snapRules.all() {
		if r.Policy != nil && r.Policy.GUID == policy {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Position < out[j].Position })
	return out
}

// snapRulesOfSchedule returns the snapshot rules that hold a schedule.
func (st *state) snapRulesOfSchedule(sched string) []*SnapshotRule {
	var out []*SnapshotRule
	for _, r := range st.snapRules.all() {
		for _, ref := range r.Schedules {
			if ref.GUID == sched {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// vmsOfSnapshotPolicy returns the VMs assigned to a snapshot policy.
func (st *state) vmsOfSnapshotPolicy(policy string) []*VM {
	var out []*VM
	for _, v := range st.vms.all() {
		if v.SnapshotMgmtPolicy != nil && v.SnapshotMgmtPolicy.GUID == policy {
			out = append(out, v)
		}
	}
	return out
}

// renderSnapshotRule returns a snapshot rule with its derived counters.
func (st *state) renderSnapshotRule(r *SnapshotRule) SnapshotRule {
	c := *r
	c.Policy = st.refreshRef(r.Policy)
	c.Schedules = st.refreshRefs(r.Schedules)
	c.SchedulesCount = len(r.Schedules)
	if r.Policy != nil {
		c.VMCount = len(st.vmsOfSnapshotPolicy(r.Policy.GUID))
	}
	c.Removable = true
	for _, sn := range st.snapshots.all() {
		if sn.Rule != nil && sn.Rule.GUID == r.GUID && sn.Status.Name == "PRESENT" {
			c.Removable = false
			break
		}
	}
	return c
}

// renderSnapshotPolicy returns a snapshot policy with its VMs and rules;
// extended adds the counters.
func (st *state) renderSnapshotPolicy(p *SnapshotPolicy, extended bool) SnapshotPolicy {
	c := *p
	c.VMs = []NameAndGuid{}
	vms := st.vmsOfSnapshotPolicy(p.GUID)
	for _, v := range vms {
		c.VMs = append(c.VMs, NameAndGuid{GUID: v.GUID, Name: v.Name})
	}
	c.Rules = []SnapshotRule{}
	for _, r := range st.snapRulesOfPolicy(p.GUID) {
		c.Rules = append(c.Rules, st.renderSnapshotRule(r))
	}
	c.AutoAssignSettings = deepCopy(&p.AutoAssignSettings)
	c.VMCount, c.RuleCount = nil, nil
	if extended {
		n, rc := len(vms), len(c.Rules)
		c.VMCount, c.RuleCount = &n, &rc
	}
	return c
}

// renderSnapshot returns a snapshot with its rule's details and fresh names.
func (st *state) renderSnapshot(sn *Snapshot) Snapshot {
	c := *sn
	c.ProtectedEntity.Name = st.nameOf(sn.ProtectedEntity.GUID)
	if c.ProtectedEntity.Name == "" {
		c.ProtectedEntity.Name = sn.ProtectedEntity.Name
	}
	c.Warnings = append([]string{}, sn.Warnings...)
	c.LastStoredSnapshotAssignments = append([]SnapshotAssignment{}, sn.LastStoredSnapshotAssignments...)
	c.Rule = nil
	if sn.Rule != nil {
		if r, ok := st.snapRules.get(sn.Rule.GUID); ok {
			rr := st.renderSnapshotRule(r)
			c.Rule = &rr
		} else {
			c.Rule = &SnapshotRule{GUID: sn.Rule.GUID, Schedules: []NameAndGuid{}}
		}
	}
	return c
}

// isSnapshotSchedule reports whether sc runs snapshot management: type
// VM_SNAPSHOT (REST and UI) or SNAPSHOT (the guide and the CLI).
func isSnapshotSchedule(sc *Schedule) bool {
	return sc.Type.Name == "VM_SNAPSHOT" || sc.Type.Name == "SNAPSHOT"
}

// checkScheduleRule checks rule i of a schedule request: a known rule of
// the schedule's kind (snapshot rules for VM_SNAPSHOT, backup rules else).
func (s *Server) checkScheduleRule(sc *Schedule, i int, guid string) error {
	_, backup := s.st.rules.get(guid)
	_, snap := s.st.snapRules.get(guid)
	switch {
	case isSnapshotSchedule(sc) && snap, !isSnapshotSchedule(sc) && backup:
		return nil
	case snap:
		return badRequest("rules[%d]: %q is a snapshot rule; a %s schedule takes VM backup rules", i, guid, sc.Type.Name)
	case backup:
		return badRequest("rules[%d]: %q is a VM backup rule; a %s schedule takes snapshot rules", i, guid, sc.Type.Name)
	}
	return badRequest("rules[%d]: unknown rule %q", i, guid)
}
