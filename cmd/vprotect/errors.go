package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/vprotect-go/vprotect"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1 // something failed: the server, the network, a task
	exitUsage   = 2 // the command line or the configuration is wrong
)

// usageError is a mistake in the command line or the configuration: exit
// status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// commandError marks an error returned by a command (or the configuration
// step) rather than by cobra's parsing of the command line, which is a
// usage error.
type commandError struct{ err error }

func (e *commandError) Error() string { return e.err.Error() }
func (e *commandError) Unwrap() error { return e.err }

// opError is an API call that failed: what the command tried, and why.
type opError struct {
	op  string // "list the VMs"
	err error
}

func (e *opError) Error() string { return "cannot " + e.op + ": " + e.err.Error() }
func (e *opError) Unwrap() error { return e.err }

// failed wraps the error of an API call with what the command tried to do
// ("list the VMs"); nil stays nil.
func failed(op string, err error) error {
	if err == nil {
		return nil
	}
	return &opError{op: op, err: err}
}

// report prints err as one line on stderr and returns the exit status.
func (a *app) report(err error) int {
	if err == nil {
		return exitOK
	}
	var (
		usage *usageError
		cmd   *commandError
	)
	switch {
	case errors.As(err, &usage):
		fmt.Fprintf(a.stderr, "vprotect: %s\n", oneLine(usage.msg))
		return exitUsage
	case errors.As(err, &cmd):
		fmt.Fprintf(a.stderr, "vprotect: %s\n", describe(cmd.err))
		return exitFailure
	}
	// cobra's own: an unknown command or flag, a wrong number of arguments.
	fmt.Fprintf(a.stderr, "vprotect: %s (see vprotect --help)\n", oneLine(strings.Split(err.Error(), "\n")[0]))
	return exitUsage
}

// describe turns an error into the line printed before exit 1: what
// failed, in the user's terms, and what to do; no stack, no body dump. The
// password never shows: the SDK never puts it in an error.
func describe(err error) string {
	var op *opError
	if errors.As(err, &op) {
		return "cannot " + op.op + ": " + describe(op.err)
	}
	var (
		apiErr   *vprotect.APIError
		trErr    *vprotect.TransportError
		taskErr  *vprotect.TaskFailedError
		argErr   *vprotect.ArgumentError
		verifyEr *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		invalid  x509.CertificateInvalidError
		recHdr   tls.RecordHeaderError
		opErr    *net.OpError
	)
	switch {
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest &&
		strings.Contains(apiErr.Message+apiErr.Body, "HTTP request to an HTTPS server"):
		// Go's TLS servers answer plain HTTP so; the 400 of a login would
		// read as a wrong password.
		return "the server speaks HTTPS; use an https:// --url (VPROTECT_URL)"
	case errors.Is(err, vprotect.ErrInvalidCredentials):
		return "login failed: wrong user or password; check --user (VPROTECT_USER) and VPROTECT_PASSWORD"
	case errors.Is(err, context.Canceled):
		return "interrupted"
	case errors.As(err, &taskErr):
		return oneLine(taskErr.Error())
	case errors.As(err, &argErr):
		return oneLine(argErr.Error())
	case errors.As(err, &verifyEr), errors.As(err, &unknown), errors.As(err, &hostErr), errors.As(err, &invalid):
		return "the server's certificate is not trusted (" + oneLine(innermost(err)) +
			"); give its certificate with --ca-file (VPROTECT_CA_FILE), or --insecure in a lab"
	case errors.As(err, &recHdr):
		return "the server does not speak HTTPS; use an http:// --url (VPROTECT_URL)"
	case errors.Is(err, vprotect.ErrForbidden):
		return oneLine(trimPrefix(err.Error())) + "; the user lacks the permission for this"
	case errors.As(err, &apiErr):
		return oneLine(trimPrefix(apiErr.Error()))
	case errors.As(err, &trErr) && errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer from the server within %s (%s %s); check --url (VPROTECT_URL)", callTimeout, trErr.Method, trErr.Path)
	case errors.As(err, &trErr) && errors.As(err, &opErr):
		return "cannot reach the server: " + oneLine(opErr.Error()) + "; check --url (VPROTECT_URL)"
	case errors.As(err, &trErr):
		return "cannot reach the server: " + oneLine(innermost(err)) + "; check --url (VPROTECT_URL)"
	}
	return oneLine(trimPrefix(err.Error()))
}

// trimPrefix drops the SDK's "vprotect: " (the line starts with it already).
func trimPrefix(s string) string { return strings.TrimPrefix(s, "vprotect: ") }

// innermost returns the message of the deepest wrapped error.
func innermost(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// oneLine keeps a message on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
