package vprotect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// NameAndGuid refers to another object. In requests only GUID is needed and
// sent; responses also carry a human Name. It decodes from an object
// {"guid","name"} or from a bare GUID string.
type NameAndGuid struct {
	GUID string `json:"guid,omitempty"`
	Name string `json:"name,omitempty"`
}

// Ref returns a reference to the object with the given GUID, as requests want it.
func Ref(guid string) NameAndGuid { return NameAndGuid{GUID: guid} }

// RefPtr returns a pointer to a reference to guid, for optional request fields.
func RefPtr(guid string) *NameAndGuid { r := Ref(guid); return &r }

// Refs returns references to each GUID.
func Refs(guids ...string) []NameAndGuid {
	out := make([]NameAndGuid, len(guids))
	for i, g := range guids {
		out[i] = Ref(g)
	}
	return out
}

// IsZero reports whether the reference is empty.
func (r NameAndGuid) IsZero() bool { return r.GUID == "" && r.Name == "" }

// UnmarshalJSON accepts an object, a bare GUID string or null.
func (r *NameAndGuid) UnmarshalJSON(b []byte) error {
	if s, bare, err := bareString(b); bare || err != nil {
		*r = NameAndGuid{GUID: s}
		return err
	}
	type plain NameAndGuid
	*r = NameAndGuid{}
	return json.Unmarshal(b, (*plain)(r))
}

// bareString reports whether b is null or a JSON string rather than an
// object, and gives the string: the short forms of references and enums.
func bareString(b []byte) (s string, bare bool, err error) {
	b = bytes.TrimSpace(b)
	switch {
	case isNull(b):
		return "", true, nil
	case b[0] == '"':
		err = json.Unmarshal(b, &s)
		return s, true, err
	}
	return "", false, nil
}

// NameGuidAndType is a reference that also says what kind of object it refers
// to, as in a task's protectedEntity or originEntity.
type NameGuidAndType struct {
	GUID string                 `json:"guid,omitempty"`
	Name string                 `json:"name,omitempty"`
	Type EnumNameAndDescription `json:"type"`
}

// UnmarshalJSON accepts an object, a bare GUID string or null.
func (r *NameGuidAndType) UnmarshalJSON(b []byte) error {
	if s, bare, err := bareString(b); bare || err != nil {
		*r = NameGuidAndType{GUID: s}
		return err
	}
	type plain NameGuidAndType
	*r = NameGuidAndType{}
	return json.Unmarshal(b, (*plain)(r))
}

// Ref returns the plain reference part.
func (r NameGuidAndType) Ref() NameAndGuid { return NameAndGuid{GUID: r.GUID, Name: r.Name} }

// Enum is a value of the server enum T with its human description, the
// EnumNameAndDescription of the API. Requests send {"name": X} (plus the
// description when it is set); responses decode from an object or a bare
// string. Values this package does not know are kept as they are.
type Enum[T ~string] struct {
	Name        T      `json:"name"`
	Description string `json:"description,omitempty"`
}

// EnumNameAndDescription is an enum value of any kind.
type EnumNameAndDescription = Enum[string]

// EnumOf returns the enum value v, as requests want it.
func EnumOf[T ~string](v T) Enum[T] { return Enum[T]{Name: v} }

// EnumsOf returns enum values for each v.
func EnumsOf[T ~string](vs ...T) []Enum[T] {
	out := make([]Enum[T], len(vs))
	for i, v := range vs {
		out[i] = EnumOf(v)
	}
	return out
}

// String returns the enum name.
func (e Enum[T]) String() string { return string(e.Name) }

// IsZero reports whether no value is set.
func (e Enum[T]) IsZero() bool { return e.Name == "" }

// MarshalJSON encodes {"name": X} (with "description" when set), or null when
// no value is set, so that a request never carries an empty name.
func (e Enum[T]) MarshalJSON() ([]byte, error) {
	if e.Name == "" {
		return []byte("null"), nil
	}
	type plain Enum[T]
	return json.Marshal(plain(e))
}

// UnmarshalJSON accepts {"name","description"}, a bare string or null.
func (e *Enum[T]) UnmarshalJSON(b []byte) error {
	if s, bare, err := bareString(b); bare || err != nil {
		*e = Enum[T]{Name: T(s)}
		return err
	}
	type plain Enum[T]
	*e = Enum[T]{}
	return json.Unmarshal(b, (*plain)(e))
}

// BackupDestinationRef refers to a backup destination and, in responses,
// says its type. Requests send only the GUID. It decodes from an object or
// a bare GUID string.
type BackupDestinationRef struct {
	GUID string                      `json:"guid,omitempty"`
	Name string                      `json:"name,omitempty"`
	Type Enum[BackupDestinationType] `json:"type"`
}

// Ref returns the plain reference part.
func (r BackupDestinationRef) Ref() NameAndGuid { return NameAndGuid{GUID: r.GUID, Name: r.Name} }

// UnmarshalJSON accepts an object, a bare GUID string or null.
func (r *BackupDestinationRef) UnmarshalJSON(b []byte) error {
	if s, bare, err := bareString(b); bare || err != nil {
		*r = BackupDestinationRef{GUID: s}
		return err
	}
	type plain BackupDestinationRef
	*r = BackupDestinationRef{}
	return json.Unmarshal(b, (*plain)(r))
}

// FlexString is a string field that some servers send as a number or a
// boolean; every scalar decodes to its text, null to "".
type FlexString string

// UnmarshalJSON accepts a string, a number, a boolean or null.
func (s *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case isNull(b):
		*s = ""
		return nil
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = FlexString(v)
		return nil
	case string(b) == "true" || string(b) == "false":
		*s = FlexString(b)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	if _, err := strconv.ParseFloat(string(n), 64); err != nil {
		return err
	}
	*s = FlexString(n)
	return nil
}

// Timestamp is a point in time sent as UNIX milliseconds. null and an absent
// member give the zero time; the zero time encodes as null.
type Timestamp struct{ time.Time }

// TimestampOf returns t as a Timestamp.
func TimestampOf(t time.Time) Timestamp { return Timestamp{t} }

// MarshalJSON encodes milliseconds since the UNIX epoch, or null.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, t.UnixMilli(), 10), nil
}

// TimestampLayout is the layout of Timestamp.String: UTC, to the second,
// and saying so.
const TimestampLayout = "2006-01-02 15:04:05 UTC"

// String formats t in UTC ("2025-03-14 15:30:45 UTC"), and the zero time
// (null on the wire: never backed up, not started, not finished) as "-",
// not as "0001-01-01 00:00:00 +0000 UTC". Format and the other methods of
// time.Time remain for other layouts and zones.
func (t Timestamp) String() string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(TimestampLayout)
}

// UnmarshalJSON decodes milliseconds since the UNIX epoch (an integer, a
// number or a numeric string) or null.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	ms, ok, err := decodeMillis(b)
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

// Duration is a length of time sent as milliseconds (startWindowLength,
// interval frequency, retention periods).
type Duration time.Duration

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

// String formats d like time.Duration.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON encodes whole milliseconds.
func (d Duration) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, time.Duration(d).Milliseconds(), 10), nil
}

// UnmarshalJSON decodes milliseconds; null gives zero.
func (d *Duration) UnmarshalJSON(b []byte) error {
	ms, _, err := decodeMillis(b)
	if err != nil {
		return fmt.Errorf("vprotect: duration: %w", err)
	}
	*d = Duration(time.Duration(ms) * time.Millisecond)
	return nil
}

// TimeOfDay is a time after UTC midnight, sent as milliseconds (a schedule's
// hour, an interval's start and end). 10:30 UTC is TimeOfDay(10*time.Hour + 30*time.Minute).
type TimeOfDay time.Duration

// Std returns the offset from midnight as a time.Duration.
func (t TimeOfDay) Std() time.Duration { return time.Duration(t) }

// String formats the time of day as "15:04" (with seconds when set) UTC.
func (t TimeOfDay) String() string {
	d := time.Duration(t)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	if s != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%02d:%02d", h, m)
}

// MarshalJSON encodes whole milliseconds after midnight.
func (t TimeOfDay) MarshalJSON() ([]byte, error) { return Duration(t).MarshalJSON() }

// UnmarshalJSON decodes milliseconds after midnight; null gives midnight.
func (t *TimeOfDay) UnmarshalJSON(b []byte) error { return (*Duration)(t).UnmarshalJSON(b) }

// Ptr returns a pointer to v, for optional request fields.
func Ptr[T any](v T) *T { return &v }

func isNull(b []byte) bool { return len(b) == 0 || string(b) == "null" }

// decodeMillis reads a JSON number (or a numeric string) of milliseconds.
// ok is false for null.
func decodeMillis(b []byte) (ms int64, ok bool, err error) {
	b = bytes.TrimSpace(b)
	if isNull(b) {
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
	ms, err = parseMillis(b)
	return ms, err == nil, err
}

// parseMillis reads the text of a number of milliseconds: an integer, or
// a number whose fraction is dropped.
func parseMillis(b []byte) (int64, error) {
	if n, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || f > math.MaxInt64/2 || f < math.MinInt64/2 {
		return 0, fmt.Errorf("not a number of milliseconds: %.40q", b)
	}
	return int64(f), nil
}
