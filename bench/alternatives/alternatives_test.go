package alternatives

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	gojson "github.com/goccy/go-json"
	"github.com/mailru/easyjson"
	"github.com/vprotect-go/vprotect"
)

// vmList is the SDK benchmark's body: 10,000 VMs from vm_get.json.
func vmList(b testing.TB) []byte {
	raw, err := os.ReadFile("../../testdata/responses/vm_get.json")
	if err != nil {
		b.Fatal(err)
	}
	var vm vprotect.VirtualMachine
	if err := json.Unmarshal(raw, &vm); err != nil {
		b.Fatal(err)
	}
	vms := make([]vprotect.VirtualMachine, 10_000)
	for i := range vms {
		v := vm
		v.GUID = fmt.Sprintf("c9b1c5a4-0000-4000-8000-%012d", i)
		v.Name = fmt.Sprintf("vm-%05d", i)
		vms[i] = v
	}
	body, err := json.Marshal(vms)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkDecodeVMList10k decodes the 10,000 VMs from memory with each
// decoder: into the plain structs (the baseline's) and into the SDK's
// types (whose UnmarshalJSON methods the libraries call).
func BenchmarkDecodeVMList10k(b *testing.B) {
	body := vmList(b)
	run := func(name string, decode func() (int, error)) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for i := 0; i < b.N; i++ {
				if n, err := decode(); err != nil || n != 10_000 {
					b.Fatal(err, n)
				}
			}
		})
	}
	run("plain/stdjson", func() (int, error) {
		var vms []plainVM
		err := json.Unmarshal(body, &vms)
		return len(vms), err
	})
	run("plain/goccy", func() (int, error) {
		var vms []plainVM
		err := gojson.Unmarshal(body, &vms)
		return len(vms), err
	})
	run("plain/easyjson", func() (int, error) {
		var vms plainVMs
		err := easyjson.Unmarshal(body, &vms)
		return len(vms), err
	})
	run("fastpath/stdjson", func() (int, error) {
		var vms []fastVM
		err := json.Unmarshal(body, &vms)
		return len(vms), err
	})
	run("sdk-types/stdjson", func() (int, error) {
		var vms []vprotect.VirtualMachine
		err := json.Unmarshal(body, &vms)
		return len(vms), err
	})
	run("sdk-types/goccy", func() (int, error) {
		var vms []vprotect.VirtualMachine
		err := gojson.Unmarshal(body, &vms)
		return len(vms), err
	})
}

// TestFastPathDecodesLikeTheSDK: the fast-path types of the "std-lib fast
// paths" row read the benchmark's bytes as the SDK's types do.
func TestFastPathDecodesLikeTheSDK(t *testing.T) {
	body := vmList(t)
	var fast []fastVM
	var sdk []vprotect.VirtualMachine
	if err := json.Unmarshal(body, &fast); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, &sdk); err != nil {
		t.Fatal(err)
	}
	f, s := fast[1], sdk[1]
	for _, c := range []struct{ got, want any }{
		{len(fast), len(sdk)},
		{f.GUID, s.GUID},
		{f.Hypervisor.GUID, s.Hypervisor.GUID},
		{f.HVType.Name, string(s.HVType.Name)},
		{int64(f.LastBackup), s.LastBackup.UnixMilli()},
		{f.LastSuccessfulFullBackup.GUID, s.LastSuccessfulFullBackup.GUID},
		{f.LastSuccessfulIncBackup.Name, s.LastSuccessfulIncBackup.Name},
		{string(f.PreSnapIgnoredExitCodes), string(s.PreSnapIgnoredExitCodes)},
		{len(f.PossibleActions), len(s.PossibleActions)},
	} {
		if c.got != c.want {
			t.Errorf("got %v, want %v", c.got, c.want)
		}
	}
}
