// The enum types of the API, with their values (reference section 3.14).
// Their String and IsKnown methods are generated into enums_known.go: a new
// type or value is added here only, and go generate writes the rest.

//go:generate go run ./internal/enumgen

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

// BackupType is a full or incremental backup (schedules also know SYNCHRONIZATION).
type BackupType string

// BackupType values.
const (
	BackupTypeFull            BackupType = "FULL"
	BackupTypeIncremental     BackupType = "INCREMENTAL"
	BackupTypeSynchronization BackupType = "SYNCHRONIZATION"
)

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

// BackupLocationStatus is the status of one copy of a backup.
type BackupLocationStatus string

// BackupLocationStatus values.
const (
	BackupLocationStatusPresent    BackupLocationStatus = "PRESENT"
	BackupLocationStatusRemoved    BackupLocationStatus = "REMOVED"
	BackupLocationStatusFailed     BackupLocationStatus = "FAILED"
	BackupLocationStatusInProgress BackupLocationStatus = "IN_PROGRESS"
)

// RetentionHint is a retention mark on a backup location: TO_REMOVE ("Mark
// as expired"), ARCHIVE ("Mark to keep", until the location's ArchiveExpire)
// or STANDARD_RETENTION (the policy's retention). RECREATE appears only in
// retention previews.
type RetentionHint string

// RetentionHint values.
const (
	RetentionHintToRemove          RetentionHint = "TO_REMOVE"
	RetentionHintArchive           RetentionHint = "ARCHIVE"
	RetentionHintStandardRetention RetentionHint = "STANDARD_RETENTION"
	RetentionHintRecreate          RetentionHint = "RECREATE"
)

// BackupFileType is the kind of a file of a backup. DISK, DISK_INC and
// VM_IMAGE are the restorable disks; servers know other kinds.
type BackupFileType string

// BackupFileType values.
const (
	BackupFileTypeDisk    BackupFileType = "DISK"
	BackupFileTypeDiskInc BackupFileType = "DISK_INC"
	BackupFileTypeVMImage BackupFileType = "VM_IMAGE"
)

// ScheduleType is the kind of a schedule (VM_SNAPSHOT in the UI, SNAPSHOT in the guide and CLI).
type ScheduleType string

// ScheduleType values.
const (
	ScheduleTypeVMBackup   ScheduleType = "VM_BACKUP"
	ScheduleTypeVMSnapshot ScheduleType = "VM_SNAPSHOT"
	ScheduleTypeAppBackup  ScheduleType = "APP_BACKUP"
	ScheduleTypeSnapshot   ScheduleType = "SNAPSHOT"
)

// ExecutionType is how a schedule fires: at a time of day or at an interval.
type ExecutionType string

// ExecutionType values.
const (
	ExecutionTypeTime     ExecutionType = "TIME"
	ExecutionTypeInterval ExecutionType = "INTERVAL"
)

// DayOfWeek is a day of the week, in UTC, sent by name ("MONDAY"). Use
// Weekday to convert a time.Weekday: DayOfWeek is a string type, so the
// conversion DayOfWeek(time.Monday) compiles but makes the one-rune string
// "\x01", which the server rejects (go vet reports it).
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

// Month is a month of the year, sent by name ("MARCH"). Use MonthOf to
// convert a time.Month: Month is a string type, so the conversion
// Month(time.March) compiles but makes the one-rune string "\x03", not
// "MARCH", which the server rejects (go vet reports it).
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

// AutoAssignMode is how a policy assigns VMs by itself (DISABLED for multi-tenant use).
type AutoAssignMode string

// AutoAssignMode values.
const (
	AutoAssignModeDisabled        AutoAssignMode = "DISABLED"
	AutoAssignModeAssignOnly      AutoAssignMode = "ASSIGN_ONLY"
	AutoAssignModeAssignAndRemove AutoAssignMode = "ASSIGN_AND_REMOVE"
)

// DestinationRole is the role of a backup destination in a rule.
type DestinationRole string

// DestinationRole values.
const (
	DestinationRolePrimary   DestinationRole = "PRIMARY"
	DestinationRoleSecondary DestinationRole = "SECONDARY"
	DestinationRoleArchive   DestinationRole = "ARCHIVE"
)

// RestoreType is the kind of a restore.
type RestoreType string

// RestoreType values.
const (
	RestoreTypeRestore          RestoreType = "RESTORE"
	RestoreTypeRestoreAndImport RestoreType = "RESTORE_AND_IMPORT"
	RestoreTypeRestoreAndMount  RestoreType = "RESTORE_AND_MOUNT"
)

// OriginType is who started a task.
type OriginType string

// OriginType values.
const (
	OriginTypeUser           OriginType = "USER"
	OriginTypeSchedule       OriginType = "SCHEDULE"
	OriginTypeSystemSchedule OriginType = "SYSTEM_SCHEDULE"
)

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

// DiskAllocationFormat is how restored disks are allocated.
type DiskAllocationFormat string

// DiskAllocationFormat values.
const (
	DiskAllocationFormatPreallocated DiskAllocationFormat = "PREALLOCATED"
	DiskAllocationFormatSparse       DiskAllocationFormat = "SPARSE"
)

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

// MountMode is how a backup is mounted.
type MountMode string

// MountMode values.
const (
	MountModeAuto   MountMode = "AUTO"
	MountModeManual MountMode = "MANUAL"
	MountModeISCSI  MountMode = "ISCSI"
	// The modes below appear on mounted backups of other workloads; a
	// restore-and-mount request takes only the three above.
	MountModeCloudDownload    MountMode = "CLOUD_DOWNLOAD"
	MountModeCloudPSTDownload MountMode = "CLOUD_PST_DOWNLOAD"
	MountModeInstantRestore   MountMode = "INSTANT_RESTORE"
	MountModeOSDownload       MountMode = "OS_DOWNLOAD"
)

// MountedBackupState is the state of a mounted backup. The server's names
// are not documented; these are the ones vprotecttest uses, and others are
// kept as they come.
type MountedBackupState string

// MountedBackupState values.
const (
	MountedBackupStateRestoring  MountedBackupState = "RESTORING"
	MountedBackupStateMounting   MountedBackupState = "MOUNTING"
	MountedBackupStateMounted    MountedBackupState = "MOUNTED"
	MountedBackupStateUnmounting MountedBackupState = "UNMOUNTING"
	MountedBackupStateFailed     MountedBackupState = "FAILED"
)

// FileType is the kind of an entry of a directory listing in a mounted backup.
type FileType string

// FileType values.
const (
	FileTypeDirectory     FileType = "DIRECTORY"
	FileTypeRegularFile   FileType = "REGULAR_FILE"
	FileTypeSymlink       FileType = "SYMLINK"
	FileTypeBrokenSymlink FileType = "BROKEN_SYMLINK"
)

// ProtectedEntityType is the kind of a protected entity (a mounted-backup filter).
type ProtectedEntityType string

// ProtectedEntityType values.
const (
	ProtectedEntityTypeApp        ProtectedEntityType = "APP"
	ProtectedEntityTypeCloud      ProtectedEntityType = "CLOUD"
	ProtectedEntityTypeCloudGroup ProtectedEntityType = "CLOUD_GROUP"
	ProtectedEntityTypeCloudSite  ProtectedEntityType = "CLOUD_SITE"
	ProtectedEntityTypeCloudTeams ProtectedEntityType = "CLOUD_TEAMS"
	ProtectedEntityTypeCloudUser  ProtectedEntityType = "CLOUD_USER"
	ProtectedEntityTypeOS         ProtectedEntityType = "OS"
	ProtectedEntityTypeOSAgent    ProtectedEntityType = "OS_AGENT"
	ProtectedEntityTypeStorage    ProtectedEntityType = "STORAGE"
	ProtectedEntityTypeVM         ProtectedEntityType = "VM"
)

// StdErrorHandling is what a pre- or post-snapshot command's standard error output does to the backup.
type StdErrorHandling string

// StdErrorHandling values.
const (
	StdErrorHandlingDontIgnore           StdErrorHandling = "DONT_IGNORE"
	StdErrorHandlingIgnoreWithoutWarning StdErrorHandling = "IGNORE_WITHOUT_WARNING"
	StdErrorHandlingIgnoreWithWarning    StdErrorHandling = "IGNORE_WITH_WARNING"
)

// IncrementalNotPossibleReason is why an incremental backup cannot be made (only this value is known).
type IncrementalNotPossibleReason string

// IncrementalNotPossibleReason values.
const (
	IncrementalNotPossibleReasonMissingIncrementalScheduler IncrementalNotPossibleReason = "MISSING_INCREMENTAL_SCHEDULER"
)

// SnapshotStatus is the status of a VM snapshot.
type SnapshotStatus string

// SnapshotStatus values.
const (
	SnapshotStatusQueued   SnapshotStatus = "QUEUED"
	SnapshotStatusCreating SnapshotStatus = "CREATING"
	SnapshotStatusPresent  SnapshotStatus = "PRESENT"
	SnapshotStatusFailed   SnapshotStatus = "FAILED"
	SnapshotStatusRemoved  SnapshotStatus = "REMOVED"
)

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

// IsTerminal reports whether a task in this state will not change any more.
func (v TaskState) IsTerminal() bool {
	return v == TaskStateFinished || v == TaskStateFailed || v == TaskStateCancelled
}

// Weekday converts a time.Weekday to a DayOfWeek: Weekday(time.Monday) is
// DayOfWeekMonday. Values outside Sunday..Saturday wrap around.
func Weekday(d time.Weekday) DayOfWeek {
	return [...]DayOfWeek{DayOfWeekSunday, DayOfWeekMonday, DayOfWeekTuesday, DayOfWeekWednesday,
		DayOfWeekThursday, DayOfWeekFriday, DayOfWeekSaturday}[((int(d)%7)+7)%7]
}

// MonthOf converts a time.Month to a Month: MonthOf(time.March) is
// MonthMarch (not Month(time.March), see Month). Values outside
// January..December wrap around.
func MonthOf(m time.Month) Month {
	return [...]Month{MonthJanuary, MonthFebruary, MonthMarch, MonthApril, MonthMay, MonthJune, MonthJuly,
		MonthAugust, MonthSeptember, MonthOctober, MonthNovember, MonthDecember}[((int(m)-1)%12+12)%12]
}
