package vprotect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStatusToSentinel(t *testing.T) {
	all := []error{ErrBadRequest, ErrUnauthorized, ErrInvalidCredentials, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited, ErrServer}
	cases := []struct {
		status int
		want   error
	}{
		{400, ErrBadRequest}, {401, ErrUnauthorized}, {403, ErrForbidden}, {404, ErrNotFound},
		{405, ErrBadRequest}, {409, ErrConflict}, {429, ErrRateLimited}, {500, ErrServer},
		{502, ErrServer}, {503, ErrServer}, {504, ErrServer},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			c, mt := newTestClient(t, WithRetry(NoRetry()))
			respondJSON(mt, "GET", "/things/x", tc.status, map[string]any{"message": "boom", "status": tc.status})
			_, err := getJSON[NameAndGuid](context.Background(), c, "/things/x", nil)
			require.Error(t, err)
			for _, s := range all {
				assert.Equal(t, s == tc.want, errors.Is(err, s), "errors.Is(%d, %v)", tc.status, s)
			}
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, "GET", apiErr.Method)
			assert.Equal(t, "/things/x", apiErr.Path)
			assert.Equal(t, "boom", apiErr.Message)
			assert.Equal(t, 1, apiErr.Attempts)
		})
	}
}

func TestErrorMessageSources(t *testing.T) {
	long := strings.Repeat("very long message ", 500)
	cases := []struct {
		name, contentType, body, want string
	}{
		{"message", "application/json", `{"message":"Schedule name must be unique","status":409}`, "Schedule name must be unique"},
		{"error.message", "application/json", `{"error":{"message":"Policy not found"}}`, "Policy not found"},
		{"message wins", "application/json", `{"message":"outer","error":{"message":"inner"}}`, "outer"},
		{"text", "text/plain", "  Service temporarily\n unavailable ", "Service temporarily unavailable"},
		{"html title", "text/html", "<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>", "502 Bad Gateway"},
		{"html without title", "text/html", "<html><body><h1>Oops &amp; sorry</h1></body></html>", "Oops & sorry"},
		{"empty", "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, errorMessage(tc.contentType, []byte(tc.body)))
		})
	}
	e := newAPIError("GET", "/x", 500, "text/plain", []byte(long+long), 3)
	assert.Less(t, len(e.Error()), 1024, "Error() stays under 1 KiB")
	assert.LessOrEqual(t, len(e.Body), maxExcerpt+3)
}

func TestAPIErrorRedactsPasswordInBody(t *testing.T) {
	e := newAPIError("POST", "/session/login", 400, "application/json", []byte(`{"message":"bad","echo":{"login":"a","password":"hunter2"}}`), 1)
	assert.NotContains(t, e.Body, "hunter2")
	assert.NotContains(t, e.Error(), "hunter2")
}

func TestArgumentError(t *testing.T) {
	err := argError("ExportRequest.Priority", "must be in 0..100, got %d", 101)
	var ae *ArgumentError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "ExportRequest.Priority", ae.Field)
	assert.Equal(t, "vprotect: invalid ExportRequest.Priority: must be in 0..100, got 101", err.Error())
	assert.Error(t, requireGUID("guid", " "))
	assert.NoError(t, requireGUID("guid", "g"))
}

func TestNilContextIsAnArgumentError(t *testing.T) {
	c, _ := newTestClient(t)
	//lint:ignore SA1012 testing the nil check
	_, err := c.do(nil, &request{method: http.MethodGet, path: "/x"})
	var ae *ArgumentError
	assert.ErrorAs(t, err, &ae)
}
