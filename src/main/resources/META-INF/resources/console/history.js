// The caller's statement history (GET /v1/statements, newest first) and the texts of the
// statements this tab ran, which the gateway does not keep (it keeps fingerprints).

import { json } from './api.js';

const TEXTS_KEY = 'sparkgateway.texts';
const KEPT_TEXTS = 200;

export const rows = (n) => `${n.toLocaleString('en')} row${n === 1 ? '' : 's'}`;

/** The text of the statements this tab ran: the gateway keeps fingerprints, not texts. */
export function texts() {
  try {
    return JSON.parse(sessionStorage.getItem(TEXTS_KEY)) || {};
  } catch (e) {
    return {};
  }
}

export function remember(id, text) {
  const all = texts();
  all[id] = text;
  const ids = Object.keys(all);
  if (ids.length > KEPT_TEXTS) delete all[ids[0]];
  sessionStorage.setItem(TEXTS_KEY, JSON.stringify(all));
}

/** Lists the statements in {@code list}; clicking one calls {@code reopen(id)}. */
export async function loadHistory(list, reopen) {
  try {
    const { statements } = await json('GET', '/v1/statements?limit=50');
    const known = texts();
    list.replaceChildren(...statements.map((s) => {
      const li = document.createElement('li');
      li.dataset.statementId = s.statementId;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'history-open';
      const text = known[s.statementId] || `statement ${s.fingerprint || s.statementId.slice(0, 8)}`;
      button.textContent = text.length > 60 ? `${text.slice(0, 60)}…` : text;
      button.title = text;
      button.setAttribute('aria-label', `Re-open ${s.state.toLowerCase()} statement: ${text}`);
      button.addEventListener('click', () => reopen(s.statementId));
      const meta = document.createElement('span');
      meta.className = `meta state-${s.state.toLowerCase()}`;
      meta.textContent = `${s.state} · ${new Date(s.createdAt).toLocaleTimeString()}${s.result ? ` · ${rows(s.result.rowCount)}` : ''}`;
      li.append(button, meta);
      return li;
    }));
  } catch (e) {
    list.replaceChildren(Object.assign(document.createElement('li'), { textContent: e.message }));
  }
}
