package vprotecttest

import (
	"bytes"
	"encoding/json"
)

// UnmarshalJSON accepts an enum as {"name":X,...} or as the bare string "X".
// The description is filled from the fake's table when missing.
func (e *Enum) UnmarshalJSON(b []byte) error {
	if s, bare, err := bareString(b); bare || err != nil {
		*e = Enum{}
		if s != "" {
			*e = enumOf(s)
		}
		return err
	}
	type plain Enum
	*e = Enum{}
	if err := json.Unmarshal(b, (*plain)(e)); err != nil {
		return err
	}
	if e.Description == "" && e.Name != "" {
		e.Description = enumOf(e.Name).Description
	}
	return nil
}

// UnmarshalJSON accepts a reference as {"guid":X,...} (extra fields ignored)
// or as the bare GUID string.
func (n *NameAndGuid) UnmarshalJSON(b []byte) error {
	if s, bare, err := bareString(b); bare || err != nil {
		*n = NameAndGuid{GUID: s}
		return err
	}
	type plain NameAndGuid
	*n = NameAndGuid{}
	return json.Unmarshal(b, (*plain)(n))
}

// bareString reports whether b is null or a JSON string rather than an
// object, and gives the string: the short forms of enums and references.
func bareString(b []byte) (s string, bare bool, err error) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		return "", true, nil
	case b[0] == '"':
		err = json.Unmarshal(b, &s)
		return s, true, err
	}
	return "", false, nil
}
