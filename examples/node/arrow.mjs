// Runs one SQL query and reads its rows as an Arrow IPC stream, batch by batch as Spark sends them.
// Usage: GATEWAY_URL=http://localhost:8080 node arrow.mjs "SELECT id, CAST(id AS STRING) AS s FROM range(5)"
// ARROW_CODEC=zstd or lz4 asks the gateway to compress the batches' buffers (docs/compression.md).
import { CompressionType, RecordBatchReader, compressionRegistry } from 'apache-arrow';
import { decompress as zstdDecompress } from 'fzstd';
import lz4 from 'lz4js';

const gateway = process.env.GATEWAY_URL ?? 'http://localhost:8080';
const sql = process.argv[2] ?? 'SELECT id, id * id AS square FROM range(0, 10, 1, 2)';
const codec = process.env.ARROW_CODEC;

// apache-arrow reads compressed batches only with decoders registered (apache/arrow-js#14); these
// two are pure JavaScript. Each gets one buffer without Arrow's 8-byte length prefix, and must
// return bytes at the start of their own ArrayBuffer: apache-arrow views them as BigInt64Array etc.
// in place, which needs an aligned offset (fzstd may hand back a view into a larger buffer).
const aligned = (bytes) => (bytes.byteOffset % 8 === 0 ? bytes : bytes.slice());
compressionRegistry.set(CompressionType.ZSTD, { decode: (bytes) => aligned(zstdDecompress(bytes)) });
compressionRegistry.set(CompressionType.LZ4_FRAME, { decode: (bytes) => Uint8Array.from(lz4.decompress(bytes)) });

const accept = 'application/vnd.apache.arrow.stream' + (codec ? `; codec=${codec}` : '');
const response = await fetch(`${gateway}/v1/sql`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Accept: accept },
  body: JSON.stringify({ sql }),
});
if (!response.ok) {
  // Every error is application/problem+json; its type URI resolves to a page saying what to do.
  const problem = await response.json();
  console.error(`${problem.status} ${problem.title}: ${problem.detail} (${gateway}${problem.type})`);
  process.exit(1);
}

// Arrow has no end-of-stream error marker: if Spark fails mid-stream the gateway cuts the body,
// and reading it throws here instead of ending quietly, so a clean end means a complete result.
const reader = await RecordBatchReader.from(response.body);
// BIGINT arrives as BigInt, which JSON.stringify refuses; print it as a number when that is exact.
const printable = (_, v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v);
let rows = 0;
let batches = 0;
for await (const batch of reader) {
  if (batches++ === 0) {
    console.log('schema', JSON.stringify(batch.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }))));
  }
  for (const row of batch) {
    console.log('row', JSON.stringify(Object.values(row.toJSON()), printable));
    rows++;
  }
}
console.log(`rows ${rows} in ${batches} batches`);
