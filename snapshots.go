package vprotect

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// SnapshotsService lists the hypervisor snapshots of VMs that vProtect
// keeps: the one kept for the next incremental backup and those made by
// snapshot management (on demand with TasksService.Snapshot or by a
// VM_SNAPSHOT schedule), which their rule's retention keeps.
type SnapshotsService service

// SnapshotsAPI is the set of methods of SnapshotsService, for mocking.
type SnapshotsAPI interface {
	List(ctx context.Context, opts *SnapshotListOptions) ([]Snapshot, error)
	ListPage(ctx context.Context, opts *SnapshotListOptions) (Page[Snapshot], error)
	All(ctx context.Context, opts *SnapshotListOptions) iter.Seq2[Snapshot, error]
	Get(ctx context.Context, guid string) (*Snapshot, error)
	AcknowledgeWarnings(ctx context.Context, guids ...string) ([]Snapshot, error)
}

var _ SnapshotsAPI = (*SnapshotsService)(nil)

// Snapshot is a snapshot of a VM in its hypervisor
// (ProtectedEntitySnapshotDetails).
type Snapshot struct {
	// GUID identifies the snapshot in vProtect.
	GUID string `json:"guid"`
	// SnapshotTime is when the snapshot was taken.
	SnapshotTime Timestamp `json:"snapshotTime"`
	// UUID is the snapshot's id in the hypervisor.
	UUID string `json:"uuid"`
	// ProtectedEntity is the VM.
	ProtectedEntity NameGuidAndType `json:"protectedEntity"`
	// Rule is the snapshot management rule that made the snapshot; nil for
	// the snapshot kept for the next incremental backup.
	Rule *SnapshotRule `json:"rule"`
	// Warnings are the warnings of the snapshot task.
	Warnings []string `json:"warnings"`
	// WarningsPresent reports whether Warnings is not empty.
	WarningsPresent bool `json:"warningsPresent"`
	// Metadata is the hypervisor's metadata, as the server words it.
	Metadata string `json:"metadata"`
	// Status is QUEUED, CREATING, PRESENT, FAILED or REMOVED.
	Status Enum[SnapshotStatus] `json:"status"`
	// StandAlone is set on the snapshots of snapshot management, unset on
	// the one kept for incremental backups.
	StandAlone bool `json:"standAlone"`
	// LastStoredSnapshotAssignments are the snapshots this one is the
	// last stored snapshot for.
	LastStoredSnapshotAssignments []SnapshotAssignment `json:"lastStoredSnapshotAssignments"`
}

// SnapshotAssignment names a snapshot in Snapshot.LastStoredSnapshotAssignments.
type SnapshotAssignment struct {
	// ProtectedEntitySnapshot is the snapshot.
	ProtectedEntitySnapshot NameAndGuid `json:"protectedEntitySnapshot"`
}

// IsCurrent reports whether s is the VM's last stored snapshot, the one the
// next incremental backup starts from (the vendor UI's "current" mark):
// vm.LastStoredSnapshot names it.
func (s *Snapshot) IsCurrent(vm *VirtualMachine) bool {
	return vm != nil && vm.LastStoredSnapshot != nil && s.GUID != "" && vm.LastStoredSnapshot.GUID == s.GUID
}

// SnapshotListOptions filters and pages a snapshot list. The zero value
// lists every snapshot.
type SnapshotListOptions struct {
	ListOptions
	// ProtectedEntities keeps the snapshots of these VMs (a repeated
	// protected-entity parameter).
	ProtectedEntities []string
	// StandAlone, when set, keeps the snapshots of snapshot management
	// (true) or the ones kept for incremental backups (false). The vendor
	// UI's "Snapshots History" tab sends true.
	StandAlone *bool
	// Status keeps the snapshots in one status.
	Status SnapshotStatus
	// From and To keep the snapshots taken in [From, To]; zero for no bound.
	From, To time.Time
	// After keeps the snapshots taken after this time.
	After time.Time
	// Policy keeps the snapshots made under the snapshot policy with this GUID.
	Policy string
	// BackupRule keeps the snapshots made under the rule with this GUID
	// (sent as backup-rule).
	BackupRule string
	// UUID keeps the snapshot with this hypervisor-side id.
	UUID string
	// ProjectUUID keeps the snapshots of a project (7.x, sent as project-uuid).
	ProjectUUID string
	// NameLike keeps the snapshots whose VM name matches this pattern.
	NameLike string
}

func (o *SnapshotListOptions) encode() (query, error) {
	q := query{}
	if o == nil {
		return q, nil
	}
	if err := o.ListOptions.addTo(q); err != nil {
		return nil, err
	}
	if err := checkGUIDs("SnapshotListOptions.ProtectedEntities", o.ProtectedEntities); err != nil {
		return nil, err
	}
	if !o.From.IsZero() && !o.To.IsZero() && o.To.Before(o.From) {
		return nil, argError("SnapshotListOptions.To", "must not be before From")
	}
	addAll(q, "protected-entity", o.ProtectedEntities)
	if o.StandAlone != nil {
		url.Values(q).Set("stand-alone", strconv.FormatBool(*o.StandAlone))
	}
	q.set("status", string(o.Status))
	q.setTime("from", o.From)
	q.setTime("to", o.To)
	q.setTime("after", o.After)
	q.set("policy", o.Policy)
	q.set("backup-rule", o.BackupRule)
	q.set("uuid", o.UUID)
	q.set("project-uuid", o.ProjectUUID)
	q.set("nameLike", o.NameLike)
	return q, nil
}

// List returns the snapshots that match opts (nil lists all), one page of
// them when opts set a page size.
//
// vProtect API: GET /snapshots
func (s *SnapshotsService) List(ctx context.Context, opts *SnapshotListOptions) ([]Snapshot, error) {
	return listOf[Snapshot](ctx, s.client, "/snapshots", opts)
}

// ListPage returns one page of snapshots and the total number that match opts.
//
// vProtect API: GET /snapshots
func (s *SnapshotsService) ListPage(ctx context.Context, opts *SnapshotListOptions) (Page[Snapshot], error) {
	return listPageOf[Snapshot](ctx, s.client, "/snapshots", opts)
}

// All pages through every snapshot that matches opts (opts.Size sets the
// page size, DefaultPageSize if 0; opts.Page is ignored), yielding an error once.
//
// vProtect API: GET /snapshots
func (s *SnapshotsService) All(ctx context.Context, opts *SnapshotListOptions) iter.Seq2[Snapshot, error] {
	return allOf[Snapshot](ctx, s.client, "/snapshots", opts)
}

// Get returns the snapshot with the given GUID.
//
// vProtect API: GET /snapshots/{guid}
func (s *SnapshotsService) Get(ctx context.Context, guid string) (*Snapshot, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	return getJSON[Snapshot](ctx, s.client, "/snapshots/"+guidSegment(guid), nil)
}

// AcknowledgeWarnings marks the warnings of the snapshots with the given
// GUIDs as seen and returns those snapshots, their warnings cleared. The
// request (WarningAcknowledgementRequest, "a batch of identifiers") is sent
// as {"guids":[...]}; the reference does not give its member's name.
//
// vProtect API: PUT /snapshots/warnings-acknowledged
func (s *SnapshotsService) AcknowledgeWarnings(ctx context.Context, guids ...string) ([]Snapshot, error) {
	body, err := newWarningAcknowledgementBody(guids)
	if err != nil {
		return nil, err
	}
	out, err := sendJSON[[]Snapshot](ctx, s.client, http.MethodPut, "/snapshots/warnings-acknowledged", nil, body)
	if err != nil {
		return nil, err
	}
	return *out, nil
}

// warningAcknowledgementBody is the body of PUT /snapshots/warnings-acknowledged.
type warningAcknowledgementBody struct {
	GUIDs []string `json:"guids"`
}

// newWarningAcknowledgementBody checks guids (at least one, each a GUID).
func newWarningAcknowledgementBody(guids []string) (*warningAcknowledgementBody, error) {
	if len(guids) == 0 {
		return nil, argError("guids", "must name at least one snapshot")
	}
	if err := checkGUIDs("guids", guids); err != nil {
		return nil, err
	}
	return &warningAcknowledgementBody{GUIDs: guids}, nil
}
