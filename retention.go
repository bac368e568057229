package vprotect

import (
	"context"
	"net/http"
	"time"
)

// RetentionService marks backups for the server's retention: expired (the
// next cleanup removes them), kept until a date, or back under the retention
// of their policy's rule. Marks take effect at the next cleanup run (a
// BACKUP_CLEANUP task, at the server's daily "old backups removal time").
type RetentionService service

// RetentionAPI is the interface of RetentionService, for mocking.
type RetentionAPI interface {
	Preview(ctx context.Context, marks ...RetentionMark) ([]RetentionPreview, error)
	Mark(ctx context.Context, marks ...RetentionMark) error
}

var _ RetentionAPI = (*RetentionService)(nil)

// RetentionMark is a retention mark for one backup, on one of its copies.
type RetentionMark struct {
	// Backup is the GUID of the backup to mark. Required.
	Backup string
	// BackupDestination is the GUID of the destination of the copy to mark,
	// as the retention dialog sends it (the backup's first location).
	// Optional.
	BackupDestination string
	// RoleType is the role of that destination (PRIMARY, SECONDARY, ARCHIVE). Optional.
	RoleType DestinationRole
	// Hint is the mark: RetentionHintToRemove (mark as expired),
	// RetentionHintArchive (keep until KeepUntil) or
	// RetentionHintStandardRetention (the policy's retention). Required.
	Hint RetentionHint
	// KeepUntil is the date a backup marked RetentionHintArchive is kept
	// until; required with that hint and not allowed with the others.
	KeepUntil time.Time
}

// RetentionMarkOf returns the mark hint for the copy loc, as the retention
// dialog builds it from a backup's first location. keepUntil is for
// RetentionHintArchive; pass the zero time otherwise.
func RetentionMarkOf(loc BackupLocation, hint RetentionHint, keepUntil time.Time) RetentionMark {
	return RetentionMark{
		Backup:            loc.Backup.GUID,
		BackupDestination: loc.BackupDestination.GUID,
		RoleType:          loc.RoleType.Name,
		Hint:              hint,
		KeepUntil:         keepUntil,
	}
}

// RetentionPreview is one row of a retention preview: a copy of a backup and
// how the marks change it.
type RetentionPreview struct {
	// Backup is the backup the row is about.
	Backup NameAndGuid `json:"backup"`
	// BackupDestination is the destination of the copy.
	BackupDestination NameAndGuid `json:"backupDestination"`
	// RoleType is the role of that destination.
	RoleType Enum[DestinationRole] `json:"roleType"`
	// PreviousType is the backup's type before the marks (FULL or INCREMENTAL).
	PreviousType Enum[BackupType] `json:"previousType"`
	// Type is the backup's type after them (an incremental can become full).
	Type Enum[BackupType] `json:"type"`
	// PreviousHint is the copy's mark before.
	PreviousHint Enum[RetentionHint] `json:"previousHint"`
	// RetentionHint is the copy's mark after (RECREATE can appear).
	RetentionHint Enum[RetentionHint] `json:"retentionHint"`
	// PreviousArchiveExpire is the keep-until date before.
	PreviousArchiveExpire Timestamp `json:"previousArchiveExpire"`
	// ArchiveExpire is the keep-until date after.
	ArchiveExpire Timestamp `json:"archiveExpire"`
}

// retentionMarkBody is one element of a marking: a backup location as the
// retention dialog sends it, its guid overwritten with the backup's.
type retentionMarkBody struct {
	GUID              string                 `json:"guid"`
	Backup            NameAndGuid            `json:"backup"`
	BackupDestination *NameAndGuid           `json:"backupDestination,omitempty"`
	RoleType          *Enum[DestinationRole] `json:"roleType,omitempty"`
	RetentionHint     Enum[RetentionHint]    `json:"retentionHint"`
	// ArchiveExpire is an ISO-8601 date, as the dialog sends a picked date, or null.
	ArchiveExpire *string `json:"archiveExpire"`
}

// isoMillis is the form a browser gives a picked date (Date.toJSON).
const isoMillis = "2006-01-02T15:04:05.000Z07:00"

// newRetentionMarksBody checks the marks (named marks[i]) and builds the
// body of a marking or its preview.
func newRetentionMarksBody(marks []RetentionMark) ([]retentionMarkBody, error) {
	if len(marks) == 0 {
		return nil, argError("marks", "must hold at least one mark")
	}
	out := make([]retentionMarkBody, 0, len(marks))
	for i, m := range marks {
		b, err := newRetentionMarkForm(indexed("marks", i), m)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// newRetentionMarkForm checks one mark (its field names start with field)
// and returns its request form.
func newRetentionMarkForm(field string, m RetentionMark) (retentionMarkBody, error) {
	if err := requireGUID(field+".Backup", m.Backup); err != nil {
		return retentionMarkBody{}, err
	}
	switch m.Hint {
	case RetentionHintToRemove, RetentionHintStandardRetention:
		if !m.KeepUntil.IsZero() {
			return retentionMarkBody{}, argError(field+".KeepUntil", "is only for %s, not %s", RetentionHintArchive, m.Hint)
		}
	case RetentionHintArchive:
		if m.KeepUntil.IsZero() {
			return retentionMarkBody{}, argError(field+".KeepUntil", "is required with %s", RetentionHintArchive)
		}
	default:
		return retentionMarkBody{}, argError(field+".Hint", "must be %s, %s or %s, got %q",
			RetentionHintToRemove, RetentionHintArchive, RetentionHintStandardRetention, m.Hint)
	}
	b := retentionMarkBody{GUID: m.Backup, Backup: Ref(m.Backup), RetentionHint: EnumOf(m.Hint)}
	if m.BackupDestination != "" {
		b.BackupDestination = RefPtr(m.BackupDestination)
	}
	if m.RoleType != "" {
		r := EnumOf(m.RoleType)
		b.RoleType = &r
	}
	if !m.KeepUntil.IsZero() {
		s := m.KeepUntil.UTC().Format(isoMillis)
		b.ArchiveExpire = &s
	}
	return b, nil
}

// Preview returns what the marks would change, one row per copy affected,
// without changing anything.
//
// vProtect API: POST /retention/mark-backups/preview
func (s *RetentionService) Preview(ctx context.Context, marks ...RetentionMark) ([]RetentionPreview, error) {
	body, err := newRetentionMarksBody(marks)
	if err != nil {
		return nil, err
	}
	rows, err := sendJSON[[]RetentionPreview](ctx, s.client, http.MethodPost, "/retention/mark-backups/preview", nil, body)
	if err != nil {
		return nil, err
	}
	if *rows == nil {
		return []RetentionPreview{}, nil
	}
	return *rows, nil
}

// Mark sets the marks. They take effect at the server's next cleanup run:
// a copy marked expired is removed then (the backup's status becomes
// SUCCESS_REMOVED once no copy is left), one kept until a date stays until
// that date has passed.
//
// vProtect API: POST /retention/mark-backups
func (s *RetentionService) Mark(ctx context.Context, marks ...RetentionMark) error {
	body, err := newRetentionMarksBody(marks)
	if err != nil {
		return err
	}
	_, err = s.client.do(ctx, &request{method: http.MethodPost, path: "/retention/mark-backups", body: body})
	return err
}
