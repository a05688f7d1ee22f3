// Downloads a statement's whole result in one format: its chunks fetched in order and joined into
// one file, as /v1/sql would have written it (CSV: one header line; NDJSON: one schema line and
// one final count; Arrow: one IPC stream, the later chunks' schema messages and every
// end-of-stream marker but the last dropped).

import { send } from './api.js';

const FORMATS = {
  csv: { accept: 'text/csv', extension: 'csv', type: 'text/csv' },
  ndjson: { accept: 'application/x-ndjson', extension: 'ndjson', type: 'application/x-ndjson' },
  arrow: { accept: 'application/vnd.apache.arrow.stream', extension: 'arrows', type: 'application/vnd.apache.arrow.stream' },
};

export async function download(statement, format) {
  const f = FORMATS[format];
  const chunks = statement.result.chunks;
  const parts = [];
  for (const chunk of chunks) {
    const response = await send('GET', `/v1/statements/${statement.statementId}/result/chunks/${chunk.index}?format=${format}`);
    parts.push(new Uint8Array(await response.arrayBuffer()));
  }
  const joined = format === 'csv' ? joinCsv(parts)
    : format === 'ndjson' ? joinNdjson(parts, statement.result)
      : joinArrow(parts);
  const url = URL.createObjectURL(new Blob(joined, { type: f.type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `result-${statement.statementId.slice(0, 8)}.${f.extension}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return a.download;
}

const CRLF = [13, 10];

function indexOf(bytes, sequence, from = 0) {
  outer: for (let i = from; i <= bytes.length - sequence.length; i++) {
    for (let j = 0; j < sequence.length; j++) if (bytes[i + j] !== sequence[j]) continue outer;
    return i;
  }
  return -1;
}

/** Every chunk starts with the same header line: keep the first one. */
function joinCsv(parts) {
  if (parts.length < 2) return parts;
  const headerEnd = indexOf(parts[0], CRLF) + 2;
  return [parts[0], ...parts.slice(1).map((p) => p.subarray(headerEnd))];
}

/** Line 1 is the schema and the last line the count: one of each, the count for the whole result. */
function joinNdjson(parts, result) {
  if (parts.length < 2) return parts;
  const NL = 10;
  const firstLineEnd = (p) => p.indexOf(NL) + 1;
  // Each chunk ends with its count line and a newline: the line before starts after the previous newline.
  const lastLineStart = (p) => p.lastIndexOf(NL, p.length - 2) + 1;
  const out = parts.map((p, i) => p.subarray(i === 0 ? 0 : firstLineEnd(p), lastLineStart(p)));
  out.push(new TextEncoder().encode(`${JSON.stringify({ rowCount: result.rowCount, truncated: result.truncated })}\n`));
  return out;
}

/** Arrow IPC stream framing: [0xFFFFFFFF] int32 metadata length, metadata, body; EOS is 0xFFFFFFFF 0. */
function joinArrow(parts) {
  if (parts.length < 2) return parts;
  const eos = (p) => {
    const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
    if (p.length >= 8 && v.getInt32(p.length - 8, true) === -1 && v.getInt32(p.length - 4, true) === 0) return 8;
    return p.length >= 4 && v.getInt32(p.length - 4, true) === 0 ? 4 : 0;
  };
  const schemaEnd = (p) => {
    const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
    return v.getInt32(0, true) === -1 ? 8 + v.getInt32(4, true) : 4 + v.getInt32(0, true);
  };
  const last = parts.length - 1;
  return parts.map((p, i) => p.subarray(i === 0 ? 0 : schemaEnd(p), i === last ? p.length : p.length - eos(p)));
}
