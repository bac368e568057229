package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
	"github.com/vprotect-go/vprotect"
)

// versionView is the result of version in -o json and -o yaml.
type versionView struct {
	Version    string `json:"version"` // the module version go install built, "(devel)" from a checkout
	SDKVersion string `json:"sdkVersion"`
	Go         string `json:"go"`
	Platform   string `json:"platform"`
}

// cliVersion is the version of the module the binary was built from.
func cliVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func (a *app) versionCommand() *cobra.Command {
	return a.command(&cobra.Command{
		Use:   "version",
		Short: "Print the versions of vprotect, its SDK and Go",
		Args:  cobra.NoArgs,
	}, func(cmd *cobra.Command, _ []string) error {
		v := versionView{Version: cliVersion(), SDKVersion: vprotect.Version, Go: runtime.Version(),
			Platform: runtime.GOOS + "/" + runtime.GOARCH}
		return a.render(v, func(w io.Writer) {
			fmt.Fprintf(w, "vprotect %s (SDK %s, %s, %s)\n", v.Version, v.SDKVersion, v.Go, v.Platform)
		})
	})
}
