// Every call to the server goes through here: the key from the browser session, problem+json turned into errors.
const KEY = 'fletcher.key';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export const session = {
  key() { return sessionStorage.getItem(KEY); },
  setKey(key) { key ? sessionStorage.setItem(KEY, key) : sessionStorage.removeItem(KEY); },
  me: null,
  /** Whether the caller's role reaches `needed` (reader < analyst < admin). */
  may(needed) {
    const order = ['reader', 'analyst', 'admin'];
    return !!session.me && order.indexOf(session.me.role) >= order.indexOf(needed);
  },
};

export async function api(method, path, body, { key = session.key(), accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { title: 'Server unreachable', detail: `the server did not answer (${e.message})` });
  }
  const type = response.headers.get('Content-Type') || '';
  if (!response.ok) {
    let problem = { title: `HTTP ${response.status}`, detail: response.statusText };
    if (type.includes('json')) {
      try { problem = await response.json(); } catch (e) { /* keep the status line */ }
    }
    throw new ApiError(response.status, problem);
  }
  return type.includes('json') ? response.json() : response.text();
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body, options);
