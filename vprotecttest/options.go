package vprotecttest

import (
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"
)

// Option configures a Server.
type Option func(*config)

// TaskModel selects how tasks move from QUEUED to a terminal state.
type TaskModel int

const (
	// Timed derives each task's state from the clock and the task durations
	// (WithTaskDurations): a task runs for its type's duration once a node slot
	// is free. This is the default.
	Timed TaskModel = iota
	// Instant finishes every task, and its whole chain (EXPORT→STORE,
	// RESTORE→IMPORT), within the request that created it.
	Instant
	// StepPerPoll moves a task one step each time it is read (GET /tasks/{guid}
	// or a GET /tasks page that includes it): QUEUED → RUNNING 0% → RUNNING 50%
	// → FINISHED (or FAILED when forced). QUEUED → RUNNING needs a free slot on
	// the task's node. A GET /tasks page steps the tasks it returns (after
	// filtering and paging). Window expiry and schedules still follow the
	// clock; Server.Task and Server.Tasks never step.
	StepPerPoll
)

// ExportShape selects the body of the POST /tasks/export response.
type ExportShape int

const (
	// ExportArray answers with a JSON array of tasks, one per VM (default).
	ExportArray ExportShape = iota
	// ExportSingle answers with the first task as a single object.
	ExportSingle
	// ExportEnvelope answers with {"successful":[NG],"unsuccessful":[NG],"tasks":[...]}.
	ExportEnvelope
)

// Default settings.
const (
	DefaultLogin            = "admin"
	DefaultPassword         = "vPr0tect"
	DefaultMaxBodyBytes     = 1 << 20
	DefaultConcurrentTasks  = 2
	DefaultMaxSessions      = 10000
	defaultWindowLength     = 6 * time.Hour
	defaultChildWindowLen   = 24 * time.Hour
	defaultOtherTaskRuntime = time.Second
)

// DefaultTaskDurations are the Timed-model run times per task type.
func DefaultTaskDurations() map[string]time.Duration {
	return map[string]time.Duration{
		"EXPORT":  3 * time.Second,
		"STORE":   2 * time.Second,
		"RESTORE": 3 * time.Second,
		"IMPORT":  2 * time.Second,
	}
}

type config struct {
	users       map[string]string
	tokens      map[string]string // login-with-token: token → login
	corsOrigins []string
	seed        *Seed
	seedFile    string
	emptySeed   bool
	noHistory   bool
	clock       Clock
	durations   map[string]time.Duration
	model       TaskModel
	sessionTTL  time.Duration
	concurrent  int
	tls         bool
	tlsHosts    []string
	limits      HTTPLimits
	maxSessions int
	exportShape ExportShape
	maxBody     int64
	logger      *slog.Logger
	listenAddr  string
	gen         *generation   // the server version played (WithServerVersion)
	cleanupTime time.Duration // the daily old-backups removal time, after UTC midnight

	maxRecorded      int
	maxRecordedBytes int64

	errs []error // invalid options, reported by New and Start
}

// invalid records an invalid option; New returns it and NewServer panics.
func (c *config) invalid(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("vprotecttest: "+format, args...))
}

func defaultConfig() *config {
	return &config{
		users:       map[string]string{DefaultLogin: DefaultPassword},
		clock:       realClock{},
		durations:   DefaultTaskDurations(),
		concurrent:  DefaultConcurrentTasks,
		maxBody:     DefaultMaxBodyBytes,
		limits:      DefaultHTTPLimits(),
		maxSessions: DefaultMaxSessions,
		gen:         generations[DefaultServerVersion],

		maxRecorded:      MaxRecordedRequests,
		maxRecordedBytes: DefaultMaxRecordedBytes,
	}
}

// WithUser replaces the accepted credentials with one login and password
// (default admin / vPr0tect, the product's default).
func WithUser(login, password string) Option {
	return func(c *config) { c.users = map[string]string{login: password} }
}

// WithUsers replaces the accepted credentials with a login → password map.
func WithUsers(users map[string]string) Option {
	return func(c *config) {
		c.users = make(map[string]string, len(users))
		for k, v := range users {
			c.users[k] = v
		}
	}
}

// WithLoginToken lets POST /session/login-with-token {"token": token} log
// in as login (which must be one of the server's users). The fake issues no
// tokens itself: how a real server issues them is not known.
func WithLoginToken(token, login string) Option {
	return func(c *config) {
		if c.tokens == nil {
			c.tokens = map[string]string{}
		}
		c.tokens[token] = login
	}
}

// WithServerVersion selects the server generation the fake plays:
// ServerVersion74 ("7.4", the default) or ServerVersion40 ("4.0"). Any
// other value makes New fail. What differs is listed in the package
// documentation (Server generations).
func WithServerVersion(v string) Option {
	return func(c *config) {
		g, err := generationOf(v)
		if err != nil {
			c.invalid("%v", err)
			return
		}
		c.gen = g
	}
}

// WithSeed starts the server with seed instead of the demo data.
func WithSeed(seed Seed) Option {
	return func(c *config) { s := seed; c.seed = &s; c.seedFile = ""; c.emptySeed = false }
}

// WithEmptySeed starts the server with no objects at all.
func WithEmptySeed() Option {
	return func(c *config) { c.seed = nil; c.seedFile = ""; c.emptySeed = true }
}

// WithoutTaskHistory starts the demo data without its task history (the
// finished, failed and cancelled tasks of the last days), for tests that
// count the tasks they create. Other seeds are not changed.
func WithoutTaskHistory() Option {
	return func(c *config) { c.noHistory = true }
}

// WithSeedFile starts the server with the JSON seed in path (see Seed for
// the format). New returns an error, Start fails the test and NewServer
// panics if it cannot be read or does not hold a valid seed.
func WithSeedFile(path string) Option {
	return func(c *config) { c.seed = nil; c.seedFile = path; c.emptySeed = false }
}

// WithClock sets the clock (default: the real clock).
func WithClock(clock Clock) Option {
	return func(c *config) { c.clock = clock }
}

// WithTaskDurations overrides the Timed-model run time per task type name
// (EXPORT, STORE, RESTORE, IMPORT, …); types not given keep their defaults.
// A name that is no task type of the API (a typo such as "EXPROT", or
// "export" in lower case) or a negative duration makes New fail, rather
// than leaving that type at its default unnoticed.
func WithTaskDurations(d map[string]time.Duration) Option {
	return func(c *config) {
		for _, k := range slices.Sorted(maps.Keys(d)) {
			switch v := d[k]; {
			case !taskTypes[k]:
				c.invalid("WithTaskDurations: %q is not a task type (EXPORT, STORE, RESTORE, IMPORT, …)", k)
			case v < 0:
				c.invalid("WithTaskDurations: %s must not be negative, got %s", k, v)
			default:
				c.durations[k] = v
			}
		}
	}
}

// WithTaskModel selects Timed (default), Instant or StepPerPoll. Any
// other value makes New fail.
func WithTaskModel(m TaskModel) Option {
	return func(c *config) {
		if m < Timed || m > StepPerPoll {
			c.invalid("WithTaskModel: %d is not a task model (Timed, Instant or StepPerPoll)", int(m))
			return
		}
		c.model = m
	}
}

// WithSessionTTL sets the idle session lifetime; 0 (the default) never expires.
func WithSessionTTL(d time.Duration) Option {
	return func(c *config) { c.sessionTTL = d }
}

// WithMaxSessions sets how many sessions live at once (default
// DefaultMaxSessions). A login beyond that ends the least recently used
// session, whose next request gets 401; logins are never refused.
func WithMaxSessions(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxSessions = n
		}
	}
}

// WithConcurrentTasksPerNode sets how many tasks a node runs at once
// (default 2); the rest wait QUEUED.
func WithConcurrentTasksPerNode(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.concurrent = n
		}
	}
}

// WithTLS serves HTTPS with a certificate made at each start: a fresh ECDSA
// P-256 key and a self-signed certificate for localhost, 127.0.0.1, ::1 and
// hosts (more DNS names or IP addresses). The key never leaves the process;
// CertificatePEM returns the certificate and HTTPClient trusts it.
func WithTLS(hosts ...string) Option {
	return func(c *config) { c.tls = true; c.tlsHosts = append([]string(nil), hosts...) }
}

// WithExportResponse selects the body shape of POST /tasks/export.
func WithExportResponse(shape ExportShape) Option {
	return func(c *config) { c.exportShape = shape }
}

// WithMaxBodyBytes sets the request body limit (default 1 MiB); larger
// bodies get 413.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithLogger logs one debug record per request (method, path, status).
// Passwords and cookie values are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// HTTPLimits are the timeouts and the header limit of the server's
// connections. There is no write timeout: InjectFault delays answers on
// purpose, and a handler may take as long as a fault says.
type HTTPLimits struct {
	// ReadHeaderTimeout bounds the TLS handshake and the request headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included.
	ReadTimeout time.Duration
	// IdleTimeout bounds the wait for the next request on a kept-alive connection.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the request line and headers; larger ones get 431.
	MaxHeaderBytes int
}

// DefaultHTTPLimits are the limits of every server unless WithHTTPLimits
// changes them: headers within 10s, the whole request within 30s, idle
// connections closed after 60s, headers up to 64 KiB.
func DefaultHTTPLimits() HTTPLimits {
	return HTTPLimits{ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second, MaxHeaderBytes: 64 << 10}
}

// WithHTTPLimits sets the server's connection limits; zero or negative
// fields keep their DefaultHTTPLimits value.
func WithHTTPLimits(l HTTPLimits) Option {
	return func(c *config) {
		if l.ReadHeaderTimeout > 0 {
			c.limits.ReadHeaderTimeout = l.ReadHeaderTimeout
		}
		if l.ReadTimeout > 0 {
			c.limits.ReadTimeout = l.ReadTimeout
		}
		if l.IdleTimeout > 0 {
			c.limits.IdleTimeout = l.IdleTimeout
		}
		if l.MaxHeaderBytes > 0 {
			c.limits.MaxHeaderBytes = l.MaxHeaderBytes
		}
	}
}

// WithBackupCleanupTime sets the daily "old backups removal time", when the
// cleanup applies retention marks (a BACKUP_CLEANUP task), as a time after
// UTC midnight (default 0, midnight). Values outside 0..24h are ignored.
func WithBackupCleanupTime(d time.Duration) Option {
	return func(c *config) {
		if d >= 0 && d < 24*time.Hour {
			c.cleanupTime = d
		}
	}
}

// WithListenAddr listens on addr (host:port) instead of a random loopback port.
func WithListenAddr(addr string) Option {
	return func(c *config) { c.listenAddr = addr }
}

// WithMaxRecordedRequests bounds the number of requests the request log
// keeps (default MaxRecordedRequests); n <= 0 keeps the default.
func WithMaxRecordedRequests(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxRecorded = n
		}
	}
}

// WithMaxRecordedBytes bounds the bytes the request log holds, the sum of
// every recorded Path, RawQuery and Body (default DefaultMaxRecordedBytes,
// 16 MiB); a body that alone would pass it is not kept. n <= 0 keeps the
// default.
func WithMaxRecordedBytes(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.maxRecordedBytes = n
		}
	}
}
