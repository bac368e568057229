package vprotect

import (
	"context"
	"iter"
	"net/http"
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
// destination. 7.x servers take a policy's first rules inside it (see
// Policy); this adds one more, and a 7.4 server needs it to have a
// destination.
//
// vProtect API: POST /rules/vm-backup
func (s *RulesService) Create(ctx context.Context, r *Rule) (*Rule, error) {
	body, err := newRuleBody("", r)
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
	body, err := newRuleBody(guid, r)
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

func rulePath(guid string) string { return "/rules/vm-backup/" + guidSegment(guid) }

// ruleBody is the body of a rule create or update, and the form of a rule
// embedded in a policy body: the request fields of Rule, with references
// and enums in their request form.
type ruleBody struct {
	GUID                   string                `json:"guid,omitempty"`
	Name                   string                `json:"name"`
	Policy                 *NameAndGuid          `json:"policy,omitempty"`
	Schedules              []NameAndGuid         `json:"schedules"`
	RuleBackupDestinations []ruleDestinationBody `json:"ruleBackupDestinations"`
	Active                 bool                  `json:"active"`
	Position               int                   `json:"position"`
}

// ruleDestinationBody is a RuleBackupDestination as requests send it.
type ruleDestinationBody struct {
	GUID                    string                  `json:"guid,omitempty"`
	Type                    *EnumNameAndDescription `json:"type,omitempty"`
	BackupDestination       NameAndGuid             `json:"backupDestination"`
	RoleType                Enum[DestinationRole]   `json:"roleType"`
	BackupRetentionSettings BackupRetentionSettings `json:"backupRetentionSettings"`
	DaysToKeepRetentionLock int                     `json:"daysToKeepRetentionLock"`
	Active                  bool                    `json:"active"`
}

// newRuleBody checks r and builds the body that creates it (guid empty; the
// rule must name its policy) or updates the rule guid with it.
func newRuleBody(guid string, r *Rule) (*ruleBody, error) {
	if err := checkBody("rule", r); err != nil {
		return nil, err
	}
	if guid == "" && (r.Policy == nil || r.Policy.GUID == "") {
		return nil, argError("Rule.Policy", "must hold the GUID of the rule's policy")
	}
	if err := checkUpdateGUID("Rule", r.GUID, guid); err != nil {
		return nil, err
	}
	b, err := newRuleForm("Rule", r)
	if err != nil {
		return nil, err
	}
	if guid != "" {
		b.GUID = guid
	}
	return b, nil
}

// newRuleForm checks the fields of r (their names start with field) and
// returns its request form, as a rule body and a policy body embed it.
func newRuleForm(field string, r *Rule) (*ruleBody, error) {
	if err := checkName(field+".Name", r.Name); err != nil {
		return nil, err
	}
	if r.Position < 0 {
		return nil, argError(field+".Position", "must not be negative, got %d", r.Position)
	}
	b := &ruleBody{
		GUID:                   r.GUID,
		Name:                   r.Name,
		Policy:                 reqRefPtr(r.Policy),
		Schedules:              reqRefs(r.Schedules),
		RuleBackupDestinations: make([]ruleDestinationBody, len(r.RuleBackupDestinations)),
		Active:                 r.Active,
		Position:               r.Position,
	}
	if b.Policy != nil && b.Policy.GUID == "" {
		b.Policy = nil
	}
	for i, d := range r.RuleBackupDestinations {
		db, err := newRuleDestinationForm(indexed(field+".RuleBackupDestinations", i), d)
		if err != nil {
			return nil, err
		}
		b.RuleBackupDestinations[i] = db
	}
	return b, nil
}

// newRuleDestinationForm checks one destination of a rule (its field names
// start with field) and returns its request form.
func newRuleDestinationForm(field string, d RuleBackupDestination) (ruleDestinationBody, error) {
	switch {
	case d.BackupDestination.GUID == "":
		return ruleDestinationBody{}, argError(field+".BackupDestination", "must hold the destination's GUID")
	case d.RoleType.IsZero():
		return ruleDestinationBody{}, argError(field+".RoleType", "must be set (PRIMARY, SECONDARY or ARCHIVE)")
	case d.DaysToKeepRetentionLock < 0:
		return ruleDestinationBody{}, argError(field+".DaysToKeepRetentionLock", "must not be negative, got %d", d.DaysToKeepRetentionLock)
	}
	b := ruleDestinationBody{
		GUID:                    d.GUID,
		BackupDestination:       Ref(d.BackupDestination.GUID),
		RoleType:                reqEnum(d.RoleType),
		BackupRetentionSettings: d.BackupRetentionSettings,
		DaysToKeepRetentionLock: d.DaysToKeepRetentionLock,
		Active:                  d.Active,
	}
	if !d.Type.IsZero() {
		t := reqEnum(d.Type)
		b.Type = &t
	}
	return b, nil
}
