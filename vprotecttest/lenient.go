package vprotecttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// A real vProtect parses request bodies with Jackson's defaults, and its
// clients rely on that (reference 7x section 0.1): the vendor UI sends the
// numbers typed into its forms as JSON strings ("priority":"60") and whole
// objects with fields only the UI knows, and the old OpenStack plugin sent
// "hour" as a float (81000000.0). The fake reads every body the same way:
// lenientJSON rewrites it into what encoding/json reads strictly, led by
// the Go type it is decoded into.
//
// jackson lists each coercion the fake makes, so that a choice is easy to
// find and to change. The first five are Jackson's defaults (scalar
// coercion on, ACCEPT_FLOAT_AS_INT on, FAIL_ON_UNKNOWN_PROPERTIES off as
// the server's framework sets it); the last two are where the fake chose.
var jackson = struct {
	// FloatAsInt: a JSON float is read for a whole-number field, the
	// fraction truncated toward zero (81000000.9 → 81000000).
	FloatAsInt bool
	// StringAsNumber: a JSON string holding a number is read for a number
	// field ("60" → 60). A string must hold a whole number for a
	// whole-number field: "1.5" is still rejected, as Jackson does.
	StringAsNumber bool
	// StringAsBool: "true" and "false" (also "True", "TRUE", "False",
	// "FALSE") are read for a boolean field.
	StringAsBool bool
	// ScalarAsString: a number or boolean is read as its text for a string
	// field.
	ScalarAsString bool
	// EmptyStringAsNull: "" for a number or boolean field is null (unset),
	// as Jackson reads an empty string for a wrapper type.
	EmptyStringAsNull bool
	// ExactNames: member names match fields exactly, as in Jackson (Go's
	// encoding/json would also take "Priority" for "priority"); a member
	// that matches no field is ignored, as every unknown member is.
	ExactNames bool
	// NumberAsBool: 0 and 1 for a boolean field. Jackson's default here
	// is not settled in the sources, and no known client sends it: off.
	NumberAsBool bool
}{
	FloatAsInt: true, StringAsNumber: true, StringAsBool: true, ScalarAsString: true,
	EmptyStringAsNull: true, ExactNames: true, NumberAsBool: false,
}

// lenientJSON reads body for decoding into a value of type t and returns
// it rewritten in the strict form encoding/json expects. What it still
// cannot read is an error naming the field, e.g.
// `rules[0].position: "first" is not a whole number`.
func lenientJSON(body []byte, t reflect.Type) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, badRequest("invalid JSON body: %v", err)
	}
	if dec.More() {
		return nil, badRequest("invalid JSON body: more than one value")
	}
	out, err := coerce(v, t, "")
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// coerce turns the decoded JSON value v into one that encoding/json reads
// into a t. path names v in error messages ("" for the body itself).
func coerce(v any, t reflect.Type, path string) (any, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil {
		return nil, nil
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return v, ownForms(v, t, path)
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, typeProblem(path, v, "an object")
		}
		fields := jsonFields(t)
		out := make(map[string]any, len(m))
		for k, fv := range m {
			ft, known := fields[k]
			if !known && !jackson.ExactNames {
				out[k] = fv
			}
			if !known {
				continue
			}
			c, err := coerce(fv, ft, join(path, k))
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, typeProblem(path, v, "an object")
		}
		out := make(map[string]any, len(m))
		for k, fv := range m {
			c, err := coerce(fv, t.Elem(), join(path, k))
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case reflect.Slice, reflect.Array:
		a, ok := v.([]any)
		if !ok {
			return nil, typeProblem(path, v, "an array")
		}
		out := make([]any, len(a))
		for i, ev := range a {
			c, err := coerce(ev, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return coerceWhole(v, t, path)
	case reflect.Float32, reflect.Float64:
		switch x := v.(type) {
		case json.Number:
			return x, nil
		case string:
			if x == "" && jackson.EmptyStringAsNull {
				return nil, nil
			}
			if f, err := strconv.ParseFloat(x, 64); err == nil && jackson.StringAsNumber && !math.IsInf(f, 0) && !math.IsNaN(f) {
				return json.Number(x), nil
			}
		}
		return nil, typeProblem(path, v, "a number")
	case reflect.Bool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			if x == "" && jackson.EmptyStringAsNull {
				return nil, nil
			}
			if jackson.StringAsBool {
				switch x {
				case "true", "True", "TRUE":
					return true, nil
				case "false", "False", "FALSE":
					return false, nil
				}
			}
		case json.Number:
			if jackson.NumberAsBool && (x == "0" || x == "1") {
				return x == "1", nil
			}
		}
		return nil, typeProblem(path, v, "true or false")
	case reflect.String:
		switch x := v.(type) {
		case string:
			return x, nil
		case json.Number:
			if jackson.ScalarAsString {
				return x.String(), nil
			}
		case bool:
			if jackson.ScalarAsString {
				return strconv.FormatBool(x), nil
			}
		}
		return nil, typeProblem(path, v, "a string")
	}
	return v, nil // interface{} and the like take any JSON
}

// ownForms checks a value for a type that reads its own forms (Enum and
// NameAndGuid take an object or a bare string, a time may take a number or
// an ISO string), so that what it refuses is a 400 naming the field.
func ownForms(v any, t reflect.Type, path string) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(raw); err != nil {
		return badRequest("%s: %s is not a valid %s", fieldName(path), describe(v), t.Name())
	}
	return nil
}

// coerceWhole reads v for a whole-number field of type t.
func coerceWhole(v any, t reflect.Type, path string) (any, error) {
	var text string
	switch x := v.(type) {
	case json.Number:
		text = x.String()
	case string:
		if x == "" && jackson.EmptyStringAsNull {
			return nil, nil
		}
		if !jackson.StringAsNumber {
			return nil, typeProblem(path, v, "a whole number")
		}
		if _, err := strconv.ParseFloat(x, 64); err != nil || strings.ContainsAny(x, ".eE") {
			return nil, typeProblem(path, v, "a whole number")
		}
		text = x
	default:
		return nil, typeProblem(path, v, "a whole number")
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil && strings.ContainsAny(text, ".eE") && jackson.FloatAsInt {
		f, ferr := strconv.ParseFloat(text, 64)
		if ferr == nil && f >= math.MinInt64 && f < math.MaxInt64 {
			n, err = int64(math.Trunc(f)), nil
		}
	}
	if err != nil || overflows(n, t) {
		return nil, badRequest("%s: %s is not a whole number in range", fieldName(path), text)
	}
	return json.Number(strconv.FormatInt(n, 10)), nil
}

// overflows reports whether n does not fit in the integer type t.
func overflows(n int64, t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return n < 0 || reflect.New(t).Elem().OverflowUint(uint64(n))
	}
	return reflect.New(t).Elem().OverflowInt(n)
}

// typeProblem is the 400 for a value of the wrong JSON type.
func typeProblem(path string, v any, want string) error {
	return badRequest("%s: %s is not %s", fieldName(path), describe(v), want)
}

// describe names a decoded JSON value in a message.
func describe(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return strconv.Quote(x)
	}
	return fmt.Sprint(v)
}

func fieldName(path string) string {
	if path == "" {
		return "request body"
	}
	return path
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// jsonFields maps the JSON member names of struct type t, as
// encoding/json names them (tags, embedded structs inlined), to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			for k, v := range jsonFields(ft) {
				if _, shadowed := m[k]; !shadowed {
					m[k] = v
				}
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	fieldCache.Store(t, m)
	return m
}
