package main

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/vprotect-go/vprotect"
)

// apiMetrics counts the SDK's requests and logins, fed by its Observer.
type apiMetrics struct {
	requests  *prometheus.CounterVec
	durations *prometheus.HistogramVec
	logins    *prometheus.CounterVec
	relogins  prometheus.Counter
	refreshes *prometheus.CounterVec
}

func newAPIMetrics() *apiMetrics {
	a := &apiMetrics{
		requests:  prometheus.NewCounterVec(prometheus.CounterOpts{Name: mAPIRequests.name, Help: mAPIRequests.help}, mAPIRequests.labels),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: mAPIDuration.name, Help: mAPIDuration.help, Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, mAPIDuration.labels),
		logins:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: mAPILogins.name, Help: mAPILogins.help}, mAPILogins.labels),
		relogins:  prometheus.NewCounter(prometheus.CounterOpts{Name: mAPIRelogins.name, Help: mAPIRelogins.help}),
		refreshes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: mRefreshes.name, Help: mRefreshes.help}, mRefreshes.labels),
	}
	for _, r := range []string{"success", "failure"} {
		a.refreshes.WithLabelValues(r)
		a.logins.WithLabelValues("first", r)
		a.logins.WithLabelValues("relogin", r)
	}
	return a
}

// collectors returns the API metrics, which the collector sends.
func (a *apiMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{a.requests, a.durations, a.logins, a.relogins, a.refreshes}
}

// observer is the SDK hook that feeds the metrics.
func (a *apiMetrics) observer() vprotect.Observer {
	return vprotect.Observer{
		Request: func(e vprotect.RequestEvent) {
			a.requests.WithLabelValues(e.Method, e.Route, strconv.Itoa(e.Status)).Inc()
			a.durations.WithLabelValues(e.Method, e.Route).Observe(e.Duration.Seconds())
		},
		Login: func(e vprotect.LoginEvent) {
			kind, result := "first", "success"
			if e.Relogin {
				kind = "relogin"
			}
			if e.Err != nil {
				result = "failure"
			}
			a.logins.WithLabelValues(kind, result).Inc()
			if e.Relogin && e.Err == nil {
				a.relogins.Inc()
			}
		},
	}
}

// refreshed counts one refresh.
func (a *apiMetrics) refreshed(err error) {
	if err != nil {
		a.refreshes.WithLabelValues("failure").Inc()
		return
	}
	a.refreshes.WithLabelValues("success").Inc()
}
