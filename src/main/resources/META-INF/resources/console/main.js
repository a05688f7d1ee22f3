// The console: sign-in, the editor, running statements through /v1/statements with their events,
// the result grid and chart, the catalog tree, history and the session indicator.

import { ApiError, credentials, events, json, send } from './api.js';
import { catalogTree } from './catalog.js';
import { loadHistory as listHistory, remember, rows, texts } from './history.js';
import { Grid } from './grid.js';
import { chart, CHART_MAX_ROWS } from './chart.js';
import { download } from './download.js';

const $ = (id) => document.getElementById(id);
const SESSION_KEY = 'sparkgateway.session';

const state = {
  statement: null, // the statement shown (StatementResponse)
  running: null, // { id, abort } of the statement being watched
  session: sessionStorage.getItem(SESSION_KEY),
  tab: 'sql',
  view: 'grid',
  ran: null, // { from: {line, ch} } where the text that ran starts in the editor
};

const editor = CodeMirror.fromTextArea($('sql'), {
  mode: 'text/x-sparksql',
  lineNumbers: true,
  matchBrackets: true,
  indentWithTabs: false,
  screenReaderLabel: 'SQL statement',
  extraKeys: {
    'Ctrl-Enter': () => run(false),
    'Cmd-Enter': () => run(false),
    'Shift-Ctrl-Enter': () => run(true),
    'Shift-Cmd-Enter': () => run(true),
    // Tab moves focus on, as everywhere else on the page; indenting is Ctrl-] / Ctrl-[.
    Tab: false,
    'Shift-Tab': false,
  },
});
// The editor, for the browser tests and for anyone scripting the console from devtools.
window.consoleEditor = editor;
const grid = new Grid($('grid'), showValue);

// ---- sign-in -------------------------------------------------------------------------------

async function start() {
  try {
    await json('GET', '/v1/statements?limit=1');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      showLogin(credentials.get() ? 'That key or token was not accepted.' : '');
      return;
    }
    showProblem(e);
  }
  $('login').hidden = true;
  $('app').hidden = false;
  $('who').textContent = credentials.get() ? 'Signed in' : 'No authentication (auth mode none)';
  $('logout').hidden = !credentials.get();
  showSession();
  editor.refresh();
  editor.focus();
  loadCatalogs();
  loadHistory();
}

function showLogin(error) {
  $('app').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = error;
  $('login-key').focus();
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  credentials.set($('login-key').value.trim());
  $('login-key').value = '';
  start();
});

$('logout').addEventListener('click', () => {
  credentials.clear();
  sessionStorage.removeItem(SESSION_KEY);
  state.session = null;
  showLogin('');
});

// ---- session indicator ---------------------------------------------------------------------

function showSession() {
  $('session').textContent = state.session ? `Session: ${state.session.slice(0, 8)}…` : 'Session: stateless';
  $('session').title = state.session ? `Named session ${state.session}: temp views and SET persist` : 'Each statement runs in a clean pooled session';
  $('session-box').dataset.session = state.session || '';
  $('session-new').hidden = !!state.session;
  $('session-end').hidden = !state.session;
}

$('session-new').addEventListener('click', async () => {
  try {
    const s = await json('POST', '/v1/sessions', { body: {} });
    state.session = s.sessionId;
    sessionStorage.setItem(SESSION_KEY, s.sessionId);
    showSession();
  } catch (e) {
    showProblem(e);
  }
});

$('session-end').addEventListener('click', async () => {
  try {
    await send('DELETE', `/v1/sessions/${state.session}`);
  } catch (e) {
    if (!(e instanceof ApiError && (e.status === 404 || e.status === 410))) showProblem(e);
  }
  state.session = null;
  sessionStorage.removeItem(SESSION_KEY);
  showSession();
});

// ---- tabs and parameters -------------------------------------------------------------------

function selectTab(tab) {
  state.tab = tab;
  for (const [name, button, pane] of [['sql', $('tab-sql'), $('pane-sql')], ['spec', $('tab-spec'), $('pane-spec')]]) {
    button.setAttribute('aria-selected', String(name === tab));
    button.tabIndex = name === tab ? 0 : -1;
    pane.hidden = name !== tab;
  }
  if (tab === 'sql') editor.refresh();
}
$('tab-sql').addEventListener('click', () => selectTab('sql'));
$('tab-spec').addEventListener('click', () => selectTab('spec'));
document.querySelector('[role=tablist]').addEventListener('keydown', (event) => {
  if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
    const next = state.tab === 'sql' ? 'spec' : 'sql';
    selectTab(next);
    $(`tab-${next}`).focus();
  }
});
$('spec').addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
    event.preventDefault();
    run(true);
  }
});

const TYPES = ['auto', 'STRING', 'INT', 'BIGINT', 'DOUBLE', 'DECIMAL(38,10)', 'BOOLEAN', 'DATE', 'TIMESTAMP'];

function addParameter(name = '', type = 'auto', value = '') {
  const n = $('params').tBodies[0].rows.length + 1;
  const row = document.createElement('tr');
  row.innerHTML = `<td><input aria-label="Parameter ${n} name" class="p-name" placeholder="name"></td>
    <td><select aria-label="Parameter ${n} type" class="p-type">${TYPES.map((t) => `<option>${t}</option>`).join('')}</select></td>
    <td><input aria-label="Parameter ${n} value" class="p-value" placeholder="value"></td>
    <td><button type="button" class="small" aria-label="Remove parameter ${n}">✕</button></td>`;
  row.querySelector('.p-name').value = name;
  row.querySelector('.p-type').value = type;
  row.querySelector('.p-value').value = value;
  row.querySelector('button').addEventListener('click', () => {
    row.remove();
    countParameters();
  });
  $('params').tBodies[0].append(row);
  countParameters();
  row.querySelector('.p-name').focus();
}
$('param-add').addEventListener('click', () => addParameter());

function countParameters() {
  $('params-count').textContent = String($('params').tBodies[0].rows.length);
}

/** Named parameters as /v1/statements binds them: plain JSON for 'auto', typed values otherwise. */
function parameters() {
  const out = {};
  for (const row of $('params').tBodies[0].rows) {
    const name = row.querySelector('.p-name').value.trim();
    if (!name) continue;
    const type = row.querySelector('.p-type').value;
    const value = row.querySelector('.p-value').value;
    if (type === 'auto') {
      try {
        out[name] = JSON.parse(value);
      } catch (e) {
        out[name] = value;
      }
    } else {
      out[name] = { value, type };
    }
  }
  return Object.keys(out).length ? out : undefined;
}

// ---- running -------------------------------------------------------------------------------

$('run').addEventListener('click', () => run(false));
$('run-all').addEventListener('click', () => run(true));
$('cancel').addEventListener('click', cancel);

function request(all) {
  const limitText = $('limit').value.trim();
  const body = { waitTimeout: 0 };
  if (limitText) body.limit = Number(limitText);
  if (state.session) body.sessionId = state.session;
  if (state.tab === 'spec') {
    body.dataframe = JSON.parse($('spec').value);
    state.ran = null;
    return body;
  }
  const selected = !all && editor.somethingSelected();
  body.sql = selected ? editor.getSelection() : editor.getValue();
  state.ran = { from: selected ? editor.getCursor('from') : { line: 0, ch: 0 } };
  body.parameters = parameters();
  return body;
}

async function run(all) {
  if (state.running) return;
  clearProblem();
  let body;
  try {
    body = request(all);
  } catch (e) {
    showProblem(new ApiError(400, { title: 'The DataFrame spec is not JSON', detail: e.message }));
    return;
  }
  if (body.sql !== undefined && !body.sql.trim()) return;
  const abort = new AbortController();
  state.running = { id: null, abort };
  $('result').hidden = true;
  setRunning(true);
  try {
    const statement = await json('POST', '/v1/statements', { body, session: state.session, signal: abort.signal });
    remember(statement.statementId, body.sql !== undefined ? body.sql : JSON.stringify(body.dataframe));
    await watch(statement, abort);
  } catch (e) {
    if (e.name !== 'AbortError') showProblem(e);
  } finally {
    state.running = null;
    setRunning(false);
    loadHistory();
  }
}

/** Shows a statement, and if it still runs, each of its events until it ends. */
async function watch(statement, abort) {
  state.running.id = statement.statementId;
  showStatement(statement);
  let last = statement;
  if (!isTerminal(last.state)) {
    await events(`/v1/statements/${last.statementId}/events`, (name, s) => {
      last = s;
      showStatement(s);
    }, abort.signal);
  }
  // The stream ended without a final state (a proxy cut it): ask once more.
  if (!isTerminal(last.state)) showStatement(await json('GET', `/v1/statements/${last.statementId}`));
}

async function cancel() {
  const running = state.running;
  if (!running || !running.id) return;
  $('cancel').disabled = true;
  try {
    showStatement(await json('POST', `/v1/statements/${running.id}/cancel`));
  } catch (e) {
    showProblem(e);
  }
}

function setRunning(running) {
  $('run').disabled = running;
  $('run-all').disabled = running;
  $('cancel').disabled = !running;
  document.body.dataset.running = String(running);
}

const isTerminal = (s) => ['SUCCEEDED', 'FAILED', 'CANCELED', 'CLOSED'].includes(s);

function showStatement(s) {
  state.statement = s;
  $('state').textContent = s.state;
  $('state').dataset.state = s.state;
  $('state').dataset.statementId = s.statementId;
  $('state').className = `state state-${s.state.toLowerCase()}`;
  $('elapsed').textContent = `${(s.elapsedMs / 1000).toFixed(1)} s`;
  const p = s.progress;
  const progress = $('progress');
  if (p && p.totalTasks > 0) {
    progress.hidden = false;
    progress.max = p.totalTasks;
    progress.value = p.completedTasks;
    const stages = p.stages.length ? `stage${p.stages.length > 1 ? 's' : ''} ${p.stages.filter((x) => x.done).length}/${p.stages.length}` : '';
    $('tasks').textContent = `${stages} · tasks ${p.completedTasks}/${p.totalTasks}${p.inflightTasks ? ` (${p.inflightTasks} running)` : ''}`;
  } else {
    progress.hidden = true;
    $('tasks').textContent = '';
  }
  $('rows-so-far').textContent = s.result ? `${rows(s.result.rowCount)}${s.result.complete ? '' : ' so far'}` : '';
  if (s.error) showProblem(new ApiError(s.error.status, s.error));
  if (s.schema && s.result) showResult(s);
}

function showResult(s) {
  $('result').hidden = false;
  $('row-count').textContent = rows(s.result.rowCount);
  $('row-count').dataset.rows = String(s.result.rowCount);
  $('truncated').hidden = !s.result.truncated;
  for (const f of ['csv', 'ndjson', 'arrow']) $(`download-${f}`).disabled = !s.result.complete;
  const id = s.statementId;
  grid.show(s.schema, s.result, (index) => json('GET', `/v1/statements/${id}/result/chunks/${index}?format=json`), id);
  if (state.view === 'chart') drawChart();
  fillChartColumns(s.schema);
}

// ---- problems ------------------------------------------------------------------------------

function clearProblem() {
  $('problem').hidden = true;
  $('problem').replaceChildren();
  editor.getAllMarks().forEach((m) => m.clear());
}

/** Title, Spark's error class and SQLSTATE, the detail, and for a parse error where it is. */
function showProblem(error) {
  const p = error instanceof ApiError ? error.problem
    : { title: error instanceof TypeError && /fetch/i.test(error.message) ? 'The gateway could not be reached' : 'The console failed',
      detail: String(error.message || error) };
  const box = $('problem');
  box.replaceChildren();
  const title = document.createElement('strong');
  title.className = 'problem-title';
  title.textContent = p.title || 'Error';
  box.append(title);
  const facts = [];
  if (p.status) facts.push(['status', p.status]);
  if (p.errorClass) facts.push(['error class', p.errorClass]);
  if (p.sqlState) facts.push(['SQLSTATE', p.sqlState]);
  const position = /\(line (\d+), pos (\d+)\)/.exec(p.detail || '');
  if (position) facts.push(['position', `line ${position[1]}, column ${Number(position[2]) + 1}`]);
  const dl = document.createElement('dl');
  for (const [k, v] of facts) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = String(v);
    dd.dataset.fact = k;
    dl.append(dt, dd);
  }
  box.append(dl);
  if (p.detail) {
    const pre = document.createElement('pre');
    pre.className = 'problem-detail';
    pre.textContent = p.detail;
    box.append(pre);
  }
  if (p.type && p.type.startsWith('/problems/')) {
    const a = document.createElement('a');
    a.href = p.type;
    a.target = '_blank';
    a.textContent = 'What this problem means';
    box.append(a);
  }
  box.hidden = false;
  if (position && state.ran && state.tab === 'sql') markPosition(Number(position[1]) - 1, Number(position[2]));
}

/** Marks the parse error's place in the editor (positions are relative to the text that ran). */
function markPosition(line, ch) {
  const from = state.ran.from;
  const at = { line: from.line + line, ch: line === 0 ? from.ch + ch : ch };
  const to = { line: at.line, ch: at.ch + 1 };
  editor.markText(at, to.ch > editor.getLine(at.line)?.length ? { line: at.line, ch: at.ch } : to, { className: 'cm-parse-error' });
  editor.addLineClass(at.line, 'background', 'cm-parse-error-line');
  editor.setCursor(at);
  setTimeout(() => editor.removeLineClass(at.line, 'background', 'cm-parse-error-line'), 8000);
}

// ---- results: cells, chart, downloads ------------------------------------------------------

function showValue(column, value) {
  $('cell-title').textContent = `${column.name} (${column.type})`;
  $('cell-value').textContent = JSON.stringify(value, null, 2);
  $('cell-dialog').showModal();
}

function setView(view) {
  state.view = view;
  $('view-grid').setAttribute('aria-pressed', String(view === 'grid'));
  $('view-chart').setAttribute('aria-pressed', String(view === 'chart'));
  $('grid').hidden = view !== 'grid';
  $('chart-box').hidden = view !== 'chart';
  if (view === 'chart') drawChart();
}
$('view-grid').addEventListener('click', () => setView('grid'));
$('view-chart').addEventListener('click', () => setView('chart'));

function fillChartColumns(schema) {
  const numeric = /^(tinyint|smallint|int|bigint|float|double|decimal)/;
  const fill = (select, columns, preferred) => {
    const keep = select.value;
    select.replaceChildren(...columns.map(({ c, i }) => new Option(c.name, String(i))));
    select.value = columns.some(({ i }) => String(i) === keep) ? keep : String(preferred ?? (columns[0] || {}).i);
  };
  const all = schema.map((c, i) => ({ c, i }));
  const numbers = all.filter(({ c }) => numeric.test(c.type));
  fill($('chart-x'), all, 0);
  fill($('chart-y'), numbers, (numbers.find(({ i }) => i > 0) || numbers[0] || {}).i);
}
for (const id of ['chart-kind', 'chart-x', 'chart-y']) $(id).addEventListener('change', drawChart);

async function drawChart() {
  const s = state.statement;
  if (!s || !s.result) return;
  if (s.result.rowCount > CHART_MAX_ROWS) {
    $('chart').textContent = `Charts show results of up to ${CHART_MAX_ROWS} rows; this one has ${s.result.rowCount}. Add a LIMIT or aggregate.`;
    return;
  }
  chart($('chart'), await grid.firstRows(), Number($('chart-x').value), Number($('chart-y').value), $('chart-kind').value);
}

for (const format of ['csv', 'ndjson', 'arrow']) {
  $(`download-${format}`).addEventListener('click', async () => {
    try {
      $(`download-${format}`).dataset.file = await download(state.statement, format);
    } catch (e) {
      showProblem(e);
    }
  });
}

// ---- catalog -------------------------------------------------------------------------------

function insert(text) {
  selectTab('sql');
  editor.replaceSelection(text);
  editor.focus();
}

const catalog = catalogTree($('catalog'), { session: () => state.session, insert, onError: showProblem });
const loadCatalogs = () => catalog.load();

$('catalog-refresh').addEventListener('click', loadCatalogs);

// ---- history -------------------------------------------------------------------------------

async function reopen(id) {
  clearProblem();
  try {
    const s = await json('GET', `/v1/statements/${id}`);
    const text = texts()[id];
    if (text !== undefined) {
      if (text.startsWith('{')) {
        $('spec').value = text;
        selectTab('spec');
      } else {
        editor.setValue(text);
        selectTab('sql');
      }
    }
    $('result').hidden = true;
    if (isTerminal(s.state) || state.running) {
      showStatement(s);
      return;
    }
    // Still running: follow it as if it had just been submitted, Cancel included.
    const abort = new AbortController();
    state.running = { id: s.statementId, abort };
    setRunning(true);
    try {
      await watch(s, abort);
    } finally {
      state.running = null;
      setRunning(false);
      loadHistory();
    }
  } catch (e) {
    if (e.name !== 'AbortError') showProblem(e);
    loadHistory();
  }
}

function loadHistory() {
  return listHistory($('history'), reopen);
}

$('history-refresh').addEventListener('click', loadHistory);

start();
