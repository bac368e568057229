package vprotect

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// authServer is a small cookie-session server for the session and transport
// tests: it checks credentials, hands out JSESSIONID cookies, and counts
// logins and hits. Handlers registered with handle need a session.
type authServer struct {
	*httptest.Server
	mux      *http.ServeMux
	password string

	mu       sync.Mutex
	sessions map[string]bool
	next     int

	logins    atomic.Int64
	loginHits atomic.Int64
}

const testPassword = "s3cret-Pa55"

func newAuthServer(t *testing.T) *authServer {
	t.Helper()
	s := &authServer{mux: http.NewServeMux(), password: testPassword, sessions: map[string]bool{}}
	s.mux.HandleFunc("POST /api/session/login", func(w http.ResponseWriter, r *http.Request) {
		s.loginHits.Add(1)
		var body loginBody
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Login != "admin" || body.Password != s.password {
			writeTestJSON(w, http.StatusUnauthorized, map[string]any{"message": "Invalid login or password", "status": 401})
			return
		}
		s.mu.Lock()
		s.next++
		id := fmt.Sprintf("cookie-value-%06d", s.next)
		s.sessions[id] = true
		s.mu.Unlock()
		s.logins.Add(1)
		http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: id, Path: "/", HttpOnly: true})
		writeTestJSON(w, http.StatusCreated, map[string]any{"requester": map[string]string{"guid": "u-1", "name": "admin"}})
	})
	s.mux.HandleFunc("POST /api/session/logout", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("JSESSIONID"); err == nil {
			s.mu.Lock()
			delete(s.sessions, c.Value)
			s.mu.Unlock()
		}
		w.WriteHeader(http.StatusNoContent)
	})
	s.handle("GET /api/session", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	s.Server = httptest.NewServer(s.mux)
	t.Cleanup(s.Close)
	return s
}

// handle registers a handler that answers 401 without a valid session.
func (s *authServer) handle(pattern string, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if !s.valid(r) {
			writeTestJSON(w, http.StatusUnauthorized, map[string]any{"message": "Unauthorized", "status": 401})
			return
		}
		h(w, r)
	})
}

func (s *authServer) valid(r *http.Request) bool {
	c, err := r.Cookie("JSESSIONID")
	if err != nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[c.Value]
}

// expire ends every session.
func (s *authServer) expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions = map[string]bool{}
}

func (s *authServer) client(t *testing.T, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithCredentials("admin", testPassword), WithRetry(RetryPolicy{MaxAttempts: 3})}
	c, err := New(s.URL, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func writeTestJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
