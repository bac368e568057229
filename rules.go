package vprotect

// RulesService manages the rules of VM backup policies.
type RulesService service
