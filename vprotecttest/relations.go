package vprotecttest

import "sort"

// Queries over the relations the state keeps: which rules a policy or a
// schedule has, which VMs a policy holds, a VM's tenants, destinations.

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
