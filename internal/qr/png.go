package qr

import (
	"hash/adler32"
	"hash/crc32"
)

// bilevelPNG writes a width×height black-and-white PNG (greyscale, one bit per pixel) where
// dark(x, y) is black. Its zlib stream uses stored (uncompressed) blocks: image/png's
// encoder would link compress/flate and, through image/png's decoder, every PNG reading
// path into the WebAssembly tools (about 0.4 MB) for images of a few tens of kilobytes.
func bilevelPNG(width, height int, dark func(x, y int) bool) []byte {
	rowLen := 1 + (width+7)/8 // filter byte (0: none), then the pixels, most significant bit first
	raw := make([]byte, 0, rowLen*height)
	for y := 0; y < height; y++ {
		raw = append(raw, 0)
		for x := 0; x < width; x += 8 {
			var b byte
			for i := 0; i < 8; i++ {
				if x+i >= width || !dark(x+i, y) {
					b |= 0x80 >> i // 1 is white; the padding bits of a row's last byte too
				}
			}
			raw = append(raw, b)
		}
	}

	const maxBlock = 65535
	z := make([]byte, 0, 2+len(raw)+5*(len(raw)/maxBlock+1)+4)
	z = append(z, 0x78, 0x01) // zlib: deflate, 32 KiB window, no dictionary, fastest
	for rest := raw; ; {
		n := min(len(rest), maxBlock)
		final := byte(0)
		if n == len(rest) {
			final = 1
		}
		z = append(z, final, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8)) // stored block: BFINAL, BTYPE 00, LEN, NLEN
		z = append(z, rest[:n]...)
		if rest = rest[n:]; final == 1 {
			break
		}
	}
	z = be32(z, adler32.Checksum(raw))

	out := []byte("\x89PNG\r\n\x1a\n")
	ihdr := be32(be32(nil, uint32(width)), uint32(height))
	ihdr = append(ihdr, 1, 0, 0, 0, 0) // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
	out = chunk(out, "IHDR", ihdr)
	out = chunk(out, "IDAT", z)
	return chunk(out, "IEND", nil)
}

func chunk(out []byte, kind string, data []byte) []byte {
	out = be32(out, uint32(len(data)))
	start := len(out)
	out = append(out, kind...)
	out = append(out, data...)
	return be32(out, crc32.ChecksumIEEE(out[start:]))
}

func be32(b []byte, v uint32) []byte {
	return append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}
