package vprotect

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMountedFileSystemsList(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/mounted-file-systems/detailed", http.StatusOK,
		`[{"guid":"mfs-1","mountPath":"/mnt/vprotect/vm1/x/sda1","fileSystem":{"volume":"/dev/sda1","label":"boot","type":"ext4","size":1073741824}}]`)
	got, err := c.MountedFileSystems.List(context.Background(), "mb-1")
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "mfs-1", got[0].GUID)
	assert.Equal(t, "/dev/sda1", got[0].FileSystem.Volume)
	assert.Nil(t, got[0].MountedBackup)
	assert.Equal(t, url.Values{"mounted-backup": {"mb-1"}}, captor.only(t).Query)
	_, err = c.MountedFileSystems.List(context.Background(), "")
	requireArgError(t, err, "mountedBackupGUID")
}

const logListing = `[
	{"name":"app","fileType":{"name":"DIRECTORY","description":"Directory"},"size":4096,"modified":1717000000000,"owner":"root","group":"root",
	 "permissions":["OWNER_READ","OWNER_WRITE","OWNER_EXECUTE","GROUP_READ","GROUP_EXECUTE","OTHERS_READ","OTHERS_EXECUTE"]},
	{"name":"syslog","fileType":{"name":"REGULAR_FILE"},"size":262144,"modified":1717000001000,"owner":"root","group":"adm",
	 "permissions":["OWNER_READ","OWNER_WRITE","GROUP_READ"]},
	{"name":"latest","fileType":{"name":"BROKEN_SYMLINK"},"size":9,"modified":1717000002000,"owner":"root","group":"root",
	 "permissions":["OWNER_READ","OWNER_WRITE","OWNER_EXECUTE","GROUP_READ","GROUP_WRITE","GROUP_EXECUTE","OTHERS_READ","OTHERS_WRITE","OTHERS_EXECUTE","SETUID"]}
]`

func TestListDir(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodPost, "/mounted-file-systems/mfs%2F1/listing", http.StatusOK, logListing)
	got, err := c.MountedFileSystems.ListDir(context.Background(), "mfs/1", "/var/log")
	require.NoError(t, err)
	req := captor.only(t)
	assert.JSONEq(t, `{"path":"/var/log/"}`, string(req.Body), "with the trailing slash, as the vendor UI sends it")
	require.Len(t, got, 3)
	assert.Equal(t, "/var/log/app", got[0].Path)
	assert.True(t, got[0].IsDir())
	assert.Equal(t, "drwxr-xr-x", got[0].Mode().String())
	assert.Equal(t, "rw-r-----", got[1].Permissions.String())
	assert.Equal(t, fs.FileMode(0o640), got[1].Permissions.FileMode())
	assert.Equal(t, "-rw-r-----", got[1].Mode().String())
	assert.Equal(t, int64(1717000001000), got[1].Modified.UnixMilli())
	assert.Equal(t, "adm", got[1].Group)
	assert.Equal(t, "Lrwxrwxrwx", got[2].Mode().String(), "an unknown permission name is ignored")
	assert.False(t, got[2].IsDir())

	b, err := json.Marshal(got[1].Permissions)
	require.NoError(t, err)
	assert.JSONEq(t, `["OWNER_READ","OWNER_WRITE","GROUP_READ"]`, string(b))

	root := respondJSON(mt, http.MethodPost, "/mounted-file-systems/mfs-2/listing", http.StatusOK, `[]`)
	got, err = c.MountedFileSystems.ListDir(context.Background(), "mfs-2", "/")
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.NotNil(t, got)
	assert.JSONEq(t, `{"path":"/"}`, string(root.only(t).Body))

	for _, dir := range []string{"", "var/log", "/var/../etc", "/var//log", "/var/./log"} {
		_, err := c.MountedFileSystems.ListDir(context.Background(), "mfs-1", dir)
		requireArgError(t, err, "dir")
	}
	_, err = c.MountedFileSystems.ListDir(context.Background(), "", "/")
	requireArgError(t, err, "guid")

	respondJSON(mt, http.MethodPost, "/mounted-file-systems/mfs-3/listing", http.StatusNotFound, `{"message":"path: /nope not found","status":404}`)
	_, err = c.MountedFileSystems.ListDir(context.Background(), "mfs-3", "/nope")
	assert.ErrorIs(t, err, ErrNotFound)
	assert.ErrorContains(t, err, "/nope not found")
}

// respondTree answers listings of mfs-1 from a map of directory (as sent,
// with its trailing slash) to entries, and counts the requests.
func respondTree(mt *httpmock.MockTransport, tree map[string]string) *requestCaptor {
	c := &requestCaptor{}
	mt.RegisterResponder(http.MethodPost, testBase+"/mounted-file-systems/mfs-1/listing", func(r *http.Request) (*http.Response, error) {
		raw, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(raw))
		c.add(r)
		var body struct{ Path string }
		_ = json.Unmarshal(raw, &body)
		entries, ok := tree[body.Path]
		if !ok {
			return httpmock.NewStringResponse(http.StatusNotFound, `{"message":"not found"}`), nil
		}
		resp := httpmock.NewStringResponse(http.StatusOK, entries)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	return c
}

func dirEntry(name string) string { return `{"name":"` + name + `","fileType":{"name":"DIRECTORY"}}` }
func fileEntry(name string) string {
	return `{"name":"` + name + `","fileType":{"name":"REGULAR_FILE"},"size":1}`
}

var walkTree = map[string]string{
	"/":            `[` + dirEntry("a") + `,` + fileEntry("b") + `,` + dirEntry("c") + `]`,
	"/a/":          `[` + dirEntry("a1") + `,` + fileEntry("a2") + `,{"name":"link","fileType":{"name":"SYMLINK"}}]`,
	"/a/a1/":       `[` + fileEntry("deep") + `,` + dirEntry("..") + `]`,
	"/c/":          `[]`,
	"/broken/":     `[` + dirEntry("gone") + `]`,
	"/var/":        `[` + fileEntry("x") + `]`,
	"/not-a-dir/":  `[]`,
	"/never-used/": `[]`,
}

func TestWalk(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondTree(mt, walkTree)
	var paths []string
	for e, err := range c.MountedFileSystems.Walk(context.Background(), "mfs-1", "/") {
		require.NoError(t, err)
		paths = append(paths, e.Path)
	}
	assert.Equal(t, []string{"/a", "/a/a1", "/a/a1/deep", "/a/a1/..", "/a/a2", "/a/link", "/b", "/c"}, paths,
		"depth-first, in the server's order; symlinks and a directory named .. are not opened")
	assert.Len(t, captor.all(), 4, "/, /a/, /a/a1/, /c/")
}

func TestWalkStopsEarly(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondTree(mt, walkTree)
	var paths []string
	for e, err := range c.MountedFileSystems.Walk(context.Background(), "mfs-1", "/") {
		require.NoError(t, err)
		paths = append(paths, e.Path)
		if e.Path == "/a/a1" {
			break
		}
	}
	assert.Equal(t, []string{"/a", "/a/a1"}, paths)
	assert.Len(t, captor.all(), 2, "nothing listed after the break")
}

func TestWalkError(t *testing.T) {
	c, mt := newTestClient(t)
	respondTree(mt, walkTree)
	var paths []string
	var errs []error
	for e, err := range c.MountedFileSystems.Walk(context.Background(), "mfs-1", "/broken") {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		paths = append(paths, e.Path)
	}
	assert.Equal(t, []string{"/broken/gone"}, paths)
	require.Len(t, errs, 1, "an error once, then the walk ends")
	assert.ErrorIs(t, errs[0], ErrNotFound)

	errs = nil
	for _, err := range c.MountedFileSystems.Walk(context.Background(), "mfs-1", "relative") {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	requireArgError(t, errs[0], "dir")
}
