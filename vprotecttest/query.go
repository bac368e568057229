package vprotecttest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Query-parameter and path parsing: every handler reads its parameters
// through these.

// param returns the first value of any of names (keys matched case-insensitively).
func param(q url.Values, names ...string) string {
	vs := params(q, names...)
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// params returns every non-empty value of any of names (repeatable filters).
func params(q url.Values, names ...string) []string {
	var out []string
	for k, vs := range q {
		for _, n := range names {
			if strings.EqualFold(k, n) {
				for _, v := range vs {
					if v != "" {
						out = append(out, v)
					}
				}
			}
		}
	}
	return out
}

// boolParam parses an optional boolean parameter.
func boolParam(q url.Values, name string) (bool, error) {
	v := param(q, name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, badRequest("%s: invalid boolean %q", name, v)
	}
	return b, nil
}

// intParam parses an optional integer parameter.
func intParam(q url.Values, name string) (int64, bool, error) {
	v := param(q, name)
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, badRequest("%s: invalid number %q", name, v)
	}
	return n, true, nil
}

// containsFold reports whether vs holds v in any letter case (repeatable
// enum filters such as state=running).
func containsFold(vs []string, v string) bool {
	for _, x := range vs {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// pathGUID returns the {guid} path value.
func pathGUID(r *http.Request) string { return r.PathValue("guid") }
