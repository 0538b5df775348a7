// The console's shell: who is logged in, the menu their role allows, and hash routes (#/page/...?query).
import { ApiError, get, session } from './api.js';
import { h, problemBox } from './util.js';
import { catalogPage, objectPage } from './pages/catalog.js';
import { lineagePage } from './pages/lineage.js';
import { metricsPage } from './pages/metrics.js';
import { experimentsPage, experimentPage } from './pages/experiments.js';
import { monitorsPage, monitorPage } from './pages/monitors.js';
import { featureViewsPage, featureViewPage } from './pages/featureviews.js';
import { jobsPage } from './pages/jobs.js';

const view = document.getElementById('view');
let generation = 0;

const routes = [
  [/^catalog$/, (m, q) => catalogPage(q)],
  [/^catalog\/([a-z_]+)\/([^/]+)$/, (m, q) => objectPage(m[1], decodeURIComponent(m[2]), q)],
  [/^lineage$/, (m, q) => lineagePage(q)],
  [/^metrics$/, (m, q) => metricsPage(q)],
  [/^experiments$/, () => experimentsPage()],
  [/^experiments\/([^/]+)$/, m => experimentPage(decodeURIComponent(m[1]))],
  [/^monitors$/, () => monitorsPage()],
  [/^monitors\/([^/]+)$/, m => monitorPage(decodeURIComponent(m[1]))],
  [/^feature-views$/, () => featureViewsPage()],
  [/^feature-views\/([^/]+)$/, m => featureViewPage(decodeURIComponent(m[1]))],
  [/^jobs$/, () => jobsPage()],
];

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query] = hash.split('?');
  return { path: path || 'catalog', query: new URLSearchParams(query || '') };
}

async function learnWhoIAm() {
  try {
    session.me = await get('/keys/me');
  } catch (e) {
    session.me = null;
    if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 403)) throw e;
  }
  const who = document.getElementById('who');
  who.replaceChildren();
  if (session.me) {
    who.append(h('span', { id: 'whoami' }, `${session.me.name} · ${session.me.role}`),
      session.me.protected_mode ? h('span', { title: 'The server has no API key yet and serves its own machine without one' }, ' · this machine, no key') : '',
      ' ', h('a', { href: '#/login', id: 'logout', onclick: () => session.setKey(null) }, 'Sign out'));
  }
}

function loginPage(reason) {
  const input = h('input', { id: 'key', type: 'password', placeholder: 'fk_…', autocomplete: 'off' });
  const out = h('div', { id: 'login-problem' });
  const submit = async event => {
    event.preventDefault();
    out.replaceChildren();
    try {
      const me = await get('/keys/me', { key: input.value.trim() });
      session.setKey(input.value.trim());
      session.me = me;
      await learnWhoIAm();
      location.hash = '#/catalog';
    } catch (e) {
      out.replaceChildren(problemBox(e));
    }
  };
  const local = h('p', {}, h('a', { href: '#/catalog', id: 'no-key' }, 'Continue without a key'),
    h('span', { class: 'muted' }, ' (a server with no key yet serves its own machine, as in the README\'s first command)'));
  return h('div', { class: 'card login' },
    h('h1', {}, 'Sign in to Fletcher'),
    reason ? problemBox(reason) : '',
    h('form', { onsubmit: submit },
      h('label', {}, 'API key', input),
      h('p', { class: 'muted' }, 'The key stays in this browser tab only (session storage) and is sent with every call.'),
      h('button', { type: 'submit', id: 'sign-in' }, 'Sign in')),
    out, local);
}

async function render() {
  const mine = ++generation;
  const { path, query } = parseHash();
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', path.startsWith(a.dataset.page)));
  document.getElementById('nav').classList.remove('open');
  if (path === 'login') {
    session.setKey(null);
    session.me = null;
    document.getElementById('who').replaceChildren();
    view.replaceChildren(loginPage());
    return;
  }
  try {
    if (!session.me) await learnWhoIAm();
    if (!session.me) {
      view.replaceChildren(loginPage());
      return;
    }
    const route = routes.find(([pattern]) => pattern.test(path));
    const page = route ? await route[1](path.match(route[0]), query)
      : h('div', {}, problemBox({ problem: { title: 'Not found', detail: `no console page '${path}'` } }));
    if (mine === generation) view.replaceChildren(page);
  } catch (e) {
    if (mine !== generation) return;
    if (e instanceof ApiError && e.status === 401) {
      session.me = null;
      view.replaceChildren(loginPage(e));
    } else {
      view.replaceChildren(problemBox(e));
    }
  }
}

window.addEventListener('hashchange', render);
window.addEventListener('error', e => view.append(problemBox({ problem: { title: 'Console error', detail: e.message } })));
window.addEventListener('unhandledrejection', e => view.append(problemBox(e.reason)));
document.getElementById('menu').addEventListener('click', () => document.getElementById('nav').classList.toggle('open'));
render();
