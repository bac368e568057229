package vprotecttest

import (
	"encoding/json"
	"net/http"
	"time"
)

// RecordedRequest is one request the server received. The login password is
// replaced by "***" and the session cookie value is never kept.
type RecordedRequest struct {
	Method string
	// Path is the URL path as received, including /api.
	Path string
	// RawQuery is the undecoded query string.
	RawQuery string
	// Body is the request body; any top-level "password" field reads "***".
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

// newRecord describes a request for the log (the password redacted).
func newRecord(r *http.Request, rel string, body []byte, now time.Time) *RecordedRequest {
	_, err := r.Cookie(sessionCookie)
	return &RecordedRequest{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Body: redact(body),
		Time: now, HasSession: err == nil, rel: rel}
}

// MaxRecordedRequests bounds the request log, so that a long-running fake
// (cmd/vprotect-fake) does not grow without end: past it, the oldest half is
// dropped. Requests and Calls see what is left.
const MaxRecordedRequests = 100_000

// recordLocked appends a request to the log. s.mu is held.
func (s *Server) recordLocked(rec *RecordedRequest) {
	s.reqSeq++
	rec.id = s.reqSeq
	if len(s.requests) >= MaxRecordedRequests {
		keep := s.requests[len(s.requests)-MaxRecordedRequests/2:]
		s.requests = append(make([]RecordedRequest, 0, MaxRecordedRequests), keep...)
	}
	s.requests = append(s.requests, *rec)
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

// redact replaces a top-level "password" field of a JSON object with "***".
func redact(body []byte) []byte {
	if len(body) == 0 {
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return append([]byte(nil), body...)
	}
	if _, ok := m["password"]; !ok {
		return append([]byte(nil), body...)
	}
	m["password"] = json.RawMessage(`"***"`)
	b, _ := json.Marshal(m)
	return b
}

// Requests returns a copy of the request log (at most the last
// MaxRecordedRequests requests).
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
	s.requests = nil
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
