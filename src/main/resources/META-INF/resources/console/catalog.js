// The catalog tree: catalogs → databases → tables (paged) → columns, each level fetched from the
// catalog endpoints when it is first opened; a table's or column's name goes into the editor.

import { catalogPath, json } from './api.js';

/** A name as SQL needs it: backquoted unless it is a plain identifier. */
export const quote = (name) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``);

/**
 * @param tree    the list element of the tree
 * @param session () => the named session, or null
 * @param insert  (text) => puts text into the editor
 * @param onError (error) => shows a problem
 */
export function catalogTree(tree, { session, insert, onError }) {
  function treeItem(label, kind, { insertText, load, detail } = {}) {
    const li = document.createElement('li');
    li.setAttribute('role', 'treeitem');
    li.className = `node node-${kind}`;
    li.dataset.name = label;
    const row = document.createElement('div');
    row.className = 'node-row';
    if (load) {
      li.setAttribute('aria-expanded', 'false');
      const toggle = document.createElement('button');
      toggle.type = 'button';
      toggle.className = 'toggle';
      toggle.textContent = '▸';
      toggle.setAttribute('aria-label', `Expand ${kind} ${label}`);
      const children = document.createElement('ul');
      children.setAttribute('role', 'group');
      children.hidden = true;
      toggle.addEventListener('click', async () => {
        const open = li.getAttribute('aria-expanded') !== 'true';
        li.setAttribute('aria-expanded', String(open));
        toggle.textContent = open ? '▾' : '▸';
        toggle.setAttribute('aria-label', `${open ? 'Collapse' : 'Expand'} ${kind} ${label}`);
        children.hidden = !open;
        if (open && !children.dataset.loaded) {
          children.dataset.loaded = 'true';
          try {
            children.replaceChildren(...await load());
          } catch (e) {
            children.dataset.loaded = '';
            onError(e);
          }
        }
      });
      row.append(toggle);
      li.append(row, children);
    } else {
      row.append(Object.assign(document.createElement('span'), { className: 'toggle-space' }));
      li.append(row);
    }
    const name = document.createElement('button');
    name.type = 'button';
    name.className = 'insert';
    name.textContent = label;
    name.title = insertText ? `Insert ${insertText} into the editor` : label;
    name.setAttribute('aria-label', insertText ? `Insert ${kind} ${insertText}` : `${kind} ${label}`);
    if (insertText) name.addEventListener('click', () => insert(insertText));
    row.append(name);
    if (detail) row.append(Object.assign(document.createElement('span'), { className: 'detail', textContent: detail }));
    return li;
  }

  async function load() {
    try {
      const { catalogs } = await json('GET', catalogPath(), { session: session() });
      tree.replaceChildren(...catalogs.map((c) => treeItem(c.name, 'catalog', { load: () => databases(c.name) })));
    } catch (e) {
      tree.replaceChildren(treeItem(`(${e.message})`, 'error'));
    }
  }

  async function databases(catalog) {
    const { databases: list } = await json('GET', catalogPath(catalog), { session: session() });
    return list.map((d) => treeItem(d.name, 'database', { load: () => tables(catalog, d.name) }));
  }

  async function tables(catalog, database, pageToken) {
    const page = await json('GET', `${catalogPath(catalog, database)}?limit=200${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`,
      { session: session() });
    const items = page.tables.map((t) => treeItem(t.name, 'table', {
      insertText: t.isTemporary ? quote(t.name) : [catalog, ...(t.namespace || [database]), t.name].map(quote).join('.'),
      detail: t.tableType ? t.tableType.toLowerCase() : '',
      load: () => columns(catalog, database, t.name),
    }));
    if (page.nextPageToken) {
      const more = document.createElement('li');
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: 'more…', className: 'small' });
      button.addEventListener('click', async () => more.replaceWith(...await tables(catalog, database, page.nextPageToken)));
      more.append(button);
      items.push(more);
    }
    return items;
  }

  async function columns(catalog, database, table) {
    const detail = await json('GET', catalogPath(catalog, database, table), { session: session() });
    return detail.columns.map((c) => treeItem(c.name, 'column', { insertText: quote(c.name), detail: c.type }));
  }

  return { load };
}
