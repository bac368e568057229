package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/vprotect-go/vprotect"
)

// Desired is the file: the schedules and policies (with their rules) a
// tenant should have. Everything of the tenant whose name starts with Prefix
// is managed: created, updated and deleted to match. Other objects are
// never touched.
type Desired struct {
	// Tenant is the tenant id (OpenStack project id) the objects are tagged
	// with; empty means VPROTECT_TENANT.
	Tenant string `json:"tenant"`
	// Prefix marks the managed objects; every name must start with it.
	Prefix    string            `json:"prefix"`
	Schedules []DesiredSchedule `json:"schedules"`
	Policies  []DesiredPolicy   `json:"policies"`
}

// DesiredSchedule is a TIME schedule (at, window) or an INTERVAL one
// (every, from, to). Times of day are UTC, "HH:MM".
type DesiredSchedule struct {
	Name       string   `json:"name"`
	BackupType string   `json:"backupType"` // FULL (default) or INCREMENTAL
	At         string   `json:"at"`
	Window     string   `json:"window"` // e.g. "4h"
	Every      string   `json:"every"`  // e.g. "2h"
	From       string   `json:"from"`
	To         string   `json:"to"`
	Days       []string `json:"days"`   // MONDAY ... SUNDAY
	Active     *bool    `json:"active"` // default true
}

// DesiredPolicy is a policy with its VMs (by name) and rules.
type DesiredPolicy struct {
	Name     string        `json:"name"`
	Priority *int          `json:"priority"` // default 50
	Active   *bool         `json:"active"`   // default true
	VMs      []string      `json:"vms"`
	Rules    []DesiredRule `json:"rules"`
}

// DesiredRule is a rule of a policy: its schedules (by name) and its
// primary backup destination (by name).
type DesiredRule struct {
	Name        string   `json:"name"`
	Schedules   []string `json:"schedules"`
	Destination string   `json:"destination"`
	Active      *bool    `json:"active"` // default true
}

// load reads and checks a desired-state file. Unknown members are errors,
// so that a typo does not silently change nothing.
func load(path string) (*Desired, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-file: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var d Desired
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := d.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &d, nil
}

func (d *Desired) check() error {
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
