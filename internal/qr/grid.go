package qr

// bitGrid is a QR symbol's modules, size×size, row by row, true for a dark module. The
// detector samples one from an image for each code it finds; the decoder reads the text from
// it; the encoder builds one and png.go draws it.
type bitGrid struct {
	size int
	dark []bool
}

func newBitGrid(size int) *bitGrid {
	return &bitGrid{size: size, dark: make([]bool, size*size)}
}

// at reports whether the module in column x, row y is dark.
func (g *bitGrid) at(x, y int) bool { return g.dark[y*g.size+x] }

func (g *bitGrid) set(x, y int, dark bool) { g.dark[y*g.size+x] = dark }

// grayImage is an image as grey levels, 0 black to 255 white, one byte per pixel, row by
// row: what the browser hands over (DecodeGray) and what native builds convert files to.
type grayImage struct {
	width, height int
	pix           []byte
}

func (m *grayImage) at(x, y int) byte { return m.pix[y*m.width+x] }
