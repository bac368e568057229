package vprotecttest

import (
	"net/http"
	"strings"
)

// Mailing lists (reference 7x 8.3): the recipients of the daily reports of
// backup policies (a policy's mailingList). A list a policy names cannot be
// deleted (409).

// mailingListRecord is a mailing list as lists show it.
type mailingListRecord struct {
	GUID           string `json:"guid"`
	Name           string `json:"name"`
	RecipientCount int    `json:"recipientCount"`
}

// mailingListRequest is the body of POST and PUT /mailing-lists.
type mailingListRequest struct {
	GUID       string    `json:"guid"`
	Name       *string   `json:"name"`
	Recipients *[]string `json:"recipients"`
}

// buildMailingList validates a request; self is the list's GUID on update.
func (s *Server) buildMailingList(req *mailingListRequest, self string) (MailingList, error) {
	var m MailingList
	var err error
	if m.Name, err = uniqueName(&s.st.mailLists, "mailing list", req.Name, self, 255); err != nil {
		return m, err
	}
	m.Recipients = []string{}
	if req.Recipients != nil {
		for i, r := range *req.Recipients {
			r = strings.TrimSpace(r)
			if at := strings.IndexByte(r, '@'); at <= 0 || at == len(r)-1 || strings.ContainsAny(r, " ,;") {
				return m, badRequest("recipients[%d]: invalid e-mail address %q", i, r)
			}
			m.Recipients = append(m.Recipients, r)
		}
	}
	return m, nil
}

// GET /mailing-lists (paged like every list)
func (s *Server) listMailingLists(c *call) (reply, error) {
	return listReply(c, s.st.mailLists.all(), func(m *MailingList) string { return m.Name },
		func(m *MailingList) mailingListRecord {
			return mailingListRecord{GUID: m.GUID, Name: m.Name, RecipientCount: len(m.Recipients)}
		})
}

// POST /mailing-lists
func (s *Server) createMailingList(c *call) (reply, error) {
	var req mailingListRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	m, err := s.buildMailingList(&req, "")
	if err != nil {
		return reply{}, err
	}
	m.GUID = s.st.newGUID()
	s.st.mailLists.put(m.GUID, &m)
	return created(renderMailingList(&m)), nil
}

// GET /mailing-lists/{guid}
func (s *Server) getMailingList(c *call) (reply, error) {
	m, ok := s.st.mailLists.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("mailing list", pathGUID(c.r))
	}
	return okReply(renderMailingList(m)), nil
}

// PUT /mailing-lists/{guid}
func (s *Server) updateMailingList(c *call) (reply, error) {
	old, ok := s.st.mailLists.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("mailing list", pathGUID(c.r))
	}
	var req mailingListRequest
	if err := c.decode(&req); err != nil {
		return reply{}, err
	}
	if req.GUID != "" && req.GUID != old.GUID {
		return reply{}, badRequest("guid: %q is not the mailing list %q of the path", req.GUID, old.GUID)
	}
	m, err := s.buildMailingList(&req, old.GUID)
	if err != nil {
		return reply{}, err
	}
	m.GUID = old.GUID
	*old = m
	return okReply(renderMailingList(old)), nil
}

// DELETE /mailing-lists/{guid}
func (s *Server) deleteMailingList(c *call) (reply, error) {
	m, ok := s.st.mailLists.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("mailing list", pathGUID(c.r))
	}
	for _, p := range s.st.policies.all() {
		if p.MailingList != nil && p.MailingList.GUID == m.GUID {
			return reply{}, errf(http.StatusConflict, "mailing list %q is the daily report list of policy %q", m.Name, p.Name)
		}
	}
	s.st.mailLists.del(m.GUID)
	return noContent(), nil
}

// renderMailingList returns a copy of a mailing list.
func renderMailingList(m *MailingList) MailingList {
	c := *m
	c.Recipients = append([]string{}, m.Recipients...)
	return c
}
