package vprotect_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vprotect-go/vprotect"
	"github.com/vprotect-go/vprotect/vprotecttest"
)

// Task polls, a re-login and ordinary calls all draw from the one limit
// set by WithRateLimit.
func TestRateLimitSharedByPollsAndRelogins(t *testing.T) {
	const rps = 40
	srv := vprotecttest.Start(t, vprotecttest.WithTaskModel(vprotecttest.StepPerPoll))
	c, err := vprotect.New(srv.URL(),
		vprotect.WithCredentials(vprotecttest.DefaultLogin, vprotecttest.DefaultPassword),
		vprotect.WithPollInterval(0), // polls would go back to back without the limit
		vprotect.WithRateLimit(rps, 1))
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	start := time.Now()
	res, err := c.Tasks.Export(ctx, vprotect.ExportRequest{
		ProtectedEntities: []string{vprotecttest.DemoVMRHV1GUID}, BackupType: vprotect.BackupTypeFull})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		for range 5 {
			if _, err := c.VMs.List(ctx, nil); err != nil {
				done <- err
				return
			}
			srv.ExpireSessions() // the next request re-logs in, through the limit
		}
		done <- nil
	}()
	_, err = c.Tasks.WaitForBackup(ctx, res.Tasks[0].GUID)
	require.NoError(t, err)
	require.NoError(t, <-done)
	elapsed := time.Since(start)

	n := len(srv.Requests())
	polls := srv.Calls("GET /tasks/{guid}") + srv.Calls("GET /tasks")
	require.Greater(t, polls, 3, "the wait polled")
	assert.Greater(t, srv.Logins(), 2, "re-logins happened")
	// n requests at rps with a burst of 1 take at least (n-1)/rps.
	minimum := time.Duration(float64(n-1) / rps * float64(time.Second))
	assert.GreaterOrEqual(t, elapsed, minimum*9/10, "%d requests (%d polls, %d logins) in %s", n, polls, srv.Logins(), elapsed)
	t.Logf("%d requests (%d polls, %d logins) in %s at %d/s", n, polls, srv.Logins(), elapsed, rps)
}
