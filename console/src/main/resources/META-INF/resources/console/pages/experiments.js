// Experiments: results per metric and variant, unadjusted and CUPED, a forest plot of relative lift, SRM.
import { post, session } from '../api.js';
import { busy, chart, fmt, h, pct, problemBox, table } from '../util.js';
import { loadCatalog } from './catalog.js';

export async function experimentsPage() {
  const catalog = await loadCatalog();
  const list = catalog.objects.filter(o => o.kind === 'experiment');
  return h('div', {}, h('h1', {}, 'Experiments'),
    list.length === 0 ? h('p', { class: 'muted' }, 'The catalog has no experiment.')
      : table(['experiment', 'description', 'metrics', 'window', 'CUPED'], list.map(o => [
        h('a', { href: `#/experiments/${encodeURIComponent(o.name)}` }, o.name), o.spec.description || '',
        (o.spec.metrics || []).map(m => typeof m === 'string' ? m : m.name).join(', '), o.spec.window || '',
        o.spec.cuped ? `lookback ${o.spec.cuped.lookback}` : 'off'])));
}

const ci = (low, high, f = fmt) => `[${f(low)}, ${f(high)}]`;

export async function experimentPage(name) {
  const catalog = await loadCatalog();
  const experiment = catalog.objects.find(o => o.kind === 'experiment' && o.name === name);
  if (!experiment) {
    return problemBox({ problem: { title: 'Not found', detail: `there is no experiment '${name}' in the catalog` } });
  }
  const out = h('div', { id: 'analysis' });
  const head = h('div', {},
    h('p', {}, h('a', { href: '#/experiments' }, 'Experiments'), ' / ', name),
    h('h1', {}, name), h('p', {}, experiment.spec.description || ''),
    h('p', { class: 'muted' }, `Control ${experiment.spec.control}; window ${experiment.spec.window}; `,
      h('a', { href: `#/catalog/experiment/${encodeURIComponent(name)}` }, 'definition'), ' · ',
      h('a', { href: `#/lineage?focus=experiment:${encodeURIComponent(name)}` }, 'lineage')));
  if (!session.may('analyst')) {
    out.append(h('p', { class: 'muted', id: 'needs-role' }, 'Running the analysis needs the analyst role; your key has the ',
      session.me.role, ' role.'));
    return h('div', {}, head, out, powerCalculator());
  }
  const rerun = h('button', { class: 'secondary', id: 'run-analysis' }, 'Run the analysis again');
  const analyse = () => busy(rerun, out, async () => {
    out.replaceChildren(h('p', { class: 'muted' }, 'Analysing the experiment in the warehouse…'));
    const result = await post(`/experiments/${encodeURIComponent(name)}/analysis`);
    out.replaceChildren(render(result), overTime(name));
  });
  rerun.addEventListener('click', analyse);
  analyse();
  return h('div', {}, head, rerun, out, powerCalculator());
}

/** Subjects per variant for a planned experiment, by the server's own sample-size formula (POST /power). */
function powerCalculator() {
  const field = (id, label, value, attrs = {}) => {
    const input = h('input', { id, type: 'number', step: 'any', value, style: 'width:9em', ...attrs });
    return [input, h('label', {}, label, input)];
  };
  const kind = h('select', { id: 'power-kind' }, h('option', { value: 'mean' }, 'mean and SD'), h('option', { value: 'rate' }, 'conversion rate'));
  const [mean, meanLabel] = field('power-mean', 'Baseline mean', 80);
  const [sd, sdLabel] = field('power-sd', 'Baseline SD', 100);
  const [rate, rateLabel] = field('power-rate', 'Baseline rate', 0.05);
  const [mde, mdeLabel] = field('power-mde', 'Relative lift to detect', 0.05);
  const [alpha, alphaLabel] = field('power-alpha', 'Alpha', 0.05);
  const [power, powerLabel] = field('power-power', 'Power', 0.8);
  const [reduction, reductionLabel] = field('power-reduction', 'CUPED variance reduction', '', { placeholder: 'none' });
  const show = () => {
    meanLabel.style.display = sdLabel.style.display = kind.value === 'mean' ? '' : 'none';
    rateLabel.style.display = kind.value === 'rate' ? '' : 'none';
  };
  kind.addEventListener('change', show);
  show();
  const out = h('div', { id: 'power-result' });
  const go = h('button', { id: 'power-compute' }, 'Compute');
  go.addEventListener('click', () => busy(go, out, async () => {
    const num = input => input.value === '' ? undefined : Number(input.value);
    const body = kind.value === 'mean' ? { baseline_mean: num(mean), baseline_sd: num(sd) } : { baseline_rate: num(rate) };
    Object.assign(body, { mde_relative: num(mde), alpha: num(alpha), power: num(power) });
    if (num(reduction) !== undefined) body.variance_reduction = num(reduction);
    const answer = await post('/power', body);
    out.replaceChildren(h('p', {}, h('b', { id: 'power-n' }, fmt(answer.n_per_variant)), ' subjects per variant.'));
  }));
  return h('div', {}, h('h2', {}, 'Power calculator'),
    h('div', { class: 'card row' }, h('label', {}, 'Baseline', kind), meanLabel, sdLabel, rateLabel, mdeLabel, alphaLabel,
      powerLabel, reductionLabel, go), out);
}

function render(result) {
  const subjects = Object.entries(result.subjects || {});
  const excluded = Object.entries(result.excluded || {});
  const srmBad = result.srm_p_value !== null && result.srm_p_value < 0.001;
  const summary = h('div', { class: 'card' },
    h('div', { class: 'row' },
      subjects.map(([v, n]) => h('span', {}, h('b', {}, v), `: ${fmt(n)} subjects`)),
      h('span', { id: 'srm', class: srmBad ? 'state state-alerting' : null },
        `SRM p = ${fmt(result.srm_p_value)}${srmBad ? ' — the split does not match the design' : ''}`),
      excluded.map(([why, n]) => h('span', { class: 'muted' }, `excluded (${why.replace('_', ' ')}): ${fmt(n)}`))),
    (result.warnings || []).map(w => h('p', { class: 'problem' }, typeof w === 'string' ? w : JSON.stringify(w))));
  const rows = result.results.map(r => {
    const id = `${r.metric}-${r.variant}`;
    const u = r.unadjusted, c = r.cuped;
    const cell = (text, key) => h('span', { 'data-cell': `${key}-${id}` }, text);
    return [r.metric, r.variant, fmt(r.means[Object.keys(r.means).find(k => k !== r.variant)]), fmt(r.means[r.variant]),
      cell(fmt(u.estimate), 'unadjusted-estimate'), ci(u.ci_low, u.ci_high), cell(pct(u.relative.estimate, 2), 'unadjusted-relative'),
      fmt(u.p_value),
      c ? cell(fmt(c.estimate), 'cuped-estimate') : '–', c ? ci(c.ci_low, c.ci_high) : '–',
      c ? cell(pct(c.relative.estimate, 2), 'cuped-relative') : '–', c ? fmt(c.p_value) : '–',
      c ? cell(pct(c.variance_reduction), 'variance-reduction') : '–'];
  });
  const forest = h('div', { class: 'chart', id: 'forest-plot' });
  requestAnimationFrame(() => forestPlot(forest, result.results));
  return h('div', {}, summary,
    h('h2', {}, 'Results'),
    table(['metric', 'variant', 'control mean', 'variant mean', 'difference', '95% CI', 'relative', 'p',
      'CUPED difference', 'CUPED 95% CI', 'CUPED relative', 'CUPED p', 'variance reduction'], rows,
    { numeric: [2, 3, 4, 6, 7, 8, 10, 11, 12] }),
    h('h2', {}, 'Relative lift with 95% confidence intervals'), h('div', { class: 'card' }, forest));
}

/**
 * The relative lift's interval over time, per metric and variant, from ?by=day: the decision's estimate (CUPED when
 * there is one) at the end of each day, with its sequential interval when the analysis is sequential. Loaded on
 * demand: it reads each subject once per day in the warehouse.
 */
function overTime(name) {
  const out = h('div', { id: 'over-time' });
  const load = h('button', { class: 'secondary', id: 'load-over-time' }, 'Show the relative lift over time');
  load.addEventListener('click', () => busy(load, out, async () => {
    out.replaceChildren(h('p', { class: 'muted' }, 'Analysing each day in the warehouse…'));
    const result = await post(`/experiments/${encodeURIComponent(name)}/analysis?by=day`);
    const el = h('div', { class: 'chart', id: 'over-time-chart', style: 'height:360px' });
    out.replaceChildren(h('div', { class: 'card' }, el));
    requestAnimationFrame(() => liftOverTime(el, result.by_day || []));
  }));
  return h('div', {}, h('h2', {}, 'Relative lift over time'), load, out);
}

function liftOverTime(el, days) {
  el.dataset.days = String(days.length);
  const dates = days.map(d => d.date);
  const lines = new Map();
  days.forEach((day, i) => {
    for (const r of day.results) {
      const e = r.cuped || r.unadjusted;
      const rel = e && e.relative;
      const key = `${r.metric} · ${r.variant}${r.cuped ? ' · CUPED' : ''}`;
      if (!lines.has(key)) lines.set(key, dates.map(() => [null, null, null]));
      if (rel) {
        const band = rel.sequential || rel;
        lines.get(key)[i] = [rel.estimate, band.ci_low, band.ci_high];
      }
    }
  });
  // One colour per metric and variant: its estimate solid, its interval's bounds dashed.
  const palette = ['#2f5fd0', '#c4320a', '#0f8a5f', '#7a4cc2', '#b8860b', '#d6337a'];
  const series = [];
  [...lines].forEach(([key, points], n) => {
    const color = palette[n % palette.length];
    const bound = j => ({ type: 'line', name: key, data: points.map(p => p[j]), symbol: 'none', color,
      lineStyle: { type: 'dashed', width: 1, color } });
    series.push({ type: 'line', name: key, data: points.map(p => p[0]), symbolSize: 5, color }, bound(1), bound(2));
  });
  chart(el).setOption({
    grid: { left: 60, right: 30, top: 40, bottom: 40 },
    legend: { data: [...lines.keys()] },
    tooltip: { trigger: 'axis', valueFormatter: v => pct(v, 2) },
    xAxis: { type: 'category', data: dates },
    yAxis: { type: 'value', axisLabel: { formatter: v => `${(v * 100).toFixed(0)}%` } },
    series: series.concat([{ type: 'line', data: [], markLine: { silent: true, symbol: 'none', data: [{ yAxis: 0 }],
      lineStyle: { color: '#667085', type: 'dashed' } } }]),
  });
}

/** One row per metric, variant and estimator: the point and its interval, with zero marked. */
function forestPlot(el, results) {
  const items = [];
  for (const r of results) {
    items.push({ label: `${r.metric} · ${r.variant} · unadjusted`, ...r.unadjusted.relative });
    if (r.cuped) items.push({ label: `${r.metric} · ${r.variant} · CUPED`, ...r.cuped.relative });
  }
  items.reverse();
  el.style.height = `${Math.max(200, items.length * 44 + 60)}px`;
  const c = chart(el);
  c.setOption({
    grid: { left: 200, right: 30, top: 20, bottom: 40 },
    tooltip: { formatter: p => { const it = items[p.dataIndex]; return `${it.label}<br>${pct(it.estimate, 2)} [${pct(it.ci_low, 2)}, ${pct(it.ci_high, 2)}]`; } },
    xAxis: { type: 'value', axisLabel: { formatter: v => `${(v * 100).toFixed(0)}%` } },
    yAxis: { type: 'category', data: items.map(i => i.label) },
    series: [
      { type: 'custom', name: 'CI', data: items.map((it, i) => [i, it.ci_low, it.ci_high]),
        renderItem: (params, api) => {
          const y = api.coord([0, api.value(0)])[1];
          const lo = api.coord([api.value(1), api.value(0)])[0];
          const hi = api.coord([api.value(2), api.value(0)])[0];
          const style = { stroke: '#2f5fd0', lineWidth: 2 };
          return { type: 'group', children: [
            { type: 'line', shape: { x1: lo, y1: y, x2: hi, y2: y }, style },
            { type: 'line', shape: { x1: lo, y1: y - 6, x2: lo, y2: y + 6 }, style },
            { type: 'line', shape: { x1: hi, y1: y - 6, x2: hi, y2: y + 6 }, style }] };
        },
        encode: { x: [1, 2], y: 0 } },
      { type: 'scatter', name: 'lift', symbolSize: 10, data: items.map((it, i) => [it.estimate, i]),
        itemStyle: { color: '#c4320a' },
        markLine: { silent: true, symbol: 'none', data: [{ xAxis: 0 }], lineStyle: { color: '#667085', type: 'dashed' } } },
    ],
  });
}
