package vprotect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// SortDirection orders a paged list.
type SortDirection string

// Sort directions.
const (
	SortAscending  SortDirection = "asc"
	SortDescending SortDirection = "desc"
)

// ListOptions are the paging parameters every paged list accepts. The zero
// value asks for the whole list.
type ListOptions struct {
	// Page is the 0-based page number; it is sent only with Size.
	Page int
	// Size is the page size; 0 asks for the whole list.
	Size int
	// OrderBy names the field to sort by (e.g. "name").
	OrderBy string
	// Direction is SortAscending or SortDescending.
	Direction SortDirection
	// Filter is the server's free-text filter.
	Filter string
}

// encode returns the paging parameters alone (nil asks for the whole list).
func (o *ListOptions) encode() (query, error) {
	q := query{}
	if o == nil {
		return q, nil
	}
	if err := o.addTo(q); err != nil {
		return nil, err
	}
	return q, nil
}

// addTo adds the paging parameters to q.
func (o ListOptions) addTo(q query) error {
	switch {
	case o.Page < 0:
		return argError("ListOptions.Page", "must not be negative, got %d", o.Page)
	case o.Size < 0:
		return argError("ListOptions.Size", "must not be negative, got %d", o.Size)
	case o.Page > 0 && o.Size == 0:
		return argError("ListOptions.Page", "needs a Size")
	case o.Direction != "" && o.Direction != SortAscending && o.Direction != SortDescending:
		return argError("ListOptions.Direction", "must be %q or %q, got %q", SortAscending, SortDescending, o.Direction)
	}
	if o.Size > 0 {
		q.setInt("page", o.Page)
		q.setInt("size", o.Size)
	}
	q.set("orderBy", o.OrderBy)
	q.set("direction", string(o.Direction))
	q.set("filter", o.Filter)
	return nil
}

// Page is one page of a list with the server's total count.
type Page[T any] struct {
	// Items are the objects on this page.
	Items []T
	// Total is the number of objects in the whole list (X-Total-Count), or
	// -1 when the server did not say.
	Total int
}

// query builds a query string; empty values are left out.
type query url.Values

func (q query) set(key, value string) {
	if value != "" {
		url.Values(q).Set(key, value)
	}
}

func (q query) clone() query {
	out := make(query, len(q)+2)
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

func (q query) setInt(key string, v int) { url.Values(q).Set(key, strconv.Itoa(v)) }

func (q query) setBool(key string, v bool) {
	if v {
		url.Values(q).Set(key, "true")
	}
}

func (q query) setTime(key string, t time.Time) {
	if !t.IsZero() {
		url.Values(q).Set(key, strconv.FormatInt(t.UnixMilli(), 10))
	}
}

// addAll adds every value of a repeatable parameter.
func addAll[T ~string](q query, key string, vs []T) {
	for _, v := range vs {
		if v != "" {
			url.Values(q).Add(key, string(v))
		}
	}
}

// listPage fetches one list answer and its total count.
func listPage[T any](ctx context.Context, c *Client, path string, q query) (Page[T], error) {
	var items []T
	resp, err := c.do(ctx, &request{method: http.MethodGet, path: path, query: url.Values(q), out: &items})
	if err != nil {
		return Page[T]{}, err
	}
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items, Total: resp.totalCount()}, nil
}

// list fetches a list answer.
func list[T any](ctx context.Context, c *Client, path string, q query) ([]T, error) {
	p, err := listPage[T](ctx, c, path, q)
	return p.Items, err
}

// listOptions are the options of a list: they encode themselves into the
// query string, or say which field is bad. A nil pointer encodes no filter.
type listOptions interface {
	encode() (query, error)
}

// listOf encodes opts and fetches the list.
func listOf[T any](ctx context.Context, c *Client, path string, opts listOptions) ([]T, error) {
	p, err := listPageOf[T](ctx, c, path, opts)
	return p.Items, err
}

// listPageOf encodes opts and fetches one list answer with its total.
func listPageOf[T any](ctx context.Context, c *Client, path string, opts listOptions) (Page[T], error) {
	q, err := opts.encode()
	if err != nil {
		return Page[T]{}, err
	}
	return listPage[T](ctx, c, path, q)
}

// allOf encodes opts and pages through the list with all, in pages of the
// options' Size (DefaultPageSize when none); their Page is ignored.
func allOf[T any](ctx context.Context, c *Client, path string, opts listOptions) iter.Seq2[T, error] {
	q, err := opts.encode()
	if err != nil {
		return errOnlySeq[T](err)
	}
	size, _ := strconv.Atoi(url.Values(q).Get("size"))
	return all[T](ctx, c, path, q, size)
}

// errOnlySeq returns an iterator that yields err once.
func errOnlySeq[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// DefaultPageSize is the page size All uses when the options set none.
const DefaultPageSize = 500

// all pages through a list, decoding each page one element at a time from
// the response body, so memory does not grow with the size of the list. It
// yields an error once and stops. Breaking out of the loop closes the body.
func all[T any](ctx context.Context, c *Client, path string, q query, pageSize int) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		if pageSize <= 0 {
			pageSize = DefaultPageSize
		}
		var zero T
		seen := 0
		for page := 0; ; page++ {
			pq := q.clone()
			pq.setInt("page", page)
			pq.setInt("size", pageSize)
			count, stopped := 0, false
			resp, err := c.do(ctx, &request{
				method: http.MethodGet, path: path, query: url.Values(pq),
				stream: func(r io.Reader) error {
					return decodeArray(r, func(v T) bool {
						count++
						if !yield(v, nil) {
							stopped = true
							return false
						}
						return true
					})
				},
			})
			if stopped {
				return
			}
			if err != nil {
				yield(zero, err)
				return
			}
			seen += count
			total := resp.totalCount()
			if count < pageSize || count > pageSize || (total >= 0 && seen >= total) {
				return // a short page, a server that ignores paging, or the end
			}
		}
	}
}

// decodeArray reads a JSON array from r and calls each for every element
// until it returns false.
func decodeArray[T any](r io.Reader, each func(T) bool) error {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil // an empty body is an empty list
		}
		return fmt.Errorf("decode list: %w", err)
	}
	if tok == nil {
		return nil // null
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("decode list: want a JSON array, got %v", tok)
	}
	for dec.More() {
		var v T
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("decode list element: %w", err)
		}
		if !each(v) {
			return nil
		}
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("decode list: %w", err)
	}
	return nil
}
