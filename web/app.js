/*
 * app.js - the dashboard's entry point: hash routing between the five views.
 *
 * Design: a route is "#/<view>/<arg>" (#/overview, #/play, #/play/<task_id>,
 * #/replay, #/replay/<id>, #/custom, #/history). Each view module exports
 * mount(container, arg, ctx) and returns a cleanup function; the router calls
 * the cleanup before mounting the next view, so timers, WebSockets and pending
 * work never outlive the screen that started them. ctx carries what every view
 * may need once: the server's /api/config (or the error fetching it).
 */
import { api } from './api.js';
import { h, clear, errorBox } from './ui.js';
import * as overview from './overview.js';
import * as play from './play.js';
import * as replay from './replay.js';
import * as custom from './custom.js';
import * as history from './history.js';

const views = { overview, play, replay, custom, history };
const view = document.getElementById('view');
const ctx = { config: null, configError: null };
let cleanup = null;
let seq = 0;

async function loadConfig() {
	const info = document.querySelector('[data-testid="server-info"]');
	try {
		ctx.config = await api.config();
		ctx.configError = null;
		clear(info, `v${ctx.config.version}`, ' · store ',
			ctx.config.store ? 'on' : 'off', ' · model calls ',
			ctx.config.allow_model_calls ? 'allowed' : 'off');
	} catch (e) {
		ctx.configError = e;
		clear(info, h('span', { class: 'bad-text' }, 'config unavailable'));
	}
}

function parse() {
	const m = /^#\/([a-z]+)(?:\/(.*))?$/.exec(location.hash);
	if (!m || !views[m[1]]) return { name: 'overview', arg: null };
	return { name: m[1], arg: m[2] ? decodeURIComponent(m[2]) : null };
}

function route() {
	const { name, arg } = parse();
	if (cleanup) {
		try {
			cleanup();
		} catch (e) {
			/* a view failing to clean up must not block the next one */
		}
		cleanup = null;
	}
	for (const a of document.querySelectorAll('nav a'))
		a.classList.toggle('active', a.dataset.route === name);
	const mine = ++seq;
	const box = h('section', { class: `page page-${name}`, 'data-testid': `page-${name}` });
	clear(view, box);
	try {
		const c = views[name].mount(box, arg, ctx);
		cleanup = typeof c === 'function' ? c : null;
	} catch (e) {
		if (mine === seq) box.appendChild(errorBox(e));
	}
}

window.addEventListener('hashchange', route);
loadConfig().then(route);
