// Catalog: every object by kind, searchable by name and tag; one object's YAML, versions, diff and audit.
import { get } from '../api.js';
import { definitionYaml, h, lineDiff, problemBox, table, when } from '../util.js';

export const KINDS = ['entity', 'source', 'feature_view', 'metric', 'monitor', 'experiment'];

/** Where an object lives in the console: its own page where it has one, else its catalog entry. */
export function objectHref(kind, name) {
  const n = encodeURIComponent(name);
  switch (kind) {
    case 'metric': return `#/metrics?m=${n}`;
    case 'monitor': return `#/monitors/${n}`;
    case 'experiment': return `#/experiments/${n}`;
    case 'feature_view': return `#/feature-views/${n}`;
    default: return `#/catalog/${kind}/${n}`;
  }
}

export async function loadCatalog() {
  const answer = await get('/catalog');
  const objects = [];
  for (const [kind, list] of Object.entries(answer.objects)) list.forEach(o => objects.push({ ...o, kind }));
  return { version: answer.catalog_version, objects };
}

function matches(object, text) {
  if (!text) return true;
  return text.toLowerCase().split(/\s+/).filter(Boolean).every(term => {
    const tags = object.spec.tags || {};
    if (term.includes(':')) {
      const [k, v] = term.split(':', 2);
      return Object.entries(tags).some(([tk, tv]) => tk.toLowerCase() === k && String(tv).toLowerCase().includes(v));
    }
    return object.name.toLowerCase().includes(term)
      || Object.entries(tags).some(([tk, tv]) => tk.toLowerCase().includes(term) || String(tv).toLowerCase().includes(term));
  });
}

export async function catalogPage(query) {
  const [catalog, changes] = await Promise.all([loadCatalog(), get('/catalog/history?limit=20')]);
  const search = h('input', { id: 'catalog-search', type: 'search', placeholder: 'name, tag or tag:value',
    value: query.get('q') || '' });
  const kind = h('select', { id: 'catalog-kind' }, h('option', { value: '' }, 'every kind'),
    KINDS.map(k => h('option', { value: k, selected: query.get('kind') === k }, k)));
  const list = h('div', { id: 'catalog-list' });
  const refresh = () => {
    const shown = catalog.objects.filter(o => (!kind.value || o.kind === kind.value) && matches(o, search.value.trim()));
    const q = new URLSearchParams();
    if (search.value.trim()) q.set('q', search.value.trim());
    if (kind.value) q.set('kind', kind.value);
    window.history.replaceState(null, '', `#/catalog${q.toString() ? '?' + q : ''}`);
    list.replaceChildren(shown.length === 0 ? h('p', { class: 'muted' }, 'Nothing matches.')
      : table(['kind', 'name', 'description', 'tags', 'version', 'updated'], shown.map(o => [
        o.kind,
        h('a', { href: `#/catalog/${o.kind}/${encodeURIComponent(o.name)}`, class: 'object-link' }, o.name),
        o.spec.description || '',
        h('span', {}, Object.entries(o.spec.tags || {}).map(([k, v]) => h('span', { class: 'tag' }, `${k}: ${v}`))),
        o.version, when(o.updated_at)])));
  };
  search.addEventListener('input', refresh);
  kind.addEventListener('change', refresh);
  refresh();
  return h('div', {},
    h('h1', {}, 'Catalog ', h('span', { class: 'muted' }, `version ${catalog.version} · ${catalog.objects.length} objects`)),
    h('div', { class: 'card row' }, h('label', {}, 'Search', search), h('label', {}, 'Kind', kind)),
    list,
    h('h2', {}, 'Recent changes'),
    table(["when", "who", "change", "object", "version"], changes.changes.map(c => [when(c.changed_at), c.changed_by,
      c.change, h('a', { href: `#/catalog/${c.kind}/${encodeURIComponent(c.name)}` }, `${c.kind} ${c.name}`), c.version])));
}

export async function objectPage(kind, name, query) {
  const path = `/catalog/${kind}/${encodeURIComponent(name)}`;
  const [object, versions] = await Promise.all([get(path), get(`${path}/versions`)]);
  const all = versions.versions;
  const tab = query.get('tab') || 'definition';
  const link = (id, label) => h('a', { href: `#/catalog/${kind}/${encodeURIComponent(name)}?tab=${id}`,
    class: tab === id ? 'active' : null, id: `tab-${id}` }, label);
  let body;
  if (tab === 'versions') {
    const pick = (id, index) => h('select', { id }, all.map((v, i) => h('option', { value: i, selected: i === index },
      `v${v.version} · ${v.change} · ${when(v.changed_at)}`)));
    const from = pick('diff-from', Math.max(0, all.length - 2));
    const to = pick('diff-to', all.length - 1);
    const out = h('div', { class: 'diff', id: 'diff' });
    const show = () => {
      const a = all[from.value], b = all[to.value];
      const lines = lineDiff(a.spec ? definitionYaml(a.spec) : '', b.spec ? definitionYaml(b.spec) : '');
      out.replaceChildren(...lines.map(l => h('div', { class: l.op === '+' ? 'add' : l.op === '-' ? 'del' : null },
        `${l.op} ${l.text}`)));
    };
    from.addEventListener('change', show);
    to.addEventListener('change', show);
    show();
    body = h('div', {},
      table(['version', 'catalog version', 'change', 'who', 'when'], all.slice().reverse().map(v => [`v${v.version}`,
        v.catalog_version, v.change, v.changed_by, when(v.changed_at)])),
      h('h2', {}, 'Diff between two versions'),
      h('div', { class: 'row' }, h('label', {}, 'From', from), h('label', {}, 'To', to)), out);
  } else {
    let yaml;
    try {
      yaml = await get(path, { accept: 'application/yaml' });
    } catch (e) {
      yaml = definitionYaml(object.spec);
    }
    body = h('pre', { id: 'definition' }, yaml);
  }
  const last = all[all.length - 1];
  return h('div', {},
    h('p', {}, h('a', { href: '#/catalog' }, 'Catalog'), ` / ${kind}`),
    h('h1', {}, name, ' ', h('span', { class: 'muted' }, `${kind} · v${object.version}`)),
    object.spec.description ? h('p', {}, object.spec.description) : '',
    h('p', { class: 'muted' }, last ? `Last ${last.change} by ${last.changed_by} at ${when(last.changed_at)}. ` : '',
      h('a', { href: `#/lineage?focus=${kind}:${encodeURIComponent(name)}` }, 'Lineage'),
      ['metric', 'monitor', 'experiment', 'feature_view'].includes(kind)
        ? [' · ', h('a', { href: objectHref(kind, name) }, `Open the ${kind.replace('_', ' ')}`)] : ''),
    h('div', { class: 'tabs' }, link('definition', 'Definition (YAML)'), link('versions', `Versions (${all.length})`)),
    body);
}

export { problemBox };
