package vprotecttest

import (
	"cmp"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// This file holds the state of mounted backups and how tasks move it:
// RESTORE (of a restore-and-mount) then MOUNT make a mounted backup
// MOUNTED, UNMOUNT removes it, and the unmount time starts an UNMOUNT by
// itself.

// Mounted backup states. The real server's names are not documented
// (reference 7x 13.5); these are the fake's.
const (
	mountRestoring  = "RESTORING"
	mountMounting   = "MOUNTING"
	mountMounted    = "MOUNTED"
	mountUnmounting = "UNMOUNTING"
	mountFailed     = "FAILED"
)

// defaultUnmountAfter is how long a backup stays mounted when the request
// gives no unmountTime (the vendor UI's default).
const defaultUnmountAfter = 24 * time.Hour

// mountRec is a mounted backup plus what the fake needs to run it.
type mountRec struct {
	guid        string
	backup      string
	vm          string // the VM's GUID
	vmName      string
	mode        string
	state       string
	node        string
	fss         []*mountedFS
	clients     []string
	unmountAt   time.Time // zero: never by itself
	unmountTask string    // the pending UNMOUNT task, if any
	tenants     []string
}

// mountedFS is one mounted file system: its record and its tree.
type mountedFS struct {
	MountedFileSystem
	tree     *fileTree
	snapshot time.Time
	mount    *mountRec
}

// fsSpec is a file system found in a backup, with its tree.
type fsSpec struct {
	FileSystem
	tree *fileTree
}

// guestOS is the fake's guess of a VM's operating system: Windows when the
// name contains "win" in any case, Linux otherwise.
func guestOS(vmName string) string {
	if strings.Contains(strings.ToLower(vmName), "win") {
		return "windows"
	}
	return "linux"
}

// fileSystemsFor returns the file systems of a backup of the VM named
// vmName: a Linux VM has /dev/sda1 (ext4, "boot") and an LVM root
// /dev/vg_sda/lv_root (xfs, "root"); a Windows VM one NTFS volume /dev/sda2.
func fileSystemsFor(vmName string) []fsSpec {
	if guestOS(vmName) == "windows" {
		return []fsSpec{{FileSystem{Volume: "/dev/sda2", Label: "Windows", Type: "ntfs", Size: 60 << 30}, windowsTree}}
	}
	return []fsSpec{
		{FileSystem{Volume: "/dev/sda1", Label: "boot", Type: "ext4", Size: 1 << 30}, linuxBootTree},
		{FileSystem{Volume: "/dev/vg_sda/lv_root", Label: "root", Type: "xfs", Size: 19 << 30}, linuxRootTree},
	}
}

// backupVMName is the name of a backup's VM, as it is now or was then.
func (st *state) backupVMName(b *Backup) string {
	return cmp.Or(st.nameOf(b.ProtectedEntity.GUID), b.ProtectedEntity.Name)
}

// mountStamp formats a snapshot time as the vendor UI does in mount paths
// (YYYYMMDD_HHmmss; the fake uses UTC where the UI uses the browser's zone).
func mountStamp(t time.Time) string { return t.UTC().Format("20060102_150405") }

// defaultMountPath is where AUTO mounts a backup when the request names no
// path: /mnt/vprotect/<vm name>/<stamp>.
func defaultMountPath(vmName string, snapshot time.Time) string {
	return path.Join("/mnt/vprotect", vmName, mountStamp(snapshot))
}

// newMount creates a mounted backup of b in state, with its file systems
// (none for iSCSI) mounted at the given paths.
func (st *state) newMount(guid string, b *Backup, mode, node string, mounts []fsMount, clients []string, unmountAt time.Time) *mountRec {
	v, _ := st.vms.get(b.ProtectedEntity.GUID)
	m := &mountRec{guid: guid, backup: b.GUID, vm: b.ProtectedEntity.GUID, vmName: st.backupVMName(b), mode: mode,
		state: mountRestoring, node: node, clients: clients, unmountAt: unmountAt, tenants: st.vmTenants(v)}
	snap := time.UnixMilli(b.SnapshotTime)
	for _, fm := range mounts {
		f := &mountedFS{tree: fm.spec.tree, snapshot: snap, mount: m}
		f.GUID = fm.guid
		if f.GUID == "" {
			f.GUID = st.newGUID()
		}
		f.MountPath = fm.path
		f.FileSystem = fm.spec.FileSystem
		f.MountedBackup = NameAndGuid{GUID: guid}
		m.fss = append(m.fss, f)
		st.mountedFSs.put(f.GUID, f)
	}
	st.mounts.put(guid, m)
	return m
}

// fsMount is one file system to mount and where.
type fsMount struct {
	spec fsSpec
	path string
	guid string // "" for a new GUID
}

// mountedFiles are the disk images of a mounted backup: the disks among
// its backup's files (parts.go).
func (s *Server) mountedFiles(m *mountRec) []MountedFile {
	out := []MountedFile{}
	if b, ok := s.st.backups.get(m.backup); ok {
		s.recordParts(b)
		for _, f := range b.files {
			if restorableDisk(f) {
				out = append(out, MountedFile{Path: f.Path, RandomAccess: true})
			}
		}
	}
	return out
}

// removeMount forgets a mounted backup and its file systems.
func (st *state) removeMount(m *mountRec) {
	for _, f := range m.fss {
		st.mountedFSs.del(f.GUID)
	}
	st.mounts.del(m.guid)
}

// mountTaskChanged moves a mounted backup along with the task r that works
// on it, called whenever r starts or ends.
func (s *Server) mountTaskChanged(r *taskRec) {
	if r.MountedBackup == nil {
		return
	}
	m, ok := s.st.mounts.get(r.MountedBackup.GUID)
	if !ok {
		return
	}
	switch r.State.Name {
	case "RUNNING":
		switch r.Type.Name {
		case "RESTORE":
			m.state = mountRestoring
		case "MOUNT":
			m.state = mountMounting
		case "UNMOUNT":
			m.state = mountUnmounting
		}
	case "FINISHED":
		switch r.Type.Name {
		case "MOUNT":
			m.state = mountMounted
		case "UNMOUNT":
			s.st.removeMount(m)
		}
	case "FAILED", "CANCELLED":
		switch r.Type.Name {
		case "RESTORE", "MOUNT":
			m.state = mountFailed
		case "UNMOUNT":
			m.state, m.unmountTask = mountMounted, ""
		}
	}
}

// startUnmount creates the UNMOUNT task of m at time at.
func (s *Server) startUnmount(m *mountRec, origin *NameGuidAndType, at time.Time) *taskRec {
	v, _ := s.st.vms.get(m.vm)
	r := s.newTask(taskSpec{typ: "UNMOUNT", vm: v, priority: 50, winStart: at, winEnd: at.Add(defaultChildWindowLen),
		backup: m.backup, origin: origin, node: m.node, mounted: m.guid, tenants: m.tenants}, at)
	m.unmountTask = r.GUID
	return r
}

// nextAutoUnmount is the earliest unmount time after t still to act on.
func (s *Server) nextAutoUnmount(t time.Time) (time.Time, bool) {
	var best time.Time
	found := false
	for _, m := range s.st.mounts.all() {
		if m.unmountTask == "" && !m.unmountAt.IsZero() && m.unmountAt.After(t) && (!found || m.unmountAt.Before(best)) {
			best, found = m.unmountAt, true
		}
	}
	return best, found
}

// autoUnmount starts the UNMOUNT of every mounted (or failed) backup whose
// unmount time has come by t; a backup still being mounted is unmounted
// once its mount ends. It reports whether it started any.
func (s *Server) autoUnmount(t time.Time) bool {
	started := false
	for _, m := range s.st.mounts.all() {
		if m.unmountTask != "" || m.unmountAt.IsZero() || m.unmountAt.After(t) || (m.state != mountMounted && m.state != mountFailed) {
			continue
		}
		origin := &NameGuidAndType{Name: "Auto unmount", Type: enumOf("SYSTEM_SCHEDULE")}
		s.startUnmount(m, origin, t)
		started = true
	}
	return started
}

// loadMounts enters the seeded mounted backups.
func (st *state) loadMounts(ms []SeedMountedBackup, now time.Time) error {
	for _, m := range ms {
		if err := st.loadMount(m, now); err != nil {
			return fmt.Errorf("seed mountedBackups: %w", err)
		}
	}
	return nil
}

// loadMount enters a seeded mounted backup, MOUNTED, with every file system
// of its backup mounted under the default path.
func (st *state) loadMount(sm SeedMountedBackup, now time.Time) error {
	if err := st.claim(&sm.GUID); err != nil {
		return err
	}
	b, ok := st.backups.get(sm.Backup.GUID)
	if !ok || !isMountable(b) {
		return fmt.Errorf("%s: backup %q is not a seeded, mountable backup", sm.GUID, sm.Backup.GUID)
	}
	mode := cmp.Or(normEnum(sm.Mode).Name, "AUTO")
	if mode != "AUTO" && mode != "MANUAL" {
		return fmt.Errorf("%s: mode must be AUTO or MANUAL, got %q", sm.GUID, mode)
	}
	node := ""
	if sm.Node != nil {
		node = sm.Node.GUID
		if _, ok := st.nodes.get(node); !ok {
			return fmt.Errorf("%s: unknown node %s", sm.GUID, node)
		}
	} else if nodes := st.nodes.all(); len(nodes) > 0 {
		node = nodes[0].GUID
	}
	unmountAt := now.Add(defaultUnmountAfter)
	if sm.UnmountTime != nil {
		unmountAt = time.UnixMilli(*sm.UnmountTime)
	}
	vmName := st.backupVMName(b)
	base := defaultMountPath(vmName, time.UnixMilli(b.SnapshotTime))
	var mounts []fsMount
	for i, f := range fileSystemsFor(vmName) {
		fm := fsMount{spec: f, path: path.Join(base, path.Base(f.Volume))}
		if i < len(sm.MountedFileSystemGUIDs) {
			fm.guid = sm.MountedFileSystemGUIDs[i]
			if err := st.claim(&fm.guid); err != nil {
				return err
			}
		}
		mounts = append(mounts, fm)
	}
	st.newMount(sm.GUID, b, mode, node, mounts, nil, unmountAt).state = mountMounted
	return nil
}

// MountedBackups returns every mounted backup, oldest first (a test hook;
// see inspect.go).
func (s *Server) MountedBackups() []MountedBackup {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sync()
	out := []MountedBackup{}
	for _, m := range s.st.mounts.all() {
		out = append(out, s.renderMount(m))
	}
	return out
}

// FileReader returns the contents the fake serves for the regular file at
// filePath of the mounted file system mountedFileSystemGUID, and its size,
// so that a test can compare what it downloaded without storing it. A
// symlink is followed. The reader needs no lock: contents are a function of
// the path.
func (s *Server) FileReader(mountedFileSystemGUID, filePath string) (io.Reader, int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sync()
	f, ok := s.st.mountedFSs.get(mountedFileSystemGUID)
	if !ok {
		return nil, 0, fmt.Errorf("vprotecttest: no mounted file system %s", mountedFileSystemGUID)
	}
	n, ok := f.tree.index[filePath]
	if ok {
		n, ok = f.tree.resolve(n)
	}
	if !ok || n.kind != fileRegular {
		return nil, 0, fmt.Errorf("vprotecttest: %s is not a regular file of %s", filePath, mountedFileSystemGUID)
	}
	return newFileContent(n), n.size, nil
}
