package alternatives

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// "std-lib fast paths alone": encoding/json drives, into types shaped like
// the SDK's, whose tolerant UnmarshalJSON methods take the common forms by
// hand (null, a bare string without escapes, a number, a numeric string)
// instead of calling json.Unmarshal again on their bytes. An object still
// goes to json.Unmarshal (into the same type without the method), as the
// SDK's methods do: decoding an object by hand inside UnmarshalJSON is
// writing a decoder, which is what the SDK's own decoder is.

// fastRef is NameAndGuid: an object, a bare GUID string, or null.
type fastRef struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
}

func (r *fastRef) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
		*r = fastRef{}
		return nil
	case '"':
		if s, ok := bareString(b); ok {
			*r = fastRef{GUID: s}
			return nil
		}
	}
	type plain fastRef
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*r = fastRef(p)
	return nil
}

// fastEnum is Enum[T]: an object, a bare name string, or null.
type fastEnum struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

func (e *fastEnum) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
		*e = fastEnum{}
		return nil
	case '"':
		if s, ok := bareString(b); ok {
			*e = fastEnum{Name: s}
			return nil
		}
	}
	type plain fastEnum
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*e = fastEnum(p)
	return nil
}

// fastMillis is Timestamp: milliseconds as a number or a numeric string,
// or null.
type fastMillis int64

func (m *fastMillis) UnmarshalJSON(b []byte) error {
	if b[0] == 'n' {
		*m = 0
		return nil
	}
	if s, ok := bareString(b); ok {
		b = []byte(s)
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return err
	}
	*m = fastMillis(n)
	return nil
}

// fastFlex is FlexString: a string, a number or a boolean, as text.
type fastFlex string

func (f *fastFlex) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
		*f = ""
		return nil
	case '"':
		if s, ok := bareString(b); ok {
			*f = fastFlex(s)
			return nil
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = fastFlex(s)
		return nil
	}
	*f = fastFlex(b)
	return nil
}

// fastMark is VMBackupMark: a reference object, or a bare string.
type fastMark fastRef

func (m *fastMark) UnmarshalJSON(b []byte) error {
	if b[0] == '{' {
		return (*fastRef)(m).UnmarshalJSON(b)
	}
	var f fastFlex
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	*m = fastMark{Name: string(f)}
	return nil
}

// bareString returns the text of the JSON string b when it has no escapes
// (encoding/json has checked b already).
func bareString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || bytes.IndexByte(b, '\\') >= 0 {
		return "", false
	}
	return string(b[1 : len(b)-1]), true
}

// fastVM is VirtualMachine with the fast-path types.
type fastVM struct {
	GUID         string   `json:"guid"`
	UUID         string   `json:"uuid"`
	Name         string   `json:"name"`
	OriginalName string   `json:"originalName"`
	Present      bool     `json:"present"`
	Type         fastEnum `json:"type"`
	Hypervisor   *fastRef `json:"hypervisor"`
	HVManager    *struct {
		GUID string `json:"guid"`
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"hvManager"`
	HVCluster          *fastRef `json:"hvCluster"`
	HVType             fastEnum `json:"hvType"`
	HVMType            fastEnum `json:"hvmType"`
	VMBackupPolicy     *fastRef `json:"vmBackupPolicy"`
	SnapshotMgmtPolicy *fastRef `json:"snapshotMgmtPolicy"`
	Credential         *fastRef `json:"credential"`
	Project            *struct {
		GUID string `json:"guid"`
		Name string `json:"name"`
		UUID string `json:"uuid"`
	} `json:"project"`
	VMFlavor                     *fastRef   `json:"vmFlavor"`
	Networks                     []fastRef  `json:"networks"`
	BackupUpToDate               *bool      `json:"backupUpToDate"`
	LastBackup                   fastMillis `json:"lastBackup"`
	LastSuccessfulBackupSize     int64      `json:"lastSuccessfulBackupSize"`
	LastSuccessfulFullBackupSize int64      `json:"lastSuccessfulFullBackupSize"`
	LastSuccessfulFullBackup     fastMark   `json:"lastSuccessfulFullBackup"`
	LastSuccessfulIncBackup      fastMark   `json:"lastSuccessfulIncBackup"`
	LastStoredSnapshot           *fastRef   `json:"lastStoredSnapshot"`
	LastChainMarkedForDeletion   bool       `json:"lastChainMarkedForDeletion"`
	RestoreStatus                string     `json:"restoreStatus"`
	Restorable                   bool       `json:"restorable"`
	WarningsPresent              bool       `json:"warningsPresent"`
	AverageProgress              float64    `json:"averageProgress"`
	PossibleActions              []fastEnum `json:"possibleActions"`
	SupportsQuiesceSnapshot      bool       `json:"supportsQuiesceSnapshot"`
	QuiesceBeforeSnapshot        bool       `json:"quiesceBeforeSnapshot"`
	Tags                         []string   `json:"tags"`
	VMExportImportMode           fastEnum   `json:"vmExportImportMode"`
	VirtualProvider              *struct {
		GUID                string   `json:"guid"`
		Name                string   `json:"name"`
		VirtualProviderType fastEnum `json:"virtualProviderType"`
	} `json:"virtualProvider"`
	SSHHost                  string          `json:"sshHost"`
	SSHPort                  int             `json:"sshPort"`
	SSHUser                  string          `json:"sshUser"`
	SSHKeyPath               string          `json:"sshKeyPath"`
	PreSnapCmdArgs           []string        `json:"preSnapCmdArgs"`
	PreSnapCmdExecEnabled    bool            `json:"preSnapCmdExecEnabled"`
	PostSnapCmdArgs          []string        `json:"postSnapCmdArgs"`
	PostSnapCmdExecEnabled   bool            `json:"postSnapCmdExecEnabled"`
	PreSnapIgnoredExitCodes  fastFlex        `json:"preSnapIgnoredExitCodes"`
	PostSnapIgnoredExitCodes fastFlex        `json:"postSnapIgnoredExitCodes"`
	PreSnapStdErrorHandling  fastEnum        `json:"preSnapStdErrorHandling"`
	PostSnapStdErrorHandling fastEnum        `json:"postSnapStdErrorHandling"`
	BaseImageCreationConfig  json.RawMessage `json:"baseImageCreationConfig"`
	Backups                  []fastRef       `json:"backups"`
	Tasks                    []fastRef       `json:"tasks"`
}
