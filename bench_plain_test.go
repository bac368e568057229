package vprotect

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// Plain structs shaped like the benchmark's wire bytes, with no methods:
// what a user writes to decode the same answers with encoding/json. The
// baseline of every benchmark decodes into these (TestBenchWireTypesCoverBody
// checks that they take every member of the bytes, so that the baseline
// does the SDK's work and no less).

type plainRef struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
}

type plainEnum struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type plainTypedRef struct {
	GUID string    `json:"guid"`
	Name string    `json:"name"`
	Type plainEnum `json:"type"`
}

type plainVM struct {
	GUID         string    `json:"guid"`
	UUID         string    `json:"uuid"`
	Name         string    `json:"name"`
	OriginalName string    `json:"originalName"`
	Present      bool      `json:"present"`
	Type         plainEnum `json:"type"`
	Hypervisor   *plainRef `json:"hypervisor"`
	HVManager    *struct {
		GUID string `json:"guid"`
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"hvManager"`
	HVCluster          *plainRef  `json:"hvCluster"`
	HVType             *plainEnum `json:"hvType"`
	HVMType            *plainEnum `json:"hvmType"`
	VMBackupPolicy     *plainRef  `json:"vmBackupPolicy"`
	SnapshotMgmtPolicy *plainRef  `json:"snapshotMgmtPolicy"`
	Project            *struct {
		GUID string `json:"guid"`
		Name string `json:"name"`
		UUID string `json:"uuid"`
	} `json:"project"`
	VMFlavor                     *plainRef   `json:"vmFlavor"`
	Credential                   *plainRef   `json:"credential"`
	Networks                     []plainRef  `json:"networks"`
	BackupUpToDate               *bool       `json:"backupUpToDate"`
	LastBackup                   int64       `json:"lastBackup"`
	LastSuccessfulBackupSize     int64       `json:"lastSuccessfulBackupSize"`
	LastSuccessfulFullBackupSize int64       `json:"lastSuccessfulFullBackupSize"`
	LastSuccessfulFullBackup     *plainRef   `json:"lastSuccessfulFullBackup"`
	LastSuccessfulIncBackup      string      `json:"lastSuccessfulIncBackup"`
	LastStoredSnapshot           *plainRef   `json:"lastStoredSnapshot"`
	LastChainMarkedForDeletion   bool        `json:"lastChainMarkedForDeletion"`
	RestoreStatus                string      `json:"restoreStatus"`
	Restorable                   bool        `json:"restorable"`
	WarningsPresent              bool        `json:"warningsPresent"`
	AverageProgress              float64     `json:"averageProgress"`
	PossibleActions              []plainEnum `json:"possibleActions"`
	SupportsQuiesceSnapshot      bool        `json:"supportsQuiesceSnapshot"`
	QuiesceBeforeSnapshot        bool        `json:"quiesceBeforeSnapshot"`
	Tags                         []string    `json:"tags"`
	VMExportImportMode           plainEnum   `json:"vmExportImportMode"`
	VirtualProvider              *struct {
		GUID                string    `json:"guid"`
		Name                string    `json:"name"`
		VirtualProviderType plainEnum `json:"virtualProviderType"`
	} `json:"virtualProvider"`
	SSHHost                  string          `json:"sshHost"`
	SSHPort                  int             `json:"sshPort"`
	SSHUser                  string          `json:"sshUser"`
	SSHKeyPath               string          `json:"sshKeyPath"`
	PreSnapCmdArgs           []string        `json:"preSnapCmdArgs"`
	PreSnapCmdExecEnabled    bool            `json:"preSnapCmdExecEnabled"`
	PostSnapCmdArgs          []string        `json:"postSnapCmdArgs"`
	PostSnapCmdExecEnabled   bool            `json:"postSnapCmdExecEnabled"`
	PreSnapIgnoredExitCodes  string          `json:"preSnapIgnoredExitCodes"`
	PostSnapIgnoredExitCodes string          `json:"postSnapIgnoredExitCodes"`
	PreSnapStdErrorHandling  plainEnum       `json:"preSnapStdErrorHandling"`
	PostSnapStdErrorHandling plainEnum       `json:"postSnapStdErrorHandling"`
	BaseImageCreationConfig  json.RawMessage `json:"baseImageCreationConfig"`
	Backups                  []plainRef      `json:"backups"`
	Tasks                    []plainRef      `json:"tasks"`
}

type plainTask struct {
	GUID                       string         `json:"guid"`
	Type                       plainEnum      `json:"type"`
	State                      plainEnum      `json:"state"`
	Progress                   float64        `json:"progress"`
	ProgressChange             float64        `json:"progressChange"`
	WindowStart                int64          `json:"windowStart"`
	WindowEnd                  int64          `json:"windowEnd"`
	StartTime                  int64          `json:"startTime"`
	FinishTime                 *int64         `json:"finishTime"`
	Priority                   int            `json:"priority"`
	BackupType                 plainEnum      `json:"backupType"`
	ProtectedEntity            *plainTypedRef `json:"protectedEntity"`
	ProtectedEntityDisplayName string         `json:"protectedEntityDisplayName"`
	DstProtectedEntity         *plainTypedRef `json:"dstProtectedEntity"`
	ProtectedEntitySnapshot    *plainRef      `json:"protectedEntitySnapshot"`
	BackupDestination          *plainRef      `json:"backupDestination"`
	Hypervisor                 *plainRef      `json:"hypervisor"`
	HypervisorManager          *plainRef      `json:"hypervisorManager"`
	Node                       *plainRef      `json:"node"`
	OriginEntity               *plainTypedRef `json:"originEntity"`
	StatusInfo                 string         `json:"statusInfo"`
	RestoreType                plainEnum      `json:"restoreType"`
	ParentTask                 *plainRef      `json:"parentTask"`
	WorkflowExecution          *plainRef      `json:"workflowExecution"`
	RetryCount                 int            `json:"retryCount"`
	ProcessedObjectCount       int            `json:"processedObjectCount"`
	TotalObjectCount           int            `json:"totalObjectCount"`
	PowerOnAfterRestore        bool           `json:"powerOnAfterRestore"`
	StorageProvider            *plainRef      `json:"storageProvider"`
	CloudServiceProvider       *plainRef      `json:"cloudServiceProvider"`
	OSAgent                    *plainRef      `json:"osAgent"`
	TapeManager                *plainRef      `json:"tapeManager"`
	Backup                     *plainRef      `json:"backup"`
	MountedBackup              *plainRef      `json:"mountedBackup"`
}

// TestBenchWireTypesCoverBody: the plain structs take every member of the
// benchmark's bytes, and the SDK decodes the same bytes to the same values.
func TestBenchWireTypesCoverBody(t *testing.T) {
	d, err := buildBenchData(false)
	require.NoError(t, err)
	strict := func(b []byte, v any) {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(v))
	}
	var vm plainVM
	strict(d.vm, &vm)
	var sdk VirtualMachine
	require.NoError(t, decodeJSON(context.Background(), d.vm, &sdk))
	require.Equal(t, vm.Name, sdk.Name)
	require.Equal(t, vm.LastBackup, sdk.LastBackup.UnixMilli())
	require.Equal(t, vm.LastSuccessfulFullBackup.GUID, sdk.LastSuccessfulFullBackup.GUID)
	require.Equal(t, vm.LastSuccessfulIncBackup, sdk.LastSuccessfulIncBackup.Name)
	require.Equal(t, vm.PostSnapIgnoredExitCodes, string(sdk.PostSnapIgnoredExitCodes))
	var task plainTask
	strict(d.task, &task)
	var st Task
	require.NoError(t, decodeJSON(context.Background(), d.task, &st))
	require.Equal(t, task.GUID, st.GUID)
	require.Equal(t, task.ProtectedEntity.Type.Name, st.ProtectedEntity.Type.Name)
}
