// A tiny classification folder (DIR/train|val/CLASS/*.jpg) for the installed
// CLI to ingest, drawn with sharp (a dependency of @cassdl/cli).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const [dir, perClass = '12'] = process.argv.slice(2);
const colours = { red: '#c33', green: '#3a6', blue: '#36c' };
for (const split of ['train', 'val']) {
  for (const [name, background] of Object.entries(colours)) {
    mkdirSync(join(dir, split, name), { recursive: true });
    for (let i = 0; i < Number(perClass); i++) {
      await sharp({ create: { width: 32 + i, height: 24 + i, channels: 3, background } })
        .jpeg()
        .toFile(join(dir, split, name, `${i}.jpg`));
    }
  }
}
