/** What the crop planner needs from an image before decoding it. */
export interface ImageHeader {
  readonly width: number;
  readonly height: number;
  readonly format: 'jpeg' | 'png';
  /**
   * 8-bit gray or RGB without alpha (not CMYK, not 16-bit): the images
   * libvips can normalize with the constant-band matrix trick.
   */
  readonly plain8Bit: boolean;
  /** One 8-bit gray channel, no alpha: its one band already is what a gray decode gives. */
  readonly gray8Bit: boolean;
  /** A PNG storing palette indices (colour type 3): decoders expand them to colours. */
  readonly paletted: boolean;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Reads width and height from a JPEG or PNG header in a few dozen byte reads
 * on the JS thread: cheaper than a threadpool round trip for
 * `sharp().metadata()`, which matters at thousands of images per second.
 * Sizes are as stored: EXIF orientation is not applied, matching the pixel
 * grid the decoder produces. Every read is bounds-checked.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length >= 24 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return pngHeader(bytes);
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpegHeader(bytes);
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new Error(`not a JPEG or PNG (${bytes.length} bytes, starting ${head || '<empty>'})`);
}

function pngHeader(bytes: Uint8Array): ImageHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (chunkType(bytes, 12) !== 'IHDR') throw new Error('PNG without IHDR chunk');
  const bitDepth = bytes[24];
  const colorType = bytes[25];
  const plain8Bit =
    bitDepth === 8 && (colorType === 0 || colorType === 2) && !hasTransparency(bytes, view);
  return {
    ...sized(
      view.getUint32(16),
      view.getUint32(20),
      'png',
      plain8Bit,
      plain8Bit && colorType === 0,
    ),
    paletted: colorType === 3,
  };
}

function chunkType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}

/** A tRNS chunk before the image data gives gray or RGB PNGs an alpha channel. */
function hasTransparency(bytes: Uint8Array, view: DataView): boolean {
  for (let pos = 8; pos + 8 <= bytes.length; ) {
    const type = chunkType(bytes, pos + 4);
    if (type === 'tRNS') return true;
    if (type === 'IDAT' || type === 'IEND') return false;
    pos += 12 + view.getUint32(pos);
  }
  return false;
}

/** Start-of-frame markers: every baseline, progressive, lossless and arithmetic variant. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegHeader(bytes: Uint8Array): ImageHeader {
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) throw new Error(`JPEG marker expected at byte ${pos}`);
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2; // markers without a length
      continue;
    }
    const length = (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
    if (isStartOfFrame(marker)) {
      if (pos + 10 > bytes.length) break;
      const precision = bytes[pos + 4];
      const height = (bytes[pos + 5]! << 8) | bytes[pos + 6]!;
      const width = (bytes[pos + 7]! << 8) | bytes[pos + 8]!;
      const components = bytes[pos + 9];
      return sized(
        width,
        height,
        'jpeg',
        precision === 8 && (components === 1 || components === 3),
        precision === 8 && components === 1,
      );
    }
    if (marker === 0xd9 || marker === 0xda || length < 2) break; // no frame before the scan
    pos += 2 + length;
  }
  throw new Error('JPEG without a frame header (truncated or corrupt)');
}

function sized(
  width: number,
  height: number,
  format: 'jpeg' | 'png',
  plain8Bit: boolean,
  gray8Bit: boolean,
): ImageHeader {
  if (width === 0 || height === 0)
    throw new Error(`${format.toUpperCase()} header gives size ${width}x${height}`);
  return { width, height, format, plain8Bit, gray8Bit, paletted: false };
}
