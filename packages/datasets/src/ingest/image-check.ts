import sharp from 'sharp';

export type ImageFormat = 'jpeg' | 'png';

/** File extensions ingest treats as images (case-insensitive). */
export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png']);

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format the leading bytes announce, or null. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  const starts = (magic: number[]) => magic.every((b, i) => bytes[i] === b);
  if (starts(JPEG_MAGIC)) return 'jpeg';
  if (starts(PNG_MAGIC)) return 'png';
  return null;
}

/**
 * Why `bytes` is not a usable JPEG/PNG, or null when it is. Checks the magic
 * bytes, then has sharp parse the header (size, channels). It does not
 * decode every pixel: that would cost as much as training's own decode, and
 * a file whose header parses but whose body is truncated is rare (gpu-ops
 * reports it at decode time, naming the id).
 */
export async function imageProblem(bytes: Uint8Array): Promise<string | null> {
  const format = sniffImageFormat(bytes);
  if (format === null) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return `not a JPEG or PNG (starts with ${head === '' ? 'nothing: empty file' : head})`;
  }
  try {
    const meta = await sharp(bytes).metadata();
    if (!meta.width || !meta.height) return `${format} header has no image size`;
    return null;
  } catch (error) {
    return `unreadable ${format}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
