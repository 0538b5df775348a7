// Metric explorer: metrics, grain, dimensions, filters and range in the URL; chart, table, SQL and CSV.
import { post } from '../api.js';
import { busy, chart, csv, download, h, table } from '../util.js';
import { loadCatalog } from './catalog.js';

const GRAINS = ['', 'hour', 'day', 'week', 'month', 'quarter', 'year'];

/** "country=DE,FR; channel=web" as the query's where: one value is =, several are in. */
export function parseFilters(text) {
  const where = {};
  for (const part of (text || '').split(';').map(p => p.trim()).filter(Boolean)) {
    const at = part.indexOf('=');
    if (at < 1) throw { problem: { title: 'Invalid filter', detail: `'${part}' should read dimension=value or dimension=a,b` } };
    const values = part.slice(at + 1).split(',').map(v => v.trim()).filter(Boolean);
    where[part.slice(0, at).trim()] = values.length === 1 ? values[0] : values;
  }
  return where;
}

export async function metricsPage(query) {
  const catalog = await loadCatalog();
  const metrics = catalog.objects.filter(o => o.kind === 'metric').sort((a, b) => a.name.localeCompare(b.name));
  const chosen = new Set((query.get('m') || '').split(',').filter(Boolean));
  const boxes = metrics.map(m => h('label', { class: 'row', style: 'flex-direction:row;gap:4px;align-items:center' },
    h('input', { type: 'checkbox', value: m.name, checked: chosen.has(m.name), class: 'metric-box', 'data-metric': m.name }),
    h('span', { title: m.spec.description || '' }, m.name)));
  const dims = [...new Set(metrics.flatMap(m => m.spec.dimensions || []))].sort();
  const grain = h('select', { id: 'grain' }, GRAINS.map(g => h('option', { value: g, selected: (query.get('grain') ?? 'day') === g }, g || 'none')));
  const by = h('select', { id: 'dimensions', multiple: true, size: Math.min(5, Math.max(2, dims.length)) },
    dims.map(d => h('option', { value: d, selected: (query.get('by') || '').split(',').includes(d) }, d)));
  const filters = h('input', { id: 'filters', placeholder: 'country=DE,FR; channel=web', value: query.get('where') || '' });
  const start = h('input', { id: 'start', type: 'date', value: query.get('start') || '' });
  const end = h('input', { id: 'end', type: 'date', value: query.get('end') || '' });
  const run = h('button', { id: 'run-query' }, 'Run');
  const out = h('div', { id: 'query-result' });

  const spec = () => {
    const selected = [...document.querySelectorAll('.metric-box:checked')].map(b => b.value);
    const groupBy = [...by.selectedOptions].map(o => o.value);
    const body = { metrics: selected, group_by: grain.value ? [`metric_time__${grain.value}`, ...groupBy] : groupBy };
    const where = parseFilters(filters.value);
    if (Object.keys(where).length) body.where = where;
    if (start.value) body.start = `${start.value}T00:00:00Z`;
    if (end.value) body.end = `${end.value}T00:00:00Z`;
    return body;
  };
  const execute = () => busy(run, out, async () => {
    const body = spec();
    const q = new URLSearchParams({ m: body.metrics.join(','), grain: grain.value });
    if (by.selectedOptions.length) q.set('by', [...by.selectedOptions].map(o => o.value).join(','));
    if (filters.value.trim()) q.set('where', filters.value.trim());
    if (start.value) q.set('start', start.value);
    if (end.value) q.set('end', end.value);
    window.history.replaceState(null, '', `#/metrics?${q}`);
    out.replaceChildren(h('p', { class: 'muted' }, 'Running the query…'));
    const answer = await post('/metrics/query', body);
    out.replaceChildren(result(answer, body));
  });
  run.addEventListener('click', execute);
  const page = h('div', {},
    h('h1', {}, 'Metric explorer'),
    h('div', { class: 'card' },
      h('div', { class: 'row', id: 'metric-boxes' }, boxes),
      h('div', { class: 'row', style: 'margin-top:10px' },
        h('label', {}, 'Grain', grain), h('label', {}, 'Dimensions', by), h('label', {}, 'Filters', filters),
        h('label', {}, 'From', start), h('label', {}, 'To (exclusive)', end), run)),
    out);
  if (chosen.size) setTimeout(execute, 0);
  return page;
}

function result(answer, body) {
  const { columns, rows } = answer;
  const timeColumn = columns.findIndex(c => c.startsWith('metric_time__'));
  const metricColumns = body.metrics.map(m => columns.indexOf(m)).filter(i => i >= 0);
  const dimColumns = columns.map((c, i) => i).filter(i => i !== timeColumn && !metricColumns.includes(i));
  const chartEl = h('div', { class: 'chart', id: 'metric-chart' });
  const download_ = h('button', { class: 'secondary', id: 'download-csv',
    onclick: () => download(`${body.metrics.join('_')}.csv`, csv(columns, rows)) }, 'Download CSV');
  const section = h('div', {},
    h('div', { class: 'card' }, chartEl),
    h('div', { class: 'row' }, h('span', { class: 'muted', id: 'row-count' }, `${rows.length} rows`), download_),
    table(columns, rows, { numeric: metricColumns }),
    h('h2', {}, 'SQL that ran'), h('pre', { id: 'sql' }, answer.sql || ''));
  requestAnimationFrame(() => {
    const c = chart(chartEl);
    const series = [];
    for (const m of metricColumns) {
      const groups = new Map();
      for (const r of rows) {
        const key = dimColumns.map(i => r[i]).join(' · ');
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push(timeColumn >= 0 ? [r[timeColumn], r[m]] : [key || columns[m], r[m]]);
      }
      for (const [key, data] of groups) {
        series.push({ name: key ? `${columns[m]} · ${key}` : columns[m], type: timeColumn >= 0 ? 'line' : 'bar',
          showSymbol: data.length < 60, data });
      }
    }
    c.setOption({
      tooltip: { trigger: 'axis' }, legend: { type: 'scroll', top: 0 }, grid: { left: 60, right: 20, top: 40, bottom: 60 },
      xAxis: timeColumn >= 0 ? { type: 'time' } : { type: 'category' }, yAxis: { type: 'value', scale: true },
      dataZoom: timeColumn >= 0 ? [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 10 }] : [], series,
    });
    chartEl.dataset.series = String(series.length);
    chartEl.dataset.points = String(series.reduce((n, s) => n + s.data.length, 0));
  });
  return section;
}
