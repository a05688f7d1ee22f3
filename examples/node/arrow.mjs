// Runs one SQL query and reads its rows as an Arrow IPC stream, batch by batch as Spark sends them.
// Usage: GATEWAY_URL=http://localhost:8080 node arrow.mjs "SELECT id, CAST(id AS STRING) AS s FROM range(5)"
import { RecordBatchReader } from 'apache-arrow';

const gateway = process.env.GATEWAY_URL ?? 'http://localhost:8080';
const sql = process.argv[2] ?? 'SELECT id, id * id AS square FROM range(0, 10, 1, 2)';

const response = await fetch(`${gateway}/v1/sql`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Accept: 'application/vnd.apache.arrow.stream' },
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
