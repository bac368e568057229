package vprotect

import (
	"context"
	"net/http"
	"time"
)

// SchedulesService manages backup schedules.
type SchedulesService service

// SchedulesAPI is the set of methods of SchedulesService, for mocking.
type SchedulesAPI interface {
	List(ctx context.Context, opts *ScheduleListOptions) ([]Schedule, error)
	Get(ctx context.Context, guid string) (*Schedule, error)
	Create(ctx context.Context, s *Schedule) (*Schedule, error)
	Update(ctx context.Context, guid string, s *Schedule) (*Schedule, error)
	Delete(ctx context.Context, guid string) error
}

var _ SchedulesAPI = (*SchedulesService)(nil)

// Schedule is a backup schedule: when the VMs of the policy rules it feeds
// are backed up. All times are UTC: Hour and the interval bounds are times
// of day after UTC midnight, and DaysOfWeek are UTC days.
//
// A TIME schedule starts backups at Hour and lets them start until Hour +
// StartWindowLength; an INTERVAL schedule starts them every
// Interval.Frequency between Interval.StartHour and Interval.EndHour.
// NewTimeSchedule and NewIntervalSchedule build either kind.
type Schedule struct {
	// GUID identifies the schedule; set by the server.
	GUID string `json:"guid,omitempty"`
	// Name must be unique on the whole server.
	Name string `json:"name"`
	// Active enables the schedule. It is always sent.
	Active bool `json:"active"`
	// Type is the kind of schedule (VM_BACKUP); it must match the policy
	// type. Create and Update send VM_BACKUP when it is unset.
	Type Enum[ScheduleType] `json:"type"`
	// BackupType is FULL or INCREMENTAL (or SYNCHRONIZATION). Create and
	// Update send FULL when it is unset.
	BackupType Enum[BackupType] `json:"backupType"`
	// ExecutionType is TIME or INTERVAL.
	ExecutionType Enum[ExecutionType] `json:"executionType"`
	// Hour is the start time of a TIME schedule; nil (null) for INTERVAL.
	Hour *TimeOfDay `json:"hour"`
	// StartWindowLength is how long after Hour backups may still start
	// (TIME schedules); nil (null) for INTERVAL.
	StartWindowLength *Duration `json:"startWindowLength"`
	// Interval is the setting of an INTERVAL schedule; nil (null) for TIME.
	Interval *ScheduleInterval `json:"interval"`
	// DaysOfWeek are the UTC days the schedule runs on (at least one).
	DaysOfWeek []Enum[DayOfWeek] `json:"daysOfWeek"`
	// DayOfWeekOccurrences limits the schedule to some weeks of the month;
	// empty means every week.
	DayOfWeekOccurrences []Enum[DayOfWeekOccurrence] `json:"dayOfWeekOccurrences"`
	// Months limits the schedule to some months; empty means every month.
	Months []Enum[Month] `json:"months"`
	// Rules are the policy rules this schedule feeds.
	Rules []NameAndGuid `json:"rules"`
	// Policies are the policies of those rules (response only).
	Policies []NameAndGuid `json:"policies,omitempty"`
	// TenantID is the tenant the schedule belongs to, which List can
	// filter by: the tenantId of 4.x servers. Requests send it as tenantId
	// and as projectUuid; answers fill it from either.
	TenantID string `json:"tenantId,omitempty"`
	// ProjectUUID is the 7.x name of TenantID (projectUuid): set either
	// (both only to the same value). A 7.x server also takes the project
	// from the caller's scope (the Horizon proxy's project-uuid).
	ProjectUUID string `json:"projectUuid,omitempty"`
	// LastRun is when the schedule last ran (response only; zero if never).
	LastRun Timestamp `json:"lastRun"`
}

// ScheduleInterval is the setting of an INTERVAL schedule.
type ScheduleInterval struct {
	// StartHour is the time of day the first backup starts.
	StartHour TimeOfDay `json:"startHour"`
	// EndHour is the time of day after which no backup starts; at most 24 h.
	EndHour TimeOfDay `json:"endHour"`
	// Frequency is the time between two starts.
	Frequency Duration `json:"frequency"`
}

// NewTimeSchedule returns an active VM_BACKUP schedule of FULL backups that
// starts at the time of day at (after UTC midnight) on the given UTC days,
// with a start window of window. Set BackupType for incremental backups and
// Rules or TenantID as needed before Create.
//
// The days are a list, not a range: time.Monday, time.Friday is those two
// days only. Weekdays() is Monday to Friday, WeekdayRange any other span,
// and no days means every day.
//
//	s := vprotect.NewTimeSchedule("nightly", 22*time.Hour, 6*time.Hour, vprotect.Weekdays()...)
//	s := vprotect.NewTimeSchedule("twice-a-week", 3*time.Hour, 2*time.Hour, time.Monday, time.Thursday)
func NewTimeSchedule(name string, at, window time.Duration, days ...time.Weekday) *Schedule {
	hour, win := TimeOfDay(at), Duration(window)
	return &Schedule{
		Name:              name,
		Active:            true,
		Type:              EnumOf(ScheduleTypeVMBackup),
		BackupType:        EnumOf(BackupTypeFull),
		ExecutionType:     EnumOf(ExecutionTypeTime),
		Hour:              &hour,
		StartWindowLength: &win,
		DaysOfWeek:        weekdays(days),
	}
}

// NewIntervalSchedule returns an active VM_BACKUP schedule of FULL backups
// that starts a backup every "every" between the times of day start and end
// (after UTC midnight) on the given UTC days. As for NewTimeSchedule the
// days are a list: for Monday to Friday give Weekdays() (or
// WeekdayRange(time.Monday, time.Friday)), not time.Monday, time.Friday.
//
//	s := vprotect.NewIntervalSchedule("office-hours", 8*time.Hour, 18*time.Hour, 2*time.Hour, vprotect.Weekdays()...)
func NewIntervalSchedule(name string, start, end, every time.Duration, days ...time.Weekday) *Schedule {
	return &Schedule{
		Name:          name,
		Active:        true,
		Type:          EnumOf(ScheduleTypeVMBackup),
		BackupType:    EnumOf(BackupTypeFull),
		ExecutionType: EnumOf(ExecutionTypeInterval),
		Interval: &ScheduleInterval{
			StartHour: TimeOfDay(start),
			EndHour:   TimeOfDay(end),
			Frequency: Duration(every),
		},
		DaysOfWeek: weekdays(days),
	}
}

// Weekdays returns Monday to Friday, for the days of a schedule:
// NewTimeSchedule(name, at, window, vprotect.Weekdays()...).
func Weekdays() []time.Weekday {
	return WeekdayRange(time.Monday, time.Friday)
}

// WeekdayRange returns the days from "from" to "to", both included, in
// week order and wrapping past Saturday: WeekdayRange(time.Monday,
// time.Friday) is Monday to Friday, WeekdayRange(time.Friday, time.Monday)
// is Friday, Saturday, Sunday and Monday, and from == to is that one day.
// Values outside Sunday..Saturday wrap around as in Weekday.
func WeekdayRange(from, to time.Weekday) []time.Weekday {
	from, to = (from%7+7)%7, (to%7+7)%7
	days := []time.Weekday{from}
	for d := from; d != to; {
		d = (d + 1) % 7
		days = append(days, d)
	}
	return days
}

// weekdays converts time.Weekdays to DayOfWeek enum values.
func weekdays(days []time.Weekday) []Enum[DayOfWeek] {
	out := make([]Enum[DayOfWeek], len(days))
	for i, d := range days {
		out[i] = EnumOf(Weekday(d))
	}
	return out
}

// ScheduleListOptions filters a schedule list. The server does not page it.
type ScheduleListOptions struct {
	// TenantID lists the schedules of one tenant, sent as "tenantid" (4.x)
	// and as "project-uuid" (7.x).
	TenantID string
	// ProjectUUID is the 7.x name of TenantID: set either (both only to
	// the same value); it is sent in the same two spellings.
	ProjectUUID string
	// Type lists schedules of one kind, e.g. ScheduleTypeVMBackup.
	Type ScheduleType
	// ProtectedEntity lists the schedules that apply to the VM with this GUID.
	ProtectedEntity string
}

func (o *ScheduleListOptions) encode() (query, error) {
	q := query{}
	if o == nil {
		return q, nil
	}
	if err := q.setTenant("ScheduleListOptions", "tenantid", o.TenantID, o.ProjectUUID); err != nil {
		return nil, err
	}
	q.set("type", string(o.Type))
	q.set("protected-entity", o.ProtectedEntity)
	return q, nil
}

// List returns the schedules that match opts (nil lists all).
//
// vProtect API: GET /schedules
func (s *SchedulesService) List(ctx context.Context, opts *ScheduleListOptions) ([]Schedule, error) {
	out, err := listOf[Schedule](ctx, s.client, "/schedules", opts)
	for i := range out {
		out[i].complete()
	}
	return out, err
}

// complete fills what the server left to the other generation's spelling
// (TenantID or ProjectUUID).
func (sch *Schedule) complete() {
	if sch != nil {
		completeTenant(&sch.TenantID, &sch.ProjectUUID)
	}
}

// Get returns the schedule with the given GUID.
//
// vProtect API: GET /schedules/{guid}
func (s *SchedulesService) Get(ctx context.Context, guid string) (*Schedule, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	out, err := getJSON[Schedule](ctx, s.client, schedulePath(guid), nil)
	out.complete()
	return out, err
}

// Create creates a schedule and returns it with its GUID. The schedule is
// checked first (see Schedule); nothing is sent when it is invalid.
// Unset Type and BackupType are sent as VM_BACKUP and FULL; sch is not
// modified.
//
// vProtect API: POST /schedules
func (s *SchedulesService) Create(ctx context.Context, sch *Schedule) (*Schedule, error) {
	body, err := newScheduleBody("", sch)
	if err != nil {
		return nil, err
	}
	out, err := sendJSON[Schedule](ctx, s.client, http.MethodPost, "/schedules", createScope(body.ProjectUUID), body)
	out.complete()
	return out, err
}

// Update replaces the schedule with the given GUID by sch: it is a full
// PUT, so fields left empty are cleared on the server. To change a few
// fields, Get the schedule, modify it and Update it:
//
//	sch, err := c.Schedules.Get(ctx, guid)
//	if err != nil { ... }
//	sch.Active = false
//	sch, err = c.Schedules.Update(ctx, guid, sch)
//
// sch.GUID may be empty or must equal guid. When the server answers without
// a body, Update returns the schedule as sent.
//
// vProtect API: PUT /schedules/{guid}
func (s *SchedulesService) Update(ctx context.Context, guid string, sch *Schedule) (*Schedule, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	body, err := newScheduleBody(guid, sch)
	if err != nil {
		return nil, err
	}
	out, err := sendJSON[Schedule](ctx, s.client, http.MethodPut, schedulePath(guid), createScope(body.ProjectUUID), body)
	if err != nil {
		return nil, err
	}
	if out.GUID == "" {
		sent := *sch
		sent.GUID = guid
		sent.complete()
		return &sent, nil
	}
	out.complete()
	return out, nil
}

// Delete deletes the schedule with the given GUID.
//
// vProtect API: DELETE /schedules/{guid}
func (s *SchedulesService) Delete(ctx context.Context, guid string) error {
	if err := requireGUID("guid", guid); err != nil {
		return err
	}
	_, err := s.client.do(ctx, &request{method: http.MethodDelete, path: schedulePath(guid)})
	return err
}

func schedulePath(guid string) string { return "/schedules/" + guidSegment(guid) }

// scheduleBody is the body of a schedule create or update: the request
// fields of Schedule, with references and enums in their request form.
type scheduleBody struct {
	GUID                 string                      `json:"guid,omitempty"`
	Name                 string                      `json:"name"`
	Active               bool                        `json:"active"`
	Type                 Enum[ScheduleType]          `json:"type"`
	BackupType           Enum[BackupType]            `json:"backupType"`
	ExecutionType        Enum[ExecutionType]         `json:"executionType"`
	Hour                 *TimeOfDay                  `json:"hour"`
	StartWindowLength    *Duration                   `json:"startWindowLength"`
	Interval             *ScheduleInterval           `json:"interval"`
	DaysOfWeek           []Enum[DayOfWeek]           `json:"daysOfWeek"`
	DayOfWeekOccurrences []Enum[DayOfWeekOccurrence] `json:"dayOfWeekOccurrences"`
	Months               []Enum[Month]               `json:"months"`
	Rules                []NameAndGuid               `json:"rules"`
	TenantID             string                      `json:"tenantId,omitempty"`
	ProjectUUID          string                      `json:"projectUuid,omitempty"`
}

// newScheduleBody checks sch and builds the body that creates it (guid
// empty) or updates the schedule guid with it. The fields of the other
// execution type are sent as null, as the vendor UI does.
func newScheduleBody(guid string, sch *Schedule) (*scheduleBody, error) {
	if err := checkSchedule(guid, sch); err != nil {
		return nil, err
	}
	tenant, err := oneTenant("Schedule", sch.TenantID, sch.ProjectUUID)
	if err != nil {
		return nil, err
	}
	r := &scheduleBody{
		GUID:                 guid,
		Name:                 sch.Name,
		Active:               sch.Active,
		Type:                 reqEnum(sch.Type),
		BackupType:           reqEnum(sch.BackupType),
		ExecutionType:        reqEnum(sch.ExecutionType),
		Hour:                 sch.Hour,
		StartWindowLength:    sch.StartWindowLength,
		Interval:             sch.Interval,
		DaysOfWeek:           reqEnums(sch.DaysOfWeek),
		DayOfWeekOccurrences: reqEnums(sch.DayOfWeekOccurrences),
		Months:               reqEnums(sch.Months),
		Rules:                reqRefs(sch.Rules),
		TenantID:             tenant,
		ProjectUUID:          tenant,
	}
	if r.Type.IsZero() {
		r.Type = EnumOf(ScheduleTypeVMBackup)
	}
	if r.BackupType.IsZero() {
		r.BackupType = EnumOf(BackupTypeFull)
	}
	switch sch.ExecutionType.Name {
	case ExecutionTypeTime:
		r.Interval = nil
	case ExecutionTypeInterval:
		r.Hour, r.StartWindowLength = nil, nil
	}
	return r, nil
}

// scheduleDayLength is the length of a day, the bound of a time of day.
const scheduleDayLength = 24 * time.Hour

// checkSchedule checks what the server needs of a schedule.
func checkSchedule(guid string, s *Schedule) error {
	if err := checkBody("schedule", s); err != nil {
		return err
	}
	if err := checkUpdateGUID("Schedule", s.GUID, guid); err != nil {
		return err
	}
	if s.Name == "" {
		return argError("Schedule.Name", "must not be empty")
	}
	switch s.ExecutionType.Name {
	case "":
		return argError("Schedule.ExecutionType", "must be set (TIME or INTERVAL)")
	case ExecutionTypeTime:
		switch {
		case s.Hour == nil:
			return argError("Schedule.Hour", "must be set for a TIME schedule")
		case *s.Hour < 0 || time.Duration(*s.Hour) >= scheduleDayLength:
			return argError("Schedule.Hour", "must be in [0, 24h), got %v", time.Duration(*s.Hour))
		case s.StartWindowLength == nil || *s.StartWindowLength <= 0:
			return argError("Schedule.StartWindowLength", "must be positive for a TIME schedule")
		}
	case ExecutionTypeInterval:
		iv := s.Interval
		switch {
		case iv == nil:
			return argError("Schedule.Interval", "must be set for an INTERVAL schedule")
		case iv.StartHour < 0:
			return argError("Schedule.Interval.StartHour", "must not be negative, got %v", time.Duration(iv.StartHour))
		case time.Duration(iv.EndHour) > scheduleDayLength:
			return argError("Schedule.Interval.EndHour", "must be at most 24h, got %v", time.Duration(iv.EndHour))
		case iv.StartHour >= iv.EndHour:
			return argError("Schedule.Interval.EndHour", "must be after StartHour (%v), got %v", iv.StartHour, iv.EndHour)
		case iv.Frequency <= 0:
			return argError("Schedule.Interval.Frequency", "must be positive, got %v", iv.Frequency)
		}
	}
	if len(s.DaysOfWeek) == 0 {
		return argError("Schedule.DaysOfWeek", "must hold at least one day")
	}
	for i, d := range s.DaysOfWeek {
		if d.IsZero() {
			return argError(indexed("Schedule.DaysOfWeek", i), "must not be empty")
		}
	}
	return nil
}
