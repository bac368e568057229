package vprotect

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHypervisorsList(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/hypervisors", 200, fixture(t, "hypervisor_list.json"))

	got, err := c.Hypervisors.List(context.Background(), &HypervisorListOptions{ListOptions: ListOptions{Size: 50}, BackupToBeRestored: "bk-1"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"backup-to-be-restored": {"bk-1"}, "page": {"0"}, "size": {"50"}}, captor.only(t).Query)
	require.Len(t, got, 2)
	assert.Equal(t, HypervisorTypeKVM, got[0].Type.Name)
	assert.True(t, got[0].Cluster.IsZero())
	assert.True(t, got[0].HVManager.IsZero())
	assert.Equal(t, HypervisorTypeProxmox, got[1].Type.Name)
	assert.Equal(t, "root@pam", got[1].User)
}

func TestHypervisorsGet(t *testing.T) {
	c, mt := newTestClient(t)
	captor := respondJSON(mt, http.MethodGet, "/hypervisors/a%2Fb%20c", 200, fixture(t, "hypervisor_details.json"))

	h, err := c.Hypervisors.Get(context.Background(), "a/b c")
	require.NoError(t, err)
	assert.Equal(t, "/hypervisors/a%2Fb%20c", captor.only(t).Path)
	assert.Equal(t, &Hypervisor{
		GUID:                 "hv-0001",
		Host:                 "kvm01.example.com",
		Type:                 Enum[HypervisorType]{Name: HypervisorTypeKVM, Description: "KVM"},
		User:                 "root",
		Password:             "hv-s3cret",
		SSHKeyPath:           "/opt/vprotect/.ssh/id_rsa",
		Node:                 NameAndGuid{GUID: "node-0001", Name: "node1"},
		VMs:                  []NameAndGuid{{GUID: "vm-0001", Name: "web-01"}, {GUID: "vm-0002", Name: "db-01"}},
		VMExportImportMode:   Enum[VMExportImportMode]{Name: "SSH_TRANSFER", Description: "SSH transfer"},
		TransferNicAddress:   "10.0.0.11",
		DataCenterName:       "dc1",
		Cluster:              NameAndGuid{GUID: "cl-0001", Name: "Default"},
		VMOwner:              "qemu",
		VMOwningGroup:        "qemu",
		HVManager:            NameAndGuid{GUID: "hvm-0001", Name: "openstack"},
		StorageAuthKey:       "ceph-key-s3cret",
		StorageConfiguration: "/etc/ceph/ceph.conf",
		StorageType:          EnumNameAndDescription{Name: "DEFAULT", Description: "Default"},
		LicenseCovered:       true,
		VMCount:              2,
	}, h)
}

func TestHypervisorSecretsNotPrinted(t *testing.T) {
	var h Hypervisor
	require.NoError(t, json.Unmarshal(fixture(t, "hypervisor_details.json"), &h))

	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("hv", "hypervisor", h, "ptr", &h)
	for _, s := range []string{fmt.Sprint(h), fmt.Sprintf("%v %+v %#v %s", h, &h, h, &h), logs.String()} {
		assert.NotContains(t, s, "hv-s3cret")
		assert.NotContains(t, s, "ceph-key-s3cret")
		assert.Contains(t, s, "kvm01.example.com")
	}

	// The debug wire dump masks the password member of the response too.
	var dump bytes.Buffer
	c, mt := newTestClient(t, WithLogger(slog.New(slog.NewTextHandler(&dump, &slog.HandlerOptions{Level: slog.LevelDebug}))), WithDebug())
	respondJSON(mt, http.MethodGet, "/hypervisors/hv-0001", 200, fixture(t, "hypervisor_details.json"))
	_, err := c.Hypervisors.Get(context.Background(), "hv-0001")
	require.NoError(t, err)
	assert.Contains(t, dump.String(), "kvm01.example.com")
	assert.NotContains(t, dump.String(), "hv-s3cret")
}
