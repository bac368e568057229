// Command vprotect-fake serves the in-memory fake vProtect server of package
// vprotecttest over HTTP(S), for non-Go clients and manual testing.
//
// Usage:
//
//	vprotect-fake [-listen 127.0.0.1:8181] [-user admin] [-password vPr0tect]
//	              [-seed demo|empty|FILE.json] [-tls [-tls-host NAME]... [-cert-out FILE]]
//	              [-task-duration 3s] [-session-ttl 30m] [-task-model instant|timed|step]
//	              [-read-header-timeout 10s] [-cors-origin ORIGIN[,...]]...
//	              [-backup-cleanup-time 0s] [-server-version 7.4|4.0]
//
// The values shown are the defaults. The first line on stdout is
// "vprotect-fake listening on <base URL>", where the base URL ends in /api.
// SIGINT or SIGTERM stops the server (exit 0).
//
// With -tls the server makes a fresh key and self-signed certificate at each
// start, for localhost, 127.0.0.1, ::1 and every -tls-host name (a DNS name
// or an IP address; repeat the flag for more). The certificate (PEM) goes to
// -cert-out, a file that must not exist yet: it is created exclusively, so
// an existing file or a symlink there is an error, never overwritten or
// followed. Without -cert-out it goes to a new file with a random name in
// the temporary directory, removed when the server stops. The second line on
// stdout names the file.
//
// Sessions idle for longer than -session-ttl end (0 = never); at most
// vprotecttest.DefaultMaxSessions live at once, a login beyond that ends the
// least recently used one. A client must send its request headers within
// -read-header-timeout; other connection limits are
// vprotecttest.DefaultHTTPLimits.
//
// -server-version is the vProtect generation the fake plays: 7.4 (the
// default: project-uuid scoping, policies with their rules in one request,
// the 7.x routes) or 4.0 (the integration guide: tenantid filters, tenantId
// body fields, the two-step policy flow, no 7.x-only routes). The package
// documentation of vprotecttest lists the differences.
//
// -backup-cleanup-time is the daily "old backups removal time", as a time
// after UTC midnight (2h30m is 02:30 UTC): the cleanup run that applies
// retention marks (POST /api/retention/mark-backups) then.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/vprotect-go/vprotect/vprotecttest"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// settings are the parsed flags.
type settings struct {
	listen, user, password, seed, certOut, model string
	serverVersion                                string
	useTLS                                       bool
	tlsHosts, corsOrigins                        []string
	taskDuration, sessionTTL, readHeaderTimeout  time.Duration
	cleanupTime                                  time.Duration
}

// newFlags defines the flags; the usage text in the package doc shows their defaults.
func newFlags(stderr io.Writer) (*flag.FlagSet, *settings) {
	var s settings
	fs := flag.NewFlagSet("vprotect-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&s.listen, "listen", "127.0.0.1:8181", "address to listen on (host:port; port 0 picks a free one)")
	fs.StringVar(&s.user, "user", vprotecttest.DefaultLogin, "login accepted by POST /api/session/login")
	fs.StringVar(&s.password, "password", vprotecttest.DefaultPassword, "password for -user")
	fs.StringVar(&s.seed, "seed", "demo", "initial data: demo, empty or a JSON seed file")
	fs.BoolVar(&s.useTLS, "tls", false, "serve HTTPS with a fresh self-signed certificate")
	fs.Func("tls-host", "one more name (DNS name or IP address) for the -tls certificate; repeatable", func(v string) error {
		s.tlsHosts = append(s.tlsHosts, v)
		return nil
	})
	fs.StringVar(&s.certOut, "cert-out", "", "new file for the -tls certificate (PEM); it must not exist (default: a new file in the temporary directory)")
	fs.DurationVar(&s.taskDuration, "task-duration", 3*time.Second, "run time of each EXPORT, STORE, RESTORE and IMPORT task (timed model)")
	fs.DurationVar(&s.sessionTTL, "session-ttl", 30*time.Minute, "idle session lifetime (0 = never expires)")
	fs.StringVar(&s.model, "task-model", "timed", "how tasks progress: instant, timed or step (one step per read)")
	fs.DurationVar(&s.readHeaderTimeout, "read-header-timeout", vprotecttest.DefaultHTTPLimits().ReadHeaderTimeout, "time a client has to send its request headers")
	fs.StringVar(&s.serverVersion, "server-version", vprotecttest.DefaultServerVersion, "server generation to play: 7.4 or 4.0")
	fs.DurationVar(&s.cleanupTime, "backup-cleanup-time", 0, "daily old-backups removal time, after UTC midnight (applies retention marks)")
	fs.Func("cors-origin", "let browser pages of this origin call with credentials (repeatable or comma-separated; * for any)", func(v string) error {
		for _, o := range strings.Split(v, ",") {
			if o = strings.TrimSpace(o); o != "" {
				s.corsOrigins = append(s.corsOrigins, o)
			}
		}
		return nil
	})
	return fs, &s
}

// run starts the server and blocks until a signal; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fs, set := newFlags(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	opts, err := options(set)
	if err != nil {
		fmt.Fprintln(stderr, "vprotect-fake:", err)
		return 2
	}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)

	var certFile *os.File
	if set.useTLS { // before the server starts, so a path that is taken fails fast
		certFile, err = createCertFile(set.certOut)
		if err != nil {
			fmt.Fprintln(stderr, "vprotect-fake:", err)
			return 1
		}
		defer certFile.Close()
		if set.certOut == "" {
			defer os.Remove(certFile.Name())
		}
	}
	srv, err := vprotecttest.New(opts...)
	if err != nil {
		if certFile != nil && set.certOut != "" {
			os.Remove(certFile.Name()) // ours: created above, still empty
		}
		fmt.Fprintln(stderr, "vprotect-fake:", err)
		return 1
	}
	defer srv.Close()
	if certFile != nil { // written before the first line, so a reader of that line finds it
		_, err := certFile.Write(srv.CertificatePEM())
		if err == nil {
			err = certFile.Close()
		}
		if err != nil {
			fmt.Fprintln(stderr, "vprotect-fake: write certificate:", err)
			return 1
		}
	}
	fmt.Fprintf(stdout, "vprotect-fake listening on %s\n", srv.URL())
	if certFile != nil {
		fmt.Fprintf(stdout, "certificate (PEM) written to %s\n", certFile.Name())
	}
	fmt.Fprintf(stdout, "log in as %q; stop with Ctrl-C\n", set.user)
	<-sigs
	return 0
}

// createCertFile creates the certificate file exclusively (O_EXCL): an
// existing file or symlink at path is an error. An empty path makes a new
// file with a random name in the temporary directory.
func createCertFile(path string) (*os.File, error) {
	if path == "" {
		f, err := os.CreateTemp("", "vprotect-fake-cert-*.pem")
		if err != nil {
			return nil, fmt.Errorf("create certificate file: %w", err)
		}
		return f, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("-cert-out %s: already exists; the fake neither overwrites a file nor follows a symlink, so remove it or choose a new path", path)
	}
	if err != nil {
		return nil, fmt.Errorf("-cert-out: %w", err)
	}
	return f, nil
}

// options turns the flags into server options.
func options(set *settings) ([]vprotecttest.Option, error) {
	if !set.useTLS && (set.certOut != "" || len(set.tlsHosts) > 0) {
		return nil, errors.New("-cert-out and -tls-host need -tls")
	}
	if set.taskDuration < 0 {
		return nil, errors.New("-task-duration must not be negative")
	}
	if set.sessionTTL < 0 {
		return nil, errors.New("-session-ttl must not be negative")
	}
	if set.readHeaderTimeout <= 0 {
		return nil, errors.New("-read-header-timeout must be positive")
	}
	if set.cleanupTime < 0 || set.cleanupTime >= 24*time.Hour {
		return nil, errors.New("-backup-cleanup-time must be a time of day after UTC midnight, 0s to 23h59m")
	}
	opts := []vprotecttest.Option{
		vprotecttest.WithBackupCleanupTime(set.cleanupTime),
		vprotecttest.WithListenAddr(set.listen), vprotecttest.WithUser(set.user, set.password),
		vprotecttest.WithSessionTTL(set.sessionTTL), vprotecttest.WithServerVersion(set.serverVersion),
		vprotecttest.WithHTTPLimits(vprotecttest.HTTPLimits{ReadHeaderTimeout: set.readHeaderTimeout}),
	}
	switch set.seed {
	case "demo":
	case "empty":
		opts = append(opts, vprotecttest.WithEmptySeed())
	default:
		s, err := vprotecttest.LoadSeedFile(set.seed)
		if err != nil {
			return nil, err
		}
		opts = append(opts, vprotecttest.WithSeed(s))
	}
	if set.useTLS {
		opts = append(opts, vprotecttest.WithTLS(set.tlsHosts...))
	}
	if len(set.corsOrigins) > 0 {
		opts = append(opts, vprotecttest.WithCORS(set.corsOrigins...))
	}
	opts = append(opts, vprotecttest.WithTaskDurations(map[string]time.Duration{
		"EXPORT": set.taskDuration, "STORE": set.taskDuration, "RESTORE": set.taskDuration, "IMPORT": set.taskDuration}))
	switch set.model {
	case "timed":
		opts = append(opts, vprotecttest.WithTaskModel(vprotecttest.Timed))
	case "instant":
		opts = append(opts, vprotecttest.WithTaskModel(vprotecttest.Instant))
	case "step":
		opts = append(opts, vprotecttest.WithTaskModel(vprotecttest.StepPerPoll))
	default:
		return nil, fmt.Errorf("-task-model must be instant, timed or step, not %q", set.model)
	}
	return opts, nil
}
