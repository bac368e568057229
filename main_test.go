package vprotect

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if addr := os.Getenv(benchServeEnv); addr != "" {
		os.Exit(serveBenchProcess(addr)) // the benchmark server process (bench_helpers_test.go)
	}
	goleak.VerifyTestMain(stopsBenchServer{m})
}

// stopsBenchServer runs the tests and then ends the benchmark server
// process, if one was started.
type stopsBenchServer struct{ m *testing.M }

func (s stopsBenchServer) Run() int {
	defer stopBenchProcess()
	return s.m.Run()
}
