// Command first-backup is the whole SDK in one file, to copy: it starts the
// in-memory fake vProtect of package vprotecttest (or uses the server in
// VPROTECT_URL with VPROTECT_USER and VPROTECT_PASSWORD), connects with
// vprotect.New, lists the VMs of a tenant (VPROTECT_TENANT, default
// tenant-a), backs the first present one up and waits for the whole backup,
// EXPORT then STORE. Times are UTC.
//
//	go run ./examples/first-backup
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "Usage: first-backup\n\nEnvironment: VPROTECT_URL, VPROTECT_USER, VPROTECT_PASSWORD (unset: a fake server), VPROTECT_TENANT")
	}
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "first-backup:", err)
		os.Exit(1)
	}
}

func run() error {
	url, user, password := os.Getenv("VPROTECT_URL"), os.Getenv("VPROTECT_USER"), os.Getenv("VPROTECT_PASSWORD")
	if url == "" { // no server given: the fake, with demo data and tasks of a second
		srv := vprotecttest.NewServer(vprotecttest.WithTaskDurations(map[string]time.Duration{"EXPORT": time.Second, "STORE": time.Second}))
		defer srv.Close()
		url, user, password = srv.URL(), vprotecttest.DefaultLogin, vprotecttest.DefaultPassword
		fmt.Println("No VPROTECT_URL set: started the embedded vProtect fake server at", url)
	}
	c, err := vprotect.New(url, vprotect.WithCredentials(user, password), vprotect.WithPollInterval(250*time.Millisecond))
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	tenant := cmp.Or(os.Getenv("VPROTECT_TENANT"), "tenant-a")
	vms, err := c.VMs.List(ctx, &vprotect.VMListOptions{TenantID: tenant}) // logs in first
	if err != nil {
		return err
	}
	var vm *vprotect.VirtualMachine
	for i := range vms {
		fmt.Println(" ", vms[i]) // VM a-web-1 (GUID), last backup 2025-03-14 15:30:45 UTC
		if vm == nil && vms[i].Present {
			vm = &vms[i]
		}
	}
	if vm == nil {
		return fmt.Errorf("tenant %s has no VM to back up", tenant)
	}

	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{ProtectedEntities: []string{vm.GUID}, BackupType: vprotect.BackupTypeFull})
	if err != nil {
		return err
	}
	backup, err := c.Tasks.WaitForBackupFunc(ctx, res.Tasks[0].GUID, func(t *vprotect.Task) {
		fmt.Println(" ", t) // EXPORT task GUID RUNNING 45% (a-web-1)
	})
	if err != nil {
		return err // a *vprotect.TaskFailedError says why the server failed it
	}
	fmt.Println("Done:", backup) // FULL backup GUID of a-web-1, snapshot …, SUCCESS, 4294967296 bytes
	return nil
}
