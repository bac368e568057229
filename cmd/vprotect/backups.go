package main

import (
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/vprotect-go/vprotect"
)

// backupView is a backup in -o json and -o yaml.
type backupView struct {
	GUID         string               `json:"guid"`
	VM           string               `json:"vm"`
	VMGUID       string               `json:"vmGuid"`
	Type         string               `json:"type"`   // FULL or INCREMENTAL
	Status       string               `json:"status"` // SUCCESS, PARTIAL_SUCCESS, SUCCESS_REMOVED, FAILED, …
	StatusInfo   string               `json:"statusInfo,omitempty"`
	SnapshotTime *time.Time           `json:"snapshotTime"`
	BackupTime   *time.Time           `json:"backupTime"`
	Size         int64                `json:"size"` // bytes
	Locations    []backupLocationView `json:"locations"`
}

// backupLocationView is one copy of a backup.
type backupLocationView struct {
	Destination   string     `json:"destination"`
	Role          string     `json:"role"`                    // PRIMARY, SECONDARY, ARCHIVE
	Status        string     `json:"status"`                  // PRESENT, REMOVED, FAILED, IN_PROGRESS
	RetentionHint string     `json:"retentionHint,omitempty"` // TO_REMOVE, ARCHIVE, …
	KeepUntil     *time.Time `json:"keepUntil,omitempty"`
}

func newBackupView(b *vprotect.Backup) backupView {
	v := backupView{GUID: b.GUID, VM: b.ProtectedEntity.Name, VMGUID: b.ProtectedEntity.GUID, Type: string(b.Type.Name),
		Status: string(b.Status.Name), StatusInfo: b.StatusInfo, SnapshotTime: rawTime(b.SnapshotTime),
		BackupTime: rawTime(b.BackupTime), Size: b.Size, Locations: []backupLocationView{}}
	for _, l := range b.BackupLocations {
		v.Locations = append(v.Locations, backupLocationView{Destination: l.BackupDestination.Name,
			Role: string(l.RoleType.Name), Status: string(l.Status.Name), RetentionHint: string(l.RetentionHint.Name),
			KeepUntil: rawTime(l.ArchiveExpire)})
	}
	return v
}

// destinations lists a backup's copies for a table: "fs-default",
// "fs-default (to remove)".
func destinations(b *vprotect.Backup) string {
	var out []string
	for _, l := range b.BackupLocations {
		s := ref(&l.BackupDestination)
		switch l.RetentionHint.Name {
		case vprotect.RetentionHintToRemove:
			s += " (to remove)"
		case vprotect.RetentionHintArchive:
			s += " (kept)"
		}
		if l.Status.Name != "" && l.Status.Name != vprotect.BackupLocationStatusPresent {
			s += " " + strings.ToLower(string(l.Status.Name))
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

func (a *app) backupsCommand() *cobra.Command {
	return a.command(&cobra.Command{
		Use:     "backups NAME|GUID",
		Short:   "List a VM's backups, newest first",
		Example: "  vprotect backups a-web-1\n  vprotect backups a-web-1 -o json | jq -r '.[0].guid'",
		Args:    cobra.ExactArgs(1),
	}, func(cmd *cobra.Command, args []string) error {
		c, err := a.connect(cmd.Context())
		if err != nil {
			return err
		}
		vm, err := a.findVM(cmd.Context(), c, args[0])
		if err != nil {
			return err
		}
		backups, err := c.Backups.ListForVM(cmd.Context(), vm.GUID)
		if err != nil {
			return failed("list the backups of "+vm.Name, err)
		}
		sort.SliceStable(backups, func(i, j int) bool { return backups[i].SnapshotTime.After(backups[j].SnapshotTime.Time) })
		views := make([]backupView, len(backups))
		for i := range backups {
			views[i] = newBackupView(&backups[i])
		}
		return a.render(views, func(w io.Writer) {
			t := newTable(w, "SNAPSHOT TIME", "TYPE", "STATUS", "SIZE", "COPIES", "GUID")
			for i := range backups {
				b := &backups[i]
				t.row(a.when(b.SnapshotTime), string(b.Type.Name), string(b.Status.Name), size(b.Size), destinations(b), b.GUID)
			}
			t.flush()
		})
	})
}
