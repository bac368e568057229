package vprotecttest

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"
)

// GET /tasks
func (s *Server) listTasks(c *call) (reply, error) {
	q := c.r.URL.Query()
	vm := param(q, "protected-entity", "protectedEntity")
	backup := param(q, "backup")
	schedule := param(q, "schedule")
	states := params(q, "state", "states")
	types := params(q, "type")
	tenant := param(q, tenantParams...)
	node := param(q, "node")
	hypervisor := param(q, "hypervisor")
	manager := param(q, "hypervisor-manager")
	dest := param(q, "backup-destination")
	parent := param(q, "parent-task")
	for _, st := range states {
		if !taskStates[strings.ToUpper(st)] {
			return reply{}, badRequest("state: invalid value %q", st)
		}
	}
	refIs := func(r *NameAndGuid, guid string) bool { return guid == "" || (r != nil && r.GUID == guid) }
	var recs []*taskRec
	for _, r := range s.st.tasks.all() {
		if vm != "" && (r.ProtectedEntity == nil || r.ProtectedEntity.GUID != vm) {
			continue
		}
		if !refIs(r.Backup, backup) || !refIs(r.Node, node) || !refIs(r.Hypervisor, hypervisor) ||
			!refIs(r.HypervisorManager, manager) || !refIs(r.BackupDestination, dest) || !refIs(r.ParentTask, parent) {
			continue
		}
		if schedule != "" && r.schedule != schedule {
			continue
		}
		if len(states) > 0 && !containsFold(states, r.State.Name) {
			continue
		}
		if len(types) > 0 && !containsFold(types, r.Type.Name) {
			continue
		}
		if tenant != "" && !slices.Contains(r.tenants, tenant) {
			continue
		}
		recs = append(recs, r)
	}
	page, err := paginate(c, recs, func(r *taskRec) string {
		if r.ProtectedEntity != nil {
			return r.ProtectedEntity.Name
		}
		return r.Type.Name
	})
	if err != nil {
		return reply{}, err
	}
	out := make([]Task, 0, len(page))
	for _, r := range page {
		s.readTask(r, c.now)
		out = append(out, s.renderTask(r))
	}
	return okReply(out), nil
}

// readTask applies the StepPerPoll model to a task that is being read.
func (s *Server) readTask(r *taskRec, now time.Time) {
	if s.cfg.model == StepPerPoll {
		s.stepTask(r, now)
	}
}

// GET /tasks/{guid}
func (s *Server) getTask(c *call) (reply, error) {
	r, ok := s.st.tasks.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("task", pathGUID(c.r))
	}
	s.readTask(r, c.now)
	return okReply(s.renderTask(r)), nil
}

// userOrigin is the originEntity of tasks a user starts.
func (s *Server) userOrigin(login string) *NameGuidAndType {
	return &NameGuidAndType{GUID: s.userGUID[login], Name: login, Type: enumOf("USER")}
}

// POST /tasks/export
func (s *Server) exportTasks(c *call) (reply, error) {
	var req struct {
		BackupType        *Enum         `json:"backupType"`
		BackupDestination *NameAndGuid  `json:"backupDestination"`
		ProtectedEntities []NameAndGuid `json:"protectedEntities"`
		Rules             []NameAndGuid `json:"rules"`
		Priority          *int          `json:"priority"`
		WindowStart       *int64        `json:"windowStart"`
		WindowEnd         *int64        `json:"windowEnd"`
	}
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if len(req.ProtectedEntities) == 0 {
		return reply{}, badRequest("protectedEntities: must not be empty")
	}
	bt := "FULL"
	if req.BackupType != nil && req.BackupType.Name != "" {
		bt = strings.ToUpper(req.BackupType.Name)
		if !backupTypes[bt] {
			return reply{}, badRequest("backupType: must be FULL or INCREMENTAL, got %q", req.BackupType.Name)
		}
	}
	prio, err := validPriority(req.Priority, "priority")
	if err != nil {
		return reply{}, err
	}
	start := c.now
	if req.WindowStart != nil && *req.WindowStart > 0 {
		start = time.UnixMilli(*req.WindowStart)
	}
	end := start.Add(defaultWindowLength)
	if req.WindowEnd != nil && *req.WindowEnd > 0 {
		end = time.UnixMilli(*req.WindowEnd)
		if !end.After(start) {
			return reply{}, badRequest("windowEnd: must be after windowStart")
		}
	}
	// The destination: backupDestination, else the primary of a listed rule,
	// else (per VM) the VM's policy's rule, else the default destination.
	dest := ""
	if req.BackupDestination != nil && req.BackupDestination.GUID != "" {
		if _, ok := s.st.dests.get(req.BackupDestination.GUID); !ok {
			return reply{}, badRequest("backupDestination: unknown backup destination %s", req.BackupDestination.GUID)
		}
		dest = req.BackupDestination.GUID
	}
	rule := ""
	for i, ref := range req.Rules {
		r, ok := s.st.rules.get(ref.GUID)
		if !ok {
			return reply{}, badRequest("rules[%d]: unknown rule %q", i, ref.GUID)
		}
		if rule == "" {
			rule = r.GUID
			if dest == "" {
				dest = primaryDestination(r)
			}
		}
	}
	var vms []*VM
	seen := map[string]bool{}
	for i, ref := range req.ProtectedEntities {
		if ref.GUID == "" {
			return reply{}, badRequest("protectedEntities[%d].guid: is required", i)
		}
		v, ok := s.st.vms.get(ref.GUID)
		if !ok {
			return reply{}, badRequest("protectedEntities[%d]: unknown virtual machine %s", i, ref.GUID)
		}
		if !v.Present {
			return reply{}, badRequest("protectedEntities[%d]: virtual machine %s is no longer present", i, ref.GUID)
		}
		if !seen[v.GUID] {
			seen[v.GUID] = true
			vms = append(vms, v)
		}
	}
	type plan struct {
		vm         *VM
		dest, rule string
	}
	plans := make([]plan, 0, len(vms))
	for i, v := range vms {
		d, rl := dest, rule
		if d == "" && v.VMBackupPolicy != nil {
			for _, r := range s.st.rulesOfPolicy(v.VMBackupPolicy.GUID) {
				if pd := primaryDestination(r); r.Active && pd != "" {
					d, rl = pd, r.GUID
					break
				}
			}
		}
		if d == "" {
			d = s.st.defaultDestination()
		}
		if d == "" {
			return reply{}, badRequest("backupDestination: no backup destination for protectedEntities[%d]", i)
		}
		plans = append(plans, plan{vm: v, dest: d, rule: rl})
	}
	origin := s.userOrigin(c.login)
	recs := make([]*taskRec, 0, len(plans))
	for _, p := range plans {
		recs = append(recs, s.createExport(p.vm, exportSpec{backupType: bt, dest: p.dest, priority: prio,
			winStart: start, winEnd: end, origin: origin, rule: p.rule}, c.now))
	}
	s.advance(c.now)
	tasks := make([]Task, 0, len(recs))
	for _, r := range recs {
		tasks = append(tasks, s.renderTask(r))
	}
	switch s.cfg.exportShape {
	case ExportSingle:
		return created(tasks[0]), nil
	case ExportEnvelope:
		okVMs := make([]NameAndGuid, 0, len(vms))
		for _, v := range vms {
			okVMs = append(okVMs, NameAndGuid{GUID: v.GUID, Name: v.Name})
		}
		return created(exportEnvelope{Successful: okVMs, Unsuccessful: []NameAndGuid{}, Tasks: tasks}), nil
	default:
		return created(tasks), nil
	}
}

// exportEnvelope is the ExportEnvelope response shape.
type exportEnvelope struct {
	Successful   []NameAndGuid `json:"successful"`
	Unsuccessful []NameAndGuid `json:"unsuccessful"`
	Tasks        []Task        `json:"tasks"`
}

// POST /tasks/restore-and-import
func (s *Server) restoreAndImport(c *call) (reply, error) {
	var req struct {
		Backup            *NameAndGuid `json:"backup"`
		BackupLocation    *NameAndGuid `json:"backupLocation"`
		Hypervisor        *NameAndGuid `json:"hypervisor"`
		HypervisorManager *NameAndGuid `json:"hypervisorManager"`
		RestoredPeName    *string      `json:"restoredPeName"`
		RestoreStorageID  string       `json:"restoreStorageId"`
		RestoreClusterID  string       `json:"restoreClusterId"`
		RestoreProject    string       `json:"restoreProject"`
		Priority          *int         `json:"priority"`
	}
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	given := func(r *NameAndGuid) bool { return r != nil && r.GUID != "" }
	var b *Backup
	switch {
	case given(req.BackupLocation):
		for _, cand := range s.st.backups.all() {
			for _, l := range cand.BackupLocations {
				if l.GUID == req.BackupLocation.GUID {
					if l.Status.Name != "PRESENT" {
						return reply{}, badRequest("backupLocation: location %s is %s, not PRESENT", l.GUID, l.Status.Name)
					}
					b = cand
				}
			}
		}
		if b == nil {
			return reply{}, badRequest("backupLocation: unknown backup location %s", req.BackupLocation.GUID)
		}
	case given(req.Backup):
		var ok bool
		if b, ok = s.st.backups.get(req.Backup.GUID); !ok {
			return reply{}, badRequest("backup: unknown backup %s", req.Backup.GUID)
		}
	default:
		return reply{}, badRequest("backup or backupLocation: one of them is required")
	}
	if b.Status.Name != "SUCCESS" && b.Status.Name != "PARTIAL_SUCCESS" {
		return reply{}, badRequest("backup: backup %s cannot be restored (status %s)", b.GUID, b.Status.Name)
	}
	if given(req.Hypervisor) == given(req.HypervisorManager) {
		return reply{}, badRequest("hypervisor or hypervisorManager: specify exactly one of them")
	}
	var hv *Hypervisor
	var mgr *HypervisorManager
	if given(req.Hypervisor) {
		var ok bool
		if hv, ok = s.st.hypervisors.get(req.Hypervisor.GUID); !ok {
			return reply{}, badRequest("hypervisor: unknown hypervisor %s", req.Hypervisor.GUID)
		}
		if hv.HvManager != nil {
			mgr, _ = s.st.managers.get(hv.HvManager.GUID)
		}
	} else {
		var ok bool
		if mgr, ok = s.st.managers.get(req.HypervisorManager.GUID); !ok {
			return reply{}, badRequest("hypervisorManager: unknown hypervisor manager %s", req.HypervisorManager.GUID)
		}
	}
	mgrGUID := ""
	if mgr != nil {
		mgrGUID = mgr.GUID
	}
	if hv == nil {
		for _, h := range s.st.hypervisors.all() {
			if h.HvManager != nil && h.HvManager.GUID == mgrGUID {
				hv = h
				break
			}
		}
	}
	var cluster *HypervisorCluster
	if req.RestoreClusterID != "" {
		for _, cl := range s.st.clusters.all() {
			if cl.UUID == req.RestoreClusterID || cl.GUID == req.RestoreClusterID {
				cluster = cl
			}
		}
		if cluster == nil {
			return reply{}, badRequest("restoreClusterId: unknown cluster %q", req.RestoreClusterID)
		}
	}
	if req.RestoreStorageID != "" {
		found := false
		for _, st := range s.st.storages.all() {
			found = found || st.UUID == req.RestoreStorageID || st.GUID == req.RestoreStorageID
		}
		if !found {
			return reply{}, badRequest("restoreStorageId: unknown storage %q", req.RestoreStorageID)
		}
	}
	prio, err := validPriority(req.Priority, "priority")
	if err != nil {
		return reply{}, err
	}
	src, _ := s.st.vms.get(b.ProtectedEntity.GUID)
	name := b.ProtectedEntity.Name
	if src != nil {
		name = src.Name
	}
	if req.RestoredPeName != nil && strings.TrimSpace(*req.RestoredPeName) != "" {
		name = strings.TrimSpace(*req.RestoredPeName)
	}
	// The restored VM's project: restoreProject by name or uuid, else the source's.
	var project *ProjectRef
	if req.RestoreProject != "" {
		for _, p := range s.st.projects.all() {
			if (p.Name == req.RestoreProject || p.UUID == req.RestoreProject) && (p.HvManager == nil || p.HvManager.GUID == mgrGUID) {
				project = &ProjectRef{GUID: p.GUID, Name: p.Name, UUID: p.UUID}
				break
			}
		}
	}
	if project == nil && src != nil && src.Project != nil && src.HvManager != nil && src.HvManager.GUID == mgrGUID {
		p := *src.Project
		project = &p
	}
	guid := s.st.newGUID()
	nv := &VM{GUID: guid, UUID: "11111111" + guid[8:], Name: name, Present: true, Type: enumOf("VM"), Project: project, Tags: []string{}}
	if hv != nil {
		nv.Hypervisor = &NameAndGuid{GUID: hv.GUID, Name: hv.Name}
		nv.HvCluster = s.st.refreshRef(hv.Cluster)
		if mgr == nil {
			t := hv.Type
			nv.HvType = &t
		}
	}
	if mgr != nil {
		nv.HvManager = &ManagerRef{GUID: mgr.GUID, Name: mgr.Name, URL: mgr.URL}
		t := mgr.Type
		nv.HvmType = &t
	}
	if cluster != nil {
		nv.HvCluster = &NameAndGuid{GUID: cluster.GUID, Name: cluster.Name}
	}
	sp := taskSpec{typ: "RESTORE", vm: src, priority: prio, winStart: c.now, winEnd: c.now.Add(defaultWindowLength),
		backup: b.GUID, origin: s.userOrigin(c.login), manager: mgrGUID, newVM: nv, tenants: s.st.vmTenants(src)}
	if hv != nil {
		sp.hypervisor = hv.GUID
	}
	if len(b.BackupLocations) > 0 {
		sp.dest = b.BackupLocations[0].BackupDestination.GUID
	}
	sp.node = s.nodeFor(nil, mgrGUID)
	r := s.newTask(sp, c.now)
	if src == nil {
		pe := b.ProtectedEntity
		r.ProtectedEntity = &pe
		r.vm = pe.GUID
	}
	s.advance(c.now)
	return created(s.renderTask(r)), nil
}

// PUT /tasks/{guid}/state
func (s *Server) setTaskState(c *call) (reply, error) {
	r, ok := s.st.tasks.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("task", pathGUID(c.r))
	}
	var req struct {
		State      *Enum  `json:"state"`
		StatusInfo string `json:"statusInfo"`
	}
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if req.State == nil || req.State.Name == "" {
		return reply{}, badRequest("state: is required")
	}
	if !strings.EqualFold(req.State.Name, "CANCELLED") {
		return reply{}, badRequest("state: only CANCELLED can be set, got %q", req.State.Name)
	}
	if isTerminal(r.State.Name) {
		return reply{}, errf(http.StatusConflict, "task %s is already %s", r.GUID, r.State.Name)
	}
	s.endTask(r, "CANCELLED", cmp.Or(req.StatusInfo, "Cancelled by user"), c.now)
	s.prune()
	s.advance(c.now)
	return okReply(s.renderTask(r)), nil
}

// DELETE /tasks/{guid}: deletes a finished task, cancels a queued or running one.
func (s *Server) deleteTask(c *call) (reply, error) {
	r, ok := s.st.tasks.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("task", pathGUID(c.r))
	}
	if isTerminal(r.State.Name) {
		s.st.tasks.del(r.GUID)
		return noContent(), nil
	}
	s.endTask(r, "CANCELLED", "Cancelled by user", c.now)
	s.prune()
	s.advance(c.now)
	return noContent(), nil
}
