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
		`{"password":12}`:                                                 `{"password":12}`,
		`{"storageAuthKey":"k","sshPassword":"p","token":"t","name":"n"}`: `{"storageAuthKey":"***","sshPassword":"***","token":"***","name":"n"}`,
	}
	for in, want := range cases {
		if got := string(JSON([]byte(in))); got != want {
			t.Errorf("JSON(%s) = %s, want %s", in, got, want)
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
