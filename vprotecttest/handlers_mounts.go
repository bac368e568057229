package vprotecttest

import (
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxUnmountAfter bounds unmountTime, a duration: a larger value is most
// likely an absolute time, the form of servers before 2023.
const maxUnmountAfter = 366 * 24 * time.Hour

// GET /mounted-backups
func (s *Server) listMountedBackups(c *call) (reply, error) {
	q := c.r.URL.Query()
	backup := param(q, "backup")
	vm := param(q, "protected-entity")
	node := param(q, "node")
	tenant := s.gen.tenantOf(c.r)
	nameLike := strings.ToLower(param(q, "nameLike"))
	modes := params(q, "mode")
	for _, m := range modes {
		if !mountModes[strings.ToUpper(m)] {
			return reply{}, badRequest("mode: invalid value %q", m)
		}
	}
	peType := strings.ToUpper(param(q, "protected-entity-type"))
	if peType != "" && !protectedEntityTypes[peType] {
		return reply{}, badRequest("protected-entity-type: invalid value %q", peType)
	}
	finished, hasFinished := false, param(q, "finished-mount") != ""
	if hasFinished {
		var err error
		if finished, err = boolParam(q, "finished-mount"); err != nil {
			return reply{}, err
		}
	}
	var out []*mountRec
	for _, m := range s.st.mounts.all() {
		switch {
		case backup != "" && m.backup != backup,
			vm != "" && m.vm != vm,
			node != "" && m.node != node,
			tenant != "" && !slices.Contains(m.tenants, tenant),
			nameLike != "" && !strings.Contains(strings.ToLower(m.vmName), nameLike),
			len(modes) > 0 && !containsFold(modes, m.mode),
			peType != "" && peType != "VM",
			hasFinished && finished != (m.state == mountMounted):
			continue
		}
		out = append(out, m)
	}
	return listReply(c, out, func(m *mountRec) string { return m.vmName }, s.renderMount)
}

// GET /mounted-backups/{guid}
func (s *Server) getMountedBackup(c *call) (reply, error) {
	m, ok := s.st.mounts.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("mounted backup", pathGUID(c.r))
	}
	return okReply(s.renderMount(m)), nil
}

// GET /mounted-file-systems/detailed
func (s *Server) listMountedFileSystems(c *call) (reply, error) {
	mb := param(c.r.URL.Query(), "mounted-backup")
	out := []MountedFileSystem{}
	for _, m := range s.st.mounts.all() {
		if mb != "" && m.guid != mb {
			continue
		}
		for _, f := range m.fss {
			out = append(out, f.MountedFileSystem)
		}
	}
	return okReply(out), nil
}

// GET /mounted-files
func (s *Server) listMountedFiles(c *call) (reply, error) {
	mb := param(c.r.URL.Query(), "mounted-backup")
	out := []MountedFile{}
	for _, m := range s.st.mounts.all() {
		if mb == "" || m.guid == mb {
			out = append(out, s.mountedFiles(m)...)
		}
	}
	return okReply(out), nil
}

// backupParam returns the backup named by the required "backup" parameter,
// or nil for an unknown one.
func (s *Server) backupParam(c *call) (*Backup, error) {
	g := param(c.r.URL.Query(), "backup")
	if g == "" {
		return nil, badRequest("backup: is required")
	}
	b, _ := s.st.backups.get(g)
	return b, nil
}

// GET /file-systems?backup=
func (s *Server) listFileSystems(c *call) (reply, error) {
	b, err := s.backupParam(c)
	if err != nil {
		return reply{}, err
	}
	out := []FileSystem{}
	if b != nil && isMountable(b) {
		for _, f := range fileSystemsFor(s.st.backupVMName(b)) {
			out = append(out, f.FileSystem)
		}
	}
	return okReply(out), nil
}

// GET /backup-files?backup=
func (s *Server) listBackupFiles(c *call) (reply, error) {
	b, err := s.backupParam(c)
	if err != nil {
		return reply{}, err
	}
	out := []BackupFile{}
	if b != nil && isMountable(b) {
		s.recordParts(b)
		out = append(out, b.files...)
	}
	return okReply(out), nil
}

// mountedFSOf returns the mounted file system of the path and checks that
// its backup is MOUNTED.
func (s *Server) mountedFSOf(c *call) (*mountedFS, error) {
	f, ok := s.st.mountedFSs.get(pathGUID(c.r))
	if !ok {
		return nil, notFound("mounted file system", pathGUID(c.r))
	}
	if f.mount.state != mountMounted {
		return nil, errf(http.StatusConflict, "mounted backup %s is %s, not %s", f.mount.guid, f.mount.state, mountMounted)
	}
	return f, nil
}

// cleanFilePath checks a path inside a mounted file system: absolute and
// clean (a trailing slash is allowed). It returns the path without it.
func cleanFilePath(field, p string) (string, error) {
	if p == "" {
		return "", badRequest("%s: is required", field)
	}
	q := p
	if len(q) > 1 {
		q = strings.TrimSuffix(q, "/")
	}
	if !strings.HasPrefix(q, "/") || path.Clean(q) != q {
		return "", badRequest("%s: must be an absolute, clean path, got %q", field, p)
	}
	return q, nil
}

// POST /mounted-file-systems/{guid}/listing {"path"}
func (s *Server) listDirectory(c *call) (reply, error) {
	f, err := s.mountedFSOf(c)
	if err != nil {
		return reply{}, err
	}
	var req struct {
		Path string `json:"path"`
	}
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	p, err := cleanFilePath("path", req.Path)
	if err != nil {
		return reply{}, err
	}
	n, ok := f.tree.index[p]
	switch {
	case !ok:
		return reply{}, errf(http.StatusNotFound, "path: %s not found", p)
	case n.kind != fileDirectory:
		return reply{}, badRequest("path: %s is not a directory (%s)", p, n.kind)
	}
	out := make([]FileEntry, 0, len(n.kids))
	for _, k := range n.kids {
		out = append(out, FileEntry{Name: k.name, FileType: enumOf(k.kind), Size: k.size,
			Modified: ms(modTime(k.path, f.snapshot)), Owner: k.owner, Group: k.group, Permissions: posixPermissions(k.perm)})
	}
	return okReply(out), nil
}

// posixPermissions spells permission bits as Java PosixFilePermission names.
func posixPermissions(perm fs.FileMode) []string {
	names := []string{"OWNER_READ", "OWNER_WRITE", "OWNER_EXECUTE", "GROUP_READ", "GROUP_WRITE", "GROUP_EXECUTE",
		"OTHERS_READ", "OTHERS_WRITE", "OTHERS_EXECUTE"}
	out := []string{}
	for i, n := range names {
		if perm&(1<<(8-i)) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// POST /mounted-file-systems/{guid}/download {"paths"}: one regular file
// (or a symlink to one) as its bytes; several paths, or anything else, as
// one tar archive. See the package documentation.
func (s *Server) downloadFiles(c *call) (reply, error) {
	f, err := s.mountedFSOf(c)
	if err != nil {
		return reply{}, err
	}
	var req struct {
		Paths []string `json:"paths"`
	}
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if len(req.Paths) == 0 {
		return reply{}, badRequest("paths: must not be empty")
	}
	paths := make([]string, 0, len(req.Paths))
	for i, raw := range req.Paths {
		field := "paths[" + strconv.Itoa(i) + "]"
		p, err := cleanFilePath(field, raw)
		if err != nil {
			return reply{}, err
		}
		if _, ok := f.tree.index[p]; !ok {
			return reply{}, errf(http.StatusNotFound, "%s: %s not found", field, p)
		}
		paths = append(paths, p)
	}
	h := http.Header{}
	if len(paths) == 1 {
		if n, ok := f.tree.resolve(f.tree.index[paths[0]]); ok && n.kind == fileRegular {
			h.Set("Content-Type", "application/octet-stream")
			h.Set("Content-Disposition", attachment(path.Base(paths[0])))
			h.Set("Content-Length", strconv.FormatInt(n.size, 10))
			return streamReply(h, func(w io.Writer) error {
				_, err := io.CopyBuffer(w, newFileContent(n), make([]byte, 256<<10))
				return err
			}), nil
		}
	}
	name := "download.tar"
	if len(paths) == 1 {
		name = path.Base(paths[0]) + ".tar"
		if paths[0] == "/" {
			name = strings.Trim(path.Base(f.MountPath), "/") + ".tar"
		}
	}
	h.Set("Content-Type", "application/x-tar")
	h.Set("Content-Disposition", attachment(name))
	tree, snap := f.tree, f.snapshot
	return streamReply(h, func(w io.Writer) error { return writeTar(w, tree, paths, snap) }), nil
}

// attachment is a Content-Disposition naming a download.
func attachment(name string) string {
	return fmt.Sprintf(`attachment; filename="%s"`, strings.ReplaceAll(name, `"`, `\"`))
}

// restoreAndMountRequest is the body of POST /tasks/restore-and-mount.
type restoreAndMountRequest struct {
	Backup             *NameAndGuid `json:"backup"`
	BackupLocation     *NameAndGuid `json:"backupLocation"`
	Mode               *Enum        `json:"mode"`
	Node               *NameAndGuid `json:"node"`
	MountedFileSystems []struct {
		FileSystem *FileSystem `json:"fileSystem"`
		MountPath  string      `json:"mountPath"`
		Selected   *bool       `json:"selected"`
	} `json:"mountedFileSystems"`
	MountedDisks []struct {
		BackupFile *NameAndGuid `json:"backupFile"`
	} `json:"mountedDisks"`
	AllowedClients []string `json:"allowedClients"`
	UnmountTime    *int64   `json:"unmountTime"`
	Priority       *int     `json:"priority"`
}

// POST /tasks/restore-and-mount: creates the mounted backup (RESTORING) and
// its RESTORE task, which the MOUNT task follows; answers 201 with the
// RESTORE task, which names the mounted backup.
func (s *Server) restoreAndMount(c *call) (reply, error) {
	var req restoreAndMountRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	b, err := s.restoreSource(&restoreRequest{Backup: req.Backup, BackupLocation: req.BackupLocation}, "")
	if err != nil {
		return reply{}, err
	}
	mode := "AUTO"
	if req.Mode != nil && req.Mode.Name != "" {
		mode = strings.ToUpper(req.Mode.Name)
	}
	after := defaultUnmountAfter
	if req.UnmountTime != nil {
		after = time.Duration(*req.UnmountTime) * time.Millisecond
		if after <= 0 || after > maxUnmountAfter {
			return reply{}, badRequest("unmountTime: must be a duration in milliseconds, more than 0 and at most %d", maxUnmountAfter.Milliseconds())
		}
	}
	prio, err := validPriority(req.Priority, "priority")
	if err != nil {
		return reply{}, err
	}
	vmName := s.st.backupVMName(b)
	found := fileSystemsFor(vmName)
	var mounts []fsMount
	var clients []string
	switch mode {
	case "AUTO":
		base := defaultMountPath(vmName, time.UnixMilli(b.SnapshotTime))
		if len(req.MountedFileSystems) > 0 && req.MountedFileSystems[0].MountPath != "" {
			if base, err = cleanFilePath("mountedFileSystems[0].mountPath", req.MountedFileSystems[0].MountPath); err != nil {
				return reply{}, err
			}
		}
		for _, f := range found {
			mounts = append(mounts, fsMount{spec: f, path: path.Join(base, path.Base(f.Volume))})
		}
	case "MANUAL":
		seen := map[string]bool{}
		for i, m := range req.MountedFileSystems {
			field := fmt.Sprintf("mountedFileSystems[%d]", i)
			if m.Selected != nil && !*m.Selected {
				continue
			}
			if m.FileSystem == nil || m.FileSystem.Volume == "" {
				return reply{}, badRequest("%s.fileSystem.volume: is required", field)
			}
			var spec *fsSpec
			for j := range found {
				if found[j].Volume == m.FileSystem.Volume {
					spec = &found[j]
				}
			}
			if spec == nil {
				return reply{}, badRequest("%s.fileSystem.volume: backup %s has no file system %q", field, b.GUID, m.FileSystem.Volume)
			}
			p, err := cleanFilePath(field+".mountPath", m.MountPath)
			if err != nil {
				return reply{}, err
			}
			if seen[p] {
				return reply{}, badRequest("%s.mountPath: %s is used twice", field, p)
			}
			seen[p] = true
			mounts = append(mounts, fsMount{spec: *spec, path: p})
		}
		if len(mounts) == 0 {
			return reply{}, badRequest("mountedFileSystems: MANUAL needs at least one selected file system")
		}
	case "ISCSI":
		if len(req.MountedDisks) == 0 {
			return reply{}, badRequest("mountedDisks: ISCSI needs at least one disk")
		}
		s.recordParts(b)
		for i, d := range req.MountedDisks {
			ok := false
			for _, f := range b.files {
				ok = ok || (d.BackupFile != nil && d.BackupFile.GUID == f.GUID && f.IscsiMountable)
			}
			if !ok {
				return reply{}, badRequest("mountedDisks[%d].backupFile: not an iSCSI-mountable file of backup %s", i, b.GUID)
			}
		}
		if len(req.AllowedClients) == 0 {
			return reply{}, badRequest("allowedClients: ISCSI needs at least one initiator IQN")
		}
		for i, iqn := range req.AllowedClients {
			if !strings.HasPrefix(iqn, "iqn.") && !strings.HasPrefix(iqn, "eui.") && !strings.HasPrefix(iqn, "naa.") {
				return reply{}, badRequest("allowedClients[%d]: %q is not an iSCSI name (iqn., eui. or naa.)", i, iqn)
			}
		}
		clients = append([]string{}, req.AllowedClients...)
	default:
		return reply{}, badRequest("mode: must be AUTO, MANUAL or ISCSI, got %q", req.Mode.Name)
	}
	v, _ := s.st.vms.get(b.ProtectedEntity.GUID)
	node := s.nodeFor(v, "")
	if req.Node != nil && req.Node.GUID != "" {
		if _, ok := s.st.nodes.get(req.Node.GUID); !ok {
			return reply{}, badRequest("node: unknown node %s", req.Node.GUID)
		}
		node = req.Node.GUID
	}
	m := s.st.newMount(s.st.newGUID(), b, mode, node, mounts, clients, c.now.Add(after))
	sp := taskSpec{typ: "RESTORE", vm: v, priority: prio, winStart: c.now, winEnd: c.now.Add(defaultWindowLength),
		backup: b.GUID, origin: s.userOrigin(c.login), node: node, mounted: m.guid, mountChain: true, tenants: m.tenants}
	if len(b.BackupLocations) > 0 {
		sp.dest = b.BackupLocations[0].BackupDestination.GUID
	}
	r := s.newTask(sp, c.now)
	if v == nil {
		pe := b.ProtectedEntity
		r.ProtectedEntity = &pe
		r.vm = pe.GUID
	}
	s.advance(c.now)
	return created(s.renderTask(r)), nil
}

// mountedBackupBody reads {"mountedBackup": NG}, the body of mount and unmount.
func (s *Server) mountedBackupBody(c *call) (*mountRec, error) {
	var req struct {
		MountedBackup *NameAndGuid `json:"mountedBackup"`
	}
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if req.MountedBackup == nil || req.MountedBackup.GUID == "" {
		return nil, badRequest("mountedBackup.guid: is required")
	}
	m, ok := s.st.mounts.get(req.MountedBackup.GUID)
	if !ok {
		return nil, badRequest("mountedBackup: unknown mounted backup %s", req.MountedBackup.GUID)
	}
	if m.unmountTask != "" || (m.state != mountMounted && m.state != mountFailed) {
		return nil, errf(http.StatusConflict, "mounted backup %s is %s", m.guid, m.state)
	}
	return m, nil
}

// POST /tasks/unmount: answers 201 with the UNMOUNT task; when it finishes
// the mounted backup is gone.
func (s *Server) unmount(c *call) (reply, error) {
	m, err := s.mountedBackupBody(c)
	if err != nil {
		return reply{}, err
	}
	r := s.startUnmount(m, s.userOrigin(c.login), c.now)
	s.advance(c.now)
	return created(s.renderTask(r)), nil
}

// POST /tasks/mount: mounts a mounted (or failed) backup again; answers 201
// with the MOUNT task.
func (s *Server) remount(c *call) (reply, error) {
	m, err := s.mountedBackupBody(c)
	if err != nil {
		return reply{}, err
	}
	v, _ := s.st.vms.get(m.vm)
	r := s.newTask(taskSpec{typ: "MOUNT", vm: v, priority: 50, winStart: c.now, winEnd: c.now.Add(defaultWindowLength),
		backup: m.backup, origin: s.userOrigin(c.login), node: m.node, mounted: m.guid, tenants: m.tenants}, c.now)
	m.state = mountMounting
	s.advance(c.now)
	return created(s.renderTask(r)), nil
}
