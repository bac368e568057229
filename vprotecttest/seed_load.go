package vprotecttest

import (
	"fmt"
	"time"
)

// load copies a seed into the state, assigning GUIDs and linking relations.
func (st *state) load(seed Seed, now time.Time) error {
	for _, n := range seed.Nodes {
		n := n
		if err := st.claim(&n.GUID); err != nil {
			return fmt.Errorf("seed nodes: %w", err)
		}
		n.State = normEnum(n.State)
		if n.State.Name == "" {
			n.State = enumOf("RUNNING")
		}
		st.nodes.put(n.GUID, &n)
	}
	for _, d := range seed.BackupDestinations {
		d := d
		if err := st.claim(&d.GUID); err != nil {
			return fmt.Errorf("seed backupDestinations: %w", err)
		}
		d.Type = normEnum(d.Type)
		if d.NodeConfigs == nil {
			d.NodeConfigs = []NameAndGuid{}
		}
		if d.Projects == nil {
			d.Projects = []NameAndGuid{}
		}
		st.dests.put(d.GUID, &d)
	}
	for _, m := range seed.HypervisorManagers {
		m := m
		if err := st.claim(&m.GUID); err != nil {
			return fmt.Errorf("seed hypervisorManagers: %w", err)
		}
		m.Type = normEnum(m.Type)
		m.VMExportImportMode = normEnumPtr(m.VMExportImportMode)
		st.managers.put(m.GUID, &m)
	}
	for _, p := range seed.Projects {
		p := p
		if err := st.claim(&p.GUID); err != nil {
			return fmt.Errorf("seed projects: %w", err)
		}
		if p.UUID == "" {
			p.UUID = p.GUID
		}
		st.projects.put(p.GUID, &p)
	}
	for _, c := range seed.Clusters {
		c := c
		if err := st.claim(&c.GUID); err != nil {
			return fmt.Errorf("seed hypervisorClusters: %w", err)
		}
		if c.UUID == "" {
			c.UUID = c.GUID
		}
		st.clusters.put(c.GUID, &c)
	}
	for _, h := range seed.Hypervisors {
		h := h
		if err := st.claim(&h.GUID); err != nil {
			return fmt.Errorf("seed hypervisors: %w", err)
		}
		h.Type = normEnum(h.Type)
		h.StorageType = normEnum(h.StorageType)
		if h.StorageType.Name == "" {
			h.StorageType = enumOf("DEFAULT")
		}
		h.VMExportImportMode = normEnumPtr(h.VMExportImportMode)
		if h.Name == "" {
			h.Name = h.Host
		}
		st.hypervisors.put(h.GUID, &h)
	}
	for _, s := range seed.Storages {
		s := s
		if err := st.claim(&s.GUID); err != nil {
			return fmt.Errorf("seed hypervisorStorages: %w", err)
		}
		if s.UUID == "" {
			s.UUID = s.GUID
		}
		if s.Clusters == nil {
			s.Clusters = []NameAndGuid{}
		}
		st.storages.put(s.GUID, &s)
	}
	for _, v := range seed.VMs {
		v := v
		if err := st.claim(&v.GUID); err != nil {
			return fmt.Errorf("seed virtualMachines: %w", err)
		}
		if v.UUID == "" {
			v.UUID = v.GUID
		}
		v.Type = normEnum(v.Type)
		if v.Type.Name == "" {
			v.Type = enumOf("VM")
		}
		v.HvType, v.HvmType = normEnumPtr(v.HvType), normEnumPtr(v.HvmType)
		if v.Project != nil {
			found := false
			for _, p := range st.projects.all() {
				if (v.Project.GUID != "" && p.GUID == v.Project.GUID) || (v.Project.GUID == "" && v.Project.UUID != "" && p.UUID == v.Project.UUID) {
					v.Project = &ProjectRef{GUID: p.GUID, Name: p.Name, UUID: p.UUID}
					found = true
				}
			}
			if !found {
				return fmt.Errorf("seed virtualMachines %s: unknown project", v.GUID)
			}
		}
		if v.HvManager != nil && v.HvmType == nil {
			if m, ok := st.managers.get(v.HvManager.GUID); ok {
				v.HvmType = &m.Type
			}
		}
		if v.Tags == nil {
			v.Tags = []string{}
		}
		st.vms.put(v.GUID, &v)
	}
	for _, b := range seed.Backups {
		b := b
		if err := st.claim(&b.GUID); err != nil {
			return fmt.Errorf("seed backups: %w", err)
		}
		b.Type, b.Status = normEnum(b.Type), normEnum(b.Status)
		b.ProtectedEntity.Type = normEnum(b.ProtectedEntity.Type)
		if b.ProtectedEntity.Type.Name == "" {
			b.ProtectedEntity.Type = enumOf("VM")
		}
		if b.Warnings == nil {
			b.Warnings = []string{}
		}
		locs := make([]BackupLocation, 0, len(b.BackupLocations))
		for _, l := range b.BackupLocations {
			if err := st.claim(&l.GUID); err != nil {
				return fmt.Errorf("seed backups %s locations: %w", b.GUID, err)
			}
			l.RoleType, l.Status = normEnum(l.RoleType), normEnum(l.Status)
			l.BackupDestinationType = normEnum(l.BackupDestinationType)
			if d, ok := st.dests.get(l.BackupDestination.GUID); ok && l.BackupDestinationType.Name == "" {
				l.BackupDestinationType = d.Type
			}
			l.RetentionHint = normEnumPtr(l.RetentionHint)
			if l.SnapshotTime == 0 {
				l.SnapshotTime = b.SnapshotTime
			}
			locs = append(locs, l)
		}
		b.BackupLocations = locs
		st.backups.put(b.GUID, &b)
	}
	// Policies, then rules (top-level and embedded), then schedules.
	for _, p := range seed.Policies {
		p := p
		if err := st.claim(&p.GUID); err != nil {
			return fmt.Errorf("seed policies: %w", err)
		}
		p.AutoAssignSettings = normAutoAssign(p.AutoAssignSettings)
		for _, ref := range p.VMs {
			v, ok := st.vms.get(ref.GUID)
			if !ok {
				return fmt.Errorf("seed policies %s: unknown vm %s", p.GUID, ref.GUID)
			}
			v.VMBackupPolicy = &NameAndGuid{GUID: p.GUID, Name: p.Name}
		}
		embedded := p.Rules
		p.VMs, p.Rules = nil, nil
		st.policies.put(p.GUID, &p)
		for i, r := range embedded {
			r.Policy = &NameAndGuid{GUID: p.GUID}
			if r.Position == 0 {
				r.Position = i
			}
			if err := st.loadRule(r); err != nil {
				return err
			}
		}
	}
	for _, r := range seed.Rules {
		if err := st.loadRule(r); err != nil {
			return err
		}
	}
	for _, v := range st.vms.all() {
		if v.VMBackupPolicy != nil {
			if _, ok := st.policies.get(v.VMBackupPolicy.GUID); !ok {
				return fmt.Errorf("seed virtualMachines %s: unknown policy %s", v.GUID, v.VMBackupPolicy.GUID)
			}
		}
	}
	for _, s := range seed.Schedules {
		s := s
		if err := st.claim(&s.GUID); err != nil {
			return fmt.Errorf("seed schedules: %w", err)
		}
		s.Type, s.BackupType, s.ExecutionType = normEnum(s.Type), normEnum(s.BackupType), normEnum(s.ExecutionType)
		if s.Type.Name == "" {
			s.Type = enumOf("VM_BACKUP")
		}
		if s.BackupType.Name == "" {
			s.BackupType = enumOf("FULL")
		}
		if s.ExecutionType.Name == "" {
			s.ExecutionType = enumOf("TIME")
		}
		s.DaysOfWeek, s.Months, s.DayOfWeekOccurrences = normEnums(s.DaysOfWeek), normEnums(s.Months), normEnums(s.DayOfWeekOccurrences)
		for _, ref := range s.Rules {
			r, ok := st.rules.get(ref.GUID)
			if !ok {
				return fmt.Errorf("seed schedules %s: unknown rule %s", s.GUID, ref.GUID)
			}
			r.Schedules = addRef(r.Schedules, s.GUID)
		}
		s.Rules, s.Policies = nil, nil
		st.schedules.put(s.GUID, &s)
		st.schedRun[s.GUID] = &schedRun{lastEval: now}
	}
	for _, r := range st.rules.all() {
		for _, ref := range r.Schedules {
			if _, ok := st.schedules.get(ref.GUID); !ok {
				return fmt.Errorf("seed rules %s: unknown schedule %s", r.GUID, ref.GUID)
			}
		}
	}
	return nil
}

func (st *state) loadRule(r Rule) error {
	if err := st.claim(&r.GUID); err != nil {
		return fmt.Errorf("seed rules: %w", err)
	}
	if r.Policy == nil {
		return fmt.Errorf("seed rules %s: policy is required", r.GUID)
	}
	if _, ok := st.policies.get(r.Policy.GUID); !ok {
		return fmt.Errorf("seed rules %s: unknown policy %s", r.GUID, r.Policy.GUID)
	}
	dests := make([]RuleBackupDestination, 0, len(r.RuleBackupDestinations))
	for _, d := range r.RuleBackupDestinations {
		if err := st.claim(&d.GUID); err != nil {
			return fmt.Errorf("seed rules %s destinations: %w", r.GUID, err)
		}
		d.RoleType = normEnum(d.RoleType)
		if d.RoleType.Name == "" {
			d.RoleType = enumOf("PRIMARY")
		}
		dests = append(dests, d)
	}
	r.RuleBackupDestinations = dests
	r.Schedules = dedupRefs(r.Schedules)
	st.rules.put(r.GUID, &r)
	return nil
}

func normAutoAssign(a AutoAssignSettings) AutoAssignSettings {
	a.Mode = normEnum(a.Mode)
	if a.Mode.Name == "" {
		a.Mode = enumOf("DISABLED")
	}
	for _, p := range []*[]string{&a.IncludeTags, &a.ExcludeTags, &a.IncludeRegExps, &a.ExcludeRegExps} {
		if *p == nil {
			*p = []string{}
		}
	}
	if a.HvClusters == nil {
		a.HvClusters = []NameAndGuid{}
	}
	return a
}
