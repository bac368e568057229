package vprotect

import (
	"bytes"
	"context"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The SDK decodes answers with its own JSON decoder, in one pass over the
// bytes. encoding/json checks the whole input first and then scans it again
// to decode, and the tolerant UnmarshalJSON methods (types.go) call
// json.Unmarshal once more on their own bytes, so every nested reference,
// enum and timestamp was scanned three or four times. The decoder here reads
// each byte once, decodes the tolerant types natively (decode_tolerant.go),
// and gives the same values as json.Unmarshal with those methods:
// FuzzDecodeMatchesEncodingJSON compares the two on random inputs and on
// every fixture. It uses the standard library only and no unsafe code.
//
// What it does not decode natively (maps, interfaces, arrays, []byte,
// embedded structs, ",string" fields, other UnmarshalJSON or UnmarshalText
// methods) it hands to json.Unmarshal, value by value. Its errors are
// encoding/json's: on any error, the input is decoded again by
// json.Unmarshal, whose answer (its error, or its value should the two ever
// disagree) is returned.

// decodeJSON decodes the JSON value b into v, a pointer to a zero value,
// with the result of json.Unmarshal(b, v). ctx bounds the fallback:
// json.Unmarshal cannot be stopped, so a large body loses its whitespace
// first (squeezeSpace, which checks ctx).
func decodeJSON(ctx context.Context, b []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return unmarshalSqueezed(ctx, b, v)
	}
	if err := decodeValue(ctx, b, rv.Elem()); err != nil {
		rv.Elem().SetZero()
		return unmarshalSqueezed(ctx, b, v)
	}
	return nil
}

// decodeValue decodes the JSON value b (space around it allowed) into v
// without the fallback of decodeJSON: the fast path alone, which the
// differential fuzz target tests.
func decodeValue(ctx context.Context, b []byte, v reflect.Value) error {
	d := decoder{ctx: ctx, data: b}
	if _, err := d.peek(); err != nil {
		return err
	}
	if err := decoderFor(v.Type())(&d, v); err != nil {
		return err
	}
	d.skipSpace()
	if d.off != len(d.data) {
		return d.syntax("after top-level value")
	}
	return nil
}

// unmarshalSqueezed is json.Unmarshal(b, v); from squeezeFrom bytes, b
// loses its whitespace first (a copy: b is the caller's), as json.Unmarshal
// takes seconds over megabytes of it and cannot be stopped.
func unmarshalSqueezed(ctx context.Context, b []byte, v any) error {
	if len(b) >= squeezeFrom {
		var err error
		if b, err = squeezeSpace(ctx, bytes.Clone(b)); err != nil {
			return err
		}
	}
	return json.Unmarshal(b, v)
}

// squeezeFrom is the size from which unmarshalSqueezed drops whitespace.
const squeezeFrom = 1 << 20

// squeezeSpace drops the whitespace outside JSON strings from b, in place,
// and fails with ctx's error once ctx has ended (checked every 1 MiB).
func squeezeSpace(ctx context.Context, b []byte) ([]byte, error) {
	out := b[:0]
	inString, escaped := false, false
	for i, ch := range b {
		if i&(1<<20-1) == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if inString {
			switch {
			case escaped:
				escaped = false
			case ch == '\\':
				escaped = true
			case ch == '"':
				inString = false
			}
		} else {
			switch ch {
			case ' ', '\t', '\r', '\n':
				continue
			case '"':
				inString = true
			}
		}
		out = append(out, ch)
	}
	return out, nil
}

// maxNestingDepth is encoding/json's limit on nested arrays and objects.
const maxNestingDepth = 10000

// decoder reads one JSON text.
type decoder struct {
	ctx     context.Context // bounds the values handed to json.Unmarshal
	data    []byte
	off     int
	depth   int
	scratch []byte            // unquoted strings with escapes
	strs    map[string]string // decodeInternedString's strings
}

// errUnexpectedEnd is the error of input that ends inside a value: the
// streaming decoder reads more and tries again.
var errUnexpectedEnd = errors.New("unexpected end of JSON input")

// errType is a value of the wrong JSON type for its Go field.
var errType = errors.New("JSON value of the wrong type")

func (d *decoder) syntax(where string) error {
	if d.off >= len(d.data) {
		return errUnexpectedEnd
	}
	return fmt.Errorf("invalid character %q %s at offset %d", d.data[d.off], where, d.off)
}

func (d *decoder) skipSpace() {
	for d.off < len(d.data) {
		switch d.data[d.off] {
		case ' ', '\t', '\n', '\r':
			d.off++
		default:
			return
		}
	}
}

// peek returns the next byte after space.
func (d *decoder) peek() (byte, error) {
	d.skipSpace()
	if d.off >= len(d.data) {
		return 0, errUnexpectedEnd
	}
	return d.data[d.off], nil
}

// literal reads true, false or null at the current offset.
func (d *decoder) literal(word string) error {
	end := d.off + len(word)
	if end > len(d.data) {
		if string(d.data[d.off:]) == word[:len(d.data)-d.off] {
			d.off = len(d.data)
			return errUnexpectedEnd
		}
	} else if string(d.data[d.off:end]) == word {
		d.off = end
		return nil
	}
	for i := 0; d.off < len(d.data) && d.data[d.off] == word[i]; i++ {
		d.off++
	}
	return d.syntax("in literal " + word)
}

// number reads a JSON number and returns its text.
func (d *decoder) number() ([]byte, error) {
	start := d.off
	data := d.data
	i := d.off
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i >= len(data):
		d.off = i
		return nil, errUnexpectedEnd
	case data[i] == '0':
		i++
	case '1' <= data[i] && data[i] <= '9':
		for i++; i < len(data) && '0' <= data[i] && data[i] <= '9'; i++ {
		}
	default:
		d.off = i
		return nil, d.syntax("in numeric literal")
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			d.off = i
			return nil, d.syntax("after decimal point in numeric literal")
		}
		for i++; i < len(data) && '0' <= data[i] && data[i] <= '9'; i++ {
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			d.off = i
			return nil, d.syntax("in exponent of numeric literal")
		}
		for i++; i < len(data) && '0' <= data[i] && data[i] <= '9'; i++ {
		}
	}
	d.off = i
	return data[start:i], nil
}

// str reads a JSON string at the current offset (the opening quote) and
// returns its unquoted bytes: a slice of the input when it has no escapes
// and is valid UTF-8, else of d.scratch. Either is valid until the next call.
func (d *decoder) str() ([]byte, error) {
	data := d.data
	start := d.off + 1
	i := start
	ascii := true
	for i < len(data) {
		for i < len(data) && plainStringByte[data[i]] {
			i++
		}
		if i >= len(data) {
			break
		}
		c := data[i]
		switch {
		case c == '"':
			d.off = i + 1
			if ascii || utf8.Valid(data[start:i]) {
				return data[start:i], nil
			}
			return d.unquote(data[start:i]), nil
		case c == '\\':
			return d.strEscaped(start, i)
		case c < ' ':
			d.off = i
			return nil, d.syntax("in string literal")
		case c >= utf8.RuneSelf:
			ascii = false
		}
		i++
	}
	d.off = len(data)
	return nil, errUnexpectedEnd
}

// plainStringByte tells the bytes str reads over without a look: not a
// quote, a backslash, a control character or a byte of a multi-byte
// character.
var plainStringByte = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// strEscaped finishes a string that has an escape at esc: it checks the
// escapes as the scanner does and unquotes.
func (d *decoder) strEscaped(start, esc int) ([]byte, error) {
	data := d.data
	i := esc
	for i < len(data) {
		c := data[i]
		switch {
		case c == '"':
			d.off = i + 1
			return d.unquote(data[start:i]), nil
		case c == '\\':
			i++
			if i >= len(data) {
				d.off = i
				return nil, errUnexpectedEnd
			}
			switch data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				i++
				for k := 0; k < 4; k++ {
					if i >= len(data) {
						d.off = i
						return nil, errUnexpectedEnd
					}
					if !isHex(data[i]) {
						d.off = i
						return nil, d.syntax("in \\u hexadecimal character escape")
					}
					i++
				}
			default:
				d.off = i
				return nil, d.syntax("in string escape code")
			}
		case c < ' ':
			d.off = i
			return nil, d.syntax("in string literal")
		default:
			i++
		}
	}
	d.off = len(data)
	return nil, errUnexpectedEnd
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// unquote decodes the escapes of s (checked already) into d.scratch and
// turns invalid UTF-8 into U+FFFD, as encoding/json does.
func (d *decoder) unquote(s []byte) []byte {
	b := d.scratch[:0]
	for r := 0; r < len(s); {
		c := s[r]
		switch {
		case c == '\\':
			r++
			switch s[r] {
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := hex4(s[r+1 : r+5])
				r += 5
				if utf16.IsSurrogate(rr) {
					if r+6 <= len(s) && s[r] == '\\' && s[r+1] == 'u' {
						if dec := utf16.DecodeRune(rr, hex4(s[r+2:r+6])); dec != unicode.ReplacementChar {
							b = utf8.AppendRune(b, dec)
							r += 6
							continue
						}
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
				continue
			default: // '"', '\\', '/'
				b = append(b, s[r])
			}
			r++
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			b = utf8.AppendRune(b, rr)
			r += size
		}
	}
	d.scratch = b
	return b
}

func hex4(s []byte) rune {
	var r rune
	for _, c := range s {
		switch {
		case c <= '9':
			c -= '0'
		case c <= 'F':
			c -= 'A' - 10
		default:
			c -= 'a' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// skip reads over one value of any kind, checking it.
func (d *decoder) skip() error {
	c, err := d.peek()
	if err != nil {
		return err
	}
	switch c {
	case '{':
		if err := d.beginObject(); err != nil {
			return err
		}
		for first := true; ; first = false {
			_, done, err := d.nextKey(first)
			if err != nil || done {
				return err
			}
			if err := d.skip(); err != nil {
				return err
			}
		}
	case '[':
		if err := d.beginArray(); err != nil {
			return err
		}
		for first := true; ; first = false {
			done, err := d.nextElem(first)
			if err != nil || done {
				return err
			}
			if err := d.skip(); err != nil {
				return err
			}
		}
	case '"':
		_, err := d.str()
		return err
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	}
	_, err = d.number()
	return err
}

// raw reads over one value and returns its bytes.
func (d *decoder) raw() ([]byte, error) {
	d.skipSpace()
	start := d.off
	if err := d.skip(); err != nil {
		return nil, err
	}
	return d.data[start:d.off], nil
}

// beginObject and beginArray read the opening brace or bracket at the
// offset, counting the nesting.
func (d *decoder) beginObject() error { return d.begin() }
func (d *decoder) beginArray() error  { return d.begin() }

func (d *decoder) begin() error {
	d.depth++
	if d.depth > maxNestingDepth {
		return errors.New("exceeded max depth")
	}
	d.off++
	return nil
}

// nextKey reads to the next member of an object (first: the first one) and
// returns its key, unquoted and valid until the next read, with the offset
// on its value; done is true after the closing brace.
func (d *decoder) nextKey(first bool) (key []byte, done bool, err error) {
	c, err := d.peek()
	if err != nil {
		return nil, false, err
	}
	switch {
	case c == '}' && first:
	case first:
	case c == ',':
		d.off++
		if c, err = d.peek(); err != nil {
			return nil, false, err
		}
		if c == '}' {
			return nil, false, d.syntax("looking for beginning of object key string")
		}
	case c == '}':
	default:
		return nil, false, d.syntax("after object key:value pair")
	}
	if c == '}' {
		d.off++
		d.depth--
		return nil, true, nil
	}
	if c != '"' {
		return nil, false, d.syntax("looking for beginning of object key string")
	}
	if key, err = d.str(); err != nil {
		return nil, false, err
	}
	if c, err = d.peek(); err != nil {
		return nil, false, err
	}
	if c != ':' {
		return nil, false, d.syntax("after object key")
	}
	d.off++
	_, err = d.peek()
	return key, false, err
}

// nextElem reads to the next element of an array (first: the first one),
// leaving the offset on it; done is true after the closing bracket.
func (d *decoder) nextElem(first bool) (done bool, err error) {
	c, err := d.peek()
	if err != nil {
		return false, err
	}
	switch {
	case c == ']':
		d.off++
		d.depth--
		return true, nil
	case first:
		return false, nil
	case c != ',':
		return false, d.syntax("after array element")
	}
	d.off++
	_, err = d.peek()
	return false, err
}

// A decodeFunc decodes the value at the decoder's offset (space skipped,
// at least one byte left) into v, which is addressable.
type decodeFunc func(d *decoder, v reflect.Value) error

var decoderCache sync.Map // reflect.Type → decodeFunc

// decoderFor returns the decodeFunc of t, building it once.
func decoderFor(t reflect.Type) decodeFunc {
	if f, ok := decoderCache.Load(t); ok {
		return f.(decodeFunc)
	}
	// A recursive type finds this indirection in the cache while its own
	// decoder is being built.
	var (
		wg sync.WaitGroup
		fn decodeFunc
	)
	wg.Add(1)
	f, loaded := decoderCache.LoadOrStore(t, decodeFunc(func(d *decoder, v reflect.Value) error {
		wg.Wait()
		return fn(d, v)
	}))
	if loaded {
		return f.(decodeFunc)
	}
	fn = newDecoder(t)
	wg.Done()
	decoderCache.Store(t, fn)
	return fn
}

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
	numberType          = reflect.TypeFor[json.Number]()
)

func newDecoder(t reflect.Type) decodeFunc {
	if f := tolerantDecoder(t); f != nil {
		return f
	}
	switch t {
	case rawMessageType:
		return decodeRawMessage
	case numberType:
		return decodeByEncodingJSON
	}
	if t.Kind() != reflect.Pointer {
		pt := reflect.PointerTo(t)
		if pt.Implements(jsonUnmarshalerType) || pt.Implements(textUnmarshalerType) {
			return decodeByEncodingJSON
		}
	}
	switch t.Kind() {
	case reflect.String:
		return decodeString
	case reflect.Bool:
		return decodeBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return decodeInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return decodeUint
	case reflect.Float32, reflect.Float64:
		return decodeFloat
	case reflect.Pointer:
		return newPointerDecoder(t)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return decodeByEncodingJSON // base64
		}
		return newSliceDecoder(t)
	case reflect.Struct:
		return newStructDecoder(t)
	}
	return decodeByEncodingJSON // maps, interfaces, arrays and the rest
}

// decodeByEncodingJSON hands one value to json.Unmarshal.
func decodeByEncodingJSON(d *decoder, v reflect.Value) error {
	b, err := d.raw()
	if err != nil {
		return err
	}
	return unmarshalSqueezed(d.ctx, b, v.Addr().Interface())
}

func decodeRawMessage(d *decoder, v reflect.Value) error {
	b, err := d.raw()
	if err != nil {
		return err
	}
	v.SetBytes(append(v.Bytes()[:0], b...))
	return nil
}

// scalar reads a value for a scalar field: null (ok false: leave v as it
// is), or the first byte of anything else with the offset still on it.
// Objects and arrays are read over and are a type error.
func (d *decoder) scalar() (c byte, ok bool, err error) {
	c = d.data[d.off]
	switch c {
	case 'n':
		return c, false, d.literal("null")
	case '{', '[':
		if err := d.skip(); err != nil {
			return c, false, err
		}
		return c, false, errType
	}
	return c, true, nil
}

// mismatch reads over a scalar of the wrong type and reports it.
func (d *decoder) mismatch() error {
	if err := d.skip(); err != nil {
		return err
	}
	return errType
}

func decodeString(d *decoder, v reflect.Value) error {
	c, ok, err := d.scalar()
	if !ok {
		return err
	}
	if c != '"' {
		return d.mismatch()
	}
	s, err := d.str()
	if err != nil {
		return err
	}
	v.SetString(string(s))
	return nil
}

// decodeInternedString is decodeString for the fields of enums, whose few
// values repeat in every element of a list: one string per value and
// decoder.
func decodeInternedString(d *decoder, v reflect.Value) error {
	c, ok, err := d.scalar()
	if !ok {
		return err
	}
	if c != '"' {
		return d.mismatch()
	}
	s, err := d.str()
	if err != nil {
		return err
	}
	v.SetString(d.intern(s))
	return nil
}

// maxInterned bounds the strings a decoder keeps for decodeInternedString.
const maxInterned = 1024

func (d *decoder) intern(b []byte) string {
	if s, ok := d.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if d.strs == nil {
		d.strs = make(map[string]string)
	}
	if len(d.strs) < maxInterned {
		d.strs[s] = s
	}
	return s
}

func decodeBool(d *decoder, v reflect.Value) error {
	c, ok, err := d.scalar()
	if !ok {
		return err
	}
	switch c {
	case 't':
		if err := d.literal("true"); err != nil {
			return err
		}
		v.SetBool(true)
		return nil
	case 'f':
		if err := d.literal("false"); err != nil {
			return err
		}
		v.SetBool(false)
		return nil
	}
	return d.mismatch()
}

// numberOrMismatch reads the number a numeric field wants.
func (d *decoder) numberOrMismatch() (n []byte, ok bool, err error) {
	c, ok, err := d.scalar()
	if !ok {
		return nil, false, err
	}
	if c != '-' && (c < '0' || c > '9') {
		return nil, false, d.mismatch()
	}
	n, err = d.number()
	return n, err == nil, err
}

func decodeInt(d *decoder, v reflect.Value) error {
	b, ok, err := d.numberOrMismatch()
	if !ok {
		return err
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || v.OverflowInt(n) {
		return errType
	}
	v.SetInt(n)
	return nil
}

func decodeUint(d *decoder, v reflect.Value) error {
	b, ok, err := d.numberOrMismatch()
	if !ok {
		return err
	}
	n, err := strconv.ParseUint(string(b), 10, 64)
	if err != nil || v.OverflowUint(n) {
		return errType
	}
	v.SetUint(n)
	return nil
}

func decodeFloat(d *decoder, v reflect.Value) error {
	b, ok, err := d.numberOrMismatch()
	if !ok {
		return err
	}
	f, err := strconv.ParseFloat(string(b), v.Type().Bits())
	if err != nil || v.OverflowFloat(f) {
		return errType
	}
	v.SetFloat(f)
	return nil
}

// newPointerDecoder: null sets nil; anything else decodes into the value
// pointed to, allocated when nil.
func newPointerDecoder(t reflect.Type) decodeFunc {
	elem := t.Elem()
	var elemDec decodeFunc
	var once sync.Once
	return func(d *decoder, v reflect.Value) error {
		if d.data[d.off] == 'n' {
			if err := d.literal("null"); err != nil {
				return err
			}
			v.SetZero()
			return nil
		}
		once.Do(func() { elemDec = decoderFor(elem) })
		if v.IsNil() {
			v.Set(reflect.New(elem))
		}
		return elemDec(d, v.Elem())
	}
}

// newSliceDecoder decodes an array into a slice as encoding/json does:
// null sets nil, [] an empty slice, and elements go into the slice's
// existing backing array where there is one.
func newSliceDecoder(t reflect.Type) decodeFunc {
	var elemDec decodeFunc
	var once sync.Once
	return func(d *decoder, v reflect.Value) error {
		switch d.data[d.off] {
		case 'n':
			if err := d.literal("null"); err != nil {
				return err
			}
			v.SetZero()
			return nil
		case '[':
		default:
			return d.mismatch()
		}
		once.Do(func() { elemDec = decoderFor(t.Elem()) })
		if err := d.beginArray(); err != nil {
			return err
		}
		i, firstLen := 0, 0
		for ; ; i++ {
			done, err := d.nextElem(i == 0)
			if err != nil {
				return err
			}
			if done {
				break
			}
			if i >= v.Cap() {
				grow := max(1, v.Cap()) // doubling: large elements are copied less often
				if i == 1 && d.depth == 1 {
					grow = max(grow, d.guessElems(firstLen, t.Elem().Size()))
				}
				v.Grow(grow)
			}
			if i >= v.Len() {
				v.SetLen(i + 1)
			}
			start := d.off
			if err := elemDec(d, v.Index(i)); err != nil {
				return err
			}
			if i == 0 {
				firstLen = d.off - start
			}
		}
		if i < v.Len() {
			v.SetLen(i)
		}
		if i == 0 {
			v.Set(reflect.MakeSlice(t, 0, 0))
		}
		return nil
	}
}

// guessElems guesses how many elements of an outermost array follow its
// first, of firstLen bytes, from the bytes left: a list's elements are
// alike, and a slice sized once is not copied at every doubling (a list
// of 10,000 VMs would be copied 14 times). The guess takes at most the
// input's size in memory (elements of size bytes), whatever the first
// element.
func (d *decoder) guessElems(firstLen int, size uintptr) int {
	n := (len(d.data) - d.off) / (firstLen + 1) // +1: the comma
	return min(n, len(d.data)/max(int(size), 1))
}

// structField is a field a JSON member decodes into.
type structField struct {
	name  string
	index int
	typ   reflect.Type
	dec   decodeFunc
}

// newStructDecoder decodes an object into a struct: members match fields
// by their JSON name, exactly or else case-insensitively (the first field
// in order wins, as in encoding/json); other members are read over; null
// leaves the struct as it is. A struct that needs more of encoding/json's
// rules (embedded fields, ",string", clashing names) goes to it whole.
func newStructDecoder(t reflect.Type) decodeFunc { return newStructDecoderOf(t, false) }

// newStructDecoderOf is newStructDecoder; with intern, its string fields
// decode with decodeInternedString.
func newStructDecoderOf(t reflect.Type, intern bool) decodeFunc {
	fields, ok := jsonFields(t)
	if !ok {
		return decodeByEncodingJSON
	}
	exact := make(map[string]int, len(fields))
	folded := make(map[string]int, len(fields))
	for i, f := range fields {
		exact[f.name] = i
		if _, ok := folded[string(foldName([]byte(f.name)))]; !ok {
			folded[string(foldName([]byte(f.name)))] = i
		}
	}
	var once sync.Once
	return func(d *decoder, v reflect.Value) error {
		switch d.data[d.off] {
		case 'n':
			return d.literal("null")
		case '{':
		default:
			return d.mismatch()
		}
		once.Do(func() {
			for i := range fields {
				fields[i].dec = decoderFor(fields[i].typ)
				if intern && fields[i].typ.Kind() == reflect.String {
					fields[i].dec = decodeInternedString
				}
			}
		})
		if err := d.beginObject(); err != nil {
			return err
		}
		next := 0 // members usually come in the order of the fields
		for first := true; ; first = false {
			key, done, err := d.nextKey(first)
			if err != nil || done {
				return err
			}
			i := -1
			if next < len(fields) && fields[next].name == string(key) {
				i = next
			} else if j, ok := exact[string(key)]; ok {
				i = j
			} else if j, ok := folded[string(foldName(key))]; ok {
				i = j
			}
			if i < 0 {
				if err := d.skip(); err != nil {
					return err
				}
				continue
			}
			next = i + 1
			if err := fields[i].dec(d, v.Field(fields[i].index)); err != nil {
				return err
			}
		}
	}
}

// jsonFields lists the fields of t that members decode into, in order
// (not the unexported ones, nor "-"); ok is false when t needs rules this
// decoder leaves to encoding/json.
func jsonFields(t reflect.Type) (fields []structField, ok bool) {
	seen := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			return nil, false
		}
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := cutComma(tag)
		if hasOption(opts, "string") {
			return nil, false
		}
		if !validTagName(name) {
			name = f.Name
		}
		if seen[name] {
			return nil, false
		}
		seen[name] = true
		fields = append(fields, structField{name: name, index: i, typ: f.Type})
	}
	return fields, true
}

func cutComma(s string) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ',' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func hasOption(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = cutComma(opts)
		if o == want {
			return true
		}
	}
	return false
}

// validTagName is encoding/json's isValidTag.
func validTagName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case containsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}

// foldName is encoding/json's: foldName(x) == foldName(y) when
// bytes.EqualFold(x, y).
func foldName(in []byte) []byte {
	var arr [32]byte
	out := arr[:0]
	for i := 0; i < len(in); {
		if c := in[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(in[i:])
		out = utf8.AppendRune(out, foldRune(r))
		i += n
	}
	return out
}

func foldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}
