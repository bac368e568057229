package vprotecttest

import (
	"fmt"
	"sort"
	"time"
)

// store keeps objects by GUID in insertion order.
type store[T any] struct {
	order []string
	m     map[string]*T
}

func (st *store[T]) put(guid string, v *T) {
	if st.m == nil {
		st.m = map[string]*T{}
	}
	if _, ok := st.m[guid]; !ok {
		st.order = append(st.order, guid)
	}
	st.m[guid] = v
}

func (st *store[T]) get(guid string) (*T, bool) {
	v, ok := st.m[guid]
	return v, ok && guid != ""
}

func (st *store[T]) del(guid string) {
	if _, ok := st.m[guid]; !ok {
		return
	}
	delete(st.m, guid)
	for i, g := range st.order {
		if g == guid {
			st.order = append(st.order[:i:i], st.order[i+1:]...)
			break
		}
	}
}

func (st *store[T]) all() []*T {
	out := make([]*T, 0, len(st.order))
	for _, g := range st.order {
		out = append(out, st.m[g])
	}
	return out
}

// state is everything the fake knows; it is guarded by Server.mu.
type state struct {
	nodes       store[Node]
	dests       store[BackupDestination]
	managers    store[HypervisorManager]
	hypervisors store[Hypervisor]
	clusters    store[HypervisorCluster]
	storages    store[HypervisorStorage]
	projects    store[Project]
	vms         store[VM]
	backups     store[Backup]
	schedules   store[Schedule]
	policies    store[Policy]
	rules       store[Rule]
	tasks       store[taskRec]
	schedRun    map[string]*schedRun
	active      []*taskRec // tasks not yet in a terminal state, creation order
	taskSeq     int
	nextID      int
	used        map[string]bool
}

// firstRuntimeGUID is the counter value of the first GUID given at run time.
const firstRuntimeGUID = 1001

// guidFor formats counter n as a UUID-shaped GUID.
func guidFor(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

func newState() *state {
	return &state{schedRun: map[string]*schedRun{}, used: map[string]bool{}, nextID: firstRuntimeGUID}
}

// newGUID returns the next unused deterministic GUID.
func (st *state) newGUID() string {
	for {
		g := guidFor(st.nextID)
		st.nextID++
		if !st.used[g] {
			st.used[g] = true
			return g
		}
	}
}

// claim marks guid used, or allocates one when empty.
func (st *state) claim(guid *string) error {
	if *guid == "" {
		*guid = st.newGUID()
		return nil
	}
	if st.used[*guid] {
		return fmt.Errorf("duplicate guid %s", *guid)
	}
	st.used[*guid] = true
	return nil
}

// nameOf finds the name of any object by GUID ("" when unknown).
func (st *state) nameOf(guid string) string {
	if guid == "" {
		return ""
	}
	if v, ok := st.vms.get(guid); ok {
		return v.Name
	}
	if v, ok := st.policies.get(guid); ok {
		return v.Name
	}
	if v, ok := st.rules.get(guid); ok {
		return v.Name
	}
	if v, ok := st.schedules.get(guid); ok {
		return v.Name
	}
	if v, ok := st.dests.get(guid); ok {
		return v.Name
	}
	if v, ok := st.managers.get(guid); ok {
		return v.Name
	}
	if v, ok := st.hypervisors.get(guid); ok {
		return v.Name
	}
	if v, ok := st.nodes.get(guid); ok {
		return v.Name
	}
	if v, ok := st.projects.get(guid); ok {
		return v.Name
	}
	if v, ok := st.clusters.get(guid); ok {
		return v.Name
	}
	if v, ok := st.backups.get(guid); ok {
		return backupName(v)
	}
	if v, ok := st.tasks.get(guid); ok {
		return v.Type.Description
	}
	return ""
}

// ref returns a reference with the current name of guid, or nil for "".
func (st *state) ref(guid string) *NameAndGuid {
	if guid == "" {
		return nil
	}
	return &NameAndGuid{GUID: guid, Name: st.nameOf(guid)}
}

func (st *state) refVal(guid string) NameAndGuid {
	return NameAndGuid{GUID: guid, Name: st.nameOf(guid)}
}

func (st *state) refreshRef(r *NameAndGuid) *NameAndGuid {
	if r == nil || r.GUID == "" {
		return nil
	}
	if n := st.nameOf(r.GUID); n != "" {
		return &NameAndGuid{GUID: r.GUID, Name: n}
	}
	c := *r
	return &c
}

func (st *state) refreshRefs(rs []NameAndGuid) []NameAndGuid {
	out := make([]NameAndGuid, 0, len(rs))
	for _, r := range rs {
		out = append(out, *st.refreshRef(&r))
	}
	return out
}

func backupName(b *Backup) string {
	return fmt.Sprintf("%s - %s", b.ProtectedEntity.Name, time.UnixMilli(b.SnapshotTime).UTC().Format("2006-01-02 15:04:05"))
}

func vmEntity(v *VM) *NameGuidAndType {
	return &NameGuidAndType{GUID: v.GUID, Name: v.Name, Type: enumOf("VM")}
}

// vmTenants returns the tenant ids a VM answers to: its project's uuid and guid.
func (st *state) vmTenants(v *VM) []string {
	if v == nil || v.Project == nil {
		return nil
	}
	var out []string
	if p, ok := st.projects.get(v.Project.GUID); ok {
		out = append(out, p.GUID, p.UUID)
	} else {
		out = append(out, v.Project.GUID, v.Project.UUID)
	}
	return out
}

// rulesOfPolicy returns a policy's rules ordered by position.
func (st *state) rulesOfPolicy(policy string) []*Rule {
	var out []*Rule
	for _, r := range st.rules.all() {
		if r.Policy != nil && r.Policy.GUID == policy {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Position < out[j].Position })
	return out
}

// vmsOfPolicy returns the VMs assigned to a policy.
func (st *state) vmsOfPolicy(policy string) []*VM {
	var out []*VM
	for _, v := range st.vms.all() {
		if v.VMBackupPolicy != nil && v.VMBackupPolicy.GUID == policy {
			out = append(out, v)
		}
	}
	return out
}

// rulesOfSchedule returns the rules that hold a schedule.
func (st *state) rulesOfSchedule(sched string) []*Rule {
	var out []*Rule
	for _, r := range st.rules.all() {
		for _, s := range r.Schedules {
			if s.GUID == sched {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// primaryDestination returns the GUID of a rule's active primary destination.
func primaryDestination(r *Rule) string {
	for _, d := range r.RuleBackupDestinations {
		if d.RoleType.Name == "PRIMARY" && d.Active && d.BackupDestination.GUID != "" {
			return d.BackupDestination.GUID
		}
	}
	return ""
}

// defaultDestination returns the default backup destination, else the first.
func (st *state) defaultDestination() string {
	all := st.dests.all()
	for _, d := range all {
		if d.DefaultBackupDestination {
			return d.GUID
		}
	}
	if len(all) > 0 {
		return all[0].GUID
	}
	return ""
}

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
	return c
}

// renderPolicy returns a policy with its VMs and rules; extended adds counters.
func (st *state) renderPolicy(p *Policy, extended bool) Policy {
	c := *p
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
	c.ProtectedEntity.Name = firstNonEmpty(st.nameOf(b.ProtectedEntity.GUID), b.ProtectedEntity.Name)
	c.BackupLocations = append([]BackupLocation{}, b.BackupLocations...)
	for i := range c.BackupLocations {
		c.BackupLocations[i].Backup = NameAndGuid{GUID: b.GUID, Name: backupName(&c)}
		c.BackupLocations[i].Name = c.BackupLocations[i].Backup.Name
	}
	c.Warnings = append([]string{}, b.Warnings...)
	if b.BackupTime != nil {
		t := *b.BackupTime
		c.BackupTime = &t
	}
	c.BackupRule = st.refreshRef(b.BackupRule)
	return c
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
