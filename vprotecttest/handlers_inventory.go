package vprotecttest

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// The VM inventory beyond lists and details (reference 7x 5.1, 5.2): VM
// settings, the unpaged detailed search, removing VMs that are gone, and
// inventory synchronisation.

// GET /virtual-machines/detailed (filter=<text>: a substring of the name)
func (s *Server) detailedVMs(c *call) (reply, error) {
	f := strings.ToLower(param(c.r.URL.Query(), "filter"))
	out := []VM{}
	for _, v := range s.st.vms.all() {
		if f == "" || strings.Contains(strings.ToLower(v.Name), f) {
			out = append(out, s.st.renderVM(v))
		}
	}
	return okReply(out), nil
}

// optRef is a reference field that tells an absent key (set false) from
// null or a reference without a GUID ({"name":""}, the UI's "none"), which
// both clear it.
type optRef struct {
	set bool
	ref *NameAndGuid
}

func (o *optRef) UnmarshalJSON(b []byte) error {
	o.set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		return nil
	}
	var r NameAndGuid
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	if r.GUID != "" {
		o.ref = &r
	}
	return nil
}

// vmSettingsRequest is the body of PUT /virtual-machines/{guid}/settings:
// the whole VM details object with edits; the settings present are applied,
// the rest of the object is ignored.
type vmSettingsRequest struct {
	GUID                    string          `json:"guid"`
	VMBackupPolicy          optRef          `json:"vmBackupPolicy"`
	SnapshotMgmtPolicy      optRef          `json:"snapshotMgmtPolicy"`
	Credential              optRef          `json:"credential"`
	QuiesceBeforeSnapshot   *bool           `json:"quiesceBeforeSnapshot"`
	BaseImageCreationConfig json.RawMessage `json:"baseImageCreationConfig"`
	SSHHost                 *string         `json:"sshHost"`
	SSHPort                 *int            `json:"sshPort"`
	SSHUser                 *string         `json:"sshUser"`
	PreSnapCmdExecEnabled   *bool           `json:"preSnapCmdExecEnabled"`
	PreSnapCmdArgs          *[]string       `json:"preSnapCmdArgs"`
	PostSnapCmdExecEnabled  *bool           `json:"postSnapCmdExecEnabled"`
	PostSnapCmdArgs         *[]string       `json:"postSnapCmdArgs"`
}

// PUT /virtual-machines/{guid}/settings: assigning vmBackupPolicy moves the
// VM into that policy (one policy per VM), snapshotMgmtPolicy likewise.
func (s *Server) updateVMSettings(c *call) (reply, error) {
	v, ok := s.st.vms.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("virtual machine", pathGUID(c.r))
	}
	var req vmSettingsRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if req.GUID != "" && req.GUID != v.GUID {
		return reply{}, badRequest("guid: %q is not the virtual machine %q of the path", req.GUID, v.GUID)
	}
	if r := req.VMBackupPolicy.ref; r != nil {
		if _, ok := s.st.policies.get(r.GUID); !ok {
			return reply{}, badRequest("vmBackupPolicy: unknown policy %q", r.GUID)
		}
	}
	if r := req.SnapshotMgmtPolicy.ref; r != nil {
		if _, ok := s.st.snapPols.get(r.GUID); !ok {
			return reply{}, badRequest("snapshotMgmtPolicy: unknown snapshot policy %q", r.GUID)
		}
	}
	if req.SSHPort != nil && (*req.SSHPort < 0 || *req.SSHPort > 65535) {
		return reply{}, badRequest("sshPort: must be between 0 and 65535")
	}
	set := v.VMSettings
	if req.VMBackupPolicy.set {
		v.VMBackupPolicy = guidRef(req.VMBackupPolicy.ref)
	}
	if req.SnapshotMgmtPolicy.set {
		set.SnapshotMgmtPolicy = guidRef(req.SnapshotMgmtPolicy.ref)
	}
	if req.Credential.set {
		set.Credential = clonePtr(req.Credential.ref)
	}
	if len(req.BaseImageCreationConfig) > 0 {
		if bytes.Equal(bytes.TrimSpace(req.BaseImageCreationConfig), []byte("null")) {
			set.BaseImageCreationConfig = nil
		} else {
			set.BaseImageCreationConfig = append(json.RawMessage{}, req.BaseImageCreationConfig...)
		}
	}
	setIf(&set.QuiesceBeforeSnapshot, req.QuiesceBeforeSnapshot)
	setIf(&set.SSHHost, req.SSHHost)
	setIf(&set.SSHPort, req.SSHPort)
	setIf(&set.SSHUser, req.SSHUser)
	setIf(&set.PreSnapCmdExecEnabled, req.PreSnapCmdExecEnabled)
	setIf(&set.PreSnapCmdArgs, req.PreSnapCmdArgs)
	setIf(&set.PostSnapCmdExecEnabled, req.PostSnapCmdExecEnabled)
	setIf(&set.PostSnapCmdArgs, req.PostSnapCmdArgs)
	v.VMSettings = set
	return okReply(s.st.renderVM(v)), nil
}

// PUT /virtual-machines/{guid}/ssh-password {"value":"<password>"}: 204.
// The password is kept and never answered; the request log masks it.
func (s *Server) setVMSSHPassword(c *call) (reply, error) {
	v, ok := s.st.vms.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("virtual machine", pathGUID(c.r))
	}
	var req valueRequest[string]
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if req.Value == nil {
		return reply{}, badRequest("value: is required (the password)")
	}
	v.SSHPassword = *req.Value
	return noContent(), nil
}

// GET /credential: the OS credentials, by name, without passwords.
func (s *Server) listCredentials(c *call) (reply, error) {
	return listReply(c, s.st.credentials.all(), func(cr *Credential) string { return cr.Name }, deepCopy[Credential])
}

// setIf stores *v in dst when v is not nil.
func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// guidRef is a stored reference to r's GUID (nil for nil).
func guidRef(r *NameAndGuid) *NameAndGuid {
	if r == nil {
		return nil
	}
	return &NameAndGuid{GUID: r.GUID}
}

// DELETE /virtual-machines/all-non-present: removes every VM that is not
// present and has no backups, with its disks and snapshots (the UI's
// service method is deleteAllNonPresentAndWithoutBackup, reference 7x 5.2).
func (s *Server) deleteAllNonPresent(c *call) (reply, error) {
	withBackups := map[string]bool{}
	for _, b := range s.st.backups.all() {
		withBackups[b.ProtectedEntity.GUID] = true
	}
	for _, v := range s.st.vms.all() {
		if v.Present || withBackups[v.GUID] {
			continue
		}
		delete(s.st.vmDisks, v.GUID)
		delete(s.st.vmNICs, v.GUID)
		for _, sn := range s.st.snapshots.all() {
			if sn.ProtectedEntity.GUID == v.GUID {
				s.st.snapshots.del(sn.GUID)
			}
		}
		s.st.vms.del(v.GUID)
	}
	return noContent(), nil
}

// inventorySyncRequest is the body of POST /tasks/inventory-sync.
type inventorySyncRequest struct {
	HypervisorManagers []NameAndGuid `json:"hypervisorManagers"`
}

// POST /tasks/inventory-sync: an INVENTORY_SYNC task per hypervisor
// manager, on the manager's node.
func (s *Server) inventorySync(c *call) (reply, error) {
	var req inventorySyncRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if len(req.HypervisorManagers) == 0 {
		return reply{}, badRequest("hypervisorManagers: must not be empty")
	}
	for i, ref := range req.HypervisorManagers {
		if _, ok := s.st.managers.get(ref.GUID); !ok {
			return reply{}, badRequest("hypervisorManagers[%d]: unknown hypervisor manager %q", i, ref.GUID)
		}
	}
	origin := s.userOrigin(c.login)
	var recs []*taskRec
	for _, ref := range req.HypervisorManagers {
		recs = append(recs, s.newTask(taskSpec{typ: "INVENTORY_SYNC", priority: 50, winStart: c.now,
			winEnd: c.now.Add(time.Hour), manager: ref.GUID, origin: origin}, c.now))
	}
	s.advance(c.now)
	tasks := make([]Task, 0, len(recs))
	for _, r := range recs {
		tasks = append(tasks, s.renderTask(r))
	}
	return created(tasks), nil
}
