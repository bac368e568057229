//go:build race

package vprotect_test

// The race detector slows the client and the fake several times over; tests
// that depend on how fast a request is served scale their time constants.
func init() { raceEnabled = true }
