package vprotect

import (
	"encoding/json"
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
