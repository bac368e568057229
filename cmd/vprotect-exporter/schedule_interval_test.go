package main

import (
	"testing"
	"time"

	"github.com/vprotect-go/vprotect"
)

func TestScheduleIntervals(t *testing.T) {
	h := time.Hour
	every := []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	monthly := vprotect.NewTimeSchedule("m", 22*h, 6*h, every...)
	monthly.Months = []vprotect.Enum[vprotect.Month]{vprotect.EnumOf(vprotect.MonthOf(time.March))}
	firstWeek := vprotect.NewTimeSchedule("w", 22*h, 6*h, every...)
	firstWeek.DayOfWeekOccurrences = []vprotect.Enum[vprotect.DayOfWeekOccurrence]{vprotect.EnumOf(vprotect.DayOfWeekOccurrenceFirst)}
	for _, tc := range []struct {
		name string
		s    *vprotect.Schedule
		want time.Duration
		ok   bool
	}{
		{"daily", vprotect.NewTimeSchedule("d", 22*h, 6*h, every...), 24 * h, true},
		{"Monday to Friday: Friday to Monday", vprotect.NewTimeSchedule("wd", 22*h, 6*h, vprotect.Weekdays()...), 72 * h, true},
		{"one day a week", vprotect.NewTimeSchedule("s", 3*h, h, time.Sunday), 7 * 24 * h, true},
		{"Saturday and Sunday: Sunday to Saturday", vprotect.NewTimeSchedule("we", 3*h, h, time.Saturday, time.Sunday), 6 * 24 * h, true},
		{"every 2 h from 8 to 18: the night", vprotect.NewIntervalSchedule("i", 8*h, 18*h, 2*h, every...), 14 * h, true},
		{"every 4 h all day", vprotect.NewIntervalSchedule("a", 0, 24*h, 4*h, every...), 4 * h, true},
		{"some months only", monthly, 0, false},
		{"first week only", firstWeek, 0, false},
		{"no day", &vprotect.Schedule{ExecutionType: vprotect.EnumOf(vprotect.ExecutionTypeTime), Hour: vprotect.Ptr(vprotect.TimeOfDay(h))}, 0, false},
	} {
		got, ok := maxInterval(tc.s)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: maxInterval = %s, %v; want %s, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// A VM's interval is its policy's most frequent active schedule of an
// active rule; an inactive policy, rule or schedule gives none.
func TestVMIntervals(t *testing.T) {
	h := time.Hour
	every := []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	daily := vprotect.NewTimeSchedule("daily", 22*h, 6*h, every...)
	daily.GUID, daily.Active = "s-daily", true
	weekly := vprotect.NewTimeSchedule("weekly", 22*h, 6*h, time.Sunday)
	weekly.GUID, weekly.Active = "s-weekly", true
	off := vprotect.NewTimeSchedule("off", 1*h, 6*h, every...)
	off.GUID, off.Active = "s-off", false
	rule := func(active bool, schedules ...string) vprotect.Rule {
		return vprotect.Rule{Active: active, Schedules: vprotect.Refs(schedules...)}
	}
	s := &snapshot{
		schedules: []vprotect.Schedule{*daily, *weekly, *off},
		policies: []vprotect.Policy{
			{GUID: "p-both", Active: true, Rules: []vprotect.Rule{rule(true, "s-weekly"), rule(true, "s-daily")}},
			{GUID: "p-weekly", Active: true, Rules: []vprotect.Rule{rule(true, "s-weekly"), rule(false, "s-daily")}},
			{GUID: "p-off", Active: false, Rules: []vprotect.Rule{rule(true, "s-daily")}},
			{GUID: "p-offschedule", Active: true, Rules: []vprotect.Rule{rule(true, "s-off")}},
		},
		vms: []vprotect.VirtualMachine{
			{GUID: "vm-both", VMBackupPolicy: vprotect.RefPtr("p-both")},
			{GUID: "vm-weekly", VMBackupPolicy: vprotect.RefPtr("p-weekly")},
			{GUID: "vm-off", VMBackupPolicy: vprotect.RefPtr("p-off")},
			{GUID: "vm-offschedule", VMBackupPolicy: vprotect.RefPtr("p-offschedule")},
			{GUID: "vm-none"},
		},
	}
	got := vmIntervals(s)
	want := map[string]time.Duration{"vm-both": 24 * h, "vm-weekly": 7 * 24 * h}
	if len(got) != len(want) || got["vm-both"] != want["vm-both"] || got["vm-weekly"] != want["vm-weekly"] {
		t.Fatalf("vmIntervals = %v, want %v", got, want)
	}
}
