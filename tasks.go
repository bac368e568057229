package vprotect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// TasksService lists, starts, cancels and waits for tasks.
type TasksService service

// TasksAPI is the interface of TasksService, for mocking.
type TasksAPI interface {
	List(ctx context.Context, opts *TaskListOptions) ([]Task, error)
	ListSince(ctx context.Context, since time.Time, opts *TaskListOptions) ([]Task, error)
	ListPage(ctx context.Context, opts *TaskListOptions) (Page[Task], error)
	All(ctx context.Context, opts *TaskListOptions) iter.Seq2[Task, error]
	Get(ctx context.Context, guid string) (*Task, error)
	Export(ctx context.Context, req ExportRequest) (*ExportResult, error)
	RestoreAndImport(ctx context.Context, req RestoreRequest) (*Task, error)
	Cancel(ctx context.Context, guid string) error
	Delete(ctx context.Context, guid string) error
	DeleteVM(ctx context.Context, vmGUID string) ([]Task, error)
	DeleteAllFinished(ctx context.Context) error
	DeleteAllFinishedAndQueued(ctx context.Context) error
	CancelAllRunning(ctx context.Context) error
	Wait(ctx context.Context, guid string) (*Task, error)
	WaitFunc(ctx context.Context, guid string, progress func(*Task)) (*Task, error)
	WaitAll(ctx context.Context, guids ...string) ([]Task, error)
	WaitForBackup(ctx context.Context, exportTaskGUID string) (*Backup, error)
	WaitForBackupFunc(ctx context.Context, exportTaskGUID string, progress func(*Task)) (*Backup, error)
	WaitForBackups(ctx context.Context, exportTaskGUIDs ...string) ([]BackupResult, error)
	WaitForBackupsFunc(ctx context.Context, progress func(*Task), exportTaskGUIDs ...string) ([]BackupResult, error)
	WaitForRestore(ctx context.Context, restoreTaskGUID string) (*Task, error)
	WaitForRestoreFunc(ctx context.Context, restoreTaskGUID string, progress func(*Task)) (*Task, error)
	Snapshot(ctx context.Context, req SnapshotRequest) ([]Task, error)
	InventorySync(ctx context.Context, managerGUIDs ...string) ([]Task, error)
	RestoreAndMount(ctx context.Context, req RestoreAndMountRequest) (*Task, error)
	Remount(ctx context.Context, mountedBackupGUID string) (*Task, error)
	Unmount(ctx context.Context, mountedBackupGUID string) (*Task, error)
	WaitForMount(ctx context.Context, taskGUID string) (*MountedBackup, error)
	WaitForMountFunc(ctx context.Context, taskGUID string, progress func(*Task)) (*MountedBackup, error)
	WaitForUnmount(ctx context.Context, unmountTaskGUID string) (*Task, error)
}

var _ TasksAPI = (*TasksService)(nil)

// Task is a unit of work on the server: an export (backup), a store, a
// restore, an import, … List records may leave some fields empty.
type Task struct {
	// GUID is the task's id.
	GUID string `json:"guid"`
	// Type is the kind of task (EXPORT, STORE, RESTORE, IMPORT, …).
	Type Enum[TaskType] `json:"type"`
	// State is QUEUED, RUNNING, FINISHED, FAILED or CANCELLED.
	State Enum[TaskState] `json:"state"`
	// Progress is the progress in percent, 0..100, possibly fractional.
	Progress float64 `json:"progress"`
	// ProgressChange is the latest change of Progress.
	ProgressChange float64 `json:"progressChange"`
	// WindowStart is the earliest time the task may start.
	WindowStart Timestamp `json:"windowStart"`
	// WindowEnd is the latest time the task may start; a task not started by then fails.
	WindowEnd Timestamp `json:"windowEnd"`
	// StartTime is when the task started; zero for tasks that never ran.
	StartTime Timestamp `json:"startTime"`
	// FinishTime is when the task ended; zero while it runs.
	FinishTime Timestamp `json:"finishTime"`
	// Priority is the queue priority, 0..100; higher runs first.
	Priority int `json:"priority"`
	// BackupType is FULL or INCREMENTAL, for backup tasks.
	BackupType Enum[BackupType] `json:"backupType"`
	// ProtectedEntity is the VM the task works on, or nil.
	ProtectedEntity *NameGuidAndType `json:"protectedEntity"`
	// ProtectedEntityDisplayName names the VM when ProtectedEntity is nil.
	ProtectedEntityDisplayName string `json:"protectedEntityDisplayName"`
	// DstProtectedEntity is the VM a restore creates or overwrites, or nil.
	DstProtectedEntity *NameGuidAndType `json:"dstProtectedEntity"`
	// ProtectedEntitySnapshot is the snapshot the task uses, or nil.
	ProtectedEntitySnapshot *NameAndGuid `json:"protectedEntitySnapshot"`
	// BackupDestination is the task's backup destination, or nil.
	BackupDestination *NameAndGuid `json:"backupDestination"`
	// Hypervisor is the task's hypervisor, or nil.
	Hypervisor *NameAndGuid `json:"hypervisor"`
	// HypervisorManager is the task's hypervisor manager, or nil.
	HypervisorManager *NameAndGuid `json:"hypervisorManager"`
	// Node is the vProtect node that runs the task, or nil.
	Node *NameAndGuid `json:"node"`
	// OriginEntity is who started the task; its type is USER, SCHEDULE or SYSTEM_SCHEDULE.
	OriginEntity *NameGuidAndType `json:"originEntity"`
	// StatusInfo is the server's message: the failure reason of a failed task.
	StatusInfo string `json:"statusInfo"`
	// RestoreType is RESTORE, RESTORE_AND_IMPORT or RESTORE_AND_MOUNT, for restores.
	RestoreType Enum[RestoreType] `json:"restoreType"`
	// ParentTask is the task this one follows (a STORE's EXPORT), or nil.
	ParentTask *NameAndGuid `json:"parentTask"`
	// WorkflowExecution is the workflow the task belongs to, or nil.
	WorkflowExecution *NameAndGuid `json:"workflowExecution"`
	// RetryCount is how many times the task is retried on failure.
	RetryCount int `json:"retryCount"`
	// ProcessedObjectCount is how many objects the task has processed.
	ProcessedObjectCount int `json:"processedObjectCount"`
	// TotalObjectCount is how many objects the task will process.
	TotalObjectCount int `json:"totalObjectCount"`
	// PowerOnAfterRestore reports whether a restored VM is powered on.
	PowerOnAfterRestore bool `json:"powerOnAfterRestore"`
	// StorageProvider is the task's storage provider (other workloads), or nil.
	StorageProvider *NameAndGuid `json:"storageProvider"`
	// CloudServiceProvider is the task's cloud service provider (other workloads), or nil.
	CloudServiceProvider *NameAndGuid `json:"cloudServiceProvider"`
	// OSAgent is the task's OS agent (other workloads), or nil.
	OSAgent *NameAndGuid `json:"osAgent"`
	// TapeManager is the task's tape manager, or nil.
	TapeManager *NameAndGuid `json:"tapeManager"`
	// Backup is the backup an EXPORT task creates (and a STORE task stores),
	// so callers can follow it; nil for other tasks or older servers.
	Backup *NameAndGuid `json:"backup"`
	// MountedBackup is the mounted backup a RESTORE (of a restore-and-mount),
	// MOUNT or UNMOUNT task works on, or nil.
	MountedBackup *NameAndGuid `json:"mountedBackup"`
}

// IsTerminal reports whether the task has ended (FINISHED, FAILED or CANCELLED).
func (t *Task) IsTerminal() bool { return t.State.Name.IsTerminal() }

// String describes the task on one line, for logs and messages: its type,
// GUID, state (with the progress while it runs), the VM (and the VM a
// restore makes) and the server's reason for a failure:
// "EXPORT task 00000000-… RUNNING 45% (a-web-1)",
// "IMPORT task 00000000-… FINISHED (a-web-1 -> a-web-1-copy)",
// "STORE task 00000000-… FAILED (a-web-1): disk full".
func (t Task) String() string {
	s := "task " + t.GUID
	if t.Type.Name != "" {
		s = string(t.Type.Name) + " " + s
	}
	if t.State.Name != "" {
		s += " " + string(t.State.Name)
	}
	if t.State.Name == TaskStateRunning {
		s += fmt.Sprintf(" %.0f%%", t.Progress)
	}
	vm := t.ProtectedEntityDisplayName
	if t.ProtectedEntity != nil && t.ProtectedEntity.Name != "" {
		vm = t.ProtectedEntity.Name
	}
	if d := t.DstProtectedEntity; d != nil && d.Name != "" && d.Name != vm {
		vm += " -> " + d.Name
	}
	if vm != "" {
		s += " (" + vm + ")"
	}
	if t.StatusInfo != "" && (t.State.Name == TaskStateFailed || t.State.Name == TaskStateCancelled) {
		s += ": " + t.StatusInfo
	}
	return s
}

// TaskListOptions filters and pages the list of tasks. A nil
// *TaskListOptions lists every task.
type TaskListOptions struct {
	ListOptions

	// ProtectedEntity keeps the tasks of one VM (its GUID), sent as "protected-entity".
	ProtectedEntity string
	// Backup keeps the tasks of one backup, sent as "backup".
	Backup string
	// Schedule keeps the tasks started by one schedule, sent as "schedule".
	Schedule string
	// State keeps the tasks in one state, sent as "state".
	State TaskState
	// States keeps the tasks in any of these states, sent as repeated "states" (7.x).
	States []TaskState
	// Type keeps the tasks of one kind, sent as "type".
	Type TaskType
	// TenantID keeps the tasks of one tenant, sent as "tenantId" as the
	// guide (4.x) writes it for tasks and as "project-uuid" (7.x).
	TenantID string
	// ProjectUUID is the 7.x name of TenantID: set either (both only to
	// the same value); it is sent in the same two spellings.
	ProjectUUID string
	// Node keeps the tasks of one node, sent as "node".
	Node string
	// Hypervisor keeps the tasks of one hypervisor, sent as "hypervisor".
	Hypervisor string
	// HypervisorManager keeps the tasks of one hypervisor manager, sent as "hypervisor-manager".
	HypervisorManager string
	// BackupDestination keeps the tasks of one backup destination, sent as "backup-destination".
	BackupDestination string
	// ParentTask keeps the tasks that follow one task, sent as "parent-task".
	ParentTask string
	// NameLike keeps the tasks whose name matches, sent as "nameLike" (7.x).
	NameLike string
	// RestoreJob keeps the tasks of one restore job, sent as "restore-job" (7.x).
	RestoreJob string
	// StorageProvider keeps the tasks of one storage provider, sent as "storage-provider" (7.x).
	StorageProvider string
	// WorkflowExecution keeps the tasks of one workflow execution, sent as "workflow-execution" (7.x).
	WorkflowExecution string
	// MountedBackupAssigned, when set, keeps the tasks with (true) or
	// without (false) an assigned mounted backup, sent as "mounted-backup-assigned" (7.x).
	MountedBackupAssigned *bool
}

// encode returns the query of the options; nil gives an empty query.
func (o *TaskListOptions) encode() (query, error) {
	q := query{}
	if o == nil {
		return q, nil
	}
	if err := o.ListOptions.addTo(q); err != nil {
		return nil, err
	}
	q.set("protected-entity", o.ProtectedEntity)
	q.set("backup", o.Backup)
	q.set("schedule", o.Schedule)
	q.set("state", string(o.State))
	addAll(q, "states", o.States)
	q.set("type", string(o.Type))
	if err := q.setTenant("TaskListOptions", "tenantId", o.TenantID, o.ProjectUUID); err != nil {
		return nil, err
	}
	q.set("node", o.Node)
	q.set("hypervisor", o.Hypervisor)
	q.set("hypervisor-manager", o.HypervisorManager)
	q.set("backup-destination", o.BackupDestination)
	q.set("parent-task", o.ParentTask)
	q.set("nameLike", o.NameLike)
	q.set("restore-job", o.RestoreJob)
	q.set("storage-provider", o.StorageProvider)
	q.set("workflow-execution", o.WorkflowExecution)
	if o.MountedBackupAssigned != nil {
		q.set("mounted-backup-assigned", strconv.FormatBool(*o.MountedBackupAssigned))
	}
	return q, nil
}

// List returns the tasks that match opts (nil for all).
//
// vProtect API: GET /tasks
func (s *TasksService) List(ctx context.Context, opts *TaskListOptions) ([]Task, error) {
	return listOf[Task](ctx, s.client, "/tasks", opts)
}

// ListSince returns the tasks that match opts (nil for all) and were
// queued at or after since: those whose window start (set when the task is
// created, to the request's windowStart or the server's clock) is not
// before since. A task without a window start counts if it started at or
// after since.
//
// It is the way to find out what an Export or RestoreAndImport that failed
// with ErrMaybeApplied created before sending it again: take since just
// before the call (minus any clock skew between you and the server) and ask
// for the VM's tasks of that type:
//
//	sent := time.Now().Add(-time.Minute) // allow for clock skew
//	res, err := c.Tasks.Export(ctx, req)
//	if errors.Is(err, vprotect.ErrMaybeApplied) {
//		made, err := c.Tasks.ListSince(ctx, sent, &vprotect.TaskListOptions{
//			ProtectedEntity: vmGUID, Type: vprotect.TaskTypeExport})
//		// len(made) > 0: the export was applied; follow made[0]
//	}
//
// For a restore, filter by the backup (Backup) and TaskTypeRestore. The
// time filter runs on the client: the API has none.
//
// vProtect API: GET /tasks
func (s *TasksService) ListSince(ctx context.Context, since time.Time, opts *TaskListOptions) ([]Task, error) {
	tasks, err := s.List(ctx, opts)
	if err != nil {
		return nil, err
	}
	kept := tasks[:0]
	for _, t := range tasks {
		at := t.WindowStart.Time
		if at.IsZero() {
			at = t.StartTime.Time
		}
		if !at.IsZero() && !at.Before(since) {
			kept = append(kept, t)
		}
	}
	return kept, nil
}

// ListPage returns one page of tasks with the total count of the whole list
// (X-Total-Count; -1 when the server does not say).
//
// vProtect API: GET /tasks
func (s *TasksService) ListPage(ctx context.Context, opts *TaskListOptions) (Page[Task], error) {
	return listPageOf[Task](ctx, s.client, "/tasks", opts)
}

// All iterates over every task that matches opts, fetching pages of
// opts.Size (DefaultPageSize when 0); opts.Page is ignored. An error is
// yielded once and ends the iteration.
//
// vProtect API: GET /tasks
func (s *TasksService) All(ctx context.Context, opts *TaskListOptions) iter.Seq2[Task, error] {
	return allOf[Task](ctx, s.client, "/tasks", opts)
}

// Get returns the task guid.
//
// vProtect API: GET /tasks/{guid}
func (s *TasksService) Get(ctx context.Context, guid string) (*Task, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	return getJSON[Task](ctx, s.client, taskPath(guid), nil)
}

func taskPath(guid string) string { return "/tasks/" + guidSegment(guid) }

// Export request defaults and limits.
const (
	// DefaultTaskPriority is the priority of a task when none is given.
	DefaultTaskPriority = 50
	// MaxTaskPriority is the highest task priority; 0 is the lowest.
	MaxTaskPriority = 100
)

// ExportRequest asks for backups of VMs: one EXPORT task per VM, followed by
// a STORE task the server creates when the export succeeds.
type ExportRequest struct {
	// ProtectedEntities are the GUIDs of the VMs to back up; at least one.
	ProtectedEntities []string
	// BackupType is BackupTypeFull (the default when empty) or
	// BackupTypeIncremental. An incremental needs an incremental schedule on
	// the VM's policy; the server falls back to a full backup when no
	// snapshot exists.
	BackupType BackupType
	// BackupDestination is the GUID of the target backup destination (the
	// guide's form, before 5.x). Optional.
	BackupDestination string
	// Rules are the GUIDs of the policy rules whose destinations are used
	// (5.x and later). Optional.
	Rules []string
	// Priority is the queue priority, 0..100; nil means DefaultTaskPriority (50).
	Priority *int
	// WindowStart is the earliest start; zero means now.
	WindowStart time.Time
	// WindowEnd is the latest start, after WindowStart; a task not started by
	// then fails. Zero leaves it to the server, whose default is WindowStart + 6 h.
	WindowEnd time.Time
	// RetryCount is how many times a failed export is retried (0 or more).
	RetryCount int
	// TenantID is the tenant (OpenStack project id) recorded on the tasks:
	// sent as the 4.x body field tenantId and as the 7.x project-uuid query
	// parameter, which a 7.x server reads instead.
	TenantID string
}

// exportBody is the body of an export: ExportRequest in its request form.
type exportBody struct {
	BackupType        Enum[BackupType] `json:"backupType"`
	BackupDestination *NameAndGuid     `json:"backupDestination,omitempty"`
	Rules             []NameAndGuid    `json:"rules,omitempty"`
	ProtectedEntities []NameAndGuid    `json:"protectedEntities"`
	Priority          int              `json:"priority"`
	WindowStart       Timestamp        `json:"windowStart"`
	WindowEnd         *Timestamp       `json:"windowEnd,omitempty"`
	RetryCount        int              `json:"retryCount,omitempty"`
	TenantID          string           `json:"tenantId,omitempty"`
}

// newExportBody checks r and builds its body; an unset WindowStart is now.
func newExportBody(r ExportRequest, now time.Time) (*exportBody, error) {
	if len(r.ProtectedEntities) == 0 {
		return nil, argError("ExportRequest.ProtectedEntities", "must name at least one VM")
	}
	if err := checkGUIDs("ExportRequest.ProtectedEntities", r.ProtectedEntities); err != nil {
		return nil, err
	}
	if err := checkGUIDs("ExportRequest.Rules", r.Rules); err != nil {
		return nil, err
	}
	bt := r.BackupType
	switch bt {
	case "":
		bt = BackupTypeFull
	case BackupTypeFull, BackupTypeIncremental:
	default:
		return nil, argError("ExportRequest.BackupType", "must be %s or %s, got %q", BackupTypeFull, BackupTypeIncremental, bt)
	}
	prio := DefaultTaskPriority
	if r.Priority != nil {
		prio = *r.Priority
		if prio < 0 || prio > MaxTaskPriority {
			return nil, argError("ExportRequest.Priority", "must be 0..%d, got %d", MaxTaskPriority, prio)
		}
	}
	if r.RetryCount < 0 {
		return nil, argError("ExportRequest.RetryCount", "must not be negative, got %d", r.RetryCount)
	}
	start := r.WindowStart
	if start.IsZero() {
		start = now
	}
	b := &exportBody{
		BackupType:        EnumOf(bt),
		ProtectedEntities: Refs(r.ProtectedEntities...),
		Priority:          prio,
		WindowStart:       TimestampOf(start),
		RetryCount:        r.RetryCount,
		TenantID:          r.TenantID,
	}
	if !r.WindowEnd.IsZero() {
		if !r.WindowEnd.After(start) {
			return nil, argError("ExportRequest.WindowEnd", "must be after WindowStart (%s), got %s",
				start.Format(time.RFC3339), r.WindowEnd.Format(time.RFC3339))
		}
		end := TimestampOf(r.WindowEnd)
		b.WindowEnd = &end
	}
	if r.BackupDestination != "" {
		b.BackupDestination = RefPtr(r.BackupDestination)
	}
	if len(r.Rules) > 0 {
		b.Rules = Refs(r.Rules...)
	}
	return b, nil
}

// ExportResult is what an export started: the tasks, and which VMs got a
// task and which did not.
type ExportResult struct {
	// Tasks are the EXPORT tasks, one per VM that got one. Each carries the
	// backup it creates in Backup (when the server says), for WaitForBackup.
	Tasks []Task
	// Successful are the VMs that got a task. When the server answers with
	// tasks only, they are taken from the tasks' protected entities.
	Successful []NameAndGuid
	// Unsuccessful are the VMs the server refused (only servers that answer
	// with the {successful, unsuccessful, tasks} shape report them).
	Unsuccessful []NameAndGuid
}

// UnmarshalJSON accepts the three answers servers give to an export: a single
// task, an array of tasks, or {"successful":[],"unsuccessful":[],"tasks":[]}.
func (r *ExportResult) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*r = ExportResult{}
	switch {
	case isNull(b):
		// nothing started, nothing said
	case b[0] == '[':
		if err := json.Unmarshal(b, &r.Tasks); err != nil {
			return err
		}
	case b[0] == '{':
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(b, &probe); err != nil {
			return err
		}
		_, hasTasks := probe["tasks"]
		_, hasOK := probe["successful"]
		_, hasKO := probe["unsuccessful"]
		if hasTasks || hasOK || hasKO {
			var env struct {
				Successful   []NameAndGuid `json:"successful"`
				Unsuccessful []NameAndGuid `json:"unsuccessful"`
				Tasks        []Task        `json:"tasks"`
			}
			if err := json.Unmarshal(b, &env); err != nil {
				return err
			}
			r.Tasks, r.Successful, r.Unsuccessful = env.Tasks, env.Successful, env.Unsuccessful
			if !hasOK {
				r.Successful = entitiesOf(r.Tasks)
			}
			break
		}
		var t Task
		if err := json.Unmarshal(b, &t); err != nil {
			return err
		}
		r.Tasks = []Task{t}
	default:
		return fmt.Errorf("vprotect: export result: want a task, an array of tasks or an object, got %.20q", b)
	}
	if r.Tasks == nil {
		r.Tasks = []Task{}
	}
	if r.Successful == nil {
		r.Successful = entitiesOf(r.Tasks)
	}
	if r.Unsuccessful == nil {
		r.Unsuccessful = []NameAndGuid{}
	}
	return nil
}

// entitiesOf returns the protected entities of tasks, in order, without repeats.
func entitiesOf(tasks []Task) []NameAndGuid {
	out := []NameAndGuid{}
	seen := map[string]bool{}
	for _, t := range tasks {
		if t.ProtectedEntity == nil || t.ProtectedEntity.GUID == "" || seen[t.ProtectedEntity.GUID] {
			continue
		}
		seen[t.ProtectedEntity.GUID] = true
		out = append(out, t.ProtectedEntity.Ref())
	}
	return out
}

// Export starts backups of the VMs in req: the server creates one EXPORT
// task per VM, and a STORE task when each export succeeds. The request is
// checked before it is sent and never re-sent (a second export is a second
// backup). Use WaitForBackup on a returned task to wait for its backup.
//
// vProtect API: POST /tasks/export
func (s *TasksService) Export(ctx context.Context, req ExportRequest) (*ExportResult, error) {
	body, err := newExportBody(req, time.Now())
	if err != nil {
		return nil, err
	}
	return sendJSON[ExportResult](ctx, s.client, http.MethodPost, "/tasks/export", createScope(req.TenantID), body)
}

// RestoreRequest asks to restore a backup and import it as a VM into a
// hypervisor or a hypervisor manager. The server runs a RESTORE task, then
// an IMPORT task.
type RestoreRequest struct {
	// Backup is the GUID of the backup to restore (the guide's form).
	// Backup or BackupLocation is required; both may be given.
	Backup string
	// BackupLocation is the GUID of the copy to restore from (a
	// BackupLocation's GUID; 5.x and later). With Backup as well, the
	// location is sent with its backup, as the 7.x restore dialog sends it.
	BackupLocation string
	// Hypervisor is the GUID of the target stand-alone hypervisor. Exactly
	// one of Hypervisor and HypervisorManager is required.
	Hypervisor string
	// HypervisorManager is the GUID of the target hypervisor manager.
	HypervisorManager string
	// RestoredPEName is the name of the restored VM. It is required unless
	// Overwrite is set: a server given no name reuses the source's, and two
	// VMs would share it. With Overwrite and no name the restore replaces
	// the VM of the source's name.
	RestoredPEName string
	// RestoreStorageID is the UUID (HypervisorStorage.UUID, not its GUID) of
	// the target storage.
	RestoreStorageID string
	// RestoreClusterID is the UUID (HypervisorCluster.UUID, not its GUID) of
	// the target cluster (OpenStack: the availability zone).
	RestoreClusterID string
	// RestoreProject is the target OpenStack project by its name as the
	// guide's servers take it (VMProject.Name; the project's UUID, the
	// OpenStack project id, is accepted too). Empty restores into the
	// source's project. 7.x servers ignore it and take the project of the
	// caller (project-uuid).
	RestoreProject string
	// DataCenter is the name (not a GUID) of the target data center (RHV).
	DataCenter string
	// Overwrite deletes the VM first if it already exists.
	Overwrite bool
	// DiskAllocationFormat is how restored disks are allocated; empty keeps
	// the server default (PREALLOCATED).
	DiskAllocationFormat DiskAllocationFormat
	// RestoreToOriginalVolumeType restores every disk to the storage (volume
	// type) it came from, as the 7.x restore dialog does by default; the
	// DiskName and StorageID of TaskFiles count only without it.
	RestoreToOriginalVolumeType bool
	// TaskFiles place the backup's disks, one entry per disk; empty restores
	// every disk to RestoreStorageID, else where it came from. Build them
	// with RestoreTaskFileOf from BackupFiles.ListForRestore.
	TaskFiles []RestoreTaskFile
	// VMFlavor is the GUID of the flavor of the restored VM (OpenStack).
	VMFlavor string
	// Networks map the VM's NICs to target networks.
	Networks []RestoredNetwork
	// TenantID is the tenant (the OpenStack project id, as in
	// VMListOptions.TenantID) recorded on the tasks: sent as the 4.x body
	// field tenantId and as the 7.x project-uuid query parameter. A 7.x
	// server restores the VM into that project (it reads neither tenantId
	// nor RestoreProject then); a 4.x server into RestoreProject.
	TenantID string
}

// RestoreTaskFile places one disk of a backup in a restore.
type RestoreTaskFile struct {
	// BackupFile is the GUID of the disk's backup file. Required.
	BackupFile string
	// Path is the file's path in the backup, as ListForRestore gives it.
	Path string
	// OriginalDiskName is the disk's name in the backed-up VM.
	OriginalDiskName string
	// DiskName is the name of the restored disk; empty keeps the original.
	DiskName string
	// StorageID is the UUID (not the GUID) of the storage the disk goes to;
	// empty uses RestoreStorageID, else the storage it came from.
	StorageID string
	// ExcludedFromRestore leaves the disk out of the restored VM.
	ExcludedFromRestore bool
}

// RestoreTaskFileOf returns the placement the restore dialog starts from
// for a file of ListForRestore: the original name and storage, and the
// disk left out when it was excluded from backups.
func RestoreTaskFileOf(f BackupFile) RestoreTaskFile {
	tf := RestoreTaskFile{BackupFile: f.GUID, Path: f.Path, StorageID: f.StorageID}
	if f.VMDisk != nil {
		tf.OriginalDiskName, tf.DiskName = f.VMDisk.Name, f.VMDisk.Name
		tf.ExcludedFromRestore = f.VMDisk.ExcludedFromBackup
	}
	return tf
}

// RestoredNetwork places one NIC of a restored VM on a network.
type RestoredNetwork struct {
	// Network is the GUID of the target network.
	Network string
	// NetworkInterfaceCard is the GUID of the backed-up NIC.
	NetworkInterfaceCard string
	// SecurityGroups are the GUIDs of the security groups to apply.
	SecurityGroups []string
	// MACAddress, when set, is kept on the restored NIC.
	MACAddress string
}

// restoreBody is the body of a restore: RestoreRequest in its request form.
type restoreBody struct {
	Backup                       *NameAndGuid                `json:"backup,omitempty"`
	BackupLocation               *restoreLocationBody        `json:"backupLocation,omitempty"`
	Hypervisor                   *NameAndGuid                `json:"hypervisor,omitempty"`
	HypervisorManager            *NameAndGuid                `json:"hypervisorManager,omitempty"`
	RestoredPEName               string                      `json:"restoredPeName,omitempty"`
	RestoreStorageID             string                      `json:"restoreStorageId,omitempty"`
	RestoreClusterID             string                      `json:"restoreClusterId,omitempty"`
	RestoreProject               string                      `json:"restoreProject,omitempty"`
	DataCenter                   *dataCenterBody             `json:"dataCenter,omitempty"`
	Overwrite                    bool                        `json:"overwrite,omitempty"`
	RestoredDiskAllocationFormat *Enum[DiskAllocationFormat] `json:"restoredDiskAllocationFormat,omitempty"`
	RestoreToOriginalVolumeType  bool                        `json:"restoreToOriginalVolumeType,omitempty"`
	RestoreVMFlavor              *NameAndGuid                `json:"restoreVmFlavor,omitempty"`
	RestoredNetworks             []restoredNetworkBody       `json:"restoredNetworks,omitempty"`
	TaskFiles                    []restoreTaskFileBody       `json:"taskFiles,omitempty"`
	TenantID                     string                      `json:"tenantId,omitempty"`
}

// restoreLocationBody is the copy a restore reads, with its backup when known.
type restoreLocationBody struct {
	GUID   string       `json:"guid"`
	Backup *NameAndGuid `json:"backup,omitempty"`
}

// restoreTaskFileBody is a RestoreTaskFile as requests send it.
type restoreTaskFileBody struct {
	BackupFile          NameAndGuid `json:"backupFile"`
	Path                string      `json:"path,omitempty"`
	OriginalDiskName    string      `json:"originalDiskName,omitempty"`
	DiskName            string      `json:"diskName,omitempty"`
	StorageID           string      `json:"storageId,omitempty"`
	ExcludedFromRestore bool        `json:"excludedFromRestore"`
}

// dataCenterBody names the target data center of a restore.
type dataCenterBody struct {
	Name string `json:"name"`
}

// restoredNetworkBody is a RestoredNetwork as requests send it.
type restoredNetworkBody struct {
	Network              NameAndGuid `json:"network"`
	NetworkInterfaceCard NameAndGuid `json:"networkInterfaceCard"`
	SecurityGroups       []string    `json:"securityGroups"`
	MACAddress           *string     `json:"macAddress"`
	MACAddressSpecified  bool        `json:"macAddressSpecified"`
}

// newRestoreBody checks r and builds its body.
func newRestoreBody(r RestoreRequest) (*restoreBody, error) {
	if r.Backup == "" && r.BackupLocation == "" {
		return nil, argError("RestoreRequest.Backup", "Backup or BackupLocation is required")
	}
	switch {
	case r.Hypervisor == "" && r.HypervisorManager == "":
		return nil, argError("RestoreRequest.HypervisorManager", "exactly one of Hypervisor and HypervisorManager is required")
	case r.Hypervisor != "" && r.HypervisorManager != "":
		return nil, argError("RestoreRequest.Hypervisor", "give either Hypervisor or HypervisorManager, not both")
	}
	b := &restoreBody{
		RestoredPEName:              r.RestoredPEName,
		RestoreStorageID:            r.RestoreStorageID,
		RestoreClusterID:            r.RestoreClusterID,
		RestoreProject:              r.RestoreProject,
		Overwrite:                   r.Overwrite,
		RestoreToOriginalVolumeType: r.RestoreToOriginalVolumeType,
		TenantID:                    r.TenantID,
	}
	refs := []struct {
		field, guid string
		dst         **NameAndGuid
	}{
		{"RestoreRequest.Backup", r.Backup, &b.Backup},
		{"RestoreRequest.Hypervisor", r.Hypervisor, &b.Hypervisor},
		{"RestoreRequest.HypervisorManager", r.HypervisorManager, &b.HypervisorManager},
		{"RestoreRequest.VMFlavor", r.VMFlavor, &b.RestoreVMFlavor},
	}
	for _, ref := range refs {
		if ref.guid == "" {
			continue
		}
		if err := requireGUID(ref.field, ref.guid); err != nil {
			return nil, err
		}
		*ref.dst = RefPtr(ref.guid)
	}
	if r.BackupLocation != "" {
		if err := requireGUID("RestoreRequest.BackupLocation", r.BackupLocation); err != nil {
			return nil, err
		}
		b.BackupLocation = &restoreLocationBody{GUID: r.BackupLocation, Backup: reqRefPtr(b.Backup)}
	}
	if r.DataCenter != "" {
		b.DataCenter = &dataCenterBody{Name: r.DataCenter}
	}
	if r.DiskAllocationFormat != "" {
		f := EnumOf(r.DiskAllocationFormat)
		b.RestoredDiskAllocationFormat = &f
	}
	for i, n := range r.Networks {
		nb, err := newRestoredNetworkForm(indexed("RestoreRequest.Networks", i), n)
		if err != nil {
			return nil, err
		}
		b.RestoredNetworks = append(b.RestoredNetworks, nb)
	}
	for i, f := range r.TaskFiles {
		field := indexed("RestoreRequest.TaskFiles", i)
		if err := requireGUID(field+".BackupFile", f.BackupFile); err != nil {
			return nil, err
		}
		b.TaskFiles = append(b.TaskFiles, restoreTaskFileBody{
			BackupFile: Ref(f.BackupFile), Path: f.Path, OriginalDiskName: f.OriginalDiskName,
			DiskName: f.DiskName, StorageID: f.StorageID, ExcludedFromRestore: f.ExcludedFromRestore,
		})
	}
	if strings.TrimSpace(r.RestoredPEName) == "" && !r.Overwrite {
		return nil, argError("RestoreRequest.RestoredPEName", "is required: without it the server gives the restored VM the source's name and two VMs share it (set Overwrite to replace the source VM under its own name)")
	}
	return b, nil
}

// newRestoredNetworkForm checks one network of a restore (its field names
// start with field) and returns its request form.
func newRestoredNetworkForm(field string, n RestoredNetwork) (restoredNetworkBody, error) {
	if err := requireGUID(field+".Network", n.Network); err != nil {
		return restoredNetworkBody{}, err
	}
	if err := requireGUID(field+".NetworkInterfaceCard", n.NetworkInterfaceCard); err != nil {
		return restoredNetworkBody{}, err
	}
	b := restoredNetworkBody{
		Network:              Ref(n.Network),
		NetworkInterfaceCard: Ref(n.NetworkInterfaceCard),
		SecurityGroups:       append([]string{}, n.SecurityGroups...),
		MACAddressSpecified:  n.MACAddress != "",
	}
	if n.MACAddress != "" {
		mac := n.MACAddress
		b.MACAddress = &mac
	}
	return b, nil
}

// RestoreAndImport restores a backup and imports it as a VM. It returns the
// RESTORE task; the server follows it with an IMPORT task. The request is
// checked before it is sent and never re-sent.
//
// vProtect API: POST /tasks/restore-and-import
func (s *TasksService) RestoreAndImport(ctx context.Context, req RestoreRequest) (*Task, error) {
	body, err := newRestoreBody(req)
	if err != nil {
		return nil, err
	}
	return sendJSON[Task](ctx, s.client, http.MethodPost, "/tasks/restore-and-import", createScope(req.TenantID), body)
}

// cancelBody is the body of a cancel: the state the task is asked to take.
type cancelBody struct {
	State      Enum[TaskState] `json:"state"`
	StatusInfo string          `json:"statusInfo"`
}

// newCancelBody builds the body of a cancel, as the vendor UI sends it.
func newCancelBody() *cancelBody {
	return &cancelBody{State: EnumOf(TaskStateCancelled), StatusInfo: "Canceled by user"}
}

// Cancel cancels the task guid, as the vendor UI does for running tasks. A
// cancelled export marks its backup as failed. To remove a queued or
// finished task, use Delete.
//
// vProtect API: PUT /tasks/{guid}/state
func (s *TasksService) Cancel(ctx context.Context, guid string) error {
	if err := requireGUID("guid", guid); err != nil {
		return err
	}
	_, err := s.client.do(ctx, &request{
		method: http.MethodPut,
		path:   taskPath(guid) + "/state",
		body:   newCancelBody(),
	})
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict && apiErr.Attempts > 1 {
		// A retry met a task already ended: when it is CANCELLED, an
		// earlier attempt whose answer was lost did the work.
		if t, getErr := s.Get(ctx, guid); getErr == nil && t.State.Name == TaskStateCancelled {
			return nil
		}
	}
	return err
}

// Delete deletes the task guid: a finished task is removed from the list,
// a queued one is cancelled.
//
// vProtect API: DELETE /tasks/{guid}
func (s *TasksService) Delete(ctx context.Context, guid string) error {
	if err := requireGUID("guid", guid); err != nil {
		return err
	}
	// Never retried: a second attempt after a lost answer would delete
	// the task the first attempt only cancelled.
	_, err := s.client.do(ctx, &request{method: http.MethodDelete, path: taskPath(guid), once: true})
	return err
}
