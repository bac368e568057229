package redact

import (
	"net/http"
	"strings"
	"testing"
)

func TestJSON(t *testing.T) {
	cases := map[string]string{
		`{"login":"admin","password":"s3cret"}`:                           `{"login":"admin","password":"***"}`,
		`{"password" : "a\"b\\c"}`:                                        `{"password" : "***"}`,
		`{"Password":"x","nested":{"password":"y"}}`:                      `{"Password":"***","nested":{"password":"***"}}`,
		`no json at all`:                                                  `no json at all`,
		`{"password":12}`:                                                 `{"password":"***"}`,
		`{"storageAuthKey":"k","sshPassword":"p","token":"t","name":"n"}`: `{"storageAuthKey":"***","sshPassword":"***","token":"***","name":"n"}`,
	}
	for in, want := range cases {
		if got := string(JSON([]byte(in))); got != want {
			t.Errorf("JSON(%s) = %s, want %s", in, got, want)
		}
	}
}

// Every spelling and placement of a secret member is masked: any letter
// case, repeated, nested in objects and arrays, escaped names, non-string
// values, unterminated text, and JSON echoed inside a JSON string.
func TestJSONMasksEverySpelling(t *testing.T) {
	const secret = "s3cret"
	cases := []string{
		`{"password":"s3cret"}`,
		`{"Password":"s3cret"}`,
		`{"PASSWORD":"s3cret"}`,
		`{"passWord":"s3cret"}`,
		`{"p\u0061ssword":"s3cret"}`,
		`{"pa\u017F\u017Fword":"s3cret"}`,
		`{"password":"x","password":"s3cret","PASSWORD":"s3cret"}`,
		`{"login":"a","extra":{"password":"s3cret","list":[{"Password":"s3cret"},{"db_password":"s3cret"}]}}`,
		`{"password":{"value":"s3cret"}}`,
		`{"password":["s3cret","s3cret"]}`,
		`{"password" :
 "s3cret"}`,
		`{"login":"a","password":"s3cr` + `et`,
		`{"message":"JSON parse error: [Source: (String)\"{\"login\":\"admin\",\"password\":\"s3cret\"}\"; line: 1]"}`,
		`JSON parse error [Source: (String)"{"login":"admin","password":"s3cret"}"; line: 1]`,
		`{"a":"\\","password":"s3cret"}`,
	}
	for _, in := range cases {
		got := string(JSON([]byte(in)))
		if strings.Contains(got, secret) || strings.Contains(got, "s3cr") {
			t.Errorf("JSON(%s) = %s: the secret is still there", in, got)
		}
		if !strings.Contains(got, Mask) {
			t.Errorf("JSON(%s) = %s: nothing masked", in, got)
		}
	}
	for _, in := range []string{`{"password":null}`, `{"name":"password"}`, `"password"`, `{"passwordHint":"h"}`} {
		if got := string(JSON([]byte(in))); got != in {
			t.Errorf("JSON(%s) = %s, want it unchanged", in, got)
		}
	}
}

func TestRequest(t *testing.T) {
	cases := []struct{ path, in, want string }{
		{"/users/1/password", `{"value":"n3w\"pw"}`, `{"value":"***"}`},
		{"/api/virtual-machines/g/ssh-password", `{"value" : "p"}`, `{"value" : "***"}`},
		{"/users/1/Password", `{"value":"p","login":"x"}`, `{"value":"***","login":"x"}`},
		{"/backups/g/description", `{"value":"kept"}`, `{"value":"kept"}`},
		{"/session/login", `{"login":"admin","password":"s"}`, `{"login":"admin","password":"***"}`},
		{"", `{"value":"kept"}`, `{"value":"kept"}`},
	}
	for _, c := range cases {
		if got := string(Request(c.path, []byte(c.in))); got != c.want {
			t.Errorf("Request(%q, %s) = %s, want %s", c.path, c.in, got, c.want)
		}
	}
}

func TestSecretName(t *testing.T) {
	for _, n := range []string{"password", "PASSWORD", "sshPassword", "db_password", "storageAuthKey", "token", "clientSecret", "paſſword"} {
		if !SecretName(n) {
			t.Errorf("SecretName(%q) = false", n)
		}
	}
	for _, n := range []string{"login", "name", "passwordHint", "tokens", ""} {
		if SecretName(n) {
			t.Errorf("SecretName(%q) = true", n)
		}
	}
}

func TestHeader(t *testing.T) {
	h := http.Header{}
	h.Set("Cookie", "JSESSIONID=abc")
	h.Add("Set-Cookie", "JSESSIONID=def; Path=/")
	h.Set("Content-Type", "application/json")
	got := Header(h)
	for _, k := range []string{"Cookie", "Set-Cookie"} {
		if v := got.Get(k); v != Mask {
			t.Errorf("%s = %q", k, v)
		}
	}
	if got.Get("Content-Type") != "application/json" {
		t.Error("Content-Type changed")
	}
	if !strings.Contains(h.Get("Cookie"), "abc") {
		t.Error("input modified")
	}
	if Header(nil) == nil {
		t.Error("nil header gives nil")
	}
}

// A server message that quotes the request back: the login body inside a
// JSON string (quotes escaped, the password holding escaped quotes too), or
// cut off by an excerpt.
func TestJSONQuotedInsideAString(t *testing.T) {
	cases := map[string]string{
		`{"message":"JSON parse error: Unexpected character; [Source: (String)\"{\"login\":\"admin\",\"password\":\"hun\\\"ter2\"}\"; line: 1]"}`: `{"message":"JSON parse error: Unexpected character; [Source: (String)\"{\"login\":\"admin\",\"password\":\"***\"}\"; line: 1]"}`,
		`{"message":"[Source: (String)\"{\"PASSWORD\":\"hunter2`:                                                                                  `{"message":"[Source: (String)\"{\"PASSWORD\":\"***\""`,
		`{"password":"hunter2`:                      `{"password":"***"`,
		`{"sshPassword":"a\"b","x":"\"token\": 1"}`: `{"sshPassword":"***","x":"\"token\": \"***\""}`,
	}
	for in, want := range cases {
		if got := string(JSON([]byte(in))); got != want {
			t.Errorf("JSON(%s)\n = %s\nwant %s", in, got, want)
		}
	}
}

func TestValues(t *testing.T) {
	const pw = `p"w\x/y z`
	in := `raw p"w\x/y z, once p\"w\\x/y z, twice p\\\"w\\\\x/y z, query p%22w%5Cx%2Fy+z, cookie c00kie; short`
	got := string(Values([]byte(in), pw, "c00kie", ""))
	want := `raw ***, once ***, twice ***, query ***, cookie ***; short`
	if got != want {
		t.Errorf("Values = %s\nwant %s", got, want)
	}
	if string(Values([]byte("abc"))) != "abc" {
		t.Error("no secrets changes nothing")
	}
}
