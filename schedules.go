package vprotect

// SchedulesService manages backup schedules.
type SchedulesService service
