package vprotecttest

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Retention marking (7x reference 3.3) and the daily cleanup that applies
// the marks (3.2).
//
// A mark names a backup by guid (the dialog overwrites the location's guid
// with the backup's) and, optionally, the destination (and role) of the copy
// it is for; without a destination it is for every copy of the backup. The
// marks take effect at the next cleanup run: at the old-backups removal time
// (WithBackupCleanupTime, 00:00 UTC by default) of a day with something to
// remove, the fake starts a BACKUP_CLEANUP task (origin SYSTEM_SCHEDULE).
// When it finishes, every PRESENT copy marked TO_REMOVE, or marked ARCHIVE
// with archiveExpire passed, becomes REMOVED; a backup without a present
// copy left becomes SUCCESS_REMOVED. STANDARD_RETENTION hands a copy back to
// its rule's retention, which the fake does not apply by age or count. On a
// day with nothing to remove the fake starts no task.

// retentionMark is one element of a marking request.
type retentionMark struct {
	GUID              string          `json:"guid"`
	Backup            *NameAndGuid    `json:"backup"`
	BackupDestination *NameAndGuid    `json:"backupDestination"`
	RoleType          *Enum           `json:"roleType"`
	RetentionHint     *Enum           `json:"retentionHint"`
	ArchiveExpire     json.RawMessage `json:"archiveExpire"`
}

// markedCopy is a copy a mark applies to, with its new hint and date.
type markedCopy struct {
	b      *Backup
	loc    *BackupLocation
	hint   string
	expire *int64
}

var retentionHints = map[string]bool{"TO_REMOVE": true, "ARCHIVE": true, "STANDARD_RETENTION": true}

// POST /retention/mark-backups
func (s *Server) markBackups(c *call) (reply, error) {
	marks, err := s.resolveMarks(c)
	if err != nil {
		return reply{}, err
	}
	// Every run due before now has run; the next one counts from now.
	s.st.cleanupEval = c.now
	for _, m := range marks {
		m.loc.RetentionHint = enumPtr(m.hint)
		m.loc.ArchiveExpire = m.expire
		if m.hint == "ARCHIVE" {
			m.b.ArchiveExpire = clonePtr(m.expire)
		}
	}
	s.advance(c.now)
	return noContent(), nil
}

// POST /retention/mark-backups/preview: one row per copy, changing nothing.
func (s *Server) previewMarks(c *call) (reply, error) {
	marks, err := s.resolveMarks(c)
	if err != nil {
		return reply{}, err
	}
	rows := make([]RetentionPreview, 0, len(marks))
	for _, m := range marks {
		rows = append(rows, RetentionPreview{
			Backup:            NameAndGuid{GUID: m.b.GUID, Name: backupName(m.b)},
			BackupDestination: s.st.refVal(m.loc.BackupDestination.GUID),
			RoleType:          m.loc.RoleType, PreviousType: m.b.Type, Type: m.b.Type,
			PreviousHint: clonePtr(m.loc.RetentionHint), RetentionHint: enumPtr(m.hint),
			PreviousArchiveExpire: clonePtr(m.loc.ArchiveExpire), ArchiveExpire: clonePtr(m.expire),
		})
	}
	return okReply(rows), nil
}

// resolveMarks checks a marking request and finds the copies it marks.
func (s *Server) resolveMarks(c *call) ([]markedCopy, error) {
	var req []retentionMark
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if len(req) == 0 {
		return nil, badRequest("request body: must hold at least one backup")
	}
	var out []markedCopy
	for i, m := range req {
		guid := m.GUID
		if given(m.Backup) {
			guid = m.Backup.GUID
		}
		b, ok := s.st.backups.get(guid)
		if !ok {
			return nil, badRequest("[%d].guid: unknown backup %q", i, guid)
		}
		if m.RetentionHint == nil || !retentionHints[strings.ToUpper(m.RetentionHint.Name)] {
			return nil, badRequest("[%d].retentionHint: must be TO_REMOVE, ARCHIVE or STANDARD_RETENTION", i)
		}
		hint := strings.ToUpper(m.RetentionHint.Name)
		var expire *int64
		if hint == "ARCHIVE" {
			at, err := archiveExpire(m.ArchiveExpire)
			if err != nil {
				return nil, badRequest("[%d].archiveExpire: %v", i, err)
			}
			if at == nil {
				return nil, badRequest("[%d].archiveExpire: is required with ARCHIVE", i)
			}
			expire = at
		}
		n := 0
		for j := range b.BackupLocations {
			l := &b.BackupLocations[j]
			if given(m.BackupDestination) && l.BackupDestination.GUID != m.BackupDestination.GUID {
				continue
			}
			if m.RoleType != nil && m.RoleType.Name != "" && !strings.EqualFold(l.RoleType.Name, m.RoleType.Name) {
				continue
			}
			if l.Status.Name != "PRESENT" {
				return nil, badRequest("[%d]: the copy of backup %s on %s is %s, not PRESENT", i, b.GUID, l.BackupDestination.GUID, l.Status.Name)
			}
			out = append(out, markedCopy{b: b, loc: l, hint: hint, expire: expire})
			n++
		}
		if n == 0 {
			return nil, badRequest("[%d].backupDestination: backup %s has no copy there", i, b.GUID)
		}
	}
	return out, nil
}

// archiveExpire reads a keep-until date: epoch ms (a number or a numeric
// string), an ISO-8601 date as a browser sends a picked date, or null.
func archiveExpire(raw json.RawMessage) (*int64, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case float64:
		n := int64(x)
		return &n, nil
	case string:
		if n, err := strconv.ParseInt(x, 10, 64); err == nil {
			return &n, nil
		}
		t, err := time.Parse(time.RFC3339Nano, x)
		if err != nil {
			return nil, badRequest("not a date (epoch ms or ISO-8601): %q", x)
		}
		n := t.UnixMilli()
		return &n, nil
	}
	return nil, badRequest("not a date (epoch ms or ISO-8601)")
}

// removable reports whether the cleanup at t removes the copy l.
func removable(l *BackupLocation, t time.Time) bool {
	if l.Status.Name != "PRESENT" || l.RetentionHint == nil {
		return false
	}
	switch l.RetentionHint.Name {
	case "TO_REMOVE":
		return true
	case "ARCHIVE":
		return l.ArchiveExpire != nil && *l.ArchiveExpire <= ms(t)
	}
	return false
}

// cleanupWork returns the earliest time from which a cleanup run has
// something to remove: at once for a copy marked TO_REMOVE, from its
// archiveExpire for one marked ARCHIVE. ok is false when there is nothing.
func (s *Server) cleanupWork() (from time.Time, ok bool) {
	for _, b := range s.st.backups.all() {
		for _, l := range b.BackupLocations {
			if l.Status.Name != "PRESENT" || l.RetentionHint == nil {
				continue
			}
			switch {
			case l.RetentionHint.Name == "TO_REMOVE":
				return time.Time{}, true
			case l.RetentionHint.Name == "ARCHIVE" && l.ArchiveExpire != nil:
				if at := time.UnixMilli(*l.ArchiveExpire); !ok || at.Before(from) {
					from, ok = at, true
				}
			}
		}
	}
	return from, ok
}

// nextCleanupRun is the next cleanup run with something to remove: the first
// run time after the last run (or the last marking) at or after cleanupWork.
func (s *Server) nextCleanupRun() (time.Time, bool) {
	from, ok := s.cleanupWork()
	if !ok {
		return time.Time{}, false
	}
	after := s.st.cleanupEval
	if from.After(after) {
		after = from.Add(-time.Millisecond)
	}
	return s.nextCleanup(after), true
}

// nextCleanup is the first cleanup time strictly after after.
func (s *Server) nextCleanup(after time.Time) time.Time {
	after = after.UTC()
	t := time.Date(after.Year(), after.Month(), after.Day(), 0, 0, 0, 0, time.UTC).Add(s.cfg.cleanupTime)
	if !t.After(after) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// runCleanup starts the BACKUP_CLEANUP task of the run at t.
func (s *Server) runCleanup(t time.Time) {
	s.st.cleanupEval = t
	s.newTask(taskSpec{typ: "BACKUP_CLEANUP", priority: 50, winStart: t, winEnd: t.Add(defaultChildWindowLen),
		origin: &NameGuidAndType{Name: "Old backups removal", Type: enumOf("SYSTEM_SCHEDULE")}}, t)
}

// cleanBackups is what a finished BACKUP_CLEANUP does at t.
func (s *Server) cleanBackups(t time.Time) {
	for _, b := range s.st.backups.all() {
		for i := range b.BackupLocations {
			if removable(&b.BackupLocations[i], t) {
				s.removeCopy(b, &b.BackupLocations[i])
			}
		}
	}
}

// removeCopy removes one copy of a backup from its destination; the backup
// is SUCCESS_REMOVED once no copy is present.
func (s *Server) removeCopy(b *Backup, l *BackupLocation) {
	l.Status = enumOf("REMOVED")
	if d, ok := s.st.dests.get(l.BackupDestination.GUID); ok {
		d.TotalUsedSpace = max(0, d.TotalUsedSpace-b.Size)
	}
	for _, o := range b.BackupLocations {
		if o.Status.Name == "PRESENT" || o.Status.Name == "IN_PROGRESS" {
			return
		}
	}
	if b.Status.Name == "SUCCESS" || b.Status.Name == "PARTIAL_SUCCESS" {
		b.Status = enumOf("SUCCESS_REMOVED")
	}
}
