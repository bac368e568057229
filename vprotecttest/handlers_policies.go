package vprotecttest

import (
	"fmt"
)

// policyRequest is the body of POST and PUT /policies/vm-backup.
type policyRequest struct {
	Name                                    *string             `json:"name"`
	Priority                                *int                `json:"priority"`
	Active                                  *bool               `json:"active"`
	AutoRemoveNonPresent                    *bool               `json:"autoRemoveNonPresent"`
	AutoAssignSettings                      *AutoAssignSettings `json:"autoAssignSettings"`
	BackupRetryCount                        *int                `json:"backupRetryCount"`
	FailRemainingBackupTasksExportThreshold *int                `json:"failRemainingBackupTasksExportThreshold"`
	FailRemainingBackupTasksStoreThreshold  *int                `json:"failRemainingBackupTasksStoreThreshold"`
	DailyReportEnabled                      *bool               `json:"dailyReportEnabled"`
	MailingList                             *NameAndGuid        `json:"mailingList"`
	VMs                                     *[]NameAndGuid      `json:"vms"`
	Rules                                   *[]ruleRequest      `json:"rules"`
	Projects                                *[]NameAndGuid      `json:"projects"`
	VisibleForAllProjects                   *bool               `json:"visibleForAllProjects"`
	tenantRequest
}

// builtPolicy is a validated policy request.
type builtPolicy struct {
	p     Policy
	rules []Rule
}

// buildPolicy validates a request; self is the policy's own GUID on update:
// its name, its settings, then the VMs and rules it names. The tenant is
// the caller's to set (createTenant, or kept on update).
func (s *Server) buildPolicy(req *policyRequest, self string) (builtPolicy, error) {
	var b builtPolicy
	var err error
	if b.p.Name, err = uniqueName(&s.st.policies, "policy", req.Name, self, 255); err != nil {
		return b, err
	}
	if err := req.settings(&b.p); err != nil {
		return b, err
	}
	if s.gen.policyProjectFields {
		if req.Projects != nil {
			b.p.Projects = append([]NameAndGuid{}, *req.Projects...)
		}
		b.p.VisibleForAllProjects = req.VisibleForAllProjects != nil && *req.VisibleForAllProjects
	}
	if req.VMs != nil {
		for i, ref := range *req.VMs {
			if _, ok := s.st.vms.get(ref.GUID); !ok {
				return b, badRequest("vms[%d]: unknown virtual machine %q", i, ref.GUID)
			}
		}
	}
	if m := req.MailingList; m != nil && m.GUID != "" && s.gen.policyProjectFields {
		if _, ok := s.st.mailLists.get(m.GUID); !ok {
			return b, badRequest("mailingList: unknown mailing list %q", m.GUID)
		}
		b.p.MailingList = &NameAndGuid{GUID: m.GUID}
	}
	if s.gen.policyRulesRequired && (req.Rules == nil || len(*req.Rules) == 0) {
		return b, badRequest("rules: required, at least one rule (a %s server takes the rules inside the policy)", s.gen.version)
	}
	if req.Rules != nil && s.gen.policyRulesEmbedded {
		for i := range *req.Rules {
			rq := &(*req.Rules)[i]
			r, err := s.buildRule(rq, fmt.Sprintf("rules[%d].", i))
			if err != nil {
				return b, err
			}
			if rq.Position == nil {
				r.Position = i
			}
			r.GUID = rq.GUID
			b.rules = append(b.rules, r)
		}
	}
	return b, nil
}

// settings checks and defaults a policy's own fields.
func (req *policyRequest) settings(p *Policy) error {
	var err error
	if p.Priority, err = validPriority(req.Priority, "priority"); err != nil {
		return err
	}
	p.Active = req.Active == nil || *req.Active
	p.AutoRemoveNonPresent = req.AutoRemoveNonPresent != nil && *req.AutoRemoveNonPresent
	p.DailyReportEnabled = req.DailyReportEnabled != nil && *req.DailyReportEnabled
	p.AutoAssignSettings = normAutoAssign(AutoAssignSettings{})
	if req.AutoAssignSettings != nil {
		a := *req.AutoAssignSettings
		if a.Mode, err = enumField(&a.Mode, "autoAssignSettings.mode", "DISABLED", autoAssignModes); err != nil {
			return err
		}
		p.AutoAssignSettings = normAutoAssign(a)
	}
	if req.BackupRetryCount != nil {
		if *req.BackupRetryCount < 0 {
			return badRequest("backupRetryCount: must be >= 0")
		}
		p.BackupRetryCount = *req.BackupRetryCount
	}
	for field, v := range map[string]*int{"failRemainingBackupTasksExportThreshold": req.FailRemainingBackupTasksExportThreshold,
		"failRemainingBackupTasksStoreThreshold": req.FailRemainingBackupTasksStoreThreshold} {
		if v != nil && (*v < 0 || *v > 100) {
			return badRequest("%s: must be between 0 and 100", field)
		}
	}
	p.FailRemainingBackupTasksExportThreshold = clonePtr(req.FailRemainingBackupTasksExportThreshold)
	p.FailRemainingBackupTasksStoreThreshold = clonePtr(req.FailRemainingBackupTasksStoreThreshold)
	return nil
}

// assignVMs makes exactly the listed VMs members of the policy; a VM moves
// from its old policy (a VM has one policy).
func (s *Server) assignVMs(policy string, refs []NameAndGuid) {
	want := map[string]bool{}
	for _, r := range refs {
		want[r.GUID] = true
	}
	for _, v := range s.st.vms.all() {
		switch {
		case want[v.GUID]:
			v.VMBackupPolicy = &NameAndGuid{GUID: policy}
		case v.VMBackupPolicy != nil && v.VMBackupPolicy.GUID == policy:
			v.VMBackupPolicy = nil
		}
	}
}

// syncRules makes the policy's rules match a PUT: listed rules with a known
// GUID are updated, others created, unlisted ones deleted.
func (s *Server) syncRules(policy string, rules []Rule, reqs []ruleRequest) {
	keep := map[string]bool{}
	for i, r := range rules {
		if old, ok := s.st.rules.get(r.GUID); ok && old.Policy != nil && old.Policy.GUID == policy {
			s.replaceRule(old, r, &reqs[i], policy)
			keep[old.GUID] = true
			continue
		}
		keep[s.storeRule(r, policy, "").GUID] = true
	}
	for _, r := range s.st.rulesOfPolicy(policy) {
		if !keep[r.GUID] && !r.MarkedForDeletion {
			s.removeRule(r)
		}
	}
}

// GET /policies/vm-backup (tenant filters, extended=true); on 7.4 a list
// scoped to a project also holds the policies visible for it.
func (s *Server) listPolicies(c *call) (reply, error) {
	q := c.r.URL.Query()
	tenant := s.gen.tenantOf(c.r)
	extended, err := boolParam(q, "extended")
	if err != nil {
		return reply{}, err
	}
	var out []*Policy
	for _, p := range s.st.policies.all() {
		if s.gen.policyVisible(p, tenant) {
			out = append(out, p)
		}
	}
	return listReply(c, out, func(p *Policy) string { return p.Name },
		func(p *Policy) any { return s.policyWire(p, extended) })
}

// POST /policies/vm-backup (rules embedded on 7.4, required there); the
// policy belongs to the caller's project on 7.4, else to the body's tenant.
func (s *Server) createPolicy(c *call) (reply, error) {
	var req policyRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	b, err := s.buildPolicy(&req, "")
	if err != nil {
		return reply{}, err
	}
	p := b.p
	p.GUID = s.st.newGUID()
	p.TenantID = s.gen.createTenant(c.r, req.tenantRequest)
	s.st.policies.put(p.GUID, &p)
	if req.VMs != nil {
		s.assignVMs(p.GUID, *req.VMs)
	}
	for _, r := range b.rules {
		s.storeRule(r, p.GUID, "")
	}
	return created(s.policyWire(&p, true)), nil
}

// GET /policies/vm-backup/{guid}
func (s *Server) getPolicy(c *call) (reply, error) {
	p, ok := s.st.policies.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("policy", pathGUID(c.r))
	}
	return okReply(s.policyWire(p, true)), nil
}

// PUT /policies/vm-backup/{guid}: vms, rules and the tenant are kept when
// absent (rules are required on 7.4 and ignored on 4.0).
func (s *Server) updatePolicy(c *call) (reply, error) {
	old, ok := s.st.policies.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("policy", pathGUID(c.r))
	}
	var req policyRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	b, err := s.buildPolicy(&req, old.GUID)
	if err != nil {
		return reply{}, err
	}
	p := b.p
	p.GUID = old.GUID
	p.TenantID = old.TenantID
	if t := s.gen.bodyTenant(req.tenantRequest); t != nil {
		p.TenantID = *t
	}
	if req.Projects == nil {
		p.Projects = old.Projects
	}
	if req.VisibleForAllProjects == nil {
		p.VisibleForAllProjects = old.VisibleForAllProjects
	}
	*old = p
	if req.VMs != nil {
		s.assignVMs(p.GUID, *req.VMs)
	}
	if req.Rules != nil && s.gen.policyRulesEmbedded {
		s.syncRules(p.GUID, b.rules, *req.Rules)
	}
	return okReply(s.policyWire(old, true)), nil
}

// DELETE /policies/vm-backup/{guid}: its rules go too; its VMs are unassigned.
func (s *Server) deletePolicy(c *call) (reply, error) {
	p, ok := s.st.policies.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("policy", pathGUID(c.r))
	}
	for _, r := range s.st.rulesOfPolicy(p.GUID) {
		s.st.rules.del(r.GUID)
	}
	s.assignVMs(p.GUID, nil)
	s.st.policies.del(p.GUID)
	return noContent(), nil
}
