package vprotect

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCredentialsList(t *testing.T) {
	c, mt := newTestClient(t)
	rec := respondJSON(mt, http.MethodGet, "/credential", http.StatusOK, fixture(t, "credential_list.json"))

	got, err := c.Credentials.List(context.Background())
	require.NoError(t, err)
	req := rec.only(t)
	assert.Empty(t, req.Query)
	assert.Equal(t, []Credential{
		{GUID: "cred-0001", Name: "linux-root", User: "root"},
		{GUID: "cred-0002", Name: "windows-admin", User: "Administrator"},
	}, got)
}
