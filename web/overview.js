/*
 * overview.js - the live view of the server: sessions, throughput, reward
 * distributions, store health (polled from /api/stats every 2 s) and the latest
 * steps of every session (pushed over the WebSocket /api/feed).
 *
 * Design: one poll loop (setTimeout chained after each answer, so a slow server
 * never gets overlapping requests) re-renders the stats region from the answer;
 * the feed keeps the newest 50 frames in an array and re-renders its table. The
 * socket reconnects with backoff while the view is mounted; cleanup stops both.
 */
import { api, wsUrl, parseJson } from './api.js';
import { h, clear, errorBox, num, duration, when, badge, note, short } from './ui.js';
import { histogram, series } from './charts.js';

const POLL_MS = 2000;
const FEED_MAX = 50;

function card(title, main, mainId, details) {
	return h('div', { class: 'card' }, h('div', { class: 'card-title' }, title),
		h('div', { class: 'card-main', 'data-testid': mainId }, main),
		details ? h('div', { class: 'card-details' }, details) : null);
}

function small(label, value, id) {
	return h('span', { class: 'mini' }, `${label} `, h('b', { 'data-testid': id }, value));
}

function renderStats(st) {
	const ses = st.sessions || {};
	const byFam = ses.by_family || {};
	const store = st.store || {};
	const feed = st.feed || {};
	const rewards = st.rewards || {};
	const byDiff = rewards.by_difficulty || {};
	const byTask = rewards.by_task || {};
	const diffs = ['easy', 'medium', 'hard'].filter((d) => byDiff[d]);
	const tasks = Object.keys(byTask).sort();
	return [
		h('div', { class: 'cards' },
			card('Live sessions', num(ses.active), 'stat-active', [
				small('ws', num(ses.ws), 'stat-ws'), small('http', num(ses.http), 'stat-http'),
				small('max', num(ses.max)),
				h('div', { class: 'mini-row', 'data-testid': 'stat-by-family' }, Object.entries(byFam).map(([f, n]) => small(f, num(n), `stat-family-${f}`))),
			]),
			card('Throughput', `${num(st.steps_per_s, 2)} steps/s`, 'stat-steps-per-s', [
				small('steps', num(st.steps_total), 'stat-steps-total'),
				small('resets', num(st.resets_total)),
				small('errors', num(st.errors_total), 'stat-errors'),
			]),
			card('Episodes finished', num(st.episodes_finished), 'stat-episodes-finished', [
				small('mean score', num(st.mean_episode_score, 3)),
				small('uptime', duration(st.uptime_s), 'stat-uptime'),
			]),
			card('Store', store.enabled ? badge('recording', 'good') : badge('off', 'bad'), 'stat-store', store.enabled ? [
				small('queued', num(store.queued), 'stat-store-queued'),
				small('written', num(store.written), 'stat-store-written'),
				small('dropped', num(store.dropped), 'stat-store-dropped'),
				'failed' in store ? small('failed', num(store.failed), 'stat-store-failed') : null,
				small('commits', num(store.commits)), small('episodes', num(store.episodes), 'stat-store-episodes'),
				small('max lag', `${num(store.lag_ms_max, 1)} ms`),
			] : note('episodes are not recorded (--no-store)')),
			card('Feed subscribers', num(feed.subscribers), 'stat-feed-subscribers', [
				small('dropped frames', num(feed.dropped), 'stat-feed-dropped'),
			])),
		h('div', { class: 'panel' }, series(st.steps_series, { testid: 'chart-series' })),
		h('h3', null, 'Reward distribution by difficulty'),
		h('div', { class: 'hists', 'data-testid': 'hists-difficulty' },
			diffs.map((d) => histogram(byDiff[d].hist, { label: d, mean: byDiff[d].mean, n: byDiff[d].n, testid: `hist-difficulty-${d}` })),
			rewards.all ? histogram(rewards.all.hist, { label: 'all', mean: rewards.all.mean, n: rewards.all.n, testid: 'hist-all' }) : null),
		h('h3', null, 'Reward distribution by task'),
		tasks.length
			? h('div', { class: 'hists', 'data-testid': 'hists-task' }, tasks.map((t) => {
				const r = byTask[t];
				return h('div', { class: 'hist-wrap' }, histogram(r.hist, { label: t, mean: r.mean, n: r.n, testid: `hist-task-${t}` }),
					h('div', { class: 'muted small' }, [r.family, r.difficulty].filter(Boolean).join(' · ')));
			}))
			: note('No step has been graded since the server started.', 'note') ,
	];
}

function feedRow(d) {
	return h('tr', { 'data-testid': 'feed-row', class: d.error ? 'row-error' : '' },
		h('td', null, when(d.at).slice(11)),
		h('td', null, d.id !== undefined && d.id !== null ? h('a', { href: `#/replay/${d.id}` }, `#${d.id}`) : short(d.episode_id)),
		h('td', null, d.family || ''), h('td', null, d.task_id || ''),
		h('td', null, d.index ?? ''), h('td', { 'data-testid': 'feed-reward' }, d.error ? badge('rejected', 'bad') : num(d.reward)),
		h('td', null, d.done ? 'done' : ''),
		h('td', null, d.done ? [num(d.episode_score), ' ', d.success === true ? badge('success', 'good') : d.success === false ? badge('failure', 'bad') : null] : ''));
}

export function mount(root) {
	let alive = true;
	let timer = null;
	let ws = null;
	let wsTimer = null;
	let backoff = 500;
	const feed = [];

	const updated = h('span', { class: 'muted', 'data-testid': 'stats-updated' });
	const statsBox = h('div', { 'data-testid': 'stats' }, note('Loading /api/stats…'));
	const feedStatus = h('span', { class: 'muted', 'data-testid': 'feed-status' }, 'connecting…');
	const feedBody = h('tbody', { 'data-testid': 'feed-list' });
	clear(root,
		h('div', { class: 'page-head' }, h('h2', null, 'Overview'), updated),
		statsBox,
		h('div', { class: 'page-head' }, h('h3', null, 'Latest steps (live)'), feedStatus),
		h('table', { class: 'grid feed' },
			h('thead', null, h('tr', null, ['time', 'episode', 'family', 'task', 'step', 'reward', '', 'episode score'].map((x) => h('th', null, x)))),
			feedBody));
	renderFeed();

	async function poll() {
		try {
			const st = await api.stats();
			if (!alive) return;
			clear(statsBox, renderStats(st));
			updated.textContent = `updated ${when(Date.now() / 1000).slice(11)}`;
		} catch (e) {
			if (!alive) return;
			clear(statsBox, errorBox(e, 'stats-error'));
		}
		if (alive) timer = setTimeout(poll, POLL_MS);
	}

	function renderFeed() {
		if (!feed.length) clear(feedBody, h('tr', null, h('td', { colspan: 8, class: 'muted' }, 'Waiting for steps from any session…')));
		else clear(feedBody, feed.map(feedRow));
	}

	function connect() {
		if (!alive) return;
		try {
			ws = new WebSocket(wsUrl('/api/feed'));
		} catch (e) {
			feedStatus.textContent = `feed unavailable: ${e.message}`;
			return;
		}
		ws.onopen = () => {
			backoff = 500;
			feedStatus.textContent = 'connected';
			feedStatus.className = 'good-text';
		};
		ws.onmessage = (ev) => {
			let m;
			try {
				m = parseJson(ev.data);
			} catch (e) {
				return;
			}
			if (!m || m.type !== 'step' || !m.data) return;
			feed.unshift(m.data);
			if (feed.length > FEED_MAX) feed.length = FEED_MAX;
			renderFeed();
		};
		ws.onclose = () => {
			if (!alive) return;
			feedStatus.textContent = `disconnected; retrying in ${(backoff / 1000).toFixed(1)} s`;
			feedStatus.className = 'bad-text';
			wsTimer = setTimeout(connect, backoff);
			backoff = Math.min(backoff * 2, 10000);
		};
	}

	poll();
	connect();
	return () => {
		alive = false;
		clearTimeout(timer);
		clearTimeout(wsTimer);
		if (ws) {
			ws.onclose = null;
			ws.close();
		}
	};
}
