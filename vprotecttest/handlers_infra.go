package vprotecttest

// GET /backup-destinations
func (s *Server) listDestinations(c *call) (reply, error) {
	return listReply(c, s.st.dests.all(), func(d *BackupDestination) string { return d.Name }, s.renderDestination)
}

// GET /backup-destinations/{guid}
func (s *Server) getDestination(c *call) (reply, error) {
	d, ok := s.st.dests.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("backup destination", pathGUID(c.r))
	}
	return okReply(s.renderDestination(d)), nil
}

// POST /backup-destinations/usable-for-vms: body is an array of {guid} or GUID strings.
func (s *Server) usableDestinations(c *call) (reply, error) {
	var refs []NameAndGuid
	if err := c.decode(&refs); err != nil {
		return reply{}, err
	}
	projects := map[string]bool{}
	for i, r := range refs {
		v, ok := s.st.vms.get(r.GUID)
		if !ok {
			return reply{}, badRequest("[%d]: unknown virtual machine %q", i, r.GUID)
		}
		if v.Project != nil {
			projects[v.Project.GUID] = true
		}
	}
	var out []*BackupDestination
	for _, d := range s.st.dests.all() {
		usable := d.VisibleForAllVms
		for _, p := range d.Projects {
			usable = usable || projects[p.GUID]
		}
		if usable {
			out = append(out, d)
		}
	}
	return listReply(c, out, func(d *BackupDestination) string { return d.Name }, s.renderDestination)
}

// GET /hypervisors
func (s *Server) listHypervisors(c *call) (reply, error) {
	mgr := param(c.r.URL.Query(), "hypervisor-manager")
	var hs []*Hypervisor
	for _, h := range s.st.hypervisors.all() {
		if mgr == "" || (h.HvManager != nil && h.HvManager.GUID == mgr) {
			hs = append(hs, h)
		}
	}
	return listReply(c, hs, func(h *Hypervisor) string { return h.Name }, deepCopy[Hypervisor])
}

// GET /hypervisors/{guid}
func (s *Server) getHypervisor(c *call) (reply, error) {
	h, ok := s.st.hypervisors.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("hypervisor", pathGUID(c.r))
	}
	return okReply(deepCopy(h)), nil
}

// GET /hypervisor-managers (backup-to-be-restored: managers of the backup's VM's type)
func (s *Server) listManagers(c *call) (reply, error) {
	backup := param(c.r.URL.Query(), "backup-to-be-restored")
	var ms []*HypervisorManager
	for _, m := range s.st.managers.all() {
		if backup != "" && !s.canRestoreTo(backup, m) {
			continue
		}
		ms = append(ms, m)
	}
	return listReply(c, ms, func(m *HypervisorManager) string { return m.Name }, deepCopy[HypervisorManager])
}

// canRestoreTo reports whether a backup can be restored to a manager (same type).
func (s *Server) canRestoreTo(backup string, m *HypervisorManager) bool {
	b, ok := s.st.backups.get(backup)
	if !ok {
		return false
	}
	v, ok := s.st.vms.get(b.ProtectedEntity.GUID)
	if !ok || v.HvmType == nil {
		return false
	}
	return v.HvmType.Name == m.Type.Name
}

// GET /hypervisor-managers/{guid}
func (s *Server) getManager(c *call) (reply, error) {
	m, ok := s.st.managers.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("hypervisor manager", pathGUID(c.r))
	}
	return okReply(deepCopy(m)), nil
}

// GET /hypervisor-clusters (hypervisor-manager)
func (s *Server) listClusters(c *call) (reply, error) {
	mgr := param(c.r.URL.Query(), "hypervisor-manager")
	var cs []*HypervisorCluster
	for _, cl := range s.st.clusters.all() {
		if mgr == "" || (cl.HvManager != nil && cl.HvManager.GUID == mgr) {
			cs = append(cs, cl)
		}
	}
	return listReply(c, cs, func(cl *HypervisorCluster) string { return cl.Name }, deepCopy[HypervisorCluster])
}

// GET /hypervisor-storages (hypervisor-manager, or the older hypervisor)
func (s *Server) listStorages(c *call) (reply, error) {
	q := c.r.URL.Query()
	mgr, hv := param(q, "hypervisor-manager"), param(q, "hypervisor")
	if h, ok := s.st.hypervisors.get(hv); ok && mgr == "" && h.HvManager != nil {
		mgr = h.HvManager.GUID
	}
	var out []*HypervisorStorage
	for _, st := range s.st.storages.all() {
		if hv != "" && mgr == "" && (st.Hypervisor == nil || st.Hypervisor.GUID != hv) {
			continue
		}
		if mgr != "" && (st.HvManager == nil || st.HvManager.GUID != mgr) && (st.Hypervisor == nil || st.Hypervisor.GUID != hv) {
			continue
		}
		out = append(out, st)
	}
	return listReply(c, out, func(st *HypervisorStorage) string { return st.Name }, deepCopy[HypervisorStorage])
}

// GET /projects (hypervisor-manager)
func (s *Server) listProjects(c *call) (reply, error) {
	mgr := param(c.r.URL.Query(), "hypervisor-manager")
	var out []*Project
	for _, p := range s.st.projects.all() {
		if mgr == "" || (p.HvManager != nil && p.HvManager.GUID == mgr) {
			out = append(out, p)
		}
	}
	return listReply(c, out, func(p *Project) string { return p.Name }, deepCopy[Project])
}

// GET /nodes
func (s *Server) listNodes(c *call) (reply, error) {
	return listReply(c, s.st.nodes.all(), func(n *Node) string { return n.Name }, s.renderNode)
}

// GET /nodes/{guid}
func (s *Server) getNode(c *call) (reply, error) {
	n, ok := s.st.nodes.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("node", pathGUID(c.r))
	}
	return okReply(s.renderNode(n)), nil
}
