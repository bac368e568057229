// Code written from reference section 3.14; keep it in step with the reference.
package vprotect

import "time"

// TaskState is the state of a task.
type TaskState string

// TaskState values.
const (
	TaskStateQueued    TaskState = "QUEUED"
	TaskStateRunning   TaskState = "RUNNING"
	TaskStateFinished  TaskState = "FINISHED"
	TaskStateFailed    TaskState = "FAILED"
	TaskStateCancelled TaskState = "CANCELLED"
)

// knownTaskStates lists the TaskState values this package knows.
var knownTaskStates = []TaskState{TaskStateQueued, TaskStateRunning, TaskStateFinished, TaskStateFailed, TaskStateCancelled}

// String returns the server name of the value.
func (v TaskState) String() string { return string(v) }

// IsKnown reports whether v is one of the TaskState constants of this package.
// Values from a newer server are kept, not rejected.
func (v TaskState) IsKnown() bool { return contains(knownTaskStates, v) }

// TaskType is the kind of a task. The names changed between server generations: both the integration guide's set (3.8) and the 7.4 set have constants; others are kept as they come.
type TaskType string

// TaskType values.
const (
	TaskTypeIndex                    TaskType = "INDEX"
	TaskTypeExport                   TaskType = "EXPORT"
	TaskTypeStore                    TaskType = "STORE"
	TaskTypeRestore                  TaskType = "RESTORE"
	TaskTypeOldBackupsRemoval        TaskType = "OLD_BACKUPS_REMOVAL"
	TaskTypeOldSnapshotsRemoval      TaskType = "OLD_SNAPSHOTS_REMOVAL"
	TaskTypeImport                   TaskType = "IMPORT"
	TaskTypeMount                    TaskType = "MOUNT"
	TaskTypeUnmount                  TaskType = "UNMOUNT"
	TaskTypeDelete                   TaskType = "DELETE"
	TaskTypeSnapshot                 TaskType = "SNAPSHOT"
	TaskTypeSnapshotReversion        TaskType = "SNAPSHOT_REVERSION"
	TaskTypeBackupCleanup            TaskType = "BACKUP_CLEANUP"
	TaskTypeBackupDestinationInit    TaskType = "BACKUP_DESTINATION_INIT"
	TaskTypeBackupDestinationSync    TaskType = "BACKUP_DESTINATION_SYNC"
	TaskTypeConnectivityTest         TaskType = "CONNECTIVITY_TEST"
	TaskTypeEjectTape                TaskType = "EJECT_TAPE"
	TaskTypeImportTape               TaskType = "IMPORT_TAPE"
	TaskTypeInventorySync            TaskType = "INVENTORY_SYNC"
	TaskTypeLiveMigration            TaskType = "LIVE_MIGRATION"
	TaskTypeScopedInventorySync      TaskType = "SCOPED_INVENTORY_SYNC"
	TaskTypeSnapshotCleanup          TaskType = "SNAPSHOT_CLEANUP"
	TaskTypeStagingCleanup           TaskType = "STAGING_CLEANUP"
	TaskTypeTapeManagerInventorySync TaskType = "TAPE_MANAGER_INVENTORY_SYNC"
	TaskTypeUpload                   TaskType = "UPLOAD"
)

// knownTaskTypes lists the TaskType values this package knows.
var knownTaskTypes = []TaskType{TaskTypeIndex, TaskTypeExport, TaskTypeStore, TaskTypeRestore, TaskTypeOldBackupsRemoval, TaskTypeOldSnapshotsRemoval, TaskTypeImport, TaskTypeMount, TaskTypeUnmount, TaskTypeDelete, TaskTypeSnapshot, TaskTypeSnapshotReversion, TaskTypeBackupCleanup, TaskTypeBackupDestinationInit, TaskTypeBackupDestinationSync, TaskTypeConnectivityTest, TaskTypeEjectTape, TaskTypeImportTape, TaskTypeInventorySync, TaskTypeLiveMigration, TaskTypeScopedInventorySync, TaskTypeSnapshotCleanup, TaskTypeStagingCleanup, TaskTypeTapeManagerInventorySync, TaskTypeUpload}

// String returns the server name of the value.
func (v TaskType) String() string { return string(v) }

// IsKnown reports whether v is one of the TaskType constants of this package.
// Values from a newer server are kept, not rejected.
func (v TaskType) IsKnown() bool { return contains(knownTaskTypes, v) }

// BackupType is a full or incremental backup (schedules also know SYNCHRONIZATION).
type BackupType string

// BackupType values.
const (
	BackupTypeFull            BackupType = "FULL"
	BackupTypeIncremental     BackupType = "INCREMENTAL"
	BackupTypeSynchronization BackupType = "SYNCHRONIZATION"
)

// knownBackupTypes lists the BackupType values this package knows.
var knownBackupTypes = []BackupType{BackupTypeFull, BackupTypeIncremental, BackupTypeSynchronization}

// String returns the server name of the value.
func (v BackupType) String() string { return string(v) }

// IsKnown reports whether v is one of the BackupType constants of this package.
// Values from a newer server are kept, not rejected.
func (v BackupType) IsKnown() bool { return contains(knownBackupTypes, v) }

// BackupStatus is the status of a backup.
type BackupStatus string

// BackupStatus values.
const (
	BackupStatusSuccess        BackupStatus = "SUCCESS"
	BackupStatusPartialSuccess BackupStatus = "PARTIAL_SUCCESS"
	BackupStatusSuccessRemoved BackupStatus = "SUCCESS_REMOVED"
	BackupStatusFailed         BackupStatus = "FAILED"
	BackupStatusInProgress     BackupStatus = "IN_PROGRESS"
	BackupStatusQueued         BackupStatus = "QUEUED"
)

// knownBackupStatuss lists the BackupStatus values this package knows.
var knownBackupStatuss = []BackupStatus{BackupStatusSuccess, BackupStatusPartialSuccess, BackupStatusSuccessRemoved, BackupStatusFailed, BackupStatusInProgress, BackupStatusQueued}

// String returns the server name of the value.
func (v BackupStatus) String() string { return string(v) }

// IsKnown reports whether v is one of the BackupStatus constants of this package.
// Values from a newer server are kept, not rejected.
func (v BackupStatus) IsKnown() bool { return contains(knownBackupStatuss, v) }

// BackupLocationStatus is the status of one copy of a backup.
type BackupLocationStatus string

// BackupLocationStatus values.
const (
	BackupLocationStatusPresent    BackupLocationStatus = "PRESENT"
	BackupLocationStatusRemoved    BackupLocationStatus = "REMOVED"
	BackupLocationStatusFailed     BackupLocationStatus = "FAILED"
	BackupLocationStatusInProgress BackupLocationStatus = "IN_PROGRESS"
)

// knownBackupLocationStatuss lists the BackupLocationStatus values this package knows.
var knownBackupLocationStatuss = []BackupLocationStatus{BackupLocationStatusPresent, BackupLocationStatusRemoved, BackupLocationStatusFailed, BackupLocationStatusInProgress}

// String returns the server name of the value.
func (v BackupLocationStatus) String() string { return string(v) }

// IsKnown reports whether v is one of the BackupLocationStatus constants of this package.
// Values from a newer server are kept, not rejected.
func (v BackupLocationStatus) IsKnown() bool { return contains(knownBackupLocationStatuss, v) }

// RetentionHint is a retention mark on a backup location.
type RetentionHint string

// RetentionHint values.
const (
	RetentionHintToRemove          RetentionHint = "TO_REMOVE"
	RetentionHintArchive           RetentionHint = "ARCHIVE"
	RetentionHintStandardRetention RetentionHint = "STANDARD_RETENTION"
)

// knownRetentionHints lists the RetentionHint values this package knows.
var knownRetentionHints = []RetentionHint{RetentionHintToRemove, RetentionHintArchive, RetentionHintStandardRetention}

// String returns the server name of the value.
func (v RetentionHint) String() string { return string(v) }

// IsKnown reports whether v is one of the RetentionHint constants of this package.
// Values from a newer server are kept, not rejected.
func (v RetentionHint) IsKnown() bool { return contains(knownRetentionHints, v) }

// ScheduleType is the kind of a schedule (VM_SNAPSHOT in the UI, SNAPSHOT in the guide and CLI).
type ScheduleType string

// ScheduleType values.
const (
	ScheduleTypeVMBackup   ScheduleType = "VM_BACKUP"
	ScheduleTypeVMSnapshot ScheduleType = "VM_SNAPSHOT"
	ScheduleTypeAppBackup  ScheduleType = "APP_BACKUP"
	ScheduleTypeSnapshot   ScheduleType = "SNAPSHOT"
)

// knownScheduleTypes lists the ScheduleType values this package knows.
var knownScheduleTypes = []ScheduleType{ScheduleTypeVMBackup, ScheduleTypeVMSnapshot, ScheduleTypeAppBackup, ScheduleTypeSnapshot}

// String returns the server name of the value.
func (v ScheduleType) String() string { return string(v) }

// IsKnown reports whether v is one of the ScheduleType constants of this package.
// Values from a newer server are kept, not rejected.
func (v ScheduleType) IsKnown() bool { return contains(knownScheduleTypes, v) }

// ExecutionType is how a schedule fires: at a time of day or at an interval.
type ExecutionType string

// ExecutionType values.
const (
	ExecutionTypeTime     ExecutionType = "TIME"
	ExecutionTypeInterval ExecutionType = "INTERVAL"
)

// knownExecutionTypes lists the ExecutionType values this package knows.
var knownExecutionTypes = []ExecutionType{ExecutionTypeTime, ExecutionTypeInterval}

// String returns the server name of the value.
func (v ExecutionType) String() string { return string(v) }

// IsKnown reports whether v is one of the ExecutionType constants of this package.
// Values from a newer server are kept, not rejected.
func (v ExecutionType) IsKnown() bool { return contains(knownExecutionTypes, v) }

// DayOfWeek is a day of the week, in UTC.
type DayOfWeek string

// DayOfWeek values.
const (
	DayOfWeekMonday    DayOfWeek = "MONDAY"
	DayOfWeekTuesday   DayOfWeek = "TUESDAY"
	DayOfWeekWednesday DayOfWeek = "WEDNESDAY"
	DayOfWeekThursday  DayOfWeek = "THURSDAY"
	DayOfWeekFriday    DayOfWeek = "FRIDAY"
	DayOfWeekSaturday  DayOfWeek = "SATURDAY"
	DayOfWeekSunday    DayOfWeek = "SUNDAY"
)

// knownDayOfWeeks lists the DayOfWeek values this package knows.
var knownDayOfWeeks = []DayOfWeek{DayOfWeekMonday, DayOfWeekTuesday, DayOfWeekWednesday, DayOfWeekThursday, DayOfWeekFriday, DayOfWeekSaturday, DayOfWeekSunday}

// String returns the server name of the value.
func (v DayOfWeek) String() string { return string(v) }

// IsKnown reports whether v is one of the DayOfWeek constants of this package.
// Values from a newer server are kept, not rejected.
func (v DayOfWeek) IsKnown() bool { return contains(knownDayOfWeeks, v) }

// Month is a month of the year.
type Month string

// Month values.
const (
	MonthJanuary   Month = "JANUARY"
	MonthFebruary  Month = "FEBRUARY"
	MonthMarch     Month = "MARCH"
	MonthApril     Month = "APRIL"
	MonthMay       Month = "MAY"
	MonthJune      Month = "JUNE"
	MonthJuly      Month = "JULY"
	MonthAugust    Month = "AUGUST"
	MonthSeptember Month = "SEPTEMBER"
	MonthOctober   Month = "OCTOBER"
	MonthNovember  Month = "NOVEMBER"
	MonthDecember  Month = "DECEMBER"
)

// knownMonths lists the Month values this package knows.
var knownMonths = []Month{MonthJanuary, MonthFebruary, MonthMarch, MonthApril, MonthMay, MonthJune, MonthJuly, MonthAugust, MonthSeptember, MonthOctober, MonthNovember, MonthDecember}

// String returns the server name of the value.
func (v Month) String() string { return string(v) }

// IsKnown reports whether v is one of the Month constants of this package.
// Values from a newer server are kept, not rejected.
func (v Month) IsKnown() bool { return contains(knownMonths, v) }

// DayOfWeekOccurrence is which week of the month a schedule runs in.
type DayOfWeekOccurrence string

// DayOfWeekOccurrence values.
const (
	DayOfWeekOccurrenceFirst  DayOfWeekOccurrence = "FIRST_IN_MONTH"
	DayOfWeekOccurrenceSecond DayOfWeekOccurrence = "SECOND_IN_MONTH"
	DayOfWeekOccurrenceThird  DayOfWeekOccurrence = "THIRD_IN_MONTH"
	DayOfWeekOccurrenceFourth DayOfWeekOccurrence = "FOURTH_IN_MONTH"
	DayOfWeekOccurrenceLast   DayOfWeekOccurrence = "LAST_IN_MONTH"
)

// knownDayOfWeekOccurrences lists the DayOfWeekOccurrence values this package knows.
var knownDayOfWeekOccurrences = []DayOfWeekOccurrence{DayOfWeekOccurrenceFirst, DayOfWeekOccurrenceSecond, DayOfWeekOccurrenceThird, DayOfWeekOccurrenceFourth, DayOfWeekOccurrenceLast}

// String returns the server name of the value.
func (v DayOfWeekOccurrence) String() string { return string(v) }

// IsKnown reports whether v is one of the DayOfWeekOccurrence constants of this package.
// Values from a newer server are kept, not rejected.
func (v DayOfWeekOccurrence) IsKnown() bool { return contains(knownDayOfWeekOccurrences, v) }

// AutoAssignMode is how a policy assigns VMs by itself (DISABLED for multi-tenant use).
type AutoAssignMode string

// AutoAssignMode values.
const (
	AutoAssignModeDisabled        AutoAssignMode = "DISABLED"
	AutoAssignModeAssignOnly      AutoAssignMode = "ASSIGN_ONLY"
	AutoAssignModeAssignAndRemove AutoAssignMode = "ASSIGN_AND_REMOVE"
)

// knownAutoAssignModes lists the AutoAssignMode values this package knows.
var knownAutoAssignModes = []AutoAssignMode{AutoAssignModeDisabled, AutoAssignModeAssignOnly, AutoAssignModeAssignAndRemove}

// String returns the server name of the value.
func (v AutoAssignMode) String() string { return string(v) }

// IsKnown reports whether v is one of the AutoAssignMode constants of this package.
// Values from a newer server are kept, not rejected.
func (v AutoAssignMode) IsKnown() bool { return contains(knownAutoAssignModes, v) }

// DestinationRole is the role of a backup destination in a rule.
type DestinationRole string

// DestinationRole values.
const (
	DestinationRolePrimary   DestinationRole = "PRIMARY"
	DestinationRoleSecondary DestinationRole = "SECONDARY"
	DestinationRoleArchive   DestinationRole = "ARCHIVE"
)

// knownDestinationRoles lists the DestinationRole values this package knows.
var knownDestinationRoles = []DestinationRole{DestinationRolePrimary, DestinationRoleSecondary, DestinationRoleArchive}

// String returns the server name of the value.
func (v DestinationRole) String() string { return string(v) }

// IsKnown reports whether v is one of the DestinationRole constants of this package.
// Values from a newer server are kept, not rejected.
func (v DestinationRole) IsKnown() bool { return contains(knownDestinationRoles, v) }

// RestoreType is the kind of a restore.
type RestoreType string

// RestoreType values.
const (
	RestoreTypeRestore          RestoreType = "RESTORE"
	RestoreTypeRestoreAndImport RestoreType = "RESTORE_AND_IMPORT"
	RestoreTypeRestoreAndMount  RestoreType = "RESTORE_AND_MOUNT"
)

// knownRestoreTypes lists the RestoreType values this package knows.
var knownRestoreTypes = []RestoreType{RestoreTypeRestore, RestoreTypeRestoreAndImport, RestoreTypeRestoreAndMount}

// String returns the server name of the value.
func (v RestoreType) String() string { return string(v) }

// IsKnown reports whether v is one of the RestoreType constants of this package.
// Values from a newer server are kept, not rejected.
func (v RestoreType) IsKnown() bool { return contains(knownRestoreTypes, v) }

// OriginType is who started a task.
type OriginType string

// OriginType values.
const (
	OriginTypeUser           OriginType = "USER"
	OriginTypeSchedule       OriginType = "SCHEDULE"
	OriginTypeSystemSchedule OriginType = "SYSTEM_SCHEDULE"
)

// knownOriginTypes lists the OriginType values this package knows.
var knownOriginTypes = []OriginType{OriginTypeUser, OriginTypeSchedule, OriginTypeSystemSchedule}

// String returns the server name of the value.
func (v OriginType) String() string { return string(v) }

// IsKnown reports whether v is one of the OriginType constants of this package.
// Values from a newer server are kept, not rejected.
func (v OriginType) IsKnown() bool { return contains(knownOriginTypes, v) }

// HypervisorType is the type of a stand-alone hypervisor.
type HypervisorType string

// HypervisorType values.
const (
	HypervisorTypeKVM     HypervisorType = "KVM"
	HypervisorTypeCitrix  HypervisorType = "CITRIX"
	HypervisorTypeESXi    HypervisorType = "ESXI"
	HypervisorTypeHyperV  HypervisorType = "HYPERV"
	HypervisorTypeProxmox HypervisorType = "PROXMOX"
)

// knownHypervisorTypes lists the HypervisorType values this package knows.
var knownHypervisorTypes = []HypervisorType{HypervisorTypeKVM, HypervisorTypeCitrix, HypervisorTypeESXi, HypervisorTypeHyperV, HypervisorTypeProxmox}

// String returns the server name of the value.
func (v HypervisorType) String() string { return string(v) }

// IsKnown reports whether v is one of the HypervisorType constants of this package.
// Values from a newer server are kept, not rejected.
func (v HypervisorType) IsKnown() bool { return contains(knownHypervisorTypes, v) }

// HypervisorManagerType is the type of a hypervisor manager.
type HypervisorManagerType string

// HypervisorManagerType values.
const (
	HypervisorManagerTypeRHV        HypervisorManagerType = "RHV"
	HypervisorManagerTypeRHEV       HypervisorManagerType = "RHEV"
	HypervisorManagerTypeNutanix    HypervisorManagerType = "NUTANIX"
	HypervisorManagerTypeVCenter    HypervisorManagerType = "VCENTER"
	HypervisorManagerTypeKubernetes HypervisorManagerType = "KUBERNETES"
	HypervisorManagerTypeOpenShift  HypervisorManagerType = "OPENSHIFT"
	HypervisorManagerTypeAWS        HypervisorManagerType = "AWS"
	HypervisorManagerTypeOpenStack  HypervisorManagerType = "OPENSTACK"
	HypervisorManagerTypeOracle     HypervisorManagerType = "ORACLE"
)

// knownHypervisorManagerTypes lists the HypervisorManagerType values this package knows.
var knownHypervisorManagerTypes = []HypervisorManagerType{HypervisorManagerTypeRHV, HypervisorManagerTypeRHEV, HypervisorManagerTypeNutanix, HypervisorManagerTypeVCenter, HypervisorManagerTypeKubernetes, HypervisorManagerTypeOpenShift, HypervisorManagerTypeAWS, HypervisorManagerTypeOpenStack, HypervisorManagerTypeOracle}

// String returns the server name of the value.
func (v HypervisorManagerType) String() string { return string(v) }

// IsKnown reports whether v is one of the HypervisorManagerType constants of this package.
// Values from a newer server are kept, not rejected.
func (v HypervisorManagerType) IsKnown() bool { return contains(knownHypervisorManagerTypes, v) }

// DiskAllocationFormat is how restored disks are allocated.
type DiskAllocationFormat string

// DiskAllocationFormat values.
const (
	DiskAllocationFormatPreallocated DiskAllocationFormat = "PREALLOCATED"
	DiskAllocationFormatSparse       DiskAllocationFormat = "SPARSE"
)

// knownDiskAllocationFormats lists the DiskAllocationFormat values this package knows.
var knownDiskAllocationFormats = []DiskAllocationFormat{DiskAllocationFormatPreallocated, DiskAllocationFormatSparse}

// String returns the server name of the value.
func (v DiskAllocationFormat) String() string { return string(v) }

// IsKnown reports whether v is one of the DiskAllocationFormat constants of this package.
// Values from a newer server are kept, not rejected.
func (v DiskAllocationFormat) IsKnown() bool { return contains(knownDiskAllocationFormats, v) }

// BackupDestinationType is the kind of a backup destination.
type BackupDestinationType string

// BackupDestinationType values.
const (
	BackupDestinationTypeSyntheticXFS     BackupDestinationType = "SYNTHETICXFS"
	BackupDestinationTypeFilesystem       BackupDestinationType = "FILESYSTEM"
	BackupDestinationTypeSyntheticDDBoost BackupDestinationType = "SYNTHETICDDBOOST"
	BackupDestinationTypeVStor            BackupDestinationType = "VSTOR"
	BackupDestinationTypeAvamar           BackupDestinationType = "AVAMAR"
	BackupDestinationTypeNetworker        BackupDestinationType = "NETWORKER"
	BackupDestinationTypeISP              BackupDestinationType = "ISP"
	BackupDestinationTypeNetBackup        BackupDestinationType = "NETBACKUP"
	BackupDestinationTypeS3               BackupDestinationType = "S3"
	BackupDestinationTypeGCS              BackupDestinationType = "GCS"
	BackupDestinationTypeAzure            BackupDestinationType = "AZURE"
	BackupDestinationTypeSwift            BackupDestinationType = "SWIFT"
	BackupDestinationTypeDataProtector    BackupDestinationType = "DATAPROTECTOR"
)

// knownBackupDestinationTypes lists the BackupDestinationType values this package knows.
var knownBackupDestinationTypes = []BackupDestinationType{BackupDestinationTypeSyntheticXFS, BackupDestinationTypeFilesystem, BackupDestinationTypeSyntheticDDBoost, BackupDestinationTypeVStor, BackupDestinationTypeAvamar, BackupDestinationTypeNetworker, BackupDestinationTypeISP, BackupDestinationTypeNetBackup, BackupDestinationTypeS3, BackupDestinationTypeGCS, BackupDestinationTypeAzure, BackupDestinationTypeSwift, BackupDestinationTypeDataProtector}

// String returns the server name of the value.
func (v BackupDestinationType) String() string { return string(v) }

// IsKnown reports whether v is one of the BackupDestinationType constants of this package.
// Values from a newer server are kept, not rejected.
func (v BackupDestinationType) IsKnown() bool { return contains(knownBackupDestinationTypes, v) }

// WorkflowExecutionState is the state of a workflow execution.
type WorkflowExecutionState string

// WorkflowExecutionState values.
const (
	WorkflowExecutionStateRunning                  WorkflowExecutionState = "RUNNING"
	WorkflowExecutionStateFailed                   WorkflowExecutionState = "FAILED"
	WorkflowExecutionStateCancelled                WorkflowExecutionState = "CANCELLED"
	WorkflowExecutionStateFinished                 WorkflowExecutionState = "FINISHED"
	WorkflowExecutionStateFinishedWithWarnings     WorkflowExecutionState = "FINISHED_WITH_WARNINGS"
	WorkflowExecutionStateFailedWithCriticalErrors WorkflowExecutionState = "FAILED_WITH_CRITICAL_ERRORS"
	WorkflowExecutionStatePartiallyFinished        WorkflowExecutionState = "PARTIALLY_FINISHED"
	WorkflowExecutionStateUnknown                  WorkflowExecutionState = "UNKNOWN"
)

// knownWorkflowExecutionStates lists the WorkflowExecutionState values this package knows.
var knownWorkflowExecutionStates = []WorkflowExecutionState{WorkflowExecutionStateRunning, WorkflowExecutionStateFailed, WorkflowExecutionStateCancelled, WorkflowExecutionStateFinished, WorkflowExecutionStateFinishedWithWarnings, WorkflowExecutionStateFailedWithCriticalErrors, WorkflowExecutionStatePartiallyFinished, WorkflowExecutionStateUnknown}

// String returns the server name of the value.
func (v WorkflowExecutionState) String() string { return string(v) }

// IsKnown reports whether v is one of the WorkflowExecutionState constants of this package.
// Values from a newer server are kept, not rejected.
func (v WorkflowExecutionState) IsKnown() bool { return contains(knownWorkflowExecutionStates, v) }

// MountMode is how a backup is mounted.
type MountMode string

// MountMode values.
const (
	MountModeAuto   MountMode = "AUTO"
	MountModeManual MountMode = "MANUAL"
	MountModeISCSI  MountMode = "ISCSI"
)

// knownMountModes lists the MountMode values this package knows.
var knownMountModes = []MountMode{MountModeAuto, MountModeManual, MountModeISCSI}

// String returns the server name of the value.
func (v MountMode) String() string { return string(v) }

// IsKnown reports whether v is one of the MountMode constants of this package.
// Values from a newer server are kept, not rejected.
func (v MountMode) IsKnown() bool { return contains(knownMountModes, v) }

// StdErrorHandling is what a pre- or post-snapshot command's standard error output does to the backup.
type StdErrorHandling string

// StdErrorHandling values.
const (
	StdErrorHandlingDontIgnore           StdErrorHandling = "DONT_IGNORE"
	StdErrorHandlingIgnoreWithoutWarning StdErrorHandling = "IGNORE_WITHOUT_WARNING"
	StdErrorHandlingIgnoreWithWarning    StdErrorHandling = "IGNORE_WITH_WARNING"
)

// knownStdErrorHandlings lists the StdErrorHandling values this package knows.
var knownStdErrorHandlings = []StdErrorHandling{StdErrorHandlingDontIgnore, StdErrorHandlingIgnoreWithoutWarning, StdErrorHandlingIgnoreWithWarning}

// String returns the server name of the value.
func (v StdErrorHandling) String() string { return string(v) }

// IsKnown reports whether v is one of the StdErrorHandling constants of this package.
// Values from a newer server are kept, not rejected.
func (v StdErrorHandling) IsKnown() bool { return contains(knownStdErrorHandlings, v) }

// IncrementalNotPossibleReason is why an incremental backup cannot be made (only this value is known).
type IncrementalNotPossibleReason string

// IncrementalNotPossibleReason values.
const (
	IncrementalNotPossibleReasonMissingIncrementalScheduler IncrementalNotPossibleReason = "MISSING_INCREMENTAL_SCHEDULER"
)

// knownIncrementalNotPossibleReasons lists the IncrementalNotPossibleReason values this package knows.
var knownIncrementalNotPossibleReasons = []IncrementalNotPossibleReason{IncrementalNotPossibleReasonMissingIncrementalScheduler}

// String returns the server name of the value.
func (v IncrementalNotPossibleReason) String() string { return string(v) }

// IsKnown reports whether v is one of the IncrementalNotPossibleReason constants of this package.
// Values from a newer server are kept, not rejected.
func (v IncrementalNotPossibleReason) IsKnown() bool {
	return contains(knownIncrementalNotPossibleReasons, v)
}

// VMExportImportMode is how VM data is moved between the hypervisor and vProtect.
type VMExportImportMode string

// VMExportImportMode values.
const (
	VMExportImportModeInherit                     VMExportImportMode = "INHERIT"
	VMExportImportModeDiskAttachment              VMExportImportMode = "DISK_ATTACHMENT"
	VMExportImportModeDiskImageTransfer           VMExportImportMode = "DISK_IMAGE_TRANSFER"
	VMExportImportModeSSHTransfer                 VMExportImportMode = "SSH_TRANSFER"
	VMExportImportModeVMImagePlusIncrementalDisks VMExportImportMode = "VM_IMAGE_PLUS_INCREMENTAL_DISKS"
	VMExportImportModeChangedBlockTracking        VMExportImportMode = "CHANGED_BLOCK_TRACKING"
)

// knownVMExportImportModes lists the VMExportImportMode values this package knows.
var knownVMExportImportModes = []VMExportImportMode{VMExportImportModeInherit, VMExportImportModeDiskAttachment, VMExportImportModeDiskImageTransfer, VMExportImportModeSSHTransfer, VMExportImportModeVMImagePlusIncrementalDisks, VMExportImportModeChangedBlockTracking}

// String returns the server name of the value.
func (v VMExportImportMode) String() string { return string(v) }

// IsKnown reports whether v is one of the VMExportImportMode constants of this package.
// Values from a newer server are kept, not rejected.
func (v VMExportImportMode) IsKnown() bool { return contains(knownVMExportImportModes, v) }

// IsTerminal reports whether a task in this state will not change any more.
func (v TaskState) IsTerminal() bool {
	return v == TaskStateFinished || v == TaskStateFailed || v == TaskStateCancelled
}

// Weekday converts a time.Weekday to a DayOfWeek.
func Weekday(d time.Weekday) DayOfWeek {
	return [...]DayOfWeek{DayOfWeekSunday, DayOfWeekMonday, DayOfWeekTuesday, DayOfWeekWednesday,
		DayOfWeekThursday, DayOfWeekFriday, DayOfWeekSaturday}[((int(d)%7)+7)%7]
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
