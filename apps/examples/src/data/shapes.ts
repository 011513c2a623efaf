/** The shapes the generators draw; each is an exact point-in-shape test. */
export const SHAPE_KINDS = [
  'circle',
  'square',
  'triangle',
  'diamond',
  'ring',
  'cross',
  'plus',
  'hbar',
  'vbar',
  'frame',
] as const;

export type ShapeKind = (typeof SHAPE_KINDS)[number];

/**
 * Whether the point (dx, dy), relative to the shape's centre and divided by
 * its radius (so the shape fits in [-1, 1]²), lies inside the shape.
 * Exact tests rather than anti-aliased drawing keep masks' class ids exact.
 */
export function insideShape(kind: ShapeKind, dx: number, dy: number): boolean {
  const ax = Math.abs(dx);
  const ay = Math.abs(dy);
  const r2 = dx * dx + dy * dy;
  switch (kind) {
    case 'circle':
      return r2 <= 1;
    case 'square':
      return ax <= 0.8 && ay <= 0.8;
    case 'triangle':
      // apex up, base at dy = 0.8: inside when below both slanted edges
      return dy <= 0.8 && dy >= -1 + 2 * ax;
    case 'diamond':
      return ax + ay <= 1;
    case 'ring':
      return r2 <= 1 && r2 >= 0.35;
    case 'cross':
      return Math.abs(dx - dy) <= 0.35 || Math.abs(dx + dy) <= 0.35 ? r2 <= 1 : false;
    case 'plus':
      return (ax <= 0.25 && ay <= 1) || (ay <= 0.25 && ax <= 1);
    case 'hbar':
      return ax <= 1 && ay <= 0.3;
    case 'vbar':
      return ay <= 1 && ax <= 0.3;
    case 'frame':
      return ax <= 0.9 && ay <= 0.9 && (ax >= 0.55 || ay >= 0.55);
  }
}
