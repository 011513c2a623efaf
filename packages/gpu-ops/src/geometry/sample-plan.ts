import { STREAM, sampleRandom } from '../random/sample-random.js';
import type { CropWindow, Size2D } from './window.js';
import { centerCropWindow, fullWindow, randomResizedCropWindow } from './window.js';

/** Resampling filter for the resize that follows the crop. */
export type Interpolation = 'bilinear' | 'nearest' | 'bicubic' | 'lanczos3';

/** The one geometry step of a pipeline: which window of the image, and at what size. */
export type GeometrySpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'resize'; readonly size: Size2D; readonly interpolation: Interpolation }
  | {
      readonly kind: 'centerCrop';
      readonly size: Size2D;
      readonly fraction: number | undefined;
      readonly interpolation: Interpolation;
    }
  | {
      readonly kind: 'randomResizedCrop';
      readonly size: Size2D;
      readonly scale: readonly [number, number];
      readonly ratio: readonly [number, number];
      readonly attempts: number;
      readonly interpolation: Interpolation;
    };

/** Probability of each mirror; 0 disables it. */
export interface FlipSpec {
  readonly horizontal: number;
  readonly vertical: number;
}

/** Where a sample's random numbers come from. */
export interface SampleKey {
  readonly seed: number;
  readonly epoch: number;
  readonly batchIndex: number;
  readonly sampleIndex: number;
}

/** Everything done to one sample's pixels, decided before decoding; shared by image and mask. */
export interface SamplePlan {
  /** Source image `[height, width]` as read from its header. */
  readonly source: Size2D;
  readonly window: CropWindow;
  /** Output `[height, width]`. */
  readonly size: Size2D;
  readonly flipHorizontal: boolean;
  readonly flipVertical: boolean;
}

/** Decides a sample's crop window and flips from its header size and its key. */
export function planSample(
  width: number,
  height: number,
  geometry: GeometrySpec,
  flip: FlipSpec,
  key: SampleKey,
): SamplePlan {
  const window = chooseWindow(width, height, geometry, key);
  const size: Size2D = geometry.kind === 'none' ? [height, width] : geometry.size;
  const random = sampleRandom(key.seed, key.epoch, key.batchIndex, key.sampleIndex, STREAM.flip);
  // Both draws always happen so the vertical flip does not depend on the horizontal setting.
  const h = random();
  const v = random();
  return {
    source: [height, width],
    window,
    size,
    flipHorizontal: h < flip.horizontal,
    flipVertical: v < flip.vertical,
  };
}

function chooseWindow(
  width: number,
  height: number,
  geometry: GeometrySpec,
  key: SampleKey,
): CropWindow {
  switch (geometry.kind) {
    case 'none':
    case 'resize':
      return fullWindow(width, height);
    case 'centerCrop':
      return centerCropWindow(width, height, geometry.size, geometry.fraction);
    case 'randomResizedCrop': {
      const random = sampleRandom(
        key.seed,
        key.epoch,
        key.batchIndex,
        key.sampleIndex,
        STREAM.crop,
      );
      return randomResizedCropWindow(
        width,
        height,
        geometry.scale,
        geometry.ratio,
        geometry.attempts,
        random,
      );
    }
  }
}
