package vprotect

import (
	"context"
	"fmt"
	"iter"
	"net/http"
)

// PoliciesService manages VM backup policies.
type PoliciesService service

// PoliciesAPI is the set of methods of PoliciesService, for mocking.
type PoliciesAPI interface {
	List(ctx context.Context, opts *PolicyListOptions) ([]Policy, error)
	ListPage(ctx context.Context, opts *PolicyListOptions) (Page[Policy], error)
	All(ctx context.Context, opts *PolicyListOptions) iter.Seq2[Policy, error]
	Get(ctx context.Context, guid string) (*Policy, error)
	Create(ctx context.Context, p *Policy) (*Policy, error)
	Update(ctx context.Context, guid string, p *Policy) (*Policy, error)
	Delete(ctx context.Context, guid string) error
	ListByEntities(ctx context.Context, vmGUIDs ...string) ([]Policy, error)
	AutoAssignmentPreview(ctx context.Context, p *Policy) ([]AutoAssignmentChange, error)
}

var _ PoliciesAPI = (*PoliciesService)(nil)

// Policy is a VM backup policy: the VMs it protects, their backup task
// priority and its rules (schedules and destinations). A VM has at most one
// policy: assigning it to a policy takes it out of its previous one.
//
// Policies are created in one of two ways, by server generation. 7.x
// servers take the rules inside the policy, and 7.4 requires at least one:
// set Rules before Create. The integration guide's flow (4.x servers) is
// two steps: Create the policy with Rules nil, then create its rule with
// RulesService.Create; a 7.4 server refuses its first step. Rules set
// before Create work against both: a server that ignores the rules inside
// the policy gets them created one by one (see Create).
type Policy struct {
	// GUID identifies the policy; set by the server.
	GUID string `json:"guid,omitempty"`
	// Name must be unique on the whole server; 1..255 characters.
	Name string `json:"name"`
	// Priority of the policy's backup tasks, 0..100 (the UI's default is 50).
	Priority int `json:"priority"`
	// Active enables scheduled backups. It is always sent.
	Active bool `json:"active"`
	// AutoRemoveNonPresent removes VMs that no longer exist from the policy.
	AutoRemoveNonPresent bool `json:"autoRemoveNonPresent"`
	// AutoAssignSettings controls automatic assignment of VMs. Requests send
	// mode DISABLED when Mode is unset, as multi-tenant use requires.
	AutoAssignSettings AutoAssignSettings `json:"autoAssignSettings"`
	// VMs are the VMs the policy protects. Policy details list full VM
	// records; their GUID and name are kept.
	VMs []NameAndGuid `json:"vms"`
	// Rules are the policy's rules. Details and extended lists carry them;
	// in requests nil sends no rules (two-step flow) and a non-nil slice
	// sends them inside the policy (rules marked for deletion left out).
	Rules []Rule `json:"rules,omitempty"`
	// BackupRetryCount is how many times a failed backup is retried.
	BackupRetryCount int `json:"backupRetryCount"`
	// FailRemainingBackupTasksExportThreshold fails the remaining export
	// tasks when this percentage (0..100) has failed; nil for none.
	FailRemainingBackupTasksExportThreshold *int `json:"failRemainingBackupTasksExportThreshold"`
	// FailRemainingBackupTasksStoreThreshold fails the remaining store
	// tasks when this percentage (0..100) has failed; nil for none.
	FailRemainingBackupTasksStoreThreshold *int `json:"failRemainingBackupTasksStoreThreshold"`
	// DailyReportEnabled sends a daily report to MailingList.
	DailyReportEnabled bool `json:"dailyReportEnabled"`
	// MailingList receives the daily report; nil for none.
	MailingList *NameAndGuid `json:"mailingList,omitempty"`
	// ExecuteAutoAssignmentAfterSavingPolicy runs auto-assignment on save.
	ExecuteAutoAssignmentAfterSavingPolicy bool `json:"executeAutoAssignmentAfterSavingPolicy"`
	// DisableCleanOldBackups keeps old backups beyond retention.
	DisableCleanOldBackups bool `json:"disableCleanOldBackups"`
	// QuiesceBeforeSnapshot quiesces the guest file systems before a snapshot.
	QuiesceBeforeSnapshot bool `json:"quiesceBeforeSnapshot"`
	// Projects are the other projects that see the policy (7.x
	// multi-tenancy; 4.x servers have no such field).
	Projects []NameAndGuid `json:"projects"`
	// ProjectUUID is the project the policy belongs to: the 7.x name
	// (projectUuid) of TenantID. Set either (both only to the same value).
	// A 7.x server also takes the project from the caller's scope (the
	// Horizon proxy's project-uuid).
	ProjectUUID string `json:"projectUuid,omitempty"`
	// VisibleForAllProjects shows the policy to every project (7.x).
	VisibleForAllProjects bool `json:"visibleForAllProjects"`
	// ScanFileSystem indexes the file systems of backups.
	ScanFileSystem bool `json:"scanFileSystem"`
	// TenantID is the tenant the policy belongs to, which List can filter
	// by: the tenantId of 4.x servers. Requests send it as tenantId and as
	// projectUuid; answers fill TenantID and ProjectUUID from either.
	TenantID string `json:"tenantId,omitempty"`

	// VMCount is the number of VMs (response only). Details and extended
	// lists carry the server's count; where the server sends none (a list
	// without Extended) it is len(VMs), so that the two always agree.
	VMCount int `json:"vmCount"`
	// AverageBackupSize is the average backup size in bytes (response
	// only: details and extended lists; zero otherwise).
	AverageBackupSize int64 `json:"averageBackupSize"`
	// RuleCount is the number of rules (response only), filled like
	// VMCount: the server's count, or len(Rules) where it sends none.
	// Servers may leave the rules out of a list without Extended (Rules nil,
	// RuleCount 0): list with Extended, or Get the policy, to see them.
	RuleCount int `json:"ruleCount"`
}

// AutoAssignSettings controls the automatic assignment of VMs to a policy by
// tags, name patterns, clusters or projects.
type AutoAssignSettings struct {
	// Mode is DISABLED (required for multi-tenant use), ASSIGN_ONLY or
	// ASSIGN_AND_REMOVE. Requests send DISABLED when it is unset.
	Mode Enum[AutoAssignMode] `json:"mode"`
	// IncludeTags assigns VMs with these tags.
	IncludeTags []string `json:"includeTags"`
	// ExcludeTags never assigns VMs with these tags.
	ExcludeTags []string `json:"excludeTags"`
	// IncludeRegExps assigns VMs whose names match these patterns.
	IncludeRegExps []string `json:"includeRegExps"`
	// ExcludeRegExps never assigns VMs whose names match these patterns.
	ExcludeRegExps []string `json:"excludeRegExps"`
	// HVClusters assigns the VMs of these hypervisor clusters.
	HVClusters []NameAndGuid `json:"hvClusters"`
	// Projects assigns the VMs of these projects.
	Projects []NameAndGuid `json:"projects"`
}

// NewPolicy returns an active policy with the vendor UI's defaults
// (priority 50, auto-assignment DISABLED, auto-assignment run on save) that
// protects the VMs with the given GUIDs. Add Rules before Create: that
// works against both server generations (see Policy). Leaving them nil and
// creating a rule afterwards is the guide's flow, for 4.x servers only.
func NewPolicy(name string, vmGUIDs ...string) *Policy {
	return &Policy{
		Name:                                   name,
		Priority:                               50,
		Active:                                 true,
		AutoAssignSettings:                     AutoAssignSettings{Mode: EnumOf(AutoAssignModeDisabled)},
		VMs:                                    Refs(vmGUIDs...),
		ExecuteAutoAssignmentAfterSavingPolicy: true,
	}
}

// PolicyListOptions filters and pages a policy list.
type PolicyListOptions struct {
	ListOptions
	// TenantID lists the policies of one tenant. It is sent as "tenantid"
	// (4.x, the policies created with that tenantId) and as "project-uuid"
	// (7.x: the project's policies and those visible for all projects).
	TenantID string
	// ProjectUUID is the 7.x name of TenantID: set either (both only to
	// the same value); it is sent in the same two spellings.
	ProjectUUID string
	// Extended adds VMCount, AverageBackupSize and the rules to each policy.
	Extended bool
}

func (o *PolicyListOptions) encode() (query, error) {
	q := query{}
	if o == nil {
		return q, nil
	}
	if err := o.ListOptions.addTo(q); err != nil {
		return nil, err
	}
	if err := q.setTenant("PolicyListOptions", "tenantid", o.TenantID, o.ProjectUUID); err != nil {
		return nil, err
	}
	q.setBool("extended", o.Extended)
	return q, nil
}

// List returns the policies that match opts (nil lists all), one page of
// them when opts set a page size.
//
// vProtect API: GET /policies/vm-backup
func (s *PoliciesService) List(ctx context.Context, opts *PolicyListOptions) ([]Policy, error) {
	ps, err := listOf[Policy](ctx, s.client, "/policies/vm-backup", opts)
	for i := range ps {
		ps[i].complete()
	}
	return ps, err
}

// ListPage returns one page of policies and the total number of policies
// that match opts.
//
// vProtect API: GET /policies/vm-backup
func (s *PoliciesService) ListPage(ctx context.Context, opts *PolicyListOptions) (Page[Policy], error) {
	page, err := listPageOf[Policy](ctx, s.client, "/policies/vm-backup", opts)
	for i := range page.Items {
		page.Items[i].complete()
	}
	return page, err
}

// All pages through every policy that matches opts (opts.Size sets the
// page size, DefaultPageSize if 0; opts.Page is ignored), yielding an error
// once.
//
// vProtect API: GET /policies/vm-backup
func (s *PoliciesService) All(ctx context.Context, opts *PolicyListOptions) iter.Seq2[Policy, error] {
	return func(yield func(Policy, error) bool) {
		for p, err := range allOf[Policy](ctx, s.client, "/policies/vm-backup", opts) {
			p.complete()
			if !yield(p, err) {
				return
			}
		}
	}
}

// complete fills VMCount and RuleCount from VMs and Rules where the
// server sent no count (a list without extended=true), so that each count
// agrees with its list, and the tenant in the spelling the server left out
// (TenantID or ProjectUUID).
func (p *Policy) complete() {
	if p == nil {
		return
	}
	completeTenant(&p.TenantID, &p.ProjectUUID)
	if p.VMCount == 0 {
		p.VMCount = len(p.VMs)
	}
	if p.RuleCount == 0 {
		p.RuleCount = len(p.Rules)
	}
}

// Get returns the details of the policy with the given GUID, with its VMs
// and rules. Rules marked for deletion (removed rules the server keeps for
// their backups) are left out, as the vendor UI leaves them out; list them
// with RulesService.List and RuleListOptions.Policy.
//
// vProtect API: GET /policies/vm-backup/{guid}
func (s *PoliciesService) Get(ctx context.Context, guid string) (*Policy, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	p, err := getJSON[Policy](ctx, s.client, policyPath(guid), nil)
	if err != nil {
		return nil, err
	}
	p.Rules = liveRules(p.Rules)
	p.complete()
	return p, nil
}

// ListByEntities returns the backup policies of the given VMs with their
// rules: what the vendor UI's backup button asks before it offers the
// rules to back up with. An empty answer means none of the VMs has a
// policy with rules. Rules marked for deletion are left out, as in Get.
//
// vProtect API: POST /policies/vm-backup/list-by-entities
func (s *PoliciesService) ListByEntities(ctx context.Context, vmGUIDs ...string) ([]Policy, error) {
	body, err := newEntitiesBody(vmGUIDs)
	if err != nil {
		return nil, err
	}
	out, err := sendJSON[[]Policy](ctx, s.client, http.MethodPost, "/policies/vm-backup/list-by-entities", nil, body)
	if err != nil {
		return nil, err
	}
	policies := *out
	if policies == nil {
		policies = []Policy{}
	}
	for i := range policies {
		policies[i].Rules = liveRules(policies[i].Rules)
		policies[i].complete()
	}
	return policies, nil
}

// entitiesBody is the body of list-by-entities: the VM GUIDs as strings.
type entitiesBody struct {
	ProtectedEntities []string `json:"protectedEntities"`
}

// newEntitiesBody checks that vmGUIDs names at least one VM.
func newEntitiesBody(vmGUIDs []string) (*entitiesBody, error) {
	if len(vmGUIDs) == 0 {
		return nil, argError("vmGUIDs", "must hold at least one VM GUID")
	}
	if err := checkGUIDs("vmGUIDs", vmGUIDs); err != nil {
		return nil, err
	}
	return &entitiesBody{ProtectedEntities: vmGUIDs}, nil
}

// liveRules returns rules without those marked for deletion; nil stays nil.
func liveRules(rules []Rule) []Rule {
	if rules == nil {
		return nil
	}
	out := make([]Rule, 0, len(rules))
	for _, r := range rules {
		if !r.MarkedForDeletion {
			out = append(out, r)
		}
	}
	return out
}

// Create creates a policy and returns it with its GUID. p is checked first
// (name, priority, thresholds, embedded rules, tenant); nothing is sent when
// it is invalid. An unset auto-assignment mode is sent as DISABLED; p is not
// modified.
//
// p.Rules are sent inside the policy, the one request a 7.x server takes
// (7.4 refuses a policy without rules). A server that creates the policy
// but ignores the rules inside it (the 4.x guide's two-step flow) answers
// with none; Create then creates each rule with POST /rules/vm-backup and
// returns the policy with them. If one of those fails, the policy exists:
// Create returns it with the rules made so far and the error.
//
// A VM has one backup policy: the VMs in p.VMs leave the policy they were
// in (whose VMs and counts no longer list them), also when that policy
// belongs to another tenant. Check VirtualMachine.VMBackupPolicy first to
// move nobody's VM by accident. Update moves VMs in the same way.
//
// vProtect API: POST /policies/vm-backup
func (s *PoliciesService) Create(ctx context.Context, p *Policy) (*Policy, error) {
	body, err := newPolicyBody("", p)
	if err != nil {
		return nil, err
	}
	out, err := sendJSON[Policy](ctx, s.client, http.MethodPost, "/policies/vm-backup", createScope(body.ProjectUUID), body)
	if err != nil {
		return nil, err
	}
	out.complete()
	if body.Rules != nil && len(*body.Rules) > 0 && out.GUID != "" && len(out.Rules) == 0 {
		err = s.createRulesAfter(ctx, out, p.Rules)
	}
	return out, err
}

// createRulesAfter is the guide's second step for a server that ignored
// the rules inside a new policy: it creates each of rules (those marked for
// deletion left out) under p and adds them to p.
func (s *PoliciesService) createRulesAfter(ctx context.Context, p *Policy, rules []Rule) error {
	for i := range rules {
		if rules[i].MarkedForDeletion {
			continue
		}
		r := rules[i]
		r.Policy = &NameAndGuid{GUID: p.GUID, Name: p.Name}
		created, err := (*RulesService)(s).Create(ctx, &r)
		if err != nil {
			return fmt.Errorf("vprotect: policy %s was created without its rules; creating rule %q: %w", p.GUID, r.Name, err)
		}
		p.Rules = append(p.Rules, *created)
	}
	p.RuleCount = len(p.Rules)
	return nil
}

// Update replaces the policy with the given GUID by p: a full PUT, so Get
// the policy, modify it and Update it:
//
//	p, err := c.Policies.Get(ctx, guid)
//	if err != nil { ... }
//	p.VMs = append(p.VMs, vprotect.Ref(vmGUID))
//	p, err = c.Policies.Update(ctx, guid, p)
//
// Server-only fields are not sent. With Rules nil no rules are sent; the
// rules of a policy from Get are sent back (7.x servers replace the rules
// with them, and 7.4 refuses an update without rules; 4.x servers ignore
// them: change their rules with RulesService). p.GUID may be empty or must equal guid. When the server
// answers without a body, Update returns the policy as sent.
//
// vProtect API: PUT /policies/vm-backup/{guid}
func (s *PoliciesService) Update(ctx context.Context, guid string, p *Policy) (*Policy, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	body, err := newPolicyBody(guid, p)
	if err != nil {
		return nil, err
	}
	out, err := sendJSON[Policy](ctx, s.client, http.MethodPut, policyPath(guid), createScope(body.ProjectUUID), body)
	if err != nil {
		return nil, err
	}
	if out.GUID == "" {
		sent := *p
		sent.GUID = guid
		return &sent, nil
	}
	out.complete()
	return out, nil
}

// Delete deletes the policy with the given GUID; the server removes its
// rules with it (schedules stay).
//
// vProtect API: DELETE /policies/vm-backup/{guid}
func (s *PoliciesService) Delete(ctx context.Context, guid string) error {
	if err := requireGUID("guid", guid); err != nil {
		return err
	}
	_, err := s.client.do(ctx, &request{method: http.MethodDelete, path: policyPath(guid)})
	return err
}

func policyPath(guid string) string { return "/policies/vm-backup/" + guidSegment(guid) }

// policyBody is the body of a policy create or update: the request fields
// of Policy, with references and enums in their request form.
type policyBody struct {
	GUID                                    string         `json:"guid,omitempty"`
	Name                                    string         `json:"name"`
	Priority                                int            `json:"priority"`
	Active                                  bool           `json:"active"`
	AutoRemoveNonPresent                    bool           `json:"autoRemoveNonPresent"`
	AutoAssignSettings                      autoAssignBody `json:"autoAssignSettings"`
	VMs                                     []NameAndGuid  `json:"vms"`
	Rules                                   *[]ruleBody    `json:"rules,omitempty"`
	BackupRetryCount                        int            `json:"backupRetryCount"`
	FailRemainingBackupTasksExportThreshold *int           `json:"failRemainingBackupTasksExportThreshold"`
	FailRemainingBackupTasksStoreThreshold  *int           `json:"failRemainingBackupTasksStoreThreshold"`
	DailyReportEnabled                      bool           `json:"dailyReportEnabled"`
	MailingList                             *NameAndGuid   `json:"mailingList,omitempty"`
	ExecuteAutoAssignmentAfterSavingPolicy  bool           `json:"executeAutoAssignmentAfterSavingPolicy"`
	DisableCleanOldBackups                  bool           `json:"disableCleanOldBackups"`
	QuiesceBeforeSnapshot                   bool           `json:"quiesceBeforeSnapshot"`
	Projects                                []NameAndGuid  `json:"projects"`
	ProjectUUID                             string         `json:"projectUuid,omitempty"`
	VisibleForAllProjects                   bool           `json:"visibleForAllProjects"`
	ScanFileSystem                          bool           `json:"scanFileSystem"`
	TenantID                                string         `json:"tenantId,omitempty"`
}

// autoAssignBody is AutoAssignSettings as requests send it.
type autoAssignBody struct {
	Mode           Enum[AutoAssignMode] `json:"mode"`
	IncludeTags    []string             `json:"includeTags"`
	ExcludeTags    []string             `json:"excludeTags"`
	IncludeRegExps []string             `json:"includeRegExps"`
	ExcludeRegExps []string             `json:"excludeRegExps"`
	HVClusters     []NameAndGuid        `json:"hvClusters"`
	Projects       []NameAndGuid        `json:"projects"`
}

// newPolicyBody checks p and builds the body that creates it (guid empty)
// or updates the policy guid with it.
func newPolicyBody(guid string, p *Policy) (*policyBody, error) {
	if err := checkPolicy(guid, p); err != nil {
		return nil, err
	}
	tenant, err := oneTenant("Policy", p.TenantID, p.ProjectUUID)
	if err != nil {
		return nil, err
	}
	rules, err := policyRulesBody(p.Rules)
	if err != nil {
		return nil, err
	}
	b := &policyBody{
		GUID:                                    guid,
		Name:                                    p.Name,
		Priority:                                p.Priority,
		Active:                                  p.Active,
		AutoRemoveNonPresent:                    p.AutoRemoveNonPresent,
		AutoAssignSettings:                      newAutoAssignBody(p.AutoAssignSettings),
		VMs:                                     reqRefs(p.VMs),
		Rules:                                   rules,
		BackupRetryCount:                        p.BackupRetryCount,
		FailRemainingBackupTasksExportThreshold: p.FailRemainingBackupTasksExportThreshold,
		FailRemainingBackupTasksStoreThreshold:  p.FailRemainingBackupTasksStoreThreshold,
		DailyReportEnabled:                      p.DailyReportEnabled,
		MailingList:                             reqRefPtr(p.MailingList),
		ExecuteAutoAssignmentAfterSavingPolicy:  p.ExecuteAutoAssignmentAfterSavingPolicy,
		DisableCleanOldBackups:                  p.DisableCleanOldBackups,
		QuiesceBeforeSnapshot:                   p.QuiesceBeforeSnapshot,
		Projects:                                reqRefs(p.Projects),
		ProjectUUID:                             tenant,
		VisibleForAllProjects:                   p.VisibleForAllProjects,
		ScanFileSystem:                          p.ScanFileSystem,
		TenantID:                                tenant,
	}
	if b.MailingList != nil && b.MailingList.GUID == "" {
		b.MailingList = nil
	}
	return b, nil
}

// checkPolicy checks what the server needs of a policy, its rules aside
// (policyRulesBody checks those).
func checkPolicy(guid string, p *Policy) error {
	if err := checkBody("policy", p); err != nil {
		return err
	}
	if err := checkUpdateGUID("Policy", p.GUID, guid); err != nil {
		return err
	}
	if err := checkName("Policy.Name", p.Name); err != nil {
		return err
	}
	if p.Priority < 0 || p.Priority > 100 {
		return argError("Policy.Priority", "must be in 0..100, got %d", p.Priority)
	}
	if p.BackupRetryCount < 0 {
		return argError("Policy.BackupRetryCount", "must not be negative, got %d", p.BackupRetryCount)
	}
	thresholds := []struct {
		field string
		v     *int
	}{
		{"Policy.FailRemainingBackupTasksExportThreshold", p.FailRemainingBackupTasksExportThreshold},
		{"Policy.FailRemainingBackupTasksStoreThreshold", p.FailRemainingBackupTasksStoreThreshold},
	}
	for _, th := range thresholds {
		if th.v != nil && (*th.v < 0 || *th.v > 100) {
			return argError(th.field, "must be in 0..100 or nil, got %d", *th.v)
		}
	}
	for i, vm := range p.VMs {
		if vm.GUID == "" {
			return argError(indexed("Policy.VMs", i), "must hold the VM's GUID")
		}
	}
	return nil
}

// newAutoAssignBody returns the request form of a policy's auto-assignment
// settings; an unset mode is sent as DISABLED.
func newAutoAssignBody(aa AutoAssignSettings) autoAssignBody {
	b := autoAssignBody{
		Mode:           reqEnum(aa.Mode),
		IncludeTags:    reqStrings(aa.IncludeTags),
		ExcludeTags:    reqStrings(aa.ExcludeTags),
		IncludeRegExps: reqStrings(aa.IncludeRegExps),
		ExcludeRegExps: reqStrings(aa.ExcludeRegExps),
		HVClusters:     reqRefs(aa.HVClusters),
		Projects:       reqRefs(aa.Projects),
	}
	if b.Mode.IsZero() {
		b.Mode = EnumOf(AutoAssignModeDisabled)
	}
	return b
}

// policyRulesBody checks the rules embedded in a policy and returns their
// request form: nil (none sent) for nil, and without the rules marked for
// deletion. An embedded rule needs no Policy: it is the one that holds it.
func policyRulesBody(rules []Rule) (*[]ruleBody, error) {
	if rules == nil {
		return nil, nil
	}
	out := make([]ruleBody, 0, len(rules))
	for i := range rules {
		rule := rules[i]
		if rule.MarkedForDeletion {
			continue
		}
		rule.Policy = nil // implied by the policy that holds the rule
		rb, err := newRuleForm(indexed("Policy.Rules", i), &rule)
		if err != nil {
			return nil, err
		}
		out = append(out, *rb)
	}
	return &out, nil
}
