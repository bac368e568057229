package vprotecttest

import (
	"crypto/subtle"
	"fmt"
	"sort"
	"strconv"
)

// user is one account of the fake. Accounts come from WithUser, WithUsers
// or the default admin / vPr0tect; PUT /users/{id}/password changes them.
type user struct {
	id       int    // the numeric id of /users/{id}: 1 for admin, as the vendor's Ansible role assumes
	guid     string // the requester GUID in SessionInfoResponse
	login    string
	password string
}

// initUsers numbers the accounts: DefaultLogin first (id 1, the product's
// built-in admin), then the other logins sorted; GUIDs follow the ids.
func (s *Server) initUsers() {
	logins := make([]string, 0, len(s.cfg.users))
	for l := range s.cfg.users {
		logins = append(logins, l)
	}
	sort.Slice(logins, func(i, j int) bool {
		if (logins[i] == DefaultLogin) != (logins[j] == DefaultLogin) {
			return logins[i] == DefaultLogin
		}
		return logins[i] < logins[j]
	})
	s.users = make(map[string]*user, len(logins))
	for i, l := range logins {
		s.users[l] = &user{id: i + 1, guid: fmt.Sprintf("00000000-0000-4000-9000-%012d", i+1), login: l, password: s.cfg.users[l]}
	}
}

// userByID finds an account by its numeric id or its GUID.
func (s *Server) userByID(id string) *user {
	n, err := strconv.Atoi(id)
	for _, u := range s.users {
		if (err == nil && u.id == n) || u.guid == id {
			return u
		}
	}
	return nil
}

// credentialsOK compares in constant time; an unknown login still costs a compare.
func (s *Server) credentialsOK(login, password string) bool {
	want, known := "\x00invalid-user", false
	if u := s.users[login]; u != nil {
		want, known = u.password, true
	}
	eq := subtle.ConstantTimeCompare([]byte(password), []byte(want)) == 1
	return known && eq
}

// PUT /users/{id}/password with {"value": "<new password>"} (reference 7x
// section 1.1): 204, and the next login needs the new password. Sessions
// already open stay open. The fake has no roles: any session may change any
// account's password.
func (s *Server) changePassword(c *call) (reply, error) {
	id := c.r.PathValue("id")
	u := s.userByID(id)
	if u == nil {
		return reply{}, notFound("user", id)
	}
	var req struct {
		Value *string `json:"value"`
	}
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if req.Value == nil || *req.Value == "" {
		return reply{}, badRequest("value: is required")
	}
	u.password = *req.Value
	return noContent(), nil
}
