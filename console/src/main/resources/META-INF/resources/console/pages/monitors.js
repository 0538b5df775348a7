// Monitors: state, the value's history against the threshold or drift bound, alert history, "run at".
import { get, post, session } from '../api.js';
import { busy, chart, fmt, h, stateBadge, table, when } from '../util.js';

export async function monitorsPage() {
  const monitors = await get('/monitors');
  return h('div', {}, h('h1', {}, 'Monitors'),
    table(['monitor', 'type', 'watches', 'state', 'value', 'evaluated at'], monitors.map(m => [
      h('a', { href: `#/monitors/${encodeURIComponent(m.name)}` }, m.name), m.type,
      m.metric || (m.feature_view ? `${m.feature_view}.${m.feature}` : `${m.source}.${m.column}`),
      stateBadge(m.state), fmt(m.value), when(m.evaluated_at)]), { numeric: [4] }));
}

/** The bound the value is judged against, as chart lines. */
function bounds(monitor) {
  const lines = [];
  if (monitor.alert) {
    if (monitor.alert.below !== undefined) lines.push({ yAxis: monitor.alert.below, name: `alerts below ${monitor.alert.below}` });
    if (monitor.alert.above !== undefined) lines.push({ yAxis: monitor.alert.above, name: `alerts above ${monitor.alert.above}` });
  }
  if (monitor.drift && monitor.drift.threshold !== undefined) {
    lines.push({ yAxis: monitor.drift.threshold, name: `drift bound ${monitor.drift.threshold}` });
  }
  return lines;
}

export async function monitorPage(name) {
  const monitor = await get(`/monitors/${encodeURIComponent(name)}`);
  const evaluations = (monitor.evaluations || []).slice().sort((a, b) => a.evaluated_at.localeCompare(b.evaluated_at));
  const chartEl = h('div', { class: 'chart', id: 'monitor-chart' });
  const out = h('div', { id: 'run-result' });
  let runForm = '';
  if (session.may('analyst')) {
    const at = h('input', { id: 'run-at', type: 'datetime-local', step: 60 });
    const run = h('button', { id: 'run-monitor' }, 'Run at');
    run.addEventListener('click', () => busy(run, out, async () => {
      const query = at.value ? `?at=${encodeURIComponent(new Date(at.value + 'Z').toISOString())}` : '';
      const result = await post(`/monitors/${encodeURIComponent(name)}/run${query}`);
      // Reload so that the state, chart and history all include the new evaluation.
      window.dispatchEvent(new HashChangeEvent('hashchange'));
      return result;
    }));
    runForm = h('div', { class: 'card row' }, h('label', {}, 'Evaluate at (UTC; empty: now)', at), run,
      h('span', { class: 'muted' }, 'Evaluations are stored and alert like scheduled ones.'));
  }
  requestAnimationFrame(() => {
    const c = chart(chartEl);
    const lines = bounds(monitor);
    c.setOption({
      tooltip: { trigger: 'axis' }, grid: { left: 60, right: 30, top: 30, bottom: 40 },
      xAxis: { type: 'time' }, yAxis: { type: 'value', scale: true },
      series: [{ name: 'value', type: 'line', connectNulls: false,
        data: evaluations.map(e => [e.evaluated_at, e.value]),
        markLine: { symbol: 'none', data: lines, label: { formatter: p => p.name, position: 'insideEndTop' }, lineStyle: { color: '#b42318', type: 'dashed' } },
        itemStyle: { color: '#2f5fd0' } }],
    });
    chartEl.dataset.points = String(evaluations.length);
  });
  const alerts = evaluations.filter(e => e.state === 'alerting').reverse();
  return h('div', {},
    h('p', {}, h('a', { href: '#/monitors' }, 'Monitors'), ' / ', name),
    h('h1', {}, name, ' ', stateBadge(monitor.state)),
    h('p', { id: 'monitor-value' }, `Value ${fmt(monitor.value)} at ${when(monitor.evaluated_at)} · `,
      monitor.metric ? h('a', { href: `#/metrics?m=${encodeURIComponent(monitor.metric)}&grain=day` }, `metric ${monitor.metric}`) : '',
      ' · ', h('a', { href: `#/catalog/monitor/${encodeURIComponent(name)}` }, 'definition'), ' · ',
      h('a', { href: `#/lineage?focus=monitor:${encodeURIComponent(name)}` }, 'lineage')),
    runForm, out,
    h('h2', {}, 'History'), h('div', { class: 'card' }, chartEl),
    h('h2', {}, `Alerts (${alerts.length})`),
    alerts.length ? table(['evaluated at', 'value', 'detail'], alerts.map(e => [when(e.evaluated_at), fmt(e.value), e.detail]))
      : h('p', { class: 'muted' }, 'No alert in the kept history.'),
    h('h2', {}, 'Evaluations'),
    table(['evaluated at', 'state', 'value', 'detail', 'ran at'], evaluations.slice().reverse().map(e => [
      when(e.evaluated_at), stateBadge(e.state), fmt(e.value), e.detail, when(e.ran_at)]), { numeric: [2] }));
}
