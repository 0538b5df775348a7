// Feature views: features and windows, online state, the consistency check, an online lookup, materialization.
import { api, get, post } from '../api.js';
import { busy, fmt, h, pct, problemBox, table, when } from '../util.js';
import { loadCatalog } from './catalog.js';
import { jobsPage } from './jobs.js';

export async function featureViewsPage() {
  const catalog = await loadCatalog();
  const views = catalog.objects.filter(o => o.kind === 'feature_view');
  return h('div', {}, h('h1', {}, 'Feature views'),
    table(['feature view', 'entity', 'source', 'features', 'online', 'description'], views.map(v => [
      h('a', { href: `#/feature-views/${encodeURIComponent(v.name)}` }, v.name), v.spec.entity, v.spec.source,
      (v.spec.features || []).length, v.spec.online ? 'yes' : 'no', v.spec.description || ''])));
}

export async function featureViewPage(name) {
  const catalog = await loadCatalog();
  const view = catalog.objects.find(o => o.kind === 'feature_view' && o.name === name);
  if (!view) return problemBox({ problem: { title: 'Not found', detail: `there is no feature view '${name}' in the catalog` } });
  const s = view.spec;
  const entity = catalog.objects.find(o => o.kind === 'entity' && o.name === s.entity);
  const keys = entity ? entity.spec.keys || [] : [];
  const features = table(['feature', 'from', 'aggregation', 'window', 'filter', 'type'], (s.features || []).map(f => [
    f.name, f.expr ? `derived: ${f.expr}` : (f.column || '(rows)'), f.aggregation || '', f.window || '', f.filter || '', f.type || '']));

  const parts = [
    h('p', {}, h('a', { href: '#/feature-views' }, 'Feature views'), ' / ', name),
    h('h1', {}, name), h('p', {}, s.description || ''),
    h('p', { class: 'muted' }, `Entity ${s.entity} (${keys.join(', ')}) · source `,
      h('a', { href: `#/catalog/source/${encodeURIComponent(s.source)}` }, s.source), s.ttl ? ` · ttl ${s.ttl}` : '', ' · ',
      h('a', { href: `#/catalog/feature_view/${encodeURIComponent(name)}` }, 'definition'), ' · ',
      h('a', { href: `#/lineage?focus=feature_view:${encodeURIComponent(name)}` }, 'lineage')),
    h('h2', {}, 'Features'), features];
  parts.push(trainingSetPreview(name, s, keys));
  if (!s.online) {
    parts.push(h('p', { class: 'muted' }, 'Offline only: set online: true to materialize it and look it up online.'));
    return h('div', {}, parts);
  }
  const { jobs } = await get('/jobs');
  const runs = jobs.flatMap(j => (j.runs || []).filter(r => r.feature_view === name).map(r => ({ ...r, job: j })));
  const last = runs.find(r => r.state === 'succeeded');
  parts.push(h('h2', {}, 'Online state'), h('div', { class: 'card', id: 'online-state' }, last
    ? `Materialized as of ${when(last.as_of)}: ${fmt(last.rows)} rows, version ${last.version}, ${last.mode} run of job ${last.job.id.slice(0, 8)}.`
    : 'No materialization since the server started (jobs are kept in memory).'));

  const checkOut = h('div', { id: 'consistency' });
  const check = h('button', { class: 'secondary', id: 'check-consistency' }, 'Check consistency');
  check.addEventListener('click', () => busy(check, checkOut, async () => {
    const r = await get(`/feature-views/${encodeURIComponent(name)}/consistency?sample=100`);
    checkOut.replaceChildren(h('p', {}, `${fmt(r.sampled)} keys sampled as of ${when(r.as_of)}: ${fmt(r.mismatched_keys)} mismatched (${pct(r.mismatch_rate)}).`),
      r.mismatches && r.mismatches.length ? h('pre', {}, JSON.stringify(r.mismatches.slice(0, 10), null, 2)) : '');
  }));
  parts.push(h('div', { class: 'row' }, check, h('span', { class: 'muted' }, 'Compares online values with the offline store for a sample of keys.')), checkOut);

  const lookupOut = h('div', { id: 'lookup-result' });
  const inputs = keys.map(k => h('input', { 'data-key': k, placeholder: `${k}, comma separated` }));
  const lookup = h('button', { id: 'lookup' }, 'Look up');
  lookup.addEventListener('click', () => busy(lookup, lookupOut, async () => {
    const entities = {};
    inputs.forEach(i => { entities[i.dataset.key] = i.value.split(',').map(v => v.trim()).filter(Boolean); });
    const answer = await post('/online/features', { features: (s.features || []).map(f => `${name}:${f.name}`), entities });
    lookupOut.replaceChildren(h('pre', {}, JSON.stringify(answer, null, 2)));
  }));
  parts.push(h('h2', {}, 'Online lookup'), h('div', { class: 'card row' }, inputs.map(i => h('label', {}, i.dataset.key, i)), lookup), lookupOut);
  parts.push(await jobsPage([name]));
  return h('div', {}, parts);
}

/** RFC 4180 CSV, as the training-set endpoint answers it. */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else if (c !== '\r') cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** A few entity rows at one time, joined point-in-time with the view's features (POST /training-sets). */
function trainingSetPreview(name, spec, keys) {
  const inputs = keys.map(k => h('input', { 'data-key': k, class: 'ts-key', placeholder: `${k}, comma separated` }));
  const at = h('input', { id: 'ts-at', type: 'datetime-local', step: 60, value: '2026-02-20T12:00' });
  const out = h('div', { id: 'training-set' });
  const go = h('button', { id: 'ts-preview' }, 'Preview');
  go.addEventListener('click', () => busy(go, out, async () => {
    const entities = {};
    let n = 0;
    inputs.forEach(i => {
      entities[i.dataset.key] = i.value.split(',').map(v => v.trim()).filter(Boolean);
      n = Math.max(n, entities[i.dataset.key].length);
    });
    entities.event_timestamp = new Array(n).fill(new Date(at.value + 'Z').toISOString());
    const text = await api('POST', '/training-sets', { features: (spec.features || []).map(f => `${name}:${f.name}`), entities },
      { accept: 'text/csv' });
    const [columns, ...rows] = parseCsv(text);
    out.replaceChildren(table(columns, rows));
  }));
  return h('div', {}, h('h2', {}, 'Training-set preview'),
    h('p', { class: 'muted' }, 'Each row gets the feature values as they were at its time, never later ones.'),
    h('div', { class: 'card row' }, inputs.map(i => h('label', {}, i.dataset.key, i)), h('label', {}, 'At (UTC)', at), go), out);
}
