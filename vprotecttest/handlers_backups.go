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

// GET /backups/{guid}
func (s *Server) getBackup(c *call) (reply, error) {
	b, ok := s.st.backups.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("backup", pathGUID(c.r))
	}
	return okReply(s.st.renderBackup(b)), nil
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
