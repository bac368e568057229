package vprotect_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
	"go.uber.org/goleak"
)

// File-level restore through the SDK against the fake: mount, browse,
// download (checked byte for byte against the fake's generator), unmount.
//
// 7.4 only: a 4.0 server does not serve these calls (vprotecttest 4.0
// answers them 404), so these tests run against the default 7.4 fake, not
// per server generation (eachServerVersion).

// quickMounts are task run times that keep the mount waits short but real.
var quickMounts = vprotecttest.WithTaskDurations(map[string]time.Duration{
	"RESTORE": 30 * time.Millisecond, "MOUNT": 20 * time.Millisecond, "UNMOUNT": 20 * time.Millisecond,
})

// sameAsFake is a writer that checks every byte written against the fake's
// contents of one file, without keeping either.
type sameAsFake struct {
	want io.Reader
	buf  []byte
	n    int64
	diff error
}

func (s *sameAsFake) Write(p []byte) (int, error) {
	if len(s.buf) < len(p) {
		s.buf = make([]byte, len(p))
	}
	w := s.buf[:len(p)]
	if _, err := io.ReadFull(s.want, w); err != nil {
		return 0, fmt.Errorf("more bytes than the file has, at %d: %w", s.n, err)
	}
	if !bytes.Equal(w, p) && s.diff == nil {
		s.diff = fmt.Errorf("bytes differ in the chunk at %d", s.n)
	}
	s.n += int64(len(p))
	return len(p), nil
}

func newSameAsFake(t *testing.T, srv *vprotecttest.Server, mfs, path string) (*sameAsFake, int64) {
	t.Helper()
	r, size, err := srv.FileReader(mfs, path)
	require.NoError(t, err)
	return &sameAsFake{want: r}, size
}

func TestIntegrationFileLevelRestore(t *testing.T) {
	c, srv := fakeClient(t, quickMounts)
	ctx := context.Background()

	// What can be mounted.
	backups, err := c.Backups.ListMountable(ctx, vprotecttest.DemoVMTenantAWebGUID)
	require.NoError(t, err)
	require.Len(t, backups, 2)
	backup, err := c.Backups.Get(ctx, vprotecttest.DemoBackupTenantAWebFullGUID)
	require.NoError(t, err)
	assert.True(t, backup.IscsiMountable)
	fss, err := c.Backups.FileSystems(ctx, backup.GUID)
	require.NoError(t, err)
	require.Len(t, fss, 2)
	files, err := c.BackupFiles.List(ctx, backup.GUID)
	require.NoError(t, err)
	require.Len(t, files, 2, "its disk and its configuration")
	assert.True(t, files[0].IscsiMountable)
	require.NotEmpty(t, backup.BackupLocations)
	location := backup.BackupLocations[0].GUID

	// Mount (AUTO), wait through RESTORE and MOUNT.
	mountPath := vprotect.DefaultMountPath(backup.ProtectedEntity.Name, backup.SnapshotTime.Time)
	task, err := c.Tasks.RestoreAndMount(ctx, vprotect.RestoreAndMountRequest{BackupLocation: location, MountPath: mountPath, UnmountAfter: time.Hour})
	require.NoError(t, err)
	var steps []string
	mb, err := c.Tasks.WaitForMountFunc(ctx, task.GUID, func(t *vprotect.Task) {
		if s := string(t.Type.Name) + " " + string(t.State.Name); len(steps) == 0 || steps[len(steps)-1] != s {
			steps = append(steps, s)
		}
	})
	require.NoError(t, err)
	assert.Contains(t, steps, "RESTORE FINISHED")
	assert.Equal(t, "MOUNT FINISHED", steps[len(steps)-1])
	assert.True(t, mb.IsMounted())
	assert.Equal(t, vprotect.MountModeAuto, mb.Mode.Name)
	assert.Equal(t, backup.GUID, mb.Backup.GUID)
	assert.WithinDuration(t, time.Now().Add(time.Hour), mb.UnmountTime.Time, time.Minute)
	listed, err := c.MountedBackups.List(ctx, &vprotect.MountedBackupListOptions{Backup: backup.GUID, FinishedMount: vprotect.Ptr(true)})
	require.NoError(t, err)
	assert.Len(t, listed, 2, "the demo's mount and this one")

	mounted, err := c.MountedFileSystems.List(ctx, mb.GUID)
	require.NoError(t, err)
	require.Len(t, mounted, 2)
	root := mounted[1]
	assert.Equal(t, "/dev/vg_sda/lv_root", root.FileSystem.Volume)
	assert.Equal(t, mountPath+"/lv_root", root.MountPath)

	// Browse: one directory, and a walk.
	etc, err := c.MountedFileSystems.ListDir(ctx, root.GUID, "/etc/")
	require.NoError(t, err)
	byName := map[string]vprotect.FileEntry{}
	for _, e := range etc {
		byName[e.Name] = e
	}
	assert.Equal(t, "-rw-r-----", byName["shadow"].Mode().String())
	assert.Equal(t, "shadow", byName["shadow"].Group)
	assert.Equal(t, "drwxr-xr-x", byName["ssh"].Mode().String())
	assert.Equal(t, vprotect.FileTypeSymlink, byName["localtime"].Type.Name)

	var walked []string
	kinds := map[vprotect.FileType]int{}
	for e, err := range c.MountedFileSystems.Walk(ctx, root.GUID, "/home") {
		require.NoError(t, err)
		walked = append(walked, e.Path)
		kinds[e.Type.Name]++
	}
	assert.Equal(t, []string{"/home/alice", "/home/alice/.bashrc", "/home/alice/latest-report", "/home/alice/notes.txt",
		"/home/alice/old-draft", "/home/alice/projects", "/home/alice/projects/data.csv", "/home/alice/projects/report.md"}, walked)
	assert.Equal(t, 1, kinds[vprotect.FileTypeBrokenSymlink])

	_, err = c.MountedFileSystems.ListDir(ctx, root.GUID, "/etc/passwd")
	assert.ErrorIs(t, err, vprotect.ErrBadRequest, "a file is not a directory")
	_, err = c.MountedFileSystems.ListDir(ctx, root.GUID, "/nope")
	assert.ErrorIs(t, err, vprotect.ErrNotFound)

	// Download one file: the bytes the fake generates.
	check, size := newSameAsFake(t, srv, root.GUID, "/home/alice/projects/data.csv")
	d, err := c.MountedFileSystems.Download(ctx, root.GUID, []string{"/home/alice/projects/data.csv"}, check, nil)
	require.NoError(t, err)
	require.NoError(t, check.diff)
	assert.Equal(t, &vprotect.Download{FileName: "data.csv", ContentType: "application/octet-stream", Size: size, Written: size}, d)

	// Download a directory: one tar archive, every file as the fake has it.
	var archive bytes.Buffer
	d, err = c.MountedFileSystems.Download(ctx, root.GUID, []string{"/home/alice"}, &archive, nil)
	require.NoError(t, err)
	assert.Equal(t, "alice.tar", d.FileName)
	assert.Equal(t, int64(-1), d.Size)
	tr := tar.NewReader(&archive)
	regular := 0
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if h.Typeflag == tar.TypeReg {
			regular++
			check, _ := newSameAsFake(t, srv, root.GUID, "/home/"+h.Name)
			_, err := io.Copy(check, tr)
			require.NoError(t, err)
			require.NoError(t, check.diff, h.Name)
		}
	}
	assert.Equal(t, 4, regular)

	// Unmount: the mounted backup and its file systems are gone.
	un, err := c.Tasks.Unmount(ctx, mb.GUID)
	require.NoError(t, err)
	_, err = c.Tasks.WaitForUnmount(ctx, un.GUID)
	require.NoError(t, err)
	_, err = c.MountedBackups.Get(ctx, mb.GUID)
	assert.ErrorIs(t, err, vprotect.ErrNotFound)
	_, err = c.MountedFileSystems.ListDir(ctx, root.GUID, "/")
	assert.ErrorIs(t, err, vprotect.ErrNotFound)
}

func TestIntegrationMountModes(t *testing.T) {
	c, _ := fakeClient(t, quickMounts)
	ctx := context.Background()
	backup, err := c.Backups.Get(ctx, vprotecttest.DemoBackupTenantAWebIncGUID)
	require.NoError(t, err)
	fss, err := c.Backups.FileSystems(ctx, backup.GUID)
	require.NoError(t, err)
	files, err := c.BackupFiles.List(ctx, backup.GUID)
	require.NoError(t, err)
	location := backup.BackupLocations[0].GUID

	task, err := c.Tasks.RestoreAndMount(ctx, vprotect.RestoreAndMountRequest{BackupLocation: location, Mode: vprotect.MountModeManual,
		FileSystems: []vprotect.MountFileSystem{{FileSystem: fss[0], MountPath: "/mnt/manual/boot"}}})
	require.NoError(t, err)
	manual, err := c.Tasks.WaitForMount(ctx, task.GUID)
	require.NoError(t, err)
	assert.Equal(t, 1, manual.MountedFileSystemCount)

	task, err = c.Tasks.RestoreAndMount(ctx, vprotect.RestoreAndMountRequest{BackupLocation: location, Mode: vprotect.MountModeISCSI,
		Disks: []string{files[0].GUID}, AllowedClients: []string{"iqn.1994-05.com.redhat:backup-client"}})
	require.NoError(t, err)
	iscsi, err := c.Tasks.WaitForMount(ctx, task.GUID)
	require.NoError(t, err)
	assert.Equal(t, 0, iscsi.MountedFileSystemCount)
	assert.Equal(t, []string{"iqn.1994-05.com.redhat:backup-client"}, iscsi.AllowedClients)

	// The demo's mounted backup, mounted again.
	task, err = c.Tasks.Remount(ctx, vprotecttest.DemoMountedBackupGUID)
	require.NoError(t, err)
	again, err := c.Tasks.WaitForMount(ctx, task.GUID)
	require.NoError(t, err)
	assert.True(t, again.IsMounted())

	// A failed mount is a *TaskFailedError.
	srvFail := func() (*vprotect.Client, *vprotecttest.Server) { return fakeClient(t, quickMounts) }
	c2, srv2 := srvFail()
	srv2.FailNextTask("MOUNT", "", "no file system could be mounted")
	task, err = c2.Tasks.RestoreAndMount(ctx, vprotect.RestoreAndMountRequest{BackupLocation: location, MountPath: "/mnt/x"})
	require.NoError(t, err)
	_, err = c2.Tasks.WaitForMount(ctx, task.GUID)
	assert.ErrorIs(t, err, vprotect.ErrTaskFailed)
	assert.ErrorContains(t, err, "no file system could be mounted")
}

// heapWatch samples the heap in use (after a GC, so that only live memory
// counts) and keeps the largest value.
type heapWatch struct{ max uint64 }

func (h *heapWatch) sample() {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	h.max = max(h.max, m.HeapInuse)
}

// The whole 4 GiB file streams through loopback in seconds; the race
// detector makes that minutes, so under it the download stops (through its
// context) after the first GiB.
func TestIntegrationLargeDownloadKeepsHeapFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 4 GiB through loopback")
	}
	limit := int64(4 << 30)
	if raceEnabled {
		limit = 1 << 30
	}
	srv := vprotecttest.Start(t)
	c, err := vprotect.New(srv.URL(), vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword),
		vprotect.WithMaxResponseBytes(1<<20), vprotect.WithTimeout(2*time.Second))
	require.NoError(t, err)
	defer c.Close()
	const path = "/var/lib/images/disk-4g.img"
	check, size := newSameAsFake(t, srv, vprotecttest.DemoMountedRootFSGUID, path)
	require.Equal(t, int64(4<<30), size)

	var before heapWatch
	before.sample()
	var during heapWatch
	next := int64(0)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	start := time.Now()
	d, err := c.MountedFileSystems.Download(ctx, vprotecttest.DemoMountedRootFSGUID, []string{path}, check,
		&vprotect.DownloadOptions{Progress: func(written, total int64) {
			if written >= next {
				during.sample()
				next += 256 << 20
			}
			if written >= limit {
				stop()
			}
		}})
	elapsed := time.Since(start)
	if limit < size {
		require.ErrorIs(t, err, context.Canceled)
	} else {
		require.NoError(t, err, "bigger than WithMaxResponseBytes and longer than WithTimeout: neither applies to the body")
		assert.Equal(t, size, d.Written)
	}
	require.NoError(t, check.diff)
	assert.GreaterOrEqual(t, d.Written, limit)
	assert.Equal(t, d.Written, check.n)
	assert.Equal(t, size, d.Size)
	growth := int64(during.max) - int64(before.max)
	t.Logf("%d MiB of %d in %s (%.0f MiB/s); heap in use before %d MiB, at most %d MiB during (%+d KiB)", d.Written>>20, size>>20,
		elapsed.Round(time.Millisecond), float64(d.Written)/(1<<20)/elapsed.Seconds(), before.max>>20, during.max>>20, growth>>10)
	assert.Less(t, growth, int64(16<<20), "the heap stays flat: the body is streamed, never held")
}

func TestIntegrationCancelledDownloadLeavesNothingRunning(t *testing.T) {
	_, c, before := leakFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d, err := c.MountedFileSystems.Download(ctx, vprotecttest.DemoMountedRootFSGUID, []string{"/var/lib/images/disk-4g.img"}, io.Discard,
		&vprotect.DownloadOptions{Progress: func(written, _ int64) {
			if written >= 64<<20 {
				cancel()
			}
		}})
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, d.Written, int64(4<<30))
	require.NoError(t, c.Close())
	goleak.VerifyNone(t, before)
}
