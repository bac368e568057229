package vprotect

import (
	"context"
	"time"
)

// RestoreJobsService lists restore jobs: the history of restores of VMs, as
// the restores tab of the VM page shows it.
type RestoreJobsService service

// RestoreJobsAPI is the interface of RestoreJobsService, for mocking.
type RestoreJobsAPI interface {
	List(ctx context.Context, opts *RestoreJobListOptions) ([]RestoreJob, error)
}

var _ RestoreJobsAPI = (*RestoreJobsService)(nil)

// RestoreJob is one restore of a backup: a restore to files, a restore and
// import as a VM, or a restore and mount.
type RestoreJob struct {
	// GUID is the restore job's id.
	GUID string `json:"guid"`
	// ProtectedEntity is the VM whose backup was restored, or nil.
	ProtectedEntity *NameGuidAndType `json:"protectedEntity"`
	// RestoreTime is when the restore was made.
	RestoreTime Timestamp `json:"restoreTime"`
	// Backup is the restored backup (its snapshot time and size at least).
	Backup Backup `json:"backup"`
	// Status is the restore's status, as its tasks ended.
	Status EnumNameAndDescription `json:"status"`
	// StatusInfo is the server's message about the status.
	StatusInfo string `json:"statusInfo"`
	// RestoreType is RESTORE, RESTORE_AND_IMPORT or RESTORE_AND_MOUNT.
	RestoreType Enum[RestoreType] `json:"restoreType"`
	// TaskTimeStats are the queue and run times of the restore's tasks.
	TaskTimeStats RestoreTaskTimeStats `json:"taskTimeStats"`
}

// RestoreTaskTimeStats are how long a restore's tasks waited and ran.
type RestoreTaskTimeStats struct {
	QueuedRestoreTime Duration `json:"queuedRestoreTime"`
	RestoreTime       Duration `json:"restoreTime"`
	QueuedImportTime  Duration `json:"queuedImportTime"`
	ImportTime        Duration `json:"importTime"`
	QueuedMountTime   Duration `json:"queuedMountTime"`
	MountTime         Duration `json:"mountTime"`
}

// RestoreJobListOptions filters the list of restore jobs. A nil
// *RestoreJobListOptions lists every restore job.
type RestoreJobListOptions struct {
	// ProtectedEntity keeps the restores of one VM's backups (its GUID), sent as "protected-entity".
	ProtectedEntity string
	// From keeps the restores made at or after this time, sent as "from" (ms).
	From time.Time
	// To keeps the restores made at or before this time, sent as "to" (ms).
	To time.Time
}

// encode returns the query of the options; nil gives an empty query.
func (o *RestoreJobListOptions) encode() (query, error) {
	q := query{}
	if o == nil {
		return q, nil
	}
	if !o.From.IsZero() && !o.To.IsZero() && o.To.Before(o.From) {
		return nil, argError("RestoreJobListOptions.To", "must not be before From (%s), got %s", o.From, o.To)
	}
	q.set("protected-entity", o.ProtectedEntity)
	q.setTime("from", o.From)
	q.setTime("to", o.To)
	return q, nil
}

// List returns the restore jobs that match opts (nil for all).
//
// vProtect API: GET /restore-jobs
func (s *RestoreJobsService) List(ctx context.Context, opts *RestoreJobListOptions) ([]RestoreJob, error) {
	return listOf[RestoreJob](ctx, s.client, "/restore-jobs", opts)
}
