package vprotect

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMailingListsListAndGet(t *testing.T) {
	c, mt := newTestClient(t)
	list := respondJSON(mt, http.MethodGet, "/mailing-lists", 200, fixture(t, "mailing_list_list.json"))
	get := respondJSON(mt, http.MethodGet, "/mailing-lists/ml-0001", 200, fixture(t, "mailing_list_get.json"))
	ctx := context.Background()

	ls, err := c.MailingLists.List(ctx, &ListOptions{Size: 25, Filter: "ops"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"page": {"0"}, "size": {"25"}, "filter": {"ops"}}, list.only(t).Query)
	assert.Equal(t, []MailingList{{GUID: "ml-0001", Name: "ops", RecipientCount: 2}, {GUID: "ml-0002", Name: "tenant-a-admins"}}, ls)

	m, err := c.MailingLists.Get(ctx, "ml-0001")
	require.NoError(t, err)
	get.only(t)
	assert.Equal(t, &MailingList{GUID: "ml-0001", Name: "ops", Recipients: []string{"ops@example.com", "oncall@example.com"}}, m)
	assert.Equal(t, NameAndGuid{GUID: "ml-0001", Name: "ops"}, m.Ref())
}

func TestMailingListsCreateUpdateDelete(t *testing.T) {
	c, mt := newTestClient(t)
	created := respondJSON(mt, http.MethodPost, "/mailing-lists", 201, "")
	updated := respondJSON(mt, http.MethodPut, "/mailing-lists/ml-0001", 200, fixture(t, "mailing_list_get.json"))
	deleted := respondJSON(mt, http.MethodDelete, "/mailing-lists/ml-0001", 204, nil)
	ctx := context.Background()

	m, err := c.MailingLists.Create(ctx, &MailingList{Name: "ops", Recipients: []string{"ops@example.com"}})
	require.NoError(t, err)
	assert.Equal(t, &MailingList{Name: "ops", Recipients: []string{"ops@example.com"}, RecipientCount: 1}, m, "an empty answer gives the list as sent")
	assertGolden(t, "mailing_list_create.json", created.only(t).Body)

	m, err = c.MailingLists.Update(ctx, "ml-0001", &MailingList{GUID: "ml-0001", Name: "ops", Recipients: []string{"ops@example.com", "oncall@example.com"}})
	require.NoError(t, err)
	assert.Equal(t, "ml-0001", m.GUID)
	assertGolden(t, "mailing_list_update.json", updated.only(t).Body)

	require.NoError(t, c.MailingLists.Delete(ctx, "ml-0001"))
	deleted.only(t)
}

func TestMailingListsBadArguments(t *testing.T) {
	c, _ := newTestClient(t)
	ctx := context.Background()
	_, err := c.MailingLists.Create(ctx, nil)
	requireArgError(t, err, "mailingList")
	_, err = c.MailingLists.Create(ctx, &MailingList{})
	requireArgError(t, err, "MailingList.Name")
	for _, bad := range []string{"", "ops", "@example.com", "ops@", "a@b@c", "ops@example.com, x@y"} {
		_, err = c.MailingLists.Create(ctx, &MailingList{Name: "ops", Recipients: []string{"ok@example.com", bad}})
		requireArgError(t, err, "MailingList.Recipients[1]")
	}
	_, err = c.MailingLists.Update(ctx, "ml-1", &MailingList{GUID: "ml-2", Name: "ops"})
	requireArgError(t, err, "MailingList.GUID")
	_, err = c.MailingLists.Get(ctx, "")
	requireArgError(t, err, "guid")
	requireArgError(t, c.MailingLists.Delete(ctx, ""), "guid")
}
