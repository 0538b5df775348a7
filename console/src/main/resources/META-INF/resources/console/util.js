// Small DOM and text helpers shared by the pages.

/** Builds an element: h('a', {href: '#/x', class: 'y', onclick}, 'text', child, [children]). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'value') el.value = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  const add = c => {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) c.forEach(add);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  };
  children.forEach(add);
  return el;
}

/** A problem+json error as the user should read it: its title and its detail, never a blank page. */
export function problemBox(error) {
  const p = error && error.problem ? error.problem : { title: 'Error', detail: String(error && error.message || error) };
  return h('div', { class: 'problem', role: 'alert' }, h('b', {}, p.title || 'Error'), p.detail || '');
}

/** Runs `work` with `button` showing progress (elapsed seconds) and `out` receiving a problem on failure. */
export async function busy(button, out, work) {
  const label = button.textContent;
  const started = Date.now();
  button.disabled = true;
  button.classList.add('busy');
  const tick = setInterval(() => { button.textContent = `${label} (${Math.round((Date.now() - started) / 1000)} s)`; }, 1000);
  try {
    return await work();
  } catch (e) {
    if (out) out.replaceChildren(problemBox(e));
    return undefined;
  } finally {
    clearInterval(tick);
    button.disabled = false;
    button.classList.remove('busy');
    button.textContent = label;
  }
}

export function fmt(value, digits = 4) {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return value.toLocaleString('en-US');
    return Math.abs(value) >= 1000 ? value.toLocaleString('en-US', { maximumFractionDigits: 2 })
      : Number(value.toPrecision(digits)).toString();
  }
  return String(value);
}

export const pct = (v, digits = 1) => v === null || v === undefined ? '–' : `${(v * 100).toFixed(digits)}%`;

export function when(iso) {
  if (!iso) return '–';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** JSON as YAML, in the shape the catalog's own YAML uses, for definitions and their versions. */
export function toYaml(value, indent = '') {
  const scalar = v => {
    if (v === null) return 'null';
    if (typeof v !== 'string') return String(v);
    return /^[\w./-]+$/.test(v) && !/^(true|false|null|yes|no|\d.*)$/i.test(v) ? v : JSON.stringify(v);
  };
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(v => v === null || typeof v !== 'object')) return `[${value.map(scalar).join(', ')}]`;
    return value.map(v => {
      const inner = toYaml(v, indent + '  ');
      return `\n${indent}- ${inner.trimStart()}`;
    }).join('');
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{}';
    return keys.map(k => {
      const v = value[k];
      const complex = v && typeof v === 'object' && !(Array.isArray(v) && v.every(x => x === null || typeof x !== 'object'))
        && Object.keys(v).length > 0;
      return `\n${indent}${k}:${complex ? toYaml(v, indent + '  ') : ' ' + toYaml(v, indent + '  ')}`;
    }).join('');
  }
  return scalar(value);
}

/** The definition's own order: kind and name first, the rest as stored. */
export function definitionYaml(spec) {
  const { kind, name, ...rest } = spec || {};
  return toYaml({ kind, name, ...rest }).trimStart() + '\n';
}

/** A line diff (longest common subsequence); lines are {op: ' ' | '+' | '-', text}. */
export function lineDiff(before, after) {
  const a = before.split('\n'), b = after.split('\n');
  const n = a.length, m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
    lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out = [];
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push({ op: ' ', text: a[i] }); i++; j++; }
    else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ op: '-', text: a[i++] });
    else out.push({ op: '+', text: b[j++] });
  }
  while (i < n) out.push({ op: '-', text: a[i++] });
  while (j < m) out.push({ op: '+', text: b[j++] });
  return out;
}

export function csv(columns, rows) {
  const cell = v => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.map(cell).join(','), ...rows.map(r => r.map(cell).join(','))].join('\n') + '\n';
}

export function download(filename, text, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A chart that follows its container's width (laptop and phone). */
export function chart(el) {
  const c = echarts.init(el);
  const observer = new ResizeObserver(() => c.resize());
  observer.observe(el);
  return c;
}

/** The route's query: #/metrics?m=a,b&grain=day. */
export function params(query) {
  return new URLSearchParams(query || '');
}

export function table(columns, rows, { numeric = [] } = {}) {
  return h('div', { class: 'scroll' }, h('table', {},
    h('thead', {}, h('tr', {}, columns.map((c, i) => h('th', { class: numeric.includes(i) ? 'num' : null }, c)))),
    h('tbody', {}, rows.map(r => h('tr', {}, r.map((v, i) => h('td', { class: numeric.includes(i) ? 'num' : null },
      v instanceof Node ? v : fmt(v))))))));
}

export const stateBadge = state => h('span', { class: `state state-${state || 'none'}`, 'data-state': state || '' },
  state || 'not run');
