//go:build !unix

package main

// privateFiles does nothing where there is no umask; files are created
// with explicit modes where it matters.
func privateFiles() {}
