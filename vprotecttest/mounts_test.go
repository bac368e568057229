package vprotecttest

import (
	"archive/tar"
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wireMount is the test's own view of a mounted backup.
type wireMount struct {
	GUID                   string
	Backup                 *struct{ GUID string }
	Mode, State            struct{ Name string }
	Node                   *struct{ GUID string }
	MountedFileSystemCount int
	MountedFileCount       int
	UnmountTime            *int64
	AllowedClients         []string
}

type wireMountedFS struct {
	GUID       string
	MountPath  string
	FileSystem struct {
		Volume, Label, Type string
		Size                int64
	}
}

type wireEntry struct {
	Name        string
	FileType    struct{ Name string }
	Size        int64
	Modified    int64
	Owner       string
	Group       string
	Permissions []string
}

func (c *apiClient) listing(fs, p string) (int, []wireEntry, []byte) {
	c.t.Helper()
	var out []wireEntry
	st, _, raw := c.do("POST", "/mounted-file-systems/"+fs+"/listing", map[string]string{"path": p}, &out)
	return st, out, raw
}

func (c *apiClient) mountedFSs(mb string) []wireMountedFS {
	c.t.Helper()
	var out []wireMountedFS
	c.get("/mounted-file-systems/detailed?mounted-backup="+mb, &out)
	return out
}

// readAll drains r (a generator of the fake).
func readAll(t *testing.T, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	return b
}

func TestDemoMountedBackup(t *testing.T) {
	srv, c := loggedIn(t, WithClock(NewFakeClock(t0)))
	var list []wireMount
	h := c.get("/mounted-backups?page=0&size=10", &list)
	require.Len(t, list, 1)
	assert.Equal(t, "1", h.Get("X-Total-Count"))
	m := list[0]
	assert.Equal(t, DemoMountedBackupGUID, m.GUID)
	assert.Equal(t, DemoBackupTenantAWebFullGUID, m.Backup.GUID)
	assert.Equal(t, "AUTO", m.Mode.Name)
	assert.Equal(t, "MOUNTED", m.State.Name)
	assert.Equal(t, DemoNodeGUID, m.Node.GUID)
	assert.Equal(t, 2, m.MountedFileSystemCount)
	assert.Equal(t, 1, m.MountedFileCount)
	assert.Equal(t, t0.Add(24*time.Hour).UnixMilli(), *m.UnmountTime)
	assert.Len(t, srv.MountedBackups(), 1)

	fss := c.mountedFSs(DemoMountedBackupGUID)
	require.Len(t, fss, 2)
	assert.Equal(t, DemoMountedBootFSGUID, fss[0].GUID)
	assert.Equal(t, "/dev/sda1", fss[0].FileSystem.Volume)
	assert.Equal(t, "ext4", fss[0].FileSystem.Type)
	assert.Equal(t, DemoMountedRootFSGUID, fss[1].GUID)
	assert.Equal(t, "/dev/vg_sda/lv_root", fss[1].FileSystem.Volume)
	assert.Regexp(t, `^/mnt/vprotect/a-web-1/\d{8}_\d{6}/lv_root$`, fss[1].MountPath)

	var files []struct {
		Path         string
		RandomAccess bool
	}
	c.get("/mounted-files?mounted-backup="+DemoMountedBackupGUID, &files)
	require.Len(t, files, 1)
	assert.Equal(t, "/vprotect_data/"+DemoVMTenantAWebGUID+"/"+DemoBackupTenantAWebFullGUID+"/disk1.qcow2", files[0].Path)

	for q, n := range map[string]int{"mode=AUTO": 1, "mode=ISCSI": 0, "finished-mount=true": 1, "finished-mount=false": 0,
		"protected-entity=" + DemoVMTenantAWebGUID: 1, "protected-entity=" + DemoVMTenantBWebGUID: 0, "nameLike=WEB": 1,
		"project-uuid=" + DemoTenantB: 0, "backup=" + DemoBackupTenantAWebFullGUID: 1, "protected-entity-type=OS": 0, "node=" + DemoNodeGUID: 1} {
		var got []wireMount
		c.get("/mounted-backups?"+q, &got)
		assert.Len(t, got, n, q)
	}
	st, _, raw := c.do("GET", "/mounted-backups?mode=FLOPPY", nil, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "mode")
	st, _, _ = c.do("GET", "/mounted-backups/"+DemoBackupTenantAWebFullGUID, nil, nil)
	assert.Equal(t, http.StatusNotFound, st, "a backup GUID is no mounted backup GUID")
}

func TestListing(t *testing.T) {
	_, c := loggedIn(t, WithClock(NewFakeClock(t0)))
	st, root, raw := c.listing(DemoMountedRootFSGUID, "/")
	require.Equal(t, http.StatusOK, st, "%s", raw)
	var names []string
	for _, e := range root {
		names = append(names, e.Name)
	}
	assert.Equal(t, []string{"bin", "etc", "home", "root", "tmp", "usr", "var"}, names, "sorted by name")
	assert.Equal(t, "SYMLINK", root[0].FileType.Name)
	assert.Equal(t, "DIRECTORY", root[1].FileType.Name)

	_, alice, _ := c.listing(DemoMountedRootFSGUID, "/home/alice/")
	kinds := map[string]wireEntry{}
	for _, e := range alice {
		kinds[e.Name] = e
	}
	assert.Equal(t, "BROKEN_SYMLINK", kinds["old-draft"].FileType.Name)
	assert.Equal(t, "SYMLINK", kinds["latest-report"].FileType.Name)
	notes := kinds["notes.txt"]
	assert.Equal(t, "REGULAR_FILE", notes.FileType.Name)
	assert.Equal(t, int64(20480), notes.Size)
	assert.Equal(t, "alice", notes.Owner)
	assert.Equal(t, []string{"OWNER_READ", "OWNER_WRITE", "GROUP_READ"}, notes.Permissions, "0640")
	assert.Less(t, notes.Modified, t0.UnixMilli())

	_, same, _ := c.listing(DemoMountedRootFSGUID, "/home/alice")
	assert.Equal(t, alice, same, "a trailing slash is optional; the listing is stable")

	for p, want := range map[string]int{"/etc/hostname": 400, "/nope/": 404, "/home/../etc/": 400, "etc/": 400, "": 400, "/bin/": 400} {
		st, _, raw := c.listing(DemoMountedRootFSGUID, p)
		assert.Equal(t, want, st, p)
		assert.NotEmpty(t, errMsg(t, raw), p)
	}
	st, _, _ = c.listing(DemoMountedBackupGUID, "/")
	assert.Equal(t, http.StatusNotFound, st, "a mounted backup GUID is no file system GUID")
}

func TestDownloadFile(t *testing.T) {
	srv, c := loggedIn(t, WithClock(NewFakeClock(t0)))
	st, h, raw := c.do("POST", "/mounted-file-systems/"+DemoMountedRootFSGUID+"/download", map[string]any{"paths": []string{"/home/alice/notes.txt"}}, nil)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	assert.Equal(t, "application/octet-stream", h.Get("Content-Type"))
	assert.Equal(t, `attachment; filename="notes.txt"`, h.Get("Content-Disposition"))
	assert.Equal(t, "20480", h.Get("Content-Length"))
	want, size, err := srv.FileReader(DemoMountedRootFSGUID, "/home/alice/notes.txt")
	require.NoError(t, err)
	assert.Equal(t, int64(20480), size)
	assert.Equal(t, readAll(t, want), raw)
	assert.True(t, bytes.HasPrefix(raw, []byte("/home/alice/notes.txt 00000000\n/home/alice/notes.txt 00000001\n")), "%.60q", raw)

	// A symlink to a file downloads the file, under the link's name.
	st, h, raw = c.do("POST", "/mounted-file-systems/"+DemoMountedRootFSGUID+"/download", map[string]any{"paths": []string{"/home/alice/latest-report"}}, nil)
	require.Equal(t, http.StatusOK, st)
	assert.Equal(t, `attachment; filename="latest-report"`, h.Get("Content-Disposition"))
	assert.Len(t, raw, 65536)

	for body, want := range map[string]int{`{"paths":[]}`: 400, `{"paths":["/missing"]}`: 404, `{"paths":["/etc/../x"]}`: 400, `{}`: 400} {
		st, h, raw := c.do("POST", "/mounted-file-systems/"+DemoMountedRootFSGUID+"/download", body, nil)
		assert.Equal(t, want, st, body)
		assert.Equal(t, "application/json", h.Get("Content-Type"), body)
		assert.NotEmpty(t, errMsg(t, raw), body)
	}
}

func TestDownloadArchive(t *testing.T) {
	srv, c := loggedIn(t, WithClock(NewFakeClock(t0)))
	st, h, raw := c.do("POST", "/mounted-file-systems/"+DemoMountedRootFSGUID+"/download", map[string]any{"paths": []string{"/home/alice"}}, nil)
	require.Equal(t, http.StatusOK, st, "%s", raw)
	assert.Equal(t, "application/x-tar", h.Get("Content-Type"))
	assert.Equal(t, `attachment; filename="alice.tar"`, h.Get("Content-Disposition"))
	tr := tar.NewReader(bytes.NewReader(raw))
	got := map[string]*tar.Header{}
	for {
		hd, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		got[hd.Name] = hd
		if hd.Typeflag == tar.TypeReg {
			want, _, err := srv.FileReader(DemoMountedRootFSGUID, "/home/"+hd.Name)
			require.NoError(t, err)
			assert.Equal(t, readAll(t, want), readAll(t, tr), hd.Name)
		}
	}
	assert.Equal(t, byte(tar.TypeDir), got["alice/"].Typeflag)
	assert.Equal(t, int64(0o750), got["alice/"].Mode)
	assert.Equal(t, "alice", got["alice/notes.txt"].Uname)
	assert.Equal(t, "/home/alice/drafts/old.md", got["alice/old-draft"].Linkname)
	assert.Contains(t, got, "alice/projects/data.csv")

	st, h, _ = c.do("POST", "/mounted-file-systems/"+DemoMountedBootFSGUID+"/download", map[string]any{"paths": []string{"/grub2/grub.cfg", "/grub2/grubenv"}}, nil)
	require.Equal(t, http.StatusOK, st)
	assert.Equal(t, `attachment; filename="download.tar"`, h.Get("Content-Disposition"), "several paths make one archive")
}

func TestSparseFileContent(t *testing.T) {
	srv := Start(t, WithClock(NewFakeClock(t0)))
	r, size, err := srv.FileReader(DemoMountedRootFSGUID, "/var/lib/images/disk-4g.img")
	require.NoError(t, err)
	assert.Equal(t, int64(4<<30), size)
	data := make([]byte, sparseData)
	_, err = io.ReadFull(r, data)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(data, []byte("/var/lib/images/disk-4g.img 00000000\n")))
	assert.NotContains(t, string(data), "\x00")
	var zeros zeroCounter
	_, err = io.CopyN(&zeros, r, sparseStride-sparseData)
	require.NoError(t, err)
	assert.Equal(t, int64(sparseStride-sparseData), zeros.zero, "a hole is zeros")
	_, err = io.ReadFull(r, data)
	require.NoError(t, err)
	lineLen := int64(len("/var/lib/images/disk-4g.img 00000000\n"))
	line := contentLine(nil, "/var/lib/images/disk-4g.img", sparseStride/lineLen)
	assert.Equal(t, line[sparseStride%lineLen:], data[:lineLen-sparseStride%lineLen], "data again after the hole, by offset")
}

// zeroCounter counts the zero bytes written to it.
type zeroCounter struct{ zero int64 }

func (z *zeroCounter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), len(zeroBlock))
		if bytes.Equal(p[:k], zeroBlock[:k]) {
			z.zero += int64(k)
		}
		p = p[k:]
	}
	return n, nil
}

var zeroBlock = make([]byte, 64<<10)

func mountBody(location string, mode string, extra map[string]any) map[string]any {
	b := map[string]any{"backupLocation": map[string]string{"guid": location}, "mode": map[string]string{"name": mode}, "allowedClients": []string{}}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

// demoFullLocation is the location of a-web-1's FULL backup (GUID + 1).
const demoFullLocation = "00000000-0000-4000-8000-000000000029"

func TestRestoreAndMountAuto(t *testing.T) {
	clk := NewFakeClock(t0)
	_, c := loggedIn(t, WithClock(clk))
	var restore wireTaskMount
	st, _, raw := c.do("POST", "/tasks/restore-and-mount", mountBody(demoFullLocation, "AUTO",
		map[string]any{"mountedFileSystems": []map[string]string{{"mountPath": "/mnt/vprotect/a-web-1/x"}}, "unmountTime": 3600000}), &restore)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	assert.Equal(t, "RESTORE", restore.Type.Name)
	assert.Equal(t, "RESTORE_AND_MOUNT", restore.RestoreType.Name)
	require.NotNil(t, restore.MountedBackup)
	mb := restore.MountedBackup.GUID

	var m wireMount
	c.get("/mounted-backups/"+mb, &m)
	assert.Equal(t, "RESTORING", m.State.Name)
	assert.Equal(t, t0.Add(time.Hour).UnixMilli(), *m.UnmountTime)
	fss := c.mountedFSs(mb)
	require.Len(t, fss, 2)
	assert.Equal(t, "/mnt/vprotect/a-web-1/x/sda1", fss[0].MountPath)
	assert.Equal(t, "/mnt/vprotect/a-web-1/x/lv_root", fss[1].MountPath)
	st, _, _ = c.listing(fss[1].GUID, "/")
	assert.Equal(t, http.StatusConflict, st, "not browsable before it is mounted")

	clk.Advance(3 * time.Second) // RESTORE done, MOUNT starts
	c.get("/mounted-backups/"+mb, &m)
	assert.Equal(t, "MOUNTING", m.State.Name)
	var mounts []wireTaskMount
	c.get("/tasks?parent-task="+restore.GUID+"&type=MOUNT", &mounts)
	require.Len(t, mounts, 1)
	assert.Equal(t, mb, mounts[0].MountedBackup.GUID)
	clk.Advance(time.Second)
	c.get("/mounted-backups/"+mb, &m)
	assert.Equal(t, "MOUNTED", m.State.Name)
	st, _, _ = c.listing(fss[1].GUID, "/")
	assert.Equal(t, http.StatusOK, st)

	// The unmount time comes: an UNMOUNT by itself, then the backup is gone.
	clk.Advance(time.Hour - 4*time.Second)
	var unmounts []wireTaskMount
	c.get("/tasks?type=UNMOUNT", &unmounts)
	require.Len(t, unmounts, 1)
	assert.Equal(t, "SYSTEM_SCHEDULE", unmounts[0].OriginEntity.Type.Name)
	assert.Equal(t, t0.Add(time.Hour).UnixMilli(), *unmounts[0].StartTime)
	clk.Advance(time.Second)
	st, _, _ = c.do("GET", "/mounted-backups/"+mb, nil, nil)
	assert.Equal(t, http.StatusNotFound, st)
	st, _, _ = c.listing(fss[1].GUID, "/")
	assert.Equal(t, http.StatusNotFound, st)
}

// wireTaskMount is a task with the fields of mount tasks.
type wireTaskMount struct {
	wireTask
	RestoreType   *struct{ Name string }
	MountedBackup *struct{ GUID string }
}

func TestUnmountAndRemount(t *testing.T) {
	clk := NewFakeClock(t0)
	srv, c := loggedIn(t, WithClock(clk))
	body := map[string]any{"mountedBackup": map[string]string{"guid": DemoMountedBackupGUID, "name": ""}}
	var mount wireTaskMount
	st, _, raw := c.do("POST", "/tasks/mount", body, &mount)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	assert.Equal(t, "MOUNT", mount.Type.Name)
	st, _, _ = c.do("POST", "/tasks/unmount", body, nil)
	assert.Equal(t, http.StatusConflict, st, "not while it is being mounted")
	clk.Advance(time.Second)
	assert.Equal(t, "MOUNTED", srv.MountedBackups()[0].State.Name)

	var unmount wireTaskMount
	st, _, raw = c.do("POST", "/tasks/unmount", body, &unmount)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	assert.Equal(t, "UNMOUNT", unmount.Type.Name)
	assert.Equal(t, "USER", unmount.OriginEntity.Type.Name)
	assert.Equal(t, "UNMOUNTING", srv.MountedBackups()[0].State.Name)
	clk.Advance(time.Second)
	assert.Empty(t, srv.MountedBackups())
	st, _, raw = c.do("POST", "/tasks/unmount", body, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, errMsg(t, raw), "unknown mounted backup")
}

func TestMountFailsOnDemand(t *testing.T) {
	clk := NewFakeClock(t0)
	srv, c := loggedIn(t, WithClock(clk))
	srv.FailNextTask("MOUNT", "", "cannot mount /dev/sda1")
	var restore wireTaskMount
	st, _, raw := c.do("POST", "/tasks/restore-and-mount", mountBody(demoFullLocation, "AUTO", nil), &restore)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	clk.Advance(5 * time.Second)
	var m wireMount
	c.get("/mounted-backups/"+restore.MountedBackup.GUID, &m)
	assert.Equal(t, "FAILED", m.State.Name)
	fss := c.mountedFSs(m.GUID)
	assert.Regexp(t, `^/mnt/vprotect/a-web-1/\d{8}_\d{6}/sda1$`, fss[0].MountPath, "the default path")
}

func TestRestoreAndMountManualAndISCSI(t *testing.T) {
	_, c := loggedIn(t, WithClock(NewFakeClock(t0)), WithTaskModel(Instant))
	var fsList []struct{ Volume, Label, Type string }
	c.get("/file-systems?backup="+DemoBackupTenantAWebFullGUID, &fsList)
	require.Len(t, fsList, 2)
	var files []struct {
		GUID           string
		IscsiMountable bool
	}
	c.get("/backup-files?backup="+DemoBackupTenantAWebFullGUID, &files)
	require.Len(t, files, 2, "the disk and the VM's configuration")
	assert.True(t, files[0].IscsiMountable, "the disk")
	assert.False(t, files[1].IscsiMountable, "the configuration")
	st, _, _ := c.do("GET", "/file-systems", nil, nil)
	assert.Equal(t, http.StatusBadRequest, st)

	manual := mountBody(demoFullLocation, "MANUAL", map[string]any{"mountedFileSystems": []map[string]any{
		{"fileSystem": map[string]any{"volume": "/dev/vg_sda/lv_root"}, "mountPath": "/mnt/r", "selected": true},
		{"fileSystem": map[string]any{"volume": "/dev/sda1"}, "mountPath": "/mnt/b", "selected": false}}})
	var restore wireTaskMount
	st, _, raw := c.do("POST", "/tasks/restore-and-mount", manual, &restore)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	fss := c.mountedFSs(restore.MountedBackup.GUID)
	require.Len(t, fss, 1, "only the selected one")
	assert.Equal(t, "/mnt/r", fss[0].MountPath)

	iscsi := mountBody(demoFullLocation, "ISCSI", map[string]any{"mountedFileSystems": []any{},
		"mountedDisks": []map[string]any{{"backupFile": map[string]string{"guid": files[0].GUID}}}, "allowedClients": []string{"iqn.1994-05.com.redhat:client"}})
	st, _, raw = c.do("POST", "/tasks/restore-and-mount", iscsi, &restore)
	require.Equal(t, http.StatusCreated, st, "%s", raw)
	var m wireMount
	c.get("/mounted-backups/"+restore.MountedBackup.GUID, &m)
	assert.Equal(t, "ISCSI", m.Mode.Name)
	assert.Equal(t, 0, m.MountedFileSystemCount)
	assert.Equal(t, []string{"iqn.1994-05.com.redhat:client"}, m.AllowedClients)

	bad := map[string]map[string]any{
		"mountedFileSystems[0].fileSystem.volume": mountBody(demoFullLocation, "MANUAL", map[string]any{"mountedFileSystems": []map[string]any{{"fileSystem": map[string]any{"volume": "/dev/sdz9"}, "mountPath": "/mnt/x"}}}),
		"mountedFileSystems[0].mountPath":         mountBody(demoFullLocation, "MANUAL", map[string]any{"mountedFileSystems": []map[string]any{{"fileSystem": map[string]any{"volume": "/dev/sda1"}}}}),
		"MANUAL needs":                            mountBody(demoFullLocation, "MANUAL", nil),
		"mountedDisks":                            mountBody(demoFullLocation, "ISCSI", map[string]any{"allowedClients": []string{"iqn.x"}}),
		"allowedClients[0]":                       mountBody(demoFullLocation, "ISCSI", map[string]any{"mountedDisks": []map[string]any{{"backupFile": map[string]string{"guid": files[0].GUID}}}, "allowedClients": []string{"client"}}),
		"unmountTime":                             mountBody(demoFullLocation, "AUTO", map[string]any{"unmountTime": time.Now().UnixMilli()}),
		"mode: must be":                           mountBody(demoFullLocation, "FLOPPY", nil),
		"backupLocation: unknown":                 mountBody(DemoBackupTenantAWebFullGUID, "AUTO", nil),
		"mountedDisks[0].backupFile":              mountBody(demoFullLocation, "ISCSI", map[string]any{"mountedDisks": []map[string]any{{"backupFile": map[string]string{"guid": files[1].GUID}}}, "allowedClients": []string{"iqn.x"}}),
	}
	for want, body := range bad {
		st, _, raw := c.do("POST", "/tasks/restore-and-mount", body, nil)
		assert.Equal(t, http.StatusBadRequest, st, want)
		assert.Contains(t, errMsg(t, raw), want)
	}
}

func TestWindowsFileSystem(t *testing.T) {
	seed := DemoSeedAt(t0)
	win := seed.VMs[0]
	win.GUID, win.UUID, win.Name = guidFor(190), "11111111"+guidFor(190)[8:], "win-files-1"
	seed.VMs = append(seed.VMs, win)
	b := seed.Backups[0]
	b.GUID, b.ProtectedEntity = guidFor(191), NameGuidAndType{GUID: win.GUID, Name: win.Name, Type: enumOf("VM")}
	b.BackupLocations = append([]BackupLocation{}, b.BackupLocations...)
	b.BackupLocations[0].GUID = guidFor(192)
	seed.Backups = append(seed.Backups, b)
	seed.MountedBackups = append(seed.MountedBackups, SeedMountedBackup{GUID: guidFor(193), Backup: NameAndGuid{GUID: b.GUID}, MountedFileSystemGUIDs: []string{guidFor(194)}})
	srv, c := loggedIn(t, WithClock(NewFakeClock(t0)), WithSeed(seed))
	fss := c.mountedFSs(guidFor(193))
	require.Len(t, fss, 1)
	assert.Equal(t, "ntfs", fss[0].FileSystem.Type)
	assert.Equal(t, "/dev/sda2", fss[0].FileSystem.Volume)
	_, docs, _ := c.listing(guidFor(194), "/Users/Administrator/Documents/")
	require.Len(t, docs, 2)
	assert.Equal(t, "budget.xlsx", docs[0].Name)
	_, size, err := srv.FileReader(guidFor(194), "/pagefile.sys")
	require.NoError(t, err)
	assert.Equal(t, int64(2<<30), size)
}
