package sharecard

import (
	"bytes"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"image"
)

// A card is a few flat colours with text: most rows repeat the row above,
// and the rest are long runs of one colour. encodeFlat writes such a
// paletted image as a PNG whose compressed data says exactly that (a row
// is "the row above", a run is "the byte before, n times"), with deflate's
// fixed codes. It looks at each byte once, where a general compressor
// searches for matches at every byte: a card encodes in a tenth of the
// time image/png takes at its fastest, to about the same size. The result
// is an ordinary PNG; the tests decode it with image/png.

// encodeFlat encodes img as an 8-bit paletted PNG. Rows are at most 32767
// pixels wide (deflate looks back at most 32 KB).
func encodeFlat(img *image.Paletted) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 3 // 8 bits, indexed colour; compression, filter, interlace 0
	chunk(&out, "IHDR", ihdr[:])
	plte := make([]byte, 0, 3*len(img.Palette))
	for _, c := range img.Palette {
		r, g, b, _ := c.RGBA()
		plte = append(plte, byte(r>>8), byte(g>>8), byte(b>>8))
	}
	chunk(&out, "PLTE", plte)

	// the raw image data: each row behind its filter byte (0: none)
	stride := w + 1
	z := &bitWriter{buf: make([]byte, 0, 32<<10)}
	z.buf = append(z.buf, 0x78, 0x01) // zlib: deflate, 32 KB window, no dictionary
	z.bits(1, 1)                      // the last block
	z.bits(1, 2)                      // with fixed codes
	sum := adler{a: 1}
	var rowSum uint32 // the Adler-32 of the row above, alone
	var prev []byte
	row := make([]byte, stride)
	for y := range h {
		row[0] = 0
		copy(row[1:], img.Pix[y*img.Stride:y*img.Stride+w])
		if prev != nil && stride >= 3 && bytes.Equal(row, prev) {
			sum.append(rowSum, stride) // a repeated row is summed once
			z.repeat(stride, stride)
		} else {
			rowSum = adler32.Checksum(row)
			sum.append(rowSum, stride)
			for i := 0; i < len(row); {
				j := runEnd(row, i)
				z.literal(row[i])
				if n := j - i - 1; n >= 3 {
					z.repeat(n, 1)
				} else {
					for range n {
						z.literal(row[i])
					}
				}
				i = j
			}
		}
		prev, row = row, prev
		if row == nil {
			row = make([]byte, stride)
		}
	}
	z.code(256) // end of block
	z.flush()
	z.buf = binary.BigEndian.AppendUint32(z.buf, sum.b<<16|sum.a)
	chunk(&out, "IDAT", z.buf)
	chunk(&out, "IEND", nil)
	return out.Bytes()
}

// adler is an Adler-32 checksum being made, in its two halves.
type adler struct{ a, b uint32 }

// append adds a block of n bytes whose own checksum is block, as if its
// bytes had been added one by one (zlib's adler32_combine).
func (s *adler) append(block uint32, n int) {
	const mod = 65521
	ba, bb := int64(block&0xffff), int64(block>>16)
	a := (int64(s.a) + ba - 1) % mod
	b := (int64(s.b) + int64(n%mod)*int64(s.a) + bb - int64(n%mod)) % mod
	if a < 0 {
		a += mod
	}
	if b < 0 {
		b += mod
	}
	s.a, s.b = uint32(a), uint32(b)
}

// runEnd returns where the run of row[i]'s value that starts at i ends,
// looking at eight bytes at a time while they all match.
func runEnd(row []byte, i int) int {
	v := row[i]
	eight := uint64(v) * 0x0101010101010101
	j := i + 1
	for j+8 <= len(row) && binary.LittleEndian.Uint64(row[j:]) == eight {
		j += 8
	}
	for j < len(row) && row[j] == v {
		j++
	}
	return j
}

func chunk(out *bytes.Buffer, kind string, data []byte) {
	var head [8]byte
	binary.BigEndian.PutUint32(head[:4], uint32(len(data)))
	copy(head[4:], kind)
	out.Write(head[:])
	out.Write(data)
	crc := crc32.NewIEEE()
	crc.Write(head[4:])
	crc.Write(data)
	binary.Write(out, binary.BigEndian, crc.Sum32())
}

// bitWriter writes deflate's bit stream: least significant bit first.
type bitWriter struct {
	buf   []byte
	acc   uint64
	nbits uint
}

func (z *bitWriter) bits(v uint64, n uint) {
	z.acc |= v << z.nbits
	z.nbits += n
	if z.nbits >= 32 {
		z.buf = binary.LittleEndian.AppendUint32(z.buf, uint32(z.acc))
		z.acc >>= 32
		z.nbits -= 32
	}
}

func (z *bitWriter) flush() {
	for z.nbits > 0 {
		z.buf = append(z.buf, byte(z.acc))
		z.acc >>= 8
		z.nbits = max(z.nbits, 8) - 8
	}
}

// reversed returns code's n bits in reverse order: deflate sends Huffman
// codes most significant bit first into a stream read least first.
func reversed(code uint32, n uint) uint32 {
	var rev uint32
	for i := uint(0); i < n; i++ {
		rev = rev<<1 | code>>i&1
	}
	return rev
}

// fixedCode is the fixed literal/length code (RFC 1951, 3.2.6) of each
// symbol, reversed, with its length; fixedDist that of each distance code.
var fixedCode, fixedDist = func() (lit [288]struct {
	bits uint32
	n    uint
}, dist [30]uint32) {
	for sym := range lit {
		switch {
		case sym < 144:
			lit[sym].bits, lit[sym].n = reversed(uint32(0x30+sym), 8), 8
		case sym < 256:
			lit[sym].bits, lit[sym].n = reversed(uint32(0x190+sym-144), 9), 9
		case sym < 280:
			lit[sym].bits, lit[sym].n = reversed(uint32(sym-256), 7), 7
		default:
			lit[sym].bits, lit[sym].n = reversed(uint32(0xc0+sym-280), 8), 8
		}
	}
	for d := range dist {
		dist[d] = reversed(uint32(d), 5)
	}
	return
}()

// code writes a symbol of the fixed literal/length alphabet.
func (z *bitWriter) code(sym int) {
	c := fixedCode[sym]
	z.bits(uint64(c.bits), c.n)
}

func (z *bitWriter) literal(b byte) { z.code(int(b)) }

// lengthBase and distBase are where each length and distance code starts,
// with its count of extra bits (RFC 1951, 3.2.5).
var (
	lengthBase  = [29]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]int{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// lengthCode is the length code (0 to 28) of each length, 3 to 258.
var lengthCode = func() (codes [259]uint8) {
	for l := 3; l <= 258; l++ {
		c := 0
		for c+1 < len(lengthBase) && lengthBase[c+1] <= l {
			c++
		}
		codes[l] = uint8(c)
	}
	return
}()

// repeat writes "copy n bytes from dist back", in pieces deflate can say
// (3 to 258 bytes each); dist is at most 32768.
func (z *bitWriter) repeat(n, dist int) {
	d := 0
	for d+1 < len(distBase) && distBase[d+1] <= dist {
		d++
	}
	for n > 0 {
		l := min(n, 258)
		if rest := n - l; rest > 0 && rest < 3 {
			l -= 3 - rest // leave a piece that can still be said
		}
		c := int(lengthCode[l])
		z.code(257 + c)
		z.bits(uint64(l-lengthBase[c]), lengthExtra[c])
		z.bits(uint64(fixedDist[d]), 5)
		z.bits(uint64(dist-distBase[d]), distExtra[d])
		n -= l
	}
}
