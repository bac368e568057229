package vprotecttest

import (
	"bytes"
	"encoding/json"
	"sort"
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
// its rule's retention, which the same run applies (ruleExpiries). On a day
// with nothing to remove the fake starts no task.

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

// removable reports whether the cleanup at t removes the copy l; expiries
// are the rule-retention expiries of ruleExpiries.
func removable(l *BackupLocation, t time.Time, expiries map[*BackupLocation]time.Time) bool {
	if l.Status.Name != "PRESENT" {
		return false
	}
	if at, ok := expiries[l]; ok {
		return !at.After(t)
	}
	if l.RetentionHint == nil {
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

// retentionGroup is the copies one rule's retention counts together: of one
// VM, on one destination, of one backup type.
type retentionGroup struct{ vm, dest, typ string }

// ruleExpiries applies the retention of the backups' rules to the present
// copies under it (hint STANDARD_RETENTION): in each group, newest first, a
// copy beyond the last N to keep may go once it is older than the "newer
// than" period (both limits of the rule's destination; an inference: the
// settings name both and keep a backup while either holds). It returns
// when each such copy may go.
func (s *Server) ruleExpiries() map[*BackupLocation]time.Time {
	type cand struct {
		snap    int64
		loc     *BackupLocation
		keep    int
		keepFor time.Duration
	}
	var groups map[retentionGroup][]cand // made for the first copy under a rule
	for _, b := range s.st.backups.all() {
		if b.BackupRule == nil {
			continue
		}
		rule, ok := s.st.rules.get(b.BackupRule.GUID)
		if !ok {
			continue
		}
		for i := range b.BackupLocations {
			l := &b.BackupLocations[i]
			if l.Status.Name != "PRESENT" || l.RetentionHint == nil || l.RetentionHint.Name != "STANDARD_RETENTION" {
				continue
			}
			for _, d := range rule.RuleBackupDestinations {
				if d.BackupDestination.GUID != l.BackupDestination.GUID {
					continue
				}
				rs := d.BackupRetentionSettings
				c := cand{snap: b.SnapshotTime, loc: l, keep: rs.RetentionKeepLastNFull, keepFor: time.Duration(rs.RetentionKeepFullNewerThan) * time.Millisecond}
				if b.Type.Name == "INCREMENTAL" {
					c.keep, c.keepFor = rs.RetentionKeepLastNIncremental, time.Duration(rs.RetentionKeepIncrementalNewerThan)*time.Millisecond
				}
				k := retentionGroup{b.ProtectedEntity.GUID, l.BackupDestination.GUID, b.Type.Name}
				if groups == nil {
					groups = map[retentionGroup][]cand{}
				}
				groups[k] = append(groups[k], c)
				break
			}
		}
	}
	var out map[*BackupLocation]time.Time // nil when nothing expires: reading it is fine
	for _, cs := range groups {
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].snap > cs[j].snap })
		for i, c := range cs {
			if i >= c.keep {
				if out == nil {
					out = map[*BackupLocation]time.Time{}
				}
				out[c.loc] = time.UnixMilli(c.snap).Add(c.keepFor)
			}
		}
	}
	return out
}

// cleanupWork returns the earliest time from which a cleanup run has
// something to remove: at once for a copy marked TO_REMOVE, from its
// archiveExpire for one marked ARCHIVE, from its expiry (ruleExpiries) for
// one under its rule's retention. ok is false when there is nothing.
func (s *Server) cleanupWork() (from time.Time, ok bool) {
	for _, at := range s.ruleExpiries() {
		if !ok || at.Before(from) {
			from, ok = at, true
		}
	}
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
	expiries := s.ruleExpiries()
	for _, b := range s.st.backups.all() {
		for i := range b.BackupLocations {
			if removable(&b.BackupLocations[i], t, expiries) {
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
