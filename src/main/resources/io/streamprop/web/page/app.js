// Streamprop's live page: polls the REST API and draws each model's learning curves (loss and
// accuracy against examples seen) and its throughput as hand-made SVG charts.
// Every chart is an <svg class="chart" data-model="..." data-series="loss|accuracy|throughput"
// data-points="N">, and <body data-refreshes="N"> counts the completed refreshes, so that a test
// (or a person with the console) can see from the page itself what it drew.
'use strict';

const REFRESH_MS = 1000;
const THROUGHPUT_HISTORY = 300;
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 380;
const HEIGHT = 190;
const MARGIN = { left: 52, right: 12, top: 10, bottom: 28 };

const cards = new Map();       // model id -> {root, figures, charts}
const throughput = new Map();  // model id -> [[timeMs, examplesPerSecond], ...]
let refreshes = 0;

async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(path + ': ' + response.status + ' ' + (body.message || body.error || ''));
  }
  return body;
}

async function refresh() {
  const status = document.getElementById('status');
  try {
    const list = await getJson('api/models');
    const seen = new Set();
    for (const model of list.models) {
      seen.add(model.id);
      const curve = await getJson('api/models/' + encodeURIComponent(model.id) + '/curve');
      show(model, curve);
    }
    for (const [id, card] of cards) {
      if (!seen.has(id)) {
        card.root.remove();
        cards.delete(id);
        throughput.delete(id);
      }
    }
    document.getElementById('empty').hidden = list.models.length > 0;
    const instances = list.instances.map(i => i.instance + (i.error ? ' (unreachable)' : '')).join(', ');
    status.textContent = list.models.length + ' model(s) on ' + instances + ', updated '
      + new Date().toLocaleTimeString() + (list.complete ? '' : ' (incomplete)');
  } catch (e) {
    status.textContent = 'cannot read the models: ' + e.message + ' (retrying)';
  }
  refreshes++;
  document.body.dataset.refreshes = String(refreshes);
  setTimeout(refresh, REFRESH_MS);
}

function show(model, curve) {
  const card = cardFor(model.id);
  const m = model.metrics;
  const parts = [
    'version ' + model.version,
    (m ? m.examples : model.examplesSeen) + ' examples',
    'layers ' + JSON.stringify(model.spec.layers),
    'on ' + model.instance,
  ];
  if (m) {
    parts.push(format(m.examplesPerSecond) + ' examples/s');
    parts.push('loss ' + format(m.loss));
    if (m.accuracy !== null) {
      parts.push('accuracy ' + format(m.accuracy));
    }
  }
  card.figures.textContent = parts.join(' \u00b7 ');

  const history = throughput.get(model.id) || [];
  if (m) {
    history.push([Date.now(), m.examplesPerSecond || 0]);
    while (history.length > THROUGHPUT_HISTORY) {
      history.shift();
    }
  }
  throughput.set(model.id, history);

  const classifier = curve.accuracy.some(a => a !== null);
  card.charts.accuracy.box.hidden = !classifier;
  draw(card.charts.loss.svg, curve.examples, curve.loss, { yFromZero: true });
  draw(card.charts.accuracy.svg, curve.examples, curve.accuracy, { yMin: 0, yMax: 1 });
  const now = Date.now();
  draw(card.charts.throughput.svg, history.map(h => (h[0] - now) / 1000), history.map(h => h[1]),
    { yFromZero: true, xFormat: x => (Math.abs(x) < 10 ? x.toFixed(1) : Math.round(x)) + ' s' });
}

function cardFor(id) {
  let card = cards.get(id);
  if (card) {
    return card;
  }
  const root = document.createElement('section');
  root.className = 'model';
  root.dataset.model = id;
  const title = document.createElement('h2');
  title.textContent = id;
  const figures = document.createElement('div');
  figures.className = 'figures';
  const row = document.createElement('div');
  row.className = 'charts';
  const charts = {
    loss: chart(id, 'loss', 'loss against examples seen'),
    accuracy: chart(id, 'accuracy', 'accuracy against examples seen'),
    throughput: chart(id, 'throughput', 'examples per second, over the last minutes'),
  };
  Object.values(charts).forEach(c => row.appendChild(c.box));
  root.append(title, figures, row);
  insertSorted(root, id);
  card = { root, figures, charts };
  cards.set(id, card);
  return card;
}

function insertSorted(root, id) {
  const main = document.getElementById('models');
  const after = Array.from(main.querySelectorAll('section.model')).find(s => s.dataset.model > id);
  main.insertBefore(root, after || null);
}

function chart(id, series, caption) {
  const box = document.createElement('div');
  box.className = 'chart-box';
  const h = document.createElement('h3');
  h.textContent = caption;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'chart');
  svg.setAttribute('viewBox', '0 0 ' + WIDTH + ' ' + HEIGHT);
  svg.dataset.model = id;
  svg.dataset.series = series;
  svg.dataset.points = '0';
  box.append(h, svg);
  return { box, svg };
}

/** Draws ys against xs; null ys are left out. */
function draw(svg, xs, ys, options) {
  const points = [];
  for (let i = 0; i < xs.length; i++) {
    if (ys[i] !== null && Number.isFinite(ys[i])) {
      points.push([xs[i], ys[i]]);
    }
  }
  while (svg.firstChild) {
    svg.removeChild(svg.firstChild);
  }
  svg.dataset.points = String(points.length);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  add(svg, 'rect', { class: 'frame', x: MARGIN.left, y: MARGIN.top, width: plotW, height: plotH });
  if (points.length === 0) {
    text(svg, MARGIN.left + plotW / 2, MARGIN.top + plotH / 2, 'no points yet', 'middle');
    return;
  }
  let xMin = Math.min(...points.map(p => p[0]));
  let xMax = Math.max(...points.map(p => p[0]));
  let yMin = options.yMin !== undefined ? options.yMin : Math.min(...points.map(p => p[1]));
  let yMax = options.yMax !== undefined ? options.yMax : Math.max(...points.map(p => p[1]));
  if (options.yFromZero) {
    yMin = Math.min(0, yMin);
  }
  if (xMax === xMin) {
    xMax = xMin + 1;
  }
  if (yMax === yMin) {
    yMax = yMin + 1;
  }
  const sx = x => MARGIN.left + (x - xMin) / (xMax - xMin) * plotW;
  const sy = y => MARGIN.top + plotH - (y - yMin) / (yMax - yMin) * plotH;
  for (let k = 0; k <= 4; k++) {
    const y = yMin + (yMax - yMin) * k / 4;
    add(svg, 'line', { class: 'grid', x1: MARGIN.left, x2: MARGIN.left + plotW, y1: sy(y), y2: sy(y) });
    text(svg, MARGIN.left - 4, sy(y) + 3, format(y), 'end');
  }
  for (let k = 0; k <= 2; k++) {
    const x = xMin + (xMax - xMin) * k / 2;
    const label = options.xFormat ? options.xFormat(x) : format(x);
    text(svg, sx(x), HEIGHT - MARGIN.bottom + 14, label, k === 0 ? 'start' : k === 2 ? 'end' : 'middle');
  }
  const d = points.map((p, i) => (i === 0 ? 'M' : 'L') + sx(p[0]).toFixed(1) + ',' + sy(p[1]).toFixed(1));
  add(svg, 'path', { class: 'line', d: d.join(' ') });
}

function add(svg, tag, attributes) {
  const element = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) {
    element.setAttribute(k, v);
  }
  svg.appendChild(element);
  return element;
}

function text(svg, x, y, content, anchor) {
  const t = add(svg, 'text', { class: 'label', x: x, y: y, 'text-anchor': anchor });
  t.textContent = content;
}

function format(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) {
    return '\u2013';
  }
  const a = Math.abs(v);
  if (a >= 10000) {
    return (v / 1000).toFixed(a >= 100000 ? 0 : 1) + 'k';
  }
  if (a >= 100 || v === Math.round(v)) {
    return v.toFixed(0);
  }
  return a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
}

refresh();
