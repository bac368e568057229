// Package exampleutil holds what the programs under examples/ share and
// what is not the point of any of them: reading the configuration from the
// environment, starting the embedded fake server when none is configured,
// turning errors into one clear line, printing tables, sizes, times and task
// progress, and removing what an example created.
//
// Configuration (environment):
//
//	VPROTECT_URL        API root of a real server, e.g. https://vprotect.example.com:8181/api.
//	                    Unset: an in-process vprotecttest server with demo data is used.
//	VPROTECT_USER       login (required with VPROTECT_URL)
//	VPROTECT_PASSWORD   password (required with VPROTECT_URL; never printed)
//	VPROTECT_CA_FILE    PEM file with the server's certificate (self-signed servers)
//	VPROTECT_INSECURE   1 turns certificate verification off (labs only)
//	VPROTECT_TENANT     tenant (OpenStack project id) the examples work in; default tenant-a
//	VPROTECT_LOG        1 logs every request to stderr; debug also dumps the wire
package exampleutil
