/*
 * history.js - the episode store: stored episodes with filters (family, task,
 * since) and pagination, per-task means as a table and a bar chart, and export
 * links (JSON lines, CSV) carrying the current filters.
 *
 * Design: the filters live in a module-level object (they survive navigating
 * away and back); pages are walked with the store's cursor: `before` = the
 * previous answer's next_before, with a stack of the cursors used so "Newer"
 * goes back exactly. Everything reloads from the server when a filter changes.
 */
import { api } from './api.js';
import { h, clear, errorBox, note, badge, num, when, duration, outcomeBadge, table, field, select } from './ui.js';
import { bars } from './charts.js';

const filters = { family: '', task: '', since: '', limit: 25 };
const PAGE_SIZES = [10, 25, 50, 100, 200];

function sinceSeconds() {
	if (!filters.since) return '';
	const t = new Date(filters.since).getTime();
	return Number.isFinite(t) ? Math.floor(t / 1000) : '';
}

function query(extra) {
	return { family: filters.family, task: filters.task, since: sinceSeconds(), ...extra };
}

export function mount(root) {
	let alive = true;
	let cursors = [null];   // the `before` of each page shown so far
	const tableBox = h('div', { 'data-testid': 'history-table-box' }, note('Loading…'));
	const meansBox = h('div', { 'data-testid': 'means-box' }, note('Loading…'));
	const pager = h('div', { class: 'row pager' });
	const exports = h('div', { class: 'row', 'data-testid': 'exports' });

	const fam = select([['', 'any family'], 'code_review', 'pr_review'], filters.family, { 'data-testid': 'filter-family' });
	const task = h('select', { 'data-testid': 'filter-task' }, h('option', { value: '' }, 'any task'));
	const since = h('input', { type: 'datetime-local', value: filters.since, 'data-testid': 'filter-since' });
	const size = select(PAGE_SIZES.map((n) => [String(n), `${n} per page`]), String(filters.limit), { 'data-testid': 'filter-limit' });
	const apply = () => {
		filters.family = fam.value;
		filters.task = task.value;
		filters.since = since.value;
		filters.limit = Number(size.value);
		cursors = [null];
		load();
	};
	for (const el of [fam, task, since, size]) el.addEventListener('change', apply);
	const reset = h('button', { type: 'button', 'data-testid': 'filter-clear', onclick: () => {
		fam.value = ''; task.value = ''; since.value = ''; apply();
	} }, 'Clear filters');

	clear(root,
		h('div', { class: 'page-head' }, h('h2', null, 'History'), h('span', { class: 'muted' }, 'Every episode the store recorded.')),
		h('div', { class: 'panel row' }, field('Family', fam), field('Task', task), field('Started since', since), field('Page', size), reset),
		exports, tableBox, pager,
		h('h3', null, 'Per-task means'), meansBox);

	api.tasks().then((reg) => {
		if (!alive) return;
		for (const t of reg.tasks || [])
			task.appendChild(h('option', { value: t.id, selected: t.id === filters.task }, `${t.id} (${t.family})`));
	}).catch((e) => {
		if (alive) task.after(errorBox(e));
	});

	function renderExports() {
		const q = query({ limit: 10000 });
		clear(exports, h('span', { class: 'muted' }, 'Export with these filters:'),
			h('a', { class: 'button', href: api.exportUrl({ ...q, format: 'jsonl' }), download: 'reviewgym-episodes.jsonl', 'data-testid': 'export-jsonl' }, 'JSON lines'),
			h('a', { class: 'button', href: api.exportUrl({ ...q, format: 'csv' }), download: 'reviewgym-episodes.csv', 'data-testid': 'export-csv' }, 'CSV'));
	}

	async function loadPage() {
		const before = cursors[cursors.length - 1];
		clear(tableBox, note('Loading…'));
		clear(pager);
		let r;
		try {
			r = await api.episodes(query({ before, limit: filters.limit }));
		} catch (e) {
			if (alive) clear(tableBox, errorBox(e, 'history-error'));
			return;
		}
		if (!alive) return;
		const eps = r.episodes || [];
		clear(tableBox, eps.length ? table(
			['id', 'episode id', 'family', 'tasks', 'client', 'started', 'duration', 'steps', 'task scores', 'score', 'status'],
			eps.map((e) => h('tr', { 'data-testid': 'history-row', 'data-episode-id': e.episode_id },
				h('td', null, h('a', { href: `#/replay/${e.id}`, 'data-testid': 'history-replay-link' }, `#${e.id}`)),
				h('td', { title: e.episode_id, class: 'mono clip id' }, e.episode_id),
				h('td', null, e.family),
				h('td', { class: 'clip', title: (e.task_ids || []).join(', ') }, (e.task_ids || []).join(', ')),
				h('td', null, e.client || ''),
				h('td', null, when(e.started_at)),
				h('td', null, e.ended_at ? duration(e.ended_at - e.started_at) : '–'),
				h('td', null, e.steps),
				h('td', null, e.task_scores ? e.task_scores.map((x) => num(x)).join(' · ') : '–'),
				h('td', { 'data-testid': 'history-score' }, num(e.episode_score)),
				h('td', null, e.done ? (outcomeBadge(e.success, e.outcome) || badge('done')) : badge('running')))),
			{ 'data-testid': 'history-table' }) : note(cursors.length > 1 ? 'No older episodes.' : 'No stored episode matches these filters.'));
		clear(pager,
			h('button', { type: 'button', 'data-testid': 'page-newer', disabled: cursors.length <= 1,
				onclick: () => { cursors.pop(); loadPage(); } }, '← Newer'),
			h('span', { class: 'muted', 'data-testid': 'page-number' }, `page ${cursors.length}`),
			h('button', { type: 'button', 'data-testid': 'page-older', disabled: r.next_before === null || r.next_before === undefined,
				onclick: () => { cursors.push(r.next_before); loadPage(); } }, 'Older →'));
	}

	async function loadMeans() {
		clear(meansBox, note('Loading…'));
		let r;
		try {
			r = await api.means({ family: filters.family, since: sinceSeconds() });
		} catch (e) {
			if (alive) clear(meansBox, errorBox(e, 'means-error'));
			return;
		}
		if (!alive) return;
		const rows = (r.tasks || []).filter((t) => !filters.task || t.task_id === filters.task);
		if (!rows.length) {
			clear(meansBox, note('No stored step matches these filters.'));
			return;
		}
		clear(meansBox, h('div', { class: 'split' },
			h('div', { class: 'col-code' }, table(['task', 'family', 'episodes', 'steps', 'mean reward', 'mean task score'],
				rows.map((t) => h('tr', { 'data-testid': 'means-row' },
					h('td', null, t.task_id), h('td', null, t.family), h('td', null, t.episodes), h('td', null, t.steps),
					h('td', null, num(t.mean_reward)), h('td', null, num(t.mean_task_score)))), { 'data-testid': 'means-table' })),
			h('div', { class: 'col-side' }, h('div', { class: 'muted small' }, 'mean task score per task'),
				bars(rows.map((t) => ({ label: t.task_id, value: t.mean_task_score, note: `(${t.episodes} episodes)` })), { testid: 'means-chart', valueLabel: 'mean task score' }))));
	}

	function load() {
		renderExports();
		loadPage();
		loadMeans();
	}
	load();
	return () => { alive = false; };
}
