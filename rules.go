package vprotect

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"time"
)

// RulesService manages the rules of VM backup policies.
type RulesService service

// RulesAPI is the set of methods of RulesService, for mocking.
type RulesAPI interface {
	List(ctx context.Context, opts *RuleListOptions) ([]Rule, error)
	ListPage(ctx context.Context, opts *RuleListOptions) (Page[Rule], error)
	All(ctx context.Context, opts *RuleListOptions) iter.Seq2[Rule, error]
	Get(ctx context.Context, guid string) (*Rule, error)
	Create(ctx context.Context, r *Rule) (*Rule, error)
	Update(ctx context.Context, guid string, r *Rule) (*Rule, error)
	Delete(ctx context.Context, guid string) error
}

var _ RulesAPI = (*RulesService)(nil)

// Rule is a rule of a VM backup policy: which schedules start backups of
// the policy's VMs and where the backups go, with what retention.
//
// With the integration guide's two-step flow a rule is created on its own
// (RulesService.Create) after its policy; with 7.x servers rules can also
// be sent inside the policy (Policy.Rules).
type Rule struct {
	// GUID identifies the rule; set by the server.
	GUID string `json:"guid,omitempty"`
	// Name is 1..255 characters.
	Name string `json:"name"`
	// Policy is the policy the rule belongs to (required to create a rule
	// on its own; unset for a rule sent inside its policy).
	Policy *NameAndGuid `json:"policy"`
	// Schedules are the schedules that start backups under this rule.
	Schedules []NameAndGuid `json:"schedules"`
	// RuleBackupDestinations are where the backups go: a PRIMARY
	// destination and optionally SECONDARY and ARCHIVE ones.
	RuleBackupDestinations []RuleBackupDestination `json:"ruleBackupDestinations"`
	// Active enables the rule. It is always sent.
	Active bool `json:"active"`
	// Position orders the rules of a policy.
	Position int `json:"position"`

	// VMCount is the number of VMs the rule applies to (response only).
	VMCount int `json:"vmCount"`
	// SchedulesCount is the number of schedules of the rule (response only).
	SchedulesCount int `json:"schedulesCount"`
	// BackupCount is the number of backups made under the rule (response
	// only); the vendor UI does not let a rule with backups be removed.
	BackupCount int `json:"backupCount"`
	// Removable says whether the rule can be deleted (response only).
	Removable bool `json:"removable"`
	// MarkedForDeletion is set on a deleted rule kept for its backups
	// (response only). Such rules are never sent back inside a policy.
	MarkedForDeletion bool `json:"markedForDeletion"`
	// DaysToKeepRetentionLock is the rule-level immutability period in days
	// (response only; requests set it per destination).
	DaysToKeepRetentionLock int `json:"daysToKeepRetentionLock"`
}

// RuleBackupDestination is one backup destination of a rule, with its role
// and retention.
type RuleBackupDestination struct {
	// GUID identifies this entry of the rule; set by the server.
	GUID string `json:"guid,omitempty"`
	// Type is the kind of rule the entry belongs to (BackupRuleType, e.g.
	// VM); optional in requests, sent only when set.
	Type EnumNameAndDescription `json:"type"`
	// BackupDestination is the destination; responses also give its type.
	BackupDestination BackupDestinationRef `json:"backupDestination"`
	// RoleType is PRIMARY, SECONDARY or ARCHIVE.
	RoleType Enum[DestinationRole] `json:"roleType"`
	// BackupRetentionSettings says how long backups are kept.
	BackupRetentionSettings BackupRetentionSettings `json:"backupRetentionSettings"`
	// DaysToKeepRetentionLock makes backups immutable for that many days
	// ("Immutable backup - protect backups for X days"); 0 for none.
	DaysToKeepRetentionLock int `json:"daysToKeepRetentionLock"`
	// Active enables the destination. It is always sent.
	Active bool `json:"active"`
	// Rule is the rule the entry belongs to (response only).
	Rule *NameAndGuid `json:"rule,omitempty"`
}

// BackupRetentionSettings says how many backups a destination keeps and for
// how long. A backup is kept while either limit keeps it.
type BackupRetentionSettings struct {
	// RetentionKeepLastNFull keeps the last N full backups.
	RetentionKeepLastNFull int `json:"retentionKeepLastNFull"`
	// RetentionKeepFullNewerThan keeps full backups younger than this.
	RetentionKeepFullNewerThan Duration `json:"retentionKeepFullNewerThan"`
	// RetentionKeepLastNIncremental keeps the last N incremental backups.
	RetentionKeepLastNIncremental int `json:"retentionKeepLastNIncremental"`
	// RetentionKeepIncrementalNewerThan keeps incremental backups younger than this.
	RetentionKeepIncrementalNewerThan Duration `json:"retentionKeepIncrementalNewerThan"`
	// KeepLastBackupWhenSourceStillExists never removes the last backup of
	// a VM that still exists.
	KeepLastBackupWhenSourceStillExists bool `json:"keepLastBackupWhenSourceStillExists"`
}

// DefaultRetention returns the vendor UI's default retention: keep the last
// 4 full backups and full backups of the last 30 days, the last 30
// incremental backups and incremental backups of the last 30 days.
func DefaultRetention() BackupRetentionSettings {
	const month = Duration(30 * 24 * time.Hour)
	return BackupRetentionSettings{
		RetentionKeepLastNFull:            4,
		RetentionKeepFullNewerThan:        month,
		RetentionKeepLastNIncremental:     30,
		RetentionKeepIncrementalNewerThan: month,
	}
}

// NewRule returns an active rule of the policy policyGUID, started by the
// given schedules, that stores backups on the destination
// primaryDestinationGUID (as PRIMARY, active, with DefaultRetention and no
// retention lock). An empty policyGUID leaves Policy unset, for a rule sent
// inside a new policy; an empty primaryDestinationGUID leaves the rule
// without destinations (the integration guide's minimal rule).
func NewRule(name, policyGUID string, scheduleGUIDs []string, primaryDestinationGUID string) *Rule {
	r := &Rule{
		Name:      name,
		Schedules: Refs(scheduleGUIDs...),
		Active:    true,
	}
	if policyGUID != "" {
		r.Policy = RefPtr(policyGUID)
	}
	if primaryDestinationGUID != "" {
		r.RuleBackupDestinations = []RuleBackupDestination{{
			BackupDestination:       BackupDestinationRef{GUID: primaryDestinationGUID},
			RoleType:                EnumOf(DestinationRolePrimary),
			BackupRetentionSettings: DefaultRetention(),
			Active:                  true,
		}}
	}
	return r
}

// RuleListOptions filters and pages a rule list.
type RuleListOptions struct {
	ListOptions
	// Policy lists the rules of the policy with this GUID.
	Policy string
	// NameLike lists the rules whose name matches this pattern.
	NameLike string
}

func (o *RuleListOptions) encode() (query, error) {
	q := query{}
	if o == nil {
		return q, nil
	}
	if err := o.ListOptions.addTo(q); err != nil {
		return nil, err
	}
	q.set("policy", o.Policy)
	q.set("nameLike", o.NameLike)
	return q, nil
}

// List returns the rules that match opts (nil lists all), one page of them
// when opts set a page size.
//
// vProtect API: GET /rules/vm-backup
func (s *RulesService) List(ctx context.Context, opts *RuleListOptions) ([]Rule, error) {
	return listOf[Rule](ctx, s.client, "/rules/vm-backup", opts)
}

// ListPage returns one page of rules and the total number of rules that
// match opts.
//
// vProtect API: GET /rules/vm-backup
func (s *RulesService) ListPage(ctx context.Context, opts *RuleListOptions) (Page[Rule], error) {
	return listPageOf[Rule](ctx, s.client, "/rules/vm-backup", opts)
}

// All pages through every rule that matches opts (opts.Size sets the page
// size, DefaultPageSize if 0; opts.Page is ignored), yielding an error once.
//
// vProtect API: GET /rules/vm-backup
func (s *RulesService) All(ctx context.Context, opts *RuleListOptions) iter.Seq2[Rule, error] {
	return allOf[Rule](ctx, s.client, "/rules/vm-backup", opts)
}

// Get returns the rule with the given GUID with all its destinations,
// inactive ones included (so that Get, modify, Update keeps them).
//
// vProtect API: GET /rules/vm-backup/{guid}
func (s *RulesService) Get(ctx context.Context, guid string) (*Rule, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	q := query{}
	q.set("only-active-destinations", "false")
	return getJSON[Rule](ctx, s.client, rulePath(guid), q)
}

// Create adds a rule to the policy r.Policy (the second step of the
// integration guide's policy flow) and returns it with its GUID. r is
// checked first: a name, the policy GUID, and a GUID and role for each
// destination.
//
// vProtect API: POST /rules/vm-backup
func (s *RulesService) Create(ctx context.Context, r *Rule) (*Rule, error) {
	if r == nil {
		return nil, argError("rule", "must not be nil")
	}
	if r.Policy == nil || r.Policy.GUID == "" {
		return nil, argError("Rule.Policy", "must hold the GUID of the rule's policy")
	}
	body, err := newRuleRequest("Rule", "", r)
	if err != nil {
		return nil, err
	}
	return sendJSON[Rule](ctx, s.client, http.MethodPost, "/rules/vm-backup", nil, body)
}

// Update replaces the rule with the given GUID by r: a full PUT, so Get the
// rule, modify it and Update it. Server-only fields (counters, flags) are
// not sent. r.GUID may be empty or must equal guid. When the server answers
// without a body, Update returns the rule as sent.
//
// vProtect API: PUT /rules/vm-backup/{guid}
func (s *RulesService) Update(ctx context.Context, guid string, r *Rule) (*Rule, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, argError("rule", "must not be nil")
	}
	if r.GUID != "" && r.GUID != guid {
		return nil, argError("Rule.GUID", "is %q but the rule to update is %q", r.GUID, guid)
	}
	body, err := newRuleRequest("Rule", guid, r)
	if err != nil {
		return nil, err
	}
	out, err := sendJSON[Rule](ctx, s.client, http.MethodPut, rulePath(guid), nil, body)
	if err != nil {
		return nil, err
	}
	if out.GUID == "" {
		sent := *r
		sent.GUID = guid
		return &sent, nil
	}
	return out, nil
}

// Delete deletes the rule with the given GUID. A rule holding backups may
// be kept by the server, marked for deletion.
//
// vProtect API: DELETE /rules/vm-backup/{guid}
func (s *RulesService) Delete(ctx context.Context, guid string) error {
	if err := requireGUID("guid", guid); err != nil {
		return err
	}
	_, err := s.client.do(ctx, &request{method: http.MethodDelete, path: rulePath(guid)})
	return err
}

func rulePath(guid string) string { return "/rules/vm-backup/" + url.PathEscape(guid) }

// ruleRequest is a rule as requests send it: the request fields only, with
// references and enums in their request form.
type ruleRequest struct {
	GUID                   string                   `json:"guid,omitempty"`
	Name                   string                   `json:"name"`
	Policy                 *NameAndGuid             `json:"policy,omitempty"`
	Schedules              []NameAndGuid            `json:"schedules"`
	RuleBackupDestinations []ruleDestinationRequest `json:"ruleBackupDestinations"`
	Active                 bool                     `json:"active"`
	Position               int                      `json:"position"`
}

// ruleDestinationRequest is a RuleBackupDestination as requests send it.
type ruleDestinationRequest struct {
	GUID                    string                  `json:"guid,omitempty"`
	Type                    *EnumNameAndDescription `json:"type,omitempty"`
	BackupDestination       NameAndGuid             `json:"backupDestination"`
	RoleType                Enum[DestinationRole]   `json:"roleType"`
	BackupRetentionSettings BackupRetentionSettings `json:"backupRetentionSettings"`
	DaysToKeepRetentionLock int                     `json:"daysToKeepRetentionLock"`
	Active                  bool                    `json:"active"`
}

// newRuleRequest checks r (field names start with prefix) and builds its
// request form; guid, when set, is sent as the rule's GUID.
func newRuleRequest(prefix, guid string, r *Rule) (*ruleRequest, error) {
	if err := checkName(prefix+".Name", r.Name); err != nil {
		return nil, err
	}
	if r.Position < 0 {
		return nil, argError(prefix+".Position", "must not be negative, got %d", r.Position)
	}
	if guid == "" {
		guid = r.GUID
	}
	out := &ruleRequest{
		GUID:                   guid,
		Name:                   r.Name,
		Policy:                 reqRefPtr(r.Policy),
		Schedules:              reqRefs(r.Schedules),
		RuleBackupDestinations: make([]ruleDestinationRequest, len(r.RuleBackupDestinations)),
		Active:                 r.Active,
		Position:               r.Position,
	}
	if out.Policy != nil && out.Policy.GUID == "" {
		out.Policy = nil
	}
	for i, d := range r.RuleBackupDestinations {
		field := indexed(prefix+".RuleBackupDestinations", i)
		switch {
		case d.BackupDestination.GUID == "":
			return nil, argError(field+".BackupDestination", "must hold the destination's GUID")
		case d.RoleType.IsZero():
			return nil, argError(field+".RoleType", "must be set (PRIMARY, SECONDARY or ARCHIVE)")
		case d.DaysToKeepRetentionLock < 0:
			return nil, argError(field+".DaysToKeepRetentionLock", "must not be negative, got %d", d.DaysToKeepRetentionLock)
		}
		dr := ruleDestinationRequest{
			GUID:                    d.GUID,
			BackupDestination:       Ref(d.BackupDestination.GUID),
			RoleType:                reqEnum(d.RoleType),
			BackupRetentionSettings: d.BackupRetentionSettings,
			DaysToKeepRetentionLock: d.DaysToKeepRetentionLock,
			Active:                  d.Active,
		}
		if !d.Type.IsZero() {
			t := reqEnum(d.Type)
			dr.Type = &t
		}
		out.RuleBackupDestinations[i] = dr
	}
	return out, nil
}
