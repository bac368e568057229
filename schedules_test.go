package vprotect

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSchedulesList(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/schedules", 200, fixture(t, "schedule_list.json"))

	got, err := c.Schedules.List(context.Background(), &ScheduleListOptions{
		ProjectUUID: "proj-1", Type: ScheduleTypeVMBackup, ProtectedEntity: "vm-1",
	})
	require.NoError(t, err)
	req := captor.only(t)
	assert.Equal(t, url.Values{
		"tenantid": {"proj-1"}, "project-uuid": {"proj-1"}, "type": {"VM_BACKUP"}, "protected-entity": {"vm-1"},
	}, req.Query)

	require.Len(t, got, 2)
	assert.Equal(t, ExecutionTypeTime, got[0].ExecutionType.Name)
	require.NotNil(t, got[0].Hour)
	assert.Equal(t, 10*time.Hour, got[0].Hour.Std())
	assert.Nil(t, got[0].Interval)
	assert.True(t, got[0].LastRun.IsZero())

	iv := got[1]
	assert.Equal(t, "sched-0002", iv.GUID)
	assert.False(t, iv.Active)
	assert.Equal(t, ExecutionTypeInterval, iv.ExecutionType.Name)
	assert.Nil(t, iv.Hour)
	assert.Nil(t, iv.StartWindowLength)
	require.NotNil(t, iv.Interval)
	assert.Equal(t, ScheduleInterval{StartHour: 0, EndHour: TimeOfDay(21*time.Hour + 59*time.Minute), Frequency: Duration(2 * time.Hour)}, *iv.Interval)
	assert.Equal(t, []Enum[DayOfWeek]{{Name: DayOfWeekSaturday, Description: "Saturday"}, {Name: DayOfWeekSunday, Description: "Sunday"}}, iv.DaysOfWeek)
	assert.Empty(t, iv.Rules)
}

func TestSchedulesListNilOptions(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/schedules", 200, "[]")
	got, err := c.Schedules.List(context.Background(), nil)
	require.NoError(t, err)
	assert.NotNil(t, got)
	assert.Empty(t, got)
	assert.Empty(t, captor.only(t).Query)
}

func TestSchedulesGet(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/schedules/a%2Fb%20c", 200, fixture(t, "schedule_time.json"))

	s, err := c.Schedules.Get(context.Background(), "a/b c")
	require.NoError(t, err)
	assert.Equal(t, "/schedules/a%2Fb%20c", captor.only(t).Path)

	hour, window := TimeOfDay(10*time.Hour), Duration(6*time.Hour)
	want := &Schedule{
		GUID:                 "sched-0001",
		Name:                 "tenant-a-daily",
		Active:               true,
		Type:                 Enum[ScheduleType]{Name: ScheduleTypeVMBackup, Description: "VM backup"},
		BackupType:           Enum[BackupType]{Name: BackupTypeIncremental, Description: "Incremental"},
		ExecutionType:        Enum[ExecutionType]{Name: ExecutionTypeTime, Description: "Time"},
		Hour:                 &hour,
		StartWindowLength:    &window,
		DaysOfWeek:           []Enum[DayOfWeek]{{Name: DayOfWeekMonday, Description: "Monday"}, {Name: DayOfWeekWednesday, Description: "Wednesday"}},
		DayOfWeekOccurrences: []Enum[DayOfWeekOccurrence]{{Name: DayOfWeekOccurrenceFirst, Description: "First in month"}},
		Months:               []Enum[Month]{{Name: MonthJanuary, Description: "January"}, {Name: MonthJuly, Description: "July"}},
		Rules:                []NameAndGuid{{GUID: "rule-0001", Name: "Default"}},
		Policies:             []NameAndGuid{{GUID: "pol-0001", Name: "tenant-a-policy"}},
		TenantID:             "tenant-a",
		ProjectUUID:          "tenant-a", // filled from tenantId, the spelling of the answer
		LastRun:              TimestampOf(time.UnixMilli(1717236000000)),
	}
	assert.Equal(t, want, s)
}

func TestSchedulesCreate(t *testing.T) {
	cases := []struct {
		name   string
		golden string
		sched  func() *Schedule
	}{
		{"time", "schedule_create_time.json", func() *Schedule {
			s := NewTimeSchedule("tenant-a-daily", 10*time.Hour, 6*time.Hour, time.Monday, time.Wednesday)
			s.Rules = []NameAndGuid{{GUID: "rule-guid", Name: "Default"}}
			s.TenantID = "tenant-a"
			// Set by mistake for a TIME schedule: not sent.
			s.Interval = &ScheduleInterval{StartHour: 0, EndHour: TimeOfDay(time.Hour), Frequency: Duration(time.Minute)}
			return s
		}},
		{"interval", "schedule_create_interval.json", func() *Schedule {
			s := NewIntervalSchedule("tenant-a-office-hours", 0, 21*time.Hour+59*time.Minute, 2*time.Hour, time.Saturday, time.Sunday)
			s.BackupType = EnumOf(BackupTypeIncremental)
			s.Months = EnumsOf(MonthJanuary)
			s.DayOfWeekOccurrences = EnumsOf(DayOfWeekOccurrenceLast)
			return s
		}},
		{"defaults and inactive", "schedule_create_defaults.json", func() *Schedule {
			h, w := TimeOfDay(0), Duration(time.Hour)
			return &Schedule{
				Name:              "minimal",
				ExecutionType:     Enum[ExecutionType]{Name: ExecutionTypeTime, Description: "Time"},
				Hour:              &h,
				StartWindowLength: &w,
				DaysOfWeek:        []Enum[DayOfWeek]{{Name: DayOfWeekFriday, Description: "Friday"}},
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newTestClient(t)
			captor := respondJSON(mt, http.MethodPost, "/schedules", 201, fixture(t, "schedule_time.json"))
			in := tc.sched()
			before := *in
			got, err := c.Schedules.Create(context.Background(), in)
			require.NoError(t, err)
			assert.Equal(t, "sched-0001", got.GUID)
			assert.Equal(t, before, *in, "the caller's schedule must not change")
			req := captor.only(t)
			assert.Equal(t, "/schedules", req.Path)
			assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
			assertGolden(t, tc.golden, req.Body)
		})
	}
}

func TestSchedulesUpdate(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodPut, "/schedules/a%2Fb%20c", 200, fixture(t, "schedule_time.json"))

	// Get-modify-put: what Get returned, changed, goes back in request form.
	var s Schedule
	require.NoError(t, json.Unmarshal(fixture(t, "schedule_time.json"), &s))
	s.GUID = ""
	s.Active = false

	got, err := c.Schedules.Update(context.Background(), "a/b c", &s)
	require.NoError(t, err)
	assert.Equal(t, "sched-0001", got.GUID)
	req := captor.only(t)
	assert.Equal(t, "/schedules/a%2Fb%20c", req.Path)
	assertGolden(t, "schedule_update.json", req.Body)
}

func TestSchedulesUpdateEmptyAnswer(t *testing.T) {
	c, mt := newTestClient(t)
	respondJSON(mt, http.MethodPut, "/schedules/sched-1", 204, nil)
	in := NewTimeSchedule("n", time.Hour, time.Hour, time.Monday)
	got, err := c.Schedules.Update(context.Background(), "sched-1", in)
	require.NoError(t, err)
	assert.Equal(t, "sched-1", got.GUID)
	assert.Equal(t, "n", got.Name)
	assert.Empty(t, in.GUID, "the caller's schedule must not change")
}

func TestSchedulesDelete(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodDelete, "/schedules/a%2Fb%20c", 204, nil)
	require.NoError(t, c.Schedules.Delete(context.Background(), "a/b c"))
	req := captor.only(t)
	assert.Equal(t, "/schedules/a%2Fb%20c", req.Path)
	assert.Empty(t, req.Body)
}

func TestSchedulesBadArguments(t *testing.T) {
	ctx := context.Background()
	valid := func() *Schedule { return NewTimeSchedule("n", time.Hour, time.Hour, time.Monday) }
	validInterval := func() *Schedule { return NewIntervalSchedule("n", time.Hour, 2*time.Hour, time.Minute, time.Monday) }
	cases := []struct {
		name  string
		field string
		call  func(c *Client) error
	}{
		{"Get empty guid", "guid", func(c *Client) error { _, err := c.Schedules.Get(ctx, ""); return err }},
		{"Delete empty guid", "guid", func(c *Client) error { return c.Schedules.Delete(ctx, " ") }},
		{"Update empty guid", "guid", func(c *Client) error { _, err := c.Schedules.Update(ctx, "", valid()); return err }},
		{"Create nil", "schedule", func(c *Client) error { _, err := c.Schedules.Create(ctx, nil); return err }},
		{"Update nil", "schedule", func(c *Client) error { _, err := c.Schedules.Update(ctx, "g", nil); return err }},
		{"Update other guid", "Schedule.GUID", func(c *Client) error {
			s := valid()
			s.GUID = "other"
			_, err := c.Schedules.Update(ctx, "g", s)
			return err
		}},
	}
	mutations := []struct {
		name  string
		field string
		base  func() *Schedule
		edit  func(s *Schedule)
	}{
		{"empty name", "Schedule.Name", valid, func(s *Schedule) { s.Name = "" }},
		{"no execution type", "Schedule.ExecutionType", valid, func(s *Schedule) { s.ExecutionType = Enum[ExecutionType]{} }},
		{"TIME without hour", "Schedule.Hour", valid, func(s *Schedule) { s.Hour = nil }},
		{"TIME hour 24h", "Schedule.Hour", valid, func(s *Schedule) { h := TimeOfDay(24 * time.Hour); s.Hour = &h }},
		{"TIME negative hour", "Schedule.Hour", valid, func(s *Schedule) { h := TimeOfDay(-time.Millisecond); s.Hour = &h }},
		{"TIME without window", "Schedule.StartWindowLength", valid, func(s *Schedule) { s.StartWindowLength = nil }},
		{"TIME zero window", "Schedule.StartWindowLength", valid, func(s *Schedule) { w := Duration(0); s.StartWindowLength = &w }},
		{"INTERVAL without interval", "Schedule.Interval", validInterval, func(s *Schedule) { s.Interval = nil }},
		{"INTERVAL negative start", "Schedule.Interval.StartHour", validInterval, func(s *Schedule) { s.Interval.StartHour = -1 }},
		{"INTERVAL end past midnight", "Schedule.Interval.EndHour", validInterval, func(s *Schedule) { s.Interval.EndHour = TimeOfDay(25 * time.Hour) }},
		{"INTERVAL start not before end", "Schedule.Interval.EndHour", validInterval, func(s *Schedule) { s.Interval.EndHour = s.Interval.StartHour }},
		{"INTERVAL zero frequency", "Schedule.Interval.Frequency", validInterval, func(s *Schedule) { s.Interval.Frequency = 0 }},
		{"no days", "Schedule.DaysOfWeek", valid, func(s *Schedule) { s.DaysOfWeek = nil }},
		{"empty day", "Schedule.DaysOfWeek[1]", valid, func(s *Schedule) { s.DaysOfWeek = append(s.DaysOfWeek, Enum[DayOfWeek]{}) }},
	}
	for _, m := range mutations {
		m := m
		cases = append(cases,
			struct {
				name  string
				field string
				call  func(c *Client) error
			}{"Create " + m.name, m.field, func(c *Client) error {
				s := m.base()
				m.edit(s)
				_, err := c.Schedules.Create(ctx, s)
				return err
			}},
			struct {
				name  string
				field string
				call  func(c *Client) error
			}{"Update " + m.name, m.field, func(c *Client) error {
				s := m.base()
				m.edit(s)
				_, err := c.Schedules.Update(ctx, "g", s)
				return err
			}})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newTestClient(t) // any request fails the test
			requireArgError(t, tc.call(c), tc.field)
		})
	}
}

func TestNewSchedules(t *testing.T) {
	s := NewTimeSchedule("n", 22*time.Hour, 6*time.Hour, time.Sunday, time.Saturday)
	assert.True(t, s.Active)
	assert.Equal(t, ScheduleTypeVMBackup, s.Type.Name)
	assert.Equal(t, BackupTypeFull, s.BackupType.Name)
	assert.Equal(t, ExecutionTypeTime, s.ExecutionType.Name)
	assert.Equal(t, TimeOfDay(22*time.Hour), *s.Hour)
	assert.Equal(t, Duration(6*time.Hour), *s.StartWindowLength)
	assert.Equal(t, EnumsOf(DayOfWeekSunday, DayOfWeekSaturday), s.DaysOfWeek)
	assert.Nil(t, s.Interval)

	i := NewIntervalSchedule("n", time.Hour, 2*time.Hour, 15*time.Minute, time.Tuesday)
	assert.True(t, i.Active)
	assert.Equal(t, ExecutionTypeInterval, i.ExecutionType.Name)
	assert.Nil(t, i.Hour)
	assert.Nil(t, i.StartWindowLength)
	assert.Equal(t, &ScheduleInterval{StartHour: TimeOfDay(time.Hour), EndHour: TimeOfDay(2 * time.Hour), Frequency: Duration(15 * time.Minute)}, i.Interval)
	assert.Equal(t, EnumsOf(DayOfWeekTuesday), i.DaysOfWeek)
}

// Monday to Friday is a range: Weekdays() gives the five days, where
// time.Monday, time.Friday is those two days only.
func TestWeekdaysAndRanges(t *testing.T) {
	assert.Equal(t, []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}, Weekdays())
	assert.Equal(t, []time.Weekday{time.Friday, time.Saturday, time.Sunday, time.Monday}, WeekdayRange(time.Friday, time.Monday), "wraps past Saturday")
	assert.Equal(t, []time.Weekday{time.Wednesday}, WeekdayRange(time.Wednesday, time.Wednesday))
	assert.Len(t, WeekdayRange(time.Sunday, time.Saturday), 7)
	assert.Equal(t, []time.Weekday{time.Saturday, time.Sunday}, WeekdayRange(time.Saturday+7, time.Sunday-7), "out of range values wrap")

	office := NewIntervalSchedule("office-hours", 8*time.Hour, 18*time.Hour, 2*time.Hour, Weekdays()...)
	assert.Equal(t, EnumsOf(DayOfWeekMonday, DayOfWeekTuesday, DayOfWeekWednesday, DayOfWeekThursday, DayOfWeekFriday), office.DaysOfWeek)
	two := NewIntervalSchedule("two-days", 8*time.Hour, 18*time.Hour, 2*time.Hour, time.Monday, time.Friday)
	assert.Equal(t, EnumsOf(DayOfWeekMonday, DayOfWeekFriday), two.DaysOfWeek, "a list of days, not a range")
}

// MonthOf converts a time.Month by name; the conversion Month(m) that
// compiles is not the same (it is one rune).
func TestMonthOf(t *testing.T) {
	want := []Month{MonthJanuary, MonthFebruary, MonthMarch, MonthApril, MonthMay, MonthJune, MonthJuly,
		MonthAugust, MonthSeptember, MonthOctober, MonthNovember, MonthDecember}
	for i, w := range want {
		m := time.Month(i + 1)
		assert.Equal(t, w, MonthOf(m), "MonthOf(%s)", m)
		assert.Equal(t, strings.ToUpper(m.String()), string(MonthOf(m)))
		assert.True(t, MonthOf(m).IsKnown())
	}
	assert.Equal(t, MonthDecember, MonthOf(0), "wraps")
	assert.Equal(t, MonthJanuary, MonthOf(13), "wraps")
	conv := reflect.ValueOf(time.March).Convert(reflect.TypeOf(Month(""))).Interface().(Month) // Month(time.March), which vet rejects
	assert.NotEqual(t, MonthMarch, conv, "the conversion is the trap the doc warns of")
	assert.Equal(t, Month("\x03"), conv)
	for d := time.Sunday; d <= time.Saturday; d++ {
		assert.Equal(t, strings.ToUpper(d.String()), string(Weekday(d)))
	}
}
