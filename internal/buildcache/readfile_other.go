//go:build !linux

package buildcache

import "os"

func readFile(name string) ([]byte, error) { return os.ReadFile(name) }
