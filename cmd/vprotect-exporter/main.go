// Command vprotect-exporter serves Prometheus metrics of a Storware
// vProtect server: its VMs and their protection, tasks, backups, backup
// destinations, nodes, policies and schedules, and the exporter's own API
// calls. It keeps one session, caches a refresh for -cache-ttl so that
// several Prometheus servers cost one round of API calls, and answers every
// scrape within -scrape-timeout, with the last good values marked stale
// and vprotect_up 0 when the server is slow or failing.
//
//	VPROTECT_PASSWORD=secret vprotect-exporter -url https://vprotect.example.com:8181/api -user monitor
//	vprotect-exporter -demo
//
// It serves /metrics and /healthz on -listen (default :9817). SIGTERM or
// SIGINT stops it with exit status 0. See the README for every flag and
// metric.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is the whole program: it serves until ctx ends and returns the exit
// status (0 after a signal, 1 for a bad configuration, 2 for bad flags).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	cfg, err := parseConfig(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "vprotect-exporter:", err)
		return 2
	}
	if cfg.demo {
		fake := vprotecttest.NewServer()
		defer fake.Close()
		cfg.url, cfg.user, cfg.password = fake.URL(), vprotecttest.DefaultLogin, vprotecttest.DefaultPassword
		fmt.Fprintln(stdout, "demo: serving the metrics of an embedded fake vProtect at", fake.URL())
	}
	api := newAPIMetrics()
	client, err := newClient(cfg, api.observer())
	if err != nil {
		fmt.Fprintln(stderr, "vprotect-exporter:", err)
		return 1
	}
	defer client.Close()
	reg := newRegistry(newCache(cfg, client, log, api), api)

	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		fmt.Fprintln(stderr, "vprotect-exporter:", err)
		return 1
	}
	srv := &http.Server{Handler: newMux(reg), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "vprotect-exporter: serving http://%s/metrics for %s\n", ln.Addr(), cfg.url)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintln(stderr, "vprotect-exporter:", err)
		return 1
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	_ = client.Logout(shutdown) // end the session rather than leave it to expire
	fmt.Fprintln(stdout, "vprotect-exporter: stopped")
	return 0
}

// newClient makes the one SDK client the exporter keeps: one session,
// logged in again by the SDK when it expires.
func newClient(cfg *config, obs vprotect.Observer) (*vprotect.Client, error) {
	opts := []vprotect.Option{
		vprotect.WithCredentials(cfg.user, cfg.password),
		vprotect.WithTimeout(cfg.timeout),
		vprotect.WithObserver(obs),
		vprotect.WithUserAgent("vprotect-exporter/" + vprotect.Version),
	}
	if cfg.caFile != "" {
		pem, err := os.ReadFile(cfg.caFile)
		if err != nil {
			return nil, fmt.Errorf("CA file: %w", err)
		}
		pool, err := vprotect.CertPoolFromPEM(pem)
		if err != nil {
			return nil, fmt.Errorf("CA file %s: %w", cfg.caFile, err)
		}
		opts = append(opts, vprotect.WithRootCAs(pool))
	}
	if cfg.insecure {
		opts = append(opts, vprotect.WithInsecureSkipVerify())
	}
	return vprotect.New(cfg.url, opts...)
}

// newCache wires the fetcher to the cache.
func newCache(cfg *config, client *vprotect.Client, log *slog.Logger, api *apiMetrics) *cache {
	f := &fetcher{client: client, window: cfg.backupWindow, concurrency: cfg.concurrency, now: time.Now}
	return &cache{fetch: f.fetch, ttl: cfg.cacheTTL, timeout: cfg.timeout, now: time.Now, log: log, refreshed: api.refreshed}
}

// newRegistry registers the vProtect metrics, the API metrics and the
// usual Go and process metrics.
func newRegistry(c *cache, api *apiMetrics) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(&collector{cache: c, api: api})
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// newMux serves /metrics, /healthz (the exporter runs; it does not call
// vProtect) and a small index page.
func newMux(reg *prometheus.Registry) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, `<html><body><h1>vprotect-exporter</h1><p><a href="/metrics">/metrics</a> <a href="/healthz">/healthz</a></p></body></html>`+"\n")
	})
	return mux
}
