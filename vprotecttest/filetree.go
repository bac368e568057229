package vprotecttest

import (
	"archive/tar"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file holds the file trees of mounted file systems and the contents
// of their files. Both are fixed: a tree depends only on the kind of file
// system, a file's bytes only on its path and size, and a modification time
// on the path and the backup's snapshot time. So a test can check every
// byte it downloads without storing anything.

// File types of a listing entry (reference 7x 2.5).
const (
	fileDirectory     = "DIRECTORY"
	fileRegular       = "REGULAR_FILE"
	fileSymlink       = "SYMLINK"
	fileBrokenSymlink = "BROKEN_SYMLINK"
)

// fileNode is one entry of a file tree.
type fileNode struct {
	name   string // base name; "" for the root
	path   string // absolute inside the file system; "/" for the root
	kind   string
	size   int64
	perm   fs.FileMode
	owner  string
	group  string
	target string // symlinks: the target as written
	sparse bool   // regular files: data only at the start of every sparseStride bytes
	kids   []*fileNode
}

// fileTree is a whole file system, indexed by path.
type fileTree struct {
	root  *fileNode
	index map[string]*fileNode
}

// Sparse files hold sparseData bytes of data at the start of every
// sparseStride bytes, and zeros in between.
const (
	sparseStride = 256 << 20
	sparseData   = 64 << 10
)

// Tree kinds, chosen by volume (see fileSystemsFor).
var (
	linuxBootTree = mustTree(`
d 0555 root root - /
d 0700 root root - /grub2
f 0600 root root 4712 /grub2/grub.cfg
f 0644 root root 1024 /grub2/grubenv
f 0644 root root 262144 /config-6.1.0-18-amd64
f 0644 root root 8388608 /vmlinuz-6.1.0-18-amd64
f 0600 root root 33554432 /initrd.img-6.1.0-18-amd64
l 0777 root root - /vmlinuz -> vmlinuz-6.1.0-18-amd64
d 0700 root root - /lost+found
`)
	linuxRootTree = mustTree(`
d 0555 root root - /
l 0777 root root - /bin -> usr/bin
d 0755 root root - /etc
f 0644 root root 9 /etc/hostname
f 0644 root root 612 /etc/fstab
f 0644 root root 1843 /etc/passwd
f 0640 root shadow 1024 /etc/shadow
d 0755 root root - /etc/ssh
f 0600 root root 3223 /etc/ssh/sshd_config
l 0777 root root - /etc/localtime -> /usr/share/zoneinfo/Etc/UTC
d 0755 root root - /home
d 0750 alice alice - /home/alice
f 0644 alice alice 3526 /home/alice/.bashrc
f 0640 alice alice 20480 /home/alice/notes.txt
d 0750 alice alice - /home/alice/projects
f 0640 alice alice 65536 /home/alice/projects/report.md
f 0640 alice alice 1048576 /home/alice/projects/data.csv
l 0777 alice alice - /home/alice/latest-report -> projects/report.md
l 0777 alice alice - /home/alice/old-draft -> /home/alice/drafts/old.md
d 0700 root root - /root
f 0600 root root 570 /root/.bash_history
d 0777 root root - /tmp
d 0755 root root - /usr/bin
f 0755 root root 1265648 /usr/bin/bash
f 0755 root root 138208 /usr/bin/ls
d 0755 root root - /usr/share/zoneinfo/Etc
f 0644 root root 114 /usr/share/zoneinfo/Etc/UTC
d 0755 root root - /var/lib/images
f 0644 root root 4294967296 /var/lib/images/disk-4g.img sparse
d 0755 root root - /var/log
f 0640 root adm 262144 /var/log/syslog
f 0640 root adm 524288 /var/log/auth.log
d 0755 www-data www-data - /var/www/html
f 0644 www-data www-data 10701 /var/www/html/index.html
`)
	windowsTree = mustTree(`
d 0777 SYSTEM SYSTEM - /
f 0644 SYSTEM SYSTEM 2147483648 /pagefile.sys sparse
d 0755 SYSTEM SYSTEM - /ProgramData/App
f 0644 SYSTEM SYSTEM 131072 /ProgramData/App/app.log
d 0755 Administrator Administrators - /Users/Administrator/Desktop
l 0777 Administrator Administrators - /Users/Administrator/Desktop/report.docx -> /Users/Administrator/Documents/report.docx
d 0755 Administrator Administrators - /Users/Administrator/Documents
f 0644 Administrator Administrators 45056 /Users/Administrator/Documents/report.docx
f 0644 Administrator Administrators 2097152 /Users/Administrator/Documents/budget.xlsx
d 0755 Public Users - /Users/Public
l 0777 Public Users - /Users/Public/archive -> /Shares/archive
d 0755 SYSTEM SYSTEM - /Windows/System32/config
f 0644 SYSTEM SYSTEM 4718592 /Windows/System32/config/SOFTWARE
d 0755 SYSTEM SYSTEM - /Windows/System32/drivers/etc
f 0644 SYSTEM SYSTEM 824 /Windows/System32/drivers/etc/hosts
`)
)

// mustTree parses a tree spec: one entry a line, "kind perm owner group
// size path [sparse | -> target]", kind d (directory), f (file) or l
// (symlink). Missing parent directories are made 0755 and owned like the
// root. Whether a symlink is broken is found by resolving it in the tree.
func mustTree(spec string) *fileTree {
	t := &fileTree{index: map[string]*fileNode{}}
	for _, line := range strings.Split(strings.TrimSpace(spec), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 {
			panic("vprotecttest: bad tree line " + line)
		}
		perm, err := strconv.ParseUint(f[1], 8, 32)
		if err != nil {
			panic(err)
		}
		n := &fileNode{path: f[5], perm: fs.FileMode(perm), owner: f[2], group: f[3]}
		switch f[0] {
		case "d":
			n.kind = fileDirectory
			n.size = 4096
		case "f":
			n.kind = fileRegular
			if n.size, err = strconv.ParseInt(f[4], 10, 64); err != nil {
				panic(err)
			}
			n.sparse = len(f) > 6 && f[6] == "sparse"
		case "l":
			n.kind = fileSymlink
			n.target = f[7]
			n.size = int64(len(n.target))
		}
		t.add(n)
	}
	for _, n := range t.index {
		sort.Slice(n.kids, func(i, j int) bool { return n.kids[i].name < n.kids[j].name })
		if n.kind == fileSymlink {
			if _, ok := t.resolve(n); !ok {
				n.kind = fileBrokenSymlink
			}
		}
	}
	return t
}

// add enters n, making its missing parents.
func (t *fileTree) add(n *fileNode) {
	if n.path == "/" {
		t.root = n
		t.index["/"] = n
		return
	}
	n.name = path.Base(n.path)
	parent := t.index[path.Dir(n.path)]
	if parent == nil {
		parent = &fileNode{path: path.Dir(n.path), kind: fileDirectory, size: 4096, perm: 0o755, owner: t.root.owner, group: t.root.group}
		t.add(parent)
	}
	parent.kids = append(parent.kids, n)
	t.index[n.path] = n
}

// resolve follows a symlink (up to 8 links) to the entry it names.
func (t *fileTree) resolve(n *fileNode) (*fileNode, bool) {
	for hops := 0; n.kind == fileSymlink || n.kind == fileBrokenSymlink; hops++ {
		if hops == 8 {
			return nil, false
		}
		p := n.target
		if !path.IsAbs(p) {
			p = path.Join(path.Dir(n.path), p)
		}
		next, ok := t.index[path.Clean(p)]
		if !ok {
			return nil, false
		}
		n = next
	}
	return n, true
}

// modTime is an entry's modification time: before the snapshot by an
// amount (1 h to 31 days, whole seconds) derived from the path.
func modTime(p string, snapshot time.Time) time.Time {
	h := fnv.New64a()
	_, _ = h.Write([]byte(p))
	back := time.Hour + time.Duration(h.Sum64()%(30*24*3600))*time.Second
	return snapshot.Add(-back).Truncate(time.Second)
}

// contentLine returns line n of the file at p: the path, a space, the line
// number (8 digits, modulo 10^8) and a newline. Every line of a file has
// the same length, so the byte at any offset is known without reading the
// bytes before it.
func contentLine(buf []byte, p string, n int64) []byte {
	buf = append(buf[:0], p...)
	buf = append(buf, ' ')
	buf = append(buf, fmt.Sprintf("%08d", n%100_000_000)...)
	return append(buf, '\n')
}

// fileContent reads the contents of a regular file: the lines of
// contentLine cut at the file's size; for a sparse file those bytes only in
// the first sparseData bytes of every sparseStride, zeros elsewhere.
type fileContent struct {
	path   string
	size   int64
	sparse bool
	off    int64
	line   []byte
}

func newFileContent(n *fileNode) *fileContent {
	return &fileContent{path: n.path, size: n.size, sparse: n.sparse}
}

// Read fills p from the current offset.
func (f *fileContent) Read(p []byte) (int, error) {
	if f.off >= f.size {
		return 0, io.EOF
	}
	if rest := f.size - f.off; int64(len(p)) > rest {
		p = p[:rest]
	}
	done := 0
	for done < len(p) {
		off := f.off + int64(done)
		end := int64(len(p) - done) // bytes wanted from off
		if f.sparse {
			in := off % sparseStride
			if in >= sparseData { // a hole: zeros up to the next data block
				z := min(end, sparseStride-in)
				clear(p[done : done+int(z)])
				done += int(z)
				continue
			}
			end = min(end, sparseData-in)
		}
		lineLen := int64(len(f.path) + 10)
		f.line = contentLine(f.line, f.path, off/lineLen)
		done += copy(p[done:done+int(end)], f.line[off%lineLen:])
	}
	f.off += int64(done)
	return done, nil
}

// writeTar writes the entries at paths, and everything below directories,
// as one tar archive to w. Entries are named from the base name of each
// path ("/" contributes its children by their names); symlinks are stored
// as links, sparse files in full.
func writeTar(w io.Writer, t *fileTree, paths []string, snapshot time.Time) error {
	tw := tar.NewWriter(w)
	buf := make([]byte, 256<<10)
	var walk func(n *fileNode, name string) error
	walk = func(n *fileNode, name string) error {
		if name != "" {
			h := &tar.Header{Name: name, Mode: int64(n.perm), Uname: n.owner, Gname: n.group, ModTime: modTime(n.path, snapshot)}
			switch n.kind {
			case fileDirectory:
				h.Typeflag, h.Name = tar.TypeDir, name+"/"
			case fileRegular:
				h.Typeflag, h.Size = tar.TypeReg, n.size
			default:
				h.Typeflag, h.Linkname = tar.TypeSymlink, n.target
			}
			if err := tw.WriteHeader(h); err != nil {
				return err
			}
			if n.kind == fileRegular {
				if _, err := io.CopyBuffer(tw, newFileContent(n), buf); err != nil {
					return err
				}
			}
		}
		for _, k := range n.kids {
			if err := walk(k, path.Join(name, k.name)); err != nil {
				return err
			}
		}
		return nil
	}
	for _, p := range paths {
		name := path.Base(p)
		if p == "/" {
			name = ""
		}
		if err := walk(t.index[p], name); err != nil {
			return err
		}
	}
	return tw.Close()
}
