package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/vprotect-go/vprotect"
)

// This file holds file-level restore: files ls and files get mount a
// backup (or use the mount it has), list or download in it, and unmount
// it at the end, on an error and on Ctrl-C too.
//
// A PATH in a backup starts with the name of one of its file systems, as
// the backup is mounted on the node (/mnt/vprotect/VM/TIME/NAME/...):
// /lv_root/etc/fstab is /etc/fstab of the file system lv_root. "files ls
// BACKUP" lists the file systems.

// mountUnmountAfter is how long the server keeps a backup mounted by
// these commands when the command cannot unmount it (killed, cut off).
const mountUnmountAfter = time.Hour

// fileView is a file, a directory or a file system of a backup in -o json
// and -o yaml.
type fileView struct {
	Name string `json:"name"`
	Path string `json:"path"` // in the backup, from the file system's name: /lv_root/etc/fstab
	// Type is DIRECTORY, REGULAR_FILE, SYMLINK or BROKEN_SYMLINK, and
	// FILE_SYSTEM for the file systems at the top.
	Type     string     `json:"type"`
	Size     int64      `json:"size"` // bytes
	Mode     string     `json:"mode,omitempty"`
	Owner    string     `json:"owner,omitempty"`
	Group    string     `json:"group,omitempty"`
	Modified *time.Time `json:"modified,omitempty"`
	// Volume, FileSystemType and Label describe a file system.
	Volume         string `json:"volume,omitempty"`
	FileSystemType string `json:"fileSystemType,omitempty"`
	Label          string `json:"label,omitempty"`
}

// fileTypeFileSystem is the type of a file system at the top of a backup.
const fileTypeFileSystem = "FILE_SYSTEM"

// savedView is a downloaded file in -o json and -o yaml.
type savedView struct {
	Path        string `json:"path"` // in the backup
	File        string `json:"file"` // where it was saved
	Size        int64  `json:"size"` // bytes written
	SHA256      string `json:"sha256"`
	ContentType string `json:"contentType,omitempty"` // an archive for directories
}

func (a *app) filesCommand() *cobra.Command {
	cmd := a.group(&cobra.Command{
		Use:   "files",
		Short: "List and download files of a backup (file-level restore)",
		Long: `List and download the files of a backup without restoring its VM: the commands
mount the backup on a vProtect node (RESTORE, then MOUNT, in AUTO mode), or use
the mount it has, work in it, and unmount what they mounted at the end, also
after an error or Ctrl-C (if the command is killed, the server unmounts it
after an hour).

A PATH starts with the name of one of the backup's file systems, as the backup
is mounted on the node: /lv_root/etc/fstab is /etc/fstab of the file system
lv_root. "vprotect files ls BACKUP" lists the file systems; vprotect backups
VM lists a VM's backups with their GUIDs. Progress (the mount, the downloads)
goes to stderr.`,
	})
	cmd.AddCommand(a.filesLsCommand(), a.filesGetCommand())
	return cmd
}

func (a *app) filesLsCommand() *cobra.Command {
	return a.command(&cobra.Command{
		Use:   "ls BACKUP [PATH]",
		Short: "List a directory of a backup (its file systems without PATH)",
		Example: `  vprotect files ls 00000000-0000-4000-8000-000000000030
  vprotect files ls 00000000-0000-4000-8000-000000000030 /lv_root/etc`,
		Args: cobra.RangeArgs(1, 2),
	}, func(cmd *cobra.Command, args []string) error {
		dir := "/"
		if len(args) == 2 {
			dir = args[1]
		}
		if err := checkBackupPath(dir); err != nil {
			return err
		}
		return a.withMount(cmd.Context(), args[0], func(ctx context.Context, c *vprotect.Client, m *mounted) error {
			views, err := a.listBackupDir(ctx, c, m, dir)
			if err != nil {
				return err
			}
			return a.render(views, func(w io.Writer) {
				if dir == "/" || strings.Trim(dir, "/") == "" {
					t := newTable(w, "NAME", "TYPE", "LABEL", "SIZE", "VOLUME")
					for _, v := range views {
						t.row(v.Name+"/", v.FileSystemType, v.Label, size(v.Size), v.Volume)
					}
					t.flush()
					return
				}
				t := newTable(w, "MODE", "OWNER", "GROUP", "SIZE", "MODIFIED", "NAME")
				for _, v := range views {
					modified := ""
					if v.Modified != nil {
						modified = v.Modified.In(a.loc).Format(timeLayout)
					}
					name := v.Name
					switch v.Type {
					case string(vprotect.FileTypeDirectory):
						name += "/"
					case string(vprotect.FileTypeBrokenSymlink):
						name += " (broken link)"
					}
					t.row(v.Mode, v.Owner, v.Group, size(v.Size), modified, name)
				}
				t.flush()
			})
		})
	})
}

func (a *app) filesGetCommand() *cobra.Command {
	var dir string
	cmd := a.command(&cobra.Command{
		Use:   "get BACKUP PATH...",
		Short: "Download files or directories of a backup (a directory as one archive)",
		Long: `Download each PATH of the backup into the directory -d (default: the current
one), under the name the server gives it: a file as itself, a directory as one
archive (tar from vprotecttest). An existing file of that name is replaced. On
a terminal each download shows a progress bar of its bytes (on stderr); the
command then prints each file saved with its size and SHA-256.`,
		Example: `  vprotect files get 00000000-0000-4000-8000-000000000030 /lv_root/etc/fstab -d restored
  vprotect files get 00000000-0000-4000-8000-000000000030 /lv_root/etc /lv_root/home/alice -o json`,
		Args: cobra.MinimumNArgs(2),
	}, func(cmd *cobra.Command, args []string) error {
		for _, p := range args[1:] {
			if err := checkBackupPath(p); err != nil {
				return err
			}
			if strings.Trim(p, "/") == "" {
				return usageErrorf("PATH %q is the whole backup: name a file system, a directory or a file in it (vprotect files ls %s)", p, args[0])
			}
		}
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return usageErrorf("-d %s: not a directory to save the files in", dir)
		}
		return a.withMount(cmd.Context(), args[0], func(ctx context.Context, c *vprotect.Client, m *mounted) error {
			var views []savedView
			for _, p := range args[1:] {
				v, err := a.download(ctx, c, m, p, dir)
				if err != nil {
					return err
				}
				views = append(views, *v)
			}
			return a.render(views, func(w io.Writer) {
				t := newTable(w, "PATH", "SAVED AS", "SIZE", "SHA-256")
				for _, v := range views {
					t.row(v.Path, v.File, size(v.Size), v.SHA256)
				}
				t.flush()
			})
		})
	})
	cmd.Flags().StringVarP(&dir, "dir", "d", ".", "directory to save the files in (it must exist)")
	return cmd
}

// checkBackupPath checks a PATH in a backup: absolute and clean.
func checkBackupPath(p string) error {
	q := p
	if len(q) > 1 {
		q = strings.TrimSuffix(q, "/")
	}
	if !strings.HasPrefix(q, "/") || path.Clean(q) != q {
		return usageErrorf("PATH %q: give an absolute, clean path that starts with a file system's name, e.g. /lv_root/etc", p)
	}
	return nil
}

// mounted is a mounted backup the files commands work in.
type mounted struct {
	backup *vprotect.Backup
	guid   string // the mounted backup's
	fss    []vprotect.MountedFileSystem
	names  []string // the name of each file system, the first part of a PATH
	own    bool     // mounted by this command: unmounted at the end
	// task is the mount's task (RESTORE, then MOUNT) while it runs: a mount
	// broken off is cancelled before it is unmounted.
	task string
}

// mountBackup returns the backup backupGUID mounted: its mount, if it has
// one, else a new one (AUTO) made with progress on stderr. On an error
// what was mounted is unmounted.
// withMount connects, mounts the backup (or takes its existing mount) and
// runs f on it; what it mounted it unmounts after f, also when f fails or
// is interrupted, and returns what unmount makes of f's error.
func (a *app) withMount(ctx context.Context, backupGUID string, f func(ctx context.Context, c *vprotect.Client, m *mounted) error) (err error) {
	c, err := a.connect(ctx)
	if err != nil {
		return err
	}
	m, err := a.mountBackup(ctx, c, backupGUID)
	if err != nil {
		return err
	}
	defer func() { err = a.unmount(ctx, c, m, err) }()
	return f(ctx, c, m)
}

func (a *app) mountBackup(ctx context.Context, c *vprotect.Client, backupGUID string) (*mounted, error) {
	b, err := c.Backups.Get(ctx, backupGUID)
	if errors.Is(err, vprotect.ErrNotFound) {
		return nil, fmt.Errorf("no backup with GUID %s; vprotect backups VM lists the backups of a VM", backupGUID)
	}
	if err != nil {
		return nil, failed("read backup "+backupGUID, err)
	}
	m := &mounted{backup: b}
	existing, err := c.MountedBackups.List(ctx, &vprotect.MountedBackupListOptions{Backup: b.GUID})
	if err != nil {
		return nil, failed("list the mounts of backup "+b.GUID, err)
	}
	for _, mb := range existing {
		if mb.IsMounted() {
			m.guid = mb.GUID
			fmt.Fprintf(a.stderr, "Using the mount %s of backup %s (it stays mounted)\n", mb.GUID, b.GUID)
			break
		}
	}
	if m.guid == "" {
		if err := a.mountNew(ctx, c, m); err != nil {
			return nil, a.unmount(ctx, c, m, err)
		}
	}
	if m.fss, err = c.MountedFileSystems.List(ctx, m.guid); err != nil {
		return nil, a.unmount(ctx, c, m, failed("list the file systems of mounted backup "+m.guid, err))
	}
	seen := map[string]int{}
	for _, f := range m.fss {
		name := path.Base(strings.TrimSuffix(f.MountPath, "/"))
		if f.MountPath == "" || name == "/" || name == "." {
			name = path.Base(f.FileSystem.Volume)
		}
		if seen[name]++; seen[name] > 1 {
			name = fmt.Sprintf("%s-%d", name, seen[name])
		}
		m.names = append(m.names, name)
	}
	return m, nil
}

// mountNew mounts m's backup: a PRESENT copy of it, in AUTO mode.
func (a *app) mountNew(ctx context.Context, c *vprotect.Client, m *mounted) error {
	b := m.backup
	location := ""
	for _, l := range b.BackupLocations {
		if l.Status.Name == vprotect.BackupLocationStatusPresent && (l.Backup.GUID == "" || l.Backup.GUID == b.GUID) {
			location = l.GUID
			break
		}
	}
	if location == "" {
		return fmt.Errorf("backup %s of %s has no copy left to mount (no PRESENT location)", b.GUID, b.ProtectedEntity.Name)
	}
	fmt.Fprintf(a.stderr, "Mounting backup %s of %s\n", b.GUID, b.ProtectedEntity.Name)
	task, err := c.Tasks.RestoreAndMount(ctx, vprotect.RestoreAndMountRequest{
		BackupLocation: location, Mode: vprotect.MountModeAuto, UnmountAfter: mountUnmountAfter,
		MountPath: vprotect.DefaultMountPath(b.ProtectedEntity.Name, b.SnapshotTime.Time),
	})
	if err != nil {
		return failed("mount backup "+b.GUID, err)
	}
	m.own, m.task = true, task.GUID
	if task.MountedBackup != nil {
		m.guid = task.MountedBackup.GUID
	}
	progress := newJobProgress(a.stderr)
	progress.add(task.GUID, b.ProtectedEntity.Name, len(b.ProtectedEntity.Name), vprotect.TaskTypeRestore, vprotect.TaskTypeMount)
	mb, err := c.Tasks.WaitForMountFunc(ctx, task.GUID, func(t *vprotect.Task) {
		if t.MountedBackup != nil && t.MountedBackup.GUID != "" {
			m.guid = t.MountedBackup.GUID
		}
		switch {
		case !t.IsTerminal():
			m.task = t.GUID
		case t.GUID == m.task:
			m.task = ""
		}
		progress.show(task.GUID, t)
	})
	if err != nil {
		_, reason := failure(err)
		progress.end(task.GUID, false, reason)
		progress.stop()
		if interrupted(ctx, err) {
			return err
		}
		return fmt.Errorf("cannot mount backup %s: %s", b.GUID, reason)
	}
	m.guid, m.task = mb.GUID, ""
	progress.end(task.GUID, true, "mounted "+mb.GUID)
	progress.stop()
	return nil
}

// unmount unmounts m if the command mounted it, and returns the error the
// command ends with: err, or the unmount's when err is nil. It runs after
// Ctrl-C too, with a context of its own.
func (a *app) unmount(ctx context.Context, c *vprotect.Client, m *mounted, err error) error {
	interrupt := interrupted(ctx, err)
	if !m.own {
		if interrupt {
			return errors.New("interrupted")
		}
		return err
	}
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*callTimeout)
	defer cancel()
	var uerr error
	if m.task != "" { // the mount was broken off: stop it first
		fmt.Fprintf(a.stderr, "Cancelling the mount of backup %s (task %s)\n", m.backup.GUID, m.task)
		uerr = c.Tasks.Cancel(uctx, m.task)
	}
	switch {
	case uerr == nil && m.guid != "":
		fmt.Fprintf(a.stderr, "Unmounting backup %s (mounted backup %s)\n", m.backup.GUID, m.guid)
		var task *vprotect.Task
		task, uerr = c.Tasks.Unmount(uctx, m.guid)
		if errors.Is(uerr, vprotect.ErrBadRequest) || errors.Is(uerr, vprotect.ErrNotFound) {
			if _, gerr := c.MountedBackups.Get(uctx, m.guid); errors.Is(gerr, vprotect.ErrNotFound) {
				uerr = nil // gone already
			}
		} else if uerr == nil {
			_, uerr = c.Tasks.WaitForUnmount(uctx, task.GUID)
		}
	case uerr == nil && m.task == "":
		return err
	}
	switch {
	case uerr != nil && (err == nil || interrupt):
		return failed("unmount backup "+m.backup.GUID+" (mounted backup "+m.guid+"); the server unmounts it within "+
			mountUnmountAfter.String()+", or run vprotect files ls again and let it end", uerr)
	case uerr != nil:
		fmt.Fprintf(a.stderr, "Cannot unmount backup %s: %s\n", m.backup.GUID, describe(uerr))
		return err
	case interrupt:
		return fmt.Errorf("interrupted; backup %s is unmounted", m.backup.GUID)
	}
	if m.guid != "" {
		fmt.Fprintf(a.stderr, "Unmounted backup %s\n", m.backup.GUID)
	}
	return err
}

// locate returns the file system of p (a PATH in the backup) and the path
// inside it.
func (m *mounted) locate(p string) (*vprotect.MountedFileSystem, string, string, error) {
	p = strings.TrimSuffix(p, "/")
	first, rest, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	for i, name := range m.names {
		if name == first {
			return &m.fss[i], name, "/" + rest, nil
		}
	}
	return nil, "", "", fmt.Errorf("backup %s has no file system %s (the first part of %s); it has %s",
		m.backup.GUID, first, p, joinNames(m.names))
}

// listBackupDir lists dir of the backup: its file systems for "/".
func (a *app) listBackupDir(ctx context.Context, c *vprotect.Client, m *mounted, dir string) ([]fileView, error) {
	views := []fileView{}
	if strings.Trim(dir, "/") == "" {
		for i, f := range m.fss {
			views = append(views, fileView{Name: m.names[i], Path: "/" + m.names[i], Type: fileTypeFileSystem,
				Size: f.FileSystem.Size, Volume: f.FileSystem.Volume, FileSystemType: f.FileSystem.Type, Label: f.FileSystem.Label})
		}
		return views, nil
	}
	fsys, name, inner, err := m.locate(dir)
	if err != nil {
		return nil, err
	}
	entries, err := c.MountedFileSystems.ListDir(ctx, fsys.GUID, inner)
	if errors.Is(err, vprotect.ErrBadRequest) && inner != "/" { // a file: list it as ls does
		var parent []vprotect.FileEntry
		if parent, err = c.MountedFileSystems.ListDir(ctx, fsys.GUID, path.Dir(inner)); err == nil {
			entries = nil
			for _, e := range parent {
				if e.Path == inner {
					entries = append(entries, e)
				}
			}
			if len(entries) == 0 {
				err = vprotect.ErrNotFound
			}
		}
	}
	if errors.Is(err, vprotect.ErrNotFound) {
		return nil, fmt.Errorf("backup %s has no %s", m.backup.GUID, strings.TrimSuffix(dir, "/"))
	}
	if err != nil {
		return nil, failed("list "+dir+" of backup "+m.backup.GUID, err)
	}
	for _, e := range entries {
		views = append(views, fileView{Name: e.Name, Path: "/" + name + e.Path, Type: string(e.Type.Name), Size: e.Size,
			Mode: lsMode(e.Mode()), Owner: e.Owner, Group: e.Group, Modified: rawTime(e.Modified)})
	}
	return views, nil
}

// lsMode is a file mode as ls -l prints it: Go's, with l for a symlink.
func lsMode(m fs.FileMode) string {
	s := m.String()
	if m&fs.ModeSymlink != 0 {
		s = "l" + s[1:]
	}
	return s
}

// download saves p (a PATH in the backup) in dir under the name the server
// gives it, with a byte progress bar on a terminal.
func (a *app) download(ctx context.Context, c *vprotect.Client, m *mounted, p, dir string) (*savedView, error) {
	fsys, name, inner, err := m.locate(p)
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, ".vprotect-download-*")
	if err != nil {
		return nil, fmt.Errorf("cannot save %s in %s: %w", p, dir, unwrapPathError(err))
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	defer f.Close()
	h := sha256.New()
	bar := newByteProgress(a.stderr, strings.TrimSuffix(p, "/"))
	d, err := c.MountedFileSystems.Download(ctx, fsys.GUID, []string{inner}, io.MultiWriter(f, h),
		&vprotect.DownloadOptions{Progress: bar.show})
	bar.done(err == nil)
	if errors.Is(err, vprotect.ErrNotFound) {
		return nil, fmt.Errorf("backup %s has no %s", m.backup.GUID, strings.TrimSuffix(p, "/"))
	}
	if err != nil {
		return nil, failed("download "+p+" of backup "+m.backup.GUID, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("cannot save %s in %s: %w", p, dir, unwrapPathError(err))
	}
	base := d.FileName
	if base == "" || base == "." || base == ".." || strings.ContainsAny(base, `/\`) {
		base = path.Base(inner)
		if inner == "/" {
			base = name + ".tar"
		}
	}
	target := filepath.Join(dir, base)
	if err := os.Rename(f.Name(), target); err != nil {
		return nil, fmt.Errorf("cannot save %s as %s: %w", p, target, unwrapPathError(err))
	}
	return &savedView{Path: strings.TrimSuffix(p, "/"), File: target, Size: d.Written,
		SHA256: hex.EncodeToString(h.Sum(nil)), ContentType: d.ContentType}, nil
}
