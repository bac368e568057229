package vprotecttest

import (
	"log/slog"
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
	DefaultPassword         = "vprotect"
	DefaultMaxBodyBytes     = 1 << 20
	DefaultConcurrentTasks  = 2
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
	seed        *Seed
	seedFile    string
	emptySeed   bool
	clock       Clock
	durations   map[string]time.Duration
	model       TaskModel
	sessionTTL  time.Duration
	concurrent  int
	tls         bool
	exportShape ExportShape
	maxBody     int64
	logger      *slog.Logger
	listenAddr  string

	maxRecorded      int
	maxRecordedBytes int64
}

func defaultConfig() *config {
	return &config{
		users:      map[string]string{DefaultLogin: DefaultPassword},
		clock:      realClock{},
		durations:  DefaultTaskDurations(),
		concurrent: DefaultConcurrentTasks,
		maxBody:    DefaultMaxBodyBytes,

		maxRecorded:      MaxRecordedRequests,
		maxRecordedBytes: DefaultMaxRecordedBytes,
	}
}

// WithUser replaces the accepted credentials with one login and password
// (default admin / vprotect).
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

// WithSeed starts the server with seed instead of the demo data.
func WithSeed(seed Seed) Option {
	return func(c *config) { s := seed; c.seed = &s; c.seedFile = ""; c.emptySeed = false }
}

// WithEmptySeed starts the server with no objects at all.
func WithEmptySeed() Option {
	return func(c *config) { c.seed = nil; c.seedFile = ""; c.emptySeed = true }
}

// WithSeedFile starts the server with the JSON seed in path (see Seed for
// the format). NewServer panics and Start fails the test if it cannot be read.
func WithSeedFile(path string) Option {
	return func(c *config) { c.seed = nil; c.seedFile = path; c.emptySeed = false }
}

// WithClock sets the clock (default: the real clock).
func WithClock(clock Clock) Option {
	return func(c *config) { c.clock = clock }
}

// WithTaskDurations overrides the Timed-model run time per task type name
// (EXPORT, STORE, RESTORE, IMPORT); types not given keep their defaults.
func WithTaskDurations(d map[string]time.Duration) Option {
	return func(c *config) {
		for k, v := range d {
			c.durations[k] = v
		}
	}
}

// WithTaskModel selects Timed (default), Instant or StepPerPoll.
func WithTaskModel(m TaskModel) Option {
	return func(c *config) { c.model = m }
}

// WithSessionTTL sets the idle session lifetime; 0 (the default) never expires.
func WithSessionTTL(d time.Duration) Option {
	return func(c *config) { c.sessionTTL = d }
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

// WithTLS serves HTTPS with a self-signed certificate for 127.0.0.1.
func WithTLS() Option {
	return func(c *config) { c.tls = true }
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
