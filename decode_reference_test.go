package vprotect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"
)

// A copy of the tolerant UnmarshalJSON methods as they were when the SDK's
// own decoder (decode.go) was written, on mirror types. The differential
// fuzz target compares the decoder with json.Unmarshal, which calls the
// methods in types.go and vms.go; FuzzTolerantMethodsMatchReference keeps
// those methods equal to this copy, so that the answers of that first
// version stay the reference even when the methods change.

type refRef struct {
	GUID string `json:"guid,omitempty"`
	Name string `json:"name,omitempty"`
}

func (r *refRef) UnmarshalJSON(b []byte) error {
	if s, bare, err := refBareString(b); bare || err != nil {
		*r = refRef{GUID: s}
		return err
	}
	type plain refRef
	*r = refRef{}
	return json.Unmarshal(b, (*plain)(r))
}

func refBareString(b []byte) (s string, bare bool, err error) {
	b = bytes.TrimSpace(b)
	switch {
	case refIsNull(b):
		return "", true, nil
	case b[0] == '"':
		err = json.Unmarshal(b, &s)
		return s, true, err
	}
	return "", false, nil
}

func refIsNull(b []byte) bool { return len(b) == 0 || string(b) == "null" }

type refEnum struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

func (e *refEnum) UnmarshalJSON(b []byte) error {
	if s, bare, err := refBareString(b); bare || err != nil {
		*e = refEnum{Name: s}
		return err
	}
	type plain refEnum
	*e = refEnum{}
	return json.Unmarshal(b, (*plain)(e))
}

type refTypedRef struct {
	GUID string  `json:"guid,omitempty"`
	Name string  `json:"name,omitempty"`
	Type refEnum `json:"type"`
}

func (r *refTypedRef) UnmarshalJSON(b []byte) error {
	if s, bare, err := refBareString(b); bare || err != nil {
		*r = refTypedRef{GUID: s}
		return err
	}
	type plain refTypedRef
	*r = refTypedRef{}
	return json.Unmarshal(b, (*plain)(r))
}

type refFlexString string

func (s *refFlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case refIsNull(b):
		*s = ""
		return nil
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = refFlexString(v)
		return nil
	case string(b) == "true" || string(b) == "false":
		*s = refFlexString(b)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	if _, err := strconv.ParseFloat(string(n), 64); err != nil {
		return err
	}
	*s = refFlexString(n)
	return nil
}

type refTimestamp struct{ time.Time }

func (t *refTimestamp) UnmarshalJSON(b []byte) error {
	ms, ok, err := refDecodeMillis(b)
	if err != nil {
		return fmt.Errorf("vprotect: timestamp: %w", err)
	}
	if !ok {
		t.Time = time.Time{}
		return nil
	}
	t.Time = time.UnixMilli(ms)
	return nil
}

type refDuration time.Duration

func (d *refDuration) UnmarshalJSON(b []byte) error {
	ms, _, err := refDecodeMillis(b)
	if err != nil {
		return fmt.Errorf("vprotect: duration: %w", err)
	}
	*d = refDuration(time.Duration(ms) * time.Millisecond)
	return nil
}

func refDecodeMillis(b []byte) (ms int64, ok bool, err error) {
	b = bytes.TrimSpace(b)
	if refIsNull(b) {
		return 0, false, nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, false, err
		}
		if s == "" {
			return 0, false, nil
		}
		b = []byte(s)
	}
	if n, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		return n, true, nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || f > math.MaxInt64/2 || f < math.MinInt64/2 {
		return 0, false, fmt.Errorf("not a number of milliseconds: %.40q", b)
	}
	return int64(f), true, nil
}

type refBackupMark struct{ GUID, Name string }

func (m *refBackupMark) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var r refRef
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		*m = refBackupMark(r)
		return nil
	}
	var s refFlexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	*m = refBackupMark{Name: string(s)}
	return nil
}

// refTolerant and nowTolerant are the same fields with the reference
// types and with today's.
type refTolerant struct {
	Ref  refRef        `json:"ref"`
	Ent  refTypedRef   `json:"ent"`
	Dest refTypedRef   `json:"dest"`
	Enum refEnum       `json:"enum"`
	Flex refFlexString `json:"flex"`
	Mark refBackupMark `json:"mark"`
	TS   refTimestamp  `json:"ts"`
	Dur  refDuration   `json:"dur"`
	Hour refDuration   `json:"hour"`
}

type nowTolerant struct {
	Ref  NameAndGuid          `json:"ref"`
	Ent  NameGuidAndType      `json:"ent"`
	Dest BackupDestinationRef `json:"dest"`
	Enum Enum[TaskState]      `json:"enum"`
	Flex FlexString           `json:"flex"`
	Mark VMBackupMark         `json:"mark"`
	TS   Timestamp            `json:"ts"`
	Dur  Duration             `json:"dur"`
	Hour TimeOfDay            `json:"hour"`
}

func (n nowTolerant) asRef() refTolerant {
	return refTolerant{
		Ref:  refRef(n.Ref),
		Ent:  refTypedRef{GUID: n.Ent.GUID, Name: n.Ent.Name, Type: refEnum(n.Ent.Type)},
		Dest: refTypedRef{GUID: n.Dest.GUID, Name: n.Dest.Name, Type: refEnum{string(n.Dest.Type.Name), n.Dest.Type.Description}},
		Enum: refEnum{string(n.Enum.Name), n.Enum.Description},
		Flex: refFlexString(n.Flex), Mark: refBackupMark(n.Mark), TS: refTimestamp(n.TS),
		Dur: refDuration(n.Dur), Hour: refDuration(n.Hour),
	}
}

// FuzzTolerantMethodsMatchReference: json.Unmarshal with today's tolerant
// methods gives what it gave with the first version of them (the copy above).
func FuzzTolerantMethodsMatchReference(f *testing.F) {
	for _, s := range tolerantSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var ref refTolerant
		var now nowTolerant
		refErr := json.Unmarshal(b, &ref)
		nowErr := json.Unmarshal(b, &now)
		if (refErr == nil) != (nowErr == nil) {
			t.Fatalf("%q: reference %v, today %v", b, refErr, nowErr)
		}
		if refErr == nil && ref != now.asRef() {
			t.Fatalf("%q:\nreference %#v\ntoday     %#v", b, ref, now.asRef())
		}
	})
}
