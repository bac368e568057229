// Command vprotect is a command-line client of the Storware vProtect REST
// API, built on the SDK github.com/vprotect-go/vprotect: list VMs, their
// backups, tasks, schedules, policies and rules, and reconcile policies from
// a file, from any machine that reaches the server.
//
//	export VPROTECT_URL=https://vprotect.example.com:8181/api VPROTECT_USER=admin
//	vprotect vms               # asks for the password on a terminal
//	vprotect vms -o json       # for scripts
//	vprotect --demo vms        # against an embedded fake server with demo data
//
// Exit status: 0 on success, 1 when something failed (one line on stderr
// naming what failed and what to do), 2 on a usage error. Run
// "vprotect help" for every command and flag.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}
