package vprotect

import (
	"strconv"
	"unicode/utf8"
)

// This file holds what the request forms of policies, rules, schedules,
// exports and restores share: how a request sends a reference, an enum or a
// list, and how its fields are checked and named in an *ArgumentError.

// maxNameLength is the longest policy or rule name the server accepts
// (VmBackupPolicyRequest and the rule requests: 1..255 characters).
const maxNameLength = 255

// checkName checks a required name of at most maxNameLength characters.
func checkName(field, name string) error {
	switch n := utf8.RuneCountInString(name); {
	case name == "":
		return argError(field, "must not be empty")
	case n > maxNameLength:
		return argError(field, "must be at most %d characters, got %d", maxNameLength, n)
	}
	return nil
}

// reqRef returns the reference as a request sends it: the GUID only.
func reqRef(r NameAndGuid) NameAndGuid { return NameAndGuid{GUID: r.GUID} }

// reqRefPtr is reqRef for an optional reference; nil stays nil.
func reqRefPtr(r *NameAndGuid) *NameAndGuid {
	if r == nil {
		return nil
	}
	out := reqRef(*r)
	return &out
}

// reqRefs returns references as a request sends them, never nil (so that
// an empty list is sent as [] rather than null).
func reqRefs(rs []NameAndGuid) []NameAndGuid {
	out := make([]NameAndGuid, len(rs))
	for i, r := range rs {
		out[i] = reqRef(r)
	}
	return out
}

// reqEnum returns the enum value as a request sends it: the name only.
func reqEnum[T ~string](e Enum[T]) Enum[T] { return Enum[T]{Name: e.Name} }

// reqEnums returns enum values as a request sends them, never nil.
func reqEnums[T ~string](es []Enum[T]) []Enum[T] {
	out := make([]Enum[T], len(es))
	for i, e := range es {
		out[i] = reqEnum(e)
	}
	return out
}

// reqStrings returns ss, or an empty slice for nil, so that it is sent as [].
func reqStrings(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// indexed names element i of a list field: indexed("Policy.Rules", 2) is
// "Policy.Rules[2]".
func indexed(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }
