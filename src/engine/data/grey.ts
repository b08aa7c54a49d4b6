/**
 * Grey images for models with one input channel, as Keras reads them: `load_img(color_mode="grayscale")`
 * converts with PIL's `convert("L")`, ITU-R BT.601 luma on the sRGB bytes,
 * L = (19595 R + 38470 G + 7471 B + 32768) >> 16 (0.299, 0.587, 0.114 in 16-bit fixed point, rounded).
 * A grey source image decodes to R = G = B and so comes back unchanged.
 */

/** One luma byte per pixel of HWC 8-bit RGB. */
export function rgbToGrey(rgb: Uint8Array): Uint8Array {
  const grey = new Uint8Array(rgb.length / 3);
  for (let i = 0, j = 0; i < grey.length; i++, j += 3) {
    grey[i] = (19595 * (rgb[j] as number) + 38470 * (rgb[j + 1] as number) + 7471 * (rgb[j + 2] as number) + 32768) >>> 16;
  }
  return grey;
}
