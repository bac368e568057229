package vprotecttest

// GET /backups
func (s *Server) listBackups(c *call) (reply, error) {
	q := c.r.URL.Query()
	vm := param(q, "protected-entity", "protectedEntity")
	statuses := params(q, "status")
	from, hasFrom, err := intParam(q, "from")
	if err != nil {
		return reply{}, err
	}
	to, hasTo, err := intParam(q, "to")
	if err != nil {
		return reply{}, err
	}
	mountable, err := boolParam(q, "only-mountable")
	if err != nil {
		return reply{}, err
	}
	var out []*Backup
	for _, b := range s.st.backups.all() {
		if vm != "" && b.ProtectedEntity.GUID != vm {
			continue
		}
		if len(statuses) > 0 && !containsFold(statuses, b.Status.Name) {
			continue
		}
		if (hasFrom && b.SnapshotTime < from) || (hasTo && b.SnapshotTime > to) {
			continue
		}
		if mountable && !isMountable(b) {
			continue
		}
		out = append(out, b)
	}
	return listReply(c, out, backupName, s.st.renderBackup)
}

// isMountable: a successful backup with a PRESENT location.
func isMountable(b *Backup) bool {
	if b.Status.Name != "SUCCESS" && b.Status.Name != "PARTIAL_SUCCESS" {
		return false
	}
	for _, l := range b.BackupLocations {
		if l.Status.Name == "PRESENT" {
			return true
		}
	}
	return false
}

// GET /backups/{guid}: the record with the details a list leaves out, the
// VM's NICs at backup time and whether it can be mounted over iSCSI.
func (s *Server) getBackup(c *call) (reply, error) {
	b, ok := s.st.backups.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("backup", pathGUID(c.r))
	}
	return okReply(s.backupDetails(b)), nil
}

// backupDetails renders a backup as GET /backups/{guid} gives it.
func (s *Server) backupDetails(b *Backup) Backup {
	s.recordParts(b)
	d := s.st.renderBackup(b)
	mountable := isMountable(b)
	d.IscsiMountable = &mountable
	d.NetworkInterfaceCards = make([]NetworkInterfaceCard, 0, len(b.NetworkInterfaceCards))
	for _, n := range b.NetworkInterfaceCards {
		n.Network = s.st.refreshRef(n.Network)
		n.VirtualMachine = &NameAndGuid{GUID: b.ProtectedEntity.GUID, Name: d.ProtectedEntity.Name}
		n.Backups = s.backupsWithNIC(n.GUID)
		d.NetworkInterfaceCards = append(d.NetworkInterfaceCards, n)
	}
	return d
}

// backupsWithNIC lists the backups that recorded the NIC guid.
func (s *Server) backupsWithNIC(guid string) []NameAndGuid {
	out := []NameAndGuid{}
	for _, b := range s.st.backups.all() {
		for _, n := range b.NetworkInterfaceCards {
			if n.GUID == guid {
				out = append(out, NameAndGuid{GUID: b.GUID, Name: backupName(b)})
			}
		}
	}
	return out
}

// valueRequest is the server's StringDTO, {"value": ...}.
type valueRequest[T any] struct {
	Value *T `json:"value"`
}

// PUT /backups/{guid}/description {"value":"text"}
func (s *Server) setBackupDescription(c *call) (reply, error) {
	b, ok := s.st.backups.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("backup", pathGUID(c.r))
	}
	var req valueRequest[string]
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if req.Value == nil {
		return reply{}, badRequest("value: is required")
	}
	b.Description = *req.Value
	return noContent(), nil
}

// PUT /backups/{guid}/warnings-acknowledged {"value":true}
func (s *Server) setBackupWarningsAcknowledged(c *call) (reply, error) {
	b, ok := s.st.backups.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("backup", pathGUID(c.r))
	}
	var req valueRequest[bool]
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if req.Value == nil {
		return reply{}, badRequest("value: is required (true or false)")
	}
	b.WarningsAcknowledged = *req.Value
	return noContent(), nil
}

// GET /backup-locations
func (s *Server) listBackupLocations(c *call) (reply, error) {
	q := c.r.URL.Query()
	vm := param(q, "protected-entity", "protectedEntity")
	status := params(q, "location-status")
	var out []BackupLocation
	for _, b := range s.st.backups.all() {
		if vm != "" && b.ProtectedEntity.GUID != vm {
			continue
		}
		for _, l := range s.st.renderBackup(b).BackupLocations {
			if len(status) > 0 && !containsFold(status, l.Status.Name) {
				continue
			}
			out = append(out, l)
		}
	}
	return listReply(c, out, func(l BackupLocation) string { return l.Name }, func(l BackupLocation) BackupLocation { return l })
}
