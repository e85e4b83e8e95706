package e2e

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportQRImageFile reads QR codes from image files on the import page. The background
// has the browser decode the file and hands the tools grey levels: a JPEG photo-like capture
// with two codes on a grey page, a GIF with one code, and a file that is no image, which
// gets a plain answer and leaves the vault as it was, and so does a picture of more pixels
// than the reader takes (Limits.IMPORT_IMAGE_PIXELS) or wider than a canvas
// (Limits.IMPORT_IMAGE_SIDE) — the last two, PNGs of a few bytes that declare 30000 × 30000
// and 20000 × 10 pixels, refused from their headers before the browser decodes them.
func TestImportQRImageFile(t *testing.T) {
	const (
		oneSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
		twoSecret = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"
		gifSecret = "KRUGS4ZANFZSAYJAORSXG5BAONSWG4TF"
		bmpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	)
	one := "otpauth://totp/Photoline:ann@example.com?secret=" + oneSecret + "&issuer=Photoline"
	two := "otpauth://totp/Grainy:bo@example.com?secret=" + twoSecret + "&issuer=Grainy"
	three := "otpauth://totp/Gifworks:cy@example.com?secret=" + gifSecret + "&issuer=Gifworks"
	four := "otpauth://totp/Bitmapped:di@example.com?secret=" + bmpSecret + "&issuer=Bitmapped"
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	decode := func(b []byte) image.Image {
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		return img
	}

	canvas := image.NewRGBA(image.Rect(0, 0, 700, 380))
	draw.Draw(canvas, canvas.Bounds(), image.NewUniform(color.RGBA{225, 228, 232, 255}), image.Point{}, draw.Src)
	a, c := decode(qrPNG(t, one, 300)), decode(qrPNG(t, two, 260))
	draw.Draw(canvas, a.Bounds().Add(image.Pt(30, 40)), a, image.Point{}, draw.Src)
	draw.Draw(canvas, c.Bounds().Add(image.Pt(400, 70)), c, image.Point{}, draw.Src)
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, canvas, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	var gf bytes.Buffer
	if err := gif.Encode(&gf, decode(qrPNG(t, three, 240)), nil); err != nil {
		t.Fatal(err)
	}
	// The JPEG carries 128 KB of metadata before its frame header, as a camera's may: the
	// background reads past its first 64 KiB to find the size.
	padded := append([]byte{}, jpg.Bytes()[:2]...)
	for range 2 {
		padded = append(padded, 0xff, 0xe9, 0xff, 0xff) // APP9, 65,533 bytes of it
		padded = append(padded, make([]byte, 0xffff-2)...)
	}
	padded = append(padded, jpg.Bytes()[2:]...)
	jpgPath, gifPath := write("capture.jpg", padded), write("code.gif", gf.Bytes())
	bmpPath := write("code.bmp", bmpOf(decode(qrPNG(t, four, 220))))
	notImage := write("code.png", []byte("otpauth://totp/Fake:x?secret="+oneSecret)) // named .png, but text
	huge := image.NewGray(image.Rect(0, 0, 7000, 6000))                              // 42 million pixels, a few KB as a PNG
	for i := range huge.Pix {
		huge.Pix[i] = 255
	}
	var hugePNG bytes.Buffer
	if err := png.Encode(&hugePNG, huge); err != nil {
		t.Fatal(err)
	}
	hugePath := write("huge.png", hugePNG.Bytes())
	bombPath := write("bomb.png", declaredPNG(t, 30000, 30000)) // 900 million pixels: 3.6 GB decoded
	widePath := write("wide.png", declaredPNG(t, 20000, 10))

	b := StartBrowser(t, BrowserOptions{})
	p := b.OpenPopup()
	p.WaitState(StateFirstRun)
	p.CreateVault(imMaster)
	pg := b.OpenExtensionPage(ImportPage)
	before := vaultRecord(b)

	setFile(t, pg, NameQRImageFile, notImage)
	pg.WaitText("This is not an image Codeward can read (PNG, JPEG, GIF, WebP or BMP).")
	setFile(t, pg, NameQRImageFile, hugePath)
	pg.WaitText("too many pixels (7000 × 6000; at most 40 million)")
	setFile(t, pg, NameQRImageFile, bombPath)
	pg.WaitText("too many pixels (30000 × 30000; at most 40 million)")
	setFile(t, pg, NameQRImageFile, widePath)
	pg.WaitText("too large (20000 × 10 pixels; at most 16,384 pixels a side)")
	if got := vaultRecord(b); got != before {
		t.Fatal("reading a file that is no image, or too large a one, changed the stored vault")
	}

	setFile(t, pg, NameQRImageFile, jpgPath)
	items := previewItems(t, pg, 2)
	if !strings.Contains(strings.Join(items, "\n"), "Photoline (ann@example.com)") || !strings.Contains(strings.Join(items, "\n"), "Grainy (bo@example.com)") {
		t.Errorf("JPEG preview %q", items)
	}
	pg.WaitText("2 QR codes read")
	pg.Click("button", NameImport)
	pg.WaitText("Imported 2 accounts.")

	setFile(t, pg, NameQRImageFile, gifPath)
	items = previewItems(t, pg, 1)
	if !strings.Contains(items[0], "Gifworks (cy@example.com)") {
		t.Errorf("GIF preview %q", items)
	}
	pg.Click("button", NameImport)
	pg.WaitText("Imported 1 account.")

	setFile(t, pg, NameQRImageFile, bmpPath)
	items = previewItems(t, pg, 1)
	if !strings.Contains(items[0], "Bitmapped (di@example.com)") {
		t.Errorf("BMP preview %q", items)
	}
	pg.Click("button", NameImport)
	pg.WaitText("Imported 1 account.")

	p.Reload()
	p.WaitState(StateUnlocked)
	requireCode(t, p, oneSecret, TOTPOpts{}, "Photoline", "ann@example.com")
	requireCode(t, p, twoSecret, TOTPOpts{}, "Grainy", "bo@example.com")
	requireCode(t, p, gifSecret, TOTPOpts{}, "Gifworks", "cy@example.com")
	requireCode(t, p, bmpSecret, TOTPOpts{}, "Bitmapped", "di@example.com")
}

// bmpOf is img as a 24-bit BMP (BITMAPINFOHEADER, rows bottom-up, each padded to 4 bytes):
// the standard library writes no BMP.
func bmpOf(img image.Image) []byte {
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	stride := (w*3 + 3) &^ 3
	size := 54 + stride*h
	var out bytes.Buffer
	le := func(v ...any) {
		for _, x := range v {
			binary.Write(&out, binary.LittleEndian, x)
		}
	}
	out.WriteString("BM")
	le(uint32(size), uint32(0), uint32(54))                                                // file header
	le(uint32(40), int32(w), int32(h), uint16(1), uint16(24), uint32(0), uint32(stride*h)) // info header
	le(int32(2835), int32(2835), uint32(0), uint32(0))
	row := make([]byte, stride)
	for y := h - 1; y >= 0; y-- {
		for x := 0; x < w; x++ {
			c := color.RGBAModel.Convert(img.At(r.Min.X+x, r.Min.Y+y)).(color.RGBA)
			row[3*x], row[3*x+1], row[3*x+2] = c.B, c.G, c.R
		}
		out.Write(row)
	}
	return out.Bytes()
}

// declaredPNG is a PNG whose header (IHDR) declares width × height grey pixels but whose
// data (IDAT) is a few bytes: what a crafted file looks like, tiny on disk and huge decoded.
func declaredPNG(t *testing.T, width, height uint32) []byte {
	t.Helper()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(data)))
		body := append([]byte(kind), data...)
		out.Write(body)
		binary.Write(&out, binary.BigEndian, crc32.ChecksumIEEE(body))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, width)
	ihdr = binary.BigEndian.AppendUint32(ihdr, height)
	chunk("IHDR", append(ihdr, 8, 0, 0, 0, 0)) // 8-bit grey, no interlace
	var idat bytes.Buffer
	z := zlib.NewWriter(&idat)
	z.Write(make([]byte, 1+width)) // the first row only: a filter byte, then black
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}
