package vprotect

import (
	"context"
	"iter"
	"net/http"
	"strconv"
	"time"
)

// BackupsService lists backups and reads their details.
type BackupsService service

// BackupsAPI is the interface of BackupsService, for mocking.
type BackupsAPI interface {
	List(ctx context.Context, opts *BackupListOptions) ([]Backup, error)
	ListPage(ctx context.Context, opts *BackupListOptions) (Page[Backup], error)
	All(ctx context.Context, opts *BackupListOptions) iter.Seq2[Backup, error]
	ListForVM(ctx context.Context, vmGUID string) ([]Backup, error)
	Get(ctx context.Context, guid string) (*Backup, error)
	RestoreTargets(ctx context.Context, backupGUID string) ([]RestoreTarget, error)
	RestoreAs(ctx context.Context, backupGUID, restoredName string, progress func(*Task)) (*Task, error)
	SetDescription(ctx context.Context, guid, description string) error
	AcknowledgeWarnings(ctx context.Context, guid string) error
	ListMountable(ctx context.Context, vmGUID string) ([]Backup, error)
	FileSystems(ctx context.Context, backupGUID string) ([]FileSystem, error)
}

var _ BackupsAPI = (*BackupsService)(nil)

// BackupListOptions filters and pages the list of backups. A nil
// *BackupListOptions lists every backup.
type BackupListOptions struct {
	ListOptions

	// ProtectedEntity keeps the backups of one VM (its GUID), sent as "protected-entity".
	ProtectedEntity string
	// Statuses keeps the backups in any of these statuses, sent as repeated "status".
	Statuses []BackupStatus
	// From keeps the backups taken at or after this time, sent as "from" (ms).
	From time.Time
	// To keeps the backups taken before this time, sent as "to" (ms).
	To time.Time
	// OnlyMountable keeps the backups that can be mounted, sent as "only-mountable=true".
	OnlyMountable bool
}

// encode returns the query of the options; nil gives an empty query.
func (o *BackupListOptions) encode() (query, error) {
	q := query{}
	if o == nil {
		return q, nil
	}
	if err := o.ListOptions.addTo(q); err != nil {
		return nil, err
	}
	if !o.From.IsZero() && !o.To.IsZero() && o.To.Before(o.From) {
		return nil, argError("BackupListOptions.To", "must not be before From (%s), got %s", o.From, o.To)
	}
	q.set("protected-entity", o.ProtectedEntity)
	addAll(q, "status", o.Statuses)
	q.setTime("from", o.From)
	q.setTime("to", o.To)
	q.setBool("only-mountable", o.OnlyMountable)
	return q, nil
}

// Backup is one backup of a VM. List records may leave some fields empty;
// NetworkInterfaceCards comes only with Get.
type Backup struct {
	// GUID is the backup's id.
	GUID string `json:"guid"`
	// ProtectedEntity is the VM the backup is of.
	ProtectedEntity NameGuidAndType `json:"protectedEntity"`
	// Type is FULL or INCREMENTAL.
	Type Enum[BackupType] `json:"type"`
	// Status is the backup's status (SUCCESS, PARTIAL_SUCCESS, SUCCESS_REMOVED, …).
	Status Enum[BackupStatus] `json:"status"`
	// StatusInfo is the server's message about the status.
	StatusInfo string `json:"statusInfo"`
	// SnapshotTime is the time of the VM snapshot, the time a backup is shown by.
	SnapshotTime Timestamp `json:"snapshotTime"`
	// BackupTime is the time the backup was made.
	BackupTime Timestamp `json:"backupTime"`
	// Size is the backup's size in bytes.
	Size int64 `json:"size"`
	// EffectiveBackupSize is the size in bytes actually stored.
	EffectiveBackupSize int64 `json:"effectiveBackupSize"`
	// EffectiveBackupObjectsCount is the number of objects actually stored.
	EffectiveBackupObjectsCount int64 `json:"effectiveBackupObjectsCount"`
	// Warnings are the backup's warnings.
	Warnings []string `json:"warnings"`
	// WarningsPresent reports whether the backup has warnings.
	WarningsPresent bool `json:"warningsPresent"`
	// WarningsAcknowledged reports whether the warnings were acknowledged.
	WarningsAcknowledged bool `json:"warningsAcknowledged"`
	// Description is the user's description of the backup.
	Description string `json:"description"`
	// BackupLocations are the copies of the backup on its destinations.
	BackupLocations []BackupLocation `json:"backupLocations"`
	// BackupRule is the policy rule that produced the backup, or nil.
	BackupRule *NameAndGuid `json:"backupRule"`
	// OriginEntity is who started the backup (USER, SCHEDULE, SYSTEM_SCHEDULE), or nil.
	OriginEntity *NameGuidAndType `json:"originEntity"`
	// TaskTimeStats are the queue and run times of the backup's tasks.
	TaskTimeStats TaskTimeStats `json:"taskTimeStats"`
	// TaskDurationTime is the total time the backup's tasks took.
	TaskDurationTime Duration `json:"taskDurationTime"`
	// ParentBackup is the previous backup of an incremental chain, or nil.
	ParentBackup *NameAndGuid `json:"parentBackup"`
	// VMExportImportMode is how the VM's data was moved.
	VMExportImportMode Enum[VMExportImportMode] `json:"vmExportImportMode"`
	// SourceProject is the VM's project at backup time, or nil.
	SourceProject *NameAndGuid `json:"sourceProject"`
	// SourceNameAndGuid is the VM's name and GUID at backup time, or nil.
	SourceNameAndGuid *NameAndGuid `json:"sourceNameAndGuid"`
	// ArchiveExpire is when an archived backup expires.
	ArchiveExpire Timestamp `json:"archiveExpire"`
	// Hidden reports whether the backup is hidden.
	Hidden bool `json:"hidden"`
	// IscsiMountable reports whether the backup can be mounted over iSCSI (Get only).
	IscsiMountable bool `json:"iscsiMountable"`
	// NetworkInterfaceCards are the VM's NICs at backup time (Get only).
	NetworkInterfaceCards []NetworkInterfaceCard `json:"networkInterfaceCards"`
}

// IsSuccessful reports whether the backup succeeded (SUCCESS or PARTIAL_SUCCESS).
func (b *Backup) IsSuccessful() bool {
	return b.Status.Name == BackupStatusSuccess || b.Status.Name == BackupStatusPartialSuccess
}

// String describes the backup on one line: its type, GUID, VM, snapshot
// time (UTC; "-" when unset), status and size in bytes:
// "FULL backup 00000000-… of a-web-1, snapshot 2025-03-14 15:30:45 UTC, SUCCESS, 4294967296 bytes".
func (b Backup) String() string {
	s := "backup " + b.GUID
	if b.Type.Name != "" {
		s = string(b.Type.Name) + " " + s
	}
	if vm := b.ProtectedEntity.Name; vm != "" {
		s += " of " + vm
	}
	s += ", snapshot " + b.SnapshotTime.String()
	if b.Status.Name != "" {
		s += ", " + string(b.Status.Name)
	}
	return s + ", " + strconv.FormatInt(b.Size, 10) + " bytes"
}

// TaskTimeStats are how long a backup's tasks waited and ran.
type TaskTimeStats struct {
	QueuedExportTime Duration `json:"queuedExportTime"`
	ExportTime       Duration `json:"exportTime"`
	QueuedStoreTime  Duration `json:"queuedStoreTime"`
	StoreTime        Duration `json:"storeTime"`
}

// NetworkInterfaceCard is a NIC of a backed-up VM.
type NetworkInterfaceCard struct {
	GUID           string        `json:"guid"`
	UUID           string        `json:"uuid"`
	Name           string        `json:"name"`
	Network        *NameAndGuid  `json:"network"`
	VirtualMachine *NameAndGuid  `json:"virtualMachine"`
	Backups        []NameAndGuid `json:"backups"`
}

// List returns the backups that match opts (nil for all).
//
// vProtect API: GET /backups
func (s *BackupsService) List(ctx context.Context, opts *BackupListOptions) ([]Backup, error) {
	return listOf[Backup](ctx, s.client, "/backups", opts)
}

// ListPage returns one page of backups with the total count of the whole
// list (X-Total-Count; -1 when the server does not say).
//
// vProtect API: GET /backups
func (s *BackupsService) ListPage(ctx context.Context, opts *BackupListOptions) (Page[Backup], error) {
	return listPageOf[Backup](ctx, s.client, "/backups", opts)
}

// All iterates over every backup that matches opts, fetching pages of
// opts.Size (DefaultPageSize when 0); opts.Page is ignored. An error is
// yielded once and ends the iteration.
//
// vProtect API: GET /backups
func (s *BackupsService) All(ctx context.Context, opts *BackupListOptions) iter.Seq2[Backup, error] {
	return allOf[Backup](ctx, s.client, "/backups", opts)
}

// ListForVM returns every backup of the VM vmGUID.
//
// vProtect API: GET /backups?protected-entity={guid}
func (s *BackupsService) ListForVM(ctx context.Context, vmGUID string) ([]Backup, error) {
	if err := requireGUID("vmGUID", vmGUID); err != nil {
		return nil, err
	}
	return s.List(ctx, &BackupListOptions{ProtectedEntity: vmGUID})
}

// Get returns the details of the backup guid, with its locations and NICs.
//
// vProtect API: GET /backups/{guid}
func (s *BackupsService) Get(ctx context.Context, guid string) (*Backup, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	return getJSON[Backup](ctx, s.client, backupPath(guid), nil)
}

func backupPath(guid string) string { return "/backups/" + guidSegment(guid) }

// valueBody is the body of the calls that set one value ({"value": v}, the
// server's StringDTO): a backup's description, its warnings acknowledged, the
// VM a DELETE task removes.
type valueBody[T any] struct {
	Value T `json:"value"`
}

// newValueBody builds a valueBody; the values it carries need no checks
// beyond those of the positional arguments.
func newValueBody[T any](v T) *valueBody[T] { return &valueBody[T]{Value: v} }

// SetDescription sets the description of the backup guid, as the backup
// details dialog does; an empty description clears it.
//
// vProtect API: PUT /backups/{guid}/description
func (s *BackupsService) SetDescription(ctx context.Context, guid, description string) error {
	if err := requireGUID("guid", guid); err != nil {
		return err
	}
	_, err := s.client.do(ctx, &request{method: http.MethodPut, path: backupPath(guid) + "/description", body: newValueBody(description)})
	return err
}

// AcknowledgeWarnings marks the warnings of the backup guid as seen, as a
// click on the warning icon of the backup history does. The backup keeps its
// warnings; WarningsAcknowledged becomes true.
//
// vProtect API: PUT /backups/{guid}/warnings-acknowledged
func (s *BackupsService) AcknowledgeWarnings(ctx context.Context, guid string) error {
	if err := requireGUID("guid", guid); err != nil {
		return err
	}
	_, err := s.client.do(ctx, &request{method: http.MethodPut, path: backupPath(guid) + "/warnings-acknowledged", body: newValueBody(true)})
	return err
}
