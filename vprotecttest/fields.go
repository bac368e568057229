package vprotecttest

import "strings"

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
