package buildcache

import (
	"encoding/binary"
	"testing"
)

func TestPutFixedUvarint(t *testing.T) {
	for _, u := range []uint64{0, 1, 127, 128, 300, 1 << 35, 1<<63 - 1} {
		buf := make([]byte, binary.MaxVarintLen64)
		putFixedUvarint(buf, u)
		got, n := binary.Uvarint(buf)
		if got != u || n != len(buf) {
			t.Errorf("putFixedUvarint(%d): read back %d using %d bytes, want all %d", u, got, n, len(buf))
		}
	}
}
