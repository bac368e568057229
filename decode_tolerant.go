package vprotect

import (
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Native decoders of the tolerant types: the same answers as their
// UnmarshalJSON methods (types.go, vms.go), read in the same pass as the
// rest of the answer. FuzzDecodeMatchesEncodingJSON checks them against the
// methods, and TestTolerantMethodsMatchReference pins the methods to a copy
// of their first version.

// bareStringRef is a reference or enum that decodes from an object, from
// null (the zero value) or from a bare string, which sets one field: a
// reference's GUID, an enum's name.
type bareStringRef interface {
	setBare(s string)
}

func (r *NameAndGuid) setBare(s string)          { *r = NameAndGuid{GUID: s} }
func (r *NameGuidAndType) setBare(s string)      { *r = NameGuidAndType{GUID: s} }
func (r *BackupDestinationRef) setBare(s string) { *r = BackupDestinationRef{GUID: s} }
func (e *Enum[T]) setBare(s string)              { *e = Enum[T]{Name: T(s)} }

var (
	bareStringRefType = reflect.TypeFor[bareStringRef]()
	flexStringType    = reflect.TypeFor[FlexString]()
	timestampType     = reflect.TypeFor[Timestamp]()
	durationType      = reflect.TypeFor[Duration]()
	timeOfDayType     = reflect.TypeFor[TimeOfDay]()
	vmBackupMarkType  = reflect.TypeFor[VMBackupMark]()
)

// tolerantDecoder returns the native decoder of t, or nil when t is not a
// tolerant type.
func tolerantDecoder(t reflect.Type) decodeFunc {
	switch t {
	case flexStringType:
		return decodeFlexString
	case timestampType:
		return decodeTimestamp
	case durationType, timeOfDayType:
		return decodeDuration
	case vmBackupMarkType:
		return decodeVMBackupMark
	}
	if t.Kind() == reflect.Struct && reflect.PointerTo(t).Implements(bareStringRefType) {
		return newBareRefDecoder(t)
	}
	return nil
}

// newBareRefDecoder: null gives the zero value, a string sets the bare
// field, an object resets the value and decodes it as a plain struct (its
// own members stay tolerant); anything else is an error.
func newBareRefDecoder(t reflect.Type) decodeFunc {
	isEnum := t.PkgPath() == flexStringType.PkgPath() && strings.HasPrefix(t.Name(), "Enum[")
	plain := newStructDecoderOf(t, isEnum)
	return func(d *decoder, v reflect.Value) error {
		switch d.data[d.off] {
		case 'n':
			if err := d.literal("null"); err != nil {
				return err
			}
			v.SetZero()
			return nil
		case '"':
			s, err := d.str()
			if err != nil {
				return err
			}
			if isEnum {
				v.Addr().Interface().(bareStringRef).setBare(d.intern(s))
			} else {
				v.Addr().Interface().(bareStringRef).setBare(string(s))
			}
			return nil
		case '{':
			v.SetZero()
			return plain(d, v)
		}
		return d.mismatch()
	}
}

// flexText reads what FlexString accepts: a string, true or false, a
// number (as written, when it parses as a float64) or null ("").
func (d *decoder) flexText() (string, error) {
	switch c := d.data[d.off]; c {
	case 'n':
		return "", d.literal("null")
	case '"':
		s, err := d.str()
		return string(s), err
	case 't':
		return "true", d.literal("true")
	case 'f':
		return "false", d.literal("false")
	case '{', '[':
		return "", d.mismatch()
	}
	n, err := d.number()
	if err != nil {
		return "", err
	}
	if _, err := strconv.ParseFloat(string(n), 64); err != nil {
		return "", errType
	}
	return string(n), nil
}

func decodeFlexString(d *decoder, v reflect.Value) error {
	s, err := d.flexText()
	if err != nil {
		return err
	}
	*v.Addr().Interface().(*FlexString) = FlexString(s)
	return nil
}

func decodeVMBackupMark(d *decoder, v reflect.Value) error {
	m := v.Addr().Interface().(*VMBackupMark)
	if d.data[d.off] == '{' {
		var r NameAndGuid
		if err := decoderFor(reflect.TypeFor[NameAndGuid]())(d, reflect.ValueOf(&r).Elem()); err != nil {
			return err
		}
		*m = VMBackupMark(r)
		return nil
	}
	s, err := d.flexText()
	if err != nil {
		return err
	}
	*m = VMBackupMark{Name: s}
	return nil
}

// millis reads milliseconds as decodeMillis does: a number, a numeric
// string, or null or "" (ok false).
func (d *decoder) millis() (ms int64, ok bool, err error) {
	var text []byte
	switch d.data[d.off] {
	case 'n':
		return 0, false, d.literal("null")
	case '"':
		if text, err = d.str(); err != nil || len(text) == 0 {
			return 0, false, err
		}
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if text, err = d.number(); err != nil {
			return 0, false, err
		}
	default:
		return 0, false, d.mismatch()
	}
	ms, err = parseMillis(text)
	return ms, err == nil, err
}

func decodeTimestamp(d *decoder, v reflect.Value) error {
	ms, ok, err := d.millis()
	if err != nil {
		return err
	}
	t := v.Addr().Interface().(*Timestamp)
	if !ok {
		t.Time = time.Time{}
		return nil
	}
	t.Time = time.UnixMilli(ms)
	return nil
}

// decodeDuration decodes a Duration or a TimeOfDay.
func decodeDuration(d *decoder, v reflect.Value) error {
	ms, _, err := d.millis()
	if err != nil {
		return err
	}
	v.SetInt(int64(time.Duration(ms) * time.Millisecond))
	return nil
}
