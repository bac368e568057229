#!/usr/bin/env python3
"""Python requests on the SDK benchmark's bytes, for scripts/bench.

usage: bench_requests.py URL [LIST_RUNS [GET_RUNS]]

URL is the benchmark server (the SDK's test binary started with
VPROTECT_BENCH_SERVE set, as scripts/bench does), which serves the same
bytes as the Go benchmarks. It logs in once with a requests.Session, then
times `session.get(url).json()` for the list of 10,000 VMs and for one VM,
and prints one line per case in the format of `go test -bench`
(BenchmarkVMList10k/python, BenchmarkVMGet/python) so that scripts/bench
reads it beside the Go results.
"""

import sys
import time

import requests

GUID = "c9b1c5a4-0000-4000-8000-000000000001"


def timed(fn, runs):
    start = time.perf_counter_ns()
    for _ in range(runs):
        fn()
    return (time.perf_counter_ns() - start) / runs


def main():
    base = sys.argv[1].rstrip("/") + "/api"
    list_runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    get_runs = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    s = requests.Session()
    s.post(base + "/session/login", json={"login": "admin", "password": "vprotect"}).raise_for_status()

    def list_vms():
        vms = s.get(base + "/virtual-machines").json()
        assert len(vms) == 10000, len(vms)

    def get_vm():
        vm = s.get(base + "/virtual-machines/" + GUID).json()
        assert vm["guid"] == GUID

    list_vms()  # warm up: the connection, the first allocation
    print("BenchmarkVMList10k/python\t%d\t%.0f ns/op" % (list_runs, timed(list_vms, list_runs)), flush=True)
    get_vm()
    print("BenchmarkVMGet/python\t%d\t%.0f ns/op" % (get_runs, timed(get_vm, get_runs)), flush=True)


if __name__ == "__main__":
    main()
