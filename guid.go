package vprotect

import (
	"net/url"
	"strings"
)

// requireGUID checks a GUID argument before any request is sent: it must
// not be empty, and it must stay one path segment once escaped. "." and
// ".." would not (a server or proxy reads them as the segment itself or its
// parent: /tasks/.. is /), nor would either followed by a path parameter
// (";x"), which Java servers strip before they read the path. Every GUID an
// SDK call takes goes through it, and every path built from one through
// guidSegment.
func requireGUID(field, guid string) error {
	if strings.TrimSpace(guid) == "" {
		return argError(field, "must not be empty")
	}
	if name, _, _ := strings.Cut(guid, ";"); name == "." || name == ".." {
		return argError(field, "%q is not a GUID: it would not stay one path segment", guid)
	}
	return nil
}

// guidSegment escapes a GUID checked by requireGUID for use as one path
// segment: url.PathEscape, and ';' too, which PathEscape keeps and Java
// servers take for the start of a path parameter.
func guidSegment(guid string) string {
	return strings.ReplaceAll(url.PathEscape(guid), ";", "%3B")
}
