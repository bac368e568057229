module github.com/vprotect-go/vprotect

go 1.23.0
