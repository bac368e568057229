package vprotect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/vprotect-go/vprotect/internal/redact"
)

// ErrNotFileContent is returned by Download when the server answers a
// download with JSON (a message, a listing) instead of the file's bytes.
// Nothing is written to the caller's writer then.
var ErrNotFileContent = errors.New("vprotect: the server answered JSON instead of file contents")

// downloadBuffer is the size of the buffer a download is copied through.
const downloadBuffer = 256 << 10

// DownloadOptions are the options of a download. A nil *DownloadOptions
// has none.
type DownloadOptions struct {
	// Progress, if set, is called on the caller's goroutine after every
	// chunk written to the writer, with the bytes written so far and the
	// total (-1 when the server does not say). It is called often (every
	// 256 KiB at most): throttle what it prints.
	Progress func(written, total int64)
}

// Download describes a finished (or broken-off) download.
type Download struct {
	// FileName is the name the server gave the download (Content-Disposition),
	// "" when it gave none. It is a base name: any directory part is cut.
	FileName string
	// ContentType is the answer's media type, e.g. application/octet-stream.
	ContentType string
	// Size is the length the server announced, -1 when it did not (an
	// archive streamed as it is made).
	Size int64
	// Written is the number of bytes written to the writer.
	Written int64
}

// downloadBody is the body of a download: the paths to download.
type downloadBody struct {
	Paths []string `json:"paths"`
}

// newDownloadBody checks the paths (at least one, each absolute and clean)
// and builds the body; directories are sent without a trailing slash, as
// the vendor UI sends them.
func newDownloadBody(paths []string) (*downloadBody, error) {
	if len(paths) == 0 {
		return nil, argError("paths", "must name at least one file or directory")
	}
	b := &downloadBody{Paths: make([]string, len(paths))}
	for i, p := range paths {
		clean, err := checkFilePath(indexed("paths", i), p)
		if err != nil {
			return nil, err
		}
		b.Paths[i] = clean
	}
	return b, nil
}

// errNoAnswer is why a download's context ends when the client's timeout
// passes before the answer starts.
var errNoAnswer = errors.New("no answer within the client timeout")

// Download downloads paths (absolute, files or directories) of the mounted
// file system guid and streams the answer to w as it arrives: the body is
// never held in memory and is not bounded by WithMaxResponseBytes. One
// regular file comes back as its bytes; several paths or a directory as one
// archive whose format the server chooses (vprotecttest sends tar). The
// returned Download says the server's file name (Content-Disposition), the
// announced size and what was written; it is returned with an error too,
// saying how far the download got.
//
// The client's timeout (WithTimeout) bounds only the wait for the answer
// to start; the body takes as long as it takes, until ctx ends. Cancelling
// ctx stops the download at once (the error wraps ctx's error). An answer
// in JSON instead of bytes is ErrNotFileContent, with the server's message;
// an error status is an *APIError as for every call; a failed write to w
// is returned as it is. The request is not retried (a POST).
//
// vProtect API: POST /mounted-file-systems/{guid}/download
func (s *MountedFileSystemsService) Download(ctx context.Context, guid string, paths []string, w io.Writer, opts *DownloadOptions) (*Download, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	if w == nil {
		return nil, argError("w", "must not be nil")
	}
	body, err := newDownloadBody(paths)
	if err != nil {
		return nil, err
	}
	if ctx == nil {
		return nil, argError("ctx", "must not be nil")
	}
	c := s.client
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var timer *time.Timer
	if c.cfg.timeout > 0 {
		timer = time.AfterFunc(c.cfg.timeout, func() { cancel(errNoAnswer) })
	}
	out := &Download{Size: -1}
	var failed error // not a transport error: JSON instead of bytes, or w failed
	p := mountedFSPath(guid) + "/download"
	_, err = c.do(ctx, &request{
		method: http.MethodPost,
		path:   p,
		body:   body,
		accept: "application/octet-stream, */*;q=0.5",
		download: func(hr *http.Response) error {
			if timer != nil {
				timer.Stop() // the answer has started: only ctx bounds the body now
			}
			out.ContentType, _, _ = mime.ParseMediaType(hr.Header.Get("Content-Type"))
			if isJSONMediaType(out.ContentType) {
				excerpt, _ := io.ReadAll(io.LimitReader(hr.Body, maxErrorBody))
				msg := redact.JSON(redact.Values([]byte(errorMessage(out.ContentType, excerpt)), c.secrets(hr)...))
				failed = fmt.Errorf("%w: POST %s answered %d with %s: %s", ErrNotFileContent, p, hr.StatusCode,
					out.ContentType, truncate(escapeControls(string(msg)), maxMessage))
				return failed
			}
			out.FileName = dispositionFileName(hr.Header.Get("Content-Disposition"))
			out.Size = hr.ContentLength
			pw := &progressWriter{ctx: ctx, w: w, d: out}
			if opts != nil {
				pw.progress = opts.Progress
			}
			// The body hides any WriterTo, so that it is copied (and
			// progress reported) in chunks of the buffer's size.
			_, err := io.CopyBuffer(pw, struct{ io.Reader }{hr.Body}, make([]byte, downloadBuffer))
			switch {
			case pw.stopped != nil:
				failed = fmt.Errorf("vprotect: POST %s: stopped after %d bytes: %w", p, out.Written, pw.stopped)
			case pw.err != nil:
				failed = pw.err
			}
			if failed != nil {
				return failed
			}
			return err
		},
	})
	switch {
	case failed != nil:
		return out, failed
	case err != nil && errors.Is(context.Cause(ctx), errNoAnswer):
		return out, fmt.Errorf("vprotect: POST %s: %w within the client timeout (%s): %w", p, errNoAnswer, c.cfg.timeout, context.DeadlineExceeded)
	case err != nil:
		return out, err
	}
	return out, nil
}

// isJSONMediaType reports whether a media type is JSON (application/json
// or a +json type).
func isJSONMediaType(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// dispositionFileName finds the file name in a Content-Disposition header:
// the filename parameter (or filename*), else what the vendor UI finds with
// its regular expression filename=([^;]+) (quotes trimmed). Only the base
// name is kept; "" when there is none.
func dispositionFileName(cd string) string {
	name := ""
	if _, params, err := mime.ParseMediaType(cd); err == nil {
		name = params["filename"]
	} else if m := loosefileName.FindStringSubmatch(cd); m != nil {
		name = strings.Trim(strings.TrimSpace(m[1]), `"`)
	}
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || name == ".." {
		return ""
	}
	return name
}

// loosefileName is how the vendor UI finds the name in a header that does
// not parse.
var loosefileName = regexp.MustCompile(`filename=([^;]+)`)

// progressWriter writes to w, counts into d and reports progress; it stops
// when ctx ends, whatever the transport does.
type progressWriter struct {
	ctx      context.Context
	w        io.Writer
	d        *Download
	progress func(written, total int64)
	err      error // the first error of w
	stopped  error // ctx's error, when it ended the copy
}

func (p *progressWriter) Write(b []byte) (int, error) {
	if err := p.ctx.Err(); err != nil {
		p.stopped = err
		return 0, err
	}
	n, err := p.w.Write(b)
	p.d.Written += int64(n)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	if err != nil {
		p.err = err
		return n, err
	}
	if p.progress != nil {
		p.progress(p.d.Written, p.d.Size)
	}
	return n, nil
}
