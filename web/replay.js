/*
 * replay.js - a stored episode, step by step (GET /api/episodes/{id}).
 *
 * code_review: each attempt shows the code of its task with the findings drawn
 * on their lines and marked matched / duplicate / unfocused / unmatched (from the
 * breakdown's per-finding verdicts); once the episode is done the store adds the
 * ground truth (`tasks`), and the known issues are drawn too, the missed ones in
 * red. pr_review: the conversation turn by turn, each turn with the diff of the
 * revision the reviewer saw (the observation before the step), the decision,
 * comment and findings, the reward breakdown and the author's reply.
 *
 * Design: the step list is replayed in order, carrying "the observation in front
 * of the reviewer" from initial_observation through each step's observation, so
 * the code or diff a step refers to is exactly what the agent saw even when the
 * step moved the episode to the next task. Without an id the view lists the
 * newest episodes to pick from.
 */
import { api } from './api.js';
import {
	h, clear, errorBox, note, badge, num, when, duration, kv, codeView, diffView, breakdownView,
	withVerdicts, truthIssues, outcomeBadge, table,
} from './ui.js';

export function mount(root, arg) {
	let alive = true;
	const body = h('div', null, note('Loading…'));
	const idInput = h('input', { type: 'text', placeholder: 'store id or episode_id', 'data-testid': 'replay-id', value: arg || '' });
	const open = h('button', { type: 'button', 'data-testid': 'replay-open', onclick: () => {
		if (idInput.value.trim()) location.hash = `#/replay/${encodeURIComponent(idInput.value.trim())}`;
	} }, 'Open');
	idInput.addEventListener('keydown', (e) => { if (e.key === 'Enter') open.click(); });
	clear(root, h('div', { class: 'page-head' }, h('h2', null, arg ? `Replay ${arg}` : 'Replay'),
		h('div', { class: 'row' }, idInput, open, h('a', { href: '#/history' }, 'all episodes in History →'))), body);

	(async () => {
		try {
			if (!arg) {
				const r = await api.episodes({ limit: 20 });
				if (alive) clear(body, episodeList(r.episodes || []));
			} else {
				const ep = await api.episode(arg);
				if (alive) clear(body, renderEpisode(ep));
			}
		} catch (e) {
			if (alive) clear(body, errorBox(e, 'replay-error'));
		}
	})();
	return () => { alive = false; };
}

function episodeList(eps) {
	if (!eps.length) return note('No stored episode yet: play one, or run an agent against this server.');
	return h('div', null, h('h3', null, 'Newest episodes'), table(['id', 'family', 'tasks', 'client', 'started', 'steps', 'score', 'outcome'],
		eps.map((e) => h('tr', null,
			h('td', null, h('a', { href: `#/replay/${e.id}`, 'data-testid': 'replay-row-link' }, `#${e.id}`)),
			h('td', null, e.family), h('td', { class: 'clip' }, (e.task_ids || []).join(', ')), h('td', null, e.client || ''),
			h('td', null, when(e.started_at)), h('td', null, e.steps), h('td', null, num(e.episode_score)),
			h('td', null, e.done ? outcomeBadge(e.success, e.outcome) || 'done' : badge('running')))),
		{ 'data-testid': 'replay-list' }));
}

function header(ep) {
	return h('div', { class: 'panel', 'data-testid': 'replay-header' },
		kv([
			['store id', `#${ep.id}`],
			['episode id', ep.episode_id, 'replay-episode-id'],
			['family', ep.family, 'replay-family'],
			['tasks', (ep.task_ids || []).join(', ')],
			['client', ep.client || '–'],
			['seed', ep.seed ?? '–'],
			['started', when(ep.started_at)],
			['duration', ep.ended_at ? duration(ep.ended_at - ep.started_at) : 'running'],
			['steps', Array.isArray(ep.steps) ? ep.steps.length : ep.steps, 'replay-steps'],
			ep.task_scores ? ['task scores', ep.task_scores.map((x) => num(x)).join(' · ')] : null,
			['episode score', h('b', null, num(ep.episode_score)), 'replay-score'],
			['status', ep.done ? (outcomeBadge(ep.success, ep.outcome) || badge('done')) : badge('running')],
		]),
		ep.params ? h('details', null, h('summary', null, 'reset parameters'), h('pre', { class: 'json' }, JSON.stringify(ep.params, null, 2))) : null,
		!ep.done ? note('The ground truth appears here once the episode is done.') : null);
}

function stepMeta(s) {
	return h('div', { class: 'row spread step-meta' },
		h('span', null, `step ${s.index}`, s.task_id ? [' · ', badge(s.task_id)] : null, ' · ', when(s.at).slice(11)),
		h('span', null, s.error ? badge('rejected', 'bad') : ['reward ', h('b', { 'data-testid': 'step-reward' }, num(s.reward))],
			s.done ? [' ', badge('done')] : null, s.latency_us !== undefined && s.latency_us !== null ? h('span', { class: 'muted' }, ` · ${s.latency_us} µs`) : null));
}

function stepText(s) {
	return [
		s.error ? h('div', { class: 'error', 'data-testid': 'step-error' }, s.error) : null,
		s.feedback ? h('div', { class: 'feedback' }, s.feedback) : null,
		s.warnings && s.warnings.length ? h('ul', { class: 'warnings' }, s.warnings.map((w) => h('li', null, typeof w === 'string' ? w : JSON.stringify(w)))) : null,
	];
}

function actionFindings(s) {
	const src = (s.normalized && s.normalized.findings) || (s.action && Array.isArray(s.action.findings) ? s.action.findings : []);
	return src.map((f) => ({ ...f, line_number: Number(f.line_number) || f.line_number }));
}

function renderEpisode(ep) {
	const steps = ep.steps || [];
	const parts = [header(ep)];
	if (!steps.length) parts.push(note('This episode has no step yet.'));
	else parts.push(ep.family === 'pr_review' ? prSteps(ep) : crSteps(ep));
	return h('div', { 'data-testid': 'replay' }, parts);
}

/* ------------------------------------------------------------ code_review */

function crSteps(ep) {
	const truth = ep.tasks || {};
	let seen = ep.initial_observation || {};
	const codeOf = {};
	const note1 = (o) => { if (o && o.task_id && o.code_to_review !== undefined) codeOf[o.task_id] = o; };
	note1(seen);
	const out = [];
	let lastTask = null;
	for (const s of ep.steps) {
		const taskId = s.task_id || seen.task_id;
		const obs = codeOf[taskId] || seen;
		if (taskId !== lastTask) {
			out.push(h('h3', { class: 'task-sep' }, obs.title || taskId, ' ', badge(taskId), ' ', obs.difficulty ? badge(obs.difficulty, `d-${obs.difficulty}`) : null));
			lastTask = taskId;
		}
		const t = truth[taskId];
		const findings = withVerdicts(actionFindings(s), s.breakdown);
		const issues = t && Array.isArray(t.issues) && s.breakdown ? truthIssues(t.issues, s.breakdown) : [];
		const code = (t && t.code) || obs.code_to_review || '';
		out.push(h('div', { class: 'panel step', 'data-testid': 'replay-step' },
			stepMeta(s),
			stepText(s),
			s.error ? null : h('div', { class: 'split' },
				h('div', { class: 'col-code' }, codeView(code, { findings, issues, testid: 'replay-code', full: true })),
				h('div', { class: 'col-side' },
					h('div', { class: 'legend' }, badge('matched', 'v-matched'), badge('duplicate', 'v-duplicate'), badge('unfocused', 'v-unfocused'),
						badge('unmatched', 'v-unmatched'), t ? badge('missed issue', 'bad') : null),
					breakdownView(s.breakdown, findings)))));
		if (s.observation) {
			seen = s.observation;
			note1(seen);
		}
	}
	return h('div', null, out);
}

/* ------------------------------------------------------------ pr_review */

function prSteps(ep) {
	const init = ep.initial_observation || {};
	const out = [h('div', { class: 'panel' },
		h('h3', { 'data-testid': 'replay-pr-title' }, init.pr_title || ep.task_ids.join(', ')),
		h('p', { class: 'pr-desc' }, init.pr_description || ''),
		init.file ? kv([['file', init.file], ['kind', init.kind || '–'], ['max turns', init.max_turns ?? '–']]) : null,
		h('div', { class: 'msg author' }, h('div', { class: 'who' }, 'Author opens the PR'), h('div', null, init.author_message || '')))];
	let seen = init;
	for (const s of ep.steps) {
		const taskId = s.task_id || seen.task_id;
		const t = (ep.tasks || {})[taskId];
		const rev = seen.revision;
		const version = t && Array.isArray(t.versions) ? t.versions.find((v) => v.revision === rev) : null;
		const findings = withVerdicts(actionFindings(s), s.breakdown);
		const act = s.normalized || s.action || {};
		out.push(h('div', { class: 'panel step', 'data-testid': 'replay-turn' },
			stepMeta(s),
			h('div', { class: 'split' },
				h('div', { class: 'col-code' },
					h('div', { class: 'muted small' }, `revision ${rev ?? '?'} as the reviewer saw it`,
						version ? [' · truth: ', badge(version.verdict, `rv-${version.verdict}`)] : null),
					diffView(seen.diff || '', { findings, testid: 'replay-diff', full: true }),
					version && version.issues && version.issues.length ? h('details', null, h('summary', null, `known problems in revision ${rev} (${version.issues.length})`),
						codeView(version.code, { findings, issues: version.issues.map((i) => ({ ...i, missed: false })), testid: 'replay-truth' })) : null),
				h('div', { class: 'col-side' },
					h('div', { class: 'msg reviewer' }, h('div', { class: 'who' }, 'Reviewer ', act.decision ? badge(act.decision, `dec-${act.decision}`) : null),
						h('div', { 'data-testid': 'replay-comment' }, act.comment || (act.text ? act.text : ''))),
					stepText(s),
					s.error ? null : breakdownView(s.breakdown, findings),
					s.observation && s.observation.author_message && !s.error ? h('div', { class: 'msg author' },
						h('div', { class: 'who' }, s.done ? 'Author (last word)' : `Author, now on revision ${s.observation.revision}`),
						h('div', { 'data-testid': 'replay-author' }, s.observation.author_message)) : null))));
		if (s.observation) seen = s.observation;
	}
	return h('div', null, out);
}
