package exampleutil

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// Settings every example client uses.
const (
	// CallTimeout bounds each API call (retries included), so an unreachable
	// server ends an example in seconds rather than a minute.
	CallTimeout = 10 * time.Second
	// PollInterval is the first pause between task polls: short, so that
	// progress shows; the SDK backs off from it.
	PollInterval = 500 * time.Millisecond
	// EmbeddedTaskDuration is how long each task runs on the embedded server.
	EmbeddedTaskDuration = 2 * time.Second
)

// Env is a connected example: the client, and the embedded server when no
// VPROTECT_URL was given.
type Env struct {
	// Client talks to the server; it has not logged in yet.
	Client *vprotect.Client
	// Config is the configuration read from the environment.
	Config Config
	// Tenant is the tenant to work in (VPROTECT_TENANT, default tenant-a).
	Tenant string
	// Server is the embedded fake server, nil with a real one.
	Server *vprotecttest.Server
	// Out is where the example prints (stdout).
	Out io.Writer
}

// Embedded reports whether the example runs against the in-process fake.
func (e *Env) Embedded() bool { return e.Server != nil }

// Connect builds the client from cfg, starting the embedded server first
// when cfg has no URL, and says on out which server it uses (the first line
// an example prints).
func Connect(cfg Config, out io.Writer) (*Env, error) {
	env := &Env{Config: cfg, Tenant: cfg.Tenant, Out: out}
	url := cfg.URL
	if url == "" {
		srv, err := StartEmbedded()
		if err != nil {
			return nil, err
		}
		env.Server = srv
		url = srv.URL()
		fmt.Fprintf(out, "No VPROTECT_URL set: started the embedded vProtect fake server at %s (demo data, tasks take %s).\n",
			url, EmbeddedTaskDuration)
	}
	opts := []vprotect.Option{
		vprotect.WithCredentials(cfg.User, cfg.Password),
		vprotect.WithTimeout(CallTimeout),
		vprotect.WithRetry(vprotect.RetryPolicy{MaxAttempts: 2, MinBackoff: 250 * time.Millisecond,
			MaxBackoff: time.Second, MaxRetryAfter: 5 * time.Second}),
		vprotect.WithPollInterval(PollInterval),
		vprotect.WithUserAgent("vprotect-go-examples/" + vprotect.Version),
	}
	switch {
	case cfg.CAFile != "":
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			env.Close()
			return nil, configErrorf("VPROTECT_CA_FILE: cannot read %s: %v", cfg.CAFile, unwrapPathError(err))
		}
		pool, err := vprotect.CertPoolFromPEM(pem)
		if err != nil {
			env.Close()
			return nil, configErrorf("VPROTECT_CA_FILE: %s holds no PEM certificate", cfg.CAFile)
		}
		opts = append(opts, vprotect.WithRootCAs(pool))
	case cfg.Insecure:
		opts = append(opts, vprotect.WithInsecureSkipVerify())
	}
	switch cfg.Log {
	case "1":
		opts = append(opts, vprotect.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, nil))))
	case "debug":
		opts = append(opts, vprotect.WithDebug(), vprotect.WithLogger(slog.New(slog.NewTextHandler(os.Stderr,
			&slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	c, err := vprotect.New(url, opts...)
	if err != nil {
		env.Close()
		return nil, configErrorf("VPROTECT_URL %q: %v", url, err)
	}
	env.Client = c
	if cfg.URL != "" {
		fmt.Fprintf(out, "Using the vProtect server at %s as %s.\n", c.BaseURL(), cfg.User)
	}
	return env, nil
}

// Close closes the client and stops the embedded server.
func (e *Env) Close() {
	if e.Client != nil {
		e.Client.Close()
	}
	if e.Server != nil {
		e.Server.Close()
	}
}

// StartEmbedded starts the fake server the examples use when no
// VPROTECT_URL is set: demo data, the real clock, and tasks that run
// EmbeddedTaskDuration each.
func StartEmbedded() (*vprotecttest.Server, error) {
	d := EmbeddedTaskDuration
	return vprotecttest.New(vprotecttest.WithTaskDurations(map[string]time.Duration{
		"EXPORT": d, "STORE": d, "RESTORE": d, "IMPORT": d}))
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
