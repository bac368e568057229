package vprotect

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/vprotect-go/vprotect/internal/redact"
)

// maxDumpBody bounds the part of a body shown in a debug dump.
const maxDumpBody = 4 << 10

// logger writes the client's request log. A nil *logger, or one without a
// slog.Logger, writes nothing. Nothing it writes holds the password or the
// session cookie.
type logger struct {
	l     *slog.Logger
	debug bool
	// secrets returns the values to mask in a dump besides secret members:
	// the password and the session cookies (see Client.secrets).
	secrets func(*http.Response) []string
}

func newLogger(l *slog.Logger, debug bool, secrets func(*http.Response) []string) *logger {
	if l == nil {
		return nil
	}
	return &logger{l: l, debug: debug, secrets: secrets}
}

// attempt logs one line per attempt: method, path, status, duration, attempt.
func (lg *logger) attempt(ctx context.Context, r *request, hr *http.Response, err error, attempt int, d time.Duration) {
	if lg == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.method),
		slog.String("path", r.path),
		slog.Duration("duration", d),
		slog.Int("attempt", attempt),
	}
	if err != nil {
		// Transport errors name the URL, which holds no secret; never the body.
		lg.l.LogAttrs(ctx, slog.LevelWarn, "vprotect request failed", append(attrs, slog.String("error", err.Error()))...)
		return
	}
	level := slog.LevelInfo
	if hr.StatusCode >= 400 {
		level = slog.LevelWarn
	}
	lg.l.LogAttrs(ctx, level, "vprotect request", append(attrs, slog.Int("status", hr.StatusCode))...)
}

// dumpRequest logs the request body at debug level, passwords masked (the
// "value" of a PUT to a path ending in password too: redact.Request).
func (lg *logger) dumpRequest(ctx context.Context, r *request, body []byte) {
	if lg == nil || !lg.debug {
		return
	}
	lg.l.LogAttrs(ctx, slog.LevelDebug, "vprotect request dump",
		slog.String("method", r.method),
		slog.String("path", r.path),
		slog.String("query", r.query.Encode()),
		slog.String("body", excerpt(redact.Request(r.path, redact.Values(body, lg.secrets(nil)...)))))
}

// dumpResponse logs the status, headers (cookies masked) and the start of
// the body at debug level. It reads the body and puts it back.
func (lg *logger) dumpResponse(ctx context.Context, r *request, hr *http.Response) {
	if lg == nil || !lg.debug || hr == nil {
		return
	}
	if r.download != nil { // file contents: not for a log, and not to be held back
		lg.l.LogAttrs(ctx, slog.LevelDebug, "vprotect response dump",
			slog.String("method", r.method), slog.String("path", r.path), slog.Int("status", hr.StatusCode),
			slog.Any("header", redact.Header(hr.Header)), slog.String("body", "(download, not logged)"))
		return
	}
	head := make([]byte, maxDumpBody)
	n, _ := io.ReadFull(hr.Body, head)
	head = head[:n]
	hr.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), hr.Body), hr.Body}
	lg.l.LogAttrs(ctx, slog.LevelDebug, "vprotect response dump",
		slog.String("method", r.method),
		slog.String("path", r.path),
		slog.Int("status", hr.StatusCode),
		slog.Any("header", redact.Header(hr.Header)),
		slog.String("body", excerpt(redact.JSON(redact.Values(head, lg.secrets(hr)...)))))
}

func excerpt(b []byte) string { return truncate(string(b), maxDumpBody) }
