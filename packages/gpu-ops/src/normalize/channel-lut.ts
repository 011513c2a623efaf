/**
 * Per-channel lookup tables mapping an 8-bit value to its output value:
 * `scale * (v - mean[c]) / std[c] + shift`, DALI's crop_mirror_normalize
 * formula, with mean and std in pixel units (0-255). A table turns the
 * fused normalize into one load per element, the cheapest arithmetic the JS
 * thread can do, and is exact: each entry is computed once in float64.
 */
export interface NormalizeSpec {
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly scale: number;
  readonly shift: number;
}

export function channelLuts(spec: NormalizeSpec, channels: number): Float64Array[] {
  return Array.from({ length: channels }, (_, c) => {
    const mean = pick(spec.mean, c);
    const std = pick(spec.std, c);
    const lut = new Float64Array(256);
    for (let v = 0; v < 256; v++) lut[v] = (spec.scale * (v - mean)) / std + spec.shift;
    return lut;
  });
}

/** Whether the formula leaves pixel values as they are (raw 8-bit output: a widening copy, no table). */
export function isIdentity(spec: NormalizeSpec): boolean {
  return (
    spec.mean.every((m) => m === 0) &&
    spec.std.every((s) => s === 1) &&
    spec.scale === 1 &&
    spec.shift === 0
  );
}

/** A single value applies to every channel, as in DALI. */
function pick(values: readonly number[], channel: number): number {
  return values.length === 1 ? values[0]! : values[channel]!;
}
