package vprotect

import "context"

// CredentialsService lists the OS credentials vProtect keeps: the records a
// VM's settings name in VirtualMachine.Credential (the vendor UI's "Os
// Credentials" select).
type CredentialsService service

// CredentialsAPI is the interface of CredentialsService, for mocking.
type CredentialsAPI interface {
	List(ctx context.Context) ([]Credential, error)
}

var _ CredentialsAPI = (*CredentialsService)(nil)

// Credential is an OS credential. The server never answers its password.
type Credential struct {
	// GUID identifies the credential; VirtualMachine.Credential names it.
	GUID string `json:"guid"`
	// Name is the credential's name.
	Name string `json:"name"`
	// User is the OS user it logs in as.
	User string `json:"user"`
}

// List returns every OS credential.
//
// vProtect API: GET /credential
func (s *CredentialsService) List(ctx context.Context) ([]Credential, error) {
	p, err := listPage[Credential](ctx, s.client, "/credential", nil)
	return p.Items, err
}
