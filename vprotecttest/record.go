package vprotecttest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/vprotect-go/vprotect/internal/redact"
)

// RecordedRequest is one request the server received. The session cookie
// value is never kept, and neither is the body of a request that had no
// valid session (see Body).
type RecordedRequest struct {
	Method string
	// Path is the URL path as received, including /api.
	Path string
	// RawQuery is the undecoded query string.
	RawQuery string
	// Body is the request body, kept only for requests with a valid session
	// and for logins, with every secret member ("password" in any letter
	// case, however often and however deeply nested, "token", ...) reading
	// "***", and "value" too in a body sent to a path ending in password
	// (.../password, .../ssh-password). A login
	// body that is not JSON, the body of any other request without a valid
	// session, and a body over the log's byte bound are nil.
	Body []byte
	// Time is the server clock when the request arrived.
	Time time.Time
	// HasSession reports whether a session cookie was sent (valid or not).
	HasSession bool
	// Pattern is the route that served it, e.g. "GET /tasks/{guid}" ("" for
	// faults, 401s, 404s and 405s).
	Pattern string
	// Status is the response status (0 when the connection was dropped).
	Status int

	rel string
	id  uint64
}

// Bounds of the request log, so that a long-running fake (cmd/vprotect-fake)
// does not grow without end. Past either bound the oldest requests are
// dropped until the log is at half of both; Requests and Calls see what is
// left. WithMaxRecordedRequests and WithMaxRecordedBytes change them.
const (
	// MaxRecordedRequests is the default bound on the number of requests.
	MaxRecordedRequests = 100_000
	// DefaultMaxRecordedBytes is the default bound on the bytes the log holds
	// (the sum of every recorded Path, RawQuery and Body): 16 MiB.
	DefaultMaxRecordedBytes = 16 << 20
)

// sessionless are the paths served without a session: the logins.
var sessionless = map[string]bool{"/session/login": true, "/session/login-with-token": true}

// newRecord describes a request for the log. It runs under s.mu, where the
// session r names is current.
func (s *Server) newRecord(r *http.Request, rel string, body []byte, now time.Time) *RecordedRequest {
	_, err := r.Cookie(sessionCookie)
	rec := &RecordedRequest{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Time: now, HasSession: err == nil, rel: rel}
	_, sess, expired := s.sessionOf(r, now)
	switch {
	case len(body) == 0:
	case sessionless[rel]:
		if json.Valid(body) {
			rec.Body = redact.JSON(bytes.Clone(body))
		}
	case sess != nil && !expired:
		rec.Body = redact.Request(rel, bytes.Clone(body))
	}
	return rec
}

// recordSize is what a record counts against the log's byte bound.
func recordSize(rec *RecordedRequest) int64 {
	return int64(len(rec.Path) + len(rec.RawQuery) + len(rec.Body))
}

// recordLocked appends a request to the log, first dropping the oldest
// requests when it is full. s.mu is held.
func (s *Server) recordLocked(rec *RecordedRequest) {
	s.reqSeq++
	rec.id = s.reqSeq
	maxN, maxBytes := s.cfg.maxRecorded, s.cfg.maxRecordedBytes
	if recordSize(rec) > maxBytes {
		rec.Body = nil
	}
	size := recordSize(rec)
	if len(s.requests) >= maxN || s.reqBytes+size > maxBytes {
		drop := 0
		for drop < len(s.requests) && (len(s.requests)-drop > maxN/2 || s.reqBytes > maxBytes/2) {
			s.reqBytes -= recordSize(&s.requests[drop])
			drop++
		}
		s.requests = append(make([]RecordedRequest, 0, maxN/2+1), s.requests[drop:]...)
	}
	s.requests = append(s.requests, *rec)
	s.reqBytes += size
}

// finishRecordLocked stores the status and pattern of a recorded request.
// s.mu is held.
func (s *Server) finishRecordLocked(rec *RecordedRequest, status int) {
	for i := len(s.requests) - 1; i >= 0; i-- {
		q := &s.requests[i]
		if q.id == rec.id {
			q.Status, q.Pattern = status, rec.Pattern
			return
		}
	}
}

// Requests returns a copy of the request log (the newest requests, within
// the log's bounds).
func (s *Server) Requests() []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RecordedRequest, len(s.requests))
	for i, r := range s.requests {
		r.Body = append([]byte(nil), r.Body...)
		out[i] = r
	}
	return out
}

// ResetRequests clears the request log (Calls counts restart at zero).
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests, s.reqBytes = nil, 0
}

// Calls counts logged requests that match a Go 1.22 ServeMux pattern written
// without the /api prefix, e.g. "POST /tasks/export" or "GET /tasks/{guid}".
// A pattern without a method matches every method. It panics on an invalid
// pattern.
func (s *Server) Calls(pattern string) int {
	m := compilePattern(pattern)
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.rel != "" && m.matches(r.Method, r.rel) {
			n++
		}
	}
	return n
}
