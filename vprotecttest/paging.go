package vprotecttest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// paginate is the one helper for list responses: filter (substring of name),
// orderBy + direction, then page + size. It sets X-Total-Count to the number
// of items before paging. Without page and size the whole list is returned.
func paginate[T any](c *call, items []T, name func(T) string) ([]T, error) {
	q := c.r.URL.Query()
	if f := strings.ToLower(param(q, "filter", "nameLike")); f != "" {
		kept := items[:0:0]
		for _, it := range items {
			if strings.Contains(strings.ToLower(name(it)), f) {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	items, err := ordered(q, items, name)
	if err != nil {
		return nil, err
	}
	total := len(items)
	if items, err = pageOf(q, items); err != nil {
		return nil, err
	}
	c.w.Header().Set("X-Total-Count", strconv.Itoa(total))
	return items, nil
}

// ordered sorts items by orderBy (stable) and reverses them for
// direction=desc.
func ordered[T any](q url.Values, items []T, name func(T) string) ([]T, error) {
	dir := strings.ToLower(param(q, "direction"))
	if dir != "" && dir != "asc" && dir != "desc" {
		return nil, badRequest("direction: must be asc or desc")
	}
	if by := param(q, "orderBy"); by != "" {
		keys := make([]any, len(items))
		for i, it := range items {
			keys[i] = sortKey(it, by, name)
		}
		idx := make([]int, len(items))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return lessKey(keys[idx[a]], keys[idx[b]]) })
		sorted := make([]T, len(items))
		for i, j := range idx {
			sorted[i] = items[j]
		}
		items = sorted
	}
	if dir == "desc" {
		rev := make([]T, len(items))
		for i, it := range items {
			rev[len(items)-1-i] = it
		}
		items = rev
	}
	return items, nil
}

// pageOf cuts page (0-based) of size items (default 10 when only page is
// given); without either it returns every item.
func pageOf[T any](q url.Values, items []T) ([]T, error) {
	page, hasPage, err := intParam(q, "page")
	if err != nil {
		return nil, err
	}
	size, hasSize, err := intParam(q, "size")
	if err != nil {
		return nil, err
	}
	if !hasPage && !hasSize {
		return items, nil
	}
	if !hasSize {
		size = 10
	}
	if page < 0 {
		return nil, badRequest("page: must be >= 0")
	}
	if size <= 0 {
		return nil, badRequest("size: must be > 0")
	}
	total := int64(len(items))
	from := min(page*size, total)
	to := min(from+size, total)
	return items[from:to], nil
}

// listReply paginates items and renders the page.
func listReply[T, R any](c *call, items []T, name func(T) string, render func(T) R) (reply, error) {
	page, err := paginate(c, items, name)
	if err != nil {
		return reply{}, err
	}
	out := make([]R, 0, len(page))
	for _, it := range page {
		out = append(out, render(it))
	}
	return okReply(out), nil
}

// sortKey extracts field by from an item's JSON form; enums and references
// sort by name. "name" always uses the item's name.
func sortKey[T any](it T, by string, name func(T) string) any {
	if by == "name" {
		return strings.ToLower(name(it))
	}
	b, err := json.Marshal(it)
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	v := m[by]
	if o, ok := v.(map[string]any); ok {
		v = o["name"]
	}
	if s, ok := v.(string); ok {
		return strings.ToLower(s)
	}
	return v
}

func lessKey(a, b any) bool {
	switch x := a.(type) {
	case float64:
		if y, ok := b.(float64); ok {
			return x < y
		}
	case string:
		if y, ok := b.(string); ok {
			return x < y
		}
	case bool:
		if y, ok := b.(bool); ok {
			return !x && y
		}
	case nil:
		return b != nil
	}
	return fmt.Sprint(a) < fmt.Sprint(b)
}
