// A virtualized result grid: only the rows in view are in the DOM, and rows come from the
// statement's result chunks, fetched when a row of theirs scrolls into view (a few kept, the
// least recently used dropped), so a result of millions of rows costs what one screen and a few
// chunks cost.

const ROW_HEIGHT = 24;
const OVERSCAN = 10;
const KEPT_CHUNKS = 4;
// Browsers cap an element's height (about 33.5M px in Chromium): beyond it, scrolling is scaled.
const MAX_HEIGHT = 30_000_000;

export class Grid {
  /** @param fetchChunk (index) => Promise<{rows}>, the rows of one chunk */
  constructor(element, onCell) {
    this.element = element;
    this.onCell = onCell;
    this.columns = [];
    this.chunks = [];
    this.rowCount = 0;
    this.loaded = new Map();
    this.loading = new Map();
    this.fetches = 0;
    element.innerHTML = '';
    this.scroller = div('grid-scroll', element);
    // The scroller takes the focus, so arrows, PgUp/PgDn, Home and End scroll the rows.
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('aria-label', 'Result rows: scroll with the arrow, page, Home and End keys');
    // In the scroller, sticky: it scrolls sideways with the rows.
    this.header = div('grid-header', this.scroller);
    this.header.setAttribute('role', 'row');
    this.spacer = div('grid-spacer', this.scroller);
    this.body = div('grid-body', this.spacer);
    this.scroller.addEventListener('scroll', () => this.render());
    new ResizeObserver(() => this.render()).observe(this.scroller);
  }

  /** Shows a (new) result: its columns and the chunks spooled so far. */
  show(columns, result, fetchChunk, statementId) {
    if (statementId !== this.statementId) {
      this.statementId = statementId;
      this.loaded.clear();
      this.loading.clear();
      this.fetches = 0;
      this.scroller.scrollTop = 0;
    }
    this.fetchChunk = fetchChunk;
    this.columns = columns || [];
    this.chunks = (result && result.chunks) || [];
    this.rowCount = this.chunks.reduce((n, c) => Math.max(n, c.rowOffset + c.rowCount), 0);
    const template = `4.5em repeat(${this.columns.length}, minmax(8em, 1fr))`;
    this.template = template;
    this.header.style.gridTemplateColumns = template;
    this.header.replaceChildren(cell('#', 'grid-rownum'), ...this.columns.map((c) => {
      const h = document.createElement('div');
      h.className = 'grid-col';
      h.setAttribute('role', 'columnheader');
      h.title = `${c.name}: ${c.type}${c.nullable ? '' : ' not null'}`;
      h.append(span(c.name, 'col-name'), span(c.type, 'col-type'));
      return h;
    }));
    this.spacer.style.height = `${Math.min(this.rowCount * ROW_HEIGHT, MAX_HEIGHT)}px`;
    this.element.setAttribute('aria-rowcount', String(this.rowCount + 1));
    this.element.dataset.rowCount = String(this.rowCount);
    this.render();
  }

  /** The first row in view, scaled when the full height would exceed MAX_HEIGHT. */
  firstVisible() {
    const full = this.rowCount * ROW_HEIGHT;
    if (full <= MAX_HEIGHT) return Math.floor(this.scroller.scrollTop / ROW_HEIGHT);
    const travel = MAX_HEIGHT - this.scroller.clientHeight;
    const visible = Math.ceil(this.scroller.clientHeight / ROW_HEIGHT);
    return Math.floor((this.scroller.scrollTop / Math.max(travel, 1)) * (this.rowCount - visible));
  }

  render() {
    if (!this.columns.length) return;
    const first = Math.max(0, this.firstVisible() - OVERSCAN);
    const count = Math.ceil(this.scroller.clientHeight / ROW_HEIGHT) + 2 * OVERSCAN;
    const last = Math.min(this.rowCount, first + count);
    const top = this.rowCount * ROW_HEIGHT <= MAX_HEIGHT ? first * ROW_HEIGHT
      : this.scroller.scrollTop - (this.firstVisible() - first) * ROW_HEIGHT;
    this.body.style.transform = `translateY(${Math.max(0, top)}px)`;
    const rows = [];
    for (let r = first; r < last; r++) rows.push(this.row(r));
    this.body.replaceChildren(...rows);
    this.element.dataset.firstRow = String(first);
    this.element.dataset.renderedRows = String(rows.length);
  }

  row(r) {
    const el = document.createElement('div');
    el.className = 'grid-row';
    el.setAttribute('role', 'row');
    el.setAttribute('aria-rowindex', String(r + 2));
    el.dataset.row = String(r);
    el.style.gridTemplateColumns = this.template;
    el.append(cell(String(r + 1), 'grid-rownum'));
    const values = this.values(r);
    this.columns.forEach((c, i) => el.append(values ? this.valueCell(values[i], c) : cell('…', 'pending')));
    return el;
  }

  /** Row r's values, or null while its chunk loads (the load re-renders). */
  values(r) {
    const chunk = this.chunks.find((c) => r >= c.rowOffset && r < c.rowOffset + c.rowCount);
    if (!chunk) return null;
    const rows = this.loaded.get(chunk.index);
    if (rows) {
      this.loaded.delete(chunk.index);
      this.loaded.set(chunk.index, rows);
      return rows[r - chunk.rowOffset];
    }
    this.load(chunk.index);
    return null;
  }

  load(index) {
    if (this.loading.has(index)) return;
    const statementId = this.statementId;
    this.loading.set(index, this.fetchChunk(index).then((body) => {
      if (statementId !== this.statementId) return;
      this.fetches++;
      this.element.dataset.chunkFetches = String(this.fetches);
      this.loaded.set(index, body.rows);
      while (this.loaded.size > KEPT_CHUNKS) this.loaded.delete(this.loaded.keys().next().value);
      this.element.dataset.chunksKept = String(this.loaded.size);
      this.render();
    }).catch((e) => {
      this.element.dataset.chunkError = e.message;
    }).finally(() => this.loading.delete(index)));
  }

  /** The rows of chunk 0 if it is loaded (the chart uses them). */
  async firstRows() {
    if (!this.chunks.length) return [];
    if (!this.loaded.has(0)) this.loaded.set(0, (await this.fetchChunk(0)).rows);
    return this.loaded.get(0);
  }

  valueCell(value, column) {
    if (value === null || value === undefined) return cell('NULL', 'null');
    if (typeof value === 'object') {
      const el = cell('', 'nested');
      const text = JSON.stringify(value);
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'expand';
      button.textContent = '▸';
      button.setAttribute('aria-label', `Show the whole ${column.name} value`);
      button.addEventListener('click', () => this.onCell(column, value));
      el.append(button, span(text.length > 80 ? `${text.slice(0, 80)}…` : text));
      return el;
    }
    if (value === '') return cell('', 'empty');
    return cell(String(value), typeof value === 'number' ? 'num' : '');
  }
}

function div(className, parent) {
  const el = document.createElement('div');
  el.className = className;
  parent.append(el);
  return el;
}

function span(text, className) {
  const el = document.createElement('span');
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

function cell(text, className) {
  const el = document.createElement('div');
  el.className = `grid-cell ${className || ''}`;
  el.setAttribute('role', 'gridcell');
  el.textContent = text;
  return el;
}
