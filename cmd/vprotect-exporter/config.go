package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// DefaultListen is the exporter's default listen address.
const DefaultListen = ":9817"

// config is the exporter's configuration from flags and environment. The
// password comes from a file or the environment only, never from a flag,
// so that it never shows in ps.
type config struct {
	url          string
	user         string
	password     string
	caFile       string
	insecure     bool
	listen       string
	cacheTTL     time.Duration
	timeout      time.Duration
	concurrency  int
	backupWindow time.Duration
	demo         bool
}

// env names the environment variable of each flag; a flag given on the
// command line wins over its variable.
var env = map[string]string{
	"url":                  "VPROTECT_URL",
	"user":                 "VPROTECT_USER",
	"password-file":        "VPROTECT_PASSWORD_FILE",
	"ca-file":              "VPROTECT_CA_FILE",
	"insecure-skip-verify": "VPROTECT_INSECURE",
	"listen":               "VPROTECT_EXPORTER_LISTEN",
	"cache-ttl":            "VPROTECT_EXPORTER_CACHE_TTL",
	"scrape-timeout":       "VPROTECT_EXPORTER_SCRAPE_TIMEOUT",
	"concurrency":          "VPROTECT_EXPORTER_CONCURRENCY",
	"backup-window":        "VPROTECT_EXPORTER_BACKUP_WINDOW",
	"demo":                 "VPROTECT_EXPORTER_DEMO",
}

// parseConfig reads args (without the program name) and getenv. The
// password is read from --password-file (VPROTECT_PASSWORD_FILE), else
// from VPROTECT_PASSWORD.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("vprotect-exporter", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var passwordFile string
	fs.StringVar(&c.url, "url", "", "vProtect API root, e.g. https://vprotect.example.com:8181/api")
	fs.StringVar(&c.user, "user", "", "vProtect login")
	fs.StringVar(&passwordFile, "password-file", "", "file holding the password (else $VPROTECT_PASSWORD)")
	fs.StringVar(&c.caFile, "ca-file", "", "PEM file with the server's certificate")
	fs.BoolVar(&c.insecure, "insecure-skip-verify", false, "do not verify the server's certificate (labs only)")
	fs.StringVar(&c.listen, "listen", DefaultListen, "address to serve /metrics and /healthz on")
	fs.DurationVar(&c.cacheTTL, "cache-ttl", 30*time.Second, "scrapes within this time of the last refresh reuse its values")
	fs.DurationVar(&c.timeout, "scrape-timeout", 20*time.Second, "deadline of a refresh from the API; a scrape never waits longer")
	fs.IntVar(&c.concurrency, "concurrency", 4, "API calls at once during a refresh")
	fs.DurationVar(&c.backupWindow, "backup-window", 24*time.Hour, "window of vprotect_backups_window")
	fs.BoolVar(&c.demo, "demo", false, "serve the metrics of an embedded fake vProtect with demo data")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: vprotect-exporter [flags]\n\nPrometheus metrics of a vProtect server. Flags (environment variable in brackets):")
		fs.VisitAll(func(f *flag.Flag) {
			fmt.Fprintf(stderr, "  -%s (%s)\n    \t%s (default %q)\n", f.Name, env[f.Name], f.Usage, f.DefValue)
		})
		fmt.Fprintln(stderr, "  The password: -password-file, else VPROTECT_PASSWORD.")
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var bad error
	fs.VisitAll(func(f *flag.Flag) {
		v := getenv(env[f.Name])
		if set[f.Name] || v == "" || bad != nil {
			return
		}
		if err := f.Value.Set(v); err != nil {
			bad = fmt.Errorf("%s=%q: %v", env[f.Name], v, err)
		}
	})
	if bad != nil {
		return nil, bad
	}
	if c.demo {
		return c, c.checkNumbers()
	}
	if c.url == "" || c.user == "" {
		return nil, errors.New("-url (VPROTECT_URL) and -user (VPROTECT_USER) are required, or -demo")
	}
	switch {
	case passwordFile != "":
		b, err := os.ReadFile(passwordFile)
		if err != nil {
			return nil, fmt.Errorf("password file: %w", err)
		}
		c.password = strings.TrimRight(string(b), "\r\n")
	default:
		c.password = getenv("VPROTECT_PASSWORD")
	}
	if c.password == "" {
		return nil, errors.New("no password: set -password-file (VPROTECT_PASSWORD_FILE) or VPROTECT_PASSWORD")
	}
	return c, c.checkNumbers()
}

// checkNumbers refuses durations and counts that cannot work.
func (c *config) checkNumbers() error {
	for name, d := range map[string]time.Duration{"cache-ttl": c.cacheTTL, "scrape-timeout": c.timeout, "backup-window": c.backupWindow} {
		if d <= 0 {
			return fmt.Errorf("-%s must be positive, got %s", name, d)
		}
	}
	if c.concurrency < 1 {
		return fmt.Errorf("-concurrency must be at least 1, got %s", strconv.Itoa(c.concurrency))
	}
	return nil
}
