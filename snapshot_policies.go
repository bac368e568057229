package vprotect

import (
	"context"
	"errors"
	"iter"
	"net/http"
)

// SnapshotPoliciesService manages VM snapshot management policies and their
// rules: which VMs get hypervisor snapshots, when (VM_SNAPSHOT schedules)
// and how many are kept.
//
// A snapshot policy is saved in two calls, as the vendor UI does: the
// policy, then its rule (POST /rules/vm-snapshot for a new policy, PUT
// /rules/vm-backup/{guid} for an existing rule). Save makes both; Create,
// Update, CreateRule and UpdateRule make one each.
type SnapshotPoliciesService service

// SnapshotPoliciesAPI is the set of methods of SnapshotPoliciesService, for mocking.
type SnapshotPoliciesAPI interface {
	List(ctx context.Context, opts *SnapshotPolicyListOptions) ([]SnapshotPolicy, error)
	ListPage(ctx context.Context, opts *SnapshotPolicyListOptions) (Page[SnapshotPolicy], error)
	All(ctx context.Context, opts *SnapshotPolicyListOptions) iter.Seq2[SnapshotPolicy, error]
	Get(ctx context.Context, guid string) (*SnapshotPolicy, error)
	Create(ctx context.Context, p *SnapshotPolicy) (*SnapshotPolicy, error)
	Update(ctx context.Context, guid string, p *SnapshotPolicy) (*SnapshotPolicy, error)
	Delete(ctx context.Context, guid string) error
	CreateRule(ctx context.Context, r *SnapshotRule) (*SnapshotRule, error)
	UpdateRule(ctx context.Context, guid string, r *SnapshotRule) (*SnapshotRule, error)
	Save(ctx context.Context, p *SnapshotPolicy) (*SnapshotPolicy, error)
	AutoAssignmentPreview(ctx context.Context, p *SnapshotPolicy) ([]AutoAssignmentChange, error)
}

var _ SnapshotPoliciesAPI = (*SnapshotPoliciesService)(nil)

// SnapshotPolicy is a VM snapshot management policy: the VMs it takes
// snapshots of, and its rule (schedules and retention). A VM has at most
// one snapshot policy, apart from its backup policy.
type SnapshotPolicy struct {
	// GUID identifies the policy; set by the server.
	GUID string `json:"guid,omitempty"`
	// Name must be unique; 1..255 characters.
	Name string `json:"name"`
	// Priority of the policy's snapshot tasks, 0..100 (the UI's default is 50).
	Priority int `json:"priority"`
	// Active enables scheduled snapshots. It is always sent.
	Active bool `json:"active"`
	// AutoRemoveNonPresent removes VMs that no longer exist from the policy
	// (the UI's default for snapshot policies is true).
	AutoRemoveNonPresent bool `json:"autoRemoveNonPresent"`
	// BackupRetryCount is how many times a failed snapshot is retried.
	BackupRetryCount int `json:"backupRetryCount"`
	// AutoAssignSettings controls automatic assignment of VMs. Requests send
	// mode DISABLED when Mode is unset.
	AutoAssignSettings AutoAssignSettings `json:"autoAssignSettings"`
	// VMs are the VMs the policy takes snapshots of.
	VMs []NameAndGuid `json:"vms"`
	// Rules are the policy's rules (details only; the vendor UI uses one,
	// named "Default"). Create and Update do not send them: Save sends
	// Rules[0] with its own call.
	Rules []SnapshotRule `json:"rules,omitempty"`
	// ExecuteAutoAssignmentAfterSavingPolicy runs auto-assignment on save.
	ExecuteAutoAssignmentAfterSavingPolicy bool `json:"executeAutoAssignmentAfterSavingPolicy"`
	// DailyReportEnabled sends a daily report.
	DailyReportEnabled bool `json:"dailyReportEnabled"`
	// FailRemainingBackupTasksExportThreshold fails the remaining tasks
	// when this percentage (0..100) has failed; nil for none.
	FailRemainingBackupTasksExportThreshold *int `json:"failRemainingBackupTasksExportThreshold"`
	// FailRemainingBackupTasksStoreThreshold is the same for the second
	// stage of tasks; nil for none.
	FailRemainingBackupTasksStoreThreshold *int `json:"failRemainingBackupTasksStoreThreshold"`

	// VMCount is the number of VMs (response only).
	VMCount int `json:"vmCount"`
	// RuleCount is the number of rules (response only).
	RuleCount int `json:"ruleCount"`
}

// SnapshotRule is the rule of a snapshot policy (SnapshotMgmtRuleDetails):
// the schedules that take snapshots and how many are kept. A snapshot is
// kept while either limit keeps it.
type SnapshotRule struct {
	// GUID identifies the rule; set by the server.
	GUID string `json:"guid,omitempty"`
	// Name is 1..255 characters ("Default" in the vendor UI).
	Name string `json:"name"`
	// Policy is the snapshot policy the rule belongs to (required by CreateRule).
	Policy *NameAndGuid `json:"policy"`
	// RetentionVersions keeps the last N snapshots of each VM.
	RetentionVersions int `json:"retentionVersions"`
	// RetentionDays keeps the snapshots of the last N days (whole days).
	RetentionDays int `json:"retentionDays"`
	// Schedules are the VM_SNAPSHOT schedules that take snapshots.
	Schedules []NameAndGuid `json:"schedules"`
	// Active enables the rule. It is always sent.
	Active bool `json:"active"`
	// Position orders the rules of a policy.
	Position int `json:"position"`

	// VMCount is the number of VMs the rule applies to (response only).
	VMCount int `json:"vmCount"`
	// SchedulesCount is the number of schedules (response only).
	SchedulesCount int `json:"schedulesCount"`
	// Removable says whether the rule can be deleted (response only).
	Removable bool `json:"removable"`
	// DaysToKeepRetentionLock is the immutability period in days (response only).
	DaysToKeepRetentionLock int `json:"daysToKeepRetentionLock"`
}

// NewSnapshotPolicy returns an active snapshot policy with the vendor UI's
// defaults (priority 50, auto-assignment DISABLED and run on save, VMs no
// longer present removed) for the VMs with the given GUIDs, with one
// active rule "Default" that keeps the last versions snapshots and those
// of the last days days, taken by the given VM_SNAPSHOT schedules. Save it
// with SnapshotPoliciesService.Save.
func NewSnapshotPolicy(name string, versions, days int, scheduleGUIDs []string, vmGUIDs ...string) *SnapshotPolicy {
	return &SnapshotPolicy{
		Name:                                   name,
		Priority:                               50,
		Active:                                 true,
		AutoRemoveNonPresent:                   true,
		AutoAssignSettings:                     AutoAssignSettings{Mode: EnumOf(AutoAssignModeDisabled)},
		VMs:                                    Refs(vmGUIDs...),
		ExecuteAutoAssignmentAfterSavingPolicy: true,
		Rules: []SnapshotRule{{
			Name: defaultSnapshotRuleName, RetentionVersions: versions, RetentionDays: days,
			Schedules: Refs(scheduleGUIDs...), Active: true,
		}},
	}
}

// defaultSnapshotRuleName is the name the vendor UI gives a snapshot rule.
const defaultSnapshotRuleName = "Default"

// SnapshotPolicyListOptions filters and pages a snapshot policy list.
type SnapshotPolicyListOptions struct {
	ListOptions
	// ProjectUUID lists the policies of a project (7.x, sent as project-uuid).
	ProjectUUID string
	// Extended adds VMCount, RuleCount and the rules to each policy.
	Extended bool
}

func (o *SnapshotPolicyListOptions) encode() (query, error) {
	q := query{}
	if o == nil {
		return q, nil
	}
	if err := o.ListOptions.addTo(q); err != nil {
		return nil, err
	}
	q.set("project-uuid", o.ProjectUUID)
	q.setBool("extended", o.Extended)
	return q, nil
}

// List returns the snapshot policies that match opts (nil lists all), one
// page of them when opts set a page size.
//
// vProtect API: GET /policies/vm-snapshot
func (s *SnapshotPoliciesService) List(ctx context.Context, opts *SnapshotPolicyListOptions) ([]SnapshotPolicy, error) {
	return listOf[SnapshotPolicy](ctx, s.client, "/policies/vm-snapshot", opts)
}

// ListPage returns one page of snapshot policies and the total number that match opts.
//
// vProtect API: GET /policies/vm-snapshot
func (s *SnapshotPoliciesService) ListPage(ctx context.Context, opts *SnapshotPolicyListOptions) (Page[SnapshotPolicy], error) {
	return listPageOf[SnapshotPolicy](ctx, s.client, "/policies/vm-snapshot", opts)
}

// All pages through every snapshot policy that matches opts (opts.Size sets
// the page size, DefaultPageSize if 0; opts.Page is ignored), yielding an
// error once.
//
// vProtect API: GET /policies/vm-snapshot
func (s *SnapshotPoliciesService) All(ctx context.Context, opts *SnapshotPolicyListOptions) iter.Seq2[SnapshotPolicy, error] {
	return allOf[SnapshotPolicy](ctx, s.client, "/policies/vm-snapshot", opts)
}

// Get returns the details of the snapshot policy with the given GUID, with
// its VMs and rules.
//
// vProtect API: GET /policies/vm-snapshot/{guid}
func (s *SnapshotPoliciesService) Get(ctx context.Context, guid string) (*SnapshotPolicy, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	return getJSON[SnapshotPolicy](ctx, s.client, snapshotPolicyPath(guid), nil)
}

// Create creates the snapshot policy p without its rules (the first call of
// the save flow; CreateRule is the second, Save does both) and returns it
// with its GUID. p is checked first; nothing is sent when it is invalid.
//
// vProtect API: POST /policies/vm-snapshot
func (s *SnapshotPoliciesService) Create(ctx context.Context, p *SnapshotPolicy) (*SnapshotPolicy, error) {
	body, err := newSnapshotPolicyBody("", p)
	if err != nil {
		return nil, err
	}
	return sendJSON[SnapshotPolicy](ctx, s.client, http.MethodPost, "/policies/vm-snapshot", nil, body)
}

// Update replaces the snapshot policy with the given GUID by p, its rules
// aside (UpdateRule changes a rule; Save does both). p.GUID may be empty or
// must equal guid. When the server answers without a body, Update returns
// the policy as sent.
//
// vProtect API: PUT /policies/vm-snapshot/{guid}
func (s *SnapshotPoliciesService) Update(ctx context.Context, guid string, p *SnapshotPolicy) (*SnapshotPolicy, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	body, err := newSnapshotPolicyBody(guid, p)
	if err != nil {
		return nil, err
	}
	out, err := sendJSON[SnapshotPolicy](ctx, s.client, http.MethodPut, snapshotPolicyPath(guid), nil, body)
	if err != nil {
		return nil, err
	}
	if out.GUID == "" {
		sent := *p
		sent.GUID = guid
		return &sent, nil
	}
	return out, nil
}

// Delete deletes the snapshot policy with the given GUID and its rules.
//
// vProtect API: DELETE /policies/vm-snapshot/{guid}
func (s *SnapshotPoliciesService) Delete(ctx context.Context, guid string) error {
	if err := requireGUID("guid", guid); err != nil {
		return err
	}
	_, err := s.client.do(ctx, &request{method: http.MethodDelete, path: snapshotPolicyPath(guid)})
	return err
}

// CreateRule adds the rule r to the snapshot policy r.Policy and returns it
// with its GUID (when the server answers with it). An empty name is sent as
// "Default", as the vendor UI names it.
//
// vProtect API: POST /rules/vm-snapshot
func (s *SnapshotPoliciesService) CreateRule(ctx context.Context, r *SnapshotRule) (*SnapshotRule, error) {
	body, err := newSnapshotRuleBody("", r)
	if err != nil {
		return nil, err
	}
	return sendOrSent(ctx, s.client, http.MethodPost, "/rules/vm-snapshot", body, func(r *SnapshotRule) bool { return r.GUID != "" })
}

// UpdateRule replaces the snapshot rule with the given GUID by r. The path
// is the VM backup rules' one: the vendor UI updates snapshot rules through
// it, and servers accept a snapshot rule there. r.GUID may be empty or must
// equal guid. When the server answers without a body, UpdateRule returns
// the rule as sent.
//
// vProtect API: PUT /rules/vm-backup/{guid}
func (s *SnapshotPoliciesService) UpdateRule(ctx context.Context, guid string, r *SnapshotRule) (*SnapshotRule, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	body, err := newSnapshotRuleBody(guid, r)
	if err != nil {
		return nil, err
	}
	return sendOrSent(ctx, s.client, http.MethodPut, rulePath(guid), body, func(r *SnapshotRule) bool { return r.GUID != "" })
}

// Save saves p and its first rule the way the vendor UI does. For a new
// policy (p.GUID empty) it creates the policy, then its rule (Rules[0], as
// "Default" unless named, under the new policy). For an existing one it
// updates the policy, then Rules[0] (created when it has no GUID). With no
// rules only the policy is saved. It returns the policy as the server then
// has it (one more GET). The arguments are all checked before the first
// call; a failure of the second call leaves the policy saved.
func (s *SnapshotPoliciesService) Save(ctx context.Context, p *SnapshotPolicy) (*SnapshotPolicy, error) {
	if _, err := newSnapshotPolicyBody(p.guidOrEmpty(), p); err != nil {
		return nil, err
	}
	var rule *SnapshotRule
	if len(p.Rules) > 0 {
		rule = &p.Rules[0]
		if rule.Policy != nil && rule.Policy.GUID != "" && p.GUID != "" && rule.Policy.GUID != p.GUID {
			return nil, argError("SnapshotPolicy.Rules[0].Policy", "is %q but the policy is %q", rule.Policy.GUID, p.GUID)
		}
		if _, err := newSnapshotRuleForm("SnapshotPolicy.Rules[0]", rule); err != nil {
			return nil, err
		}
	}
	guid := p.GUID
	if guid == "" {
		created, err := s.Create(ctx, p)
		if err != nil {
			return nil, err
		}
		guid = created.GUID
		if guid == "" {
			return nil, errors.New("vprotect: POST /policies/vm-snapshot: the server answered without the new policy's GUID; its rule was not created")
		}
	} else if _, err := s.Update(ctx, guid, p); err != nil {
		return nil, err
	}
	if rule != nil {
		r := *rule
		r.Policy = RefPtr(guid)
		var err error
		if r.GUID == "" {
			_, err = s.CreateRule(ctx, &r)
		} else {
			_, err = s.UpdateRule(ctx, r.GUID, &r)
		}
		if err != nil {
			return nil, err
		}
	}
	return s.Get(ctx, guid)
}

func (p *SnapshotPolicy) guidOrEmpty() string {
	if p == nil {
		return ""
	}
	return p.GUID
}

// AutoAssignmentPreview returns the changes of VM assignment that saving p
// would make under its auto-assignment settings, without saving anything.
// p.GUID set previews an existing policy, empty a new one.
//
// vProtect API: POST /policies/vm-snapshot/auto-assignment-preview
// vProtect API: POST /policies/vm-snapshot/{guid}/auto-assignment-preview
func (s *SnapshotPoliciesService) AutoAssignmentPreview(ctx context.Context, p *SnapshotPolicy) ([]AutoAssignmentChange, error) {
	body, err := newSnapshotPolicyBody(p.guidOrEmpty(), p)
	if err != nil {
		return nil, err
	}
	return autoAssignmentPreview(ctx, s.client, "/policies/vm-snapshot", "SnapshotPolicy.GUID", p.GUID, body)
}

func snapshotPolicyPath(guid string) string { return "/policies/vm-snapshot/" + guidSegment(guid) }

// snapshotPolicyBody is the body of a snapshot policy create or update.
type snapshotPolicyBody struct {
	GUID                                    string         `json:"guid,omitempty"`
	Name                                    string         `json:"name"`
	Priority                                int            `json:"priority"`
	Active                                  bool           `json:"active"`
	AutoRemoveNonPresent                    bool           `json:"autoRemoveNonPresent"`
	BackupRetryCount                        int            `json:"backupRetryCount"`
	AutoAssignSettings                      autoAssignBody `json:"autoAssignSettings"`
	VMs                                     []NameAndGuid  `json:"vms"`
	ExecuteAutoAssignmentAfterSavingPolicy  bool           `json:"executeAutoAssignmentAfterSavingPolicy"`
	DailyReportEnabled                      bool           `json:"dailyReportEnabled"`
	FailRemainingBackupTasksExportThreshold *int           `json:"failRemainingBackupTasksExportThreshold"`
	FailRemainingBackupTasksStoreThreshold  *int           `json:"failRemainingBackupTasksStoreThreshold"`
}

// newSnapshotPolicyBody checks p and builds the body that creates it (guid
// empty) or updates the policy guid with it.
func newSnapshotPolicyBody(guid string, p *SnapshotPolicy) (*snapshotPolicyBody, error) {
	if err := checkBody("policy", p); err != nil {
		return nil, err
	}
	if err := checkUpdateGUID("SnapshotPolicy", p.GUID, guid); err != nil {
		return nil, err
	}
	if err := checkName("SnapshotPolicy.Name", p.Name); err != nil {
		return nil, err
	}
	switch {
	case p.Priority < 0 || p.Priority > 100:
		return nil, argError("SnapshotPolicy.Priority", "must be in 0..100, got %d", p.Priority)
	case p.BackupRetryCount < 0:
		return nil, argError("SnapshotPolicy.BackupRetryCount", "must not be negative, got %d", p.BackupRetryCount)
	}
	for _, th := range []struct {
		field string
		v     *int
	}{
		{"SnapshotPolicy.FailRemainingBackupTasksExportThreshold", p.FailRemainingBackupTasksExportThreshold},
		{"SnapshotPolicy.FailRemainingBackupTasksStoreThreshold", p.FailRemainingBackupTasksStoreThreshold},
	} {
		if th.v != nil && (*th.v < 0 || *th.v > 100) {
			return nil, argError(th.field, "must be in 0..100 or nil, got %d", *th.v)
		}
	}
	for i, vm := range p.VMs {
		if vm.GUID == "" {
			return nil, argError(indexed("SnapshotPolicy.VMs", i), "must hold the VM's GUID")
		}
	}
	return &snapshotPolicyBody{
		GUID:                                    guid,
		Name:                                    p.Name,
		Priority:                                p.Priority,
		Active:                                  p.Active,
		AutoRemoveNonPresent:                    p.AutoRemoveNonPresent,
		BackupRetryCount:                        p.BackupRetryCount,
		AutoAssignSettings:                      newAutoAssignBody(p.AutoAssignSettings),
		VMs:                                     reqRefs(p.VMs),
		ExecuteAutoAssignmentAfterSavingPolicy:  p.ExecuteAutoAssignmentAfterSavingPolicy,
		DailyReportEnabled:                      p.DailyReportEnabled,
		FailRemainingBackupTasksExportThreshold: p.FailRemainingBackupTasksExportThreshold,
		FailRemainingBackupTasksStoreThreshold:  p.FailRemainingBackupTasksStoreThreshold,
	}, nil
}

// snapshotRuleBody is the body of a snapshot rule create or update.
type snapshotRuleBody struct {
	GUID              string        `json:"guid,omitempty"`
	Name              string        `json:"name"`
	Policy            *NameAndGuid  `json:"policy,omitempty"`
	RetentionVersions int           `json:"retentionVersions"`
	RetentionDays     int           `json:"retentionDays"`
	Schedules         []NameAndGuid `json:"schedules"`
	Active            bool          `json:"active"`
	Position          int           `json:"position"`
}

// newSnapshotRuleBody checks r and builds the body that creates it (guid
// empty; the rule must name its policy) or updates the rule guid with it.
func newSnapshotRuleBody(guid string, r *SnapshotRule) (*snapshotRuleBody, error) {
	if err := checkBody("rule", r); err != nil {
		return nil, err
	}
	if guid == "" && (r.Policy == nil || r.Policy.GUID == "") {
		return nil, argError("SnapshotRule.Policy", "must hold the GUID of the rule's snapshot policy")
	}
	if err := checkUpdateGUID("SnapshotRule", r.GUID, guid); err != nil {
		return nil, err
	}
	b, err := newSnapshotRuleForm("SnapshotRule", r)
	if err != nil {
		return nil, err
	}
	b.GUID = guid
	return b, nil
}

// newSnapshotRuleForm checks the fields of r (their names start with
// field), its policy aside, and returns its request form.
func newSnapshotRuleForm(field string, r *SnapshotRule) (*snapshotRuleBody, error) {
	name := r.Name
	if name == "" {
		name = defaultSnapshotRuleName
	}
	if err := checkName(field+".Name", name); err != nil {
		return nil, err
	}
	switch {
	case r.RetentionVersions < 0:
		return nil, argError(field+".RetentionVersions", "must not be negative, got %d", r.RetentionVersions)
	case r.RetentionDays < 0:
		return nil, argError(field+".RetentionDays", "must not be negative, got %d", r.RetentionDays)
	case r.Position < 0:
		return nil, argError(field+".Position", "must not be negative, got %d", r.Position)
	}
	for i, sc := range r.Schedules {
		if sc.GUID == "" {
			return nil, argError(indexed(field+".Schedules", i), "must hold the schedule's GUID")
		}
	}
	b := &snapshotRuleBody{
		GUID:              r.GUID,
		Name:              name,
		Policy:            reqRefPtr(r.Policy),
		RetentionVersions: r.RetentionVersions,
		RetentionDays:     r.RetentionDays,
		Schedules:         reqRefs(r.Schedules),
		Active:            r.Active,
		Position:          r.Position,
	}
	if b.Policy != nil && b.Policy.GUID == "" {
		b.Policy = nil
	}
	return b, nil
}

// sent returns the rule the body describes.
func (b *snapshotRuleBody) sent() *SnapshotRule {
	return &SnapshotRule{
		GUID: b.GUID, Name: b.Name, Policy: b.Policy, RetentionVersions: b.RetentionVersions,
		RetentionDays: b.RetentionDays, Schedules: b.Schedules, Active: b.Active, Position: b.Position,
	}
}
