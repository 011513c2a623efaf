import { describe, expect, it } from 'vitest';
import { formatDuration } from '../ui/format.js';
import { keyspaceFromPath } from '../ui/parse.js';
import { createProgressBar } from '../ui/progress.js';
import { formatTable } from '../ui/table.js';
import { captureIo } from './helpers/capture-io.js';

describe('ui', () => {
  it('prints plain progress lines with rate and ETA when not a terminal', () => {
    let t = 0;
    const c = captureIo({}, false);
    const bar = createProgressBar(c.io, 'ingest', 100, () => t);
    t = 1000;
    bar.update(10);
    t = 2000;
    bar.update(20); // within 5 s of the last line: not printed
    t = 10_000;
    bar.update(50);
    bar.finish();
    expect(c.stderr().split('\n').filter(Boolean)).toEqual([
      'ingest: 10/100 (10%) 10.0/s ETA 0:09',
      'ingest: 50/100 (50%) 5.00/s ETA 0:10',
      'ingest: 50/100 (50%) 5.00/s ETA 0:10',
    ]);
  });

  it('redraws one line on a terminal', () => {
    const c = captureIo({}, true);
    const bar = createProgressBar(c.io, 'x', 4, () => 0);
    bar.update(2);
    bar.finish();
    const frames = c.stderr().split('\r').filter(Boolean);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatch(/^x █{14}░{14} {2}50% 2\/4 /);
    expect(frames[0]?.endsWith('\u001b[K')).toBe(true);
    expect(frames[1]?.endsWith('\n')).toBe(true);
  });

  it('aligns table columns, numbers to the right', () => {
    expect(
      formatTable(
        ['name', 'rows'],
        [
          ['train', '8'],
          ['val', '12'],
        ],
      ),
    ).toBe('name   rows\n-----  ----\ntrain     8\nval      12\n');
    expect(formatDuration(3723)).toBe('1:02:03');
  });
});

describe('default keyspace', () => {
  it('is the folder name made a valid keyspace name', () => {
    expect(keyspaceFromPath('/data/ImageNette-320/')).toBe('imagenette_320');
    expect(keyspaceFromPath('/data/2024 set')).toBe('ds_2024_set');
    expect(keyspaceFromPath('/')).toBe('cassdl');
  });
});
