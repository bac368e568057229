package vprotecttest

import (
	"regexp"
	"slices"
)

// The auto-assignment preview (reference 7x 8.4): which VMs saving a policy
// would assign or unassign under its autoAssignSettings. The rules of the
// manual: exclusions win over inclusions, inclusions (tags, name patterns,
// clusters) are ORed, and VMs move from another policy, or leave this one,
// only in ASSIGN_AND_REMOVE mode. DISABLED previews no change. The values
// of changeType (ASSIGN, UNASSIGN) and changeReason are the fake's own: the
// reference knows only that both are enums with descriptions.

// autoAssignChange is one row of the preview.
type autoAssignChange struct {
	ProtectedEntity NameAndGuid `json:"protectedEntity"`
	ChangeType      Enum        `json:"changeType"`
	ChangeReason    Enum        `json:"changeReason"`
}

// POST /policies/vm-backup/auto-assignment-preview and …/{guid}/auto-assignment-preview
func (s *Server) previewBackupAutoAssignment(c *call) (reply, error) {
	self := pathGUID(c.r)
	if self != "" {
		if _, ok := s.st.policies.get(self); !ok {
			return reply{}, notFound("policy", self)
		}
	}
	return s.previewAutoAssignment(c, self, func(v *VM) *NameAndGuid { return v.VMBackupPolicy })
}

// POST /policies/vm-snapshot/auto-assignment-preview and …/{guid}/auto-assignment-preview
func (s *Server) previewSnapshotAutoAssignment(c *call) (reply, error) {
	self := pathGUID(c.r)
	if self != "" {
		if _, ok := s.st.snapPols.get(self); !ok {
			return reply{}, notFound("snapshot policy", self)
		}
	}
	return s.previewAutoAssignment(c, self, func(v *VM) *NameAndGuid { return v.SnapshotMgmtPolicy })
}

// previewAutoAssignment computes the preview for the policy payload of c;
// self is the policy's GUID ("" for a new one) and policyOf gives a VM's
// current policy of the same kind.
func (s *Server) previewAutoAssignment(c *call, self string, policyOf func(*VM) *NameAndGuid) (reply, error) {
	var req policyRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	var p Policy
	if err := req.settings(&p); err != nil {
		return reply{}, err
	}
	m, err := newAutoMatcher(p.AutoAssignSettings)
	if err != nil {
		return reply{}, err
	}
	members := map[string]bool{}
	if req.VMs != nil {
		for _, r := range *req.VMs {
			members[r.GUID] = true
		}
	} else if self != "" {
		for _, v := range s.st.vms.all() {
			if r := policyOf(v); r != nil && r.GUID == self {
				members[v.GUID] = true
			}
		}
	}
	mode := p.AutoAssignSettings.Mode.Name
	out := []autoAssignChange{}
	if mode == "DISABLED" {
		return okReply(out), nil
	}
	for _, v := range s.st.vms.all() {
		if !v.Present {
			continue
		}
		reason, assign := m.match(v)
		ref := NameAndGuid{GUID: v.GUID, Name: v.Name}
		switch {
		case assign && !members[v.GUID]:
			other := policyOf(v)
			if other != nil && other.GUID != self && mode != "ASSIGN_AND_REMOVE" {
				continue // in another policy: moved only in ASSIGN_AND_REMOVE mode
			}
			out = append(out, autoAssignChange{ProtectedEntity: ref, ChangeType: enumOf("ASSIGN"), ChangeReason: enumOf(reason)})
		case !assign && members[v.GUID] && mode == "ASSIGN_AND_REMOVE":
			out = append(out, autoAssignChange{ProtectedEntity: ref, ChangeType: enumOf("UNASSIGN"), ChangeReason: enumOf(reason)})
		}
	}
	return okReply(out), nil
}

// autoMatcher applies a policy's auto-assignment settings to VMs.
type autoMatcher struct {
	a                AutoAssignSettings
	include, exclude []*regexp.Regexp
}

func newAutoMatcher(a AutoAssignSettings) (*autoMatcher, error) {
	m := &autoMatcher{a: a}
	for _, l := range []struct {
		field string
		in    []string
		out   *[]*regexp.Regexp
	}{{"autoAssignSettings.includeRegExps", a.IncludeRegExps, &m.include}, {"autoAssignSettings.excludeRegExps", a.ExcludeRegExps, &m.exclude}} {
		for i, expr := range l.in {
			re, err := regexp.Compile(expr)
			if err != nil {
				return nil, badRequest("%s[%d]: invalid regular expression %q", l.field, i, expr)
			}
			*l.out = append(*l.out, re)
		}
	}
	return m, nil
}

// match says whether v is to be in the policy, and why (or why not).
func (m *autoMatcher) match(v *VM) (reason string, assign bool) {
	for _, t := range m.a.ExcludeTags {
		if slices.Contains(v.Tags, t) {
			return "EXCLUDED_BY_TAG", false
		}
	}
	for _, re := range m.exclude {
		if re.MatchString(v.Name) {
			return "EXCLUDED_BY_NAME", false
		}
	}
	for _, t := range m.a.IncludeTags {
		if slices.Contains(v.Tags, t) {
			return "INCLUDED_BY_TAG", true
		}
	}
	for _, re := range m.include {
		if re.MatchString(v.Name) {
			return "INCLUDED_BY_NAME", true
		}
	}
	for _, cl := range m.a.HvClusters {
		if v.HvCluster != nil && v.HvCluster.GUID == cl.GUID {
			return "INCLUDED_BY_CLUSTER", true
		}
	}
	return "NOT_MATCHED", false
}
