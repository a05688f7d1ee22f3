// The gateway's HTTP API as the console uses it: the caller's credentials on every call, problems
// (RFC 9457) turned into ApiError, and Server-Sent Events read with fetch (EventSource cannot send
// an Authorization header).

const KEY = 'sparkgateway.credentials';

export const credentials = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

/** A problem+json answer (or a network failure described as one). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function headers(extra) {
  const h = new Headers(extra || {});
  const key = credentials.get();
  if (key) h.set('Authorization', `Bearer ${key}`);
  return h;
}

async function problemOf(response) {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    return { title: `HTTP ${response.status}`, status: response.status, detail: text.slice(0, 500) };
  }
}

/** Sends a request; returns the Response when it is 2xx, else throws ApiError. */
export async function send(method, path, { body, accept, session, signal } = {}) {
  const extra = {};
  if (accept) extra.Accept = accept;
  if (body !== undefined) extra['Content-Type'] = 'application/json';
  if (session) extra['X-Session-Id'] = session;
  const response = await fetch(path, {
    method, signal, headers: headers(extra),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response;
}

export async function json(method, path, options) {
  return (await send(method, path, options)).json();
}

/**
 * Reads a statement's events until the stream ends or {@code signal} aborts; calls
 * {@code onEvent(name, data)} for each event (comments such as keep-alives are skipped).
 */
export async function events(path, onEvent, signal) {
  const response = await send('GET', path, { accept: 'text/event-stream', signal });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let name = 'message';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (data.length) onEvent(name, JSON.parse(data.join('\n')));
        name = 'message';
        data = [];
      } else if (line.startsWith('event:')) {
        name = line.slice(6).trim();
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
    }
  }
}

/** The path of a catalog object from its plain names (never SQL). */
export function catalogPath(...names) {
  const [catalog, database, table] = names.map(encodeURIComponent);
  let path = `/v1/catalogs`;
  if (catalog !== undefined) path += `/${catalog}/databases`;
  if (database !== undefined) path += `/${database}/tables`;
  if (table !== undefined) path += `/${table}`;
  return path;
}
