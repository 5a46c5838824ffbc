// Package imagingtest makes photos for tests: JPEGs of any size, with an
// Exif block carrying an orientation and a GPS position, as a phone camera
// writes them.
package imagingtest

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"testing"
)

// Photo returns a JPEG of w×h pixels with a gradient (so it does not
// compress to nothing), carrying exif when it is not nil.
func Photo(t testing.TB, w, h int, exif []byte) []byte {
	t.Helper()
	data, err := JPEG(w, h, exif)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// JPEG is Photo for callers without a testing.TB, such as a testscript
// command.
func JPEG(w, h int, exif []byte) ([]byte, error) {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Y[y*img.YStride+x] = uint8((x*7 + y*3) % 256)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if exif == nil {
		return data, nil
	}
	// an APP1 segment right after the start-of-image marker, as cameras write it
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(exif)+2))
	out := append([]byte{}, data[:2]...)
	out = append(out, seg...)
	out = append(out, exif...)
	return append(out, data[2:]...), nil
}

// GPSMarker is in the GPS block of Exif, so a test can tell whether any of
// it survived.
const GPSMarker = "SERIKAT-GPS-5.4292S-105.2610E"

// Exif returns an Exif block with an orientation and a GPS block.
func Exif(orientation uint16) []byte {
	be := binary.BigEndian
	var b []byte
	b = append(b, "Exif\x00\x00"...)
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8}
	// IFD0: two entries (orientation, GPS pointer), then no next IFD
	ifd := make([]byte, 2+2*12+4)
	be.PutUint16(ifd[0:], 2)
	be.PutUint16(ifd[2:], 0x0112)
	be.PutUint16(ifd[4:], 3)
	be.PutUint32(ifd[6:], 1)
	be.PutUint16(ifd[10:], orientation)
	gpsOffset := uint32(8 + len(ifd))
	be.PutUint16(ifd[14:], 0x8825)
	be.PutUint16(ifd[16:], 4)
	be.PutUint32(ifd[18:], 1)
	be.PutUint32(ifd[22:], gpsOffset)
	// GPS IFD: one ASCII entry pointing at the marker
	gps := make([]byte, 2+12+4)
	be.PutUint16(gps[0:], 1)
	be.PutUint16(gps[2:], 0x0001)
	be.PutUint16(gps[4:], 2)
	be.PutUint32(gps[6:], uint32(len(GPSMarker)+1))
	be.PutUint32(gps[10:], gpsOffset+uint32(len(gps)))
	tiff = append(tiff, ifd...)
	tiff = append(tiff, gps...)
	tiff = append(tiff, GPSMarker+"\x00"...)
	return append(b, tiff...)
}
