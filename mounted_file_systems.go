package vprotect

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"iter"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// MountedFileSystemsService browses the file systems of a mounted backup
// and downloads files from them: list a mounted backup's file systems, list
// one directory, walk a subtree, download files or directories.
type MountedFileSystemsService service

// MountedFileSystemsAPI is the interface of MountedFileSystemsService, for mocking.
type MountedFileSystemsAPI interface {
	List(ctx context.Context, mountedBackupGUID string) ([]MountedFileSystem, error)
	ListDir(ctx context.Context, guid, dir string) ([]FileEntry, error)
	Walk(ctx context.Context, guid, root string) iter.Seq2[FileEntry, error]
	Download(ctx context.Context, guid string, paths []string, w io.Writer, opts *DownloadOptions) (*Download, error)
}

var _ MountedFileSystemsAPI = (*MountedFileSystemsService)(nil)

// MountedFileSystem is one file system of a mounted backup, the object the
// listing and download calls take (by its GUID).
type MountedFileSystem struct {
	// GUID is the mounted file system's id.
	GUID string `json:"guid"`
	// MountPath is where it is mounted on the node.
	MountPath string `json:"mountPath"`
	// FileSystem is the file system (volume, label, type, size).
	FileSystem FileSystem `json:"fileSystem"`
	// MountedBackup is the mounted backup it belongs to, when the server says.
	MountedBackup *NameAndGuid `json:"mountedBackup"`
}

// FileEntry is one entry of a directory in a mounted file system.
type FileEntry struct {
	// Name is the entry's base name.
	Name string `json:"name"`
	// Path is the entry's absolute path inside the file system, made by
	// ListDir and Walk from the directory and Name (the server sends none).
	Path string `json:"-"`
	// Type is DIRECTORY, REGULAR_FILE, SYMLINK or BROKEN_SYMLINK.
	Type Enum[FileType] `json:"fileType"`
	// Size is the entry's size in bytes.
	Size int64 `json:"size"`
	// Modified is the entry's modification time.
	Modified Timestamp `json:"modified"`
	// Owner is the owning user.
	Owner string `json:"owner"`
	// Group is the owning group.
	Group string `json:"group"`
	// Permissions are the entry's permission bits.
	Permissions FilePermissions `json:"permissions"`
}

// IsDir reports whether the entry is a directory (the only kind ListDir
// and Walk open; a symlink to a directory is not followed).
func (e FileEntry) IsDir() bool { return e.Type.Name == FileTypeDirectory }

// Mode returns the entry's type and permission bits as an fs.FileMode, so
// that Mode().String() reads like ls -l ("drwxr-x---", "Lrwxrwxrwx").
func (e FileEntry) Mode() fs.FileMode {
	m := e.Permissions.FileMode()
	switch e.Type.Name {
	case FileTypeDirectory:
		m |= fs.ModeDir
	case FileTypeSymlink, FileTypeBrokenSymlink:
		m |= fs.ModeSymlink
	}
	return m
}

// FilePermissions are the nine permission bits of a file (0o750 is
// rwxr-x---). The server sends them as Java PosixFilePermission names
// (OWNER_READ, GROUP_EXECUTE, …); names this package does not know are
// ignored.
type FilePermissions fs.FileMode

// posixPermissionNames are the PosixFilePermission names, owner read first;
// name i is bit 8-i.
var posixPermissionNames = [9]string{"OWNER_READ", "OWNER_WRITE", "OWNER_EXECUTE", "GROUP_READ", "GROUP_WRITE",
	"GROUP_EXECUTE", "OTHERS_READ", "OTHERS_WRITE", "OTHERS_EXECUTE"}

// FileMode returns the permission bits as an fs.FileMode.
func (p FilePermissions) FileMode() fs.FileMode { return fs.FileMode(p) & fs.ModePerm }

// String formats the bits as ls does, "rwxr-x---".
func (p FilePermissions) String() string { return p.FileMode().String()[1:] }

// MarshalJSON encodes the PosixFilePermission names of the bits that are set.
func (p FilePermissions) MarshalJSON() ([]byte, error) {
	names := []string{}
	for i, n := range posixPermissionNames {
		if p&(1<<(8-i)) != 0 {
			names = append(names, n)
		}
	}
	return json.Marshal(names)
}

// UnmarshalJSON decodes a list of PosixFilePermission names; null is none.
func (p *FilePermissions) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return err
	}
	*p = 0
	for _, n := range names {
		for i, known := range posixPermissionNames {
			if strings.EqualFold(n, known) {
				*p |= 1 << (8 - i)
			}
		}
	}
	return nil
}

// mountedFSPath is the path of the mounted file system guid.
func mountedFSPath(guid string) string { return "/mounted-file-systems/" + url.PathEscape(guid) }

// List returns the file systems of the mounted backup mountedBackupGUID.
//
// vProtect API: GET /mounted-file-systems/detailed?mounted-backup={guid}
func (s *MountedFileSystemsService) List(ctx context.Context, mountedBackupGUID string) ([]MountedFileSystem, error) {
	if err := requireGUID("mountedBackupGUID", mountedBackupGUID); err != nil {
		return nil, err
	}
	return list[MountedFileSystem](ctx, s.client, "/mounted-file-systems/detailed", query{"mounted-backup": {mountedBackupGUID}})
}

// checkFilePath checks a path inside a mounted file system: absolute and
// clean (no "." or ".." parts, no doubled slash); a trailing slash is
// allowed. It returns the path without the trailing slash ("/" for the root).
func checkFilePath(field, p string) (string, error) {
	q := p
	if len(q) > 1 {
		q = strings.TrimSuffix(q, "/")
	}
	switch {
	case p == "":
		return "", argError(field, "must not be empty")
	case !strings.HasPrefix(q, "/"):
		return "", argError(field, "must be absolute (start with /), got %q", p)
	case path.Clean(q) != q:
		return "", argError(field, "must be a clean path (no ., .. or //), got %q", p)
	}
	return q, nil
}

// listingBody is the body of a listing: the directory, ending in "/" as the
// vendor UI sends it.
type listingBody struct {
	Path string `json:"path"`
}

// newListingBody checks dir and builds the body of its listing.
func newListingBody(dir string) (*listingBody, string, error) {
	d, err := checkFilePath("dir", dir)
	if err != nil {
		return nil, "", err
	}
	if d == "/" {
		return &listingBody{Path: "/"}, d, nil
	}
	return &listingBody{Path: d + "/"}, d, nil
}

// ListDir lists the directory dir (absolute, e.g. "/" or "/var/log") of the
// mounted file system guid, as the server orders it. Each entry's Path is
// dir joined with its name. A missing dir is an *APIError (the server
// answers 404); a file is one too (400).
//
// vProtect API: POST /mounted-file-systems/{guid}/listing
func (s *MountedFileSystemsService) ListDir(ctx context.Context, guid, dir string) ([]FileEntry, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	body, d, err := newListingBody(dir)
	if err != nil {
		return nil, err
	}
	entries, err := sendJSON[[]FileEntry](ctx, s.client, http.MethodPost, mountedFSPath(guid)+"/listing", nil, body)
	if err != nil {
		return nil, err
	}
	out := *entries
	if out == nil {
		out = []FileEntry{}
	}
	for i := range out {
		out[i].Path = strings.TrimSuffix(d, "/") + "/" + out[i].Name // not path.Join: a name is never cleaned away
	}
	return out, nil
}

// Walk iterates over the subtree below root (absolute; root itself is not
// yielded) of the mounted file system guid, depth-first: each entry, then
// (for a directory) everything below it, then its next sibling, in the
// server's order. It lists one directory per request, as it goes, so
// breaking out of the loop stops it at once; symlinks are yielded but not
// followed, nor are directories named "", "." or ".." or with a slash in
// the name (from a broken server: they would loop). An error (a bad root, a failed listing) is yielded once and
// ends the walk.
//
// vProtect API: POST /mounted-file-systems/{guid}/listing
func (s *MountedFileSystemsService) Walk(ctx context.Context, guid, root string) iter.Seq2[FileEntry, error] {
	return func(yield func(FileEntry, error) bool) {
		var walk func(dir string) bool
		walk = func(dir string) bool {
			entries, err := s.ListDir(ctx, guid, dir)
			if err != nil {
				yield(FileEntry{}, err)
				return false
			}
			for _, e := range entries {
				if !yield(e, nil) {
					return false
				}
				if e.IsDir() && descendable(e.Name) && !walk(e.Path) {
					return false
				}
			}
			return true
		}
		walk(root)
	}
}

// descendable reports whether Walk may open a directory of this name.
func descendable(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.Contains(name, "/")
}
