package main

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/vprotect-go/vprotect"
)

// collector turns the cached snapshot into metrics at each scrape, and
// sends the API metrics after the refresh the scrape may have started, so
// that a scrape counts its own API calls.
type collector struct {
	cache *cache
	api   *apiMetrics
}

// Describe sends the descriptors of every family.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range families {
		if m.desc != nil {
			ch <- m.desc
		}
	}
	for _, a := range c.api.collectors() {
		a.Describe(ch)
	}
}

// Collect sends the exporter's state, the API metrics and, once a refresh
// has succeeded, the values of the latest good one.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	v := c.cache.get()
	for _, a := range c.api.collectors() {
		a.Collect(ch)
	}
	e := emitter{ch}
	e.gauge(mUp, b2f(v.up))
	e.gauge(mStale, b2f(v.stale))
	e.gauge(mScrapeDuration, v.took.Seconds())
	if v.snap == nil {
		return
	}
	s := v.snap
	e.gauge(mLastSuccess, unix(s.at))
	e.vms(s)
	e.tasks(s)
	e.backups(s)
	e.infrastructure(s)
	e.policies(s)
}

// emitter sends const metrics.
type emitter struct{ ch chan<- prometheus.Metric }

func (e emitter) gauge(m *metric, v float64, labels ...string) {
	e.ch <- prometheus.MustNewConstMetric(m.desc, prometheus.GaugeValue, v, labels...)
}

// timestamp sends t as UNIX seconds, nothing for the zero time.
func (e emitter) timestamp(m *metric, t time.Time, labels ...string) {
	if !t.IsZero() {
		e.gauge(m, unix(t), labels...)
	}
}

func (e emitter) vms(s *snapshot) {
	gaps := vmIntervals(s)
	for i := range s.vms {
		vm := &s.vms[i]
		var project, policyGUID, policy, manager string
		if vm.Project != nil {
			project = vm.Project.Name
		}
		if vm.VMBackupPolicy != nil {
			policyGUID, policy = vm.VMBackupPolicy.GUID, vm.VMBackupPolicy.Name
		}
		if vm.HVManager != nil {
			manager = vm.HVManager.Name
		}
		id := vm.GUID
		e.gauge(mVMInfo, 1, id, vm.Name, project, policyGUID, policy, manager)
		e.gauge(mVMPresent, b2f(vm.Present), id)
		e.gauge(mVMProtected, b2f(vm.VMBackupPolicy != nil), id)
		if vm.BackupUpToDate != nil {
			e.gauge(mVMUpToDate, b2f(*vm.BackupUpToDate), id)
		}
		e.timestamp(mVMLastBackup, vm.LastBackup.Time, id)
		e.gauge(mVMLastSize, float64(vm.LastSuccessfulBackupSize), id)
		e.gauge(mVMLastFullSize, float64(vm.LastSuccessfulFullBackupSize), id)
		m := s.marks[id]
		e.timestamp(mVMLastOK, m.any, id)
		e.timestamp(mVMLastFull, m.full, id)
		if d, ok := gaps[id]; ok {
			e.gauge(mVMMaxBackupGap, d.Seconds(), id)
		}
	}
}

// typeState is a task's type and state, the labels of task counts.
type typeState struct{ typ, state string }

func (e emitter) tasks(s *snapshot) {
	counts := map[typeState]int{}
	ended := map[typeState]int{}
	hourAgo := s.at.Add(-time.Hour)
	for i := range s.tasks {
		t := &s.tasks[i]
		k := typeState{string(t.Type.Name), string(t.State.Name)}
		counts[k]++
		if t.State.Name.IsTerminal() && !t.FinishTime.IsZero() && !t.FinishTime.Before(hourAgo) {
			ended[k]++
		}
		if t.State.Name == vprotect.TaskStateRunning {
			var vmGUID, vm string
			if t.ProtectedEntity != nil {
				vmGUID, vm = t.ProtectedEntity.GUID, t.ProtectedEntity.Name
			}
			e.gauge(mTaskProgress, t.Progress/100, t.GUID, string(t.Type.Name), vmGUID, vm)
		}
	}
	for k, n := range counts {
		e.gauge(mTasks, float64(n), k.typ, k.state)
	}
	for k, n := range ended {
		e.gauge(mTasksEnded, float64(n), k.typ, k.state)
	}
}

func (e emitter) backups(s *snapshot) {
	counts := map[string]int{}
	for i := range s.backups {
		counts[string(s.backups[i].Status.Name)]++
	}
	for status, n := range counts {
		e.gauge(mBackupsInWindow, float64(n), status)
	}
	e.gauge(mBackupWindow, s.window.Seconds())
}

func (e emitter) infrastructure(s *snapshot) {
	for i := range s.destinations {
		d := &s.destinations[i]
		e.gauge(mDestInfo, 1, d.GUID, d.Name, string(d.Type.Name))
		e.gauge(mDestUsed, float64(d.TotalUsedSpace), d.GUID)
		e.gauge(mDestAvailable, float64(d.TotalAvailableSpace), d.GUID)
		if d.TotalUsedSpace+d.TotalAvailableSpace > 0 {
			e.gauge(mDestCapacity, float64(d.TotalUsedSpace+d.TotalAvailableSpace), d.GUID)
		}
		e.gauge(mDestDedupUsed, float64(d.TotalDedupUsedSpace), d.GUID)
		e.gauge(mDestDedupAvail, float64(d.TotalDedupAvailableSpace), d.GUID)
	}
	for i := range s.nodes {
		n := &s.nodes[i]
		e.gauge(mNodeInfo, 1, n.GUID, n.Name, n.Version, n.State.Name, n.NodeIP)
		e.gauge(mNodeUp, b2f(n.State.Name == "RUNNING"), n.GUID)
		e.timestamp(mNodeLastSeen, n.LastSeen.Time, n.GUID)
		e.gauge(mNodeStaging, float64(n.StagingSpace.TotalSpace), n.GUID)
		e.gauge(mNodeStagingUse, float64(n.StagingSpace.UsedSpace), n.GUID)
	}
}

func (e emitter) policies(s *snapshot) {
	vms := map[string]int{} // per policy GUID: the VMs whose vmBackupPolicy it is
	for i := range s.vms {
		if p := s.vms[i].VMBackupPolicy; p != nil {
			vms[p.GUID]++
		}
	}
	for i := range s.policies {
		p := &s.policies[i]
		rules, active := 0, 0
		for _, r := range p.Rules {
			if r.MarkedForDeletion {
				continue
			}
			rules++
			if r.Active {
				active++
			}
		}
		e.gauge(mPolicyInfo, 1, p.GUID, p.Name)
		e.gauge(mPolicyActive, b2f(p.Active), p.GUID)
		e.gauge(mPolicyVMs, float64(vms[p.GUID]), p.GUID)
		e.gauge(mPolicyRules, float64(rules), p.GUID)
		e.gauge(mPolicyRulesOn, float64(active), p.GUID)
	}
	for i := range s.schedules {
		sc := &s.schedules[i]
		e.gauge(mScheduleInfo, 1, sc.GUID, sc.Name, string(sc.Type.Name), string(sc.BackupType.Name), string(sc.ExecutionType.Name))
		e.gauge(mScheduleActive, b2f(sc.Active), sc.GUID)
		e.timestamp(mScheduleLast, sc.LastRun.Time, sc.GUID)
		if d, ok := maxInterval(sc); ok {
			e.gauge(mScheduleGap, d.Seconds(), sc.GUID)
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func unix(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }
