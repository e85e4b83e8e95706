// Images for the QR code reader: the browser decodes them (createImageBitmap: PNG, JPEG,
// GIF, and whatever else it reads) and this module hands the tools grey levels, one byte per
// pixel, so that the tools' WebAssembly links no image codec (wasm/tools decodeImage,
// internal/qr.DecodeGray). Runs in the background: a service worker in Chrome, an event
// page in Firefox; both have createImageBitmap and OffscreenCanvas.
import { CodedError, Errors, Limits } from "../shared/messages.js";

/**
 * The grey levels of an image file or capture: {grey: Uint8Array, width, height}. A file the
 * browser cannot decode throws not_image; an image of more than Limits.IMPORT_IMAGE_PIXELS
 * pixels, too_large.
 * @param {Blob} blob
 */
export async function greyPixels(blob) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    throw new CodedError("not_image", "the file is not an image the browser can decode");
  }
  try {
    const { width, height } = bitmap;
    if (!(width > 0 && height > 0)) throw new CodedError("not_image", "the image has no pixels");
    if (width * height > Limits.IMPORT_IMAGE_PIXELS) {
      const most = `${Limits.IMPORT_IMAGE_PIXELS / 1e6} million`;
      throw new CodedError(Errors.TOO_LARGE, `the image has too many pixels (${width} × ${height}; at most ${most}): take a screenshot of just the QR code`);
    }
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
