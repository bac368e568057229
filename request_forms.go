package vprotect

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Every POST or PUT body is an unexported xBody built by newXBody, which
// runs every check of the request before it builds the body and returns the
// first failure as an *ArgumentError naming the field; nothing is sent then.
// A body without checks (login, cancel) has a constructor without an error.
// The parts a body embeds (a rule in a policy, a destination in a rule) are
// built by newXForm, which checks the part's fields under the name given.
//
// This file holds what those constructors share: the checks every request
// needs, field names, and how a request sends a reference, an enum or a list.

// checkBody checks that the request's object is not nil; name is how the
// argument is named ("policy").
func checkBody[T any](name string, v *T) error {
	if v == nil {
		return argError(name, "must not be nil")
	}
	return nil
}

// checkUpdateGUID checks the GUID of an object sent to update the object
// guid: it may be empty or must equal guid. kind names the object's type
// ("Policy"); guid is empty for a create, which any GUID passes.
func checkUpdateGUID(kind, got, guid string) error {
	if guid != "" && got != "" && got != guid {
		return argError(kind+".GUID", "is %q but the %s to update is %q", got, strings.ToLower(kind), guid)
	}
	return nil
}

// checkGUIDs checks that every element of a list of GUIDs is present,
// naming a bad one as indexed(field, i).
func checkGUIDs(field string, guids []string) error {
	for i, g := range guids {
		if err := requireGUID(indexed(field, i), g); err != nil {
			return err
		}
	}
	return nil
}

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
