package vprotect

import (
	"context"
	"encoding/json"
	"net/http"
)

// UpdateSettings saves the settings of the VM with the given GUID: its
// backup policy (VMBackupPolicy; this is how the vendor UI assigns a VM to
// a policy, taking it out of its previous one), its snapshot policy
// (SnapshotMgmtPolicy), QuiesceBeforeSnapshot, the OS Credential, the base
// image setting, VMExportImportMode, the SSH access and the pre- and
// post-snapshot commands. Get the VM, change it and pass it: every setting
// is sent, so a nil policy takes the VM out of its policy. vm.GUID may be
// empty or must equal guid. When the server answers without a body,
// UpdateSettings returns the VM as sent.
//
// vProtect API: PUT /virtual-machines/{guid}/settings
func (s *VMsService) UpdateSettings(ctx context.Context, guid string, vm *VirtualMachine) (*VirtualMachine, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	body, err := newVMSettingsBody(guid, vm)
	if err != nil {
		return nil, err
	}
	out, err := sendJSON[VirtualMachine](ctx, s.client, http.MethodPut, "/virtual-machines/"+guidSegment(guid)+"/settings", nil, body)
	if err != nil {
		return nil, err
	}
	if out.GUID == "" {
		sent := *vm
		sent.GUID = guid
		return &sent, nil
	}
	return out, nil
}

// SetSSHPassword sets the password of the SSH access to the VM with the
// given GUID (the pre- and post-snapshot commands run over it). The
// password is sent as {"value":"..."}; the client's logs and errors never
// carry it.
//
// vProtect API: PUT /virtual-machines/{guid}/ssh-password
func (s *VMsService) SetSSHPassword(ctx context.Context, guid, password string) error {
	if err := requireGUID("guid", guid); err != nil {
		return err
	}
	if password == "" {
		return argError("password", "must not be empty")
	}
	_, err := s.client.do(ctx, &request{method: http.MethodPut, path: "/virtual-machines/" + guidSegment(guid) + "/ssh-password", body: newValueBody(password)})
	return err
}

// vmSettingsBody is the body of a VM settings update: the VM's identity and
// every setting, references and enums in their request form.
type vmSettingsBody struct {
	GUID                     string                    `json:"guid"`
	Name                     string                    `json:"name"`
	UUID                     string                    `json:"uuid"`
	VMBackupPolicy           *NameAndGuid              `json:"vmBackupPolicy"`
	SnapshotMgmtPolicy       *NameAndGuid              `json:"snapshotMgmtPolicy"`
	QuiesceBeforeSnapshot    bool                      `json:"quiesceBeforeSnapshot"`
	Credential               *NameAndGuid              `json:"credential"`
	BaseImageCreationConfig  json.RawMessage           `json:"baseImageCreationConfig,omitempty"`
	VMExportImportMode       *Enum[VMExportImportMode] `json:"vmExportImportMode,omitempty"`
	SSHHost                  string                    `json:"sshHost"`
	SSHPort                  int                       `json:"sshPort"`
	SSHUser                  string                    `json:"sshUser"`
	SSHKeyPath               string                    `json:"sshKeyPath"`
	PreSnapCmdArgs           []string                  `json:"preSnapCmdArgs"`
	PreSnapCmdExecEnabled    bool                      `json:"preSnapCmdExecEnabled"`
	PostSnapCmdArgs          []string                  `json:"postSnapCmdArgs"`
	PostSnapCmdExecEnabled   bool                      `json:"postSnapCmdExecEnabled"`
	PreSnapIgnoredExitCodes  FlexString                `json:"preSnapIgnoredExitCodes"`
	PostSnapIgnoredExitCodes FlexString                `json:"postSnapIgnoredExitCodes"`
	PreSnapStdErrorHandling  *Enum[StdErrorHandling]   `json:"preSnapStdErrorHandling,omitempty"`
	PostSnapStdErrorHandling *Enum[StdErrorHandling]   `json:"postSnapStdErrorHandling,omitempty"`
}

// newVMSettingsBody checks vm and builds the body that updates the VM guid.
func newVMSettingsBody(guid string, vm *VirtualMachine) (*vmSettingsBody, error) {
	if err := checkBody("vm", vm); err != nil {
		return nil, err
	}
	if err := checkUpdateGUID("VirtualMachine", vm.GUID, guid); err != nil {
		return nil, err
	}
	refs := []struct {
		field string
		ref   *NameAndGuid
	}{
		{"VirtualMachine.VMBackupPolicy", vm.VMBackupPolicy},
		{"VirtualMachine.SnapshotMgmtPolicy", vm.SnapshotMgmtPolicy},
		{"VirtualMachine.Credential", vm.Credential},
	}
	for _, r := range refs {
		if r.ref != nil && r.ref.GUID == "" {
			return nil, argError(r.field, "must hold a GUID, or be nil for none")
		}
	}
	switch {
	case vm.SSHPort < 0 || vm.SSHPort > 65535:
		return nil, argError("VirtualMachine.SSHPort", "must be in 0..65535, got %d", vm.SSHPort)
	case vm.PreSnapCmdExecEnabled && len(vm.PreSnapCmdArgs) == 0:
		return nil, argError("VirtualMachine.PreSnapCmdArgs", "must name the command when PreSnapCmdExecEnabled is set")
	case vm.PostSnapCmdExecEnabled && len(vm.PostSnapCmdArgs) == 0:
		return nil, argError("VirtualMachine.PostSnapCmdArgs", "must name the command when PostSnapCmdExecEnabled is set")
	}
	if len(vm.BaseImageCreationConfig) > 0 && !json.Valid(vm.BaseImageCreationConfig) {
		return nil, argError("VirtualMachine.BaseImageCreationConfig", "must be valid JSON")
	}
	b := &vmSettingsBody{
		GUID:                     guid,
		Name:                     vm.Name,
		UUID:                     vm.UUID,
		VMBackupPolicy:           reqRefPtr(vm.VMBackupPolicy),
		SnapshotMgmtPolicy:       reqRefPtr(vm.SnapshotMgmtPolicy),
		QuiesceBeforeSnapshot:    vm.QuiesceBeforeSnapshot,
		Credential:               reqRefPtr(vm.Credential),
		BaseImageCreationConfig:  vm.BaseImageCreationConfig,
		SSHHost:                  vm.SSHHost,
		SSHPort:                  vm.SSHPort,
		SSHUser:                  vm.SSHUser,
		SSHKeyPath:               vm.SSHKeyPath,
		PreSnapCmdArgs:           reqStrings(vm.PreSnapCmdArgs),
		PreSnapCmdExecEnabled:    vm.PreSnapCmdExecEnabled,
		PostSnapCmdArgs:          reqStrings(vm.PostSnapCmdArgs),
		PostSnapCmdExecEnabled:   vm.PostSnapCmdExecEnabled,
		PreSnapIgnoredExitCodes:  vm.PreSnapIgnoredExitCodes,
		PostSnapIgnoredExitCodes: vm.PostSnapIgnoredExitCodes,
	}
	if !vm.VMExportImportMode.IsZero() {
		m := reqEnum(vm.VMExportImportMode)
		b.VMExportImportMode = &m
	}
	if !vm.PreSnapStdErrorHandling.IsZero() {
		h := reqEnum(vm.PreSnapStdErrorHandling)
		b.PreSnapStdErrorHandling = &h
	}
	if !vm.PostSnapStdErrorHandling.IsZero() {
		h := reqEnum(vm.PostSnapStdErrorHandling)
		b.PostSnapStdErrorHandling = &h
	}
	return b, nil
}
