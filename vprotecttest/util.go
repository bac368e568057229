package vprotecttest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	return io.ReadAll(r.Body)
}

func asTypeErr(err error, te **json.UnmarshalTypeError) bool { return errors.As(err, te) }
