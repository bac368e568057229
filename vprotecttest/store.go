package vprotecttest

import "time"

// store keeps the objects of one kind by GUID in insertion order, and enters
// each in the name index its state shares across kinds.
type store[T any] struct {
	order []string
	m     map[string]*T
	names nameIndex
	guid  func(*T) *string // the object's GUID field
	name  func(*T) string  // the name a reference to the object shows
}

// nameIndex finds, for any GUID the state holds, the store that holds it.
type nameIndex map[string]interface{ nameOf(guid string) string }

func newStore[T any](names nameIndex, guid func(*T) *string, name func(*T) string) store[T] {
	return store[T]{m: map[string]*T{}, names: names, guid: guid, name: name}
}

func (st *store[T]) put(guid string, v *T) {
	if _, ok := st.m[guid]; !ok {
		st.order = append(st.order, guid)
	}
	st.m[guid] = v
	st.names[guid] = st
}

func (st *store[T]) get(guid string) (*T, bool) {
	v, ok := st.m[guid]
	return v, ok && guid != ""
}

func (st *store[T]) del(guid string) {
	if _, ok := st.m[guid]; !ok {
		return
	}
	delete(st.m, guid)
	delete(st.names, guid)
	for i, g := range st.order {
		if g == guid {
			st.order = append(st.order[:i:i], st.order[i+1:]...)
			break
		}
	}
}

func (st *store[T]) all() []*T {
	out := make([]*T, 0, len(st.order))
	for _, g := range st.order {
		out = append(out, st.m[g])
	}
	return out
}

// nameOf is the current name of the object guid ("" when not held).
func (st *store[T]) nameOf(guid string) string {
	if v, ok := st.m[guid]; ok {
		return st.name(v)
	}
	return ""
}

// state is everything the fake knows; it is guarded by Server.mu.
type state struct {
	names       nameIndex
	nodes       store[Node]
	dests       store[BackupDestination]
	managers    store[HypervisorManager]
	hypervisors store[Hypervisor]
	clusters    store[HypervisorCluster]
	storages    store[HypervisorStorage]
	projects    store[Project]
	vms         store[VM]
	backups     store[Backup]
	schedules   store[Schedule]
	policies    store[Policy]
	rules       store[Rule]
	tasks       store[taskRec]
	networks    store[Network]
	flavors     store[VMFlavor]
	credentials store[Credential]
	restoreJobs store[restoreJob]
	vmDisks     map[string][]vmDisk // by VM GUID, made on first use (parts.go)
	vmNICs      map[string][]vmNIC  // by VM GUID, made on first use (parts.go)
	snapPols    store[SnapshotPolicy]
	snapRules   store[SnapshotRule]
	snapshots   store[Snapshot]
	mailLists   store[MailingList]
	mounts      store[mountRec]
	mountedFSs  store[mountedFS]
	schedRun    map[string]*schedRun
	active      []*taskRec // tasks not yet in a terminal state, creation order
	taskSeq     int
	nextID      int
	partSeq     int       // counter of partGUID
	cleanupEval time.Time // the last cleanup run, or the last marking (handlers_retention.go)
	used        map[string]bool
}

func newState() *state {
	names := nameIndex{}
	return &state{
		names:       names,
		nodes:       newStore(names, func(v *Node) *string { return &v.GUID }, func(v *Node) string { return v.Name }),
		dests:       newStore(names, func(v *BackupDestination) *string { return &v.GUID }, func(v *BackupDestination) string { return v.Name }),
		managers:    newStore(names, func(v *HypervisorManager) *string { return &v.GUID }, func(v *HypervisorManager) string { return v.Name }),
		hypervisors: newStore(names, func(v *Hypervisor) *string { return &v.GUID }, func(v *Hypervisor) string { return v.Name }),
		clusters:    newStore(names, func(v *HypervisorCluster) *string { return &v.GUID }, func(v *HypervisorCluster) string { return v.Name }),
		storages:    newStore(names, func(v *HypervisorStorage) *string { return &v.GUID }, func(v *HypervisorStorage) string { return v.Name }),
		projects:    newStore(names, func(v *Project) *string { return &v.GUID }, func(v *Project) string { return v.Name }),
		vms:         newStore(names, func(v *VM) *string { return &v.GUID }, func(v *VM) string { return v.Name }),
		backups:     newStore(names, func(v *Backup) *string { return &v.GUID }, backupName),
		schedules:   newStore(names, func(v *Schedule) *string { return &v.GUID }, func(v *Schedule) string { return v.Name }),
		policies:    newStore(names, func(v *Policy) *string { return &v.GUID }, func(v *Policy) string { return v.Name }),
		rules:       newStore(names, func(v *Rule) *string { return &v.GUID }, func(v *Rule) string { return v.Name }),
		tasks:       newStore(names, func(v *taskRec) *string { return &v.GUID }, func(v *taskRec) string { return v.Type.Description }),
		networks:    newStore(names, func(v *Network) *string { return &v.GUID }, func(v *Network) string { return v.Name }),
		flavors:     newStore(names, func(v *VMFlavor) *string { return &v.GUID }, func(v *VMFlavor) string { return v.Name }),
		credentials: newStore(names, func(v *Credential) *string { return &v.GUID }, func(v *Credential) string { return v.Name }),
		restoreJobs: newStore(names, func(v *restoreJob) *string { return &v.guid }, func(v *restoreJob) string { return "Restore job" }),
		vmDisks:     map[string][]vmDisk{},
		vmNICs:      map[string][]vmNIC{},
		snapPols:    newStore(names, func(v *SnapshotPolicy) *string { return &v.GUID }, func(v *SnapshotPolicy) string { return v.Name }),
		snapRules:   newStore(names, func(v *SnapshotRule) *string { return &v.GUID }, func(v *SnapshotRule) string { return v.Name }),
		snapshots:   newStore(names, func(v *Snapshot) *string { return &v.GUID }, func(v *Snapshot) string { return v.UUID }),
		mailLists:   newStore(names, func(v *MailingList) *string { return &v.GUID }, func(v *MailingList) string { return v.Name }),
		mounts:      newStore(names, func(v *mountRec) *string { return &v.guid }, func(v *mountRec) string { return v.vmName }),
		mountedFSs:  newStore(names, func(v *mountedFS) *string { return &v.GUID }, func(v *mountedFS) string { return v.MountPath }),
		schedRun:    map[string]*schedRun{},
		used:        map[string]bool{},
		nextID:      firstRuntimeGUID,
	}
}

// nameOf finds the name of any object by GUID ("" when unknown).
func (st *state) nameOf(guid string) string {
	if n, ok := st.names[guid]; ok && guid != "" {
		return n.nameOf(guid)
	}
	return ""
}
