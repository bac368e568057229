package vprotecttest

// The wire types of file-level restore (reference 7x 2.4 and 2.5).

// MountedBackup is a backup mounted on a node (GET /mounted-backups). Backup
// is the full backup record. UnmountTime, when the fake will unmount it by
// itself, is UNIX milliseconds; AllowedClients are the iSCSI initiators.
type MountedBackup struct {
	GUID                   string       `json:"guid"`
	Backup                 *Backup      `json:"backup"`
	Mode                   Enum         `json:"mode"`
	State                  Enum         `json:"state"`
	Node                   *NameAndGuid `json:"node"`
	MountedFileSystemCount int          `json:"mountedFileSystemCount"`
	MountedFileCount       int          `json:"mountedFileCount"`
	UnmountTime            *int64       `json:"unmountTime"`
	AllowedClients         []string     `json:"allowedClients"`
}

// FileSystem is a file system found in a backup (GET /file-systems).
type FileSystem struct {
	Volume string `json:"volume"`
	Label  string `json:"label"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
}

// MountedFileSystem is one file system of a mounted backup, the object that
// is browsed and downloaded from (GET /mounted-file-systems/detailed).
type MountedFileSystem struct {
	GUID          string      `json:"guid"`
	MountPath     string      `json:"mountPath"`
	FileSystem    FileSystem  `json:"fileSystem"`
	MountedBackup NameAndGuid `json:"mountedBackup"`
}

// MountedFile is a disk image of a mounted backup (GET /mounted-files).
type MountedFile struct {
	Path         string `json:"path"`
	RandomAccess bool   `json:"randomAccess"`
}

// FileEntry is one entry of a directory listing
// (POST /mounted-file-systems/{guid}/listing). Permissions are Java
// PosixFilePermission names; Modified is UNIX milliseconds.
type FileEntry struct {
	Name        string   `json:"name"`
	FileType    Enum     `json:"fileType"`
	Size        int64    `json:"size"`
	Modified    int64    `json:"modified"`
	Owner       string   `json:"owner"`
	Group       string   `json:"group"`
	Permissions []string `json:"permissions"`
}

// SeedMountedBackup is a mounted backup in a Seed. It is MOUNTED when the
// server starts, with the file systems found in its backup.
type SeedMountedBackup struct {
	// GUID is the mounted backup's GUID (one is given when empty).
	GUID string `json:"guid"`
	// Backup is the mounted backup; it must be a seeded, successful backup.
	Backup NameAndGuid `json:"backup"`
	// Mode is AUTO (the default) or MANUAL; both mount every file system.
	Mode Enum `json:"mode"`
	// Node is the node it is mounted on; the first node by default.
	Node *NameAndGuid `json:"node"`
	// UnmountTime is when it is unmounted by itself (UNIX ms); 24 h after
	// the start by default.
	UnmountTime *int64 `json:"unmountTime"`
	// MountedFileSystemGUIDs are the GUIDs of its file systems, in the order
	// of the backup's file systems; missing ones are given.
	MountedFileSystemGUIDs []string `json:"mountedFileSystemGuids"`
}
