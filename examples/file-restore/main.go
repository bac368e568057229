// Command file-restore gives back files from a VM's backup without
// restoring the VM: "give me back one file from last Tuesday".
//
//	go run ./examples/file-restore                                   # a-web-1 of the demo data
//	go run ./examples/file-restore -vm db01 -day 2025-03-11 -path /etc -file /etc/fstab -out restored
//
// It finds the VM's mountable backup of the given day (UTC; the newest
// without -day), mounts it (AUTO: POST /tasks/restore-and-mount, then the
// RESTORE and MOUNT tasks), prints its file systems, walks them to -path
// (the walk stops there), lists that directory like ls -l, downloads one
// file (-file, else the directory's largest) with a progress bar and prints
// its size and SHA-256, downloads the whole directory as one archive, and
// unmounts the backup (POST /tasks/unmount). The files go to -out (a
// temporary directory, removed at the end, when -out is not given).
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/examples/internal/exampleutil"
)

var (
	vmName   = flag.String("vm", "a-web-1", "name (or GUID) of the VM whose files to restore")
	day      = flag.String("day", "", "day of the backup, YYYY-MM-DD in UTC (default: the newest mountable backup)")
	dirPath  = flag.String("path", "/home/alice/projects", "directory in the backup to list and download")
	filePath = flag.String("file", "", "file to download (default: the largest file in -path)")
	outDir   = flag.String("out", "", "directory to save the downloads in (default: a temporary one, removed at the end)")
)

func main() { exampleutil.Main("file-restore", run) }

func run(ctx context.Context, env *exampleutil.Env) (err error) {
	c, out := env.Client, env.Out
	var cleanup exampleutil.Cleanup
	defer func() {
		if cerr := cleanup.Run(ctx, out); err == nil {
			err = cerr
		}
	}()

	// 1. The backup of the day.
	vm, err := findVM(ctx, c, *vmName)
	if err != nil {
		return err
	}
	backup, err := backupOfDay(ctx, c, vm, *day)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "1. Backup of %s: %s %s of %s, %s\n", vm.Name, backup.Type.Name, backup.GUID,
		exampleutil.Time(backup.SnapshotTime), exampleutil.Size(backup.Size))

	// 2. Mount it: RESTORE, then MOUNT.
	location, err := presentLocation(ctx, c, backup)
	if err != nil {
		return err
	}
	mountPath := vprotect.DefaultMountPath(vm.Name, backup.SnapshotTime.Time)
	fmt.Fprintf(out, "2. Mounting it at %s\n", mountPath)
	task, err := c.Tasks.RestoreAndMount(ctx, vprotect.RestoreAndMountRequest{
		BackupLocation: location, Mode: vprotect.MountModeAuto, MountPath: mountPath, UnmountAfter: time.Hour,
	})
	if err != nil {
		return err
	}
	progress := exampleutil.NewProgress(os.Stdout)
	mb, err := c.Tasks.WaitForMountFunc(ctx, task.GUID, progress.Update)
	progress.Done()
	if mb == nil && task.MountedBackup != nil { // a failed mount: unmount what there is
		mb = &vprotect.MountedBackup{GUID: task.MountedBackup.GUID}
	}
	if mb != nil {
		cleanup.Add("mounted backup "+mb.GUID, func(ctx context.Context) error { return unmount(ctx, c, mb.GUID) })
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  mounted on %s until %s\n", exampleutil.Ref(mb.Node), exampleutil.Time(mb.UnmountTime))

	// 3. Its file systems.
	fss, err := c.MountedFileSystems.List(ctx, mb.GUID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "3. File systems\n")
	t := exampleutil.NewTable(out, "VOLUME", "TYPE", "LABEL", "SIZE", "MOUNTED AT")
	for _, f := range fss {
		t.Row(f.FileSystem.Volume, f.FileSystem.Type, f.FileSystem.Label, exampleutil.Size(f.FileSystem.Size), f.MountPath)
	}
	t.Flush()

	// 4. Walk to the directory.
	dir := strings.TrimSuffix(*dirPath, "/")
	fsys, visited, err := walkTo(ctx, c, fss, dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "4. Walked to %s: on %s, after %d entries\n", dir, fsys.FileSystem.Volume, visited)

	// 5. ls -l of it.
	entries, err := c.MountedFileSystems.ListDir(ctx, fsys.GUID, dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "5. ls -l %s\n", dir)
	ls(out, entries)

	// 6. One file, with its size and SHA-256.
	dest := *outDir
	if dest == "" {
		if dest, err = os.MkdirTemp("", "file-restore-"); err != nil {
			return err
		}
		defer os.RemoveAll(dest)
	} else if err := os.MkdirAll(dest, 0o755); err != nil {
		return err
	}
	file, err := fileToDownload(entries, *filePath)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "6. Downloading %s\n", file)
	saved, sum, err := download(ctx, c, fsys.GUID, file, dest, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  saved %s: %d bytes, SHA-256 %s\n", saved.name, saved.size, sum)

	// 7. The whole directory, as one archive.
	fmt.Fprintf(out, "7. Downloading %s as one archive\n", dir)
	archive, _, err := download(ctx, c, fsys.GUID, dir, dest, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  saved %s: %d bytes (%s)\n", archive.name, archive.size, archive.contentType)

	// 8. Unmount.
	fmt.Fprintf(out, "8. Unmounting\n")
	if err := unmount(ctx, c, mb.GUID); err != nil {
		return err
	}
	cleanup.Forget("mounted backup " + mb.GUID)
	fmt.Fprintf(out, "  unmounted: mounted backup %s is gone\n", mb.GUID)
	return nil
}

// findVM returns the VM with exactly this name, or this GUID.
func findVM(ctx context.Context, c *vprotect.Client, name string) (*vprotect.VirtualMachine, error) {
	if name == "" {
		return nil, errors.New("-vm is empty: name the VM whose files to restore")
	}
	vms, err := c.VMs.List(ctx, &vprotect.VMListOptions{ListOptions: vprotect.ListOptions{Filter: name}})
	if err != nil {
		return nil, err
	}
	for i := range vms {
		if vms[i].Name == name {
			return &vms[i], nil
		}
	}
	vm, err := c.VMs.Get(ctx, name) // a GUID?
	if errors.Is(err, vprotect.ErrNotFound) {
		return nil, fmt.Errorf("no VM is named %q", name)
	}
	return vm, err
}

// backupOfDay returns the VM's newest mountable backup taken on day (UTC,
// YYYY-MM-DD), or its newest one when day is empty.
func backupOfDay(ctx context.Context, c *vprotect.Client, vm *vprotect.VirtualMachine, day string) (*vprotect.Backup, error) {
	backups, err := c.Backups.ListMountable(ctx, vm.GUID)
	if err != nil {
		return nil, err
	}
	if len(backups) == 0 {
		return nil, fmt.Errorf("VM %s has no backup that can be mounted", vm.Name)
	}
	var want time.Time
	if day != "" {
		if want, err = time.Parse(time.DateOnly, day); err != nil {
			return nil, fmt.Errorf("-day %q: want YYYY-MM-DD", day)
		}
	}
	var best *vprotect.Backup
	var days []string
	for i := range backups {
		b := &backups[i]
		d := b.SnapshotTime.UTC().Format(time.DateOnly)
		days = append(days, d)
		if (day == "" || d == want.Format(time.DateOnly)) && (best == nil || b.SnapshotTime.After(best.SnapshotTime.Time)) {
			best = b
		}
	}
	if best == nil {
		return nil, fmt.Errorf("VM %s has no mountable backup of %s; it has some of %s", vm.Name, day, strings.Join(days, ", "))
	}
	return c.Backups.Get(ctx, best.GUID) // with its locations
}

// presentLocation returns a PRESENT copy of the backup, the one to mount.
func presentLocation(ctx context.Context, c *vprotect.Client, b *vprotect.Backup) (string, error) {
	locs := b.BackupLocations
	if len(locs) == 0 {
		var err error
		if locs, err = c.BackupLocations.List(ctx, &vprotect.BackupLocationListOptions{
			ProtectedEntity: b.ProtectedEntity.GUID, LocationStatus: vprotect.BackupLocationStatusPresent}); err != nil {
			return "", err
		}
	}
	for _, l := range locs {
		if l.Status.Name == vprotect.BackupLocationStatusPresent && (l.Backup.GUID == "" || l.Backup.GUID == b.GUID) {
			return l.GUID, nil
		}
	}
	return "", fmt.Errorf("backup %s has no PRESENT copy to mount", b.GUID)
}

// walkTo walks the file systems, one after the other, until it meets dir,
// and returns the file system it is on and how many entries it passed.
func walkTo(ctx context.Context, c *vprotect.Client, fss []vprotect.MountedFileSystem, dir string) (*vprotect.MountedFileSystem, int, error) {
	if dir == "" || dir == "/" {
		return nil, 0, errors.New("-path must name a directory below the root, e.g. /home")
	}
	visited := 0
	for i := range fss {
		for e, err := range c.MountedFileSystems.Walk(ctx, fss[i].GUID, "/") {
			if err != nil {
				return nil, visited, err
			}
			visited++
			if e.Path == dir {
				if !e.IsDir() {
					return nil, visited, fmt.Errorf("-path %s is a %s, not a directory", dir, e.Type.Name)
				}
				return &fss[i], visited, nil // the walk stops here
			}
		}
	}
	return nil, visited, fmt.Errorf("no file system of the backup has %s (%d entries walked)", dir, visited)
}

// ls prints entries as ls -l does: mode, owner, group, size, time, name.
func ls(w io.Writer, entries []vprotect.FileEntry) {
	t := exampleutil.NewTable(w, "MODE", "OWNER", "GROUP", "SIZE", "MODIFIED", "NAME")
	for _, e := range entries {
		name := e.Name
		if e.Type.Name == vprotect.FileTypeBrokenSymlink {
			name += " (broken link)"
		}
		t.Row(e.Mode(), e.Owner, e.Group, e.Size, exampleutil.Time(e.Modified), name)
	}
	t.Flush()
}

// fileToDownload is file when given, else the largest regular file of entries.
func fileToDownload(entries []vprotect.FileEntry, file string) (string, error) {
	if file != "" {
		return file, nil
	}
	var best *vprotect.FileEntry
	for i := range entries {
		if e := &entries[i]; e.Type.Name == vprotect.FileTypeRegularFile && (best == nil || e.Size > best.Size) {
			best = e
		}
	}
	if best == nil {
		return "", errors.New("the directory has no regular file; name one with -file")
	}
	return best.Path, nil
}

// saved is a download kept on disk.
type saved struct {
	name        string
	size        int64
	contentType string
}

// download saves p (a file or a directory) in dir under the name the server
// gives it, and returns it with its SHA-256. With out set it shows a
// progress bar there.
func download(ctx context.Context, c *vprotect.Client, fsGUID, p, dir string, out io.Writer) (*saved, string, error) {
	f, err := os.CreateTemp(dir, ".download-*")
	if err != nil {
		return nil, "", err
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	defer f.Close()
	h := sha256.New()
	bar := &progressBar{w: out}
	d, err := c.MountedFileSystems.Download(ctx, fsGUID, []string{p}, io.MultiWriter(f, h), &vprotect.DownloadOptions{Progress: bar.show})
	if err != nil {
		return nil, "", err
	}
	if err := f.Close(); err != nil {
		return nil, "", err
	}
	name := d.FileName
	if name == "" {
		name = path.Base(p)
	}
	target := filepath.Join(dir, name)
	if err := os.Rename(f.Name(), target); err != nil {
		return nil, "", err
	}
	return &saved{name: target, size: d.Written, contentType: d.ContentType}, hex.EncodeToString(h.Sum(nil)), nil
}

// progressBar prints a download's progress, a line at every tenth of a
// known size (plain lines, so that it reads the same in a log).
type progressBar struct {
	w    io.Writer
	next int64 // the percentage of the next line
}

func (b *progressBar) show(written, total int64) {
	if b.w == nil || total <= 0 {
		return
	}
	pct := written * 100 / total
	if pct < b.next {
		return
	}
	b.next = pct - pct%10 + 10
	fmt.Fprintf(b.w, "  [%-20s] %3d%%  %s of %s\n", strings.Repeat("#", int(pct/5)), pct, exampleutil.Size(written), exampleutil.Size(total))
}

// unmount unmounts the mounted backup and waits until it is gone.
func unmount(ctx context.Context, c *vprotect.Client, guid string) error {
	task, err := c.Tasks.Unmount(ctx, guid)
	if errors.Is(err, vprotect.ErrBadRequest) || errors.Is(err, vprotect.ErrNotFound) {
		if _, gerr := c.MountedBackups.Get(ctx, guid); errors.Is(gerr, vprotect.ErrNotFound) {
			return nil // already gone
		}
	}
	if err != nil {
		return err
	}
	_, err = c.Tasks.WaitForUnmount(ctx, task.GUID)
	return err
}
