package vprotect

// Guards on the duplication the package keeps on purpose: the public request
// types and their unexported request forms, and each service and its
// interface. Each guard fails when one side changes without the other.

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// requestFormCase is one public type whose fields a request form sends.
type requestFormCase struct {
	// typ is the public type whose fields are checked.
	typ reflect.Type
	// bases are valid requests (pointers to the root type); a field counts
	// as sent when changing it in one of them changes the body.
	bases []func() any
	// at returns the value of typ inside a root (addressable).
	at func(root reflect.Value) reflect.Value
	// build checks a root and returns its body.
	build func(root any) (any, error)
	// responseOnly names the fields that are not sent, and why.
	responseOnly map[string]string
	// together changes, in a copy of the first base, a field that cannot
	// change alone (a request's mode decides which other fields it needs)
	// along with what its new value needs; the field counts as sent when
	// the body changes.
	together map[string]func(root any)
}

var guardNow = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

func guardPolicy() any {
	p := NewPolicy("gold", "vm-1", "vm-2")
	p.GUID = "pol-1"
	p.Priority = 40
	p.Active = true
	p.AutoAssignSettings = AutoAssignSettings{
		Mode:        EnumOf(AutoAssignModeAssignOnly),
		IncludeTags: []string{"prod"}, ExcludeTags: []string{"tmp"},
		IncludeRegExps: []string{"^web"}, ExcludeRegExps: []string{"-test$"},
		HVClusters: Refs("cl-1"), Projects: Refs("prj-1"),
	}
	p.Rules = []Rule{*guardRule().(*Rule)}
	p.BackupRetryCount = 2
	p.FailRemainingBackupTasksExportThreshold = Ptr(10)
	p.FailRemainingBackupTasksStoreThreshold = Ptr(20)
	p.MailingList = RefPtr("ml-1")
	p.Projects = Refs("prj-1")
	p.TenantID = "tenant-1"
	return p
}

// guardPolicy7x is guardPolicy with its tenant set by the 7.x name.
func guardPolicy7x() any {
	p := guardPolicy().(*Policy)
	p.TenantID, p.ProjectUUID = "", "uuid-1"
	return p
}

func guardRule() any {
	r := NewRule("daily", "pol-1", []string{"sch-1"}, "bd-1")
	r.GUID = "rule-1"
	r.Position = 1
	d := &r.RuleBackupDestinations[0]
	d.GUID = "rbd-1"
	d.Type = EnumNameAndDescription{Name: "SYNTHETICXFS"}
	d.DaysToKeepRetentionLock = 7
	return r
}

func guardTimeSchedule() any {
	return &Schedule{
		GUID: "sch-1", Name: "nightly", Active: true,
		Type: EnumOf(ScheduleTypeVMBackup), BackupType: EnumOf(BackupTypeIncremental),
		ExecutionType:        EnumOf(ExecutionTypeTime),
		Hour:                 Ptr(TimeOfDay(2 * time.Hour)),
		StartWindowLength:    Ptr(Duration(time.Hour)),
		DaysOfWeek:           EnumsOf(DayOfWeekMonday, DayOfWeekFriday),
		DayOfWeekOccurrences: EnumsOf(DayOfWeekOccurrenceFirst),
		Months:               EnumsOf(MonthJanuary),
		Rules:                Refs("rule-1"),
		TenantID:             "tenant-1",
	}
}

// guardSchedule7x is guardTimeSchedule with its tenant set by the 7.x name.
func guardSchedule7x() any {
	s := guardTimeSchedule().(*Schedule)
	s.TenantID, s.ProjectUUID = "", "uuid-1"
	return s
}

func guardIntervalSchedule() any {
	s := guardTimeSchedule().(*Schedule)
	s.ExecutionType = EnumOf(ExecutionTypeInterval)
	s.Hour, s.StartWindowLength = nil, nil
	s.Interval = &ScheduleInterval{StartHour: TimeOfDay(time.Hour), EndHour: TimeOfDay(5 * time.Hour), Frequency: Duration(time.Hour)}
	return s
}

func guardExport() any {
	return &ExportRequest{
		ProtectedEntities: []string{"vm-1"}, BackupType: BackupTypeIncremental,
		BackupDestination: "bd-1", Rules: []string{"rule-1"}, Priority: Ptr(60),
		WindowStart: guardNow.Add(time.Hour), WindowEnd: guardNow.Add(3 * time.Hour),
		RetryCount: 1, TenantID: "tenant-1",
	}
}

func guardRestoreToHypervisor() any {
	return &RestoreRequest{
		Backup: "bk-1", BackupLocation: "loc-1", Hypervisor: "hv-1",
		RestoredPEName: "web-restored", RestoreStorageID: "st-uuid", RestoreClusterID: "cl-uuid",
		RestoreProject: "prj", DataCenter: "dc-1", Overwrite: true,
		DiskAllocationFormat: DiskAllocationFormatSparse, RestoreToOriginalVolumeType: true,
		VMFlavor: "flavor-1",
		Networks: []RestoredNetwork{{Network: "net-1", NetworkInterfaceCard: "nic-1", SecurityGroups: []string{"sg-1"}, MACAddress: "52:54:00:00:00:01"}},
		TaskFiles: []RestoreTaskFile{{BackupFile: "bf-1", Path: "/p/disk1", OriginalDiskName: "disk1", DiskName: "disk1-r",
			StorageID: "st-uuid-2", ExcludedFromRestore: true}},
		TenantID: "tenant-1",
	}
}

func guardRestoreToManager() any {
	r := guardRestoreToHypervisor().(*RestoreRequest)
	r.Hypervisor, r.HypervisorManager = "", "hvm-1"
	return r
}

func guardSnapshotPolicy() any {
	p := NewSnapshotPolicy("hourly", 3, 7, []string{"sch-1"}, "vm-1")
	p.GUID = "spol-1"
	p.AutoAssignSettings.IncludeTags = []string{"prod"}
	p.BackupRetryCount = 1
	p.FailRemainingBackupTasksExportThreshold = Ptr(10)
	p.FailRemainingBackupTasksStoreThreshold = Ptr(20)
	return p
}

func guardSnapshotRule() any {
	r := NewSnapshotPolicy("hourly", 3, 7, []string{"sch-1"}).Rules[0]
	r.GUID, r.Policy, r.Position = "srule-1", RefPtr("spol-1"), 1
	return &r
}

func guardMailingList() any {
	return &MailingList{GUID: "ml-1", Name: "ops", Recipients: []string{"ops@example.com"}}
}

func guardVMDisk() any {
	return &VMDisk{GUID: "disk-1", Name: "os", UUID: "u-1", Size: 1 << 30, Present: true, Supported: true,
		Type: EnumNameAndDescription{Name: "DISK"}}
}

func guardVMSettings() any {
	return &VirtualMachine{
		GUID: "vm-1", UUID: "u-1", Name: "web", VMBackupPolicy: RefPtr("pol-1"), SnapshotMgmtPolicy: RefPtr("spol-1"),
		Credential: RefPtr("cred-1"), QuiesceBeforeSnapshot: true, BaseImageCreationConfig: []byte(`{"a":1}`),
		VMExportImportMode: EnumOf(VMExportImportModeDiskAttachment), SSHHost: "10.0.0.1", SSHPort: 22, SSHUser: "root",
		SSHKeyPath: "/k", PreSnapCmdArgs: []string{"/bin/true"}, PreSnapCmdExecEnabled: true,
		PostSnapCmdArgs: []string{"/bin/true"}, PostSnapCmdExecEnabled: true, PreSnapIgnoredExitCodes: "1",
		PostSnapIgnoredExitCodes: "2", PreSnapStdErrorHandling: EnumOf(StdErrorHandlingIgnoreWithWarning),
		PostSnapStdErrorHandling: EnumOf(StdErrorHandlingDontIgnore),
	}
}

func guardSnapshotRequest() any {
	return &SnapshotRequest{ProtectedEntities: []string{"vm-1"}, Rule: "srule-1", Priority: Ptr(60)}
}

func guardMountAuto() any {
	return &RestoreAndMountRequest{BackupLocation: "loc-1", Mode: MountModeAuto, MountPath: "/mnt/vprotect/vm-1/20260105_120000",
		UnmountAfter: 2 * time.Hour, Node: "node-1"}
}

func guardMountManual() any {
	return &RestoreAndMountRequest{BackupLocation: "loc-1", Mode: MountModeManual, UnmountAfter: 2 * time.Hour,
		FileSystems: []MountFileSystem{{FileSystem: FileSystem{Volume: "/dev/sda1", Label: "boot", Type: "ext4", Size: 1 << 30}, MountPath: "/mnt/b"}}}
}

func guardMountISCSI() any {
	return &RestoreAndMountRequest{BackupLocation: "loc-1", Mode: MountModeISCSI, UnmountAfter: 2 * time.Hour,
		Disks: []string{"bf-1"}, AllowedClients: []string{"iqn.1994-05.com.redhat:client"}}
}

func rootValue(root reflect.Value) reflect.Value { return root.Elem() }

var requestFormCases = []requestFormCase{
	{
		typ:   reflect.TypeOf(SnapshotPolicy{}),
		bases: []func() any{guardSnapshotPolicy},
		at:    rootValue,
		build: func(root any) (any, error) { return newSnapshotPolicyBody("", root.(*SnapshotPolicy)) },
		responseOnly: map[string]string{
			"GUID":      "the body carries the GUID of the policy updated, the guid argument",
			"Rules":     "sent by their own call (CreateRule, UpdateRule; Save makes both)",
			"VMCount":   "a server count",
			"RuleCount": "a server count",
		},
	},
	{
		typ:   reflect.TypeOf(SnapshotRule{}),
		bases: []func() any{guardSnapshotRule},
		at:    rootValue,
		build: func(root any) (any, error) { return newSnapshotRuleBody("", root.(*SnapshotRule)) },
		responseOnly: map[string]string{
			"GUID":                    "the body carries the GUID of the rule updated, the guid argument",
			"VMCount":                 "a server count",
			"SchedulesCount":          "a server count",
			"Removable":               "the server's verdict",
			"DaysToKeepRetentionLock": "the server's setting; the UI does not send it for snapshot rules",
		},
	},
	{
		typ:   reflect.TypeOf(SnapshotRequest{}),
		bases: []func() any{guardSnapshotRequest},
		at:    rootValue,
		build: func(root any) (any, error) { return newSnapshotBody(*root.(*SnapshotRequest)) },
	},
	{
		typ:   reflect.TypeOf(MailingList{}),
		bases: []func() any{guardMailingList},
		at:    rootValue,
		build: func(root any) (any, error) { return newMailingListBody("", root.(*MailingList)) },
		responseOnly: map[string]string{
			"GUID":           "the body carries the GUID of the list updated, the guid argument",
			"RecipientCount": "a server count",
		},
	},
	{
		typ:   reflect.TypeOf(VMDisk{}),
		bases: []func() any{guardVMDisk},
		at:    rootValue,
		build: func(root any) (any, error) { return newVMDiskSettingsBody("disk-1", root.(*VMDisk)) },
		responseOnly: map[string]string{
			"GUID": "the body carries the GUID of the disk updated, the guid argument",
		},
	},
	{
		typ:   reflect.TypeOf(VirtualMachine{}),
		bases: []func() any{guardVMSettings},
		at:    rootValue,
		build: func(root any) (any, error) { return newVMSettingsBody("vm-1", root.(*VirtualMachine)) },
		responseOnly: map[string]string{
			"GUID":                         "the body carries the GUID of the VM updated, the guid argument",
			"OriginalName":                 "the server's record",
			"Present":                      "the inventory's state",
			"Type":                         "the inventory's record",
			"Hypervisor":                   "the inventory's record",
			"HVManager":                    "the inventory's record",
			"HVCluster":                    "the inventory's record",
			"HVType":                       "the inventory's record",
			"HVMType":                      "the inventory's record",
			"Project":                      "the inventory's record",
			"VMFlavor":                     "the inventory's record",
			"Networks":                     "the inventory's record",
			"BackupUpToDate":               "a server status",
			"LastBackup":                   "a server statistic",
			"LastSuccessfulBackupSize":     "a server statistic",
			"LastSuccessfulFullBackupSize": "a server statistic",
			"LastSuccessfulFullBackup":     "a server statistic",
			"LastSuccessfulIncBackup":      "a server statistic",
			"LastStoredSnapshot":           "the server's record",
			"LastChainMarkedForDeletion":   "the server's state",
			"RestoreStatus":                "a server status",
			"Restorable":                   "the server's verdict",
			"WarningsPresent":              "a server status",
			"AverageProgress":              "a server statistic",
			"PossibleActions":              "the server's verdict",
			"SupportsQuiesceSnapshot":      "the server's verdict",
			"Tags":                         "the hypervisor's tags",
			"VirtualProvider":              "the inventory's record",
			"Backups":                      "sent by older servers only",
			"Tasks":                        "sent by older servers only",
		},
	},
	{
		typ:   reflect.TypeOf(Policy{}),
		bases: []func() any{guardPolicy, guardPolicy7x},
		at:    rootValue,
		build: func(root any) (any, error) { return newPolicyBody("", root.(*Policy)) },
		responseOnly: map[string]string{
			"GUID":              "the body carries the GUID of the policy updated, the guid argument",
			"VMCount":           "a server count",
			"AverageBackupSize": "a server statistic",
			"RuleCount":         "a server count",
		},
	},
	{
		typ:   reflect.TypeOf(AutoAssignSettings{}),
		bases: []func() any{guardPolicy},
		at:    func(root reflect.Value) reflect.Value { return root.Elem().FieldByName("AutoAssignSettings") },
		build: func(root any) (any, error) { return newPolicyBody("", root.(*Policy)) },
	},
	{
		typ:   reflect.TypeOf(Rule{}),
		bases: []func() any{guardRule},
		at:    rootValue,
		build: func(root any) (any, error) { return newRuleBody("", root.(*Rule)) },
		responseOnly: map[string]string{
			"VMCount":                 "a server count",
			"SchedulesCount":          "a server count",
			"BackupCount":             "a server count",
			"Removable":               "the server's verdict",
			"MarkedForDeletion":       "the server's state; a policy body leaves such rules out",
			"DaysToKeepRetentionLock": "set per destination (RuleBackupDestination.DaysToKeepRetentionLock)",
		},
	},
	{
		typ:   reflect.TypeOf(RuleBackupDestination{}),
		bases: []func() any{guardRule},
		at: func(root reflect.Value) reflect.Value {
			return root.Elem().FieldByName("RuleBackupDestinations").Index(0)
		},
		build: func(root any) (any, error) { return newRuleBody("", root.(*Rule)) },
		responseOnly: map[string]string{
			"Rule": "implied by the rule that holds the destination",
		},
	},
	{
		typ:   reflect.TypeOf(Schedule{}),
		bases: []func() any{guardTimeSchedule, guardIntervalSchedule, guardSchedule7x},
		at:    rootValue,
		build: func(root any) (any, error) { return newScheduleBody("", root.(*Schedule)) },
		responseOnly: map[string]string{
			"GUID":     "the body carries the GUID of the schedule updated, the guid argument",
			"Policies": "the server derives them from the rules",
			"LastRun":  "the server's record",
		},
	},
	{
		typ:   reflect.TypeOf(ExportRequest{}),
		bases: []func() any{guardExport},
		at:    rootValue,
		build: func(root any) (any, error) { return newExportBody(*root.(*ExportRequest), guardNow) },
	},
	{
		typ:   reflect.TypeOf(RestoreRequest{}),
		bases: []func() any{guardRestoreToHypervisor, guardRestoreToManager},
		at:    rootValue,
		build: func(root any) (any, error) { return newRestoreBody(*root.(*RestoreRequest)) },
	},
	{
		typ:   reflect.TypeOf(RestoreTaskFile{}),
		bases: []func() any{guardRestoreToHypervisor},
		at:    func(root reflect.Value) reflect.Value { return root.Elem().FieldByName("TaskFiles").Index(0) },
		build: func(root any) (any, error) { return newRestoreBody(*root.(*RestoreRequest)) },
	},
	{
		typ:   reflect.TypeOf(RetentionMark{}),
		bases: []func() any{guardRetentionMark},
		at:    rootValue,
		build: func(root any) (any, error) { return newRetentionMarksBody([]RetentionMark{*root.(*RetentionMark)}) },
		responseOnly: map[string]string{
			"Hint": "sent (retention_mark.json shows it); the guard's changes, an empty and an unknown hint, are refused",
		},
	},
	{
		typ:   reflect.TypeOf(RestoreAndMountRequest{}),
		bases: []func() any{guardMountAuto, guardMountManual, guardMountISCSI},
		at:    rootValue,
		build: func(root any) (any, error) { return newRestoreAndMountBody(*root.(*RestoreAndMountRequest)) },
		together: map[string]func(root any){
			"Mode": func(root any) { // AUTO to MANUAL, with the file system MANUAL needs
				r := root.(*RestoreAndMountRequest)
				r.Mode, r.MountPath = MountModeManual, ""
				r.FileSystems = guardMountManual().(*RestoreAndMountRequest).FileSystems
			},
		},
	},
	{
		typ:   reflect.TypeOf(MountFileSystem{}),
		bases: []func() any{guardMountManual},
		at:    func(root reflect.Value) reflect.Value { return root.Elem().FieldByName("FileSystems").Index(0) },
		build: func(root any) (any, error) { return newRestoreAndMountBody(*root.(*RestoreAndMountRequest)) },
	},
}

func guardRetentionMark() any {
	return &RetentionMark{Backup: "bk-1", BackupDestination: "bd-1", RoleType: DestinationRolePrimary,
		Hint: RetentionHintArchive, KeepUntil: guardNow.Add(24 * time.Hour)}
}

// TestGuardRequestFormsSendEveryField fails when a public field of a request
// type is neither sent by the type's request form (changing it changes the
// body) nor on the case's response-only list, or when a listed field is sent
// after all.
func TestGuardRequestFormsSendEveryField(t *testing.T) {
	for _, tc := range requestFormCases {
		t.Run(tc.typ.Name(), func(t *testing.T) {
			for name := range tc.responseOnly {
				if _, ok := tc.typ.FieldByName(name); !ok {
					t.Errorf("response-only list names %s, which %s does not have", name, tc.typ.Name())
				}
			}
			for i := 0; i < tc.typ.NumField(); i++ {
				f := tc.typ.Field(i)
				if !f.IsExported() {
					continue
				}
				sent := tc.fieldSent(t, i) || tc.sentTogether(t, f.Name)
				why, listed := tc.responseOnly[f.Name]
				switch {
				case sent && listed:
					t.Errorf("%s.%s is sent; take it off the response-only list (%q)", tc.typ.Name(), f.Name, why)
				case !sent && !listed:
					t.Errorf("%s.%s is not sent by the request form: send it, or put it on the response-only list with the reason", tc.typ.Name(), f.Name)
				}
			}
		})
	}
}

// fieldSent reports whether changing field i of the case's type, in any of
// its bases, changes the body built from it.
func (tc requestFormCase) fieldSent(t *testing.T, i int) bool {
	t.Helper()
	for _, base := range tc.bases {
		root := base()
		want := tc.body(t, root)
		if want == "" {
			t.Fatalf("a base of %s does not build: fix the base", tc.typ.Name())
		}
		field := tc.at(reflect.ValueOf(root)).Field(i)
		for _, v := range perturbations(field, 2) {
			changed := deepCopy(reflect.ValueOf(root))
			tc.at(changed).Field(i).Set(v)
			if got := tc.body(t, changed.Interface()); got != "" && got != want {
				return true
			}
		}
	}
	return false
}

// sentTogether reports whether the case's together change of field
// changes the body of its first base, and not only through the other
// fields it changes.
func (tc requestFormCase) sentTogether(t *testing.T, field string) bool {
	t.Helper()
	change, ok := tc.together[field]
	if !ok {
		return false
	}
	base := tc.bases[0]()
	root := tc.bases[0]()
	change(root)
	got := tc.body(t, root)
	// The same change with the field itself as in the base: when that gives
	// the same body, the field is not what changed it.
	kept := deepCopy(reflect.ValueOf(root))
	fv, _ := tc.typ.FieldByName(field)
	tc.at(kept).FieldByIndex(fv.Index).Set(tc.at(reflect.ValueOf(base)).FieldByIndex(fv.Index))
	return got != "" && got != tc.body(t, base) && got != tc.body(t, kept.Interface())
}

// body returns the JSON of the body built from root, or "" when the
// request form refuses root.
func (tc requestFormCase) body(t *testing.T, root any) string {
	t.Helper()
	b, err := tc.build(root)
	if err != nil {
		return ""
	}
	out, err := json.Marshal(b)
	if err != nil {
		t.Fatalf("marshal %T: %v", b, err)
	}
	return string(out)
}

var timeType = reflect.TypeOf(time.Time{})

// perturbations returns values of v's type that differ from v: its zero
// value and small changes, down to depth levels of structs.
func perturbations(v reflect.Value, depth int) []reflect.Value {
	out := []reflect.Value{reflect.Zero(v.Type())}
	add := func(x any) { out = append(out, reflect.ValueOf(x).Convert(v.Type())) }
	switch v.Kind() {
	case reflect.String:
		add(v.String() + "x")
	case reflect.Bool:
		add(!v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		add(v.Int() + 1)
		add(v.Int() + int64(time.Hour)) // a change a millisecond encoding keeps
	case reflect.Float32, reflect.Float64:
		add(v.Float() + 1)
	case reflect.Pointer:
		elem := reflect.New(v.Type().Elem()).Elem()
		if !v.IsNil() {
			elem = v.Elem()
		}
		for _, e := range perturbations(elem, depth) {
			p := reflect.New(v.Type().Elem())
			p.Elem().Set(e)
			out = append(out, p)
		}
	case reflect.Slice:
		elem := reflect.New(v.Type().Elem()).Elem()
		if v.Len() > 0 {
			elem = v.Index(0)
		}
		for _, e := range perturbations(elem, depth) {
			s := deepCopy(v)
			if s.Len() == 0 {
				s = reflect.Append(s, e)
			} else {
				s.Index(0).Set(e)
			}
			out = append(out, s, reflect.Append(deepCopy(v), e))
		}
	case reflect.Struct:
		if v.Type() == timeType {
			add(v.Interface().(time.Time).Add(time.Hour))
			break
		}
		if depth == 0 {
			break
		}
		for i := 0; i < v.NumField(); i++ {
			if !v.Type().Field(i).IsExported() {
				continue
			}
			for _, f := range perturbations(v.Field(i), depth-1) {
				s := deepCopy(v)
				s.Field(i).Set(f)
				out = append(out, s)
			}
		}
	}
	return out
}

// deepCopy copies v with its pointers, slices and structs, so that a change
// to the copy does not reach v.
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(deepCopy(v.Elem()))
		return p
	case reflect.Slice:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			s.Index(i).Set(deepCopy(v.Index(i)))
		}
		return s
	case reflect.Struct:
		s := reflect.New(v.Type()).Elem()
		s.Set(v)
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				s.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
		return s
	}
	return v
}

// TestGuardServiceMethodsInAPI fails when an exported method of an XService
// is missing from its XAPI interface, or a service has no such interface.
// It reads the package's source, so it sees every method.
func TestGuardServiceMethodsInAPI(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	methods := map[string][]string{}     // XService → its exported methods
	apis := map[string]map[string]bool{} // XAPI → its methods
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if recv := receiverName(d); strings.HasSuffix(recv, "Service") && d.Name.IsExported() {
					methods[recv] = append(methods[recv], d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					ts, ok := s.(*ast.TypeSpec)
					if !ok {
						continue
					}
					if strings.HasSuffix(ts.Name.Name, "Service") && ts.Name.IsExported() {
						if _, ok := methods[ts.Name.Name]; !ok {
							methods[ts.Name.Name] = nil
						}
					}
					if it, ok := ts.Type.(*ast.InterfaceType); ok && strings.HasSuffix(ts.Name.Name, "API") {
						set := map[string]bool{}
						for _, m := range it.Methods.List {
							for _, n := range m.Names {
								set[n.Name] = true
							}
						}
						apis[ts.Name.Name] = set
					}
				}
			}
		}
	}
	if len(methods) < 10 {
		t.Fatalf("found only %d services; the parse is broken", len(methods))
	}
	var services []string
	for svc := range methods {
		services = append(services, svc)
	}
	sort.Strings(services)
	for _, svc := range services {
		api := strings.TrimSuffix(svc, "Service") + "API"
		set, ok := apis[api]
		if !ok {
			t.Errorf("%s has no %s interface", svc, api)
			continue
		}
		for _, m := range methods[svc] {
			if !set[m] {
				t.Errorf("%s.%s is missing from %s", svc, m, api)
			}
		}
	}
}

// receiverName returns the type name of a method's receiver, "" for a
// function.
func receiverName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return ""
	}
	typ := d.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}
