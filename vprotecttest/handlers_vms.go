package vprotecttest

import (
	"slices"
	"strings"
)

// GET /virtual-machines
func (s *Server) listVMs(c *call) (reply, error) {
	q := c.r.URL.Query()
	tenant := s.gen.tenantOf(c.r)
	hvmType := param(q, "hypervisor-manager-type")
	uuid := param(q, "uuid")
	manager := param(q, "hypervisor-manager")
	hypervisor := param(q, "hypervisor")
	var vms []*VM
	for _, v := range s.st.vms.all() {
		if tenant != "" && !slices.Contains(s.st.vmTenants(v), tenant) {
			continue
		}
		if hvmType != "" && (v.HvmType == nil || !strings.EqualFold(v.HvmType.Name, hvmType)) {
			continue
		}
		if uuid != "" && v.UUID != uuid {
			continue
		}
		if manager != "" && (v.HvManager == nil || v.HvManager.GUID != manager) {
			continue
		}
		if hypervisor != "" && (v.Hypervisor == nil || v.Hypervisor.GUID != hypervisor) {
			continue
		}
		vms = append(vms, v)
	}
	return listReply(c, vms, func(v *VM) string { return v.Name }, s.st.renderVM)
}

// GET /virtual-machines/{guid}
func (s *Server) getVM(c *call) (reply, error) {
	v, ok := s.st.vms.get(pathGUID(c.r))
	if !ok {
		return reply{}, notFound("virtual machine", pathGUID(c.r))
	}
	return okReply(s.st.renderVM(v)), nil
}
