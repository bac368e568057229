// Package exampleutil holds what the programs under examples/ share and
// what is not the point of any of them: reading the configuration from the
// environment, starting the embedded fake server when none is configured,
// turning errors into one clear line, printing tables, sizes, times and task
// progress, and removing what an example created.
//
// Configuration: the environment variables of EnvHelp, which each
// example's -h prints.
package exampleutil
