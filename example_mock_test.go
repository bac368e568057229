package vprotect_test

import (
	"context"
	"fmt"

	"github.com/vprotect-go/vprotect"
)

// portal is code under test that depends on the VMsAPI interface.
type portal struct{ vms vprotect.VMsAPI }

func (p portal) vmNames(ctx context.Context, tenant string) ([]string, error) {
	vms, err := p.vms.List(ctx, &vprotect.VMListOptions{TenantID: tenant})
	if err != nil {
		return nil, err
	}
	names := make([]string, len(vms))
	for i, vm := range vms {
		names[i] = vm.Name
	}
	return names, nil
}

// stubVMs stands in for c.VMs; the embedded interface covers the methods
// the test does not need.
type stubVMs struct{ vprotect.VMsAPI }

func (stubVMs) List(_ context.Context, o *vprotect.VMListOptions) ([]vprotect.VirtualMachine, error) {
	return []vprotect.VirtualMachine{{GUID: "g-1", Name: o.TenantID + "-web-1"}}, nil
}

// A unit test gives code that depends on a service interface a stand-in
// instead of a client; in production it gets client.VMs.
func Example_mockingAService() {
	p := portal{vms: stubVMs{}}
	names, err := p.vmNames(context.Background(), "tenant-a")
	fmt.Println(names, err)
	// Output: [tenant-a-web-1] <nil>
}
