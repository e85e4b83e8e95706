// Images for the QR code reader: the browser decodes them (createImageBitmap: PNG, JPEG,
// GIF, and whatever else it reads) and this module hands the tools grey levels, one byte per
// pixel, so that the tools' WebAssembly links no image codec (wasm/tools decodeImage,
// internal/qr.DecodeGray). Runs in the background: a service worker in Chrome, an event
// page in Firefox; both have createImageBitmap and OffscreenCanvas.
import { CodedError } from "../shared/messages.js";
import { checkSize, imageSize } from "./image-size.js";

// A header is within the first bytes, but a JPEG's frame header may follow long metadata.
const HEAD = 64 << 10;

/** The declared size of the image in blob (image-size.js), reading no more of it than needed. */
async function declaredSize(blob) {
  try {
    return imageSize(new Uint8Array(await blob.slice(0, HEAD).arrayBuffer()));
  } catch (e) {
    if (blob.size <= HEAD || e.code !== "not_image") throw e;
    return imageSize(new Uint8Array(await blob.arrayBuffer()));
  }
}

/**
 * The grey levels of an image file or capture: {grey: Uint8Array, width, height}. A file that
 * is not a PNG, JPEG, GIF, WebP or BMP image, or that the browser cannot decode, throws
 * not_image; an image beyond the bounds (image-size.js), too_large — read from its header,
 * before the browser decodes it.
 * @param {Blob} blob
 */
export async function greyPixels(blob) {
  await declaredSize(blob);
  let bitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    throw new CodedError("not_image", "the file is not an image the browser can decode");
  }
  try {
    const { width, height } = bitmap;
    if (!(width > 0 && height > 0)) throw new CodedError("not_image", "the image has no pixels");
    checkSize(width, height); // again: the header was the file's word, this is the decoder's
    const ctx = new OffscreenCanvas(width, height).getContext("2d", { willReadFrequently: true });
    // Transparent parts read as white, as on a page (and as the QR reader itself would).
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(bitmap, 0, 0);
    const rgba = ctx.getImageData(0, 0, width, height).data;
    const grey = new Uint8Array(width * height);
    // The QR reader's own luminance: (r + 2g + b) / 4.
    for (let i = 0, j = 0; j < grey.length; i += 4, j++) grey[j] = (rgba[i] + 2 * rgba[i + 1] + rgba[i + 2]) >> 2;
    return { grey, width, height };
  } finally {
    bitmap.close();
  }
}
