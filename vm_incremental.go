package vprotect

import (
	"context"
	"net/http"
)

// VMNotReadyForIncremental is a VM that cannot have an incremental backup
// now, and why: a row of the answer of VMsService.IncrementalNotPossible.
type VMNotReadyForIncremental struct {
	// VirtualMachine is the VM.
	VirtualMachine VirtualMachine `json:"virtualMachine"`
	// Reasons say why, with descriptions to show. For
	// MISSING_INCREMENTAL_SCHEDULER the VM's policy has no INCREMENTAL
	// schedule: create one (SchedulesService.Create with BackupType
	// INCREMENTAL and the policy's rules) to fix it.
	Reasons []Enum[IncrementalNotPossibleReason] `json:"reasons"`
}

// HasReason reports whether r is among the reasons.
func (v *VMNotReadyForIncremental) HasReason(r IncrementalNotPossibleReason) bool {
	for _, e := range v.Reasons {
		if e.Name == r {
			return true
		}
	}
	return false
}

// IncrementalNotPossible checks whether the given VMs can have an
// incremental backup now, as the vendor UI's backup dialog does before it
// offers INCREMENTAL. It returns the VMs that cannot, each with its
// reasons; an empty answer means every VM is ready. The VMs are sent by
// GUID, for the server to resolve with their policies.
//
// vProtect API: POST /virtual-machines/incremental-not-possible
func (s *VMsService) IncrementalNotPossible(ctx context.Context, vmGUIDs ...string) ([]VMNotReadyForIncremental, error) {
	body, err := newIncrementalCheckBody(vmGUIDs)
	if err != nil {
		return nil, err
	}
	out, err := sendJSON[[]VMNotReadyForIncremental](ctx, s.client, http.MethodPost, "/virtual-machines/incremental-not-possible", nil, body)
	if err != nil {
		return nil, err
	}
	if *out == nil {
		return []VMNotReadyForIncremental{}, nil
	}
	return *out, nil
}

// incrementalCheckBody is the body of incremental-not-possible: the VMs.
type incrementalCheckBody struct {
	Entities []NameAndGuid `json:"entities"`
}

// newIncrementalCheckBody checks that vmGUIDs names at least one VM.
func newIncrementalCheckBody(vmGUIDs []string) (*incrementalCheckBody, error) {
	if len(vmGUIDs) == 0 {
		return nil, argError("vmGUIDs", "must hold at least one VM GUID")
	}
	if err := checkGUIDs("vmGUIDs", vmGUIDs); err != nil {
		return nil, err
	}
	return &incrementalCheckBody{Entities: Refs(vmGUIDs...)}, nil
}
