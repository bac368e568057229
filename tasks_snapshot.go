package vprotect

import (
	"context"
	"net/http"
)

// SnapshotRequest asks for hypervisor snapshots of VMs under a snapshot
// policy's rule, at once (the vendor UI's "Snapshot" on a snapshot policy).
// The VMs must have a snapshot policy; the rule's retention then decides
// which of their snapshots are kept.
type SnapshotRequest struct {
	// ProtectedEntities are the GUIDs of the VMs; at least one.
	ProtectedEntities []string
	// Rule is the GUID of the snapshot rule (SnapshotPolicy.Rules[0]).
	Rule string
	// Priority is the queue priority, 0..100; nil means DefaultTaskPriority (50).
	Priority *int
}

// snapshotBody is the body of a snapshot request.
type snapshotBody struct {
	Priority          int           `json:"priority"`
	ProtectedEntities []NameAndGuid `json:"protectedEntities"`
	Rule              NameAndGuid   `json:"rule"`
}

// newSnapshotBody checks r and builds its body.
func newSnapshotBody(r SnapshotRequest) (*snapshotBody, error) {
	if len(r.ProtectedEntities) == 0 {
		return nil, argError("SnapshotRequest.ProtectedEntities", "must name at least one VM")
	}
	if err := checkGUIDs("SnapshotRequest.ProtectedEntities", r.ProtectedEntities); err != nil {
		return nil, err
	}
	if err := requireGUID("SnapshotRequest.Rule", r.Rule); err != nil {
		return nil, err
	}
	prio := DefaultTaskPriority
	if r.Priority != nil {
		prio = *r.Priority
		if prio < 0 || prio > MaxTaskPriority {
			return nil, argError("SnapshotRequest.Priority", "must be 0..%d, got %d", MaxTaskPriority, prio)
		}
	}
	return &snapshotBody{Priority: prio, ProtectedEntities: Refs(r.ProtectedEntities...), Rule: Ref(r.Rule)}, nil
}

// Snapshot takes hypervisor snapshots of the VMs in req under its rule:
// the server starts a SNAPSHOT task per VM. It returns the tasks when the
// server names them (an empty slice when it answers without a body). A POST,
// never re-sent.
//
// vProtect API: POST /tasks/vm-snapshot
func (s *TasksService) Snapshot(ctx context.Context, req SnapshotRequest) ([]Task, error) {
	body, err := newSnapshotBody(req)
	if err != nil {
		return nil, err
	}
	out, err := sendJSON[taskArray](ctx, s.client, http.MethodPost, "/tasks/vm-snapshot", nil, body)
	if err != nil {
		return nil, err
	}
	return out.tasks(), nil
}
