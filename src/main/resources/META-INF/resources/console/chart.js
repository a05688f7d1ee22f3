// A small SVG chart (bar or line) of one numeric column over another, for small results: enough
// to see a shape without a charting library.

const W = 720;
const H = 280;
const PAD = 40;
const NS = 'http://www.w3.org/2000/svg';

export const CHART_MAX_ROWS = 1000;

export function chart(element, rows, xIndex, yIndex, kind) {
  const points = rows.slice(0, CHART_MAX_ROWS).map((r) => [r[xIndex], Number(r[yIndex])])
    .filter(([, y]) => Number.isFinite(y));
  element.replaceChildren();
  if (!points.length) {
    element.textContent = 'No numeric values to chart in that column.';
    return;
  }
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', class: 'chart' });
  const ys = points.map(([, y]) => y);
  const min = Math.min(0, ...ys);
  const max = Math.max(0, ...ys);
  const span = max - min || 1;
  const y = (v) => H - PAD - ((v - min) / span) * (H - 2 * PAD);
  const step = (W - 2 * PAD) / points.length;
  svg.append(el('line', { x1: PAD, x2: W - PAD, y1: y(0), y2: y(0), class: 'axis' }));
  svg.append(text(4, y(max) + 4, format(max)), text(4, y(min) + 4, format(min)));
  if (kind === 'line') {
    const d = points.map(([, v], i) => `${i ? 'L' : 'M'}${PAD + step * (i + 0.5)},${y(v)}`).join(' ');
    svg.append(el('path', { d, class: 'series' }));
  } else {
    points.forEach(([x, v], i) => {
      const bar = el('rect', {
        x: PAD + step * i + step * 0.1, width: Math.max(step * 0.8, 0.5),
        y: Math.min(y(v), y(0)), height: Math.abs(y(v) - y(0)), class: 'bar',
      });
      const title = el('title', {});
      title.textContent = `${x}: ${v}`;
      bar.append(title);
      svg.append(bar);
    });
  }
  const labels = Math.min(points.length, 10);
  for (let i = 0; i < labels; i++) {
    const p = Math.floor((i * points.length) / labels);
    svg.append(text(PAD + step * (p + 0.5), H - PAD + 16, String(points[p][0]).slice(0, 12), 'middle'));
  }
  element.append(svg);
  element.dataset.points = String(points.length);
}

function format(v) {
  return Math.abs(v) >= 1e6 ? v.toExponential(2) : String(Math.round(v * 100) / 100);
}

function text(x, yPos, content, anchor) {
  const t = el('text', { x, y: yPos, 'text-anchor': anchor || 'start', class: 'label' });
  t.textContent = content;
  return t;
}

function el(name, attrs) {
  const e = document.createElementNS(NS, name);
  Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, String(v)));
  return e;
}
