package vprotect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"iter"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
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
	resp, err := c.do(ctx, &request{method: http.MethodGet, path: path, query: url.Values(q), out: &items, maxItems: maxListItems[T](c)})
	if err != nil {
		return Page[T]{}, err
	}
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items, Total: resp.totalCount()}, nil
}

// listDecodeFactor bounds what a list answer decodes to: its elements take
// at most listDecodeFactor times WithMaxResponseBytes (the fixed size of an
// element times their number; their strings are copies of body bytes, so
// within the limit already). A list of nulls or empty objects, 5 or 3 bytes
// an element on the wire, would otherwise decode to hundreds of times its
// size. A real list never comes near: a VM is about 2.5 KB of JSON and far
// less decoded.
const listDecodeFactor = 4

// maxListItems is how many elements of type T one list answer may hold:
// more fail with ErrResponseTooLarge before they are decoded.
func maxListItems[T any](c *Client) int {
	size := int64(reflect.TypeFor[T]().Size())
	return int(min(c.cfg.maxResponse*listDecodeFactor/max(size, 1), math.MaxInt32))
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
//
// A server that ignores paging cannot make it loop or overrun: a page with
// more elements than asked for, or the same page again (the same bytes as
// the page before), ends the iteration with an error.
func all[T any](ctx context.Context, c *Client, path string, q query, pageSize int) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		if pageSize <= 0 {
			pageSize = DefaultPageSize
		}
		var zero T
		seen := 0
		seed := maphash.MakeSeed()
		var last uint64
		for page := 0; ; page++ {
			pq := q.clone()
			pq.setInt("page", page)
			pq.setInt("size", pageSize)
			count, stopped := 0, false
			var sum maphash.Hash
			sum.SetSeed(seed)
			resp, err := c.do(ctx, &request{
				method: http.MethodGet, path: path, query: url.Values(pq),
				stream: func(r io.Reader) error {
					return decodeArray(ctx, io.TeeReader(r, &sum), min(pageSize+1, maxListItems[T](c)), func(v T) bool {
						if count++; count > pageSize {
							return false
						}
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
			if err == nil && count > pageSize {
				err = fmt.Errorf("vprotect: GET %s: page %d holds more than the %d elements asked for: the server ignores paging", path, page, pageSize)
			}
			if err == nil && page > 0 && count > 0 && sum.Sum64() == last {
				err = fmt.Errorf("vprotect: GET %s: page %d is page %d again: the server ignores paging", path, page, page-1)
			}
			if err != nil {
				yield(zero, err)
				return
			}
			last = sum.Sum64()
			seen += count
			total := resp.totalCount()
			if count < pageSize || (total >= 0 && seen >= total) {
				return // a short page or the end
			}
		}
	}
}

// decodeArray reads a JSON array from r and calls each for every element
// until it returns false. An array of more than limit elements fails with
// ErrResponseTooLarge when it reaches the element past the limit.
//
// It reads the body in chunks and decodes each
// element with the SDK's decoder (decode.go) as soon as the element is in
// the buffer, so the first element is yielded before the page has arrived,
// and memory holds one chunk and one element. Anything it does not expect
// (a body that is not an array, an element that does not decode, a cut
// body) goes from that point on to decodeArrayStd, which gives
// encoding/json's answer.
func decodeArray[T any](ctx context.Context, r io.Reader, limit int, each func(T) bool) error {
	s := &jsonStream{r: r, buf: make([]byte, 0, streamChunk)}
	c, err := s.peek()
	if err != nil || c != '[' {
		return decodeArrayStd(s.rest(""), limit, -1, each)
	}
	s.off++
	dec := decoderFor(reflect.TypeFor[T]())
	var strs map[string]string // interned across the elements
	for n := 0; ; n++ {
		// To the element: space is read over (and dropped from the buffer),
		// and the comma after the element before.
		prefix := "[" // what decodeArrayStd is given before the rest of the body
		c, err := s.peek()
		if err == nil && n > 0 {
			prefix = "[0" // as if just after an element
			if c == ',' {
				s.off++
				prefix = "[0,"
				c, err = s.peek()
			}
		}
		switch {
		case err != nil || (n > 0 && prefix == "[0" && c != ']'):
			return decodeArrayStd(s.rest(prefix), limit, n, each)
		case c == ']' && prefix != "[0,":
			s.off++
			return nil
		case n >= limit:
			return tooManyItems(limit)
		}
		var v T
		for {
			d := decoder{ctx: ctx, data: s.buf[s.off:], strs: strs}
			err = decodeElement(&d, dec, reflect.ValueOf(&v).Elem())
			strs = d.strs
			if err == nil {
				s.off += d.off
				break
			}
			if errors.Is(err, errUnexpectedEnd) && !s.eof && s.fillElement() == nil {
				var zero T
				v = zero
				continue // cut by the end of the buffer: read on to its end, decode again
			}
			return decodeArrayStd(s.rest(prefix), limit, n, each)
		}
		if !each(v) {
			return nil
		}
	}
}

// decodeElement decodes the element at the decoder's offset into v. It is
// complete only with a byte after it in the buffer (a number could go on):
// at the end of the buffer it gives errUnexpectedEnd.
func decodeElement(d *decoder, dec decodeFunc, v reflect.Value) error {
	if err := dec(d, v); err != nil {
		return err
	}
	d.skipSpace()
	if d.off == len(d.data) {
		return errUnexpectedEnd
	}
	return nil
}

// streamChunk is how much decodeArray reads at a time.
const streamChunk = 64 << 10

// jsonStream is the buffered body of decodeArray: buf[off:] is read and
// not yet decoded.
type jsonStream struct {
	r   io.Reader
	buf []byte
	off int
	eof bool
	err error // the read error that ended the body, io.EOF at its end
}

// fill reads more of the body after what is buffered, moving the rest to
// the front first and growing the buffer when it is full.
func (s *jsonStream) fill() error {
	if s.eof {
		return s.err
	}
	if s.off > 0 {
		n := copy(s.buf, s.buf[s.off:])
		s.buf, s.off = s.buf[:n], 0
	}
	if len(s.buf) == cap(s.buf) {
		s.buf = slices.Grow(s.buf, max(streamChunk, len(s.buf)))
	}
	for {
		n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		if err != nil {
			s.eof, s.err = true, err
			if n > 0 {
				return nil
			}
			return err
		}
		if n > 0 {
			return nil
		}
	}
}

// fillElement reads until the element at s.off is in the buffer with a
// byte after it, or the body ends. It finds the element's end with elementEnd, which reads each
// byte once however the body arrives, so an element is decoded at most
// twice: a server sending a byte at a time costs no more than one sending
// the page at once.
func (s *jsonStream) fillElement() error {
	var e elementEnd
	for {
		if err := s.fill(); err != nil {
			return err
		}
		if e.scan(s.buf[s.off:]) {
			return nil
		}
	}
}

// elementEnd finds the end of the value at the start of a buffer, across
// reads: scan is given the same bytes again with more after them, and
// reads only the new ones. It does not check the JSON (the decoder does):
// it counts brackets and braces outside strings.
type elementEnd struct {
	pos   int  // bytes read of the element
	begun bool // the value's first byte is read
	depth int
	inStr bool
	esc   bool
	ended bool // the value is complete; a non-space byte after it ends the scan
}

// scan reports whether b holds the element and a non-space byte after it.
func (e *elementEnd) scan(b []byte) bool {
	for ; e.pos < len(b); e.pos++ {
		c := b[e.pos]
		switch {
		case e.ended:
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
				return true
			}
		case e.inStr:
			switch {
			case e.esc:
				e.esc = false
			case c == '\\':
				e.esc = true
			case c == '"':
				e.inStr = false
				e.ended = e.depth == 0
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			e.ended = e.begun && e.depth == 0
		case c == '"':
			e.begun, e.inStr = true, true
		case c == '{' || c == '[':
			e.begun = true
			e.depth++
		case c == '}' || c == ']':
			if !e.begun || e.depth == 0 {
				return true // the array's end: nextElement reads it
			}
			e.depth--
			e.ended = e.depth == 0
		case c == ',':
			if e.depth == 0 {
				return true // after a number or literal
			}
		default:
			e.begun = true // a number or literal goes on
		}
	}
	return false
}

// peek returns the next byte after space, reading as needed.
func (s *jsonStream) peek() (byte, error) {
	for {
		for s.off < len(s.buf) {
			switch c := s.buf[s.off]; c {
			case ' ', '\t', '\n', '\r':
				s.off++
			default:
				return c, nil
			}
		}
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
}

// rest is the body from the buffered bytes on, after prefix, for
// decodeArrayStd: "[" when the opening bracket is read, "[0" after an
// element, "[0," after an element and its comma (decodeArrayStd drops
// the 0).
func (s *jsonStream) rest(prefix string) io.Reader {
	rs := []io.Reader{strings.NewReader(prefix), bytes.NewReader(s.buf[s.off:])}
	switch {
	case !s.eof:
		rs = append(rs, s.r)
	case s.err != io.EOF:
		rs = append(rs, errReader{s.err})
	}
	return io.MultiReader(rs...)
}

// errReader fails every read with err.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// decodeArrayStd is decodeArray with json.Decoder, element by element.
// It goes on from element counted of decodeArray (-1: from the start of
// the body); after an element (counted > 0), the first element of r is a
// stand-in, read over.
func decodeArrayStd[T any](r io.Reader, limit, counted int, each func(T) bool) error {
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
	if counted > 0 && dec.More() {
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return fmt.Errorf("decode list element: %w", err)
		}
	}
	for n := max(counted, 0); dec.More(); n++ {
		if n >= limit {
			return tooManyItems(limit)
		}
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

// tooManyItems is the error for a list answer of more than limit elements.
func tooManyItems(limit int) error {
	return fmt.Errorf("%w: a list of more than %d elements (they would decode to more than %d × the limit)", ErrResponseTooLarge, limit, listDecodeFactor)
}

// arrayLen counts the elements of the JSON array in b without decoding
// them (0 when b holds no array); it need not be valid JSON. It jumps over
// the inside of strings with bytes.IndexByte, most of a list's bytes.
func arrayLen(b []byte) int {
	depth, n, empty := 0, 0, true
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
			continue
		case '"':
			i = stringEnd(b, i)
		case '[', '{':
			if depth++; depth == 1 {
				continue
			}
		case ']', '}':
			if depth--; depth == 0 {
				continue
			}
		case ',':
			if depth == 1 {
				n++
				continue
			}
		}
		if depth >= 1 {
			empty = false
		}
	}
	if empty {
		return 0
	}
	return n + 1
}

// stringEnd returns the offset of the quote that ends the string opened
// at b[open], or len(b) when it does not end.
func stringEnd(b []byte, open int) int {
	i := open
	for {
		j := bytes.IndexByte(b[i+1:], '"')
		if j < 0 {
			return len(b)
		}
		i += 1 + j
		k := i - 1 // the quote is escaped after an odd run of backslashes
		for b[k] == '\\' {
			k--
		}
		if (i-1-k)%2 == 0 {
			return i
		}
	}
}
