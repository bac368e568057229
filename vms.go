package vprotect

// VMsService lists virtual machines and reads their details.
type VMsService service
