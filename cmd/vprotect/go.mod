module github.com/vprotect-go/vprotect/cmd/vprotect

go 1.26.0

require (
	github.com/spf13/cobra v1.10.2
	github.com/vprotect-go/vprotect v0.0.0-00010101000000-000000000000
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/term v0.48.0
)

require (
	github.com/go-resty/resty/v2 v2.17.2 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
	golang.org/x/net v0.43.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/time v0.12.0 // indirect
)

replace github.com/vprotect-go/vprotect => ../..
