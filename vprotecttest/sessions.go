package vprotecttest

import (
	"container/list"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"time"
)

// sessionCookie is the name of the session cookie (Payara's default).
const sessionCookie = "JSESSIONID"

type session struct {
	id       string
	login    string
	lastUsed time.Time
}

// sessionStore holds the live sessions in a map and in a list ordered by
// last use, the least recently used at the back: a login flood evicts from
// the back in O(1), so sessions stay bounded (WithMaxSessions) without a scan.
type sessionStore struct {
	byID map[string]*list.Element // values are *session
	lru  *list.List
}

func newSessionStore() *sessionStore {
	return &sessionStore{byID: map[string]*list.Element{}, lru: list.New()}
}

func (ss *sessionStore) len() int { return len(ss.byID) }

func (ss *sessionStore) get(id string) *session {
	if e, ok := ss.byID[id]; ok {
		return e.Value.(*session)
	}
	return nil
}

// add stores a new session as the most recently used.
func (ss *sessionStore) add(sess *session) { ss.byID[sess.id] = ss.lru.PushFront(sess) }

// touch marks sess used at now.
func (ss *sessionStore) touch(sess *session, now time.Time) {
	sess.lastUsed = now
	ss.lru.MoveToFront(ss.byID[sess.id])
}

// remove ends the session id; it reports whether there was one.
func (ss *sessionStore) remove(id string) bool {
	e, ok := ss.byID[id]
	if ok {
		ss.lru.Remove(e)
		delete(ss.byID, id)
	}
	return ok
}

// oldest returns the least recently used session, or nil.
func (ss *sessionStore) oldest() *session {
	if e := ss.lru.Back(); e != nil {
		return e.Value.(*session)
	}
	return nil
}

func (ss *sessionStore) clear() { ss.byID = map[string]*list.Element{}; ss.lru.Init() }

// SessionInfoResponse is the body of POST /session/login and GET /session/user
// (reference 3.1).
type SessionInfoResponse struct {
	Requester           NameAndGuid     `json:"requester"`
	InfoTourEnabled     bool            `json:"infoTourEnabled"`
	LastFailedLoginIP   string          `json:"lastFailedLoginIp"`
	Language            string          `json:"language"`
	AppUserSettings     AppUserSettings `json:"appUserSettings"`
	Privileges          []Enum          `json:"privileges"`
	EndpointsTokens     map[string]any  `json:"endpointsTokens"`
	UIConsoleMode       string          `json:"uiConsoleMode"`
	LastSuccessfulLogin *int64          `json:"lastSuccessfulLogin"`
	LastFailedLogin     *int64          `json:"lastFailedLogin"`
	UITimeZone          string          `json:"uiTimeZone"`
}

// AppUserSettings are the user's UI settings in a SessionInfoResponse.
type AppUserSettings struct {
	PageSize                       int   `json:"pageSize"`
	TimeFormat                     int   `json:"timeFormat"`
	UnmountPeriodForMountedBackups int64 `json:"unmountPeriodForMountedBackups"`
}

var privilegeNames = []string{"NODE_READ", "VE_BACKUP_SLA_READ", "VE_BACKUP_SLA_WRITE", "APP_BACKUP_SLA_READ",
	"STORAGE_BACKUP_SLA_READ", "CLOUD_BACKUP_SLA_READ", "MGMT_RBAC_ACCESS_READ"}

// newSessionID returns 256 random bits, hex encoded.
func newSessionID() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("vprotecttest: crypto/rand: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// sessionOf returns the session r's cookie names (nil when none) and
// whether it has outlived the TTL. It changes nothing.
func (s *Server) sessionOf(r *http.Request, now time.Time) (id string, sess *session, expired bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", nil, false
	}
	sess = s.sessions.get(c.Value)
	return c.Value, sess, sess != nil && s.expired(sess, now)
}

// checkSession finds the live session of r and touches it.
func (s *Server) checkSession(r *http.Request, now time.Time) (*session, bool) {
	id, sess, expired := s.sessionOf(r, now)
	if sess == nil {
		return nil, false
	}
	if expired {
		s.sessions.remove(id)
		s.expiries++
		return nil, false
	}
	s.sessions.touch(sess, now)
	return sess, true
}

// expired reports whether sess has been idle longer than the session TTL.
func (s *Server) expired(sess *session, now time.Time) bool {
	return s.cfg.sessionTTL > 0 && now.Sub(sess.lastUsed) > s.cfg.sessionTTL
}

// newSessionLocked starts a session for login and returns its ID; it makes
// room first, so there are never more than WithMaxSessions.
func (s *Server) newSessionLocked(login string, now time.Time) string {
	s.makeRoomLocked(now)
	id := newSessionID()
	s.sessions.add(&session{id: id, login: login, lastUsed: now})
	s.logins++
	return id
}

// makeRoomLocked drops the expired sessions at the back of the list, then
// evicts the least recently used ones until a new session fits under
// WithMaxSessions. Both count as expiries.
func (s *Server) makeRoomLocked(now time.Time) {
	for old := s.sessions.oldest(); old != nil && (s.expired(old, now) || s.sessions.len() >= s.cfg.maxSessions); old = s.sessions.oldest() {
		s.sessions.remove(old.id)
		s.expiries++
	}
}

func (s *Server) sessionInfo(login string, now time.Time) SessionInfoResponse {
	privs := make([]Enum, 0, len(privilegeNames))
	for _, p := range privilegeNames {
		privs = append(privs, enumOf(p))
	}
	return SessionInfoResponse{
		Requester: NameAndGuid{GUID: s.users[login].guid, Name: login}, Language: "EN",
		AppUserSettings: AppUserSettings{PageSize: 10, TimeFormat: 24, UnmountPeriodForMountedBackups: 86400000},
		Privileges:      privs, EndpointsTokens: map[string]any{}, UIConsoleMode: "WORKFLOW",
		LastSuccessfulLogin: msPtr(now), UITimeZone: "UTC",
	}
}

// POST /session/login: 200 with the SessionInfoResponse and the session
// cookie; bad credentials 400 (what a 7.x server answers, reference 7x
// section 1.2), the same answer for an unknown login and a wrong password.
func (s *Server) login(c *call) (reply, error) {
	var req struct {
		Login    *string `json:"login"`
		Password *string `json:"password"`
	}
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if req.Login == nil || *req.Login == "" {
		return reply{}, badRequest("login: is required")
	}
	if req.Password == nil {
		return reply{}, badRequest("password: is required")
	}
	if !s.credentialsOK(*req.Login, *req.Password) {
		return reply{}, badRequest("Invalid credentials")
	}
	return s.startSession(c, *req.Login), nil
}

// POST /session/login-with-token with {"token"}: like a login, for a token
// registered with WithLoginToken. Who issues tokens on a real server is not
// known (reference 7x section 13).
func (s *Server) loginWithToken(c *call) (reply, error) {
	var req struct {
		Token *string `json:"token"`
	}
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if req.Token == nil || *req.Token == "" {
		return reply{}, badRequest("token: is required")
	}
	login := ""
	for tok, l := range s.cfg.tokens {
		if subtle.ConstantTimeCompare([]byte(*req.Token), []byte(tok)) == 1 {
			login = l
		}
	}
	if s.users[login] == nil {
		return reply{}, badRequest("Invalid token")
	}
	return s.startSession(c, login), nil
}

// startSession opens a session for login and sets its cookie: HttpOnly,
// Path=/, and under TLS Secure with SameSite=None, so that a browser page of
// another site may call the fake with credentials (reference 7x section 10.2).
func (s *Server) startSession(c *call, login string) reply {
	id := s.newSessionLocked(login, c.now)
	ck := &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true}
	if s.cfg.tls {
		ck.Secure, ck.SameSite = true, http.SameSiteNoneMode
	}
	http.SetCookie(c.w, ck)
	return okReply(s.sessionInfo(login, c.now))
}

// POST /session/logout
func (s *Server) logout(c *call) (reply, error) {
	if ck, err := c.r.Cookie(sessionCookie); err == nil {
		s.sessions.remove(ck.Value)
	}
	http.SetCookie(c.w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1})
	return reply{status: http.StatusCreated}, nil
}

// GET /session
func (s *Server) ping(c *call) (reply, error) { return noContent(), nil }

// GET /session/user
func (s *Server) currentUser(c *call) (reply, error) {
	sess, _ := s.checkSession(c.r, c.now)
	if sess == nil {
		return reply{}, errf(http.StatusUnauthorized, "Unauthorized")
	}
	return okReply(s.sessionInfo(sess.login, c.now)), nil
}

// ExpireSessions ends every session; the next request of each client gets 401.
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expiries += s.sessions.len()
	s.sessions.clear()
}

// Logins returns the number of successful logins.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// Expiries returns how many sessions have ended other than by logout: by the
// TTL, by ExpireSessions, or evicted by WithMaxSessions.
func (s *Server) Expiries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.expiries
}

// Sessions returns the number of live sessions.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions.len()
}
