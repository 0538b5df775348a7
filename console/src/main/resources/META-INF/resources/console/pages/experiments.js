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
/** A result's metric, with its quantile for a quantile metric (revenue P90). */
const label = r => r.quantile ? `${r.metric} P${+(r.quantile.probability * 100).toFixed(2)}` : r.metric;
const key = r => r.quantile ? `${r.metric}-p${+(r.quantile.probability * 100).toFixed(2)}` : r.metric;

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
    out.replaceChildren(render(result));
  });
  rerun.addEventListener('click', analyse);
  analyse();
  return h('div', {}, head, rerun, out, overTime(name), slices(name), powerCalculator());
}

/** The estimate a result's verdict rests on: CUPED's where there is one. */
const chosen = r => r.cuped || r.unadjusted;

/** Results over time (?by=day): the relative lift and its interval at the end of each day since the start. */
function overTime(name) {
  const out = h('div', { id: 'by-day' });
  const go = h('button', { class: 'secondary', id: 'run-by-day' }, 'Show results by day');
  go.addEventListener('click', () => busy(go, out, async () => {
    const result = await post(`/experiments/${encodeURIComponent(name)}/analysis?by=day`);
    out.replaceChildren(renderByDay(result));
  }));
  return h('div', {}, h('h2', {}, 'Results over time'),
    h('p', { class: 'muted' }, 'The cumulative result at the end of each day since the first assignment, computed in '
      + 'one pass in the warehouse. With sequential testing on, the always-valid interval may be watched daily.'),
    go, out);
}

function renderByDay(result) {
  const days = result.by_day || [];
  if (days.length === 0) return h('p', { class: 'muted' }, 'No day has subjects yet.');
  const charts = result.results.map(r => {
    const el = h('div', { class: 'chart', 'data-by-day': `${key(r)}-${r.variant}` });
    const points = days.map(d => {
      const found = d.results.find(x => key(x) === key(r) && x.variant === r.variant);
      const rel = found && chosen(found) ? chosen(found).relative : null;
      return { date: d.date, rel };
    });
    requestAnimationFrame(() => liftOverTime(el, points));
    return h('div', { class: 'card' }, h('h3', {}, `${label(r)} · ${r.variant}`), el);
  });
  const last = days[days.length - 1];
  return h('div', {}, h('p', { id: 'by-day-summary' }, `${days.length} days, ${days[0].date} to ${last.date}.`), charts);
}

function liftOverTime(el, points) {
  const series = (name, pick, style) => ({ type: 'line', name, showSymbol: false, connectNulls: false,
    data: points.map(p => [p.date, p.rel ? pick(p.rel) : null]), lineStyle: style, itemStyle: { color: style.color } });
  const list = [series('relative lift', r => r.estimate, { width: 2, color: '#c4320a' }),
    series('95% CI low', r => r.ci_low, { type: 'dashed', color: '#2f5fd0' }),
    series('95% CI high', r => r.ci_high, { type: 'dashed', color: '#2f5fd0' })];
  if (points.some(p => p.rel && p.rel.sequential)) {
    list.push(series('always-valid low', r => r.sequential ? r.sequential.ci_low : null, { color: '#667085' }),
      series('always-valid high', r => r.sequential ? r.sequential.ci_high : null, { color: '#667085' }));
  }
  el.style.height = '260px';
  chart(el).setOption({
    grid: { left: 60, right: 20, top: 30, bottom: 40 }, legend: { top: 0 }, tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: points.map(p => p.date) },
    yAxis: { type: 'value', axisLabel: { formatter: v => `${(v * 100).toFixed(0)}%` } },
    series: list.map((s, i) => i === 0 ? { ...s, markLine: { silent: true, symbol: 'none', data: [{ yAxis: 0 }],
      lineStyle: { color: '#667085', type: 'dashed' } } } : s),
  });
}

/** Results by slice (?slice=): a column of the assignments or a feature at each subject's first assignment. */
function slices(name) {
  const dimension = h('input', { id: 'slice-by', placeholder: 'customer_profile__plan', style: 'width:18em' });
  const out = h('div', { id: 'slices' });
  const go = h('button', { class: 'secondary', id: 'run-slices' }, 'Break down');
  go.addEventListener('click', () => busy(go, out, async () => {
    const result = await post(`/experiments/${encodeURIComponent(name)}/analysis?slice=${encodeURIComponent(dimension.value.trim())}`);
    const rows = [];
    for (const s of result.slices || []) {
      for (const r of s.results) {
        const e = chosen(r);
        rows.push([String(s.value), label(r), r.variant, Object.values(s.subjects).map(fmt).join(' / '),
          fmt(s.srm_p_value), e ? pct(e.relative && e.relative.estimate, 2) : '–',
          e && e.relative ? ci(e.relative.ci_low, e.relative.ci_high, v => pct(v, 2)) : '–', e ? fmt(e.p_value) : '–',
          [...(s.warnings || []), ...(r.messages || [])].join(' ')]);
      }
    }
    out.replaceChildren(table([result.slice, 'metric', 'variant', 'subjects', 'SRM p', 'relative lift', '95% CI', 'p',
      'notes'], rows, { numeric: [4, 5, 7] }));
  }));
  return h('div', {}, h('h2', {}, 'Slices'),
    h('p', { class: 'muted' }, 'Each slice is analysed on its own subjects, with its own sample ratio test.'),
    h('div', { class: 'card row' }, h('label', {}, 'Slice by', dimension), go), out);
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
    const id = `${key(r)}-${r.variant}`;
    const u = r.unadjusted, c = r.cuped;
    const cell = (text, key) => h('span', { 'data-cell': `${key}-${id}` }, text);
    return [label(r), r.variant, fmt(r.means[Object.keys(r.means).find(k => k !== r.variant)]), fmt(r.means[r.variant]),
      u ? cell(fmt(u.estimate), 'unadjusted-estimate') : '–', u ? ci(u.ci_low, u.ci_high) : '–',
      u && u.relative ? cell(pct(u.relative.estimate, 2), 'unadjusted-relative') : '–', u ? fmt(u.p_value) : '–',
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

/** One row per metric, variant and estimator: the point and its interval, with zero marked. */
function forestPlot(el, results) {
  const items = [];
  for (const r of results) {
    if (!r.unadjusted || !r.unadjusted.relative) continue;
    items.push({ label: `${label(r)} · ${r.variant} · unadjusted`, ...r.unadjusted.relative });
    if (r.cuped) items.push({ label: `${label(r)} · ${r.variant} · CUPED`, ...r.cuped.relative });
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
