package vprotect

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequestEncodingIsMinimal(t *testing.T) {
	type req struct {
		Backup      NameAndGuid      `json:"backup"`
		Destination *NameAndGuid     `json:"backupDestination,omitempty"`
		Type        Enum[BackupType] `json:"backupType"`
		Days        []Enum[DayOfWeek]
		Unset       Enum[TaskState] `json:"unset"`
		When        Timestamp       `json:"when"`
		Never       Timestamp       `json:"never"`
		Window      Duration        `json:"window"`
		Hour        TimeOfDay       `json:"hour"`
	}
	b, err := json.Marshal(req{
		Backup: Ref("b-1"),
		Type:   EnumOf(BackupTypeFull),
		Days:   EnumsOf(DayOfWeekMonday, Weekday(time.Sunday)),
		When:   TimestampOf(time.UnixMilli(1717000000000)),
		Window: Duration(6 * time.Hour),
		Hour:   TimeOfDay(10*time.Hour + 30*time.Minute),
	})
	require.NoError(t, err)
	assert.JSONEq(t, `{"backup":{"guid":"b-1"},"backupType":{"name":"FULL"},
		"Days":[{"name":"MONDAY"},{"name":"SUNDAY"}],"unset":null,"when":1717000000000,"never":null,
		"window":21600000,"hour":37800000}`, string(b))
}

func TestResponseDecodingAcceptsObjectsAndStrings(t *testing.T) {
	var v struct {
		A, B   NameAndGuid
		E1, E2 Enum[TaskState]
		P      NameGuidAndType
		Q      NameGuidAndType
	}
	require.NoError(t, json.Unmarshal([]byte(`{
		"A":{"guid":"g1","name":"vm1","extra":true},"B":"g2",
		"E1":{"name":"RUNNING","description":"Running"},"E2":"FINISHED",
		"P":{"guid":"g3","name":"vm3","type":{"name":"VM","description":"Virtual machine"}},"Q":"g4"}`), &v))
	assert.Equal(t, NameAndGuid{GUID: "g1", Name: "vm1"}, v.A)
	assert.Equal(t, NameAndGuid{GUID: "g2"}, v.B)
	assert.Equal(t, Enum[TaskState]{Name: TaskStateRunning, Description: "Running"}, v.E1)
	assert.Equal(t, TaskStateFinished, v.E2.Name)
	assert.Equal(t, "VM", v.P.Type.Name)
	assert.Equal(t, NameAndGuid{GUID: "g3", Name: "vm3"}, v.P.Ref())
	assert.Equal(t, "g4", v.Q.GUID)
}

func TestUnknownEnumSurvivesRoundTrip(t *testing.T) {
	var e Enum[TaskType]
	require.NoError(t, json.Unmarshal([]byte(`{"name":"QUANTUM_BACKUP","description":"From the future"}`), &e))
	assert.False(t, e.Name.IsKnown())
	assert.True(t, TaskTypeExport.IsKnown())
	b, err := json.Marshal(e)
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"QUANTUM_BACKUP","description":"From the future"}`, string(b))
}

func TestNullEverywhereGivesZeroValues(t *testing.T) {
	var v struct {
		R  NameAndGuid
		RP *NameAndGuid
		T  NameGuidAndType
		E  Enum[BackupType]
		TS Timestamp
		D  Duration
		H  TimeOfDay
		HP *TimeOfDay
	}
	require.NoError(t, json.Unmarshal([]byte(`{"R":null,"RP":null,"T":null,"E":null,"TS":null,"D":null,"H":null,"HP":null}`), &v))
	assert.Zero(t, v.R)
	assert.Nil(t, v.RP)
	assert.Zero(t, v.T)
	assert.True(t, v.E.IsZero())
	assert.True(t, v.TS.IsZero())
	assert.Zero(t, v.D)
	assert.Zero(t, v.H)
	assert.Nil(t, v.HP)
	// Absent members give the same.
	var w struct{ TS Timestamp }
	require.NoError(t, json.Unmarshal([]byte(`{}`), &w))
	assert.True(t, w.TS.IsZero())
}

func TestTimestampForms(t *testing.T) {
	for in, want := range map[string]int64{`1717000000000`: 1717000000000, `1717000000000.0`: 1717000000000, `"1717000000000"`: 1717000000000} {
		var ts Timestamp
		require.NoError(t, json.Unmarshal([]byte(in), &ts), in)
		assert.Equal(t, want, ts.UnixMilli(), in)
	}
	var ts Timestamp
	assert.Error(t, json.Unmarshal([]byte(`"yesterday"`), &ts))
	assert.Error(t, json.Unmarshal([]byte(`true`), &ts))
}

func TestTimeOfDayString(t *testing.T) {
	assert.Equal(t, "10:00", TimeOfDay(36000000*time.Millisecond).String())
	assert.Equal(t, "21:59:30", TimeOfDay(21*time.Hour+59*time.Minute+30*time.Second).String())
}

func TestTaskStateIsTerminal(t *testing.T) {
	for s, want := range map[TaskState]bool{TaskStateQueued: false, TaskStateRunning: false, TaskStateFinished: true, TaskStateFailed: true, TaskStateCancelled: true, "PAUSED": false} {
		assert.Equal(t, want, s.IsTerminal(), s)
	}
}

func TestRefs(t *testing.T) {
	assert.Equal(t, []NameAndGuid{{GUID: "a"}, {GUID: "b"}}, Refs("a", "b"))
	assert.Equal(t, "a", RefPtr("a").GUID)
	assert.True(t, NameAndGuid{}.IsZero())
	assert.Equal(t, 5, *Ptr(5))
}

// Task, Backup, VirtualMachine and Timestamp print as one line for people;
// a zero time prints as "-" (or "never" for a VM's last backup), never as
// "0001-01-01 …".
func TestStringsForPeople(t *testing.T) {
	at := time.Date(2025, time.March, 14, 15, 30, 45, 0, time.FixedZone("CET", 3600))
	assert.Equal(t, "2025-03-14 14:30:45 UTC", TimestampOf(at).String(), "in UTC, saying so")
	assert.Equal(t, "-", Timestamp{}.String())
	assert.Equal(t, "-", fmt.Sprint(Timestamp{}))
	var decoded struct{ T Timestamp }
	require.NoError(t, json.Unmarshal([]byte(`{"T":null}`), &decoded))
	assert.Equal(t, "{-}", fmt.Sprintf("%v", decoded))
	assert.Equal(t, "2025-03-14", TimestampOf(at).Format("2006-01-02"), "time.Time's methods remain")

	var task Task
	require.NoError(t, json.Unmarshal([]byte(`{"guid":"t-1","type":{"name":"EXPORT"},"state":{"name":"RUNNING"},"progress":45.4,
		"protectedEntity":{"guid":"vm-1","name":"a-web-1"}}`), &task))
	assert.Equal(t, "EXPORT task t-1 RUNNING 45% (a-web-1)", task.String())
	assert.Equal(t, "EXPORT task t-1 RUNNING 45% (a-web-1)", fmt.Sprint(&task), "a *Task prints the same")
	task.State, task.StatusInfo = EnumOf(TaskStateFailed), "snapshot failed"
	assert.Equal(t, "EXPORT task t-1 FAILED (a-web-1): snapshot failed", task.String())
	imp := Task{GUID: "t-2", Type: EnumOf(TaskTypeImport), State: EnumOf(TaskStateFinished),
		ProtectedEntity: &NameGuidAndType{Name: "a-web-1"}, DstProtectedEntity: &NameGuidAndType{Name: "a-web-1-copy"}}
	assert.Equal(t, "IMPORT task t-2 FINISHED (a-web-1 -> a-web-1-copy)", imp.String())
	assert.Equal(t, "task t-3", Task{GUID: "t-3"}.String())

	var b Backup
	require.NoError(t, json.Unmarshal([]byte(`{"guid":"b-1","type":{"name":"FULL"},"status":{"name":"SUCCESS"},
		"protectedEntity":{"guid":"vm-1","name":"a-web-1"},"snapshotTime":1741966245000,"size":4294967296}`), &b))
	assert.Equal(t, "FULL backup b-1 of a-web-1, snapshot 2025-03-14 15:30:45 UTC, SUCCESS, 4294967296 bytes", b.String())
	assert.Equal(t, "backup b-2, snapshot -, 0 bytes", Backup{GUID: "b-2"}.String())

	var vm VirtualMachine
	require.NoError(t, json.Unmarshal([]byte(`{"guid":"vm-1","name":"a-web-1","present":true,"lastBackup":1741966245000}`), &vm))
	assert.Equal(t, "VM a-web-1 (vm-1), last backup 2025-03-14 15:30:45 UTC", vm.String())
	assert.Equal(t, "VM a-old-1 (vm-2), last backup never, not present", VirtualMachine{GUID: "vm-2", Name: "a-old-1"}.String())
	for _, s := range []string{fmt.Sprint(Backup{}), fmt.Sprint(VirtualMachine{}), fmt.Sprint(Task{})} {
		assert.NotContains(t, s, "0001-01-01")
	}
}
