import type { Rgb } from './canvas.js';

/** Ten well-separated colours, one per class or tag. */
export const PALETTE: readonly { name: string; rgb: Rgb }[] = [
  { name: 'red', rgb: [230, 40, 40] },
  { name: 'green', rgb: [40, 200, 60] },
  { name: 'blue', rgb: [50, 80, 235] },
  { name: 'yellow', rgb: [235, 225, 40] },
  { name: 'magenta', rgb: [220, 50, 220] },
  { name: 'cyan', rgb: [40, 220, 225] },
  { name: 'orange', rgb: [245, 140, 20] },
  { name: 'white', rgb: [240, 240, 240] },
  { name: 'purple', rgb: [130, 60, 200] },
  { name: 'lime', rgb: [160, 240, 120] },
];
