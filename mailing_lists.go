package vprotect

import (
	"context"
	"iter"
	"net/http"
	"strings"
)

// MailingListsService manages the mailing lists that receive the daily
// reports of backup policies (7.x servers).
type MailingListsService service

// MailingListsAPI is the set of methods of MailingListsService, for mocking.
type MailingListsAPI interface {
	List(ctx context.Context, opts *ListOptions) ([]MailingList, error)
	ListPage(ctx context.Context, opts *ListOptions) (Page[MailingList], error)
	All(ctx context.Context, opts *ListOptions) iter.Seq2[MailingList, error]
	Get(ctx context.Context, guid string) (*MailingList, error)
	Create(ctx context.Context, m *MailingList) (*MailingList, error)
	Update(ctx context.Context, guid string, m *MailingList) (*MailingList, error)
	Delete(ctx context.Context, guid string) error
}

var _ MailingListsAPI = (*MailingListsService)(nil)

// MailingList is a named list of e-mail recipients. A backup policy with
// DailyReportEnabled sends its daily report to its MailingList.
//
// Lists give GUID, Name and RecipientCount; Get gives GUID, Name and
// Recipients.
type MailingList struct {
	// GUID identifies the list; set by the server.
	GUID string `json:"guid,omitempty"`
	// Name is 1..255 characters.
	Name string `json:"name"`
	// Recipients are the e-mail addresses (details only).
	Recipients []string `json:"recipients"`
	// RecipientCount is the number of recipients (lists only).
	RecipientCount int `json:"recipientCount"`
}

// Ref returns a reference to the list, as Policy.MailingList takes it.
func (m *MailingList) Ref() NameAndGuid { return NameAndGuid{GUID: m.GUID, Name: m.Name} }

// List returns the mailing lists, one page of them when opts set a page
// size (nil lists all).
//
// vProtect API: GET /mailing-lists
func (s *MailingListsService) List(ctx context.Context, opts *ListOptions) ([]MailingList, error) {
	return listOf[MailingList](ctx, s.client, "/mailing-lists", opts)
}

// ListPage returns one page of mailing lists and their total number.
//
// vProtect API: GET /mailing-lists
func (s *MailingListsService) ListPage(ctx context.Context, opts *ListOptions) (Page[MailingList], error) {
	return listPageOf[MailingList](ctx, s.client, "/mailing-lists", opts)
}

// All pages through every mailing list (opts.Size sets the page size,
// DefaultPageSize if 0; opts.Page is ignored), yielding an error once.
//
// vProtect API: GET /mailing-lists
func (s *MailingListsService) All(ctx context.Context, opts *ListOptions) iter.Seq2[MailingList, error] {
	return allOf[MailingList](ctx, s.client, "/mailing-lists", opts)
}

// Get returns the mailing list with the given GUID with its recipients.
//
// vProtect API: GET /mailing-lists/{guid}
func (s *MailingListsService) Get(ctx context.Context, guid string) (*MailingList, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	return getJSON[MailingList](ctx, s.client, mailingListPath(guid), nil)
}

// Create creates a mailing list. m needs a name and well-formed recipient
// addresses; nothing is sent otherwise. When the server answers without a
// body, Create returns the list as sent (without a GUID: find it by name
// with List).
//
// vProtect API: POST /mailing-lists
func (s *MailingListsService) Create(ctx context.Context, m *MailingList) (*MailingList, error) {
	body, err := newMailingListBody("", m)
	if err != nil {
		return nil, err
	}
	return sendOrSent(ctx, s.client, http.MethodPost, "/mailing-lists", body, func(m *MailingList) bool { return m.GUID != "" || m.Name != "" })
}

// Update replaces the name and recipients of the mailing list with the
// given GUID. m.GUID may be empty or must equal guid. When the server
// answers without a body, Update returns the list as sent.
//
// vProtect API: PUT /mailing-lists/{guid}
func (s *MailingListsService) Update(ctx context.Context, guid string, m *MailingList) (*MailingList, error) {
	if err := requireGUID("guid", guid); err != nil {
		return nil, err
	}
	body, err := newMailingListBody(guid, m)
	if err != nil {
		return nil, err
	}
	return sendOrSent(ctx, s.client, http.MethodPut, mailingListPath(guid), body, func(m *MailingList) bool { return m.GUID != "" })
}

// Delete deletes the mailing list with the given GUID.
//
// vProtect API: DELETE /mailing-lists/{guid}
func (s *MailingListsService) Delete(ctx context.Context, guid string) error {
	if err := requireGUID("guid", guid); err != nil {
		return err
	}
	_, err := s.client.do(ctx, &request{method: http.MethodDelete, path: mailingListPath(guid)})
	return err
}

func mailingListPath(guid string) string { return "/mailing-lists/" + guidSegment(guid) }

// mailingListBody is the body of a mailing list create or update.
type mailingListBody struct {
	GUID       string   `json:"guid,omitempty"`
	Name       string   `json:"name"`
	Recipients []string `json:"recipients"`
}

// newMailingListBody checks m and builds the body that creates it (guid
// empty) or updates the list guid with it.
func newMailingListBody(guid string, m *MailingList) (*mailingListBody, error) {
	if err := checkBody("mailingList", m); err != nil {
		return nil, err
	}
	if err := checkUpdateGUID("MailingList", m.GUID, guid); err != nil {
		return nil, err
	}
	if err := checkName("MailingList.Name", m.Name); err != nil {
		return nil, err
	}
	for i, r := range m.Recipients {
		if err := checkEmail(indexed("MailingList.Recipients", i), r); err != nil {
			return nil, err
		}
	}
	return &mailingListBody{GUID: guid, Name: m.Name, Recipients: reqStrings(m.Recipients)}, nil
}

// sent returns the list the body describes.
func (b *mailingListBody) sent() *MailingList {
	return &MailingList{GUID: b.GUID, Name: b.Name, Recipients: b.Recipients, RecipientCount: len(b.Recipients)}
}

// checkEmail checks that addr looks like an e-mail address: one "@" with
// text on both sides and no spaces. The server does the real check.
func checkEmail(field, addr string) error {
	at := strings.IndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 || strings.Count(addr, "@") != 1 || strings.ContainsAny(addr, " \t\r\n,;") {
		return argError(field, "must be an e-mail address, got %q", addr)
	}
	return nil
}
