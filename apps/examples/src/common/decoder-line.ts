import type { DecoderInUse } from '@cassdl/gpu-ops';

/** One log line saying which decoder took a pipeline's JPEGs (the native one unless it is missing). */
export function decoderLine(decoder: DecoderInUse | undefined): string {
  if (!decoder) return 'JPEG decode: no batch run yet';
  if (decoder.kind === 'native') {
    const simd = decoder.simd ? 'SIMD' : 'no SIMD';
    return `JPEG decode: native region decoder (libjpeg-turbo ${decoder.libjpegTurbo}, ${simd}, ${decoder.threads} threads)`;
  }
  return `JPEG decode: sharp (${decoder.reason})`;
}
