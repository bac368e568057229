package vprotect

import (
	"context"
	"net/http"
)

// AutoAssignmentChange is one change of VM assignment that saving a policy
// would make under its auto-assignment settings (a row of the
// auto-assignment preview).
type AutoAssignmentChange struct {
	// ProtectedEntity is the VM.
	ProtectedEntity NameAndGuid `json:"protectedEntity"`
	// ChangeType is the operation (the vendor UI shows its description).
	ChangeType EnumNameAndDescription `json:"changeType"`
	// ChangeReason is why (the vendor UI shows its description).
	ChangeReason EnumNameAndDescription `json:"changeReason"`
}

// AutoAssignmentPreview returns the changes of VM assignment that saving p
// would make under its auto-assignment settings, without saving anything:
// exclusions win over inclusions, inclusions are ORed, and VMs leave the
// policy only in ASSIGN_AND_REMOVE mode. p.GUID set previews an existing
// policy, empty a new one. p is checked as Create checks it.
//
// vProtect API: POST /policies/vm-backup/auto-assignment-preview
// vProtect API: POST /policies/vm-backup/{guid}/auto-assignment-preview
func (s *PoliciesService) AutoAssignmentPreview(ctx context.Context, p *Policy) ([]AutoAssignmentChange, error) {
	guid := ""
	if p != nil {
		guid = p.GUID
	}
	body, err := newPolicyBody(guid, p)
	if err != nil {
		return nil, err
	}
	return autoAssignmentPreview(ctx, s.client, "/policies/vm-backup", "Policy.GUID", guid, body)
}

// autoAssignmentPreview posts body to the preview path under base, for the
// policy guid ("" for a new policy; field names it in an *ArgumentError).
func autoAssignmentPreview(ctx context.Context, c *Client, base, field, guid string, body any) ([]AutoAssignmentChange, error) {
	path := base + "/auto-assignment-preview"
	if guid != "" {
		if err := requireGUID(field, guid); err != nil {
			return nil, err
		}
		path = base + "/" + guidSegment(guid) + "/auto-assignment-preview"
	}
	out, err := sendJSON[[]AutoAssignmentChange](ctx, c, http.MethodPost, path, nil, body)
	if err != nil {
		return nil, err
	}
	if *out == nil {
		return []AutoAssignmentChange{}, nil
	}
	return *out, nil
}
