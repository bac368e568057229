package policyascode

import (
	"fmt"
	"strings"
	"time"

	"github.com/vprotect-go/vprotect"
)

// Desired is the desired state: the schedules and policies (with their
// rules) a tenant should have. Everything of the tenant whose name starts
// with Prefix is managed: created, updated and deleted to match. Other
// objects are never touched.
type Desired struct {
	// Tenant is the tenant id (OpenStack project id) the objects are tagged
	// with; empty leaves it to the caller.
	Tenant string `json:"tenant" yaml:"tenant"`
	// Prefix marks the managed objects; every name must start with it.
	Prefix string `json:"prefix" yaml:"prefix"`
	// Schedules are the schedules the tenant should have.
	Schedules []DesiredSchedule `json:"schedules" yaml:"schedules"`
	// Policies are the VM backup policies the tenant should have.
	Policies []DesiredPolicy `json:"policies" yaml:"policies"`
}

// DesiredSchedule is a TIME schedule (At, Window) or an INTERVAL one
// (Every, From, To). Times of day are UTC, "HH:MM".
type DesiredSchedule struct {
	// Name is the schedule's name; it starts with the Prefix.
	Name string `json:"name" yaml:"name"`
	// BackupType is FULL (the default) or INCREMENTAL.
	BackupType string `json:"backupType" yaml:"backupType"`
	// At is the start time of a TIME schedule, "HH:MM" UTC.
	At string `json:"at" yaml:"at"`
	// Window is how long after At a backup may start, e.g. "4h".
	Window string `json:"window" yaml:"window"`
	// Every is the interval of an INTERVAL schedule, e.g. "2h".
	Every string `json:"every" yaml:"every"`
	// From and To bound an INTERVAL schedule's day, "HH:MM" UTC.
	From string `json:"from" yaml:"from"`
	To   string `json:"to" yaml:"to"`
	// Days are the days it runs: MONDAY ... SUNDAY; at least one.
	Days []string `json:"days" yaml:"days"`
	// Active defaults to true.
	Active *bool `json:"active" yaml:"active"`
}

// DesiredPolicy is a policy with its VMs (by name) and rules.
type DesiredPolicy struct {
	// Name is the policy's name; it starts with the Prefix.
	Name string `json:"name" yaml:"name"`
	// Priority is the policy's priority, default vprotect.DefaultTaskPriority (50).
	Priority *int `json:"priority" yaml:"priority"`
	// Active defaults to true.
	Active *bool `json:"active" yaml:"active"`
	// VMs are the names of the tenant's VMs the policy protects.
	VMs []string `json:"vms" yaml:"vms"`
	// Rules are the policy's rules.
	Rules []DesiredRule `json:"rules" yaml:"rules"`
}

// DesiredRule is a rule of a policy: its schedules (by name, from the same
// Desired state) and its primary backup destination (by name).
type DesiredRule struct {
	// Name is the rule's name, unique in its policy.
	Name string `json:"name" yaml:"name"`
	// Schedules are names of the Desired state's schedules.
	Schedules []string `json:"schedules" yaml:"schedules"`
	// Destination is the name (or GUID) of the primary backup destination.
	Destination string `json:"destination" yaml:"destination"`
	// Active defaults to true.
	Active *bool `json:"active" yaml:"active"`
}

// Check reports the first mistake of d: no prefix, a name without it or
// listed twice, a schedule that is neither TIME nor INTERVAL, a rule naming
// a schedule that is not in d. It needs no server; names of VMs and
// destinations are checked by NewPlan.
func (d *Desired) Check() error {
	if d.Prefix == "" {
		return fmt.Errorf("prefix is required: it marks the objects this file manages")
	}
	names := map[string]bool{}
	for _, s := range d.Schedules {
		if !strings.HasPrefix(s.Name, d.Prefix) {
			return fmt.Errorf("schedule %q: the name must start with %q", s.Name, d.Prefix)
		}
		if names[s.Name] {
			return fmt.Errorf("schedule %q is listed twice", s.Name)
		}
		names[s.Name] = true
		if _, err := s.schedule(); err != nil {
			return fmt.Errorf("schedule %q: %w", s.Name, err)
		}
	}
	pols := map[string]bool{}
	for _, p := range d.Policies {
		if !strings.HasPrefix(p.Name, d.Prefix) {
			return fmt.Errorf("policy %q: the name must start with %q", p.Name, d.Prefix)
		}
		if pols[p.Name] {
			return fmt.Errorf("policy %q is listed twice", p.Name)
		}
		pols[p.Name] = true
		rules := map[string]bool{}
		for _, r := range p.Rules {
			if r.Name == "" || rules[r.Name] {
				return fmt.Errorf("policy %q: rule names must be set and unique", p.Name)
			}
			rules[r.Name] = true
			for _, s := range r.Schedules {
				if !names[s] {
					return fmt.Errorf("policy %q, rule %q: schedule %q is not in the file", p.Name, r.Name, s)
				}
			}
		}
	}
	return nil
}

// schedule is the SDK schedule the entry describes (without GUID, rules and
// tenant).
func (s DesiredSchedule) schedule() (*vprotect.Schedule, error) {
	var days []time.Weekday
	for _, name := range s.Days {
		d, ok := weekdays[strings.ToUpper(name)]
		if !ok {
			return nil, fmt.Errorf("unknown day %q", name)
		}
		days = append(days, d)
	}
	if len(days) == 0 {
		return nil, fmt.Errorf("days: at least one day is required")
	}
	var sch *vprotect.Schedule
	switch {
	case s.At != "" && s.Every == "":
		at, err := timeOfDay(s.At)
		if err != nil {
			return nil, fmt.Errorf("at: %w", err)
		}
		window, err := time.ParseDuration(s.Window)
		if err != nil {
			return nil, fmt.Errorf("window: %w", err)
		}
		sch = vprotect.NewTimeSchedule(s.Name, at, window, days...)
	case s.Every != "" && s.At == "":
		every, err := time.ParseDuration(s.Every)
		if err != nil {
			return nil, fmt.Errorf("every: %w", err)
		}
		from, err := timeOfDay(s.From)
		if err != nil {
			return nil, fmt.Errorf("from: %w", err)
		}
		to, err := timeOfDay(s.To)
		if err != nil {
			return nil, fmt.Errorf("to: %w", err)
		}
		sch = vprotect.NewIntervalSchedule(s.Name, from, to, every, days...)
	default:
		return nil, fmt.Errorf("give either at and window (TIME) or every, from and to (INTERVAL)")
	}
	switch strings.ToUpper(s.BackupType) {
	case "", "FULL":
	case "INCREMENTAL":
		sch.BackupType = vprotect.EnumOf(vprotect.BackupTypeIncremental)
	default:
		return nil, fmt.Errorf("backupType must be FULL or INCREMENTAL, not %q", s.BackupType)
	}
	sch.Active = orTrue(s.Active)
	return sch, nil
}

var weekdays = map[string]time.Weekday{
	"MONDAY": time.Monday, "TUESDAY": time.Tuesday, "WEDNESDAY": time.Wednesday, "THURSDAY": time.Thursday,
	"FRIDAY": time.Friday, "SATURDAY": time.Saturday, "SUNDAY": time.Sunday,
}

// timeOfDay parses "HH:MM" (UTC) as the time after midnight.
func timeOfDay(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a time of day HH:MM", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

func orTrue(b *bool) bool { return b == nil || *b }
