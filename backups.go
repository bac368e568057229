package vprotect

// BackupsService lists backups and reads their details.
type BackupsService service

// BackupLocationsService lists the copies of backups on their destinations.
type BackupLocationsService service
