package policyascode

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/vprotect-go/vprotect"
)

// The operations of a Change.
const (
	Create = "+"
	Update = "~"
	Delete = "-"
)

// Change is one step of a Plan.
type Change struct {
	// Op is Create, Update or Delete.
	Op string
	// What names the object: "schedule pac-weekend", "rule pac-silver/nightly".
	What string
	// Detail is what a created object is, or what differs ("priority 60 →
	// 70"); it may be empty.
	Detail string

	apply func(ctx context.Context) error
}

// String formats the change as a plan line: "+ schedule pac-weekend: FULL
// backup at 03:30 UTC, ...".
func (c Change) String() string {
	if c.Detail == "" {
		return fmt.Sprintf("%s %s", c.Op, c.What)
	}
	return fmt.Sprintf("%s %s: %s", c.Op, c.What, c.Detail)
}

// Verb is the change's operation as a verb: create, update or delete.
func (c Change) Verb() string {
	switch c.Op {
	case Create:
		return "create"
	case Update:
		return "update"
	}
	return "delete"
}

// Plan is the changes that make the server match a Desired state, in the
// order they must be applied: creations (schedules before the policies and
// rules that use them), updates, rule changes, deletions.
type Plan struct {
	// Changes are the steps; none when the server matches.
	Changes []Change
}

// NewPlan reads the server's state (the tenant's VMs, the backup
// destinations, and the tenant's managed schedules and policies) and returns
// the changes that make it match d, which must have passed Check. tenant is
// the tenant to work in (d.Tenant, or the caller's default). A VM or a
// destination d names that the server does not have is an error.
func NewPlan(ctx context.Context, c *vprotect.Client, d *Desired, tenant string) (*Plan, error) {
	changes, err := newPlanner(c, d, tenant).plan(ctx)
	if err != nil {
		return nil, err
	}
	return &Plan{Changes: changes}, nil
}

// Count returns the number of changes of each operation.
func (p *Plan) Count() (create, update, del int) {
	for _, c := range p.Changes {
		switch c.Op {
		case Create:
			create++
		case Update:
			update++
		default:
			del++
		}
	}
	return create, update, del
}

// Apply carries out the changes in order, calling done (when not nil)
// after each. It stops at the first that fails, with an error naming it and
// how many were applied before it. The changes of one Plan depend on each
// other (a rule of a new policy needs the policy's GUID): apply a Plan once.
func (p *Plan) Apply(ctx context.Context, done func(Change)) error {
	for i, c := range p.Changes {
		if err := c.apply(ctx); err != nil {
			return fmt.Errorf("%s %s (%d of %d changes applied): %w", c.Verb(), c.What, i, len(p.Changes), err)
		}
		if done != nil {
			done(c)
		}
	}
	return nil
}

// planner compares the desired state with the server's and lists the
// changes. GUIDs of objects created while applying are recorded in its maps,
// so later changes (a rule of a new policy) find them.
type planner struct {
	c      *vprotect.Client
	d      *Desired
	tenant string

	vmGUID, vmName     map[string]string // tenant VMs: name -> GUID, GUID -> name
	destGUID, destName map[string]string // destinations: name (or GUID) -> GUID, GUID -> name
	schedGUID          map[string]string // managed schedules: name -> GUID
	schedName          map[string]string // every schedule: GUID -> name
	policyGUID         map[string]string // managed policies: name -> GUID
	createdRules       map[string]bool   // "policy/rule" created inside a new policy
}

func newPlanner(c *vprotect.Client, d *Desired, tenant string) *planner {
	return &planner{c: c, d: d, tenant: tenant,
		vmGUID: map[string]string{}, vmName: map[string]string{},
		destGUID: map[string]string{}, destName: map[string]string{},
		schedGUID: map[string]string{}, schedName: map[string]string{}, policyGUID: map[string]string{},
		createdRules: map[string]bool{}}
}

func (p *planner) managed(name string) bool { return strings.HasPrefix(name, p.d.Prefix) }

// plan reads the server's state and returns the changes that make it match.
func (p *planner) plan(ctx context.Context) ([]Change, error) {
	vms, err := p.c.VMs.List(ctx, &vprotect.VMListOptions{TenantID: p.tenant})
	if err != nil {
		return nil, err
	}
	for _, vm := range vms {
		p.vmGUID[vm.Name], p.vmName[vm.GUID] = vm.GUID, vm.Name
	}
	dests, err := p.c.BackupDestinations.List(ctx, nil)
	if err != nil {
		return nil, err
	}
	for _, d := range dests {
		p.destGUID[d.Name], p.destGUID[d.GUID], p.destName[d.GUID] = d.GUID, d.GUID, d.Name
	}
	schedules, err := p.c.Schedules.List(ctx, &vprotect.ScheduleListOptions{TenantID: p.tenant})
	if err != nil {
		return nil, err
	}
	current := map[string]*vprotect.Schedule{}
	for i := range schedules {
		s := &schedules[i]
		p.schedName[s.GUID] = s.Name
		if p.managed(s.Name) {
			current[s.Name], p.schedGUID[s.Name] = s, s.GUID
		}
	}
	policies, err := p.c.Policies.List(ctx, &vprotect.PolicyListOptions{TenantID: p.tenant})
	if err != nil {
		return nil, err
	}
	currentPolicies := map[string]*vprotect.Policy{}
	for _, pol := range policies {
		if p.managed(pol.Name) {
			full, err := p.c.Policies.Get(ctx, pol.GUID) // with its VMs and rules
			if err != nil {
				return nil, err
			}
			currentPolicies[pol.Name], p.policyGUID[pol.Name] = full, full.GUID
		}
	}

	var creates, updates, ruleChanges, deletes []Change
	desiredSchedules := map[string]bool{}
	for _, ds := range p.d.Schedules {
		desiredSchedules[ds.Name] = true
		want, _ := ds.schedule() // checked when loaded
		want.TenantID = p.tenant
		have, ok := current[ds.Name]
		if !ok {
			creates = append(creates, Change{Create, "schedule " + ds.Name, describeSchedule(want), func(ctx context.Context) error {
				s, err := p.c.Schedules.Create(ctx, want)
				if err == nil {
					p.schedGUID[s.Name], p.schedName[s.GUID] = s.GUID, s.Name
				}
				return err
			}})
			continue
		}
		if diff := differences(scheduleFields(have), scheduleFields(want)); diff != "" {
			updates = append(updates, Change{Update, "schedule " + ds.Name, diff, func(ctx context.Context) error {
				upd := *have // keeps its GUID, rules and tenant
				upd.Active, upd.BackupType, upd.ExecutionType = want.Active, want.BackupType, want.ExecutionType
				upd.Hour, upd.StartWindowLength, upd.Interval, upd.DaysOfWeek = want.Hour, want.StartWindowLength, want.Interval, want.DaysOfWeek
				_, err := p.c.Schedules.Update(ctx, have.GUID, &upd)
				return err
			}})
		}
	}

	desiredPolicies := map[string]bool{}
	for _, dp := range p.d.Policies {
		desiredPolicies[dp.Name] = true
		vmGUIDs, err := p.vmGUIDs(dp)
		if err != nil {
			return nil, err
		}
		have, ok := currentPolicies[dp.Name]
		if !ok {
			want := vprotect.NewPolicy(dp.Name, vmGUIDs...)
			want.TenantID, want.Active = p.tenant, orTrue(dp.Active)
			if dp.Priority != nil {
				want.Priority = *dp.Priority
			}
			dp := dp
			creates = append(creates, Change{Create, "policy " + dp.Name, describePolicy(policyFields(want, p.vmName)), func(ctx context.Context) error {
				// The rules go inside the policy, the one request a 7.x
				// server takes (Create adds them one by one on a 4.x
				// server). Their schedules exist by now.
				want.Rules = nil
				for _, dr := range dp.Rules {
					want.Rules = append(want.Rules, *p.newRule(dr, ""))
				}
				pol, err := p.c.Policies.Create(ctx, want)
				if pol != nil && pol.GUID != "" {
					p.policyGUID[pol.Name] = pol.GUID
					for _, r := range pol.Rules {
						p.createdRules[pol.Name+"/"+r.Name] = true
					}
				}
				return err
			}})
		} else {
			want := *have
			want.Active, want.VMs = orTrue(dp.Active), vprotect.Refs(vmGUIDs...)
			if dp.Priority != nil {
				want.Priority = *dp.Priority
			} else {
				want.Priority = vprotect.DefaultTaskPriority
			}
			if diff := differences(policyFields(have, p.vmName), policyFields(&want, p.vmName)); diff != "" {
				updates = append(updates, Change{Update, "policy " + dp.Name, diff, func(ctx context.Context) error {
					_, err := p.c.Policies.Update(ctx, have.GUID, &want)
					return err
				}})
			}
		}
		rc, err := p.planRules(dp, have)
		if err != nil {
			return nil, err
		}
		ruleChanges = append(ruleChanges, rc...)
	}

	for _, pol := range sortedKeys(currentPolicies) {
		if !desiredPolicies[pol] {
			guid := currentPolicies[pol].GUID
			deletes = append(deletes, Change{Delete, "policy " + pol, "with its rules", func(ctx context.Context) error {
				return p.c.Policies.Delete(ctx, guid)
			}})
		}
	}
	for _, s := range sortedKeys(current) {
		if !desiredSchedules[s] {
			guid := current[s].GUID
			deletes = append(deletes, Change{Delete, "schedule " + s, "", func(ctx context.Context) error {
				return p.c.Schedules.Delete(ctx, guid)
			}})
		}
	}
	return concat(creates, updates, ruleChanges, deletes), nil
}

// newRule is the rule of a desired rule, under the policy with the given
// GUID ("" for a rule inside a new policy); its schedules must exist.
func (p *planner) newRule(dr DesiredRule, policyGUID string) *vprotect.Rule {
	r := vprotect.NewRule(dr.Name, policyGUID, p.scheduleGUIDs(dr.Schedules), p.destGUID[dr.Destination])
	r.Active = orTrue(dr.Active)
	return r
}

// planRules lists the rule changes of one desired policy; have is the
// policy on the server, nil when it is to be created (its rules are then
// created inside it).
func (p *planner) planRules(dp DesiredPolicy, have *vprotect.Policy) ([]Change, error) {
	var out []Change
	existing := map[string]vprotect.Rule{}
	if have != nil {
		for _, r := range have.Rules {
			if !r.MarkedForDeletion {
				existing[r.Name] = r
			}
		}
	}
	wanted := map[string]bool{}
	for _, dr := range dp.Rules {
		wanted[dr.Name] = true
		what := "rule " + dp.Name + "/" + dr.Name
		destGUID, ok := p.destGUID[dr.Destination]
		if !ok {
			return nil, fmt.Errorf("policy %q, rule %q: no backup destination %q", dp.Name, dr.Name, dr.Destination)
		}
		fields := map[string]string{"schedules": strings.Join(sortedCopy(dr.Schedules), ","),
			"destination": p.destName[destGUID], "active": yesNo(orTrue(dr.Active))}
		cur, ok := existing[dr.Name]
		if !ok && have == nil {
			// Created inside its new policy (the policy's change, before this one).
			key := dp.Name + "/" + dr.Name
			out = append(out, Change{Create, what, describeRule(fields), func(context.Context) error {
				if !p.createdRules[key] {
					return fmt.Errorf("the server did not create it with policy %s", dp.Name)
				}
				return nil
			}})
			continue
		}
		if !ok {
			policyName, dr := dp.Name, dr
			out = append(out, Change{Create, what, describeRule(fields), func(ctx context.Context) error {
				_, err := p.c.Rules.Create(ctx, p.newRule(dr, p.policyGUID[policyName]))
				return err
			}})
			continue
		}
		if diff := differences(p.ruleFields(&cur), fields); diff != "" {
			guid, dr := cur.GUID, dr
			out = append(out, Change{Update, what, diff, func(ctx context.Context) error {
				r, err := p.c.Rules.Get(ctx, guid)
				if err != nil {
					return err
				}
				r.Schedules, r.Active = vprotect.Refs(p.scheduleGUIDs(dr.Schedules)...), orTrue(dr.Active)
				setPrimary(r, destGUID)
				_, err = p.c.Rules.Update(ctx, guid, r)
				return err
			}})
		}
	}
	for _, name := range sortedKeys(existing) {
		if !wanted[name] {
			guid := existing[name].GUID
			out = append(out, Change{Delete, "rule " + dp.Name + "/" + name, "", func(ctx context.Context) error {
				return p.c.Rules.Delete(ctx, guid)
			}})
		}
	}
	return out, nil
}

func (p *planner) vmGUIDs(dp DesiredPolicy) ([]string, error) {
	var guids []string
	for _, name := range dp.VMs {
		guid, ok := p.vmGUID[name]
		if !ok {
			return nil, fmt.Errorf("policy %q: tenant %s has no VM named %q", dp.Name, p.tenant, name)
		}
		guids = append(guids, guid)
	}
	return guids, nil
}

func (p *planner) scheduleGUIDs(names []string) []string {
	var guids []string
	for _, n := range names {
		guids = append(guids, p.schedGUID[n])
	}
	return guids
}

// setPrimary makes guid the rule's PRIMARY destination.
func setPrimary(r *vprotect.Rule, guid string) {
	for i := range r.RuleBackupDestinations {
		if r.RuleBackupDestinations[i].RoleType.Name == vprotect.DestinationRolePrimary {
			r.RuleBackupDestinations[i].BackupDestination = vprotect.BackupDestinationRef{GUID: guid}
			r.RuleBackupDestinations[i].Active = true
			return
		}
	}
	r.RuleBackupDestinations = append(r.RuleBackupDestinations, vprotect.NewRule("", "", nil, guid).RuleBackupDestinations...)
}

// The fields the plan compares, as text, so that differences read well.

func scheduleFields(s *vprotect.Schedule) map[string]string {
	when := "-"
	switch {
	case s.Hour != nil && s.StartWindowLength != nil:
		when = fmt.Sprintf("at %s UTC, start within %s", s.Hour, duration(s.StartWindowLength.Std()))
	case s.Interval != nil:
		when = fmt.Sprintf("every %s from %s to %s UTC", duration(s.Interval.Frequency.Std()), s.Interval.StartHour, s.Interval.EndHour)
	}
	on := map[vprotect.DayOfWeek]bool{}
	for _, d := range s.DaysOfWeek {
		on[d.Name] = true
	}
	var names []string
	for _, d := range []vprotect.DayOfWeek{vprotect.DayOfWeekMonday, vprotect.DayOfWeekTuesday, vprotect.DayOfWeekWednesday,
		vprotect.DayOfWeekThursday, vprotect.DayOfWeekFriday, vprotect.DayOfWeekSaturday, vprotect.DayOfWeekSunday} {
		if on[d] {
			names = append(names, string(d)[:3])
		}
	}
	return map[string]string{"when": when, "days": strings.Join(names, ","),
		"backup": string(s.BackupType.Name), "active": yesNo(s.Active)}
}

func policyFields(pol *vprotect.Policy, vmName map[string]string) map[string]string {
	var vms []string
	for _, vm := range pol.VMs {
		if n, ok := vmName[vm.GUID]; ok {
			vms = append(vms, n)
		} else {
			vms = append(vms, vm.GUID)
		}
	}
	sort.Strings(vms)
	return map[string]string{"priority": fmt.Sprint(pol.Priority), "active": yesNo(pol.Active), "vms": "[" + strings.Join(vms, ",") + "]"}
}

func (p *planner) ruleFields(r *vprotect.Rule) map[string]string {
	var scheds []string
	for _, s := range r.Schedules {
		scheds = append(scheds, p.schedName[s.GUID])
	}
	sort.Strings(scheds)
	dest := "-"
	for _, d := range r.RuleBackupDestinations {
		if d.RoleType.Name == vprotect.DestinationRolePrimary && d.Active {
			dest = p.destName[d.BackupDestination.GUID]
		}
	}
	return map[string]string{"schedules": strings.Join(scheds, ","), "destination": dest, "active": yesNo(r.Active)}
}

func describeSchedule(s *vprotect.Schedule) string {
	f := scheduleFields(s)
	return fmt.Sprintf("%s backup %s on %s, active %s", f["backup"], f["when"], f["days"], f["active"])
}

func describePolicy(f map[string]string) string {
	return fmt.Sprintf("priority %s, VMs %s, active %s", f["priority"], f["vms"], f["active"])
}

func describeRule(f map[string]string) string {
	return fmt.Sprintf("schedules %s, backups to %s, active %s", f["schedules"], f["destination"], f["active"])
}

// differences lists "key old → new" for every field that differs, in key order.
func differences(have, want map[string]string) string {
	var out []string
	for _, k := range sortedKeys(want) {
		if have[k] != want[k] {
			out = append(out, fmt.Sprintf("%s %s → %s", k, have[k], want[k]))
		}
	}
	return strings.Join(out, "; ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func concat(parts ...[]Change) []Change {
	var out []Change
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// duration formats d without zero units: "4h", "1h30m", "90s".
func duration(d time.Duration) string {
	s := d.String() // "4h0m0s": drop "0s", then "0m"
	for _, zero := range []string{"m0s", "h0m"} {
		if strings.HasSuffix(s, zero) && len(s) > len(zero) {
			s = s[:len(s)-len(zero)+1]
		}
	}
	return s
}
