// Submits a statement without waiting, follows its progress over Server-Sent Events until it ends,
// then reads its result chunks and closes it.
// Usage: GATEWAY_URL=http://localhost:8080 node progress.mjs "SELECT sum(hash(id)) AS h FROM range(0, 1000000000, 1, 8)"
const gateway = process.env.GATEWAY_URL ?? 'http://localhost:8080';
const sql = process.argv[2] ?? 'SELECT sum(hash(id)) AS h FROM range(0, 1000000000, 1, 8)';
const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'CLOSED']);

async function call(path, init = {}) {
  const response = await fetch(`${gateway}${path}`, init);
  const body = await response.json();
  if (!response.ok) {
    throw new Error(`${path}: ${body.status} ${body.title}: ${body.detail}`);
  }
  return body;
}

/** Yields {event, id, data} per Server-Sent Event (WHATWG rules: CRLF, LF or CR end a line; ':' starts a comment). */
async function* serverSentEvents(body) {
  let buffer = '';
  let event = { event: 'message', id: undefined, data: [] };
  for await (const text of body.pipeThrough(new TextDecoderStream())) {
    buffer += text;
    // A CR at the very end may be the first half of a CRLF split across chunks: keep it for the next one.
    const lines = buffer.split(/\r\n|\r(?!$)|\n/);
    buffer = lines.pop();
    for (const line of lines) {
      if (line === '') {
        if (event.data.length > 0) yield { ...event, data: event.data.join('\n') };
        event = { event: 'message', id: undefined, data: [] };
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') event.data.push(value);
        else if (field === 'event' || field === 'id') event[field] = value;
      }
    }
  }
}

let statement = await call('/v1/statements', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ sql, waitTimeout: 0 }),
});
console.log(`submitted ${statement.statementId} ${statement.state}`);

const events = await fetch(`${gateway}/v1/statements/${statement.statementId}/events`, {
  headers: { Accept: 'text/event-stream' },
});
for await (const { event, data } of serverSentEvents(events.body)) {
  statement = JSON.parse(data);
  const p = statement.progress;
  console.log(`${event} ${statement.state} tasks ${p.completedTasks}/${p.totalTasks} stages ${p.stages.length}`);
  if (FINAL.has(statement.state)) break;
}
if (statement.state !== 'SUCCEEDED') {
  console.error(`statement ${statement.state}: ${statement.error?.detail ?? ''}`);
  process.exit(1);
}

// Each chunk is complete and can be read in any format, again and in parallel; JSON here.
let rows = 0;
for (const chunk of statement.result.chunks) {
  const result = await call(`/v1/statements/${statement.statementId}/result/chunks/${chunk.index}`);
  for (const row of result.rows) {
    console.log('row', JSON.stringify(row));
    rows++;
  }
}
console.log(`rows ${rows} in ${statement.result.chunks.length} chunks`);
await call(`/v1/statements/${statement.statementId}`, { method: 'DELETE' });
