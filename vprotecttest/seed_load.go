package vprotecttest

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// load copies a seed into the state, assigning GUIDs and linking
// relations: each kind in turn (an object may refer only to kinds loaded
// before it, except for the checks at the end), through loadAll.
func (st *state) load(seed Seed, now time.Time) error {
	steps := []func() error{
		func() error { return loadAll(st, "nodes", seed.Nodes, &st.nodes, fixNode) },
		func() error {
			return loadAll(st, "backupDestinations", seed.BackupDestinations, &st.dests, fixDestination)
		},
		func() error {
			return loadAll(st, "hypervisorManagers", seed.HypervisorManagers, &st.managers, fixManager)
		},
		func() error { return loadAll(st, "projects", seed.Projects, &st.projects, fixProject) },
		func() error { return loadAll(st, "hypervisorClusters", seed.Clusters, &st.clusters, fixCluster) },
		func() error { return loadAll(st, "hypervisors", seed.Hypervisors, &st.hypervisors, fixHypervisor) },
		func() error { return loadAll(st, "hypervisorStorages", seed.Storages, &st.storages, fixStorage) },
		func() error { return loadAll(st, "networks", seed.Networks, &st.networks, st.fixNetwork(false)) },
		func() error {
			return loadAll(st, "sharedNetworks", seed.SharedNetworks, &st.networks, st.fixNetwork(true))
		},
		func() error { return loadAll(st, "vmFlavors", seed.Flavors, &st.flavors, st.fixFlavor) },
		func() error { return loadAll(st, "credentials", seed.Credentials, &st.credentials, fixCredential) },
		func() error { return loadAll(st, "virtualMachines", seed.VMs, &st.vms, st.fixVM) },
		func() error { return st.loadVMDisks(seed.VMDisks) },
		func() error { return loadAll(st, "backups", seed.Backups, &st.backups, st.fixBackup) },
		// Policies, then rules (embedded in a policy, then top-level), then schedules.
		func() error { return loadAll(st, "policies", seed.Policies, &st.policies, st.fixPolicy) },
		func() error { return loadAll(st, "rules", seed.Rules, &st.rules, st.fixRule) },
		st.checkVMPolicies,
		func() error {
			return loadAll(st, "schedules", seed.Schedules, &st.schedules, func(s *Schedule) error { return st.fixSchedule(s, now) })
		},
		st.checkRuleSchedules,
		func() error {
			recs := make([]taskRec, len(seed.Tasks))
			for i, t := range seed.Tasks {
				recs[i].Task = t
			}
			return loadAll(st, "tasks", recs, &st.tasks, st.fixTask)
		},
		func() error { return st.loadMounts(seed.MountedBackups, now) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// loadAll stores copies of a seed's objects of one kind: each gets its GUID
// claimed (or allocated), is stored, then fixed up (defaults filled,
// relations linked and checked) by fix.
func loadAll[T any](st *state, kind string, items []T, into *store[T], fix func(*T) error) error {
	for _, item := range items {
		v := item
		guid := into.guid(&v)
		if err := st.claim(guid); err != nil {
			return fmt.Errorf("seed %s: %w", kind, err)
		}
		into.put(*guid, &v)
		if err := fix(&v); err != nil {
			return err
		}
	}
	return nil
}

// defaultEnum fills an enum's description, or sets it to def when empty.
func defaultEnum(e *Enum, def string) {
	*e = normEnum(*e)
	if e.Name == "" && def != "" {
		*e = enumOf(def)
	}
}

// defaultNonNil makes nil lists empty, so that they render as [].
func defaultNonNil[T any](lists ...*[]T) {
	for _, l := range lists {
		if *l == nil {
			*l = []T{}
		}
	}
}

// defaultUUID makes an object's UUID its GUID when it has none.
func defaultUUID(uuid *string, guid string) {
	if *uuid == "" {
		*uuid = guid
	}
}

// fixCredential checks that a credential has a name.
func fixCredential(c *Credential) error {
	if c.Name == "" {
		return fmt.Errorf("seed credentials %s: name is required", c.GUID)
	}
	return nil
}

func fixNode(n *Node) error {
	defaultEnum(&n.State, "RUNNING")
	return nil
}

func fixDestination(d *BackupDestination) error {
	defaultEnum(&d.Type, "")
	defaultNonNil(&d.NodeConfigs, &d.Projects)
	return nil
}

func fixManager(m *HypervisorManager) error {
	defaultEnum(&m.Type, "")
	m.VMExportImportMode = normEnumPtr(m.VMExportImportMode)
	return nil
}

func fixProject(p *Project) error {
	defaultUUID(&p.UUID, p.GUID)
	return nil
}

// fixNetwork marks a network shared or not and checks its manager.
func (st *state) fixNetwork(shared bool) func(n *Network) error {
	return func(n *Network) error {
		defaultUUID(&n.UUID, n.GUID)
		n.Shared = shared
		if n.HvManager != nil {
			if _, ok := st.managers.get(n.HvManager.GUID); !ok {
				return fmt.Errorf("seed networks %s: unknown hypervisor manager %s", n.GUID, n.HvManager.GUID)
			}
		}
		return nil
	}
}

// fixFlavor checks a flavor's manager.
func (st *state) fixFlavor(f *VMFlavor) error {
	defaultUUID(&f.UUID, f.GUID)
	if f.HvManager != nil {
		if _, ok := st.managers.get(f.HvManager.GUID); !ok {
			return fmt.Errorf("seed vmFlavors %s: unknown hypervisor manager %s", f.GUID, f.HvManager.GUID)
		}
	}
	return nil
}

func fixCluster(c *HypervisorCluster) error {
	defaultUUID(&c.UUID, c.GUID)
	return nil
}

func fixHypervisor(h *Hypervisor) error {
	defaultEnum(&h.Type, "")
	defaultEnum(&h.StorageType, "DEFAULT")
	h.VMExportImportMode = normEnumPtr(h.VMExportImportMode)
	h.Name = cmp.Or(h.Name, h.Host)
	return nil
}

func fixStorage(s *HypervisorStorage) error {
	defaultUUID(&s.UUID, s.GUID)
	defaultNonNil(&s.Clusters)
	return nil
}

// fixVM links a VM to its seeded project (by guid, or by uuid when no guid
// is given) and takes its manager's type.
func (st *state) fixVM(v *VM) error {
	defaultUUID(&v.UUID, v.GUID)
	defaultEnum(&v.Type, "VM")
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
	defaultNonNil(&v.Tags)
	v.Restorable = false // derived from the backups, loaded next
	return nil
}

// fixBackup gives a backup's locations GUIDs and their destination types,
// and makes a successful backup's VM restorable.
func (st *state) fixBackup(b *Backup) error {
	defaultEnum(&b.Type, "")
	defaultEnum(&b.Status, "")
	defaultEnum(&b.ProtectedEntity.Type, "VM")
	defaultNonNil(&b.Warnings)
	locs := make([]BackupLocation, 0, len(b.BackupLocations))
	for _, l := range b.BackupLocations {
		if err := st.claim(&l.GUID); err != nil {
			return fmt.Errorf("seed backups %s locations: %w", b.GUID, err)
		}
		defaultEnum(&l.RoleType, "")
		defaultEnum(&l.Status, "")
		defaultEnum(&l.BackupDestinationType, "")
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
	if v, ok := st.vms.get(b.ProtectedEntity.GUID); ok && (b.Status.Name == "SUCCESS" || b.Status.Name == "PARTIAL_SUCCESS") {
		v.Restorable = true
	}
	return nil
}

// fixPolicy assigns the policy's VMs and loads its embedded rules.
func (st *state) fixPolicy(p *Policy) error {
	p.AutoAssignSettings = normAutoAssign(p.AutoAssignSettings)
	for _, ref := range p.VMs {
		v, ok := st.vms.get(ref.GUID)
		if !ok {
			return fmt.Errorf("seed policies %s: unknown vm %s", p.GUID, ref.GUID)
		}
		v.VMBackupPolicy = &NameAndGuid{GUID: p.GUID, Name: p.Name}
	}
	embedded := slices.Clone(p.Rules) // the caller's seed stays as it was
	p.VMs, p.Rules = nil, nil
	for i, r := range embedded {
		r.Policy = &NameAndGuid{GUID: p.GUID}
		if r.Position == 0 {
			r.Position = i
		}
		embedded[i] = r
	}
	return loadAll(st, "rules", embedded, &st.rules, st.fixRule)
}

// fixRule checks a rule's policy and gives its destinations GUIDs.
func (st *state) fixRule(r *Rule) error {
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
		defaultEnum(&d.RoleType, "PRIMARY")
		dests = append(dests, d)
	}
	r.RuleBackupDestinations = dests
	r.Schedules = dedupRefs(r.Schedules)
	return nil
}

// fixSchedule fills a schedule's defaults and adds it to the rules it names.
func (st *state) fixSchedule(s *Schedule, now time.Time) error {
	defaultEnum(&s.Type, "VM_BACKUP")
	defaultEnum(&s.BackupType, "FULL")
	defaultEnum(&s.ExecutionType, "TIME")
	s.DaysOfWeek, s.Months, s.DayOfWeekOccurrences = normEnums(s.DaysOfWeek), normEnums(s.Months), normEnums(s.DayOfWeekOccurrences)
	for _, ref := range s.Rules {
		r, ok := st.rules.get(ref.GUID)
		if !ok {
			return fmt.Errorf("seed schedules %s: unknown rule %s", s.GUID, ref.GUID)
		}
		r.Schedules = addRef(r.Schedules, s.GUID)
	}
	s.Rules, s.Policies = nil, nil
	st.schedRun[s.GUID] = &schedRun{lastEval: now}
	return nil
}

// fixTask checks a task of the history and links it to its VM (and so to
// the VM's tenants); references are resolved by GUID and show current names.
func (st *state) fixTask(r *taskRec) error {
	defaultEnum(&r.Type, "")
	defaultEnum(&r.State, "")
	if !isTerminal(r.State.Name) {
		return fmt.Errorf("seed tasks %s: state %q: a seeded task is history (FINISHED, FAILED or CANCELLED)", r.GUID, r.State.Name)
	}
	r.BackupType, r.RestoreType = normEnumPtr(r.BackupType), normEnumPtr(r.RestoreType)
	if r.ProtectedEntity != nil {
		v, ok := st.vms.get(r.ProtectedEntity.GUID)
		if !ok {
			return fmt.Errorf("seed tasks %s: unknown protectedEntity %s", r.GUID, r.ProtectedEntity.GUID)
		}
		r.ProtectedEntity, r.vm, r.tenants = vmEntity(v), v.GUID, st.vmTenants(v)
	}
	refs := []struct {
		field string
		ref   **NameAndGuid
	}{{"backup", &r.Backup}, {"backupDestination", &r.BackupDestination}, {"node", &r.Node},
		{"parentTask", &r.ParentTask}, {"hypervisor", &r.Hypervisor}, {"hypervisorManager", &r.HypervisorManager}}
	for _, f := range refs {
		if *f.ref == nil {
			continue
		}
		if st.nameOf((*f.ref).GUID) == "" {
			return fmt.Errorf("seed tasks %s: unknown %s %s", r.GUID, f.field, (*f.ref).GUID)
		}
		*f.ref = st.ref((*f.ref).GUID)
	}
	if r.Node != nil {
		r.nodeKey = r.Node.GUID
	}
	st.taskSeq++
	r.seq, r.created = st.taskSeq, time.UnixMilli(r.WindowStart)
	r.winStart, r.winEnd = r.created, time.UnixMilli(r.WindowEnd)
	if r.StartTime != nil {
		r.started = time.UnixMilli(*r.StartTime)
	}
	return nil
}

// checkVMPolicies fails on a VM whose policy was not seeded.
func (st *state) checkVMPolicies() error {
	for _, v := range st.vms.all() {
		if v.VMBackupPolicy != nil {
			if _, ok := st.policies.get(v.VMBackupPolicy.GUID); !ok {
				return fmt.Errorf("seed virtualMachines %s: unknown policy %s", v.GUID, v.VMBackupPolicy.GUID)
			}
		}
	}
	return nil
}

// checkRuleSchedules fails on a rule whose schedule was not seeded.
func (st *state) checkRuleSchedules() error {
	for _, r := range st.rules.all() {
		for _, ref := range r.Schedules {
			if _, ok := st.schedules.get(ref.GUID); !ok {
				return fmt.Errorf("seed rules %s: unknown schedule %s", r.GUID, ref.GUID)
			}
		}
	}
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
