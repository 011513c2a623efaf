// @cassdl/core's README example, as a user's project runs it after
// `npm i @cassdl/core @cassdl/native-io`: the same options, pointed at the
// table the installed CLI ingested. Prints one JSON line; exits 1 unless the
// native engine read every sample with no warning (or, with
// RC_EXPECT_ENGINE=driver, the driver engine after exactly one warning).
import { CassandraReader } from '@cassdl/core';

const warnings = [];
process.on('warning', (w) => warnings.push(`${w.code ?? w.name}: ${w.message}`));

const reader = await CassandraReader.open({
  connection: { contactPoints: [process.env.RC_CONTACT], localDataCenter: 'datacenter1' },
  table: `${process.env.RC_KEYSPACE}.data`,
  idCol: 'id',
  dataCol: 'data',
  labelCol: 'label',
  labelType: 'int',
  splitFile: process.env.RC_SPLIT,
  splitName: 'train',
  batchSize: 8,
  prefetchBuffers: 4,
  inflight: 1024,
  shardId: 0,
  numShards: 1,
  seed: 42,
  epochs: 2,
});

let samples = 0;
let batches = 0;
for await (const batch of reader) {
  for (let i = 0; i < batch.size; i++) {
    const bytes = batch.data.subarray(batch.dataOffsets[i], batch.dataOffsets[i + 1]);
    if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error(`row ${i} is not a JPEG`);
  }
  samples += batch.size - batch.padding;
  batches += 1;
}
const engineKind = reader.engineKind;
await reader.close();
console.log(JSON.stringify({ engineKind, batches, samples, warnings }));
const expected = process.env.RC_EXPECT_ENGINE ?? 'native';
const ok = engineKind === expected && warnings.length === (expected === 'native' ? 0 : 1);
process.exitCode = ok && samples > 0 ? 0 : 1;
