package vprotect

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vprotect-go/vprotect/internal/redact"
)

// Sentinel errors. An *APIError matches them with errors.Is according to its
// HTTP status, so callers can write errors.Is(err, vprotect.ErrNotFound).
var (
	// ErrBadRequest matches 400, 405 and 422 answers: the server rejected the request as invalid.
	ErrBadRequest = errors.New("vprotect: bad request")
	// ErrUnauthorized matches 401 answers: no valid session, even after one re-login.
	ErrUnauthorized = errors.New("vprotect: unauthorized")
	// ErrInvalidCredentials matches a 400 or 401 answer to the login call
	// itself: a real 7.x server answers bad credentials with 400, other
	// servers and proxies with 401. Such an error also matches
	// ErrUnauthorized (and a 400 ErrBadRequest, as every 400 does).
	ErrInvalidCredentials = errors.New("vprotect: invalid credentials")
	// ErrForbidden matches 403 answers.
	ErrForbidden = errors.New("vprotect: forbidden")
	// ErrNotFound matches 404 answers: an unknown GUID or route.
	ErrNotFound = errors.New("vprotect: not found")
	// ErrConflict matches 409 answers, for example a duplicate schedule or policy name.
	ErrConflict = errors.New("vprotect: conflict")
	// ErrRateLimited matches 429 answers.
	ErrRateLimited = errors.New("vprotect: rate limited")
	// ErrServer matches every 5xx answer.
	ErrServer = errors.New("vprotect: server error")
	// ErrResponseTooLarge is returned when a response body exceeds the limit
	// set with WithMaxResponseBytes. The body is not read beyond the limit.
	ErrResponseTooLarge = errors.New("vprotect: response body too large")
	// ErrEmptyResponse is matched (through a *TransportError) when a call
	// that returns one object, a Get for example, is answered with a 2xx
	// status and an empty, blank or null body: there is no object to return.
	ErrEmptyResponse = errors.New("vprotect: empty response")
	// ErrMaybeApplied is matched by the *TransportError of a request that
	// is not retried (a POST, or DELETE /tasks/{guid}) when the request may
	// have reached the server but no answer came back (the connection broke
	// or the call ran out of time after it was sent): the server may have
	// done the work. A request that was never sent (the dial or the TLS
	// handshake failed) does not match it. Check the state before sending it
	// again: c.Tasks.ListSince finds the tasks an export or a restore made.
	ErrMaybeApplied = errors.New("vprotect: request may have been applied")
)

const (
	// maxErrorBody bounds how much of an error body is read to find its message.
	maxErrorBody = 64 << 10
	// maxExcerpt bounds the body excerpt kept in an APIError.
	maxExcerpt = 512
	// maxMessage bounds the server message kept in an APIError.
	maxMessage = 400
	// maxErrorText bounds APIError.Error().
	maxErrorText = 1000
)

// APIError is returned for every answer with a status of 400 or more.
type APIError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Method and Path identify the request (the path is relative to the API root).
	Method string
	Path   string
	// Message is the server's message, taken from the JSON "message" member,
	// then "error.message", then a text body or an HTML page's title.
	Message string
	// Body is a bounded excerpt of the response body, with secrets removed.
	Body string
	// Attempts is how many times the request was sent.
	Attempts int

	// login marks an answer to the login call, where 400 and 401 mean bad
	// credentials.
	login bool
}

// invalidCredentials reports whether the error is a login refused for bad
// credentials: a 400 (what a 7.x server answers) or 401 to the login call.
func (e *APIError) invalidCredentials() bool {
	return e.login && (e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnauthorized)
}

// Error returns a one-line description of at most 1000 bytes. Control and
// line-breaking characters of the server's message are escaped.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "vprotect: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.invalidCredentials() {
		b.WriteString(" (invalid credentials)")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return truncate(escapeControls(b.String()), maxErrorText)
}

// Is reports whether the error matches one of the package's sentinel errors.
func (e *APIError) Is(target error) bool {
	if e.invalidCredentials() && (target == ErrInvalidCredentials || target == ErrUnauthorized) {
		return true
	}
	switch target {
	case ErrInvalidCredentials:
		return false
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	case nil:
		return false
	}
	return target == sentinelFor(e.StatusCode)
}

// sentinelFor maps a status to its sentinel (nil when there is none).
func sentinelFor(status int) error {
	switch status {
	case http.StatusBadRequest, http.StatusMethodNotAllowed, http.StatusUnprocessableEntity:
		return ErrBadRequest
	case http.StatusUnauthorized:
		return ErrUnauthorized
	case http.StatusForbidden:
		return ErrForbidden
	case http.StatusNotFound:
		return ErrNotFound
	case http.StatusConflict:
		return ErrConflict
	case http.StatusTooManyRequests:
		return ErrRateLimited
	}
	if status >= 500 && status <= 599 {
		return ErrServer
	}
	return nil
}

// newAPIError builds an APIError from a status, a content type and the first
// bytes of the body (at most maxErrorBody). Secret members and the given
// secrets (the password, the session cookies) are masked in the body and,
// once it is decoded, in the message too: a server may echo the request.
func newAPIError(method, path string, status int, contentType string, body []byte, attempts int, secrets ...string) *APIError {
	body = redact.JSON(redact.Values(body, secrets...))
	msg := redact.JSON(redact.Values([]byte(errorMessage(contentType, body)), secrets...))
	return &APIError{
		StatusCode: status,
		Method:     method,
		Path:       path,
		Message:    truncate(string(msg), maxMessage),
		Body:       truncate(string(body), maxExcerpt),
		Attempts:   attempts,
	}
}

var (
	htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	htmlTag   = regexp.MustCompile(`(?s)<[^>]*>`)
	spaces    = regexp.MustCompile(`\s+`)
)

// errorMessage finds the human message in an error body: the JSON "message"
// member, then "error.message", then an HTML page's title, then the text itself.
func errorMessage(contentType string, body []byte) string {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return ""
	}
	if trimmed[0] == '{' {
		var m struct {
			Message json.RawMessage `json:"message"`
			Error   json.RawMessage `json:"error"`
		}
		if json.Unmarshal(trimmed, &m) == nil {
			if s := jsonString(m.Message); s != "" {
				return s
			}
			var inner struct {
				Message json.RawMessage `json:"message"`
			}
			if json.Unmarshal(m.Error, &inner) == nil {
				if s := jsonString(inner.Message); s != "" {
					return s
				}
			}
			if s := jsonString(m.Error); s != "" {
				return s
			}
		}
	}
	if strings.Contains(contentType, "html") || bytes.HasPrefix(trimmed, []byte("<")) {
		if t := htmlTitle.FindSubmatch(trimmed); t != nil {
			return collapse(html.UnescapeString(string(t[1])))
		}
		return collapse(html.UnescapeString(htmlTag.ReplaceAllString(string(trimmed), " ")))
	}
	return collapse(string(trimmed))
}

// jsonString returns raw as a string when it is a JSON string.
func jsonString(raw json.RawMessage) string {
	var s string
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return collapse(s)
}

func collapse(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// truncate cuts s to at most n bytes on a rune boundary, marking the cut,
// and replaces invalid UTF-8.
func truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	const mark = "…"
	cut := n - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}

// escapeControls replaces every control character (NUL, ESC, VT, DEL, the
// C1 range with NEL), line and paragraph separator (U+2028, U+2029) and
// bidirectional control in s by its Go escape (\x00, \u2028), so that an
// error stays one line that cannot rewrite a terminal or a log. Invalid
// UTF-8 becomes U+FFFD.
func escapeControls(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	clean := true
	for _, r := range s {
		if unsafeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !unsafeRune(r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRuneToASCII(r) // '\x00', '\u2028'
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp, unicode.Bidi_Control)
}

// ArgumentError reports a bad argument, found before any request was sent.
type ArgumentError struct {
	// Field names the argument or request field, e.g. "guid" or "ExportRequest.Priority".
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error returns "vprotect: invalid <field>: <reason>".
func (e *ArgumentError) Error() string {
	return "vprotect: invalid " + e.Field + ": " + e.Reason
}

// argError is a short constructor for *ArgumentError.
func argError(field, format string, args ...any) error {
	return &ArgumentError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// TransportError is returned when no HTTP answer was received: the connection
// failed, the context ended, or the body could not be read. It wraps the cause,
// so errors.Is(err, context.DeadlineExceeded) works.
type TransportError struct {
	Method   string
	Path     string
	Attempts int
	Err      error

	// maybeApplied: a request that is not retried may have reached the server.
	maybeApplied bool
}

// Is reports whether target is ErrMaybeApplied and the request, sent once,
// may have been applied.
func (e *TransportError) Is(target error) bool { return target == ErrMaybeApplied && e.maybeApplied }

// neverSent reports whether err shows the request never left the client:
// the connection could not be made (dial or TLS handshake), or the rate
// limiter gave up before the attempt.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		verification     *tls.CertificateVerificationError
		record           tls.RecordHeaderError
	)
	return errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalid) ||
		errors.As(err, &verification) || errors.As(err, &record)
}

// Error describes the failed request and its cause.
func (e *TransportError) Error() string {
	s := fmt.Sprintf("vprotect: %s %s: %v", e.Method, e.Path, e.Err)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return truncate(escapeControls(s), maxErrorText)
}

// Unwrap returns the cause.
func (e *TransportError) Unwrap() error { return e.Err }

// isStatus reports whether err is an *APIError with the given status.
func isStatus(err error, status int) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == status
}
