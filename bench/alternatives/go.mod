module github.com/vprotect-go/vprotect/bench/alternatives

go 1.23.0

require (
	github.com/goccy/go-json v0.12.0
	github.com/mailru/easyjson v0.9.2
	github.com/vprotect-go/vprotect v0.0.0-00010101000000-000000000000
)

require (
	github.com/josharian/intern v1.0.0 // indirect
	golang.org/x/time v0.12.0 // indirect
)

replace github.com/vprotect-go/vprotect => ../..
