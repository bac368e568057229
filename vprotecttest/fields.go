package vprotecttest

import (
	"net/http"
	"strings"
)

// Checks of request fields shared by the handlers; errors name the field.

// validPriority applies the default 50 and the 0..100 range.
func validPriority(p *int, field string) (int, error) {
	if p == nil {
		return 50, nil
	}
	if *p < 0 || *p > 100 {
		return 0, badRequest("%s: must be between 0 and 100", field)
	}
	return *p, nil
}

// enumField checks an optional enum against allowed values (upper-cased).
func enumField(e *Enum, field, def string, allowed map[string]bool) (Enum, error) {
	if e == nil || e.Name == "" {
		return enumOf(def), nil
	}
	n := strings.ToUpper(e.Name)
	if !allowed[n] {
		return Enum{}, badRequest("%s: invalid value %q", field, e.Name)
	}
	return enumOf(n), nil
}

// enumListField checks a list of enums against allowed values.
func enumListField(es []Enum, field string, allowed map[string]bool) ([]Enum, error) {
	out := []Enum{}
	for i, e := range es {
		n := strings.ToUpper(e.Name)
		if !allowed[n] {
			return nil, badRequest("%s[%d]: invalid value %q", field, i, e.Name)
		}
		if !hasEnum(out, n) {
			out = append(out, enumOf(n))
		}
	}
	return out, nil
}

// uniqueName checks a required name: trimmed, at most maxLen bytes (0 = no
// limit) and, as a 409, not the name of another object in st (self is the
// object's own GUID on update).
func uniqueName[T any](st *store[T], kind string, name *string, self string, maxLen int) (string, error) {
	if name == nil || strings.TrimSpace(*name) == "" {
		return "", badRequest("name: is required")
	}
	n := strings.TrimSpace(*name)
	if maxLen > 0 && len(n) > maxLen {
		return "", badRequest("name: must be at most %d characters", maxLen)
	}
	for _, o := range st.all() {
		if *st.guid(o) != self && st.name(o) == n {
			return "", errf(http.StatusConflict, "name: a %s named %q already exists", kind, n)
		}
	}
	return n, nil
}
