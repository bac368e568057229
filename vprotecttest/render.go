package vprotecttest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"time"
)

// Renders: the wire form of a stored object is a copy (callers never share
// state) with the current names of the objects it refers to and the
// counters and relations derived from the rest of the state.

// renderVM returns a copy of v with fresh reference names.
func (st *state) renderVM(v *VM) VM {
	c := *v
	c.VMBackupPolicy = st.refreshRef(v.VMBackupPolicy)
	c.Hypervisor = st.refreshRef(v.Hypervisor)
	c.HvCluster = st.refreshRef(v.HvCluster)
	if v.HvManager != nil {
		m := *v.HvManager
		if hm, ok := st.managers.get(m.GUID); ok {
			m.Name, m.URL = hm.Name, hm.URL
		}
		c.HvManager = &m
	}
	if v.Project != nil {
		p := *v.Project
		if sp, ok := st.projects.get(p.GUID); ok {
			p.Name, p.UUID = sp.Name, sp.UUID
		}
		c.Project = &p
	}
	c.Tags = append([]string{}, v.Tags...)
	c.SnapshotMgmtPolicy = st.refreshRef(v.SnapshotMgmtPolicy)
	c.LastStoredSnapshot = st.refreshRef(v.LastStoredSnapshot)
	c.Credential = clonePtr(v.Credential)
	c.PreSnapCmdArgs = append([]string{}, v.PreSnapCmdArgs...)
	c.PostSnapCmdArgs = append([]string{}, v.PostSnapCmdArgs...)
	if v.LastBackup != nil {
		t := *v.LastBackup
		c.LastBackup = &t
	}
	if v.BackupUpToDate != nil {
		b := *v.BackupUpToDate
		c.BackupUpToDate = &b
	}
	return c
}

// renderRule returns a rule with derived relations and counters.
func (st *state) renderRule(r *Rule) Rule {
	c := *r
	c.Policy = st.refreshRef(r.Policy)
	c.Schedules = st.refreshRefs(r.Schedules)
	c.RuleBackupDestinations = make([]RuleBackupDestination, 0, len(r.RuleBackupDestinations))
	for _, d := range r.RuleBackupDestinations {
		d.BackupDestination.Name = st.nameOf(d.BackupDestination.GUID)
		if bd, ok := st.dests.get(d.BackupDestination.GUID); ok {
			d.BackupDestination.Type = bd.Type
		}
		d.Rule = &NameAndGuid{GUID: r.GUID, Name: r.Name}
		c.RuleBackupDestinations = append(c.RuleBackupDestinations, d)
	}
	c.SchedulesCount = len(r.Schedules)
	if r.Policy != nil {
		c.VMCount = len(st.vmsOfPolicy(r.Policy.GUID))
	}
	c.BackupCount = 0
	for _, b := range st.backups.all() {
		if b.BackupRule != nil && b.BackupRule.GUID == r.GUID {
			c.BackupCount++
		}
	}
	c.Removable = c.BackupCount == 0
	return c
}

// renderSchedule returns a schedule with its rules and policies derived.
func (st *state) renderSchedule(s *Schedule) Schedule {
	c := *s
	c.DaysOfWeek = append([]Enum{}, s.DaysOfWeek...)
	c.DayOfWeekOccurrences = append([]Enum{}, s.DayOfWeekOccurrences...)
	c.Months = append([]Enum{}, s.Months...)
	c.Rules = []NameAndGuid{}
	c.Policies = []NameAndGuid{}
	seen := map[string]bool{}
	for _, r := range st.rulesOfSchedule(s.GUID) {
		c.Rules = append(c.Rules, NameAndGuid{GUID: r.GUID, Name: r.Name})
		if r.Policy != nil && !seen[r.Policy.GUID] {
			seen[r.Policy.GUID] = true
			c.Policies = append(c.Policies, st.refVal(r.Policy.GUID))
		}
	}
	for _, r := range st.snapRulesOfSchedule(s.GUID) {
		c.Rules = append(c.Rules, NameAndGuid{GUID: r.GUID, Name: r.Name})
		if r.Policy != nil && !seen[r.Policy.GUID] {
			seen[r.Policy.GUID] = true
			c.Policies = append(c.Policies, st.refVal(r.Policy.GUID))
		}
	}
	return c
}

// renderPolicy returns a policy with its VMs and rules; extended adds counters.
func (st *state) renderPolicy(p *Policy, extended bool) Policy {
	c := *p
	c.MailingList = st.refreshRef(p.MailingList)
	c.VMs = []NameAndGuid{}
	vms := st.vmsOfPolicy(p.GUID)
	for _, v := range vms {
		c.VMs = append(c.VMs, NameAndGuid{GUID: v.GUID, Name: v.Name})
	}
	c.Rules = []Rule{}
	rules := st.rulesOfPolicy(p.GUID)
	for _, r := range rules {
		c.Rules = append(c.Rules, st.renderRule(r))
	}
	c.VMCount, c.AverageBackupSize, c.RuleCount = nil, nil, nil
	if extended {
		n, rc := len(vms), len(rules)
		var total, count int64
		in := map[string]bool{}
		for _, v := range vms {
			in[v.GUID] = true
		}
		for _, b := range st.backups.all() {
			if in[b.ProtectedEntity.GUID] && b.Status.Name == "SUCCESS" {
				total += b.Size
				count++
			}
		}
		var avg int64
		if count > 0 {
			avg = total / count
		}
		c.VMCount, c.RuleCount, c.AverageBackupSize = &n, &rc, &avg
	}
	return c
}

// renderBackup returns a deep copy of a backup.
func (st *state) renderBackup(b *Backup) Backup {
	c := *b
	c.ProtectedEntity.Name = cmp.Or(st.nameOf(b.ProtectedEntity.GUID), b.ProtectedEntity.Name)
	c.BackupLocations = append([]BackupLocation{}, b.BackupLocations...)
	for i := range c.BackupLocations {
		l := &c.BackupLocations[i]
		l.BackupDestination.Name = cmp.Or(st.nameOf(l.BackupDestination.GUID), l.BackupDestination.Name)
		l.Backup = NameAndGuid{GUID: b.GUID, Name: backupName(&c)}
		l.Name = l.Backup.Name
		l.Type = clonePtr(&c.Type)
		l.RetentionHint = clonePtr(l.RetentionHint)
		l.ArchiveExpire = clonePtr(l.ArchiveExpire)
	}
	c.ArchiveExpire = clonePtr(b.ArchiveExpire)
	c.ParentBackup = st.refreshRef(b.ParentBackup)
	c.IscsiMountable = nil
	c.NetworkInterfaceCards = nil // details only (backupDetails)
	c.Warnings = append([]string{}, b.Warnings...)
	if b.BackupTime != nil {
		t := *b.BackupTime
		c.BackupTime = &t
	}
	c.BackupRule = st.refreshRef(b.BackupRule)
	return c
}

// renderTask returns the wire form of a task at the current simulated time.
func (s *Server) renderTask(r *taskRec) Task {
	t := r.Task
	t.Progress = s.progress(r, s.sim)
	if r.StartTime != nil {
		v := *r.StartTime
		t.StartTime = &v
	}
	if r.FinishTime != nil {
		v := *r.FinishTime
		t.FinishTime = &v
	}
	t.BackupType = clonePtr(r.BackupType)
	t.RestoreType = clonePtr(r.RestoreType)
	t.ProtectedEntity = clonePtr(r.ProtectedEntity)
	t.DstProtectedEntity = clonePtr(r.DstProtectedEntity)
	t.OriginEntity = clonePtr(r.OriginEntity)
	for _, p := range []**NameAndGuid{&t.BackupDestination, &t.Hypervisor, &t.HypervisorManager, &t.Node, &t.ParentTask, &t.Backup, &t.MountedBackup} {
		if *p != nil {
			c := **p
			*p = &c
		}
	}
	return t
}

// renderDestination returns a copy of a backup destination.
func (s *Server) renderDestination(d *BackupDestination) BackupDestination {
	c := *d
	c.NodeConfigs = append([]NameAndGuid{}, d.NodeConfigs...)
	c.Projects = append([]NameAndGuid{}, d.Projects...)
	return c
}

// renderNode returns a node, last seen at the simulated now.
func (s *Server) renderNode(n *Node) Node {
	c := *n
	c.LastSeen = ms(s.sim)
	return c
}

// backupName is the name the UI shows for a backup: VM name and snapshot time.
func backupName(b *Backup) string {
	return fmt.Sprintf("%s - %s", b.ProtectedEntity.Name, time.UnixMilli(b.SnapshotTime).UTC().Format("2006-01-02 15:04:05"))
}

// deepCopy copies a value through JSON, so callers never share state.
func deepCopy[T any](v *T) T {
	var out T
	b, err := json.Marshal(v)
	if err == nil {
		_ = json.Unmarshal(b, &out)
	}
	return out
}

// clonePtr copies the value p points to (nil stays nil).
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// renderMount returns the wire form of a mounted backup.
func (s *Server) renderMount(m *mountRec) MountedBackup {
	out := MountedBackup{GUID: m.guid, Mode: enumOf(m.mode), State: enumOf(m.state), Node: s.st.ref(m.node),
		MountedFileSystemCount: len(m.fss), MountedFileCount: len(s.mountedFiles(m)), AllowedClients: append([]string{}, m.clients...)}
	if b, ok := s.st.backups.get(m.backup); ok {
		rb := s.backupDetails(b)
		out.Backup = &rb
	}
	if !m.unmountAt.IsZero() {
		out.UnmountTime = msPtr(m.unmountAt)
	}
	return out
}
