/*
 * custom.js - review your own code or diff: paste it, optionally list the issues
 * you expect (so reviews of it are graded), then either review it by hand
 * (POST /config/custom, then the Play episode view inline) or run a model you
 * configure (POST /api/custom/review): its findings drawn on the code, its
 * reward and breakdown when expected issues were given, and its fix as a colored
 * diff with Copy and Accept (Accept replaces the pasted code with fixed_code).
 *
 * Design: the form's values live in one module-level object so they survive
 * navigating away and back within the page session. The API key is only ever in
 * that JavaScript variable and the request body: never in storage, cookies or
 * URLs, and the input is a password field with autocomplete off. Expected issues
 * are written in the bank's ground-truth shape (docs/task-format.md: lines, type,
 * severity, lexicon class, concept groups, explanation, fix), which is what the
 * server grades against; the server's 422 names any field it rejects. When the
 * operator has not enabled model calls (/api/config allow_model_calls false) the
 * Run button is disabled and says why.
 */
import { api } from './api.js';
import {
	h, clear, errorBox, note, badge, num, kv, codeView, diffView, breakdownView, withVerdicts,
	field, select, actionButton, copyText, typeLabel,
} from './ui.js';
import { mountEpisode } from './play.js';

const form = {
	mode: 'code', text: '', language: 'python', title: '',
	issues: [],
	model: { base_url: '', name: '', api_key: '' },
	temperature: '', max_tokens: '',
};
const SEVERITIES = ['low', 'medium', 'high', 'critical'];

/* "a, b; c" -> [["a","b"],["c"]] */
function groups(text) {
	return (text || '').split(';').map((g) => g.split(',').map((p) => p.trim()).filter(Boolean)).filter((g) => g.length);
}

function issueJson(is, i) {
	const line = Number(is.line);
	const end = is.end_line === '' || is.end_line === undefined ? line : Number(is.end_line);
	const o = {
		id: `issue-${i + 1}`, lines: [line, end], type: is.type, severity: is.severity, class: is.class.trim(),
		concepts: groups(is.concepts), fix_concepts: groups(is.fix_concepts),
		explanation: is.description.trim(), fix: is.fix.trim(),
	};
	if (is.cwe.trim()) o.cwe = is.cwe.trim();
	return o;
}

function taskBody() {
	const b = {};
	b[form.mode] = form.text;
	if (form.language.trim()) b.language = form.language.trim();
	if (form.title.trim()) b.title = form.title.trim();
	if (form.issues.length) b.expected_issues = form.issues.map(issueJson);
	return b;
}

export function mount(root, arg, ctx) {
	let alive = true;
	let episode = null;
	const types = ['bug', 'logic_error', 'security_vulnerability'];
	const lexicon = ctx.config && Array.isArray(ctx.config.lexicon_classes) ? ctx.config.lexicon_classes : [];

	/* ------------------------------------------------ input */
	const input = h('textarea', { rows: 16, class: 'mono', spellcheck: 'false', 'data-testid': 'custom-input',
		oninput: (e) => { form.text = e.target.value; } });
	input.value = form.text;
	const setPlaceholder = () => {
		input.placeholder = form.mode === 'code' ? 'Paste the code to review' : 'Paste a unified diff (--- a/file, +++ b/file, @@ hunks)';
	};
	setPlaceholder();
	const modeRadio = (m, label) => h('label', { class: 'radio' }, h('input', { type: 'radio', name: 'custom-mode', value: m,
		checked: form.mode === m, 'data-testid': `custom-mode-${m}`, onchange: () => { form.mode = m; setPlaceholder(); } }), ` ${label}`);
	const lang = h('input', { type: 'text', value: form.language, class: 'narrow', 'data-testid': 'custom-language',
		oninput: (e) => { form.language = e.target.value; } });
	const title = h('input', { type: 'text', value: form.title, placeholder: 'Custom review', 'data-testid': 'custom-title',
		oninput: (e) => { form.title = e.target.value; } });

	/* ------------------------------------------------ expected issues */
	const issuesBox = h('div', { 'data-testid': 'expected-issues' });
	const dl = h('datalist', { id: 'lexicon-classes' }, lexicon.map((c) => h('option', { value: c })));
	function renderIssues() {
		clear(issuesBox, form.issues.length ? form.issues.map((is, i) => {
			const bind = (k, attrs = {}) => {
				const el = h(attrs.rows ? 'textarea' : 'input', { type: attrs.rows ? null : (attrs.type || 'text'), ...attrs,
					'data-testid': `expected-${k}`, oninput: (e) => { is[k] = e.target.value; } });
				el.value = is[k];
				return el;
			};
			return h('div', { class: 'expected', 'data-testid': 'expected-issue' },
				h('div', { class: 'row' },
					h('b', null, `#${i + 1}`),
					field('Line', bind('line', { type: 'number', min: 1, class: 'narrow' })),
					field('to', bind('end_line', { type: 'number', min: 1, class: 'narrow', placeholder: 'same' })),
					field('Type', select(types.map((t) => [t, typeLabel(t)]), is.type, { 'data-testid': 'expected-type', onchange: (e) => { is.type = e.target.value; } })),
					field('Severity', select(SEVERITIES, is.severity, { 'data-testid': 'expected-severity', onchange: (e) => { is.severity = e.target.value; } })),
					field('Class', bind('class', { list: 'lexicon-classes', placeholder: 'e.g. division_by_zero' })),
					field('CWE', bind('cwe', { class: 'narrow', placeholder: 'security only' })),
					h('button', { type: 'button', class: 'link', 'data-testid': 'expected-remove', onclick: () => { form.issues.splice(i, 1); renderIssues(); } }, 'remove')),
				field('Description (what is wrong and why)', bind('description', { rows: 2 })),
				field('Concept groups a correct review must name', bind('concepts', { placeholder: 'division by zero, zerodivisionerror; empty list, no items' }),
					'groups separated by ";", synonyms within a group by ","'),
				h('div', { class: 'row' },
					field('Reference fix', bind('fix')),
					field('Fix concept groups', bind('fix_concepts', { placeholder: 'guard, check' }))));
		}) : note('No expected issues: reviews of this code are shown but not graded.'));
	}
	renderIssues();
	const addIssue = h('button', { type: 'button', 'data-testid': 'add-expected', onclick: () => {
		form.issues.push({ line: '1', end_line: '', type: types[0], severity: 'medium', class: '', cwe: '', description: '', concepts: '', fix: '', fix_concepts: '' });
		renderIssues();
	} }, '+ expected issue');

	/* ------------------------------------------------ by hand */
	const handBox = h('div', { 'data-testid': 'custom-hand-box' });
	const hand = actionButton('Review by hand', async () => {
		if (episode) episode.stop();
		clear(handBox, note('POST /config/custom…'));
		let r;
		try {
			r = await api.custom(taskBody());
		} catch (e) {
			if (alive) clear(handBox, errorBox(e, 'custom-error'));
			return;
		}
		if (!alive) return;
		const epBox = h('div', { 'data-testid': 'episode' });
		clear(handBox, h('div', { class: 'muted small', 'data-testid': 'custom-task' },
			`custom task ${r.task_id} · ${r.num_lines} lines · ${r.graded ? `graded against ${r.num_expected_issues} expected issue(s)` : 'not graded (no expected issues)'} · `,
			h('a', { href: `#/play/${encodeURIComponent(r.task_id)}` }, 'open in Play')), epBox);
		episode = mountEpisode(epBox, { task_id: r.task_id, family: r.family || 'pr_review', client: 'dashboard' });
		await episode.started;
	}, { class: 'primary', 'data-testid': 'custom-hand' });

	/* ------------------------------------------------ model */
	const allowed = !!(ctx.config && ctx.config.allow_model_calls);
	const reason = ctx.configError ? `cannot read /api/config: ${ctx.configError.message}`
		: 'Model calls are disabled by the operator (start the server with --allow-model-calls to enable them).';
	const mInput = (k, attrs) => {
		const el = h('input', { type: 'text', ...attrs, 'data-testid': `model-${k.replace('_', '-')}`,
			oninput: (e) => { form.model[k] = e.target.value; } });
		el.value = form.model[k];
		return el;
	};
	const temp = h('input', { type: 'number', min: 0, max: 2, step: 0.1, class: 'narrow', placeholder: '0', value: form.temperature,
		oninput: (e) => { form.temperature = e.target.value; } });
	const maxTok = h('input', { type: 'number', min: 1, max: 32000, class: 'narrow', placeholder: '2000', value: form.max_tokens,
		oninput: (e) => { form.max_tokens = e.target.value; } });
	const modelBox = h('div', { 'data-testid': 'model-result-box' });
	const run = actionButton('Run model', async () => {
		const snapshot = { mode: form.mode, text: form.text };
		const body = { ...taskBody(), model: { base_url: form.model.base_url.trim(), name: form.model.name.trim() } };
		if (form.model.api_key) body.model.api_key = form.model.api_key;
		if (form.temperature !== '') body.temperature = Number(form.temperature);
		if (form.max_tokens !== '') body.max_tokens = Number(form.max_tokens);
		clear(modelBox, note(`Calling ${body.model.name || 'the model'}… (POST /api/custom/review)`));
		try {
			const r = await api.customReview(body);
			if (alive) clear(modelBox, modelResult(r, snapshot));
		} catch (e) {
			if (alive) clear(modelBox, errorBox(e, 'model-error'));
		}
	}, { class: 'primary', 'data-testid': 'custom-run', disabled: !allowed, title: allowed ? null : reason });

	function modelResult(r, snap) {
		const findings = withVerdicts(r.findings || [], r.breakdown);
		const accepted = h('span', { class: 'muted', 'data-testid': 'fix-status' });
		const fixActions = r.fixed_code !== null && r.fixed_code !== undefined ? h('div', { class: 'row' },
			h('button', { type: 'button', 'data-testid': 'copy-diff', onclick: async () => {
				try {
					await copyText(r.diff || '');
					accepted.textContent = 'diff copied to the clipboard';
				} catch (e) {
					accepted.textContent = `copy failed: ${e.message}`;
				}
			} }, 'Copy diff'),
			h('button', { type: 'button', 'data-testid': 'copy-fixed', onclick: async () => {
				try {
					await copyText(r.fixed_code);
					accepted.textContent = 'fixed code copied to the clipboard';
				} catch (e) {
					accepted.textContent = `copy failed: ${e.message}`;
				}
			} }, 'Copy fixed code'),
			h('button', { type: 'button', class: 'primary', 'data-testid': 'accept-fix', onclick: () => {
				form.mode = 'code';
				form.text = r.fixed_code;
				input.value = r.fixed_code;
				for (const el of root.querySelectorAll('input[name="custom-mode"]')) el.checked = el.value === 'code';
				setPlaceholder();
				accepted.textContent = 'accepted: the input now holds the model\'s fixed code';
			} }, 'Accept fix'), accepted) : null;
		return h('div', { class: 'panel result', 'data-testid': 'model-result' },
			h('div', { class: 'result-head' },
				h('span', { class: 'big' }, 'reward ', h('b', { 'data-testid': 'model-reward' }, r.reward === null || r.reward === undefined ? 'not graded' : num(r.reward))),
				badge(r.model || ''), r.decision ? badge(r.decision, `dec-${r.decision}`) : null,
				r.episode !== undefined && r.episode !== null ? h('a', { href: `#/replay/${r.episode}`, 'data-testid': 'model-replay-link' }, `replay #${r.episode}`) : null),
			kv([
				['latency', `${num(r.latency_ms, 0)} ms`],
				r.usage ? ['tokens', `${r.usage.prompt_tokens ?? '–'} prompt · ${r.usage.completion_tokens ?? '–'} completion${r.usage.retries ? ` · ${r.usage.retries} retries` : ''}`] : null,
				['task', r.task_id],
			]),
			r.error ? h('div', { class: 'error', 'data-testid': 'model-action-error' }, `the environment rejected the model's answer: ${r.error}`) : null,
			r.comment ? h('div', { class: 'msg reviewer' }, h('div', { class: 'who' }, 'Model comment'), h('div', { 'data-testid': 'model-comment' }, r.comment)) : null,
			h('div', { class: 'feedback', 'data-testid': 'model-feedback' }, r.feedback || ''),
			h('div', { class: 'split' },
				h('div', { class: 'col-code' },
					h('h4', null, `Findings (${findings.length})`),
					snap.mode === 'code' ? codeView(snap.text, { findings, testid: 'model-code' }) : diffView(snap.text, { findings, testid: 'model-code' })),
				h('div', { class: 'col-side' },
					r.breakdown ? breakdownView(r.breakdown, findings) : note('No expected issues were given, so the findings are not graded.'))),
			h('h4', null, 'Suggested fix'),
			r.diff ? diffView(r.diff, { testid: 'model-diff' })
				: note(r.fixed_code ? 'The model\'s fixed code is identical to the input.' : 'The model gave no fixed code.'),
			fixActions,
			h('details', null, h('summary', null, 'raw model output'), h('pre', { class: 'json', 'data-testid': 'model-text' }, r.text || '')));
	}

	clear(root,
		h('div', { class: 'page-head' }, h('h2', null, 'Custom review'),
			h('span', { class: 'muted' }, 'Your own code or diff, reviewed by hand or by a model.')),
		h('div', { class: 'panel' },
			h('div', { class: 'row' }, modeRadio('code', 'code'), modeRadio('diff', 'unified diff'), field('Language', lang), field('Title', title)),
			input,
			h('div', { class: 'row spread' }, h('h4', null, 'Expected issues (optional, for grading)'), addIssue),
			dl, issuesBox),
		h('div', { class: 'two' },
			h('div', { class: 'panel' }, h('h3', null, 'a) Review it by hand'),
				h('p', { class: 'muted' }, 'Registers the code as a custom task and opens a one-turn review: decision, comment, findings.'),
				hand),
			h('form', { class: 'panel', 'data-testid': 'model-panel', autocomplete: 'off', onsubmit: (e) => e.preventDefault() },
				h('h3', null, 'b) Run a model'),
				h('div', { class: 'row' },
					field('Base URL', mInput('base_url', { placeholder: 'https://api.openai.com/v1' })),
					field('Model', mInput('name', { placeholder: 'gpt-4o-mini' }))),
				h('div', { class: 'row' },
					field('API key', mInput('api_key', { type: 'password', autocomplete: 'off', placeholder: 'kept in this page only' })),
					field('Temperature', temp), field('Max tokens', maxTok)),
				h('div', { class: 'row' }, run,
					allowed ? h('span', { class: 'muted small' }, 'The key is sent with this request only and never stored.')
						: h('span', { class: 'bad-text', 'data-testid': 'model-disabled' }, reason)))),
		modelBox, handBox);

	return () => {
		alive = false;
		if (episode) episode.stop();
	};
}
