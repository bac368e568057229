package vprotecttest

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Fault makes the server misbehave for requests that match Pattern. Faults
// are checked before anything else (before the session check, so they also
// hit POST /session/login), in the order they were injected; the first
// matching fault applies and a faulted request never changes state. What is
// sent, in order of precedence:
//
//   - DropAfter: the request is served as usual (its changes are kept),
//     then the connection is closed without the answer: the case of a POST
//     that reached the server whose answer was lost. Delay does not apply.
//   - Drop: the connection is closed without a response.
//   - Truncate: Status (default 200) with a JSON body cut in the middle.
//   - HTML: Status (default 502) with a text/html error page that has a <title>.
//   - Status: that status with the JSON error body {"message","status"}.
//   - only Delay: the request waits, then is served normally.
//
// Delay applies first in every case (it ends early if the client gives up).
type Fault struct {
	// Pattern is a Go 1.22 ServeMux pattern without /api, e.g. "POST /tasks/export"
	// or "GET /virtual-machines/{guid}". A pattern without a method matches all.
	Pattern string
	// Status is the response status.
	Status int
	// Message is the error message (default: the status text).
	Message string
	// RetryAfter sets the Retry-After header, in whole seconds.
	RetryAfter time.Duration
	// Delay holds the response back.
	Delay time.Duration
	// Drop closes the connection without a response.
	Drop bool
	// DropAfter serves the request, then closes the connection without
	// sending the answer.
	DropAfter bool
	// Truncate answers with a truncated JSON body.
	Truncate bool
	// HTML answers with an HTML error page.
	HTML bool
	// Times is how many requests the fault applies to; 0 means until ClearFaults.
	Times int
}

type faultRec struct {
	f    Fault
	m    *patternMatcher
	left int
}

// InjectFault adds a fault. It panics on an invalid pattern.
func (s *Server) InjectFault(f Fault) {
	m := compilePattern(f.Pattern)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultRec{f: f, m: m, left: f.Times})
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// matchFaultLocked returns the fault for a request and uses up one of its
// times. s.mu is held.
func (s *Server) matchFaultLocked(method, rel string) *Fault {
	if rel == "" {
		return nil
	}
	for i, fr := range s.faults {
		if !fr.m.matches(method, rel) {
			continue
		}
		f := fr.f
		if fr.f.Times > 0 {
			fr.left--
			if fr.left <= 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &f
	}
	return nil
}

// applyFault sends the fault's response; false means "serve normally".
func (s *Server) applyFault(f *Fault, w http.ResponseWriter, raw http.ResponseWriter, r *http.Request) bool {
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true
		}
	}
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((f.RetryAfter+time.Second-1)/time.Second)))
	}
	switch {
	case f.Drop:
		dropConnection(raw)
		return true
	case f.Truncate:
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		body := []byte(`[{"guid":"00000000-0000-4000-8000-0000000`)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write(body)
		return true
	case f.HTML:
		status := f.Status
		if status == 0 {
			status = http.StatusBadGateway
		}
		title := fmt.Sprintf("%d %s", status, http.StatusText(status))
		body := fmt.Sprintf("<!DOCTYPE html>\n<html><head><title>%s</title></head><body><h1>%s</h1><p>%s</p></body></html>\n",
			title, title, cmp.Or(f.Message, "The proxy could not reach vProtect."))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
		return true
	case f.Status != 0:
		writeError(w, f.Status, cmp.Or(f.Message, http.StatusText(f.Status)))
		return true
	}
	return false
}

// dropConnection closes the connection of w without a response.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// discardWriter is the ResponseWriter of a request served under a
// DropAfter fault: the handler runs, its answer goes nowhere.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header {
	if d.h == nil {
		d.h = make(http.Header)
	}
	return d.h
}
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// patternMatcher matches requests against one ServeMux pattern.
type patternMatcher struct{ mux *http.ServeMux }

func compilePattern(pattern string) *patternMatcher {
	mux := http.NewServeMux()
	mux.HandleFunc(pattern, func(http.ResponseWriter, *http.Request) {})
	return &patternMatcher{mux: mux}
}

func (m *patternMatcher) matches(method, rel string) bool {
	r := &http.Request{Method: method, URL: &url.URL{Path: rel}, Header: http.Header{}}
	_, p := m.mux.Handler(r)
	return p != ""
}
