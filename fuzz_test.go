package vprotect

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets for every decoder of untrusted bytes. Their seed corpora in
// testdata/fuzz run as ordinary tests; scripts/fuzz runs them for a set time.

// FuzzErrorBody: any error body gives a bounded, valid message and never panics.
func FuzzErrorBody(f *testing.F) {
	for _, s := range []string{
		`{"message":"Schedule name must be unique","status":409}`,
		`{"error":{"message":"nested"}}`,
		`<html><head><title>502 Bad Gateway</title></head></html>`,
		`plain text`, ``, `{"message":12}`, `{"error":"flat"}`, `{"login":"a","password":"p"}`,
	} {
		f.Add("application/json", []byte(s))
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		e := newAPIError("GET", "/x", 500, contentType, body, 1)
		msg := e.Error()
		if len(msg) > maxErrorText {
			t.Fatalf("Error() is %d bytes", len(msg))
		}
		if !utf8.ValidString(msg) || !utf8.ValidString(e.Body) {
			t.Fatal("invalid UTF-8 in error")
		}
		if strings.Contains(string(body), `"password":"p"`) && strings.Contains(e.Body, `"password":"p"`) {
			t.Fatal("password kept in the excerpt")
		}
	})
}

// wireTypes holds every shared wire type, for FuzzWireTypes.
type wireTypes struct {
	Ref   NameAndGuid              `json:"ref"`
	RefP  *NameAndGuid             `json:"refp"`
	Ent   NameGuidAndType          `json:"ent"`
	Enum  Enum[TaskState]          `json:"enum"`
	Enums []EnumNameAndDescription `json:"enums"`
	TS    Timestamp                `json:"ts"`
	Dur   Duration                 `json:"dur"`
	Hour  *TimeOfDay               `json:"hour"`
}

// FuzzWireTypes: decoding never panics, and what decodes re-encodes and
// decodes to the same value.
func FuzzWireTypes(f *testing.F) {
	for _, s := range []string{
		`{"ref":{"guid":"g","name":"n"},"refp":"g2","ent":{"guid":"g","type":{"name":"VM"}},"enum":"RUNNING","enums":[{"name":"A","description":"a"},"B"],"ts":1717000000000,"dur":3600000,"hour":36000000}`,
		`{"ref":null,"refp":null,"ent":null,"enum":null,"enums":null,"ts":null,"dur":null,"hour":null}`,
		`{"ts":"1717000000000","dur":1.5}`, `{}`, `[]`, `{"enum":{"name":5}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v wireTypes
		if json.Unmarshal(b, &v) != nil {
			return
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		var again wireTypes
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("decode of own output %s: %v", out, err)
		}
		out2, _ := json.Marshal(again)
		if string(out) != string(out2) {
			t.Fatalf("round trip changed:\n%s\n%s", out, out2)
		}
	})
}

// fuzzRoundTrip checks a response decoder: decoding never panics, and what
// decodes re-encodes, and the re-encoded form decodes to the same encoding
// (the SDK's types survive being cached or forwarded as JSON).
func fuzzRoundTrip[T any](t *testing.T, b []byte) {
	var v T
	if json.Unmarshal(b, &v) != nil {
		return
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("re-encode: %v", err)
	}
	var again T
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatalf("decode of own output %s: %v", out, err)
	}
	out2, err := json.Marshal(again)
	if err != nil {
		t.Fatalf("re-encode again: %v", err)
	}
	if string(out) != string(out2) {
		t.Fatalf("round trip changed:\n%s\n%s", out, out2)
	}
}

// Response decoders, one target each: seeds are in testdata/fuzz/<target>/
// (taken from testdata/responses), plus a few odd shapes here.
func addOddSeeds(f *testing.F) {
	for _, s := range []string{`{}`, `null`, `[]`, `{"guid":12}`, `{"name":null,"guid":"g"}`} {
		f.Add([]byte(s))
	}
}

// FuzzVirtualMachine: GET /virtual-machines/{guid}.
func FuzzVirtualMachine(f *testing.F) {
	addOddSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRoundTrip[VirtualMachine](t, b) })
}

// FuzzTask: GET /tasks/{guid}, the restore answer.
func FuzzTask(f *testing.F) {
	addOddSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRoundTrip[Task](t, b) })
}

// FuzzBackup: GET /backups/{guid}.
func FuzzBackup(f *testing.F) {
	addOddSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRoundTrip[Backup](t, b) })
}

// FuzzSchedule: GET /schedules/{guid}.
func FuzzSchedule(f *testing.F) {
	addOddSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRoundTrip[Schedule](t, b) })
}

// FuzzPolicy: GET /policies/vm-backup/{guid}.
func FuzzPolicy(f *testing.F) {
	addOddSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRoundTrip[Policy](t, b) })
}

// FuzzRule: GET /rules/vm-backup/{guid}.
func FuzzRule(f *testing.F) {
	addOddSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzRoundTrip[Rule](t, b) })
}

// FuzzExportResult: the three answers to POST /tasks/export (a task, an
// array of tasks, the {successful, unsuccessful, tasks} envelope). Whatever
// decodes has non-nil lists, and every task's VM is reported successful when
// the server did not say.
func FuzzExportResult(f *testing.F) {
	addOddSeeds(f)
	f.Add([]byte(`{"successful":[],"unsuccessful":["vm-2"],"tasks":[]}`))
	f.Add([]byte(`{"tasks":[{"guid":"t","protectedEntity":"vm-1"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var r ExportResult
		if json.Unmarshal(b, &r) != nil {
			return
		}
		if r.Tasks == nil || r.Successful == nil || r.Unsuccessful == nil {
			t.Fatalf("nil list in %+v", r)
		}
		var probe map[string]json.RawMessage
		if json.Unmarshal(b, &probe) == nil {
			if _, said := probe["successful"]; said {
				return
			}
		}
		want := map[string]bool{}
		for _, task := range r.Tasks {
			if task.ProtectedEntity != nil && task.ProtectedEntity.GUID != "" {
				want[task.ProtectedEntity.GUID] = true
			}
		}
		if len(want) != len(r.Successful) {
			t.Fatalf("successful %v, tasks' VMs %v", r.Successful, want)
		}
		for _, ok := range r.Successful {
			if !want[ok.GUID] {
				t.Fatalf("%s reported successful without a task", ok.GUID)
			}
		}
	})
}

// FuzzListDecoder: the streaming list decoder (used by All) never panics and
// agrees with encoding/json on every array encoding/json accepts.
func FuzzListDecoder(f *testing.F) {
	addOddSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		var got []Task
		streamErr := decodeArray(context.Background(), bytes.NewReader(b), math.MaxInt, func(v Task) bool { got = append(got, v); return true })
		var want []Task
		if json.Unmarshal(b, &want) != nil || want == nil {
			return
		}
		if streamErr != nil {
			t.Fatalf("encoding/json decodes %d tasks, the stream fails: %v", len(want), streamErr)
		}
		if len(got) != len(want) {
			t.Fatalf("stream decoded %d tasks, encoding/json %d", len(got), len(want))
		}
		if len(got) == 0 {
			return
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if !bytes.Equal(g, w) {
			t.Fatalf("stream decoded\n%s\nencoding/json\n%s", g, w)
		}
	})
}
