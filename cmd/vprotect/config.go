package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
	"golang.org/x/term"
)

// Settings of the client.
const (
	// callTimeout bounds each API call, retries included, so that an
	// unreachable server ends a command in seconds.
	callTimeout = 30 * time.Second
	// pollInterval is the first pause between task polls; the SDK backs
	// off from it.
	pollInterval = time.Second
	// demoTaskDuration is how long each task runs on the --demo server.
	demoTaskDuration = 2 * time.Second
)

// globalFlags are the flags of every command. The password has no flag:
// it comes from VPROTECT_PASSWORD or a prompt, never from the command line.
type globalFlags struct {
	url      string
	user     string
	caFile   string
	insecure bool
	tenant   string
	demo     bool
	output   string
	log      string
}

// envOf names the environment variable of each global flag; a flag given
// on the command line wins over its variable.
var envOf = map[string]string{
	"url":      "VPROTECT_URL",
	"user":     "VPROTECT_USER",
	"ca-file":  "VPROTECT_CA_FILE",
	"insecure": "VPROTECT_INSECURE",
	"tenant":   "VPROTECT_TENANT",
	"log":      "VPROTECT_LOG",
}

func (f *globalFlags) register(root *cobra.Command) {
	fs := root.PersistentFlags()
	fs.StringVar(&f.url, "url", "", "API root of the server, e.g. https://vprotect.example.com:8181/api (VPROTECT_URL)")
	fs.StringVar(&f.user, "user", "", "login (VPROTECT_USER); the password comes from VPROTECT_PASSWORD or a prompt")
	fs.StringVar(&f.caFile, "ca-file", "", "PEM file with the server's certificate (VPROTECT_CA_FILE)")
	fs.BoolVar(&f.insecure, "insecure", false, "do not verify the server's certificate, labs only (VPROTECT_INSECURE=1)")
	fs.StringVar(&f.tenant, "tenant", "", "tenant (OpenStack project id) to work in (VPROTECT_TENANT)")
	fs.BoolVar(&f.demo, "demo", false, "run against an embedded fake vProtect server with demo data")
	fs.StringVarP(&f.output, "output", "o", "table", "output format: table, json or yaml")
	fs.StringVar(&f.log, "log", "", "log to stderr: 1 each request, debug also its body, secrets masked (VPROTECT_LOG)")
}

// config is the configuration a command runs with, from the flags and the
// environment.
type config struct {
	url, user, password string
	caFile              string
	insecure            bool
	tenant              string
	tenantGiven         bool // --tenant on the command line, not from VPROTECT_TENANT
	demo                bool
	output              outputFormat
	log                 string // "", "1" or "debug"
}

// configure reads the configuration from the flags and the environment;
// it asks for nothing and connects to nothing (connect does).
func (a *app) configure(cmd *cobra.Command) error {
	fs := cmd.Flags()
	tenantGiven := fs.Changed("tenant")
	var bad error
	for name, env := range envOf {
		v := a.getenv(env)
		if fs.Changed(name) || v == "" || bad != nil {
			continue
		}
		if err := fs.Set(name, v); err != nil {
			bad = usageErrorf("%s=%q: %v", env, v, err)
		}
	}
	if bad != nil {
		return bad
	}
	f := a.flags
	out, err := parseOutputFormat(f.output)
	if err != nil {
		return err
	}
	switch f.log {
	case "", "0":
		f.log = ""
	case "1", "debug":
	default:
		return usageErrorf("--log (VPROTECT_LOG) %q: give 1 (each request) or debug (with bodies)", f.log)
	}
	a.cfg = config{url: strings.TrimSpace(f.url), user: f.user, caFile: f.caFile, insecure: f.insecure,
		tenant: f.tenant, tenantGiven: tenantGiven, demo: f.demo, output: out, log: f.log}
	if f.insecure && f.caFile != "" {
		return usageErrorf("set --ca-file (VPROTECT_CA_FILE) or --insecure (VPROTECT_INSECURE), not both")
	}
	return nil
}

// connect returns the client, made on the first call: against the embedded
// fake server with --demo (said on stderr), else against the configured
// server, asking for the password on a terminal when VPROTECT_PASSWORD is
// unset. It sends no request; the first call logs in.
func (a *app) connect(ctx context.Context) (*vprotect.Client, error) {
	if a.client != nil {
		return a.client, nil
	}
	cfg := a.cfg
	if cfg.demo {
		srv, err := vprotecttest.New(append([]vprotecttest.Option{vprotecttest.WithTaskDurations(map[string]time.Duration{
			"EXPORT": demoTaskDuration, "STORE": demoTaskDuration, "RESTORE": demoTaskDuration, "IMPORT": demoTaskDuration,
		})}, a.demoOptions...)...)
		if err != nil {
			return nil, fmt.Errorf("start the demo server: %w", err)
		}
		a.demo = srv
		fmt.Fprintln(a.stderr, "demo: running against an embedded fake vProtect server with demo data; nothing real is touched")
		cfg.url, cfg.user, cfg.password = srv.URL(), vprotecttest.DefaultLogin, vprotecttest.DefaultPassword
		cfg.caFile, cfg.insecure = "", false
	} else {
		if cfg.url == "" {
			return nil, usageErrorf("no server: set --url (VPROTECT_URL) and --user (VPROTECT_USER), or use --demo")
		}
		if cfg.user == "" {
			return nil, usageErrorf("no login: set --user (VPROTECT_USER)")
		}
		pw, err := a.password(cfg)
		if err != nil {
			return nil, err
		}
		cfg.password = pw
	}
	opts := []vprotect.Option{
		vprotect.WithCredentials(cfg.user, cfg.password),
		vprotect.WithTimeout(callTimeout),
		vprotect.WithRetry(vprotect.RetryPolicy{MaxAttempts: 2, MinBackoff: 250 * time.Millisecond,
			MaxBackoff: time.Second, MaxRetryAfter: 5 * time.Second}),
		vprotect.WithPollInterval(pollInterval),
		vprotect.WithUserAgent("vprotect-cli/" + vprotect.Version),
	}
	switch {
	case cfg.caFile != "":
		pem, err := os.ReadFile(cfg.caFile)
		if err != nil {
			return nil, fmt.Errorf("cannot read the CA file %s (--ca-file, VPROTECT_CA_FILE): %w", cfg.caFile, unwrapPathError(err))
		}
		pool, err := vprotect.CertPoolFromPEM(pem)
		if err != nil {
			return nil, fmt.Errorf("the CA file %s (--ca-file, VPROTECT_CA_FILE) holds no PEM certificate", cfg.caFile)
		}
		opts = append(opts, vprotect.WithRootCAs(pool))
	case cfg.insecure:
		opts = append(opts, vprotect.WithInsecureSkipVerify())
	}
	switch cfg.log {
	case "1":
		opts = append(opts, vprotect.WithLogger(slog.New(slog.NewTextHandler(a.stderr, nil))))
	case "debug":
		opts = append(opts, vprotect.WithDebug(), vprotect.WithLogger(slog.New(slog.NewTextHandler(a.stderr,
			&slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	c, err := vprotect.New(cfg.url, append(opts, a.clientOptions...)...)
	if err != nil {
		return nil, usageErrorf("--url (VPROTECT_URL) %q: %v", cfg.url, err)
	}
	a.client = c
	return c, nil
}

// password returns VPROTECT_PASSWORD, else asks for it when stdin is a
// terminal (the prompt goes to stderr, the answer is not echoed).
func (a *app) password(cfg config) (string, error) {
	if pw := a.getenv("VPROTECT_PASSWORD"); pw != "" {
		return pw, nil
	}
	f, ok := a.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", usageErrorf("no password: set VPROTECT_PASSWORD, or run on a terminal to be asked for it")
	}
	fmt.Fprintf(a.stderr, "Password for %s at %s: ", cfg.user, cfg.url)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(a.stderr)
	if err != nil {
		return "", fmt.Errorf("cannot read the password: %w", err)
	}
	if len(b) == 0 {
		return "", usageErrorf("no password given")
	}
	return string(b), nil
}

// close closes the client and stops the demo server.
func (a *app) close() {
	if a.client != nil {
		a.client.Close()
	}
	if a.demo != nil {
		a.demo.Close()
	}
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
