// Command vprotect-fake serves the in-memory fake vProtect server of package
// vprotecttest over HTTP(S), for non-Go clients and manual testing.
//
// Usage:
//
//	vprotect-fake [-listen 127.0.0.1:8181] [-user admin] [-password vprotect]
//	              [-seed demo|empty|FILE.json] [-tls [-cert-out FILE]]
//	              [-task-duration 3s] [-session-ttl 30m] [-task-model instant|timed|step]
//
// The first line on stdout is "vprotect-fake listening on <base URL>", where
// the base URL ends in /api. SIGINT or SIGTERM stops the server (exit 0).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/vprotect-go/vprotect/vprotecttest"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run starts the server and blocks until a signal; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("vprotect-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8181", "address to listen on (host:port; port 0 picks a free one)")
	user := fs.String("user", vprotecttest.DefaultLogin, "login accepted by POST /api/session/login")
	password := fs.String("password", vprotecttest.DefaultPassword, "password for -user")
	seed := fs.String("seed", "demo", "initial data: demo, empty or a JSON seed file")
	useTLS := fs.Bool("tls", false, "serve HTTPS with a self-signed certificate")
	certOut := fs.String("cert-out", filepath.Join(os.TempDir(), "vprotect-fake-cert.pem"), "where -tls writes the certificate (PEM)")
	taskDuration := fs.Duration("task-duration", 3*time.Second, "run time of each EXPORT, STORE, RESTORE and IMPORT task (timed model)")
	sessionTTL := fs.Duration("session-ttl", 0, "idle session lifetime (0 = never expires)")
	model := fs.String("task-model", "timed", "how tasks progress: instant, timed or step (one step per read)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	opts, err := options(*listen, *user, *password, *seed, *useTLS, *taskDuration, *sessionTTL, *model)
	if err != nil {
		fmt.Fprintln(stderr, "vprotect-fake:", err)
		return 2
	}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)

	srv, err := start(opts)
	if err != nil {
		fmt.Fprintln(stderr, "vprotect-fake:", err)
		return 1
	}
	defer srv.Close()
	if *useTLS { // written before the first line, so a reader of that line finds it
		if err := os.WriteFile(*certOut, srv.CertificatePEM(), 0o644); err != nil {
			fmt.Fprintln(stderr, "vprotect-fake: write certificate:", err)
			return 1
		}
	}
	fmt.Fprintf(stdout, "vprotect-fake listening on %s\n", srv.URL())
	if *useTLS {
		fmt.Fprintf(stdout, "certificate (PEM) written to %s\n", *certOut)
	}
	fmt.Fprintf(stdout, "log in as %q; stop with Ctrl-C\n", *user)
	<-sigs
	return 0
}

// options turns the flags into server options.
func options(listen, user, password, seed string, useTLS bool, taskDuration, sessionTTL time.Duration, model string) ([]vprotecttest.Option, error) {
	opts := []vprotecttest.Option{vprotecttest.WithListenAddr(listen), vprotecttest.WithUser(user, password), vprotecttest.WithSessionTTL(sessionTTL)}
	switch seed {
	case "demo":
	case "empty":
		opts = append(opts, vprotecttest.WithEmptySeed())
	default:
		s, err := vprotecttest.LoadSeedFile(seed)
		if err != nil {
			return nil, err
		}
		opts = append(opts, vprotecttest.WithSeed(s))
	}
	if useTLS {
		opts = append(opts, vprotecttest.WithTLS())
	}
	if taskDuration < 0 {
		return nil, fmt.Errorf("-task-duration must not be negative")
	}
	opts = append(opts, vprotecttest.WithTaskDurations(map[string]time.Duration{
		"EXPORT": taskDuration, "STORE": taskDuration, "RESTORE": taskDuration, "IMPORT": taskDuration}))
	switch model {
	case "timed":
		opts = append(opts, vprotecttest.WithTaskModel(vprotecttest.Timed))
	case "instant":
		opts = append(opts, vprotecttest.WithTaskModel(vprotecttest.Instant))
	case "step":
		opts = append(opts, vprotecttest.WithTaskModel(vprotecttest.StepPerPoll))
	default:
		return nil, fmt.Errorf("-task-model must be instant, timed or step, not %q", model)
	}
	return opts, nil
}

// start is NewServer with its panic (e.g. the address is in use) turned into an error.
func start(opts []vprotecttest.Option) (srv *vprotecttest.Server, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return vprotecttest.NewServer(opts...), nil
}
