package main

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vprotect-go/vprotect/vprotecttest"
)

// The demo's a-web-1 INCREMENTAL backup is not mounted; its FULL backup is.
const (
	unmountedBackup = vprotecttest.DemoBackupTenantAWebIncGUID
	mountedBackup   = vprotecttest.DemoBackupTenantAWebFullGUID
)

// checkOnlyDemoMount fails unless the server's only mounted backup is the
// demo's: what the files commands mount, they unmount.
func checkOnlyDemoMount(t *testing.T, srv *vprotecttest.Server) {
	t.Helper()
	for _, m := range srv.MountedBackups() {
		if m.GUID != vprotecttest.DemoMountedBackupGUID {
			t.Errorf("mounted backup %s of backup %s is left %s", m.GUID, m.Backup.GUID, m.State.Name)
		}
	}
}

// TestFilesLs: files ls mounts the backup, lists its file systems (no
// PATH), a directory or a file, and unmounts it; progress on stderr.
func TestFilesLs(t *testing.T) {
	f := newJobFixture(t)
	for _, tc := range []struct{ name, path string }{
		{"files-ls", ""},
		{"files-ls-dir", "/lv_root/etc"},
		{"files-ls-file", "/lv_root/etc/fstab"},
	} {
		args := []string{"files", "ls", unmountedBackup}
		if tc.path != "" {
			args = append(args, tc.path)
		}
		r := jobRun{}.run(f, args...).succeeds(t)
		golden(t, tc.name+".txt", r.stdout)
		if tc.path == "" {
			golden(t, "files-ls.stderr", r.stderr)
		}
		js := jobRun{}.run(f, append(args, "-o", "json")...).succeeds(t).stdout
		checkOneJSONDocument(t, js)
		golden(t, tc.name+".json", js)
		checkOnlyDemoMount(t, f.srv)
	}
	yml := jobRun{}.run(f, "files", "ls", unmountedBackup, "/sda1/", "-o", "yaml").succeeds(t).stdout
	if !strings.Contains(yml, "path: /sda1/grub2\n") || !strings.Contains(yml, "type: DIRECTORY\n") {
		t.Errorf("-o yaml:\n%s", yml)
	}
}

// TestFilesExistingMount: a backup mounted already is used as it is, and
// stays mounted.
func TestFilesExistingMount(t *testing.T) {
	f := newJobFixture(t)
	r := jobRun{}.run(f, "files", "ls", mountedBackup, "/lv_root/home").succeeds(t)
	want := "Using the mount " + vprotecttest.DemoMountedBackupGUID + " of backup " + mountedBackup + " (it stays mounted)\n"
	if r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
	if !strings.Contains(r.stdout, "alice/") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	mounts := f.srv.MountedBackups()
	if len(mounts) != 1 || mounts[0].GUID != vprotecttest.DemoMountedBackupGUID || mounts[0].State.Name != "MOUNTED" {
		t.Errorf("mounts: %+v", mounts)
	}
}

// TestFilesGet: files get saves a file as itself and a directory as one
// archive in -d, with the bytes the server has, prints them with their
// SHA-256, and unmounts the backup.
func TestFilesGet(t *testing.T) {
	f := newJobFixture(t)
	// Run in a temporary directory, so that the files saved have the same
	// names on every run.
	tmp, dir := t.TempDir(), "restored"
	if err := os.Mkdir(filepath.Join(tmp, dir), 0o755); err != nil {
		t.Fatal(err)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(tmp); err != nil {
		t.Fatal(err)
	}
	r := jobRun{}.run(f, "files", "get", unmountedBackup, "/lv_root/etc/fstab", "/lv_root/etc/ssh/", "-d", dir)
	if err := os.Chdir(wd); err != nil {
		t.Fatal(err)
	}
	r.succeeds(t)
	golden(t, "files-get.txt", r.stdout)
	golden(t, "files-get.stderr", r.stderr)
	dir = filepath.Join(tmp, dir)
	checkOnlyDemoMount(t, f.srv)

	got, err := os.ReadFile(filepath.Join(dir, "fstab"))
	if err != nil {
		t.Fatal(err)
	}
	fr, _, err := f.srv.FileReader(vprotecttest.DemoMountedRootFSGUID, "/etc/fstab") // the same tree, the same bytes
	if err != nil {
		t.Fatal(err)
	}
	want, _ := io.ReadAll(fr)
	if !bytes.Equal(got, want) || len(got) != 612 {
		t.Errorf("fstab: %d bytes, not the server's %d", len(got), len(want))
	}
	sum := sha256.Sum256(got)
	if !strings.Contains(r.stdout, hex.EncodeToString(sum[:])) {
		t.Errorf("the SHA-256 of fstab is not printed:\n%s", r.stdout)
	}
	archive, err := os.Open(filepath.Join(dir, "ssh.tar"))
	if err != nil {
		t.Fatal(err)
	}
	defer archive.Close()
	var names []string
	for tr := tar.NewReader(archive); ; {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
	if !strings.Contains(strings.Join(names, " "), "sshd_config") {
		t.Errorf("ssh.tar holds %q", names)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".vprotect-download-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %q", leftovers)
	}

	js := jobRun{}.run(f, "files", "get", unmountedBackup, "/sda1/grub2/grub.cfg", "-d", dir, "-o", "json").succeeds(t).stdout
	checkOneJSONDocument(t, js)
	var saved []savedView
	if err := json.Unmarshal([]byte(js), &saved); err != nil {
		t.Fatal(err)
	}
	if len(saved) != 1 || saved[0].Path != "/sda1/grub2/grub.cfg" || saved[0].File != filepath.Join(dir, "grub.cfg") || saved[0].Size != 4712 {
		t.Errorf("saved: %+v", saved)
	}
}

// TestFilesInterrupted: Ctrl-C during the mount cancels it and unmounts
// what there is; after the mount it unmounts the backup all the same.
func TestFilesInterrupted(t *testing.T) {
	for _, tc := range []struct{ name, on, cancelled string }{
		{"during the mount", "RESTORE task", "Cancelling the mount of backup " + unmountedBackup},
		{"after the mount", ": mounted ", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newJobFixture(t)
			r := jobRun{interruptOn: tc.on}.run(f, "files", "get", unmountedBackup, "/lv_root/etc/fstab", "-d", t.TempDir())
			r.failsWith(t, exitFailure, "interrupted; backup "+unmountedBackup+" is unmounted")
			if !strings.Contains(r.stderr, "Unmounting backup "+unmountedBackup) || !strings.Contains(r.stderr, tc.cancelled) {
				t.Errorf("stderr:\n%s", r.stderr)
			}
			checkOnlyDemoMount(t, f.srv)
		})
	}
}

// TestFilesMountFailed: a mount the server fails is exit status 1 with its
// reason, and what it left mounted is unmounted.
func TestFilesMountFailed(t *testing.T) {
	f := newJobFixture(t)
	f.srv.FailNextTask("MOUNT", "", "No staging space left on node-1")
	r := jobRun{}.run(f, "files", "ls", unmountedBackup)
	r.failsWith(t, exitFailure, "cannot mount backup "+unmountedBackup+": MOUNT task", "FAILED: No staging space left on node-1")
	checkOnlyDemoMount(t, f.srv)
}

func TestFilesErrors(t *testing.T) {
	f := newJobFixture(t)
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"ls without backup", []string{"files", "ls"}, exitUsage, []string{"accepts between 1 and 2 arg"}},
		{"relative path", []string{"files", "ls", unmountedBackup, "etc"}, exitUsage, []string{`PATH "etc"`, "absolute"}},
		{"unclean path", []string{"files", "get", unmountedBackup, "/lv_root/../etc"}, exitUsage, []string{`PATH "/lv_root/../etc"`}},
		{"get the root", []string{"files", "get", unmountedBackup, "/"}, exitUsage, []string{"the whole backup"}},
		{"not a directory", []string{"files", "get", unmountedBackup, "/lv_root/etc/fstab", "-d", notDir}, exitUsage, []string{"-d " + notDir + ": not a directory"}},
		{"unknown backup", []string{"files", "ls", "00000000-0000-4000-8000-00000000ffff"}, exitFailure, []string{"no backup with GUID"}},
		{"unknown file system", []string{"files", "ls", unmountedBackup, "/etc"}, exitFailure, []string{"has no file system etc", "sda1 and lv_root"}},
		{"missing directory", []string{"files", "ls", unmountedBackup, "/lv_root/nope"}, exitFailure, []string{"backup " + unmountedBackup + " has no /lv_root/nope"}},
		{"missing file", []string{"files", "get", unmountedBackup, "/lv_root/etc/nope", "-d", t.TempDir()}, exitFailure, []string{"has no /lv_root/etc/nope"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := jobRun{}.run(f, tc.args...)
			r.failsWith(t, tc.code, tc.want...)
			if r.stdout != "" {
				t.Errorf("stdout: %q", r.stdout)
			}
			checkOnlyDemoMount(t, f.srv)
		})
	}
}
