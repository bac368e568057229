package vprotecttest

import "encoding/json"

// This file holds the fake's own wire types. They are an independent
// implementation of the vProtect JSON contract: field names follow the API
// reference, enums are always {"name","description"}, times are UNIX
// milliseconds and sizes are bytes.

// Enum is the wire form of every vProtect enum value. Responses always carry
// both fields; requests may send {"name":X} or the bare string "X".
type Enum struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// NameAndGuid is a reference to another object. Requests may send
// {"guid":X,...} (extra fields ignored) or the bare GUID string.
type NameAndGuid struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
}

// NameGuidAndType is a typed reference, used for protected and origin entities.
type NameGuidAndType struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
	Type Enum   `json:"type"`
}

// ManagerRef is the hypervisor-manager reference carried by a VM.
type ManagerRef struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// ProjectRef is the OpenStack project reference carried by a VM. UUID is the
// OpenStack project id, the value the tenant filters match.
type ProjectRef struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
	UUID string `json:"uuid"`
}

// VM is a virtual machine (reference 3.3).
type VM struct {
	GUID                         string       `json:"guid"`
	UUID                         string       `json:"uuid"`
	Name                         string       `json:"name"`
	Present                      bool         `json:"present"`
	Type                         Enum         `json:"type"`
	Hypervisor                   *NameAndGuid `json:"hypervisor"`
	HvManager                    *ManagerRef  `json:"hvManager"`
	HvCluster                    *NameAndGuid `json:"hvCluster"`
	HvType                       *Enum        `json:"hvType"`
	HvmType                      *Enum        `json:"hvmType"`
	VMBackupPolicy               *NameAndGuid `json:"vmBackupPolicy"`
	Project                      *ProjectRef  `json:"project"`
	BackupUpToDate               *bool        `json:"backupUpToDate,omitempty"`
	LastBackup                   *int64       `json:"lastBackup"`
	LastSuccessfulBackupSize     int64        `json:"lastSuccessfulBackupSize"`
	LastSuccessfulFullBackupSize int64        `json:"lastSuccessfulFullBackupSize"`
	WarningsPresent              bool         `json:"warningsPresent"`
	Tags                         []string     `json:"tags"`
	VMFlavor                     *NameAndGuid `json:"vmFlavor"`
	// Restorable is derived: the VM has a SUCCESS or PARTIAL_SUCCESS
	// backup (a seed's value is replaced).
	Restorable bool `json:"restorable"`
	VMSettings
}

// VMSettings are the settings of a VM that PUT /virtual-machines/{guid}/settings
// changes (reference 7x 5.2), and the snapshot the next incremental backup
// starts from.
type VMSettings struct {
	SnapshotMgmtPolicy      *NameAndGuid    `json:"snapshotMgmtPolicy"`
	LastStoredSnapshot      *NameAndGuid    `json:"lastStoredSnapshot"`
	QuiesceBeforeSnapshot   bool            `json:"quiesceBeforeSnapshot"`
	Credential              *NameAndGuid    `json:"credential"`
	BaseImageCreationConfig json.RawMessage `json:"baseImageCreationConfig,omitempty"`
	SSHHost                 string          `json:"sshHost"`
	SSHPort                 int             `json:"sshPort"`
	SSHUser                 string          `json:"sshUser"`
	// SSHPassword is set by PUT /virtual-machines/{guid}/ssh-password and
	// never answered.
	SSHPassword            string   `json:"-"`
	PreSnapCmdExecEnabled  bool     `json:"preSnapCmdExecEnabled"`
	PreSnapCmdArgs         []string `json:"preSnapCmdArgs"`
	PostSnapCmdExecEnabled bool     `json:"postSnapCmdExecEnabled"`
	PostSnapCmdArgs        []string `json:"postSnapCmdArgs"`
}

// Task is a task record (reference 3.4).
type Task struct {
	GUID               string           `json:"guid"`
	Type               Enum             `json:"type"`
	State              Enum             `json:"state"`
	Progress           float64          `json:"progress"`
	WindowStart        int64            `json:"windowStart"`
	WindowEnd          int64            `json:"windowEnd"`
	StartTime          *int64           `json:"startTime"`
	FinishTime         *int64           `json:"finishTime"`
	Priority           int              `json:"priority"`
	BackupType         *Enum            `json:"backupType"`
	ProtectedEntity    *NameGuidAndType `json:"protectedEntity"`
	DstProtectedEntity *NameGuidAndType `json:"dstProtectedEntity"`
	BackupDestination  *NameAndGuid     `json:"backupDestination"`
	Hypervisor         *NameAndGuid     `json:"hypervisor"`
	HypervisorManager  *NameAndGuid     `json:"hypervisorManager"`
	Node               *NameAndGuid     `json:"node"`
	OriginEntity       *NameGuidAndType `json:"originEntity"`
	StatusInfo         string           `json:"statusInfo"`
	ParentTask         *NameAndGuid     `json:"parentTask"`
	Backup             *NameAndGuid     `json:"backup"`
	RestoreType        *Enum            `json:"restoreType"`
	// MountedBackup is the mounted backup a RESTORE (of a restore-and-mount),
	// MOUNT or UNMOUNT task works on; absent for other tasks.
	MountedBackup *NameAndGuid `json:"mountedBackup,omitempty"`
}

// Backup is a backup record (reference 3.5). NetworkInterfaceCards and
// IscsiMountable come only with the details (GET /backups/{guid}).
type Backup struct {
	GUID                        string           `json:"guid"`
	ProtectedEntity             NameGuidAndType  `json:"protectedEntity"`
	Type                        Enum             `json:"type"`
	Status                      Enum             `json:"status"`
	StatusInfo                  string           `json:"statusInfo"`
	SnapshotTime                int64            `json:"snapshotTime"`
	BackupTime                  *int64           `json:"backupTime"`
	Size                        int64            `json:"size"`
	EffectiveBackupSize         int64            `json:"effectiveBackupSize"`
	EffectiveBackupObjectsCount int64            `json:"effectiveBackupObjectsCount"`
	Warnings                    []string         `json:"warnings"`
	WarningsPresent             bool             `json:"warningsPresent"`
	WarningsAcknowledged        bool             `json:"warningsAcknowledged"`
	Description                 string           `json:"description"`
	BackupRule                  *NameAndGuid     `json:"backupRule"`
	OriginEntity                *NameGuidAndType `json:"originEntity"`
	BackupLocations             []BackupLocation `json:"backupLocations"`
	// TaskTimeStats is never null: the vendor UI destructures it (7.x reference 3.4).
	TaskTimeStats         BackupTaskTimeStats    `json:"taskTimeStats"`
	TaskDurationTime      int64                  `json:"taskDurationTime"`
	ParentBackup          *NameAndGuid           `json:"parentBackup"`
	ArchiveExpire         *int64                 `json:"archiveExpire"`
	Hidden                bool                   `json:"hidden"`
	IscsiMountable        *bool                  `json:"iscsiMountable,omitempty"`
	NetworkInterfaceCards []NetworkInterfaceCard `json:"networkInterfaceCards,omitempty"`

	files []BackupFile // the backup's files, recorded when it is made (parts.go)
}

// BackupTaskTimeStats are the queue and run times of a backup's EXPORT and
// STORE tasks, in ms.
type BackupTaskTimeStats struct {
	QueuedExportTime int64 `json:"queuedExportTime"`
	ExportTime       int64 `json:"exportTime"`
	QueuedStoreTime  int64 `json:"queuedStoreTime"`
	StoreTime        int64 `json:"storeTime"`
}

// NetworkInterfaceCard is a NIC of a backed-up VM (reference 3.5, 7x 7.2).
type NetworkInterfaceCard struct {
	GUID           string        `json:"guid"`
	UUID           string        `json:"uuid"`
	Name           string        `json:"name"`
	Network        *NameAndGuid  `json:"network"`
	VirtualMachine *NameAndGuid  `json:"virtualMachine"`
	Backups        []NameAndGuid `json:"backups"`
}

// BackupFile is a file of a backup as /backup-files/detailed/for-restore
// gives it (7x reference 7.2): a disk (DISK for a full backup, DISK_INC for
// an incremental) or the VM's configuration (VM_CONFIG).
type BackupFile struct {
	GUID           string          `json:"guid"`
	Path           string          `json:"path"`
	BackupFileType Enum            `json:"backupFileType"`
	StorageID      *string         `json:"storageId"`
	VMDisk         *BackupFileDisk `json:"vmDisk"`
	IscsiMountable bool            `json:"iscsiMountable"`
	Size           int64           `json:"size"`
}

// BackupFileDisk is the VM disk a backup file is of.
type BackupFileDisk struct {
	GUID               string       `json:"guid"`
	Name               string       `json:"name"`
	ExcludedFromBackup bool         `json:"excludedFromBackup"`
	OriginalStorage    *NameAndGuid `json:"originalStorage"`
}

// RestoreJob is one restore (7x reference 3.4), derived from its tasks.
type RestoreJob struct {
	GUID            string               `json:"guid"`
	ProtectedEntity *NameGuidAndType     `json:"protectedEntity"`
	RestoreTime     int64                `json:"restoreTime"`
	Backup          Backup               `json:"backup"`
	Status          Enum                 `json:"status"`
	StatusInfo      string               `json:"statusInfo"`
	RestoreType     Enum                 `json:"restoreType"`
	TaskTimeStats   RestoreTaskTimeStats `json:"taskTimeStats"`
}

// RestoreTaskTimeStats are the queue and run times of a restore's tasks, in
// ms; never null.
type RestoreTaskTimeStats struct {
	QueuedRestoreTime int64 `json:"queuedRestoreTime"`
	RestoreTime       int64 `json:"restoreTime"`
	QueuedImportTime  int64 `json:"queuedImportTime"`
	ImportTime        int64 `json:"importTime"`
	QueuedMountTime   int64 `json:"queuedMountTime"`
	MountTime         int64 `json:"mountTime"`
}

// RetentionPreview is one row of POST /retention/mark-backups/preview
// (7x reference 3.3).
type RetentionPreview struct {
	Backup                NameAndGuid `json:"backup"`
	BackupDestination     NameAndGuid `json:"backupDestination"`
	RoleType              Enum        `json:"roleType"`
	PreviousType          Enum        `json:"previousType"`
	Type                  Enum        `json:"type"`
	PreviousHint          *Enum       `json:"previousHint"`
	RetentionHint         *Enum       `json:"retentionHint"`
	PreviousArchiveExpire *int64      `json:"previousArchiveExpire"`
	ArchiveExpire         *int64      `json:"archiveExpire"`
}

// Network is a network of a hypervisor manager (7x reference 7.2); Shared
// networks are listed by /network/shared, the others by /network.
type Network struct {
	GUID      string       `json:"guid"`
	UUID      string       `json:"uuid"`
	Name      string       `json:"name"`
	HvManager *NameAndGuid `json:"hvManager"`
	Shared    bool         `json:"-"`
}

// Credential is an OS credential (reference 7x 5.1, GET /credential): the
// record a VM's settings name in credential. The fake keeps no password, so
// none is ever answered.
type Credential struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
	User string `json:"user"`
}

// VMFlavor is a VM flavor of a hypervisor manager (OpenStack).
type VMFlavor struct {
	GUID      string       `json:"guid"`
	UUID      string       `json:"uuid"`
	Name      string       `json:"name"`
	HvManager *NameAndGuid `json:"hvManager"`
}

// BackupLocation is one stored copy of a backup (reference 3.5, 3.6).
type BackupLocation struct {
	GUID                  string      `json:"guid"`
	Name                  string      `json:"name"`
	Backup                NameAndGuid `json:"backup"`
	SnapshotTime          int64       `json:"snapshotTime"`
	BackupDestination     NameAndGuid `json:"backupDestination"`
	RoleType              Enum        `json:"roleType"`
	BackupDestinationType Enum        `json:"backupDestinationType"`
	Status                Enum        `json:"status"`
	RetentionHint         *Enum       `json:"retentionHint"`
	ArchiveExpire         *int64      `json:"archiveExpire"`
	Type                  *Enum       `json:"type"`
}

// Interval is the INTERVAL-mode setting of a schedule; all values are
// milliseconds (hours are milliseconds after UTC midnight).
type Interval struct {
	StartHour int64 `json:"startHour"`
	EndHour   int64 `json:"endHour"`
	Frequency int64 `json:"frequency"`
}

// Schedule is a backup schedule (reference 3.9). Rules and Policies are
// derived from the rules that hold the schedule.
type Schedule struct {
	GUID                 string        `json:"guid"`
	Name                 string        `json:"name"`
	Active               bool          `json:"active"`
	Type                 Enum          `json:"type"`
	BackupType           Enum          `json:"backupType"`
	ExecutionType        Enum          `json:"executionType"`
	Hour                 *int64        `json:"hour"`
	StartWindowLength    *int64        `json:"startWindowLength"`
	Interval             *Interval     `json:"interval"`
	DaysOfWeek           []Enum        `json:"daysOfWeek"`
	DayOfWeekOccurrences []Enum        `json:"dayOfWeekOccurrences"`
	Months               []Enum        `json:"months"`
	Rules                []NameAndGuid `json:"rules"`
	Policies             []NameAndGuid `json:"policies"`
	// TenantID is the tenant the schedule belongs to: its tenantId on
	// 4.0, its projectUuid on 7.4 (rendered under that name).
	TenantID string `json:"tenantId,omitempty"`
	LastRun  *int64 `json:"lastRun"`
}

// AutoAssignSettings is a policy's automatic VM assignment setting.
type AutoAssignSettings struct {
	Mode           Enum          `json:"mode"`
	IncludeTags    []string      `json:"includeTags"`
	ExcludeTags    []string      `json:"excludeTags"`
	IncludeRegExps []string      `json:"includeRegExps"`
	ExcludeRegExps []string      `json:"excludeRegExps"`
	HvClusters     []NameAndGuid `json:"hvClusters"`
}

// Policy is a VM backup policy (reference 3.10). VMs and Rules are derived;
// VMCount, AverageBackupSize and RuleCount are filled on details and on
// lists with extended=true.
type Policy struct {
	GUID                                    string             `json:"guid"`
	Name                                    string             `json:"name"`
	Priority                                int                `json:"priority"`
	Active                                  bool               `json:"active"`
	AutoRemoveNonPresent                    bool               `json:"autoRemoveNonPresent"`
	AutoAssignSettings                      AutoAssignSettings `json:"autoAssignSettings"`
	BackupRetryCount                        int                `json:"backupRetryCount"`
	FailRemainingBackupTasksExportThreshold *int               `json:"failRemainingBackupTasksExportThreshold"`
	FailRemainingBackupTasksStoreThreshold  *int               `json:"failRemainingBackupTasksStoreThreshold"`
	DailyReportEnabled                      bool               `json:"dailyReportEnabled"`
	MailingList                             *NameAndGuid       `json:"mailingList"`
	// TenantID is the tenant the policy belongs to: its tenantId on 4.0,
	// its projectUuid on 7.4 (rendered under that name).
	TenantID string `json:"tenantId,omitempty"`
	// Projects are the other projects that see the policy (7.4).
	Projects []NameAndGuid `json:"projects"`
	// VisibleForAllProjects shows the policy to every project (7.4).
	VisibleForAllProjects bool          `json:"visibleForAllProjects"`
	VMs                   []NameAndGuid `json:"vms"`
	Rules                 []Rule        `json:"rules"`
	VMCount               *int          `json:"vmCount,omitempty"`
	AverageBackupSize     *int64        `json:"averageBackupSize,omitempty"`
	RuleCount             *int          `json:"ruleCount,omitempty"`
}

// RetentionSettings is the retention of one rule destination (durations in ms).
type RetentionSettings struct {
	RetentionKeepLastNFull              int   `json:"retentionKeepLastNFull"`
	RetentionKeepFullNewerThan          int64 `json:"retentionKeepFullNewerThan"`
	RetentionKeepLastNIncremental       int   `json:"retentionKeepLastNIncremental"`
	RetentionKeepIncrementalNewerThan   int64 `json:"retentionKeepIncrementalNewerThan"`
	KeepLastBackupWhenSourceStillExists bool  `json:"keepLastBackupWhenSourceStillExists"`
}

// RuleBackupDestination is one destination of a rule (PRIMARY, SECONDARY, ARCHIVE).
type RuleBackupDestination struct {
	GUID                    string            `json:"guid"`
	RoleType                Enum              `json:"roleType"`
	BackupDestination       NameGuidAndType   `json:"backupDestination"`
	BackupRetentionSettings RetentionSettings `json:"backupRetentionSettings"`
	DaysToKeepRetentionLock int               `json:"daysToKeepRetentionLock"`
	Active                  bool              `json:"active"`
	Rule                    *NameAndGuid      `json:"rule"`
}

// Rule is a VM backup rule (reference 3.11). Counters are derived.
type Rule struct {
	GUID                    string                  `json:"guid"`
	Name                    string                  `json:"name"`
	Active                  bool                    `json:"active"`
	Position                int                     `json:"position"`
	Policy                  *NameAndGuid            `json:"policy"`
	Schedules               []NameAndGuid           `json:"schedules"`
	RuleBackupDestinations  []RuleBackupDestination `json:"ruleBackupDestinations"`
	DaysToKeepRetentionLock int                     `json:"daysToKeepRetentionLock"`
	VMCount                 int                     `json:"vmCount"`
	SchedulesCount          int                     `json:"schedulesCount"`
	BackupCount             int                     `json:"backupCount"`
	Removable               bool                    `json:"removable"`
	MarkedForDeletion       bool                    `json:"markedForDeletion"`
}

// BackupDestination is a backup target (reference 3.12).
type BackupDestination struct {
	GUID                     string        `json:"guid"`
	Name                     string        `json:"name"`
	Type                     Enum          `json:"type"`
	Description              string        `json:"description"`
	DefaultBackupDestination bool          `json:"defaultBackupDestination"`
	NodeConfigs              []NameAndGuid `json:"nodeConfigs"`
	TotalUsedSpace           int64         `json:"totalUsedSpace"`
	TotalAvailableSpace      int64         `json:"totalAvailableSpace"`
	TotalDedupUsedSpace      int64         `json:"totalDedupUsedSpace"`
	TotalDedupAvailableSpace int64         `json:"totalDedupAvailableSpace"`
	Projects                 []NameAndGuid `json:"projects"`
	VisibleForAllVms         bool          `json:"visibleForAllVms"`
}

// Hypervisor is a hypervisor host (reference 3.13).
type Hypervisor struct {
	GUID               string       `json:"guid"`
	Host               string       `json:"host"`
	Name               string       `json:"name"`
	Type               Enum         `json:"type"`
	User               string       `json:"user"`
	Node               *NameAndGuid `json:"node"`
	HvManager          *NameAndGuid `json:"hvManager"`
	Cluster            *NameAndGuid `json:"cluster"`
	DataCenterName     string       `json:"dataCenterName"`
	VMExportImportMode *Enum        `json:"vmExportImportMode"`
	StorageType        Enum         `json:"storageType"`
	LicenseCovered     bool         `json:"licenseCovered"`
	VMCount            int          `json:"vmCount"`
}

// HypervisorManager is a hypervisor manager such as OpenStack or RHV (reference 3.13).
type HypervisorManager struct {
	GUID               string       `json:"guid"`
	Name               string       `json:"name"`
	URL                string       `json:"url"`
	Type               Enum         `json:"type"`
	VMExportImportMode *Enum        `json:"vmExportImportMode"`
	Node               *NameAndGuid `json:"node"`
}

// HypervisorCluster is a cluster, a restore target identified by UUID.
type HypervisorCluster struct {
	GUID      string       `json:"guid"`
	UUID      string       `json:"uuid"`
	Name      string       `json:"name"`
	HvManager *NameAndGuid `json:"hvManager"`
}

// HypervisorStorage is a storage domain or volume type, a restore target identified by UUID.
type HypervisorStorage struct {
	GUID                string        `json:"guid"`
	UUID                string        `json:"uuid"`
	Name                string        `json:"name"`
	Clusters            []NameAndGuid `json:"clusters"`
	TotalAvailableSpace int64         `json:"totalAvailableSpace"`
	TotalUsedSpace      int64         `json:"totalUsedSpace"`
	HvManager           *NameAndGuid  `json:"hvManager"`
	Hypervisor          *NameAndGuid  `json:"hypervisor"`
}

// StagingSpace is a node's staging space in bytes.
type StagingSpace struct {
	TotalSpace int64 `json:"totalSpace"`
	UsedSpace  int64 `json:"usedSpace"`
}

// Node is a vProtect node, the worker that runs tasks (reference 3.13).
type Node struct {
	GUID         string       `json:"guid"`
	Name         string       `json:"name"`
	LastSeen     int64        `json:"lastSeen"`
	NodeIP       string       `json:"nodeIP"`
	Version      string       `json:"version"`
	State        Enum         `json:"state"`
	StagingSpace StagingSpace `json:"stagingSpace"`
}

// Project is an OpenStack project (a tenant). UUID is the OpenStack project
// id; the tenant filters (tenantid, tenantId, tenant-id, project-uuid) match
// it or the project GUID.
type Project struct {
	GUID      string       `json:"guid"`
	UUID      string       `json:"uuid"`
	Name      string       `json:"name"`
	HvManager *NameAndGuid `json:"hvManager"`
}

// VMDisk is a disk of a VM (reference 7x 5.2). An unsupported disk is
// treated as excluded from backups.
type VMDisk struct {
	GUID               string      `json:"guid"`
	Name               string      `json:"name"`
	UUID               string      `json:"uuid"`
	Size               int64       `json:"size"`
	Present            bool        `json:"present"`
	ExcludedFromBackup bool        `json:"excludedFromBackup"`
	Supported          bool        `json:"supported"`
	Type               Enum        `json:"type"`
	VirtualMachine     NameAndGuid `json:"virtualMachine"`
}

// SnapshotPolicy is a VM snapshot management policy (reference 7x 4.3).
// VMs and Rules are derived.
type SnapshotPolicy struct {
	GUID                                    string             `json:"guid"`
	Name                                    string             `json:"name"`
	Priority                                int                `json:"priority"`
	Active                                  bool               `json:"active"`
	AutoRemoveNonPresent                    bool               `json:"autoRemoveNonPresent"`
	BackupRetryCount                        int                `json:"backupRetryCount"`
	AutoAssignSettings                      AutoAssignSettings `json:"autoAssignSettings"`
	ExecuteAutoAssignmentAfterSavingPolicy  bool               `json:"executeAutoAssignmentAfterSavingPolicy"`
	DailyReportEnabled                      bool               `json:"dailyReportEnabled"`
	FailRemainingBackupTasksExportThreshold *int               `json:"failRemainingBackupTasksExportThreshold"`
	FailRemainingBackupTasksStoreThreshold  *int               `json:"failRemainingBackupTasksStoreThreshold"`
	VMs                                     []NameAndGuid      `json:"vms"`
	Rules                                   []SnapshotRule     `json:"rules"`
	VMCount                                 *int               `json:"vmCount,omitempty"`
	RuleCount                               *int               `json:"ruleCount,omitempty"`
}

// SnapshotRule is the rule of a snapshot policy (SnapshotMgmtRuleDetails,
// reference 7x 4.2): its VM_SNAPSHOT schedules and its retention. Counters
// are derived.
type SnapshotRule struct {
	GUID                    string        `json:"guid"`
	Name                    string        `json:"name"`
	RetentionVersions       int           `json:"retentionVersions"`
	RetentionDays           int           `json:"retentionDays"`
	Policy                  *NameAndGuid  `json:"policy"`
	Schedules               []NameAndGuid `json:"schedules"`
	VMCount                 int           `json:"vmCount"`
	SchedulesCount          int           `json:"schedulesCount"`
	Position                int           `json:"position"`
	Active                  bool          `json:"active"`
	Removable               bool          `json:"removable"`
	DaysToKeepRetentionLock int           `json:"daysToKeepRetentionLock"`
}

// SnapshotAssignment names a snapshot in lastStoredSnapshotAssignments.
type SnapshotAssignment struct {
	ProtectedEntitySnapshot NameAndGuid `json:"protectedEntitySnapshot"`
}

// Snapshot is a VM snapshot (ProtectedEntitySnapshotDetails, reference 7x
// 4.2). StandAlone snapshots are snapshot management's; the others are the
// one kept for the next incremental backup.
type Snapshot struct {
	GUID                          string               `json:"guid"`
	SnapshotTime                  int64                `json:"snapshotTime"`
	UUID                          string               `json:"uuid"`
	ProtectedEntity               NameGuidAndType      `json:"protectedEntity"`
	Rule                          *SnapshotRule        `json:"rule"`
	Warnings                      []string             `json:"warnings"`
	WarningsPresent               bool                 `json:"warningsPresent"`
	Metadata                      string               `json:"metadata"`
	Status                        Enum                 `json:"status"`
	StandAlone                    bool                 `json:"standAlone"`
	LastStoredSnapshotAssignments []SnapshotAssignment `json:"lastStoredSnapshotAssignments"`
}

// MailingList is a list of report recipients (reference 7x 8.3). Details
// carry Recipients; lists carry the count instead (mailingListRecord).
type MailingList struct {
	GUID       string   `json:"guid"`
	Name       string   `json:"name"`
	Recipients []string `json:"recipients"`
}
