package vprotect

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// respondBytes answers POST path with body as a download: the given
// headers, and a Content-Length unless size is -1.
func respondBytes(mt *httpmock.MockTransport, path string, body io.Reader, size int64, header http.Header) *requestCaptor {
	c := &requestCaptor{}
	mt.RegisterResponder(http.MethodPost, testBase+path, func(r *http.Request) (*http.Response, error) {
		c.add(r)
		resp := &http.Response{StatusCode: http.StatusOK, Header: header.Clone(), Body: io.NopCloser(body), ContentLength: size, Request: r}
		if size >= 0 {
			resp.Header.Set("Content-Length", strconv.FormatInt(size, 10))
		}
		return resp, nil
	})
	return c
}

func fileHeader(ctype, disposition string) http.Header {
	h := http.Header{}
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", disposition)
	return h
}

func TestDownloadFile(t *testing.T) {
	content := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB
	c, mt := newTestClient(t, WithMaxResponseBytes(1024))
	captor := respondBytes(mt, "/mounted-file-systems/mfs%2F1/download", bytes.NewReader(content), int64(len(content)),
		fileHeader("application/octet-stream", `attachment; filename="syslog"`))
	var out bytes.Buffer
	var calls int
	var last [2]int64
	d, err := c.MountedFileSystems.Download(context.Background(), "mfs/1", []string{"/var/log/syslog"}, &out, &DownloadOptions{
		Progress: func(written, total int64) { calls++; last = [2]int64{written, total} },
	})
	require.NoError(t, err, "a download is not bounded by WithMaxResponseBytes")
	req := captor.only(t)
	assertGolden(t, "download_file.json", req.Body)
	assert.Equal(t, "application/octet-stream, */*;q=0.5", req.Header.Get("Accept"))
	assert.Equal(t, content, out.Bytes())
	assert.Equal(t, &Download{FileName: "syslog", ContentType: "application/octet-stream", Size: int64(len(content)), Written: int64(len(content))}, d)
	assert.GreaterOrEqual(t, calls, 4, "progress per chunk of at most 256 KiB")
	assert.Equal(t, [2]int64{int64(len(content)), int64(len(content))}, last)
}

func TestDownloadArchiveOfUnknownSize(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondBytes(mt, "/mounted-file-systems/mfs-1/download", strings.NewReader("tar bytes"), -1,
		fileHeader("application/x-tar", `attachment; filename="log.tar"`))
	var out bytes.Buffer
	var total int64
	d, err := c.MountedFileSystems.Download(context.Background(), "mfs-1", []string{"/var/log/", "/etc/hostname"}, &out,
		&DownloadOptions{Progress: func(_, t int64) { total = t }})
	require.NoError(t, err)
	assert.JSONEq(t, `{"paths":["/var/log","/etc/hostname"]}`, string(captor.only(t).Body), "a directory without its trailing slash")
	assert.Equal(t, "log.tar", d.FileName)
	assert.Equal(t, int64(-1), d.Size)
	assert.Equal(t, int64(-1), total)
	assert.Equal(t, int64(9), d.Written)
}

func TestDownloadAnsweredWithJSON(t *testing.T) {
	c, mt := newTestClient(t)
	respondJSON(mt, http.MethodPost, "/mounted-file-systems/mfs-1/download", http.StatusOK, `{"message":"Mounted backup is being unmounted","status":200}`)
	var out bytes.Buffer
	d, err := c.MountedFileSystems.Download(context.Background(), "mfs-1", []string{"/etc/hostname"}, &out, nil)
	require.ErrorIs(t, err, ErrNotFileContent)
	assert.ErrorContains(t, err, "Mounted backup is being unmounted")
	assert.Zero(t, out.Len(), "nothing written")
	assert.Equal(t, "application/json", d.ContentType)
	var te *TransportError
	assert.False(t, errors.As(err, &te), "the server answered: not a transport error")
}

func TestDownloadErrors(t *testing.T) {
	c, mt := newTestClient(t)
	respondJSON(mt, http.MethodPost, "/mounted-file-systems/mfs-1/download", http.StatusNotFound, `{"message":"paths[0]: /nope not found","status":404}`)
	_, err := c.MountedFileSystems.Download(context.Background(), "mfs-1", []string{"/nope"}, io.Discard, nil)
	assert.ErrorIs(t, err, ErrNotFound)
	assert.ErrorContains(t, err, "/nope not found")

	respondBytes(mt, "/mounted-file-systems/mfs-2/download", strings.NewReader(strings.Repeat("x", 1<<20)), 1<<20,
		fileHeader("application/octet-stream", `attachment; filename="x"`))
	full := errors.New("disk full")
	d, err := c.MountedFileSystems.Download(context.Background(), "mfs-2", []string{"/x"}, &failingWriter{after: 300 << 10, err: full}, nil)
	assert.ErrorIs(t, err, full, "the writer's error, as it is")
	assert.Equal(t, int64(300<<10), d.Written)

	for _, tc := range []struct {
		field string
		paths []string
		w     io.Writer
		guid  string
	}{
		{"paths", nil, io.Discard, "mfs-1"},
		{"paths[1]", []string{"/a", "b"}, io.Discard, "mfs-1"},
		{"paths[0]", []string{"/a/../b"}, io.Discard, "mfs-1"},
		{"w", []string{"/a"}, nil, "mfs-1"},
		{"guid", []string{"/a"}, io.Discard, ""},
	} {
		_, err := c.MountedFileSystems.Download(context.Background(), tc.guid, tc.paths, tc.w, nil)
		requireArgError(t, err, tc.field)
	}
}

// failingWriter takes after bytes, then fails with err.
type failingWriter struct {
	after int
	err   error
}

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) <= w.after {
		w.after -= len(p)
		return len(p), nil
	}
	n := w.after
	w.after = 0
	return n, w.err
}

// slowReader yields its bytes in small pieces with a pause before each.
type slowReader struct {
	left  int
	pause time.Duration
}

func (r *slowReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	time.Sleep(r.pause)
	n := min(len(p), r.left, 100)
	r.left -= n
	return n, nil
}

func TestDownloadTimeoutBoundsOnlyTheAnswer(t *testing.T) {
	c, mt := newTestClient(t, WithTimeout(100*time.Millisecond))
	respondBytes(mt, "/mounted-file-systems/slow-body/download", &slowReader{left: 1000, pause: 30 * time.Millisecond}, 1000,
		fileHeader("application/octet-stream", `attachment; filename="f"`))
	start := time.Now()
	d, err := c.MountedFileSystems.Download(context.Background(), "slow-body", []string{"/f"}, io.Discard, nil)
	require.NoError(t, err, "a body longer than the timeout is fine")
	assert.Equal(t, int64(1000), d.Written)
	assert.Greater(t, time.Since(start), 250*time.Millisecond)

	mt.RegisterResponder(http.MethodPost, testBase+"/mounted-file-systems/no-answer/download", func(r *http.Request) (*http.Response, error) {
		<-r.Context().Done()
		return nil, r.Context().Err()
	})
	_, err = c.MountedFileSystems.Download(context.Background(), "no-answer", []string{"/f"}, io.Discard, nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "no answer within the timeout")
	assert.ErrorContains(t, err, "within the client timeout")
}

func TestDownloadCancelled(t *testing.T) {
	c, mt := newTestClient(t)
	respondBytes(mt, "/mounted-file-systems/mfs-1/download", &slowReader{left: 100_000, pause: time.Millisecond}, 100_000,
		fileHeader("application/octet-stream", `attachment; filename="f"`))
	ctx, cancel := context.WithCancel(context.Background())
	d, err := c.MountedFileSystems.Download(ctx, "mfs-1", []string{"/f"}, io.Discard, &DownloadOptions{Progress: func(written, _ int64) {
		if written >= 1000 {
			cancel()
		}
	}})
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorContains(t, err, "stopped after")
	assert.Less(t, d.Written, int64(100_000))
}

func TestDispositionFileName(t *testing.T) {
	for header, want := range map[string]string{
		`attachment; filename="report.docx"`:                "report.docx",
		`attachment; filename=report.docx`:                  "report.docx",
		`attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt`: "résumé.txt",
		`attachment; filename="../../etc/passwd"`:           "passwd",
		`attachment; filename="C:\\temp\\a.txt"`:            "a.txt",
		`attachment; filename=a b.txt; size=3`:              "a b.txt",
		`attachment`:                                        "",
		``:                                                  "",
		`attachment; filename=".."`:                         "",
	} {
		assert.Equal(t, want, dispositionFileName(header), header)
	}
}
