/*
 * api.js - every request the dashboard makes goes through here.
 *
 * Design: the dashboard is served at <root>/web/ (root is "" locally and a path
 * prefix behind a proxy such as a Hugging Face Space), so the server root is
 * whatever precedes "/web" in location.pathname and every URL is built from it;
 * nothing is absolute, nothing leaves the server's origin. Failures become an
 * ApiError whose message is the server's own `detail` (a string, or FastAPI's
 * list of {loc, msg}), so views can show exactly what the server said.
 * Large integers (seeds are 64-bit) are kept as strings when JSON numbers would
 * lose precision, using JSON.parse's source text where the browser offers it.
 */

export const ROOT = (() => {
	const p = location.pathname;
	const i = p.lastIndexOf('/web');
	return i >= 0 ? p.slice(0, i) : p.replace(/\/[^/]*$/, '');
})();

/* URL of a server route ("/api/stats") with optional query parameters; empty
 * and null parameters are left out. */
export function url(path, query) {
	let u = ROOT + path;
	if (query) {
		const q = new URLSearchParams();
		for (const [k, v] of Object.entries(query))
			if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
		const s = q.toString();
		if (s) u += '?' + s;
	}
	return u;
}

export function wsUrl(path) {
	const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
	return proto + '//' + location.host + ROOT + path;
}

export class ApiError extends Error {
	constructor(status, message, detail) {
		super(message);
		this.status = status;
		this.detail = detail;
	}
}

/* One readable line per FastAPI validation entry, or the detail string. */
export function detailText(detail) {
	if (detail == null) return '';
	if (typeof detail === 'string') return detail;
	if (Array.isArray(detail))
		return detail.map((d) => {
			if (!d || typeof d !== 'object') return String(d);
			const loc = Array.isArray(d.loc) ? d.loc.join('.') : '';
			const msg = d.msg || d.message || JSON.stringify(d);
			return loc && !msg.includes(String(d.loc[d.loc.length - 1])) ? `${loc}: ${msg}` : msg;
		}).join('\n');
	return JSON.stringify(detail);
}

function bigSafe(key, value, ctx) {
	if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value) &&
	    ctx && typeof ctx.source === 'string')
		return ctx.source;
	return value;
}

/* JSON text of a value; BigInt values (64-bit seeds) become bare JSON integers. */
export function toJson(value, indent) {
	return JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? `@@bigint:${v}@@` : v), indent)
		.replace(/"@@bigint:(\d+)@@"/g, '$1');
}

export function parseJson(text) {
	return JSON.parse(text, bigSafe);
}

async function request(method, path, { query, body } = {}) {
	const init = { method, headers: {} };
	if (body !== undefined) {
		init.headers['Content-Type'] = 'application/json';
		init.body = toJson(body);
	}
	let res;
	try {
		res = await fetch(url(path, query), init);
	} catch (e) {
		throw new ApiError(0, `cannot reach the server (${e.message})`, null);
	}
	const text = await res.text();
	let data = null;
	try {
		data = text ? parseJson(text) : null;
	} catch (e) {
		data = null;
	}
	if (!res.ok) {
		const detail = data && typeof data === 'object' && 'detail' in data ? data.detail : null;
		const msg = detail != null ? detailText(detail) : (text.trim() || res.statusText);
		throw new ApiError(res.status, `HTTP ${res.status}: ${msg}`, detail);
	}
	if (data === null && text)
		throw new ApiError(res.status, `the server answered something that is not JSON: ${text.slice(0, 200)}`, null);
	return data;
}

export const get = (path, query) => request('GET', path, { query });
export const post = (path, body) => request('POST', path, { body });

/* The OpenEnv and dashboard routes the views use. */
export const api = {
	config: () => get('/api/config'),
	stats: () => get('/api/stats'),
	episodes: (q) => get('/api/episodes', q),
	episode: (id) => get('/api/episodes/' + encodeURIComponent(id)),
	means: (q) => get('/api/tasks/means', q),
	tasks: () => get('/tasks'),
	schema: (family) => get('/schema', { family }),
	reset: (body) => post('/reset', body),
	step: (episodeId, action) => post('/step', { action, episode_id: episodeId }),
	state: (episodeId) => get('/state', { episode_id: episodeId }),
	diff: (body) => post('/diff', body),
	custom: (body) => post('/config/custom', body),
	customReview: (body) => post('/api/custom/review', body),
	exportUrl: (q) => url('/api/export', q),
};

/* Issue types the environment accepts, from its own schema (cached). */
let issueTypes = null;
export async function getIssueTypes() {
	if (issueTypes) return issueTypes;
	const s = await api.schema('code_review');
	const find = (o) => {
		if (!o || typeof o !== 'object') return null;
		if (o.properties && o.properties.issue_type && Array.isArray(o.properties.issue_type.enum))
			return o.properties.issue_type.enum;
		for (const v of Object.values(o)) {
			const r = find(v);
			if (r) return r;
		}
		return null;
	};
	issueTypes = find(s.action) || find(s);
	if (!issueTypes) throw new ApiError(0, 'GET /schema has no issue_type enum', null);
	return issueTypes;
}

/* The store id of an episode_id, looked up in the newest episodes; the store
 * writes asynchronously, so a just-finished episode may take a moment. */
export async function findStoredEpisode(episodeId, { tries = 6, delayMs = 300 } = {}) {
	for (let i = 0; i < tries; i++) {
		const r = await api.episodes({ limit: 200 });
		const hit = (r.episodes || []).find((e) => e.episode_id === episodeId);
		if (hit) return hit;
		await new Promise((ok) => setTimeout(ok, delayMs));
	}
	return null;
}
