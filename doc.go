// Package vprotect is a typed Go client for the Storware vProtect REST API.
package vprotect
