package vprotect

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const mountRestoreTask = `{"guid":"rs-1","type":{"name":"RESTORE"},"state":{"name":"QUEUED"},
	"restoreType":{"name":"RESTORE_AND_MOUNT"},"mountedBackup":{"guid":"mb-1","name":""}}`

func TestRestoreAndMount(t *testing.T) {
	boot := FileSystem{Volume: "/dev/sda1", Label: "boot", Type: "ext4", Size: 1 << 30}
	root := FileSystem{Volume: "/dev/vg_sda/lv_root", Label: "root", Type: "xfs", Size: 19 << 30}
	tests := []struct {
		name, golden string
		req          RestoreAndMountRequest
	}{
		{"AUTO as the vendor UI sends it", "mount_auto.json", RestoreAndMountRequest{
			BackupLocation: "loc-1", Mode: MountModeAuto,
			MountPath: DefaultMountPath("vm1", time.Date(2024, 5, 29, 16, 26, 40, 0, time.UTC)),
		}},
		{"AUTO by default, with a node and an unmount time", "mount_auto_node.json", RestoreAndMountRequest{
			BackupLocation: "loc-1", MountPath: "/mnt/restore/", UnmountAfter: 2 * time.Hour, Node: "node-1",
		}},
		{"MANUAL", "mount_manual.json", RestoreAndMountRequest{
			BackupLocation: "loc-1", Mode: MountModeManual, UnmountAfter: 90 * time.Minute,
			FileSystems: []MountFileSystem{{FileSystem: boot, MountPath: "/mnt/vprotect/vm1/x/sda1"}, {FileSystem: root, MountPath: "/mnt/vprotect/vm1/x/lv_root"}},
		}},
		{"ISCSI", "mount_iscsi.json", RestoreAndMountRequest{
			BackupLocation: "loc-1", Mode: MountModeISCSI,
			Disks: []string{"bf-1", "bf-2"}, AllowedClients: []string{"iqn.1994-05.com.redhat:client1", "iqn.1994-05.com.redhat:client2"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newTestClient(t)
			captor := respondJSON(mt, http.MethodPost, "/tasks/restore-and-mount", http.StatusCreated, mountRestoreTask)
			task, err := c.Tasks.RestoreAndMount(context.Background(), tt.req)
			require.NoError(t, err)
			req := captor.only(t)
			assert.Equal(t, "/tasks/restore-and-mount", req.Path)
			assertGolden(t, tt.golden, req.Body)
			assert.Equal(t, "rs-1", task.GUID)
			assert.Equal(t, RestoreTypeRestoreAndMount, task.RestoreType.Name)
			assert.Equal(t, "mb-1", task.MountedBackup.GUID)
		})
	}
}

func TestRestoreAndMountBadRequests(t *testing.T) {
	fsys := []MountFileSystem{{FileSystem: FileSystem{Volume: "/dev/sda1"}, MountPath: "/mnt/a"}}
	auto := RestoreAndMountRequest{BackupLocation: "loc-1", MountPath: "/mnt/a"}
	with := func(f func(r *RestoreAndMountRequest)) RestoreAndMountRequest {
		r := auto
		f(&r)
		return r
	}
	cases := map[string]RestoreAndMountRequest{
		"RestoreAndMountRequest.BackupLocation": with(func(r *RestoreAndMountRequest) { r.BackupLocation = "" }),
		"RestoreAndMountRequest.Mode":           with(func(r *RestoreAndMountRequest) { r.Mode = "FLOPPY" }),
		"RestoreAndMountRequest.MountPath":      with(func(r *RestoreAndMountRequest) { r.MountPath = "" }),
		"RestoreAndMountRequest.UnmountAfter":   with(func(r *RestoreAndMountRequest) { r.UnmountAfter = -time.Hour }),
		"RestoreAndMountRequest.FileSystems":    with(func(r *RestoreAndMountRequest) { r.FileSystems = fsys }),
		"RestoreAndMountRequest.Disks":          with(func(r *RestoreAndMountRequest) { r.Disks = []string{"bf-1"} }),
		"RestoreAndMountRequest.AllowedClients": with(func(r *RestoreAndMountRequest) { r.AllowedClients = []string{"iqn.x"} }),
	}
	cases["RestoreAndMountRequest.MountPath "] = with(func(r *RestoreAndMountRequest) { r.MountPath = "mnt/relative" })
	cases["RestoreAndMountRequest.MountPath  "] = with(func(r *RestoreAndMountRequest) { r.MountPath = "/mnt/../etc" })
	manual := RestoreAndMountRequest{BackupLocation: "loc-1", Mode: MountModeManual}
	cases["RestoreAndMountRequest.FileSystems "] = manual
	m := manual
	m.FileSystems = []MountFileSystem{{MountPath: "/mnt/a"}}
	cases["RestoreAndMountRequest.FileSystems[0].FileSystem.Volume"] = m
	m.FileSystems = []MountFileSystem{{FileSystem: FileSystem{Volume: "/dev/sda1"}}}
	cases["RestoreAndMountRequest.FileSystems[0].MountPath"] = m
	m.FileSystems = append(append([]MountFileSystem{}, fsys...), fsys...)
	cases["RestoreAndMountRequest.FileSystems[1].MountPath"] = m
	m = manual
	m.FileSystems, m.MountPath = fsys, "/mnt/x"
	cases["RestoreAndMountRequest.MountPath   "] = m
	iscsi := RestoreAndMountRequest{BackupLocation: "loc-1", Mode: MountModeISCSI, AllowedClients: []string{"iqn.2020-01.test:c"}}
	cases["RestoreAndMountRequest.Disks "] = iscsi
	i := iscsi
	i.Disks = []string{"bf-1", ""}
	cases["RestoreAndMountRequest.Disks[1]"] = i
	i.Disks, i.AllowedClients = []string{"bf-1"}, nil
	cases["RestoreAndMountRequest.AllowedClients "] = i
	i.AllowedClients = []string{"iqn.2020-01.test:c", "client two"}
	cases["RestoreAndMountRequest.AllowedClients[1]"] = i
	i.AllowedClients = []string{"host-1"}
	cases["RestoreAndMountRequest.AllowedClients[0]"] = i
	i.AllowedClients, i.UnmountAfter = []string{"eui.02004567A425678D"}, time.Microsecond
	cases["RestoreAndMountRequest.UnmountAfter "] = i

	for field, req := range cases {
		t.Run(field, func(t *testing.T) {
			c, _ := newTestClient(t) // any request would fail the test: none is sent
			_, err := c.Tasks.RestoreAndMount(context.Background(), req)
			requireArgError(t, err, trimSpaces(field))
		})
	}
}

// trimSpaces drops the trailing spaces that keep map keys apart.
func trimSpaces(s string) string {
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}

func TestRemountAndUnmount(t *testing.T) {
	c, mt := newTestClient(t)
	mount := respondJSON(mt, http.MethodPost, "/tasks/mount", http.StatusCreated, `{"guid":"mo-1","type":{"name":"MOUNT"},"state":{"name":"QUEUED"}}`)
	unmount := respondJSON(mt, http.MethodPost, "/tasks/unmount", http.StatusCreated, `{"guid":"um-1","type":{"name":"UNMOUNT"},"state":{"name":"QUEUED"}}`)
	ctx := context.Background()
	task, err := c.Tasks.Remount(ctx, "mb-1")
	require.NoError(t, err)
	assert.Equal(t, "mo-1", task.GUID)
	assertGolden(t, "mount_remount.json", mount.only(t).Body)
	task, err = c.Tasks.Unmount(ctx, "mb-1")
	require.NoError(t, err)
	assert.Equal(t, TaskTypeUnmount, task.Type.Name)
	assertGolden(t, "mount_unmount.json", unmount.only(t).Body)

	_, err = c.Tasks.Remount(ctx, "")
	requireArgError(t, err, "mountedBackupGUID")
	_, err = c.Tasks.Unmount(ctx, " ")
	requireArgError(t, err, "mountedBackupGUID")
}

func TestWaitForMount(t *testing.T) {
	c, mt := newTestClient(t)
	respondSeq(mt, http.MethodGet, "/tasks/rs-1", nil,
		okStep(`{"guid":"rs-1","type":{"name":"RESTORE"},"state":{"name":"RUNNING"},"progress":40,"mountedBackup":{"guid":"mb-1"}}`),
		okStep(`{"guid":"rs-1","type":{"name":"RESTORE"},"state":{"name":"FINISHED"},"progress":100,"mountedBackup":{"guid":"mb-1"}}`))
	list := respondSeq(mt, http.MethodGet, "/tasks", nil,
		okStep(`[]`),
		okStep(`[{"guid":"mo-1","type":{"name":"MOUNT"},"state":{"name":"QUEUED"},"parentTask":{"guid":"rs-1"}}]`))
	respondSeq(mt, http.MethodGet, "/tasks/mo-1", nil,
		okStep(`{"guid":"mo-1","type":{"name":"MOUNT"},"state":{"name":"RUNNING"}}`),
		okStep(`{"guid":"mo-1","type":{"name":"MOUNT"},"state":{"name":"FINISHED"},"mountedBackup":{"guid":"mb-1"}}`))
	get := respondJSON(mt, http.MethodGet, "/mounted-backups/mb-1", http.StatusOK,
		`{"guid":"mb-1","mode":{"name":"AUTO"},"state":{"name":"MOUNTED"},"mountedFileSystemCount":2,"unmountTime":1767700800000,
		  "backup":{"guid":"bk-1","protectedEntity":{"guid":"vm-1","name":"web"}}}`)

	var seen []string
	mb, err := c.Tasks.WaitForMountFunc(context.Background(), "rs-1", func(t *Task) {
		seen = append(seen, fmt.Sprintf("%s %s", t.Type.Name, t.State.Name))
	})
	require.NoError(t, err)
	assert.Equal(t, "mb-1", mb.GUID)
	assert.True(t, mb.IsMounted())
	assert.Equal(t, 2, mb.MountedFileSystemCount)
	assert.Equal(t, "web", mb.Backup.ProtectedEntity.Name)
	assert.Equal(t, int64(1767700800000), mb.UnmountTime.UnixMilli())
	assert.Equal(t, []string{"RESTORE RUNNING", "RESTORE FINISHED", "MOUNT RUNNING", "MOUNT FINISHED"}, seen)
	assert.Equal(t, url.Values{"parent-task": {"rs-1"}, "type": {"MOUNT"}}, list.all()[0].Query)
	get.only(t)
}

func TestWaitForMountOfRemount(t *testing.T) {
	c, mt := newTestClient(t)
	respondSeq(mt, http.MethodGet, "/tasks/mo-1", nil,
		okStep(`{"guid":"mo-1","type":{"name":"MOUNT"},"state":{"name":"FINISHED"},"mountedBackup":{"guid":"mb-1"}}`))
	respondJSON(mt, http.MethodGet, "/mounted-backups/mb-1", http.StatusOK, `{"guid":"mb-1","state":{"name":"MOUNTED"}}`)
	mb, err := c.Tasks.WaitForMount(context.Background(), "mo-1")
	require.NoError(t, err)
	assert.Equal(t, "mb-1", mb.GUID, "a MOUNT task is waited for itself: no task list")
}

func TestWaitForMountFailures(t *testing.T) {
	t.Run("mount fails", func(t *testing.T) {
		c, mt := newTestClient(t)
		respondSeq(mt, http.MethodGet, "/tasks/rs-1", nil, okStep(`{"guid":"rs-1","type":{"name":"RESTORE"},"state":{"name":"FINISHED"}}`))
		respondSeq(mt, http.MethodGet, "/tasks", nil, okStep(`[{"guid":"mo-1","type":{"name":"MOUNT"},"state":{"name":"RUNNING"}}]`))
		respondSeq(mt, http.MethodGet, "/tasks/mo-1", nil, okStep(`{"guid":"mo-1","type":{"name":"MOUNT"},"state":{"name":"FAILED"},"statusInfo":"no file system found"}`))
		_, err := c.Tasks.WaitForMount(context.Background(), "rs-1")
		assert.ErrorIs(t, err, ErrTaskFailed)
		assert.ErrorContains(t, err, "no file system found")
	})
	t.Run("no mounted backup named", func(t *testing.T) {
		c, mt := newTestClient(t)
		respondSeq(mt, http.MethodGet, "/tasks/mo-1", nil, okStep(`{"guid":"mo-1","type":{"name":"MOUNT"},"state":{"name":"FINISHED"}}`))
		_, err := c.Tasks.WaitForMount(context.Background(), "mo-1")
		assert.ErrorContains(t, err, "does not name its mounted backup")
	})
	t.Run("no MOUNT before the deadline", func(t *testing.T) {
		c, mt := newTestClient(t)
		respondSeq(mt, http.MethodGet, "/tasks/rs-1", nil, okStep(`{"guid":"rs-1","type":{"name":"RESTORE"},"state":{"name":"FINISHED"}}`))
		ctx := newDeadlineContext()
		lists := respondSeq(mt, http.MethodGet, "/tasks", func(n int) {
			if n == 3 {
				ctx.pass() // during the third list that shows no MOUNT
			}
		}, okStep(`[]`))
		_, err := c.Tasks.WaitForMount(ctx, "rs-1")
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorContains(t, err, "MOUNT task of restore rs-1")
		assert.Len(t, lists.all(), 3, "listed until the deadline, not after")
	})
	t.Run("empty guid", func(t *testing.T) {
		c, _ := newTestClient(t)
		_, err := c.Tasks.WaitForMount(context.Background(), "")
		requireArgError(t, err, "taskGUID")
	})
}

func TestWaitForUnmount(t *testing.T) {
	c, mt := newTestClient(t)
	respondSeq(mt, http.MethodGet, "/tasks/um-1", nil,
		okStep(`{"guid":"um-1","type":{"name":"UNMOUNT"},"state":{"name":"RUNNING"},"mountedBackup":{"guid":"mb-1"}}`),
		okStep(`{"guid":"um-1","type":{"name":"UNMOUNT"},"state":{"name":"FINISHED"},"mountedBackup":{"guid":"mb-1"}}`))
	gets := respondSeq(mt, http.MethodGet, "/mounted-backups/mb-1", nil,
		okStep(`{"guid":"mb-1","state":{"name":"UNMOUNTING"}}`),
		step{http.StatusNotFound, `{"message":"mounted backup mb-1 not found"}`})
	task, err := c.Tasks.WaitForUnmount(context.Background(), "um-1")
	require.NoError(t, err)
	assert.Equal(t, TaskStateFinished, task.State.Name)
	assert.Len(t, gets.all(), 2, "until the mounted backup is gone")

	_, err = c.Tasks.WaitForUnmount(context.Background(), "")
	requireArgError(t, err, "unmountTaskGUID")
}

func TestDefaultMountPath(t *testing.T) {
	at := time.Date(2024, 5, 29, 18, 26, 40, 0, time.FixedZone("CEST", 2*3600))
	assert.Equal(t, "/mnt/vprotect/vm1/20240529_162640", DefaultMountPath("vm1", at), "in UTC")
}
