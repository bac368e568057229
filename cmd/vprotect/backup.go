package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/vprotect-go/vprotect"
)

// backupCommand is "backup" with its subcommand delete. Starting backups
// ("backup NAME|GUID...") is the command's own Args and RunE, set in
// backup_start.go.
func (a *app) backupCommand() *cobra.Command {
	cmd := a.group(&cobra.Command{
		Use:   "backup",
		Short: "Work with backups",
	})
	cmd.AddCommand(a.backupDeleteCommand())
	return a.backupStart(cmd)
}

// backupDeleteView is the result of backup delete in -o json and -o yaml.
type backupDeleteView struct {
	GUID string `json:"guid"`
	// Marked are the destinations whose copy is now marked TO_REMOVE.
	Marked []string `json:"markedToRemove"`
}

func (a *app) backupDeleteCommand() *cobra.Command {
	return a.command(&cobra.Command{
		Use:   "delete GUID",
		Short: "Delete a backup: mark its copies expired for the server's next cleanup",
		Long: `Delete a backup the way vProtect's retention dialog does: every copy of it is
marked expired (TO_REMOVE), and the server removes them at its next cleanup run
(its daily "old backups removal time"). vprotect backups NAME lists the
backups of a VM with their GUIDs.`,
		Example: "  vprotect backup delete 00000000-0000-4000-8000-000000000030",
		Args:    cobra.ExactArgs(1),
	}, func(cmd *cobra.Command, args []string) error {
		c, err := a.connect(cmd.Context())
		if err != nil {
			return err
		}
		b, err := c.Backups.Get(cmd.Context(), args[0])
		if err != nil {
			return failed("read backup "+args[0], err)
		}
		v := backupDeleteView{GUID: b.GUID, Marked: []string{}}
		var marks []vprotect.RetentionMark
		for _, l := range b.BackupLocations {
			if l.Status.Name == vprotect.BackupLocationStatusPresent {
				m := vprotect.RetentionMarkOf(l, vprotect.RetentionHintToRemove, time.Time{})
				m.Backup = b.GUID // the location may not name its backup
				marks = append(marks, m)
				v.Marked = append(v.Marked, ref(&l.BackupDestination))
			}
		}
		if len(marks) == 0 {
			return fmt.Errorf("backup %s has no copy left on any destination: nothing to delete", b.GUID)
		}
		if err := c.Retention.Mark(cmd.Context(), marks...); err != nil {
			return failed("mark backup "+b.GUID+" expired", err)
		}
		return a.render(v, func(w io.Writer) {
			fmt.Fprintf(w, "Backup %s of %s (%s, %s) is marked expired on %s: the server deletes it at its next cleanup run.\n",
				b.GUID, b.ProtectedEntity.Name, b.Type.Name, a.when(b.SnapshotTime), strings.Join(v.Marked, ", "))
		})
	})
}
