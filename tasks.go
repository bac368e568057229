package vprotect

// TasksService lists, starts, cancels and waits for tasks.
type TasksService service
