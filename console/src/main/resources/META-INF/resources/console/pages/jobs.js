// Jobs: materialization runs with progress bars while they run, and a form to start one.
import { get, post, session } from '../api.js';
import { busy, fmt, h, stateBadge, table, when } from '../util.js';

function progress(job) {
  const p = job.progress || {};
  const share = p.views_total ? p.views_done / p.views_total : (job.state === 'succeeded' ? 1 : 0);
  return h('div', {}, h('div', { class: 'progress', role: 'progressbar', 'aria-valuenow': Math.round(share * 100) },
    h('div', { style: `width:${Math.round(share * 100)}%` })),
  h('span', { class: 'muted' }, `${p.views_done ?? 0}/${p.views_total ?? 0} views${p.current_view ? ` · ${p.current_view}` : ''} · ${fmt(p.rows_written ?? 0)} rows`));
}

export function jobsTable(jobs) {
  return table(['job', 'state', 'progress', 'feature views', 'end', 'created', 'finished'], jobs.map(j => [
    h('span', { class: 'job-id', 'data-job': j.id }, j.id.slice(0, 8)), stateBadge(j.state), progress(j),
    (j.feature_views || []).join(', '), when(j.end), when(j.created_at), when(j.finished_at)]));
}

export async function jobsPage(views) {
  const list = h('div', { id: 'jobs' });
  const out = h('div', { id: 'materialize-result' });
  let timer = null;
  const refresh = async () => {
    const { jobs } = await get('/jobs');
    const shown = views ? jobs.filter(j => (j.feature_views || []).some(v => views.includes(v))) : jobs;
    list.replaceChildren(shown.length ? jobsTable(shown) : h('p', { class: 'muted' }, 'No job yet.'));
    clearTimeout(timer);
    // Poll while something runs and the list is still on screen.
    if (shown.some(j => j.state === 'queued' || j.state === 'running') && document.body.contains(list)) {
      timer = setTimeout(() => refresh().catch(() => {}), 700);
    }
  };
  let form = '';
  if (session.may('analyst')) {
    const end = h('input', { id: 'materialize-end', type: 'datetime-local', step: 60 });
    const full = h('input', { id: 'materialize-full', type: 'checkbox' });
    const start = h('button', { id: 'materialize' }, views ? `Materialize ${views.join(', ')}` : 'Materialize every online view');
    start.addEventListener('click', () => busy(start, out, async () => {
      out.replaceChildren();
      const body = {};
      if (views) body.feature_views = views;
      if (end.value) body.end = new Date(end.value + 'Z').toISOString();
      if (full.checked) body.full = true;
      await post('/materialize', body);
      await refresh();
    }));
    form = h('div', { class: 'card row' }, h('label', {}, 'Up to (UTC; empty: now)', end),
      h('label', { style: 'flex-direction:row;align-items:center;gap:6px' }, full, 'full rebuild'), start);
  }
  await refresh();
  return h('div', {}, views ? h('h2', {}, 'Materialization') : h('h1', {}, 'Jobs'), form, out, list);
}
