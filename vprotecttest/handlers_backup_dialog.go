package vprotecttest

// The backup dialog of the vendor UI (reference 7x 5.2, 5.3): the policies
// of the chosen VMs, and which of them cannot have an incremental backup.

// entitiesRequest is the body of POST /policies/vm-backup/list-by-entities:
// VM GUIDs as strings (references are accepted too).
type entitiesRequest struct {
	ProtectedEntities []NameAndGuid `json:"protectedEntities"`
}

// POST /policies/vm-backup/list-by-entities: the policies of the VMs that
// have rules (not counting rules marked for deletion), each once, with
// their rules; [] when none has one.
func (s *Server) listPoliciesByEntities(c *call) (reply, error) {
	var req entitiesRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	out := []any{}
	seen := map[string]bool{}
	for i, ref := range req.ProtectedEntities {
		v, ok := s.st.vms.get(ref.GUID)
		if !ok {
			return reply{}, badRequest("protectedEntities[%d]: unknown virtual machine %q", i, ref.GUID)
		}
		if v.VMBackupPolicy == nil || seen[v.VMBackupPolicy.GUID] {
			continue
		}
		p, ok := s.st.policies.get(v.VMBackupPolicy.GUID)
		if !ok || !s.st.hasLiveRules(p.GUID) {
			continue
		}
		seen[p.GUID] = true
		out = append(out, s.policyWire(p, true))
	}
	return okReply(out), nil
}

// hasLiveRules reports whether a policy has a rule not marked for deletion.
func (st *state) hasLiveRules(policy string) bool {
	for _, r := range st.rulesOfPolicy(policy) {
		if !r.MarkedForDeletion {
			return true
		}
	}
	return false
}

// incrementalRequest is the body of POST /virtual-machines/incremental-not-possible:
// the dialog's VMs, each a VM record whose vmBackupPolicy the UI replaced by
// the policy it will back up with. VMs are resolved by GUID; a policy the
// entity names is used instead of the VM's own.
type incrementalRequest struct {
	Entities []struct {
		GUID           string       `json:"guid"`
		VMBackupPolicy *NameAndGuid `json:"vmBackupPolicy"`
	} `json:"entities"`
}

// notReadyVM is the virtualMachine of an incremental-not-possible row: the
// VM with its whole policy (the UI reads its name, rules, vmCount and
// averageBackupSize).
type notReadyVM struct {
	VM
	VMBackupPolicy *Policy `json:"vmBackupPolicy"`
}

// notReadyRow is one row of the incremental-not-possible answer.
type notReadyRow struct {
	VirtualMachine notReadyVM `json:"virtualMachine"`
	Reasons        []Enum     `json:"reasons"`
}

// Reasons why a VM cannot have an incremental backup. The reference knows
// only MISSING_INCREMENTAL_SCHEDULER; MISSING_SNAPSHOT is the fake's own
// name for a VM that has no snapshot to start an incremental backup from
// (no backup yet).
const (
	reasonMissingIncrementalScheduler = "MISSING_INCREMENTAL_SCHEDULER"
	reasonMissingSnapshot             = "MISSING_SNAPSHOT"
)

// POST /virtual-machines/incremental-not-possible: the VMs that cannot
// have an incremental backup now, with the reasons: no active INCREMENTAL
// schedule on an active rule of the policy (or no policy), and no snapshot
// yet. [] when every VM is ready.
func (s *Server) incrementalNotPossible(c *call) (reply, error) {
	var req incrementalRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if len(req.Entities) == 0 {
		return reply{}, badRequest("entities: must not be empty")
	}
	out := []notReadyRow{}
	for i, e := range req.Entities {
		v, ok := s.st.vms.get(e.GUID)
		if !ok {
			return reply{}, badRequest("entities[%d]: unknown virtual machine %q", i, e.GUID)
		}
		var policy *Policy
		if e.VMBackupPolicy != nil && e.VMBackupPolicy.GUID != "" {
			if policy, ok = s.st.policies.get(e.VMBackupPolicy.GUID); !ok {
				return reply{}, badRequest("entities[%d].vmBackupPolicy: unknown policy %q", i, e.VMBackupPolicy.GUID)
			}
		} else if v.VMBackupPolicy != nil {
			policy, _ = s.st.policies.get(v.VMBackupPolicy.GUID)
		}
		var reasons []Enum
		if policy == nil || !s.st.hasIncrementalSchedule(policy.GUID) {
			reasons = append(reasons, enumOf(reasonMissingIncrementalScheduler))
		}
		if v.LastStoredSnapshot == nil && v.LastBackup == nil {
			reasons = append(reasons, Enum{Name: reasonMissingSnapshot, Description: "No snapshot to start an incremental backup from (make a full backup first)"})
		}
		if len(reasons) == 0 {
			continue
		}
		row := notReadyRow{VirtualMachine: notReadyVM{VM: s.st.renderVM(v)}, Reasons: reasons}
		if policy != nil {
			p := s.st.renderPolicy(policy, true)
			row.VirtualMachine.VMBackupPolicy = &p
		}
		out = append(out, row)
	}
	return okReply(out), nil
}

// hasIncrementalSchedule reports whether an active rule of the policy (not
// marked for deletion) holds an active INCREMENTAL schedule.
func (st *state) hasIncrementalSchedule(policy string) bool {
	for _, r := range st.rulesOfPolicy(policy) {
		if !r.Active || r.MarkedForDeletion {
			continue
		}
		for _, ref := range r.Schedules {
			if sc, ok := st.schedules.get(ref.GUID); ok && sc.Active && sc.BackupType.Name == "INCREMENTAL" {
				return true
			}
		}
	}
	return false
}
