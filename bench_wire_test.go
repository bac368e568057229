package vprotect

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// Plain structs shaped like the benchmark's wire bytes, with no methods:
// what a user writes to decode the same answers with encoding/json. The
// baseline of every benchmark decodes into these (TestBenchWireTypesCoverBody
// checks that they take every member of the bytes, so that the baseline
// does the SDK's work and no less).

type wireRef struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
}

type wireEnum struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type wireTypedRef struct {
	GUID string   `json:"guid"`
	Name string   `json:"name"`
	Type wireEnum `json:"type"`
}

type wireVM struct {
	GUID         string   `json:"guid"`
	UUID         string   `json:"uuid"`
	Name         string   `json:"name"`
	OriginalName string   `json:"originalName"`
	Present      bool     `json:"present"`
	Type         wireEnum `json:"type"`
	Hypervisor   *wireRef `json:"hypervisor"`
	HVManager    *struct {
		GUID string `json:"guid"`
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"hvManager"`
	HVCluster          *wireRef  `json:"hvCluster"`
	HVType             *wireEnum `json:"hvType"`
	HVMType            *wireEnum `json:"hvmType"`
	VMBackupPolicy     *wireRef  `json:"vmBackupPolicy"`
	SnapshotMgmtPolicy *wireRef  `json:"snapshotMgmtPolicy"`
	Project            *struct {
		GUID string `json:"guid"`
		Name string `json:"name"`
		UUID string `json:"uuid"`
	} `json:"project"`
	VMFlavor                     *wireRef   `json:"vmFlavor"`
	Networks                     []wireRef  `json:"networks"`
	BackupUpToDate               *bool      `json:"backupUpToDate"`
	LastBackup                   int64      `json:"lastBackup"`
	LastSuccessfulBackupSize     int64      `json:"lastSuccessfulBackupSize"`
	LastSuccessfulFullBackupSize int64      `json:"lastSuccessfulFullBackupSize"`
	LastSuccessfulFullBackup     *wireRef   `json:"lastSuccessfulFullBackup"`
	LastSuccessfulIncBackup      string     `json:"lastSuccessfulIncBackup"`
	LastStoredSnapshot           *wireRef   `json:"lastStoredSnapshot"`
	LastChainMarkedForDeletion   bool       `json:"lastChainMarkedForDeletion"`
	RestoreStatus                string     `json:"restoreStatus"`
	Restorable                   bool       `json:"restorable"`
	WarningsPresent              bool       `json:"warningsPresent"`
	AverageProgress              float64    `json:"averageProgress"`
	PossibleActions              []wireEnum `json:"possibleActions"`
	SupportsQuiesceSnapshot      bool       `json:"supportsQuiesceSnapshot"`
	QuiesceBeforeSnapshot        bool       `json:"quiesceBeforeSnapshot"`
	Tags                         []string   `json:"tags"`
	VMExportImportMode           wireEnum   `json:"vmExportImportMode"`
	VirtualProvider              *struct {
		GUID                string   `json:"guid"`
		Name                string   `json:"name"`
		VirtualProviderType wireEnum `json:"virtualProviderType"`
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
	PreSnapStdErrorHandling  wireEnum        `json:"preSnapStdErrorHandling"`
	PostSnapStdErrorHandling wireEnum        `json:"postSnapStdErrorHandling"`
	BaseImageCreationConfig  json.RawMessage `json:"baseImageCreationConfig"`
	Backups                  []wireRef       `json:"backups"`
	Tasks                    []wireRef       `json:"tasks"`
}

type wireTask struct {
	GUID                       string        `json:"guid"`
	Type                       wireEnum      `json:"type"`
	State                      wireEnum      `json:"state"`
	Progress                   float64       `json:"progress"`
	ProgressChange             float64       `json:"progressChange"`
	WindowStart                int64         `json:"windowStart"`
	WindowEnd                  int64         `json:"windowEnd"`
	StartTime                  int64         `json:"startTime"`
	FinishTime                 *int64        `json:"finishTime"`
	Priority                   int           `json:"priority"`
	BackupType                 wireEnum      `json:"backupType"`
	ProtectedEntity            *wireTypedRef `json:"protectedEntity"`
	ProtectedEntityDisplayName string        `json:"protectedEntityDisplayName"`
	DstProtectedEntity         *wireTypedRef `json:"dstProtectedEntity"`
	ProtectedEntitySnapshot    *wireRef      `json:"protectedEntitySnapshot"`
	BackupDestination          *wireRef      `json:"backupDestination"`
	Hypervisor                 *wireRef      `json:"hypervisor"`
	HypervisorManager          *wireRef      `json:"hypervisorManager"`
	Node                       *wireRef      `json:"node"`
	OriginEntity               *wireTypedRef `json:"originEntity"`
	StatusInfo                 string        `json:"statusInfo"`
	RestoreType                wireEnum      `json:"restoreType"`
	ParentTask                 *wireRef      `json:"parentTask"`
	WorkflowExecution          *wireRef      `json:"workflowExecution"`
	RetryCount                 int           `json:"retryCount"`
	ProcessedObjectCount       int           `json:"processedObjectCount"`
	TotalObjectCount           int           `json:"totalObjectCount"`
	PowerOnAfterRestore        bool          `json:"powerOnAfterRestore"`
	StorageProvider            *wireRef      `json:"storageProvider"`
	CloudServiceProvider       *wireRef      `json:"cloudServiceProvider"`
	OSAgent                    *wireRef      `json:"osAgent"`
	TapeManager                *wireRef      `json:"tapeManager"`
	Backup                     *wireRef      `json:"backup"`
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
	var vm wireVM
	strict(d.vm, &vm)
	var sdk VirtualMachine
	require.NoError(t, decodeJSON(d.vm, &sdk))
	require.Equal(t, vm.Name, sdk.Name)
	require.Equal(t, vm.LastBackup, sdk.LastBackup.UnixMilli())
	require.Equal(t, vm.LastSuccessfulFullBackup.GUID, sdk.LastSuccessfulFullBackup.GUID)
	require.Equal(t, vm.LastSuccessfulIncBackup, sdk.LastSuccessfulIncBackup.Name)
	require.Equal(t, vm.PostSnapIgnoredExitCodes, string(sdk.PostSnapIgnoredExitCodes))
	var task wireTask
	strict(d.task, &task)
	var st Task
	require.NoError(t, decodeJSON(d.task, &st))
	require.Equal(t, task.GUID, st.GUID)
	require.Equal(t, task.ProtectedEntity.Type.Name, st.ProtectedEntity.Type.Name)
}
