package buildcache

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// readFile reads a whole cache file. A large file is read into memory the
// kernel is asked to back with huge pages: a fresh process otherwise takes
// a page fault for every 4 KiB of a many-megabyte index, and on virtual
// machines faults are dear. The request is advice; refusal changes nothing.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	buf := make([]byte, info.Size())
	if len(buf) >= 4<<20 {
		_ = unix.Madvise(buf, unix.MADV_HUGEPAGE)
	}
	if _, err := io.ReadFull(f, buf); err != nil {
		return nil, err
	}
	return buf, nil
}
