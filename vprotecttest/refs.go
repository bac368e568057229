package vprotecttest

// References between objects: {guid, name} values whose names are looked
// up when rendered, and the helpers that edit lists of them.

// ref returns a reference with the current name of guid, or nil for "".
func (st *state) ref(guid string) *NameAndGuid {
	if guid == "" {
		return nil
	}
	return &NameAndGuid{GUID: guid, Name: st.nameOf(guid)}
}

func (st *state) refVal(guid string) NameAndGuid {
	return NameAndGuid{GUID: guid, Name: st.nameOf(guid)}
}

func (st *state) refreshRef(r *NameAndGuid) *NameAndGuid {
	if r == nil || r.GUID == "" {
		return nil
	}
	if n := st.nameOf(r.GUID); n != "" {
		return &NameAndGuid{GUID: r.GUID, Name: n}
	}
	c := *r
	return &c
}

func (st *state) refreshRefs(rs []NameAndGuid) []NameAndGuid {
	out := make([]NameAndGuid, 0, len(rs))
	for _, r := range rs {
		out = append(out, *st.refreshRef(&r))
	}
	return out
}

// vmEntity is the typed reference to a VM (protectedEntity).
func vmEntity(v *VM) *NameGuidAndType {
	return &NameGuidAndType{GUID: v.GUID, Name: v.Name, Type: enumOf("VM")}
}

// addRef appends guid to refs unless present.
func addRef(refs []NameAndGuid, guid string) []NameAndGuid {
	for _, r := range refs {
		if r.GUID == guid {
			return refs
		}
	}
	return append(refs, NameAndGuid{GUID: guid})
}

// removeRef drops guid from refs.
func removeRef(refs []NameAndGuid, guid string) []NameAndGuid {
	out := refs[:0:0]
	for _, r := range refs {
		if r.GUID != guid {
			out = append(out, r)
		}
	}
	return out
}

func dedupRefs(refs []NameAndGuid) []NameAndGuid {
	var out []NameAndGuid
	for _, r := range refs {
		out = addRef(out, r.GUID)
	}
	if out == nil {
		out = []NameAndGuid{}
	}
	return out
}
