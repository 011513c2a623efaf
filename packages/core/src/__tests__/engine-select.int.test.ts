import { beforeAll, describe, expect, it, vi } from 'vitest';
import { probeNative } from '../engines/native.js';
import { CassdlEngineUnavailableError } from '../errors.js';
import { CassandraReader } from '../reader/reader.js';
import { connection, ensureDataset, KEYSPACE, testRows } from './helpers/dataset.js';

const rows = testRows();
const ids = rows.slice(0, 20).map((r) => r.id);

beforeAll(() => ensureDataset(rows), 120_000);

async function open(engine: 'auto' | 'native') {
  return CassandraReader.open({
    connection: await connection(),
    table: `${KEYSPACE}.data_int`,
    sourceUuids: ids,
    engine,
  });
}

describe('engine selection', () => {
  it("'auto' uses native when it loads, else the driver engine with one warning naming causes and fix", async () => {
    const probe = await probeNative();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const first = await open('auto');
      const second = await open('auto');
      await Promise.all([first.close(), second.close()]);
      if (probe.available) {
        expect(first.engineKind).toBe('native');
        expect(warn).not.toHaveBeenCalled();
      } else {
        expect([first.engineKind, second.engineKind]).toEqual(['driver', 'driver']);
        expect(warn).toHaveBeenCalledTimes(1);
        expect(String(warn.mock.calls[0]?.[0])).toMatch(
          /native engine is not available[\s\S]*Fix:/,
        );
      }
    } finally {
      warn.mockRestore();
    }
  }, 60_000);

  it("'native' when it does not load is an error with the causes", async () => {
    const probe = await probeNative();
    if (probe.available) {
      const reader = await open('native');
      expect(reader.engineKind).toBe('native');
      await reader.close();
      return;
    }
    const error = await open('native').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CassdlEngineUnavailableError);
    expect((error as CassdlEngineUnavailableError).causes).toEqual(probe.causes);
  }, 60_000);
});
