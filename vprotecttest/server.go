package vprotecttest

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is an in-memory, stateful fake vProtect server. All its methods are
// safe for concurrent use.
type Server struct {
	cfg       *config
	gen       *generation // cfg.gen: the server version's behaviour
	hs        *httptest.Server
	mux       *http.ServeMux
	closeOnce sync.Once

	mu       sync.Mutex // guards everything below
	st       *state
	sim      time.Time // the time the state has been simulated up to
	sessions *sessionStore
	users    map[string]*user
	faults   []*faultRec
	forced   []forcedOutcome
	requests []RecordedRequest
	reqSeq   uint64
	reqBytes int64 // recordSize of every logged request
	logins   int
	expiries int
}

// New starts a fake vProtect server on a loopback port (see the options)
// and returns it, or an error when an option is invalid: an unreadable or
// invalid seed file, an unknown task type in WithTaskDurations, a task
// model out of range, an address it cannot listen on. Close it when done.
func New(opts ...Option) (*Server, error) {
	return newServer(opts...)
}

// NewServer is New for programs and examples whose options cannot fail
// (no seed file, no listen address): it panics where New returns an error.
func NewServer(opts ...Option) *Server {
	s, err := New(opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// Start is New for tests: it fails t on a bad option and closes the server
// when the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := New(opts...)
	if err != nil {
		t.Fatalf("%v", err)
	}
	t.Cleanup(s.Close)
	return s
}

func newServer(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o == nil {
			cfg.invalid("nil Option")
			continue
		}
		o(cfg)
	}
	if err := errors.Join(cfg.errs...); err != nil {
		return nil, err
	}
	if len(cfg.users) == 0 {
		return nil, errors.New("vprotecttest: at least one user is required")
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	now := cfg.clock.Now()
	s := &Server{cfg: cfg, gen: cfg.gen, st: newState(), sim: now, sessions: newSessionStore()}
	var seed Seed
	switch {
	case cfg.seed != nil:
		seed = *cfg.seed
	case cfg.seedFile != "":
		sd, err := LoadSeedFile(cfg.seedFile)
		if err != nil {
			return nil, err
		}
		seed = sd
	case cfg.emptySeed:
	default:
		seed = DemoSeedAt(now)
		if cfg.noHistory {
			seed.Tasks = nil
		}
	}
	if err := s.st.load(seed, now); err != nil {
		return nil, fmt.Errorf("vprotecttest: %w", err)
	}
	s.st.cleanupEval = now
	s.initUsers()
	s.mux = s.routes()
	s.hs = httptest.NewUnstartedServer(s.withCORS(http.HandlerFunc(s.serve)))
	if cfg.listenAddr != "" {
		l, err := net.Listen("tcp", cfg.listenAddr)
		if err != nil {
			s.hs.Listener.Close()
			return nil, fmt.Errorf("vprotecttest: listen: %w", err)
		}
		s.hs.Listener.Close()
		s.hs.Listener = l
	}
	hc := s.hs.Config
	hc.ErrorLog = slog.NewLogLogger(cfg.logger.Handler(), slog.LevelDebug)
	hc.ReadHeaderTimeout, hc.ReadTimeout = cfg.limits.ReadHeaderTimeout, cfg.limits.ReadTimeout
	hc.IdleTimeout, hc.MaxHeaderBytes = cfg.limits.IdleTimeout, cfg.limits.MaxHeaderBytes
	if cfg.tls {
		cert, err := newCertificate(cfg.tlsHosts, time.Now())
		if err != nil {
			s.hs.Listener.Close()
			return nil, err
		}
		s.hs.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		s.hs.StartTLS()
	} else {
		s.hs.Start()
	}
	return s, nil
}

// URL returns the API base URL, e.g. http://127.0.0.1:PORT/api.
func (s *Server) URL() string { return s.hs.URL + "/api" }

// Close stops the server, waits for running requests and closes idle client
// connections of HTTPClient. It is safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.hs.CloseClientConnections()
		s.hs.Close()
		s.hs.Client().CloseIdleConnections()
	})
}

// HTTPClient returns an http.Client for the server; in TLS mode it trusts the
// server's certificate. It has no cookie jar: add one to keep the session.
func (s *Server) HTTPClient() *http.Client { return s.hs.Client() }

// CertificatePEM returns the server certificate in PEM form (TLS mode), or nil.
func (s *Server) CertificatePEM() []byte {
	if !s.cfg.tls || s.hs.Certificate() == nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.hs.Certificate().Raw})
}

// apiPrefix is the path prefix of every route.
const apiPrefix = "/api"

// serve is the one request path: body limit, recording, faults, then the
// session check and the route handler under the state lock.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	now := s.cfg.clock.Now()
	rel, ok := relPath(r.URL.Path)
	body, bodyErr := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.maxBody))
	if bodyErr == nil { // ReadTimeout bounds the request, not the answer: a delay fault may outlast it
		_ = http.NewResponseController(w).SetReadDeadline(time.Time{})
	}
	cw := &statusWriter{ResponseWriter: w}
	defer func() {
		s.cfg.logger.Debug("vprotecttest request", "method", r.Method, "path", r.URL.Path, "status", cw.status)
	}()

	// One critical section per request (the lock is what the server's
	// throughput hangs on): record, fault check, session, routing, handler.
	s.mu.Lock()
	rec := s.newRecord(r, rel, body, now)
	s.recordLocked(rec)
	f := s.matchFaultLocked(r.Method, rel)
	if f != nil && f.DropAfter {
		// Serve into nowhere, then close the connection once the lock is
		// released (this defer runs after the Unlock below).
		defer dropConnection(w)
		cw = &statusWriter{ResponseWriter: &discardWriter{}}
	} else if f != nil {
		s.mu.Unlock() // a fault may delay or hijack: never under the lock
		handled := s.applyFault(f, cw, w, r)
		s.mu.Lock()
		if handled {
			s.finishRecordLocked(rec, cw.status)
			s.mu.Unlock()
			return
		}
	}
	// A streamed body (a download) is written after the lock is released:
	// this defer runs after the unlock below.
	var stream func()
	defer func() {
		if stream != nil {
			stream()
		}
	}()
	defer s.mu.Unlock()
	defer func() { s.finishRecordLocked(rec, cw.status) }()

	if s.bodyProblem(cw, bodyErr) {
		return
	}
	if !ok {
		writeError(cw, http.StatusNotFound, noRoute(r.Method, r.URL.Path))
		return
	}
	s.advance(now)
	if r2, ok := s.sessionRequest(cw, r, rel, body, now); ok {
		s.dispatch(cw, r2.WithContext(context.WithValue(r2.Context(), streamKey{}, &stream)), r.URL.Path, rec)
	}
}

// bodyProblem answers a body that could not be read (413 past the limit,
// else 400) and reports whether it did.
func (s *Server) bodyProblem(w http.ResponseWriter, bodyErr error) bool {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(bodyErr, &mbe):
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", s.cfg.maxBody))
	case bodyErr != nil:
		writeError(w, http.StatusBadRequest, "cannot read request body")
	default:
		return false
	}
	return true
}

// sessionRequest is the request a route sees: its path relative to /api,
// the body read again, and the session's login in its context. Every route
// but the login needs a live session: without one it answers 401 and ok is
// false. s.mu is held.
func (s *Server) sessionRequest(w http.ResponseWriter, r *http.Request, rel string, body []byte, now time.Time) (*http.Request, bool) {
	u := *r.URL
	u.Path, u.RawPath = rel, ""
	r2 := r.Clone(r.Context())
	r2.URL = &u
	r2.Body = io.NopCloser(bytes.NewReader(body))
	if sessionless[rel] {
		return r2, true
	}
	sess, ok := s.checkSession(r, now)
	if !ok {
		writeError(w, http.StatusUnauthorized, "Unauthorized: no valid session, log in with POST /api/session/login")
		return nil, false
	}
	return r2.WithContext(context.WithValue(r2.Context(), loginKey{}, sess.login)), true
}

// dispatch serves r through its route, or answers 405 (with Allow) for a
// known path with another method and 404 naming the method and path, the
// path as received, for an unknown one. s.mu is held.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, path string, rec *RecordedRequest) {
	pattern := s.routeFor(r)
	if pattern == "" {
		if allow := s.allowedMethods(r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s not allowed on %s (allowed: %s)", r.Method, path, strings.Join(allow, ", ")))
			return
		}
		writeError(w, http.StatusNotFound, noRoute(r.Method, path))
		return
	}
	rec.Pattern = pattern
	s.mux.ServeHTTP(w, r)
}

// relPath strips /api and a trailing slash; ok is false outside /api.
func relPath(p string) (string, bool) {
	if p != apiPrefix && !strings.HasPrefix(p, apiPrefix+"/") {
		return "", false
	}
	rel := strings.TrimPrefix(p, apiPrefix)
	if len(rel) > 1 {
		rel = strings.TrimSuffix(rel, "/")
	}
	if rel == "" || rel == "/" {
		return "", false
	}
	// An unclean path (/api/tasks/../nodes, //nodes) is no route: ServeMux
	// would answer it with an HTML redirect to a path outside /api.
	if path.Clean(rel) != rel {
		return "", false
	}
	return rel, true
}

// noRoute is the message of a 404 for a request the fake does not serve.
func noRoute(method, path string) string {
	return fmt.Sprintf("no route for %s %s", method, path)
}

// routeFor returns the pattern that serves r (its path relative to /api),
// or "" when none does. A {guid} wildcard never stands for one of the API's
// literal words, so POST /policies/vm-backup/list-by-entities is never taken
// for a policy GUID.
func (s *Server) routeFor(r *http.Request) string {
	_, pattern := s.mux.Handler(r)
	if pattern == "" || wildcardIsLiteral(pattern, r.URL.Path) {
		return ""
	}
	return pattern
}

// wildcardIsLiteral reports whether a wildcard segment of pattern ("GET
// /tasks/{guid}") meets one of the API's literal words in path.
func wildcardIsLiteral(pattern, path string) bool {
	_, pp, _ := strings.Cut(pattern, " ")
	ps, segs := strings.Split(pp, "/"), strings.Split(path, "/")
	for i, p := range ps {
		if strings.HasPrefix(p, "{") && i < len(segs) && literalSegments[segs[i]] {
			return true
		}
	}
	return false
}

// literalSegments are the fixed words of the API's paths (reference
// sections 2 and 7x 2-8) at places where other routes take a GUID, served
// by the fake or not.
var literalSegments = set(
	"login", "login-with-token", "logout", "user", // /session/...
	"detailed", "all-non-present", "incremental-not-possible", // /virtual-machines/...
	"export", "restore", "restore-and-import", "restore-and-mount", "mount", "unmount", "delete",
	"inventory-sync", "vm-snapshot", "all-finished", "all-finished-and-queued", "all-running", // /tasks/...
	"list-by-entities", "auto-assignment-preview", // /policies/vm-backup/...
	"usable-for-vms", "warnings-acknowledged", "shared", "mark-backups", "for-restore",
)

// allowedMethods lists the methods a path is routed for.
func (s *Server) allowedMethods(r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if s.routeFor(probe) != "" {
			out = append(out, m)
		}
	}
	return out
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// loginKey carries the session's login in a request context.
type loginKey struct{}
