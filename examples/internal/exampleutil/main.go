package exampleutil

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Main runs an example: it parses the flags, reads the configuration,
// connects (starting the embedded server when needed), runs run with a
// context that Ctrl-C cancels, and closes everything. An error is printed as
// one line on stderr, prefixed with the example's name, and the process exits
// 1; the password is never printed.
func Main(name string, run func(ctx context.Context, env *Env) error) {
	flag.CommandLine.Init(name, flag.ExitOnError)
	flag.Usage = func() { usage(flag.CommandLine.Output(), name) }
	flag.Parse()
	os.Exit(runMain(name, run))
}

// usage is what -h prints: the flags, then the environment.
func usage(w io.Writer, name string) {
	n := 0
	flag.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		fmt.Fprintf(w, "Usage: %s\n", name)
	} else {
		fmt.Fprintf(w, "Usage: %s [flags]\n\nFlags:\n", name)
		flag.PrintDefaults()
	}
	fmt.Fprintf(w, "\n%s", EnvHelp)
}

// runMain is Main without flag parsing and os.Exit: it returns the exit code.
func runMain(name string, run func(ctx context.Context, env *Env) error) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := func() error {
		cfg, err := ConfigFromEnv()
		if err != nil {
			return err
		}
		env, err := Connect(cfg, os.Stdout)
		if err != nil {
			return err
		}
		defer env.Close()
		return run(ctx, env)
	}()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %s\n", name, Describe(err))
		return 1
	}
	return 0
}
