package vprotecttest

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lenientProbe has one field of each kind the fake's requests use.
type lenientProbe struct {
	Hour     *int64          `json:"hour"`
	Priority int             `json:"priority"`
	Progress *float64        `json:"progress"`
	Active   *bool           `json:"active"`
	Name     *string         `json:"name"`
	Type     *Enum           `json:"type"`
	VMs      []NameAndGuid   `json:"vms"`
	Rules    []lenientNested `json:"rules"`
	Small    *uint8          `json:"small"`
}

type lenientNested struct {
	Position *int `json:"position"`
}

// Each coercion Jackson's defaults make, and what is still rejected, with
// the field named (reference 7x section 0.1).
func TestJacksonLeniency(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, err string
	}{
		// Accepted, as Jackson accepts them.
		{"float for a whole number", `{"hour":81000000.0}`, `{"hour":81000000}`, ""},
		{"fraction truncated", `{"hour":81000000.9,"priority":-7.9}`, `{"hour":81000000,"priority":-7}`, ""},
		{"exponent", `{"hour":8.1e7}`, `{"hour":81000000}`, ""},
		{"numeric string", `{"priority":"60","hour":"36000000"}`, `{"hour":36000000,"priority":60}`, ""},
		{"numeric string for a float", `{"progress":"12.5"}`, `{"progress":12.5}`, ""},
		{"boolean strings", `{"active":"false"}`, `{"active":false}`, ""},
		{"boolean strings, capitalised", `{"active":"TRUE"}`, `{"active":true}`, ""},
		{"empty string is null", `{"hour":"","active":""}`, `{"active":null,"hour":null}`, ""},
		{"number for a string", `{"name":42}`, `{"name":"42"}`, ""},
		{"unknown fields ignored", `{"isNotSaved":true,"backupDestinations":[],"priority":1}`, `{"priority":1}`, ""},
		{"names match exactly", `{"Priority":5,"priority":6}`, `{"priority":6}`, ""},
		{"nested", `{"rules":[{"position":"2","isNotSaved":true}]}`, `{"rules":[{"position":2}]}`, ""},
		{"enum and reference short forms", `{"type":"FULL","vms":["g1",{"guid":"g2","name":"x"}]}`, `{"type":"FULL","vms":["g1",{"guid":"g2","name":"x"}]}`, ""},
		{"null", `{"hour":null}`, `{"hour":null}`, ""},

		// Rejected, naming the field.
		{"word for a number", `{"priority":"high"}`, "", `priority: "high" is not a whole number`},
		{"fraction in a string", `{"priority":"1.5"}`, "", `priority: "1.5" is not a whole number`},
		{"out of range", `{"priority":1e30}`, "", `priority: 1e30 is not a whole number in range`},
		{"out of a small range", `{"small":300}`, "", `small: 300 is not a whole number in range`},
		{"object for a number", `{"hour":{}}`, "", `hour: an object is not a whole number`},
		{"boolean for a number", `{"hour":true}`, "", `hour: true is not a whole number`},
		{"word for a boolean", `{"active":"yes"}`, "", `active: "yes" is not true or false`},
		{"number for a boolean", `{"active":1}`, "", `active: 1 is not true or false`},
		{"array for a string", `{"name":["a"]}`, "", `name: an array is not a string`},
		{"scalar for a list", `{"vms":"g1"}`, "", `vms: "g1" is not an array`},
		{"number for an enum", `{"type":7}`, "", `type: 7 is not a valid Enum`},
		{"nested field named", `{"rules":[{"position":1},{"position":"first"}]}`, "", `rules[1].position: "first" is not a whole number`},
		{"not an object", `[1]`, "", `request body: an array is not an object`},
		{"two values", `{} {}`, "", `invalid JSON body: more than one value`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := lenientJSON([]byte(tc.in), reflect.TypeOf(&lenientProbe{}))
			if tc.err != "" {
				require.Error(t, err)
				assert.Equal(t, tc.err, err.Error())
				return
			}
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, string(got))
			var p lenientProbe
			require.NoError(t, decodeStrict(got, &p), "encoding/json reads the result")
		})
	}
}

func decodeStrict(b []byte, v any) error {
	c := &call{body: b}
	return c.decode(v)
}

// The same through the routes, with the bodies the vendor's clients send:
// the old OpenStack plugin's schedule (hour as a float, bare strings) and
// the web UI's export and policy (numbers as strings, UI-only fields).
func TestLenientRequests(t *testing.T) {
	_, c := loggedIn(t)

	var sc Schedule
	c.create("/schedules", map[string]any{"active": "true", "name": "horizon-2020", "type": map[string]string{"name": "VM_BACKUP"},
		"executionType": "TIME", "backupType": "FULL", "daysOfWeek": []string{"MONDAY"}, "rules": []string{},
		"dayOfWeekOccurrences": []string{}, "startWindowLength": "18000000", "hour": 81000000.0,
		"interval": map[string]any{"startHour": 0.0, "endHour": 79140000, "frequency": 7200000}, "months": []string{}}, &sc)
	assert.EqualValues(t, 81000000, *sc.Hour)
	assert.EqualValues(t, 18000000, *sc.StartWindowLength)
	assert.True(t, sc.Active)

	tasks := c.export(map[string]any{"protectedEntities": []map[string]any{{"guid": DemoVMRHV1GUID, "name": "shown in the UI", "isNotSaved": true}},
		"backupType": map[string]string{"name": "FULL", "description": "Full"}, "priority": "60"})
	require.Len(t, tasks, 1)
	assert.Equal(t, 60, tasks[0].Priority)

	var p Policy
	c.create("/policies/vm-backup", map[string]any{"name": "ui-policy", "active": "true", "priority": "70", "backupRetryCount": "2",
		"autoAssignSettings": map[string]any{"mode": map[string]string{"name": "DISABLED"}}, "vms": []any{},
		"rules": []map[string]any{{"name": "Default", "active": true, "position": "0", "schedules": []any{}, "isNotSaved": true,
			"backupDestinations": []any{}, "ruleBackupDestinations": []map[string]any{{
				"roleType": map[string]string{"name": "PRIMARY"}, "backupDestination": map[string]string{"guid": DemoDefaultDestinationGUID},
				"daysToKeepRetentionLock": "5",
				"backupRetentionSettings": map[string]any{"retentionKeepLastNFull": "7", "retentionKeepFullNewerThan": 2592000000.0}}}}}}, &p)
	assert.Equal(t, 70, p.Priority)
	assert.Equal(t, 2, p.BackupRetryCount)

	st, _, raw := c.do("POST", "/policies/vm-backup", map[string]any{"name": "bad", "priority": "urgent"}, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Equal(t, `priority: "urgent" is not a whole number`, errMsg(t, raw))
	st, _, raw = c.do("POST", "/schedules", map[string]any{"name": "bad", "hour": "ten"}, nil)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Equal(t, `hour: "ten" is not a whole number`, errMsg(t, raw))
}
