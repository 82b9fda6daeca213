/*
 * play.js - play an episode by hand, as an agent would, over the OpenEnv HTTP
 * routes (POST /reset with client "dashboard", POST /step with the episode_id).
 *
 * code_review: the code with line numbers; clicking a line opens a small form
 * whose finding is drawn on that line; "Submit attempt" sends the findings and
 * shows the reward, feedback and breakdown; the episode walks through its tasks
 * until done. pr_review (and custom reviews, which are one-turn pr_review tasks):
 * the PR text, the colored diff of each revision seen so far (kept client-side,
 * keyed by revision), the author's message, the conversation, and a form with
 * the allowed decisions, a comment and optional findings clicked on the diff.
 *
 * Design: one state object per episode (the last observation, the findings being
 * written, the draft of the open form, the diffs per revision, the last result);
 * every change re-renders the episode region from that state. Drafts live in the
 * state as the user types, so a re-render never loses text. The episode region
 * is also exported (mountEpisode) for the custom view's hand review.
 */
import { api, getIssueTypes, findStoredEpisode, toJson } from './api.js';
import {
	h, clear, errorBox, note, badge, num, kv, codeView, diffView, breakdownView, withVerdicts,
	field, select, actionButton, outcomeBadge, typeLabel,
} from './ui.js';

/* ---------------------------------------------------------------- picker */

function taskLabel(t) {
	const bits = [t.id];
	if (t.difficulty) bits.push(t.difficulty);
	return `${bits.join(' · ')} — ${t.title}`;
}

export function mount(root, arg) {
	let alive = true;
	const picker = h('div', { class: 'panel picker' }, note('Loading the task registry (GET /tasks)…'));
	const episodeBox = h('div', { 'data-testid': 'episode' });
	clear(root, h('div', { class: 'page-head' }, h('h2', null, 'Play'),
		h('span', { class: 'muted' }, 'Review as an agent would: every action goes through POST /step.')), picker, episodeBox);

	let current = null;
	const start = async (body) => {
		if (current) current.stop();
		current = mountEpisode(episodeBox, body);
		await current.started;
	};

	(async () => {
		let reg;
		try {
			reg = await api.tasks();
		} catch (e) {
			if (alive) clear(picker, errorBox(e));
			return;
		}
		if (!alive) return;
		const tasks = reg.tasks || [];
		const groups = [
			['code_review', tasks.filter((t) => t.family === 'code_review'), 'code_review: default episode (easy → medium → hard)'],
			['pr_review', tasks.filter((t) => t.family === 'pr_review' && t.kind !== 'custom-review'), 'pr_review: a scenario drawn by seed'],
			['custom', tasks.filter((t) => t.kind === 'custom-review'), null],
		];
		const sel = h('select', { 'data-testid': 'task-select' },
			groups.filter(([, list, any]) => list.length || any).map(([fam, list, any]) => h('optgroup', { label: fam },
				any ? h('option', { value: `family:${fam}` }, any) : null,
				list.map((t) => h('option', { value: t.id, selected: t.id === arg }, taskLabel(t))))));
		const seed = h('input', { type: 'text', inputmode: 'numeric', placeholder: 'random', 'data-testid': 'seed', class: 'seed' });
		const go = actionButton('Start episode', async () => {
			const v = sel.value;
			const body = { client: 'dashboard' };
			if (v.startsWith('family:')) body.family = v.slice(7);
			else {
				const t = tasks.find((x) => x.id === v);
				body.task_id = v;
				if (t) body.family = t.family;
			}
			if (seed.value !== '') {
				const n = Number(seed.value);
				body.seed = Number.isSafeInteger(n) ? n : /^\d+$/.test(seed.value) ? BigInt(seed.value) : n;
			}
			await start(body);
		}, { 'data-testid': 'play-start', class: 'primary' });
		clear(picker, h('div', { class: 'row' }, field('Task', sel), field('Seed', seed), go),
			h('div', { class: 'muted small' }, `${reg.counts ? reg.counts.total : tasks.length} tasks: `,
				reg.counts ? Object.entries(reg.counts).filter(([k]) => k !== 'total').map(([k, n]) => `${k} ${n}`).join(', ') : ''));
		if (arg && tasks.some((t) => t.id === arg)) go.click();
		else if (arg) clear(episodeBox, errorBox(new Error(`no task "${arg}" in GET /tasks`)));
	})();

	return () => {
		alive = false;
		if (current) current.stop();
	};
}

/* ---------------------------------------------------------------- episode */

/*
 * mountEpisode(box, resetBody, opts) resets an episode and plays it in box.
 * Returns {started: Promise, stop()}. opts.onStep(result) sees every step.
 */
export function mountEpisode(box, resetBody, opts = {}) {
	const st = {
		alive: true, obs: null, done: false, family: null, error: null,
		pending: [],            // findings to send with the next action
		draft: null,            // {line, issue_type, description, suggested_fix} of the open form
		last: null,             // {reward, breakdown, feedback, findings, task_id, warnings, decision}
		diffs: new Map(),       // pr_review: revision -> {diff, code}
		showRev: null, showFile: false,
		opening: undefined,     // pr_review: the author's message when the PR opened
		decision: null, comment: '',
		replay: null,           // {id} | {episode_id} once done
		types: ['bug', 'logic_error', 'security_vulnerability'],
	};
	clear(box, note(`Starting an episode (POST /reset ${toJson(resetBody)})…`));

	const started = (async () => {
		try {
			st.types = await getIssueTypes();
		} catch (e) {
			/* the schema is a nicety; the defaults are the documented enum */
		}
		try {
			const r = await api.reset(resetBody);
			if (!st.alive) return;
			absorb(r);
		} catch (e) {
			if (!st.alive) return;
			clear(box, errorBox(e, 'play-error'));
			return;
		}
		render();
	})();

	function absorb(r) {
		const o = r.observation;
		st.obs = o;
		st.done = !!r.done;
		st.family = o.family || (o.pr_title !== undefined ? 'pr_review' : 'code_review');
		if (st.family === 'pr_review') {
			if (st.opening === undefined) st.opening = o.author_message;
			if (o.revision !== undefined && o.diff !== undefined && !st.diffs.has(o.revision))
				st.diffs.set(o.revision, { diff: o.diff, code: o.code_to_review });
			st.showRev = o.revision;
			if (!st.decision || !(o.allowed_decisions || []).includes(st.decision))
				st.decision = (o.allowed_decisions || [])[0] || null;
		}
	}

	async function send(action) {
		st.error = null;
		const prevTask = st.obs.task_id;
		const sent = st.pending.map(({ verdict, label, actions, ...f }) => f);
		try {
			const r = await api.step(st.obs.episode_id, action);
			if (!st.alive) return;
			const o = r.observation;
			st.last = {
				reward: r.reward, breakdown: o.reward_breakdown, feedback: o.feedback, findings: sent,
				task_id: prevTask, warnings: o.warnings || [], decision: action.decision,
			};
			absorb(r);
			st.draft = null;
			// same task: the findings stay, marked with their verdicts, to refine and
			// resubmit (or, once done, to show what the last attempt earned)
			if (o.task_id === prevTask && (st.family === 'code_review' || st.done))
				st.pending = withVerdicts(sent, o.reward_breakdown);
			else
				st.pending = [];
			if (st.family === 'pr_review') st.comment = '';
			if (opts.onStep) opts.onStep(r);
			if (st.done) lookupReplay();
		} catch (e) {
			if (!st.alive) return;
			st.error = e;
		}
		render();
	}

	async function lookupReplay() {
		const id = st.obs.episode_id;
		try {
			const hit = await findStoredEpisode(id);
			if (!st.alive) return;
			st.replay = hit ? { id: hit.id } : { episode_id: id, missing: true };
		} catch (e) {
			st.replay = { episode_id: id, error: e };
		}
		render();
	}

	/* ------------------------------------------------ findings editing */

	function openForm(line) {
		if (st.done) return;
		st.draft = { line, issue_type: st.types[0], description: '', suggested_fix: '' };
		render();
		const d = box.querySelector('[data-testid="finding-description"]');
		if (d) d.focus();
	}

	function findingForm() {
		const d = st.draft;
		const err = h('div', { class: 'form-error' });
		const typeSel = select(st.types.map((t) => [t, typeLabel(t)]), d.issue_type, {
			'data-testid': 'finding-type', onchange: (e) => { d.issue_type = e.target.value; },
		});
		const desc = h('textarea', { rows: 2, 'data-testid': 'finding-description', placeholder: 'What is wrong and why, in your own words',
			oninput: (e) => { d.description = e.target.value; } });
		desc.value = d.description;
		const fix = h('textarea', { rows: 2, 'data-testid': 'finding-fix', placeholder: 'How to fix it',
			oninput: (e) => { d.suggested_fix = e.target.value; } });
		fix.value = d.suggested_fix;
		const line = h('input', { type: 'number', min: 1, value: d.line, class: 'narrow', 'data-testid': 'finding-line',
			oninput: (e) => { d.line = Number(e.target.value); } });
		return h('div', { class: 'finding-form', 'data-testid': 'finding-form', onclick: (e) => e.stopPropagation() },
			h('div', { class: 'row' }, field('Line', line), field('Type', typeSel)),
			field('Description', desc), field('Suggested fix', fix), err,
			h('div', { class: 'row' },
				h('button', { type: 'button', class: 'primary', 'data-testid': 'finding-add', onclick: () => {
					if (!d.description.trim()) {
						err.textContent = 'A finding needs a description.';
						return;
					}
					if (!(d.line >= 1)) {
						err.textContent = 'A finding needs a line number ≥ 1.';
						return;
					}
					st.pending.push({ line_number: d.line, issue_type: d.issue_type, description: d.description.trim(), suggested_fix: d.suggested_fix.trim() });
					st.draft = null;
					render();
				} }, 'Add finding'),
				h('button', { type: 'button', 'data-testid': 'finding-cancel', onclick: () => { st.draft = null; render(); } }, 'Cancel')));
	}

	function drawnFindings() {
		return st.pending.map((f, i) => ({
			...f,
			actions: st.done ? null : h('button', { type: 'button', class: 'link', 'data-testid': 'finding-remove',
				onclick: (e) => { e.stopPropagation(); st.pending.splice(i, 1); render(); } }, 'remove'),
		}));
	}

	function pendingList() {
		return h('div', { class: 'pending', 'data-testid': 'pending-findings' },
			h('h4', null, `Findings to send (${st.pending.length})`),
			st.pending.length ? h('ol', null, st.pending.map((f) => h('li', null,
				badge(`L${f.line_number}`, 'line'), ' ', badge(typeLabel(f.issue_type), `t-${f.issue_type}`), ' ', f.description,
				f.verdict ? [' ', badge(`last: ${f.verdict}`, `v-${f.verdict}`)] : null)))
				: note(st.family === 'code_review' ? 'Click a line of the code to add a finding.' : 'Optional: click a line of the diff to attach a finding.'),
			!st.done && !st.draft ? h('button', { type: 'button', class: 'link', 'data-testid': 'finding-new', onclick: () => openForm(1) },
				'+ add a finding by line number') : null);
	}

	/* ------------------------------------------------ results */

	function resultPanel() {
		if (!st.last && !st.error) return null;
		const L = st.last;
		return h('div', { class: 'panel result', 'data-testid': 'result' },
			st.error ? errorBox(st.error, 'step-error') : null,
			L ? [
				h('div', { class: 'result-head' },
					h('span', { class: 'big' }, 'reward ', h('b', { 'data-testid': 'reward' }, num(L.reward))),
					L.task_id && st.family === 'code_review' && L.task_id !== st.obs.task_id ? badge(`previous task: ${L.task_id}`) : null),
				h('div', { class: 'feedback', 'data-testid': 'feedback' }, L.feedback || ''),
				L.warnings && L.warnings.length ? h('ul', { class: 'warnings', 'data-testid': 'warnings' },
					L.warnings.map((w) => h('li', null, typeof w === 'string' ? w : JSON.stringify(w)))) : null,
				breakdownView(L.breakdown, L.findings),
			] : null);
	}

	function endPanel() {
		if (!st.done) return null;
		const o = st.obs;
		const r = st.replay;
		return h('div', { class: 'panel end', 'data-testid': 'episode-end' },
			h('h3', null, 'Episode over'),
			kv([
				['episode score', h('b', null, num(o.episode_score)), 'episode-score'],
				o.success !== undefined ? ['outcome', outcomeBadge(o.success, o.outcome) || '–', 'outcome'] : null,
				o.task_scores ? ['task scores', o.task_scores.map((x) => num(x)).join(' · ')] : null,
				['episode id', o.episode_id],
				['seed', o.seed ?? '–', 'episode-seed'],
			]),
			r ? (r.id !== undefined
				? h('a', { href: `#/replay/${r.id}`, 'data-testid': 'replay-link', class: 'button' }, `Replay episode #${r.id}`)
				: [r.error ? errorBox(r.error) : note('Not found in the newest stored episodes (is the store on?).'),
					h('a', { href: `#/replay/${encodeURIComponent(r.episode_id)}`, 'data-testid': 'replay-link', class: 'button' }, 'Replay by episode id')])
				: note('Looking up the stored episode…'));
	}

	/* ------------------------------------------------ code_review */

	function renderCodeReview() {
		const o = st.obs;
		const left = (o.max_attempts ?? 0) - (o.attempt ?? 0);
		const head = h('div', { class: 'panel ep-head' },
			h('div', { class: 'row spread' },
				h('h3', { 'data-testid': 'task-title' }, o.title || o.task_id),
				h('div', null, badge(o.task_id), ' ', o.difficulty ? badge(o.difficulty, `d-${o.difficulty}`) : null)),
			h('p', { class: 'muted' }, o.task_description || ''),
			kv([
				['task', `${(o.task_index ?? 0) + 1} / ${o.num_tasks ?? 1}`, 'task-progress'],
				['attempts used', `${o.attempt ?? 0} / ${o.max_attempts ?? '–'}`, 'attempts'],
				['attempts left', String(st.done ? 0 : left), 'attempts-left'],
				['known issues', `${o.issues_found_so_far ?? 0} found of ${o.num_known_issues ?? '–'}`, 'issues-found'],
				['task scores', (o.task_scores || []).map((x) => num(x)).join(' · ') || '–', 'task-scores'],
			]));
		const code = codeView(o.code_to_review, {
			findings: drawnFindings(),
			onLineClick: st.done ? null : openForm,
			form: st.draft ? { line: st.draft.line, node: findingForm() } : null,
		});
		const submit = actionButton('Submit attempt', () => send({ findings: st.pending.map(({ verdict, label, actions, ...f }) => f) }),
			{ class: 'primary', 'data-testid': 'submit-attempt', disabled: st.done });
		return [head, h('div', { class: 'split' },
			h('div', { class: 'col-code' }, code),
			h('div', { class: 'col-side' }, st.done ? null : [pendingList(), submit], resultPanel(), endPanel()))];
	}

	/* ------------------------------------------------ pr_review */

	function renderPr() {
		const o = st.obs;
		const head = h('div', { class: 'panel ep-head' },
			h('div', { class: 'row spread' },
				h('h3', { 'data-testid': 'pr-title' }, o.pr_title || o.task_id),
				h('div', null, badge(o.task_id), ' ', o.kind ? badge(o.kind) : null, ' ', o.difficulty ? badge(o.difficulty, `d-${o.difficulty}`) : null)),
			h('p', { class: 'pr-desc', 'data-testid': 'pr-description' }, o.pr_description || ''),
			kv([
				['file', o.file || '–'],
				['turn', `${o.turn ?? 0} / ${o.max_turns ?? '–'}`, 'turn'],
				['revision', String(o.revision ?? '–'), 'revision'],
			]));
		const revs = [...st.diffs.keys()].sort((a, b) => a - b);
		const shown = st.diffs.get(st.showRev) || { diff: o.diff, code: o.code_to_review };
		const isCurrent = st.showRev === o.revision;
		const click = isCurrent && !st.done ? openForm : null;
		const form = isCurrent && st.draft ? { line: st.draft.line, node: findingForm() } : null;
		const findings = isCurrent ? drawnFindings() : [];
		const tabs = h('div', { class: 'tabs', 'data-testid': 'revision-tabs' },
			revs.map((r) => h('button', {
				type: 'button', class: r === st.showRev ? 'tab active' : 'tab', 'data-testid': `rev-tab-${r}`,
				onclick: () => { st.showRev = r; render(); },
			}, `revision ${r}${r === o.revision ? ' (current)' : ''}`)),
			h('label', { class: 'toggle' }, h('input', { type: 'checkbox', checked: st.showFile, 'data-testid': 'show-file',
				onchange: (e) => { st.showFile = e.target.checked; render(); } }), ' whole file'));
		const view = st.showFile
			? codeView(shown.code, { findings, onLineClick: click, form, testid: 'pr-file' })
			: diffView(shown.diff, { findings, onLineClick: click, form, testid: 'pr-diff' });
		const hist = o.history || [];
		const authorMsg = (text, who, current) => h('div', { class: `msg author${current ? ' current' : ''}`, 'data-testid': current ? 'author-message' : null },
			h('div', { class: 'who' }, who), h('div', null, text || ''));
		const conv = h('div', { class: 'conversation', 'data-testid': 'history' },
			h('h4', null, 'Conversation'),
			authorMsg(hist.length ? st.opening : o.author_message, 'Author opens the PR', !hist.length),
			hist.map((t, i) => {
				const last = i === hist.length - 1;
				return h('div', { class: 'turn', 'data-testid': 'history-turn' },
					h('div', { class: 'msg reviewer' }, h('div', { class: 'who' }, `You, turn ${t.turn} on revision ${t.revision}: `,
						badge(t.decision, `dec-${t.decision}`), ' reward ', h('b', null, num(t.reward))), h('div', null, t.comment || '')),
					last ? authorMsg(o.author_message, st.done ? 'Author (last word)' : `Author, now on revision ${o.revision}`, true)
						: t.author_reply ? authorMsg(t.author_reply, 'Author', false) : null);
			}));
		const decisions = o.allowed_decisions || [];
		const form2 = st.done ? null : h('div', { class: 'panel turn-form', 'data-testid': 'turn-form' },
			h('h4', null, 'Your review'),
			h('div', { class: 'decisions', 'data-testid': 'decision' }, decisions.map((d) => h('label', { class: `radio dec-${d}` },
				h('input', { type: 'radio', name: 'decision', value: d, checked: d === st.decision, 'data-testid': `decision-${d}`,
					onchange: () => { st.decision = d; } }), ` ${d}`))),
			field('Comment', (() => {
				const c = h('textarea', { rows: 4, 'data-testid': 'comment', placeholder: 'Name the root cause: what goes wrong and why',
					oninput: (e) => { st.comment = e.target.value; } });
				c.value = st.comment;
				return c;
			})()),
			pendingList(),
			actionButton('Send review', () => send({
				decision: st.decision, comment: st.comment,
				findings: st.pending.map(({ verdict, label, actions, ...f }) => f),
			}), { class: 'primary', 'data-testid': 'submit-turn' }));
		return [head, h('div', { class: 'split' },
			h('div', { class: 'col-code' }, tabs, view),
			h('div', { class: 'col-side' }, conv, form2, resultPanel(), endPanel()))];
	}

	function render() {
		if (!st.alive || !st.obs) return;
		clear(box, st.family === 'pr_review' ? renderPr() : renderCodeReview());
	}

	return {
		started,
		stop() {
			st.alive = false;
		},
	};
}
