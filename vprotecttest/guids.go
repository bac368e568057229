package vprotecttest

import "fmt"

// firstRuntimeGUID is the counter value of the first GUID given at run time.
const firstRuntimeGUID = 1001

// guidFor formats counter n as a UUID-shaped GUID.
func guidFor(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

// newGUID returns the next unused deterministic GUID.
func (st *state) newGUID() string {
	for {
		g := guidFor(st.nextID)
		st.nextID++
		if !st.used[g] {
			st.used[g] = true
			return g
		}
	}
}

// claim marks guid used, or allocates one when empty.
func (st *state) claim(guid *string) error {
	if *guid == "" {
		*guid = st.newGUID()
		return nil
	}
	if st.used[*guid] {
		return fmt.Errorf("duplicate guid %s", *guid)
	}
	st.used[*guid] = true
	return nil
}
