// The size of an image, read from its file header before any decoder sees it.
//
// Why: createImageBitmap decodes the whole image into memory before anyone can ask its size,
// in the background process that the extension's pages share. A PNG of a few KB may declare
// 20000 × 20000 pixels (1.6 GB decoded). So the background reads the declared width and
// height here — PNG, GIF, JPEG, WebP, BMP — and refuses anything else, or anything larger
// than Limits.IMPORT_IMAGE_PIXELS in all or Limits.IMPORT_IMAGE_SIDE a side (the largest
// canvas the browsers draw on), before decoding.
//
// The bytes are untrusted: every read is bounds-checked, and the only error is a CodedError
// with a plain message (not_image or too_large).
import { CodedError, Errors, Limits } from "../shared/messages.js";

const notImage = (why) => new CodedError("not_image", why);
const cut = (format) => notImage(`the ${format} image is cut short`);

/** Reads unsigned integers of b, or throws cut(format) past its end. */
function reader(b, format) {
  const need = (at, n) => {
    if (!(at >= 0 && at + n <= b.length)) throw cut(format);
  };
  return {
    u8: (at) => (need(at, 1), b[at]),
    be16: (at) => (need(at, 2), (b[at] << 8) | b[at + 1]),
    le16: (at) => (need(at, 2), b[at] | (b[at + 1] << 8)),
    le24: (at) => (need(at, 3), b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)),
    be32: (at) => (need(at, 4), ((b[at] << 24) >>> 0) + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3])),
    le32: (at) => (need(at, 4), ((b[at + 3] << 24) >>> 0) + ((b[at + 2] << 16) | (b[at + 1] << 8) | b[at])),
  };
}

const starts = (b, at, ascii) => b.length >= at + ascii.length && [...ascii].every((c, i) => b[at + i] === c.charCodeAt(0));

function png(b) {
  const r = reader(b, "PNG");
  // Signature, then the IHDR chunk first: length (13), type, width, height (big-endian).
  if (!starts(b, 12, "IHDR")) throw b.length < 16 ? cut("PNG") : notImage("the PNG image has no header (IHDR)");
  return { width: r.be32(16), height: r.be32(20) };
}

function gif(b) {
  const r = reader(b, "GIF");
  let width = r.le16(6);
  let height = r.le16(8);
  // The first frame may be larger than the logical screen, and browsers then grow the image
  // to it: walk to the first image descriptor and take the larger of the two.
  let at = 13;
  const flags = r.u8(10);
  if (flags & 0x80) at += 3 << ((flags & 7) + 1); // global colour table
  for (;;) {
    const block = r.u8(at);
    if (block === 0x2c) {
      width = Math.max(width, r.le16(at + 1) + r.le16(at + 5));
      height = Math.max(height, r.le16(at + 3) + r.le16(at + 7));
      return { width, height };
    }
    if (block !== 0x21) throw notImage("the GIF image has no frame");
    at += 2; // introducer, label; then sub-blocks up to an empty one
    for (let n = r.u8(at); n !== 0; n = r.u8(at)) at += n + 1;
    at += 1;
  }
}

function jpeg(b) {
  const r = reader(b, "JPEG");
  let at = 2;
  for (;;) {
    if (r.u8(at) !== 0xff) throw notImage("the JPEG image is damaged");
    while (r.u8(at) === 0xff) at++; // fill bytes
    const marker = r.u8(at);
    at++;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (marker === 0xd9 || marker === 0xda) throw notImage("the JPEG image has no frame header");
    const length = r.be16(at);
    if (length < 2) throw notImage("the JPEG image is damaged");
    // SOF0–SOF15 but DHT (C4), JPG (C8), DAC (CC): precision, height, width.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = r.be16(at + 3);
      if (height === 0) throw notImage("the JPEG image leaves its height to later (DNL), which browsers do not read");
      return { width: r.be16(at + 5), height };
    }
    at += length;
  }
}

function webp(b) {
  const r = reader(b, "WebP");
  if (starts(b, 12, "VP8 ")) {
    // Lossy: a 3-byte frame tag, the start code 9d 01 2a, 14-bit width and height.
    if (!(r.u8(23) === 0x9d && r.u8(24) === 0x01 && r.u8(25) === 0x2a)) throw notImage("the WebP image is damaged");
    return { width: r.le16(26) & 0x3fff, height: r.le16(28) & 0x3fff };
  }
  if (starts(b, 12, "VP8L")) {
    // Lossless: signature 0x2f, then width − 1 and height − 1 in 14 bits each.
    if (r.u8(20) !== 0x2f) throw notImage("the WebP image is damaged");
    const bits = r.le32(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (starts(b, 12, "VP8X")) {
    // Extended: flags, 3 reserved bytes, canvas width − 1 and height − 1 in 24 bits each.
    return { width: r.le24(24) + 1, height: r.le24(27) + 1 };
  }
  throw b.length < 16 ? cut("WebP") : notImage("the WebP image is of a kind Codeward does not read");
}

function bmp(b) {
  const r = reader(b, "BMP");
  const header = r.le32(14);
  if (header === 12) return { width: r.le16(18), height: r.le16(20) }; // OS/2 BITMAPCOREHEADER
  if (header < 40) throw notImage("the BMP image is damaged");
  const width = r.le32(18) | 0;
  const height = r.le32(22) | 0; // negative: stored top-down
  if (width < 0) throw notImage("the BMP image is damaged");
  return { width, height: Math.abs(height) };
}

/** Recognises the format by its signature: [name, size reader], or null. */
function format(b) {
  if (starts(b, 0, "\x89PNG\r\n\x1a\n")) return ["PNG", png];
  if (starts(b, 0, "GIF87a") || starts(b, 0, "GIF89a")) return ["GIF", gif];
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return ["JPEG", jpeg];
  if (starts(b, 0, "RIFF") && starts(b, 8, "WEBP")) return ["WebP", webp];
  if (starts(b, 0, "BM")) return ["BMP", bmp];
  return null;
}

/**
 * The declared size of an image file: {format, width, height}. Throws not_image for a file
 * that is not a PNG, GIF, JPEG, WebP or BMP image, or whose header is damaged or cut short,
 * and too_large for one above the bounds (naming its size and the bound).
 * @param {Uint8Array} bytes the file, or at least its header
 */
export function imageSize(bytes) {
  const f = format(bytes);
  if (!f) throw notImage("the file is not a PNG, JPEG, GIF, WebP or BMP image");
  const [name, read] = f;
  const { width, height } = read(bytes);
  if (!(width > 0 && height > 0)) throw notImage(`the ${name} image has no pixels`);
  checkSize(width, height);
  return { format: name, width, height };
}

/** Throws too_large for an image of width × height pixels beyond the bounds. */
export function checkSize(width, height) {
  if (width * height > Limits.IMPORT_IMAGE_PIXELS) {
    const most = `${Limits.IMPORT_IMAGE_PIXELS / 1e6} million`;
    throw new CodedError(Errors.TOO_LARGE, `the image has too many pixels (${width} × ${height}; at most ${most}): take a screenshot of just the QR code`);
  }
  const side = Limits.IMPORT_IMAGE_SIDE;
  if (width > side || height > side) {
    throw new CodedError(
      Errors.TOO_LARGE,
      `the image is too large (${width} × ${height} pixels; at most ${side.toLocaleString("en")} pixels a side): take a screenshot of just the QR code`,
    );
  }
}
