package vprotect

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets for every decoder of untrusted bytes. Their seed corpora in
// testdata/fuzz run as ordinary tests; scripts/fuzz runs them for a set time.

// FuzzErrorBody: any error body gives a bounded, valid message and never panics.
func FuzzErrorBody(f *testing.F) {
	for _, s := range []string{
		`{"message":"Schedule name must be unique","status":409}`,
		`{"error":{"message":"nested"}}`,
		`<html><head><title>502 Bad Gateway</title></head></html>`,
		`plain text`, ``, `{"message":12}`, `{"error":"flat"}`, `{"login":"a","password":"p"}`,
	} {
		f.Add("application/json", []byte(s))
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		e := newAPIError("GET", "/x", 500, contentType, body, 1)
		msg := e.Error()
		if len(msg) > maxErrorText {
			t.Fatalf("Error() is %d bytes", len(msg))
		}
		if !utf8.ValidString(msg) || !utf8.ValidString(e.Body) {
			t.Fatal("invalid UTF-8 in error")
		}
		if strings.Contains(string(body), `"password":"p"`) && strings.Contains(e.Body, `"password":"p"`) {
			t.Fatal("password kept in the excerpt")
		}
	})
}

// wireTypes holds every shared wire type, for FuzzWireTypes.
type wireTypes struct {
	Ref   NameAndGuid              `json:"ref"`
	RefP  *NameAndGuid             `json:"refp"`
	Ent   NameGuidAndType          `json:"ent"`
	Enum  Enum[TaskState]          `json:"enum"`
	Enums []EnumNameAndDescription `json:"enums"`
	TS    Timestamp                `json:"ts"`
	Dur   Duration                 `json:"dur"`
	Hour  *TimeOfDay               `json:"hour"`
}

// FuzzWireTypes: decoding never panics, and what decodes re-encodes and
// decodes to the same value.
func FuzzWireTypes(f *testing.F) {
	for _, s := range []string{
		`{"ref":{"guid":"g","name":"n"},"refp":"g2","ent":{"guid":"g","type":{"name":"VM"}},"enum":"RUNNING","enums":[{"name":"A","description":"a"},"B"],"ts":1717000000000,"dur":3600000,"hour":36000000}`,
		`{"ref":null,"refp":null,"ent":null,"enum":null,"enums":null,"ts":null,"dur":null,"hour":null}`,
		`{"ts":"1717000000000","dur":1.5}`, `{}`, `[]`, `{"enum":{"name":5}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v wireTypes
		if json.Unmarshal(b, &v) != nil {
			return
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		var again wireTypes
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("decode of own output %s: %v", out, err)
		}
		out2, _ := json.Marshal(again)
		if string(out) != string(out2) {
			t.Fatalf("round trip changed:\n%s\n%s", out, out2)
		}
	})
}
