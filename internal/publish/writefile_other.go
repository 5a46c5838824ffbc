//go:build !unix

package publish

import "os"

// writeFile creates or replaces path with data and returns its
// modification time in nanoseconds.
func writeFile(path string, data []byte) (int64, error) {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return 0, err
	}
	info, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return info.ModTime().UnixNano(), nil
}
