package main

import (
	"context"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// app is one run of the program: its streams, its environment, the global
// flags, and the client once a command asks for it.
type app struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// loc is the zone of the times in tables: $TZ, else the local zone.
	loc *time.Location
	// now is the clock of lines that follow events (tasks --watch) and of
	// the times the commands send (a backup's window).
	now func() time.Time

	flags globalFlags
	cfg   config

	// demoOptions are added to the embedded fake server of --demo (tests
	// fix its clock so that the demo data's times are the same each run).
	demoOptions []vprotecttest.Option
	// clientOptions are added to the client's options (tests poll tasks
	// more often).
	clientOptions []vprotect.Option

	client *vprotect.Client
	demo   *vprotecttest.Server
}

// run is the whole program: it runs the command of args and returns the
// exit status (0 ok, 1 failed, 2 usage error). Tests call it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	return newApp(getenv, stdin, stdout, stderr).execute(ctx, args)
}

func newApp(getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) *app {
	loc := time.Local
	if tz := getenv("TZ"); tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		}
	}
	return &app{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr, loc: loc, now: time.Now}
}

// execute builds the command tree, runs the command of args, closes the
// client and the demo server, and prints the error, if any, as one line.
func (a *app) execute(ctx context.Context, args []string) int {
	root := a.rootCommand()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	a.close()
	return a.report(err)
}

// rootCommand returns the command tree.
//
// Adding a command: write a file named for it (or its group) with a
// function returning its *cobra.Command, built with a.command so that its
// errors get the exit status 1 and usage errors 2; get the client with
// a.connect(cmd.Context()); print results with a.render (a table for people,
// -o json and -o yaml from the same view type); and add the function to the
// list below. Its test runs it in-process against vprotecttest with golden
// outputs (see main_test.go).
func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "vprotect",
		Short: "Work with a Storware vProtect server from the command line",
		Long: `vprotect works with a Storware vProtect server through its REST API: VMs and
their backups, tasks, schedules, policies and rules.

The server and the login come from the flags or the environment:
  --url       VPROTECT_URL        API root, e.g. https://vprotect.example.com:8181/api
  --user      VPROTECT_USER       login
              VPROTECT_PASSWORD   password; unset: asked for on a terminal (never a flag,
                                  so that it stays out of shell history and ps)
  --ca-file   VPROTECT_CA_FILE    PEM file with the server's certificate (self-signed servers)
  --insecure  VPROTECT_INSECURE   1: do not verify the server's certificate (labs only)
  --tenant    VPROTECT_TENANT     tenant (OpenStack project id) to work in
  --demo                          run against an embedded fake server with demo data
  --log       VPROTECT_LOG        1: log each request on stderr; debug: with the bodies
                                  (passwords and cookies masked)

Times in tables are in the local zone ($TZ), with the zone named; -o json and
-o yaml give raw values: times in RFC 3339 (UTC), sizes in bytes.

Exit status: 0 success, 1 failure (one line on stderr), 2 usage error.`,
		SilenceErrors:     true,
		SilenceUsage:      true,
		PersistentPreRunE: a.wrap(func(cmd *cobra.Command, _ []string) error { return a.configure(cmd) }),
	}
	a.flags.register(root)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErrorf("%v", err) })
	root.AddCommand(
		a.vmsCommand(),
		a.vmCommand(),
		a.backupsCommand(),
		a.backupCommand(),
		a.tasksCommand(),
		a.taskCommand(),
		a.schedulesCommand(),
		a.policiesCommand(),
		a.rulesCommand(),
		a.ruleCommand(),
		a.applyCommand(),
		a.versionCommand(),
		a.restoreCommand(),
		a.filesCommand(),
	)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout) // before the completion command, which keeps the writer it finds
	root.SetErr(a.stderr)
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			a.group(c)
		}
	}
	return root
}

// group makes c, a command of subcommands, refuse an unknown subcommand
// with a usage error (cobra prints the help and succeeds) and print its
// help when given none.
func (a *app) group(c *cobra.Command) *cobra.Command {
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		return usageErrorf("unknown command %q for %q", args[0], cmd.CommandPath())
	}
	return c
}

// command returns a command whose errors report as failures (exit 1)
// unless they are usage errors.
func (a *app) command(c *cobra.Command, runE func(cmd *cobra.Command, args []string) error) *cobra.Command {
	c.RunE = a.wrap(runE)
	return c
}

// wrap marks the errors of f as the command's own (see report).
func (a *app) wrap(f func(cmd *cobra.Command, args []string) error) func(cmd *cobra.Command, args []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := f(cmd, args); err != nil {
			return &commandError{err: err}
		}
		return nil
	}
}
