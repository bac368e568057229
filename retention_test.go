package vprotect

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// retentionLocation is a backup's first location as GET /backups/{guid} gives it.
func retentionLocation() BackupLocation {
	return BackupLocation{
		GUID:              "loc-1",
		Backup:            NameAndGuid{GUID: "bk-1", Name: "web-01"},
		BackupDestination: NameAndGuid{GUID: "bd-1", Name: "fs1"},
		RoleType:          Enum[DestinationRole]{Name: DestinationRolePrimary, Description: "Primary"},
		Status:            Enum[BackupLocationStatus]{Name: BackupLocationStatusPresent},
	}
}

func TestRetentionMark(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodPost, "/retention/mark-backups", http.StatusOK, nil)

	keep := time.Date(2024, 7, 1, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	err := c.Retention.Mark(context.Background(),
		RetentionMarkOf(retentionLocation(), RetentionHintArchive, keep),
		RetentionMark{Backup: "bk-2", Hint: RetentionHintToRemove},
		RetentionMark{Backup: "bk-3", BackupDestination: "bd-2", RoleType: DestinationRoleSecondary, Hint: RetentionHintStandardRetention},
	)
	require.NoError(t, err)
	req := rec.only(t)
	assert.Equal(t, http.MethodPost, req.Method)
	assertGolden(t, "retention_mark.json", req.Body)
}

func TestRetentionPreview(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodPost, "/retention/mark-backups/preview", http.StatusOK, fixture(t, "retention_preview.json"))

	rows, err := c.Retention.Preview(context.Background(), RetentionMark{Backup: "bk-2", Hint: RetentionHintToRemove})
	require.NoError(t, err)
	assertGolden(t, "retention_mark_preview.json", rec.only(t).Body)

	require.Len(t, rows, 2)
	r := rows[0]
	assert.Equal(t, NameAndGuid{GUID: "bk-1", Name: "web-01 2024-05-29 16:26:40"}, r.Backup)
	assert.Equal(t, NameAndGuid{GUID: "bd-1", Name: "fs1"}, r.BackupDestination)
	assert.Equal(t, DestinationRolePrimary, r.RoleType.Name)
	assert.Equal(t, BackupTypeFull, r.PreviousType.Name)
	assert.True(t, r.PreviousHint.IsZero())
	assert.Equal(t, Enum[RetentionHint]{Name: RetentionHintArchive, Description: "Mark to keep"}, r.RetentionHint)
	assert.True(t, r.PreviousArchiveExpire.IsZero())
	assert.True(t, r.ArchiveExpire.Equal(time.UnixMilli(1719792000000)))
	assert.Equal(t, BackupTypeIncremental, rows[1].PreviousType.Name)
	assert.Equal(t, BackupTypeFull, rows[1].Type.Name)
	assert.Equal(t, RetentionHintRecreate, rows[1].RetentionHint.Name)
	assert.True(t, rows[1].RetentionHint.Name.IsKnown())
}

func TestRetentionPreviewEmpty(t *testing.T) {
	c, mt := newTestClient(t)
	respondJSON(mt, http.MethodPost, "/retention/mark-backups/preview", http.StatusOK, "")
	rows, err := c.Retention.Preview(context.Background(), RetentionMark{Backup: "bk-2", Hint: RetentionHintToRemove})
	require.NoError(t, err)
	assert.NotNil(t, rows)
	assert.Empty(t, rows)
}

func TestRetentionBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	ctx := context.Background()
	ok := RetentionMark{Backup: "bk-1", Hint: RetentionHintToRemove}
	requireArgError(t, c.Retention.Mark(ctx), "marks")
	_, err := c.Retention.Preview(ctx)
	requireArgError(t, err, "marks")
	requireArgError(t, c.Retention.Mark(ctx, ok, RetentionMark{Hint: RetentionHintToRemove}), "marks[1].Backup")
	requireArgError(t, c.Retention.Mark(ctx, RetentionMark{Backup: "bk-1"}), "marks[0].Hint")
	requireArgError(t, c.Retention.Mark(ctx, RetentionMark{Backup: "bk-1", Hint: RetentionHintRecreate}), "marks[0].Hint")
	requireArgError(t, c.Retention.Mark(ctx, RetentionMark{Backup: "bk-1", Hint: RetentionHintArchive}), "marks[0].KeepUntil")
	requireArgError(t, c.Retention.Mark(ctx, RetentionMark{Backup: "bk-1", Hint: RetentionHintToRemove, KeepUntil: time.Now()}), "marks[0].KeepUntil")
}
