package vprotecttest

import (
	"fmt"
	"strings"
)

// ruleRequest is a rule in POST/PUT /rules/vm-backup or inside a policy.
type ruleRequest struct {
	GUID                   string            `json:"guid"`
	Name                   *string           `json:"name"`
	Active                 *bool             `json:"active"`
	Position               *int              `json:"position"`
	Policy                 *NameAndGuid      `json:"policy"`
	Schedules              *[]NameAndGuid    `json:"schedules"`
	RuleBackupDestinations []ruleDestRequest `json:"ruleBackupDestinations"`
	BackupDestinations     []NameAndGuid     `json:"backupDestinations"` // 2019 Horizon form
}

// ruleDestRequest is one entry of ruleBackupDestinations.
type ruleDestRequest struct {
	RoleType                *Enum              `json:"roleType"`
	BackupDestination       *NameAndGuid       `json:"backupDestination"`
	BackupRetentionSettings *RetentionSettings `json:"backupRetentionSettings"`
	DaysToKeepRetentionLock *int               `json:"daysToKeepRetentionLock"`
	Active                  *bool              `json:"active"`
}

// buildRule validates a rule request; field names in errors get prefix.
// Destinations without a backupDestination GUID are ignored (the UI always
// sends an empty SECONDARY); a rule without destinations is refused on 7.4
// and gets the default destination as PRIMARY on 4.0.
func (s *Server) buildRule(req *ruleRequest, prefix string) (Rule, error) {
	var r Rule
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" {
		return r, badRequest("%sname: is required", prefix)
	}
	r.Name = strings.TrimSpace(*req.Name)
	if len(r.Name) > 255 { // StorageBackupRuleRequest (reference 3.11)
		return r, badRequest("%sname: must be at most 255 characters", prefix)
	}
	r.Active = req.Active == nil || *req.Active
	if req.Position != nil {
		if *req.Position < 0 {
			return r, badRequest("%sposition: must be >= 0", prefix)
		}
		r.Position = *req.Position
	}
	r.Schedules = []NameAndGuid{}
	if req.Schedules != nil {
		for i, ref := range *req.Schedules {
			if _, ok := s.st.schedules.get(ref.GUID); !ok {
				return r, badRequest("%sschedules[%d]: unknown schedule %q", prefix, i, ref.GUID)
			}
			r.Schedules = addRef(r.Schedules, ref.GUID)
		}
	}
	var err error
	if r.RuleBackupDestinations, err = s.ruleDestinations(req, prefix); err != nil {
		return r, err
	}
	for _, d := range r.RuleBackupDestinations {
		if d.RoleType.Name == "PRIMARY" {
			r.DaysToKeepRetentionLock = d.DaysToKeepRetentionLock
		}
	}
	return r, nil
}

// ruleDestinations checks a rule's destinations (ruleBackupDestinations,
// or the 2019 backupDestinations list: the first PRIMARY, the rest
// SECONDARY). An empty list is refused where the version needs a
// destination, else it gets the default destination.
func (s *Server) ruleDestinations(req *ruleRequest, prefix string) ([]RuleBackupDestination, error) {
	dests := req.RuleBackupDestinations
	for i, ref := range req.BackupDestinations {
		role := "SECONDARY"
		if i == 0 {
			role = "PRIMARY"
		}
		ref := ref
		dests = append(dests, ruleDestRequest{RoleType: enumPtr(role), BackupDestination: &ref})
	}
	out := []RuleBackupDestination{}
	for i, d := range dests {
		if d.BackupDestination == nil || d.BackupDestination.GUID == "" {
			continue
		}
		field := fmt.Sprintf("%sruleBackupDestinations[%d]", prefix, i)
		bd, ok := s.st.dests.get(d.BackupDestination.GUID)
		if !ok {
			return nil, badRequest("%s.backupDestination: unknown backup destination %q", field, d.BackupDestination.GUID)
		}
		role, err := enumField(d.RoleType, field+".roleType", "PRIMARY", roleTypes)
		if err != nil {
			return nil, err
		}
		rd := RuleBackupDestination{RoleType: role, Active: d.Active == nil || *d.Active,
			BackupDestination:       NameGuidAndType{GUID: bd.GUID, Name: bd.Name, Type: bd.Type},
			BackupRetentionSettings: defaultRetention()}
		if d.BackupRetentionSettings != nil {
			rd.BackupRetentionSettings = *d.BackupRetentionSettings
		}
		if d.DaysToKeepRetentionLock != nil {
			if *d.DaysToKeepRetentionLock < 0 {
				return nil, badRequest("%s.daysToKeepRetentionLock: must be >= 0", field)
			}
			rd.DaysToKeepRetentionLock = *d.DaysToKeepRetentionLock
		}
		out = append(out, rd)
	}
	if len(out) == 0 && s.gen.ruleNeedsDestination {
		return nil, badRequest("%sruleBackupDestinations: required, at least one destination with a backupDestination", prefix)
	}
	if len(out) == 0 {
		if def, ok := s.st.dests.get(s.st.defaultDestination()); ok {
			out = append(out, RuleBackupDestination{RoleType: enumOf("PRIMARY"), Active: true,
				BackupDestination: NameGuidAndType{GUID: def.GUID, Name: def.Name, Type: def.Type}, BackupRetentionSettings: defaultRetention()})
		}
	}
	return out, nil
}

// storeRule assigns GUIDs and saves a built rule under a policy.
func (s *Server) storeRule(r Rule, policy string, guid string) *Rule {
	if guid == "" {
		guid = s.st.newGUID()
	}
	r.GUID = guid
	r.Policy = &NameAndGuid{GUID: policy}
	for i := range r.RuleBackupDestinations {
		if r.RuleBackupDestinations[i].GUID == "" {
			r.RuleBackupDestinations[i].GUID = s.st.newGUID()
		}
	}
	s.st.rules.put(r.GUID, &r)
	return &r
}

// GET /rules/vm-backup (policy; the old Horizon spelling rule= means the policy too)
func (s *Server) listRules(c *call) (reply, error) {
	policy := param(c.r.URL.Query(), "policy", "rule")
	var out []*Rule
	for _, r := range s.st.rules.all() {
		if policy == "" || (r.Policy != nil && r.Policy.GUID == policy) {
			out = append(out, r)
		}
	}
	return listReply(c, out, func(r *Rule) string { return r.Name }, s.st.renderRule)
}

// POST /rules/vm-backup
func (s *Server) createRule(c *call) (reply, error) {
	var req ruleRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if req.Policy == nil || req.Policy.GUID == "" {
		return reply{}, badRequest("policy: is required")
	}
	if _, ok := s.st.policies.get(req.Policy.GUID); !ok {
		return reply{}, badRequest("policy: unknown policy %q", req.Policy.GUID)
	}
	r, err := s.buildRule(&req, "")
	if err != nil {
		return reply{}, err
	}
	if req.Position == nil {
		r.Position = len(s.st.rulesOfPolicy(req.Policy.GUID))
	}
	stored := s.storeRule(r, req.Policy.GUID, "")
	return created(s.st.renderRule(stored)), nil
}

// GET /rules/vm-backup/{guid} (a snapshot rule too: the UI updates those
// through this path)
func (s *Server) getRule(c *call) (reply, error) {
	r, ok := s.st.rules.get(pathGUID(c.r))
	if sr, snap := s.st.snapRules.get(pathGUID(c.r)); !ok && snap {
		return okReply(s.st.renderSnapshotRule(sr)), nil
	}
	if !ok {
		return reply{}, notFound("rule", pathGUID(c.r))
	}
	return okReply(s.st.renderRule(r)), nil
}

// PUT /rules/vm-backup/{guid}: replaces the rule; policy, schedules and
// position are kept when absent. A snapshot rule's GUID updates that rule
// (reference 7x 4.1).
func (s *Server) updateRule(c *call) (reply, error) {
	old, ok := s.st.rules.get(pathGUID(c.r))
	if sr, snap := s.st.snapRules.get(pathGUID(c.r)); !ok && snap {
		return s.updateSnapshotRule(c, sr)
	}
	if !ok {
		return reply{}, notFound("rule", pathGUID(c.r))
	}
	var req ruleRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	policy := old.Policy.GUID
	if req.Policy != nil && req.Policy.GUID != "" {
		if _, ok := s.st.policies.get(req.Policy.GUID); !ok {
			return reply{}, badRequest("policy: unknown policy %q", req.Policy.GUID)
		}
		policy = req.Policy.GUID
	}
	r, err := s.buildRule(&req, "")
	if err != nil {
		return reply{}, err
	}
	s.replaceRule(old, r, &req, policy)
	return okReply(s.st.renderRule(old)), nil
}

// replaceRule overwrites a stored rule with a built one.
func (s *Server) replaceRule(old *Rule, r Rule, req *ruleRequest, policy string) {
	if req.Schedules == nil {
		r.Schedules = old.Schedules
	}
	if req.Position == nil {
		r.Position = old.Position
	}
	r.GUID = old.GUID
	r.Policy = &NameAndGuid{GUID: policy}
	for i := range r.RuleBackupDestinations {
		r.RuleBackupDestinations[i].GUID = s.st.newGUID()
	}
	*old = r
}

// DELETE /rules/vm-backup/{guid}
func (s *Server) deleteRule(c *call) (reply, error) {
	r, ok := s.st.rules.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("rule", pathGUID(c.r))
	}
	s.removeRule(r)
	return noContent(), nil
}

// removeRule deletes a rule, or, when backups were made under it, keeps it
// marked for deletion: inactive, off its schedules, still in its policy's
// details (reference 7x 3.2, 8.2; clients hide such rules).
func (s *Server) removeRule(r *Rule) {
	for _, b := range s.st.backups.all() {
		if b.BackupRule != nil && b.BackupRule.GUID == r.GUID {
			r.MarkedForDeletion, r.Active = true, false
			r.Schedules = []NameAndGuid{}
			return
		}
	}
	s.st.rules.del(r.GUID)
}
