import type { CorruptPolicy } from '../decode/corrupt-policy.js';
import type { Channels } from '../decode/decode-image.js';
import type { DecoderChoice } from '../decode/native-jpeg.js';
import type { FlipSpec, GeometrySpec } from '../geometry/sample-plan.js';
import type { IntLabelSpec } from '../labels/int-labels.js';
import type { NormalizeSpec } from '../normalize/channel-lut.js';
import type { Layout } from '../normalize/write-sample.js';
import type { NpyTargetDtype } from '../npy/npy-convert.js';

/** How the image tensor is laid out and typed. */
export interface OutputSpec extends NormalizeSpec {
  readonly dtype: 'float32' | 'int32';
  readonly layout: Layout;
  /** Output channels; more than decoded means zero padding (DALI's `pad_output`). */
  readonly channels: number | undefined;
  /** Normalize on the libvips threads instead of the JS thread (RGB float32 only). */
  readonly inDecoder: boolean;
}

/** What becomes `ys`. `auto`: int labels as int32 indices, none as undefined, blob refused. */
export type LabelSpec =
  | { readonly kind: 'auto' }
  | ({ readonly kind: 'int' } & IntLabelSpec)
  | { readonly kind: 'npy'; readonly dtype: NpyTargetDtype }
  | { readonly kind: 'mask'; readonly oneHot: number | undefined };

/** A pipeline's whole, validated description; steps only ever replace parts of it. */
export interface PipelineConfig {
  readonly seed: number;
  readonly concurrency: number;
  readonly onCorrupt: CorruptPolicy;
  /** Worker threads for per-image JS work; 'auto' sizes from the cores, 0 keeps it on the JS thread. */
  readonly workers: number | 'auto';
  /** Which decoder takes JPEGs (PNGs, masks and refused JPEGs always go through sharp). */
  readonly decoder: DecoderChoice;
  readonly channels: Channels;
  readonly geometry: GeometrySpec;
  readonly flip: FlipSpec;
  readonly output: OutputSpec;
  readonly labels: LabelSpec;
}

export const DEFAULT_OUTPUT: OutputSpec = {
  mean: [0],
  std: [1],
  scale: 1,
  shift: 0,
  dtype: 'float32',
  layout: 'NHWC',
  channels: undefined,
  inDecoder: false,
};
