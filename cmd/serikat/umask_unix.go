//go:build unix

package main

import "syscall"

// privateFiles makes every file the process creates from now on readable
// by its owner alone: SQLite's -wal and -shm files, exports, keys.
func privateFiles() { syscall.Umask(0o077) }
