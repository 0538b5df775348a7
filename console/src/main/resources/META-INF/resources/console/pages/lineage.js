// Lineage: source -> feature view -> derived feature -> metric -> monitor / experiment, laid out by dagre.
import { h } from '../util.js';
import { loadCatalog, objectHref } from './catalog.js';

const COLORS = {
  source: ['#eef4ff', '#2f5fd0'], feature_view: ['#ecfdf3', '#137333'], feature: ['#f0fdf9', '#0e9384'],
  metric: ['#fff6ed', '#c4320a'], monitor: ['#fef3f2', '#b42318'], experiment: ['#f4f3ff', '#5925dc'],
  entity: ['#f2f4f7', '#475467'],
};

/** Nodes and edges of the catalog's dependency graph, from the definitions themselves. */
export function lineageGraph(objects) {
  const nodes = new Map();
  const edges = [];
  const node = (kind, name, label) => {
    const id = `${kind}:${name}`;
    if (!nodes.has(id)) nodes.set(id, { id, kind, name, label: label || name });
    return id;
  };
  const edge = (from, to) => edges.push([from, to]);
  const names = list => (list || []).map(m => typeof m === 'string' ? m : m.name);
  const derived = new Set();
  for (const o of objects) {
    const s = o.spec;
    if (o.kind === 'feature_view') {
      const fv = node('feature_view', o.name);
      if (s.source) edge(node('source', s.source), fv);
      for (const f of s.features || []) {
        if (f.expr) {
          derived.add(`${o.name}.${f.name}`);
          edge(fv, node('feature', `${o.name}.${f.name}`, f.name));
        }
      }
    }
  }
  for (const o of objects) {
    const s = o.spec;
    if (o.kind === 'source') node('source', o.name);
    if (o.kind === 'metric') {
      const m = node('metric', o.name);
      if (s.source) edge(node('source', s.source), m);
      const inputs = [s.numerator, s.denominator, s.base, s.conversion, s.metric, ...names(s.metrics)].filter(Boolean);
      [...new Set(inputs)].forEach(i => edge(node('metric', i), m));
    }
    if (o.kind === 'monitor') {
      const mon = node('monitor', o.name);
      if (s.metric) edge(node('metric', s.metric), mon);
      if (s.source) edge(node('source', s.source), mon);
      if (s.feature_view) {
        const key = `${s.feature_view}.${s.feature}`;
        edge(derived.has(key) ? node('feature', key, s.feature) : node('feature_view', s.feature_view), mon);
      }
    }
    if (o.kind === 'experiment') {
      const e = node('experiment', o.name);
      names(s.metrics).forEach(m => edge(node('metric', m), e));
      if (s.assignments && s.assignments.source) edge(node('source', s.assignments.source), e);
    }
  }
  return { nodes, edges };
}

/** The focus node with everything upstream and downstream of it. */
function around(graph, focus) {
  const keep = new Set([focus]);
  const walk = (from, forward) => {
    const stack = [from];
    while (stack.length) {
      const at = stack.pop();
      for (const [a, b] of graph.edges) {
        const next = forward ? (a === at ? b : null) : (b === at ? a : null);
        if (next && !keep.has(next)) { keep.add(next); stack.push(next); }
      }
    }
  };
  walk(focus, true);
  walk(focus, false);
  return {
    nodes: new Map([...graph.nodes].filter(([id]) => keep.has(id))),
    edges: graph.edges.filter(([a, b]) => keep.has(a) && keep.has(b)),
  };
}

function findFocus(graph, focus) {
  if (!focus) return null;
  if (graph.nodes.has(focus)) return focus;
  return [...graph.nodes.keys()].find(id => id.endsWith(`:${focus}`)) || null;
}

function draw(graph, focus) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 60, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes.values()) g.setNode(n.id, { width: Math.max(90, n.label.length * 7.2 + 24), height: 40 });
  for (const [a, b] of graph.edges) g.setEdge(a, b);
  dagre.layout(g);
  const ns = 'http://www.w3.org/2000/svg';
  const el = (tag, attrs, ...children) => {
    const e = document.createElementNS(ns, tag);
    Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
    children.forEach(c => e.append(c));
    return e;
  };
  const { width, height } = g.graph();
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, id: 'lineage-svg' });
  svg.append(el('defs', {}, el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7,
    markerHeight: 7, orient: 'auto' }, el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#98a2b3' }))));
  for (const e of g.edges()) {
    const pts = g.edge(e).points;
    svg.append(el('path', { class: 'edge', d: 'M' + pts.map(p => `${p.x},${p.y}`).join(' L'), 'marker-end': 'url(#arrow)',
      'data-from': e.v, 'data-to': e.w }));
  }
  for (const id of g.nodes()) {
    const n = graph.nodes.get(id);
    const box = g.node(id);
    const [fill, stroke] = COLORS[n.kind] || COLORS.entity;
    const group = el('g', { class: `node${id === focus ? ' focus' : ''}`, 'data-id': id, 'data-kind': n.kind,
      transform: `translate(${box.x - box.width / 2},${box.y - box.height / 2})`, tabindex: 0, role: 'link' },
    el('rect', { width: box.width, height: box.height, fill, stroke, rx: 6 }),
    el('text', { x: 10, y: 15, fill: stroke, 'font-size': 10 }, n.kind === 'feature' ? 'derived feature' : n.kind.replace('_', ' ')),
    el('text', { x: 10, y: 31, fill: '#1d2330' }, n.label));
    const [kind, name] = n.kind === 'feature' ? ['feature_view', n.name.split('.')[0]] : [n.kind, n.name];
    const open = () => { location.hash = objectHref(kind, name); };
    group.addEventListener('click', open);
    group.addEventListener('keydown', e => { if (e.key === 'Enter') open(); });
    svg.append(group);
  }
  return svg;
}

export async function lineagePage(query) {
  const catalog = await loadCatalog();
  const full = lineageGraph(catalog.objects);
  const focus = findFocus(full, query.get('focus'));
  const shown = focus ? around(full, focus) : full;
  const picker = h('select', { id: 'lineage-focus', onchange: e => { location.hash = e.target.value ? `#/lineage?focus=${e.target.value}` : '#/lineage'; } },
    h('option', { value: '' }, 'the whole catalog'),
    [...full.nodes.values()].filter(n => n.kind !== 'feature').sort((a, b) => a.id.localeCompare(b.id))
      .map(n => h('option', { value: n.id, selected: n.id === focus }, `${n.kind} ${n.name}`)));
  return h('div', {},
    h('h1', {}, 'Lineage', focus ? h('span', { class: 'muted' }, ` of ${full.nodes.get(focus).name}`) : ''),
    h('div', { class: 'card row' }, h('label', {}, 'Around', picker),
      h('span', { class: 'muted' }, 'Click a node to open it.')),
    h('div', { class: 'graph', id: 'lineage' }, draw(shown, focus)));
}
