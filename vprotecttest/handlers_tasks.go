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
	tenant := s.gen.tenantOf(c.r)
	node := param(q, "node")
	hypervisor := param(q, "hypervisor")
	manager := param(q, "hypervisor-manager")
	dest := param(q, "backup-destination")
	parent := param(q, "parent-task")
	job := param(q, "restore-job")
	// The fake runs no workflows: a task list of one workflow execution
	// (the console's expanded workflow row) is empty.
	workflow := param(q, "workflow-execution")
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
		if workflow != "" || (job != "" && (r.job == nil || r.job.guid != job)) {
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
	return &NameGuidAndType{GUID: s.users[login].guid, Name: login, Type: enumOf("USER")}
}

// exportRequest is the body of POST /tasks/export.
type exportRequest struct {
	BackupType        *Enum         `json:"backupType"`
	BackupDestination *NameAndGuid  `json:"backupDestination"`
	ProtectedEntities []NameAndGuid `json:"protectedEntities"`
	Rules             []NameAndGuid `json:"rules"`
	Priority          *int          `json:"priority"`
	WindowStart       *int64        `json:"windowStart"`
	WindowEnd         *int64        `json:"windowEnd"`
}

// exportPlan is one EXPORT to create: a VM and where its backup goes.
type exportPlan struct {
	vm         *VM
	dest, rule string
}

// POST /tasks/export: validate the request, resolve its destination and
// VMs, plan one export per VM, then create them.
func (s *Server) exportTasks(c *call) (reply, error) {
	var req exportRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	spec, err := req.validate(c.now)
	if err != nil {
		return reply{}, err
	}
	dest, rule, err := s.exportTarget(&req)
	if err != nil {
		return reply{}, err
	}
	vms, err := s.exportVMs(req.ProtectedEntities)
	if err != nil {
		return reply{}, err
	}
	plans, err := s.planExports(vms, dest, rule)
	if err != nil {
		return reply{}, err
	}
	spec.origin = s.userOrigin(c.login)
	recs := make([]*taskRec, 0, len(plans))
	for _, p := range plans {
		sp := spec
		sp.dest, sp.rule = p.dest, p.rule
		recs = append(recs, s.createExport(p.vm, sp, c.now))
	}
	s.advance(c.now)
	return s.exportReply(vms, recs), nil
}

// validate checks the fields of an export that need no state and returns
// the export's type, priority and window.
func (req *exportRequest) validate(now time.Time) (exportSpec, error) {
	if len(req.ProtectedEntities) == 0 {
		return exportSpec{}, badRequest("protectedEntities: must not be empty")
	}
	sp := exportSpec{backupType: "FULL"}
	if req.BackupType != nil && req.BackupType.Name != "" {
		sp.backupType = strings.ToUpper(req.BackupType.Name)
		if !backupTypes[sp.backupType] {
			return exportSpec{}, badRequest("backupType: must be FULL or INCREMENTAL, got %q", req.BackupType.Name)
		}
	}
	var err error
	if sp.priority, err = validPriority(req.Priority, "priority"); err != nil {
		return exportSpec{}, err
	}
	sp.winStart = now
	if req.WindowStart != nil && *req.WindowStart > 0 {
		sp.winStart = time.UnixMilli(*req.WindowStart)
	}
	sp.winEnd = sp.winStart.Add(defaultWindowLength)
	if req.WindowEnd != nil && *req.WindowEnd > 0 {
		sp.winEnd = time.UnixMilli(*req.WindowEnd)
		if !sp.winEnd.After(sp.winStart) {
			return exportSpec{}, badRequest("windowEnd: must be after windowStart")
		}
	}
	return sp, nil
}

// exportTarget resolves the destination an export names: backupDestination,
// else the primary of the first listed rule ("" when neither is given).
func (s *Server) exportTarget(req *exportRequest) (dest, rule string, err error) {
	if req.BackupDestination != nil && req.BackupDestination.GUID != "" {
		if _, ok := s.st.dests.get(req.BackupDestination.GUID); !ok {
			return "", "", badRequest("backupDestination: unknown backup destination %s", req.BackupDestination.GUID)
		}
		dest = req.BackupDestination.GUID
	}
	for i, ref := range req.Rules {
		r, ok := s.st.rules.get(ref.GUID)
		if !ok {
			return "", "", badRequest("rules[%d]: unknown rule %q", i, ref.GUID)
		}
		if rule == "" {
			rule = r.GUID
			if dest == "" {
				dest = primaryDestination(r)
			}
		}
	}
	return dest, rule, nil
}

// exportVMs resolves the protected entities to present VMs, each once.
func (s *Server) exportVMs(refs []NameAndGuid) ([]*VM, error) {
	var vms []*VM
	seen := map[string]bool{}
	for i, ref := range refs {
		if ref.GUID == "" {
			return nil, badRequest("protectedEntities[%d].guid: is required", i)
		}
		v, ok := s.st.vms.get(ref.GUID)
		if !ok {
			return nil, badRequest("protectedEntities[%d]: unknown virtual machine %s", i, ref.GUID)
		}
		if !v.Present {
			return nil, badRequest("protectedEntities[%d]: virtual machine %s is no longer present", i, ref.GUID)
		}
		if !seen[v.GUID] {
			seen[v.GUID] = true
			vms = append(vms, v)
		}
	}
	return vms, nil
}

// planExports picks each VM's destination: the request's, else the VM's
// policy's first active rule with a primary, else the default destination.
func (s *Server) planExports(vms []*VM, dest, rule string) ([]exportPlan, error) {
	plans := make([]exportPlan, 0, len(vms))
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
			return nil, badRequest("backupDestination: no backup destination for protectedEntities[%d]", i)
		}
		plans = append(plans, exportPlan{vm: v, dest: d, rule: rl})
	}
	return plans, nil
}

// exportReply answers an export in the configured ExportShape.
func (s *Server) exportReply(vms []*VM, recs []*taskRec) reply {
	tasks := make([]Task, 0, len(recs))
	for _, r := range recs {
		tasks = append(tasks, s.renderTask(r))
	}
	switch s.cfg.exportShape {
	case ExportSingle:
		return created(tasks[0])
	case ExportEnvelope:
		okVMs := make([]NameAndGuid, 0, len(vms))
		for _, v := range vms {
			okVMs = append(okVMs, NameAndGuid{GUID: v.GUID, Name: v.Name})
		}
		return created(exportEnvelope{Successful: okVMs, Unsuccessful: []NameAndGuid{}, Tasks: tasks})
	default:
		return created(tasks)
	}
}

// exportEnvelope is the ExportEnvelope response shape.
type exportEnvelope struct {
	Successful   []NameAndGuid `json:"successful"`
	Unsuccessful []NameAndGuid `json:"unsuccessful"`
	Tasks        []Task        `json:"tasks"`
}

// restoreRequest is the body of POST /tasks/restore-and-import.
type restoreRequest struct {
	Backup            *NameAndGuid `json:"backup"`
	BackupLocation    *NameAndGuid `json:"backupLocation"`
	Hypervisor        *NameAndGuid `json:"hypervisor"`
	HypervisorManager *NameAndGuid `json:"hypervisorManager"`
	RestoredPeName    *string      `json:"restoredPeName"`
	RestoreStorageID  string       `json:"restoreStorageId"`
	RestoreClusterID  string       `json:"restoreClusterId"`
	RestoreProject    string       `json:"restoreProject"`
	Priority          *int         `json:"priority"`
	// The placement the 7.x restore dialog sends (7x reference 7.3).
	TaskFiles                   []restoreTaskFile `json:"taskFiles"`
	RestoreToOriginalVolumeType *bool             `json:"restoreToOriginalVolumeType"`
	RestoredNetworks            []restoredNetwork `json:"restoredNetworks"`
	RestoreVMFlavor             *NameAndGuid      `json:"restoreVmFlavor"`
}

// restoreTarget is where a restore goes: a hypervisor, its manager (either
// may be nil, not both) and an optional cluster.
type restoreTarget struct {
	hv      *Hypervisor
	mgr     *HypervisorManager
	cluster *HypervisorCluster
}

// managerGUID is the target manager's GUID ("" without one).
func (t restoreTarget) managerGUID() string {
	if t.mgr == nil {
		return ""
	}
	return t.mgr.GUID
}

// refGUID is the GUID a reference names, "" for none.
func refGUID(r *NameAndGuid) string {
	if r == nil {
		return ""
	}
	return r.GUID
}

// given reports whether a reference names an object.
func given(r *NameAndGuid) bool { return r != nil && r.GUID != "" }

// POST /tasks/restore-and-import: resolve the backup and the target, check
// the placement, build the VM that the IMPORT will add, then create the
// RESTORE task.
func (s *Server) restoreAndImport(c *call) (reply, error) {
	var req restoreRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	b, err := s.restoreSource(&req, locationBackup(c.body))
	if err != nil {
		return reply{}, err
	}
	tgt, err := s.restoreTarget(&req)
	if err != nil {
		return reply{}, err
	}
	if err := s.checkRestoreStorage(req.RestoreStorageID); err != nil {
		return reply{}, err
	}
	prio, err := validPriority(req.Priority, "priority")
	if err != nil {
		return reply{}, err
	}
	plan, err := s.planRestore(&req, b, tgt)
	if err != nil {
		return reply{}, err
	}
	flavor, err := s.restoreFlavor(req.RestoreVMFlavor, tgt.managerGUID())
	if err != nil {
		return reply{}, err
	}
	src, _ := s.st.vms.get(b.ProtectedEntity.GUID)
	newVM := s.restoredVM(&req, b, src, tgt, s.gen.createScope(c.r))
	newVM.VMFlavor = flavor
	job := &restoreJob{guid: s.st.partGUID(), backup: b.GUID, entity: clonePtr(&b.ProtectedEntity), created: c.now, typ: "RESTORE_AND_IMPORT"}
	s.st.restoreJobs.put(job.guid, job)
	sp := taskSpec{typ: "RESTORE", vm: src, priority: prio, winStart: c.now, winEnd: c.now.Add(defaultWindowLength),
		backup: b.GUID, origin: s.userOrigin(c.login), manager: tgt.managerGUID(), newVM: newVM,
		tenants: s.st.vmTenants(src), node: s.nodeFor(nil, tgt.managerGUID()), restore: plan, job: job}
	if tgt.hv != nil {
		sp.hypervisor = tgt.hv.GUID
	}
	if len(b.BackupLocations) > 0 {
		sp.dest = b.BackupLocations[0].BackupDestination.GUID
	}
	r := s.newTask(sp, c.now)
	if src == nil {
		pe := b.ProtectedEntity
		r.ProtectedEntity = &pe
		r.vm = pe.GUID
	}
	s.advance(c.now)
	return created(s.renderTask(r)), nil
}

// restoreSource resolves the backup to restore, by a PRESENT location or by
// GUID, and checks that it can be restored.
// locBackup is backupLocation.backup.guid, which must be the location's
// backup when given (the 7.4 dialog sends backup null and relies on it).
func (s *Server) restoreSource(req *restoreRequest, locBackup string) (*Backup, error) {
	var b *Backup
	switch {
	case given(req.BackupLocation):
		for _, cand := range s.st.backups.all() {
			for _, l := range cand.BackupLocations {
				if l.GUID == req.BackupLocation.GUID {
					if l.Status.Name != "PRESENT" {
						return nil, badRequest("backupLocation: location %s is %s, not PRESENT", l.GUID, l.Status.Name)
					}
					b = cand
				}
			}
		}
		if b == nil {
			return nil, badRequest("backupLocation: unknown backup location %s", req.BackupLocation.GUID)
		}
		for _, named := range [][2]string{{"backup", refGUID(req.Backup)}, {"backupLocation.backup", locBackup}} {
			if g := named[1]; g != "" && g != b.GUID {
				return nil, badRequest("%s: %s is not the backup of location %s (%s)", named[0], g, req.BackupLocation.GUID, b.GUID)
			}
		}
	case given(req.Backup):
		var ok bool
		if b, ok = s.st.backups.get(req.Backup.GUID); !ok {
			return nil, badRequest("backup: unknown backup %s", req.Backup.GUID)
		}
	default:
		return nil, badRequest("backup or backupLocation: one of them is required")
	}
	if b.Status.Name != "SUCCESS" && b.Status.Name != "PARTIAL_SUCCESS" {
		return nil, badRequest("backup: backup %s cannot be restored (status %s)", b.GUID, b.Status.Name)
	}
	return b, nil
}

// restoreTarget resolves exactly one of hypervisor and hypervisorManager
// (the other follows from it) and the optional cluster.
func (s *Server) restoreTarget(req *restoreRequest) (restoreTarget, error) {
	var t restoreTarget
	if given(req.Hypervisor) == given(req.HypervisorManager) {
		return t, badRequest("hypervisor or hypervisorManager: specify exactly one of them")
	}
	var ok bool
	if given(req.Hypervisor) {
		if t.hv, ok = s.st.hypervisors.get(req.Hypervisor.GUID); !ok {
			return t, badRequest("hypervisor: unknown hypervisor %s", req.Hypervisor.GUID)
		}
		if t.hv.HvManager != nil {
			t.mgr, _ = s.st.managers.get(t.hv.HvManager.GUID)
		}
	} else if t.mgr, ok = s.st.managers.get(req.HypervisorManager.GUID); !ok {
		return t, badRequest("hypervisorManager: unknown hypervisor manager %s", req.HypervisorManager.GUID)
	}
	if t.hv == nil {
		for _, h := range s.st.hypervisors.all() {
			if h.HvManager != nil && h.HvManager.GUID == t.managerGUID() {
				t.hv = h
				break
			}
		}
	}
	if req.RestoreClusterID != "" {
		for _, cl := range s.st.clusters.all() {
			if cl.UUID == req.RestoreClusterID || cl.GUID == req.RestoreClusterID {
				t.cluster = cl
			}
		}
		if t.cluster == nil {
			return t, badRequest("restoreClusterId: unknown cluster %q", req.RestoreClusterID)
		}
	}
	return t, nil
}

// checkRestoreStorage checks an optional restoreStorageId (uuid or guid).
func (s *Server) checkRestoreStorage(id string) error {
	if id == "" {
		return nil
	}
	for _, st := range s.st.storages.all() {
		if st.UUID == id || st.GUID == id {
			return nil
		}
	}
	return badRequest("restoreStorageId: unknown storage %q", id)
}

// restoredVM builds the VM that the IMPORT adds: named restoredPeName, else
// as the source; in the caller's project (scope, on 7.4: the uuid or guid of
// a project of the target manager), else in restoreProject (by name or
// uuid), else in the source's project when it stays on the same manager;
// placed on the target.
func (s *Server) restoredVM(req *restoreRequest, b *Backup, src *VM, t restoreTarget, scope string) *VM {
	name := b.ProtectedEntity.Name
	if src != nil {
		name = src.Name
	}
	if req.RestoredPeName != nil && strings.TrimSpace(*req.RestoredPeName) != "" {
		name = strings.TrimSpace(*req.RestoredPeName)
	}
	mgrGUID := t.managerGUID()
	var project *ProjectRef
	for _, p := range s.st.projects.all() {
		if p.HvManager != nil && p.HvManager.GUID != mgrGUID {
			continue
		}
		if scope != "" && (p.UUID == scope || p.GUID == scope) {
			project = &ProjectRef{GUID: p.GUID, Name: p.Name, UUID: p.UUID}
			break
		}
		if scope == "" && req.RestoreProject != "" && (p.Name == req.RestoreProject || p.UUID == req.RestoreProject) {
			project = &ProjectRef{GUID: p.GUID, Name: p.Name, UUID: p.UUID}
			break
		}
	}
	if project == nil && src != nil && src.Project != nil && src.HvManager != nil && src.HvManager.GUID == mgrGUID {
		p := *src.Project
		project = &p
	}
	guid := s.st.newGUID()
	nv := &VM{GUID: guid, UUID: "11111111" + guid[8:], Name: name, Present: true, Type: enumOf("VM"), Project: project, Tags: []string{}}
	if t.hv != nil {
		nv.Hypervisor = &NameAndGuid{GUID: t.hv.GUID, Name: t.hv.Name}
		nv.HvCluster = s.st.refreshRef(t.hv.Cluster)
		if t.mgr == nil {
			nv.HvType = clonePtr(&t.hv.Type)
		}
	}
	if t.mgr != nil {
		nv.HvManager = &ManagerRef{GUID: t.mgr.GUID, Name: t.mgr.Name, URL: t.mgr.URL}
		nv.HvmType = clonePtr(&t.mgr.Type)
	}
	if t.cluster != nil {
		nv.HvCluster = &NameAndGuid{GUID: t.cluster.GUID, Name: t.cluster.Name}
	}
	return nv
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
