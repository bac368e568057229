package vprotect

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The SDK's decoder (decode.go) against encoding/json with the tolerant
// UnmarshalJSON methods, the path every answer took before it: the same
// values for every input encoding/json accepts, and an error for every
// input it refuses.

// decodeTargets are the types answers decode into, and the tolerant types
// alone. FuzzDecodeMatchesEncodingJSON picks one by its first argument.
var decodeTargets = []func(t *testing.T, b []byte){
	decodeSame[VirtualMachine], decodeSame[[]VirtualMachine], decodeSame[Task], decodeSame[[]Task],
	decodeSame[Backup], decodeSame[BackupLocation], decodeSame[BackupDestination], decodeSame[Schedule],
	decodeSame[Policy], decodeSame[Rule], decodeSame[Node], decodeSame[Hypervisor], decodeSame[HypervisorManager],
	decodeSame[HypervisorCluster], decodeSame[HypervisorStorage], decodeSame[SessionInfo], decodeSame[ExportResult],
	decodeSame[wireTypes], decodeSame[tolerantTypes], decodeSame[[]NameAndGuid], decodeSame[*Task],
	decodeSame[[]string], decodeSame[int],
}

// tolerantTypes holds every tolerant type once, by value and by pointer.
type tolerantTypes struct {
	Ref    NameAndGuid                `json:"ref"`
	RefP   *NameAndGuid               `json:"refp"`
	Ent    NameGuidAndType            `json:"ent"`
	Dest   BackupDestinationRef       `json:"dest"`
	Enum   Enum[TaskState]            `json:"enum"`
	EnumP  *Enum[BackupType]          `json:"enump"`
	Flex   FlexString                 `json:"flex"`
	FlexP  *FlexString                `json:"flexp"`
	Mark   VMBackupMark               `json:"mark"`
	MarkP  *VMBackupMark              `json:"markp"`
	TS     Timestamp                  `json:"ts"`
	TSP    *Timestamp                 `json:"tsp"`
	Dur    Duration                   `json:"dur"`
	Hour   TimeOfDay                  `json:"hour"`
	Raw    json.RawMessage            `json:"raw"`
	Num    json.Number                `json:"num"`
	Map    map[string]Enum[TaskState] `json:"map"`
	Any    any                        `json:"any"`
	Bytes  []byte                     `json:"bytes"`
	Arr    [2]NameAndGuid             `json:"arr"`
	Ints   []int8                     `json:"ints"`
	U      uint16                     `json:"u"`
	F32    float32                    `json:"f32"`
	Nested []map[string]*VMBackupMark `json:"nested"`
	Skip   string                     `json:"-"`
	//lint:ignore SA5008 the odd tags encoding/json knows, on purpose
	Dash  string `json:"-,"`
	Plain string // matched by its Go name
	//lint:ignore SA5008 a tag name encoding/json finds invalid, on purpose
	Bad    string                      `json:"bad name!\\"`
	Embed  struct{ ListOptions }       `json:"embed"`
	Str    int                         `json:"str,string"`
	unexp  string                      // never decoded
	Deep   *tolerantTypes              `json:"deep"`
	Ptrs   **[]*NameGuidAndType        `json:"ptrs"`
	KeyMap map[Enum[TaskState]]string  `json:"keymap"`
	Iface  json.Unmarshaler            `json:"iface"`
	Kelvin string                      `json:"k"`
	Sharp  string                      `json:"ſ"`
	Ptr2   *struct{ A, B NameAndGuid } `json:"ptr2"`
}

var _ = tolerantTypes{}.unexp

// decodeSame decodes b into a T with json.Unmarshal and with the fast
// path alone (no fallback to encoding/json), and wants the same answer.
func decodeSame[T any](t *testing.T, b []byte) {
	var want, got T
	wantErr := json.Unmarshal(b, &want)
	gotErr := decodeValue(context.Background(), b, reflect.ValueOf(&got).Elem())
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("%T from %q:\nencoding/json: %v\ndecoder:       %v", got, b, wantErr, gotErr)
	}
	if wantErr != nil {
		return
	}
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("%T from %q:\nencoding/json: %#v\ndecoder:       %#v", got, b, want, got)
	}
	// decodeJSON (with the fallback) gives the same.
	var again T
	require.NoError(t, decodeJSON(context.Background(), b, &again))
	if !reflect.DeepEqual(want, again) {
		t.Fatalf("decodeJSON differs from decodeValue for %q", b)
	}
}

// tolerantSeeds are the forms the tolerant types accept, and some they do not.
var tolerantSeeds = []string{
	`{"ref":"g","refp":"g2","ent":"e","dest":"d","enum":"RUNNING","enump":"FULL","flex":"0,1","flexp":3,"mark":"vm - 2025","markp":{"guid":"b","name":"n"}}`,
	`{"ref":{"guid":"g","name":"n"},"refp":{"GUID":"G"},"ent":{"guid":"g","type":{"name":"VM"}},"dest":{"guid":"d","type":"S3"},"enum":{"name":"X","description":"x"}}`,
	`{"ref":null,"refp":null,"ent":null,"dest":null,"enum":null,"enump":null,"flex":null,"flexp":null,"mark":null,"markp":null,"ts":null,"tsp":null,"dur":null,"hour":null,"raw":null}`,
	`{"flex":true,"mark":false,"ts":"1717000000000","tsp":1.5e3,"dur":"","hour":"3600000","raw":{"a":[1,2]},"num":12.5}`,
	`{"flex":1e400,"ts":"x"}`, `{"ts":"NaN"}`, `{"ts":1e300}`, `{"ts":"+5"}`, `{"ts":" 5"}`, `{"dur":-0.5}`, `{"ts":true}`,
	`{"ref":5}`, `{"enum":{"name":5}}`, `{"enum":[]}`, `{"mark":[]}`, `{"mark":{"guid":1}}`, `{"flex":{}}`,
	`{"ref":"\u00e9\ud83d\ude00\ud800x\\n\"","enum":"\u0041","Ref":{"name":"case"},"REF":"upper"}`,
	`{"ref":"a","ref":{"name":"b"},"ptr2":{"A":"x"},"ptr2":{"B":"y"},"nested":[{"a":"m"}],"nested":[{"b":null}]}`,
	`{"map":{"a":"X","b":{"name":"Y"}},"any":[1,"a",{"b":null},true],"bytes":"aGk=","arr":["a","b","c"]}`,
	`{"ints":[1,-128,127],"u":65535,"f32":3.4e38}`, `{"ints":[128]}`, `{"u":-1}`, `{"f32":3.5e38}`, `{"ints":[1.0]}`,
	`{"Plain":"p","plain":"q","bad name!\\":"b","Bad":"B","-":"dash","Skip":"s","unexp":"u","embed":{"Size":3},"str":"5"}`,
	`{"deep":{"deep":{"ref":"r"}},"ptrs":[{"guid":"a"},null,"b"],"keymap":{"A":"1"},"iface":null}`,
	`{"K":"kelvin","s":"long s","S":"upper"}`, `{"\u212a":"kelvin sign","\u017f":"long s"}`,
	"{\"ref\":\"\xff\xfe\",\"enum\":\"ok\xc3\"}", "{\"ref\":\"a\tb\"}", `{"ref":"\x"}`, `{"ref":"\u12"}`,
	`{"a":[[[[{}]]]],"b":-0,"c":0.5e-3,"d":1E+2}`, `{"b":01}`, `{"b":-}`, `{"b":1.}`, `{"b":.5}`, `{"b":1e}`,
	`{"x":tru}`, `{"x":nul}`, `{"x":truex}`, `{"x":1,}`, `{,}`, `{"x" 1}`, `[1,]`, `[,1]`, `{"x":1}{`, ` {} `, ``, `"`,
	`[{"guid":"a"},"b",null]`, `{"guid":"t","state":"FINISHED","progress":"50"}`, `{"tasks":[{"guid":"t"}]}`,
	`{"successful":["v"]}`, `{"guid":"x"}`, `[]`, `null`, `7`, `-0`, `9223372036854775808`, `"s"`,
}

// FuzzDecodeMatchesEncodingJSON: the decoder gives encoding/json's answer,
// for every target type, on random inputs. The seeds are every fixture in
// testdata/responses and the tolerant forms, for every target.
func FuzzDecodeMatchesEncodingJSON(f *testing.F) {
	seeds := append([]string(nil), tolerantSeeds...)
	files, err := filepath.Glob(filepath.Join("testdata", "responses", "*.json"))
	require.NoError(f, err)
	require.NotEmpty(f, files)
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		seeds = append(seeds, string(b))
	}
	for i := range decodeTargets {
		for _, s := range seeds {
			f.Add(uint8(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, target uint8, b []byte) {
		decodeTargets[int(target)%len(decodeTargets)](t, b)
	})
}

// TestDecodeDeepNesting: past encoding/json's depth limit both fail,
// within it both decode, also inside values the decoder reads over.
func TestDecodeDeepNesting(t *testing.T) {
	for _, depth := range []int{maxNestingDepth - 1, maxNestingDepth, maxNestingDepth + 1} {
		b := `{"raw":` + strings.Repeat("[", depth-1) + strings.Repeat("]", depth-1) + `,"x":` +
			strings.Repeat("[", depth-1) + strings.Repeat("]", depth-1) + `}`
		decodeSame[tolerantTypes](t, []byte(b))
		decodeSame[VirtualMachine](t, []byte(b))
	}
}

// TestDecodeErrorsAreEncodingJSONs: a bad answer gives encoding/json's own
// error (its type and words), through the fallback of decodeJSON.
func TestDecodeErrorsAreEncodingJSONs(t *testing.T) {
	for _, b := range []string{`{"guid":`, `{"guid":5}`, `{"lastBackup":"x"}`, `[1]`, `{"name":"a"} x`} {
		var want, got VirtualMachine
		wantErr := json.Unmarshal([]byte(b), &want)
		require.Error(t, wantErr, b)
		assert.Equal(t, wantErr, decodeJSON(context.Background(), []byte(b), &got), b)
	}
}

// TestDecodeArrayReadsInPieces: the streaming list decoder gives the
// elements json.Unmarshal gives, however the body arrives (one byte at a
// time, half reads), and encoding/json's error when it refuses the body.
func TestDecodeArrayReadsInPieces(t *testing.T) {
	list := fixture(t, "task_list.json")
	long := "[" + strings.TrimSuffix(strings.Repeat(string(fixture(t, "task_get.json"))+",", 200), ",") + "]"
	for _, b := range []string{string(list), long, ` [ ] `, `null`, ``, `[{"guid":"a"},{"guid":5}]`, `[{"guid":"a"}`,
		`[{"guid":"a"},]`, `{"guid":"a"}`, `[{"guid":"a"} {"guid":"b"}]`, `[{"guid":"a"}]trailing`} {
		var want []Task
		wantErr := json.Unmarshal([]byte(b), &want)
		for name, reader := range map[string]func(io.Reader) io.Reader{
			"whole": func(r io.Reader) io.Reader { return r }, "one byte": iotest.OneByteReader, "half": iotest.HalfReader,
		} {
			rd := reader(bytes.NewReader([]byte(b)))
			var got []Task
			err := decodeArray(context.Background(), rd, math.MaxInt, func(v Task) bool { got = append(got, v); return true })
			var stdGot []Task
			stdErr := decodeArrayStd(bytes.NewReader([]byte(b)), math.MaxInt, -1, func(v Task) bool { stdGot = append(stdGot, v); return true })
			assert.Equal(t, stdErr == nil, err == nil, "%s %.40q: %v / %v", name, b, stdErr, err)
			assert.Equal(t, stdGot, got, "%s %.40q", name, b)
			if wantErr == nil && len(want) > 0 {
				assert.Equal(t, want, got, "%s %.40q", name, b)
			}
		}
	}
}

// TestDecodeArrayLimit: the streaming decoder refuses the element past
// the limit, before decoding it, however the body arrives.
func TestDecodeArrayLimit(t *testing.T) {
	for _, b := range []string{`[{"guid":"a"},{"guid":"b"},{"guid":"c"}]`, `[null,null,null]`, `[{},{},{"guid":5}]`} {
		for _, rd := range []io.Reader{strings.NewReader(b), iotest.OneByteReader(strings.NewReader(b))} {
			n := 0
			err := decodeArray(context.Background(), rd, 2, func(Task) bool { n++; return true })
			require.ErrorIs(t, err, ErrResponseTooLarge, b)
			assert.Equal(t, 2, n, b)
		}
	}
}

// FuzzArrayLen: the element count of the list bound (arrayLen, which
// jumps over strings) is the length json.Unmarshal gives every array it
// accepts, escaped quotes and runs of backslashes included.
func FuzzArrayLen(f *testing.F) {
	for _, s := range []string{`[]`, ` [ ] `, `[1]`, `[null,null]`, `["a,b","c\"d,",{"e":[1,2]}]`, `["\\",1]`,
		`["\\\"",2,3]`, `[[],[[]],{}]`, `["[{,"]`, `[{"a":"}\"]"},"x"]`, `[ "é,", "\u0022," ]`} {
		f.Add([]byte(s))
	}
	f.Add(fixture(f, "vm_list.json"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var elems []json.RawMessage
		if json.Unmarshal(b, &elems) != nil || elems == nil {
			return
		}
		if got := arrayLen(b); got != len(elems) {
			t.Fatalf("arrayLen(%q) = %d, want %d", b, got, len(elems))
		}
	})
}

// TestOutermostSliceSizedOnce: a list of like elements is decoded into a
// slice allocated once, from the size of its first element, and a first
// element that is small among large ones makes a slice of at most the
// input's size.
func TestOutermostSliceSizedOnce(t *testing.T) {
	task := string(fixture(t, "task_get.json"))
	list := []byte("[" + strings.TrimSuffix(strings.Repeat(task+",", 600), ",") + "]")
	var got []Task
	require.NoError(t, decodeValue(context.Background(), list, reflect.ValueOf(&got).Elem()))
	assert.Len(t, got, 600)
	assert.Less(t, cap(got), 650, "sized once from the first element (doubling would make 1024), up to a size class")

	odd := []byte(`[{},{"guid":"` + strings.Repeat("x", 100_000) + `"}]`)
	got = nil
	require.NoError(t, decodeValue(context.Background(), odd, reflect.ValueOf(&got).Elem()))
	assert.Len(t, got, 2)
	assert.LessOrEqual(t, cap(got)*int(reflect.TypeFor[Task]().Size()), len(odd)*11/10, "about the input's size in memory at most, up to a size class")
}
