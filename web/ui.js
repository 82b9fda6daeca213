/*
 * ui.js - the building blocks every view shares: a tiny element builder, number
 * and time formatting, error boxes, the code view (line numbers, findings and
 * ground-truth issues drawn on their lines, optional click-to-annotate), the
 * unified-diff view, and the reward-breakdown tables of both families.
 *
 * Design: views build DOM with h(); server text only ever reaches the page as
 * text nodes (never innerHTML), so code, comments and model output cannot inject
 * markup. Renderers are pure functions from data to a fresh element; views
 * re-render a region instead of patching it, which keeps state in one place (the
 * view's own object) and makes every screen a function of what the server said.
 */

/* h('div', {class: 'x', 'data-testid': 'y', onclick: fn}, child, [children], 'text') */
export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	if (attrs)
		for (const [k, v] of Object.entries(attrs)) {
			if (v === undefined || v === null || v === false) continue;
			if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
			else if (k === 'class') el.className = v;
			else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
			else if (k === 'value') el.value = v;
			else if (k === 'checked' || k === 'disabled' || k === 'selected') el[k] = !!v;
			else el.setAttribute(k, v === true ? '' : String(v));
		}
	append(el, children);
	return el;
}

function append(el, children) {
	for (const c of children) {
		if (c === null || c === undefined || c === false) continue;
		if (Array.isArray(c)) append(el, c);
		else if (c instanceof Node) el.appendChild(c);
		else el.appendChild(document.createTextNode(String(c)));
	}
}

export function clear(el, ...children) {
	el.replaceChildren();
	append(el, children);
	return el;
}

/* ------------------------------------------------------------ formatting */

export function num(x, digits = 4) {
	if (x === null || x === undefined || x === '') return '–';
	if (typeof x === 'string') return x;
	if (Number.isInteger(x)) return String(x);
	return String(Number(x.toFixed(digits)));
}

export function pct(x) {
	return x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`;
}

export function when(unixSeconds) {
	if (unixSeconds === null || unixSeconds === undefined) return '–';
	const d = new Date(unixSeconds * 1000);
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function duration(seconds) {
	if (seconds === null || seconds === undefined) return '–';
	if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
	if (seconds < 120) return `${seconds.toFixed(1)} s`;
	if (seconds < 7200) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
	return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

export function short(id, n = 8) {
	return id && id.length > n + 1 ? id.slice(0, n) + '…' : id || '';
}

/* ------------------------------------------------------------ messages */

export function errorBox(err, testid = 'error') {
	const msg = err && err.message ? err.message : String(err);
	return h('div', { class: 'error', role: 'alert', 'data-testid': testid }, msg);
}

export function note(text, cls = 'note') {
	return h('div', { class: cls }, text);
}

export function badge(text, cls = '') {
	return h('span', { class: `badge ${cls}` }, text);
}

export function outcomeBadge(success, outcome) {
	if (success === true) return badge(outcome ? `success: ${outcome}` : 'success', 'good');
	if (success === false) return badge(outcome ? `failure: ${outcome}` : 'failure', 'bad');
	return outcome ? badge(outcome) : null;
}

export function kv(pairs, testid) {
	return h('dl', { class: 'kv', 'data-testid': testid },
		pairs.filter(Boolean).map(([k, v, id]) => [h('dt', null, k), h('dd', { 'data-testid': id }, v)]));
}

export function table(headers, rows, attrs = {}) {
	return h('table', { class: 'grid', ...attrs },
		h('thead', null, h('tr', null, headers.map((x) => h('th', null, x)))),
		h('tbody', null, rows));
}

/* Copy text to the clipboard; falls back to a selection copy on http pages. */
export async function copyText(text) {
	if (navigator.clipboard && window.isSecureContext) {
		await navigator.clipboard.writeText(text);
		return;
	}
	const ta = h('textarea', { style: { position: 'fixed', left: '-9999px' } });
	ta.value = text;
	document.body.appendChild(ta);
	ta.select();
	document.execCommand('copy');
	ta.remove();
}

/* ------------------------------------------------------------ code view */

const TYPE_LABEL = { bug: 'bug', logic_error: 'logic error', security_vulnerability: 'security' };
export const typeLabel = (t) => TYPE_LABEL[t] || t || '?';

export function findingCard(f, extra) {
	const verdict = f.verdict ? badge(f.verdict, `v-${f.verdict}`) : null;
	return h('div', { class: `ann finding ${f.verdict ? 'v-' + f.verdict : 'pending'}`, 'data-testid': 'finding-ann' },
		h('div', { class: 'ann-head' },
			badge(`L${f.line_number}${f.end_line && f.end_line !== f.line_number ? '–' + f.end_line : ''}`, 'line'),
			badge(typeLabel(f.issue_type), `t-${f.issue_type || 'none'}`),
			verdict, f.label ? h('span', { class: 'muted' }, f.label) : null, extra || null),
		h('div', { class: 'ann-text' }, f.description || h('em', null, '(no description)')),
		f.suggested_fix ? h('div', { class: 'ann-fix' }, h('b', null, 'fix: '), f.suggested_fix) : null);
}

export function issueCard(is) {
	const state = is.missed ? 'missed' : 'found';
	return h('div', { class: `ann issue ${state}`, 'data-testid': is.missed ? 'missed-issue' : 'truth-issue' },
		h('div', { class: 'ann-head' },
			badge(is.missed ? 'missed issue' : 'known issue', is.missed ? 'bad' : 'good'),
			badge(`L${is.line}${is.end_line && is.end_line !== is.line ? '–' + is.end_line : ''}`, 'line'),
			badge(typeLabel(is.type), `t-${is.type}`), is.severity ? badge(is.severity) : null),
		h('div', { class: 'ann-text' }, is.description || ''),
		is.fix ? h('div', { class: 'ann-fix' }, h('b', null, 'reference fix: '), is.fix) : null);
}

/*
 * codeView(code, opts): the code with 1-based line numbers.
 *   findings   [{line_number, end_line?, issue_type, description, suggested_fix,
 *                verdict?, label?, actions?}] drawn under their first line
 *   issues     [{line, end_line, type, description, fix?, missed}] ground truth,
 *                shaded over their span and drawn under their last line
 *   onLineClick(line) makes lines clickable; form {line, node} inserts a node
 */
export function codeView(code, opts = {}) {
	const lines = (code || '').replace(/\n$/, '').split('\n');
	const findings = opts.findings || [];
	const issues = opts.issues || [];
	const rows = [];
	for (let i = 0; i < lines.length; i++) {
		const n = i + 1;
		const here = findings.filter((f) => Number(f.line_number) === n);
		const inIssue = issues.filter((is) => n >= is.line && n <= (is.end_line || is.line));
		const cls = ['cl'];
		if (here.length) cls.push('has-finding', ...here.map((f) => 'v-' + (f.verdict || 'pending')));
		if (inIssue.length) cls.push(inIssue.some((is) => is.missed) ? 'in-missed' : 'in-issue');
		if (opts.onLineClick) cls.push('clickable');
		if (opts.form && opts.form.line === n) cls.push('selected');
		rows.push(h('div', {
			class: cls.join(' '), 'data-line': n, 'data-testid': `line-${n}`,
			onclick: opts.onLineClick ? () => opts.onLineClick(n) : null,
			title: opts.onLineClick ? `add a finding on line ${n}` : null,
		}, h('span', { class: 'ln' }, n), h('span', { class: 'src' }, lines[i] || ' ')));
		for (const f of here) rows.push(findingCard(f, f.actions));
		for (const is of issues.filter((x) => (x.end_line || x.line) === n)) rows.push(issueCard(is));
		if (opts.form && opts.form.line === n) rows.push(opts.form.node);
	}
	// findings outside the code (line beyond the end) still show, at the bottom
	for (const f of findings.filter((f) => !(f.line_number >= 1 && f.line_number <= lines.length)))
		rows.push(findingCard(f, f.actions));
	return h('div', { class: opts.full ? 'code full' : 'code', 'data-testid': opts.testid || 'code' }, rows);
}

/* ------------------------------------------------------------ diff view */

/* Parse a unified diff into rows {kind: meta|hunk|add|del|ctx|note, old, new, text}. */
export function parseDiff(text) {
	const out = [];
	let o = 0, n = 0, oLeft = 0, nLeft = 0;
	for (const line of (text || '').replace(/\n$/, '').split('\n')) {
		const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
		if (m) {
			o = +m[1];
			n = +m[3];
			oLeft = m[2] === undefined ? 1 : +m[2];
			nLeft = m[4] === undefined ? 1 : +m[4];
			out.push({ kind: 'hunk', text: line });
		} else if (oLeft <= 0 && nLeft <= 0) {
			out.push({ kind: line.startsWith('\\') ? 'note' : 'meta', text: line });
		} else if (line.startsWith('+')) {
			out.push({ kind: 'add', new: n++, text: line.slice(1) });
			nLeft--;
		} else if (line.startsWith('-')) {
			out.push({ kind: 'del', old: o++, text: line.slice(1) });
			oLeft--;
		} else if (line.startsWith('\\')) {
			out.push({ kind: 'note', text: line });
		} else {
			out.push({ kind: 'ctx', old: o++, new: n++, text: line.slice(1) });
			oLeft--;
			nLeft--;
		}
	}
	return out;
}

/*
 * diffView(text, opts): a colored unified diff with old/new line numbers.
 *   findings      drawn under the new-side line they name
 *   onLineClick(newLine) makes added and context lines clickable
 *   form {line, node} inserts a node under that new-side line
 */
export function diffView(text, opts = {}) {
	const findings = opts.findings || [];
	const rows = [];
	for (const r of parseDiff(text)) {
		const sign = { add: '+', del: '-', ctx: ' ' }[r.kind] || '';
		const clickable = opts.onLineClick && r.new !== undefined;
		rows.push(h('div', {
			class: `dl d-${r.kind}${clickable ? ' clickable' : ''}${opts.form && r.new !== undefined && opts.form.line === r.new ? ' selected' : ''}`,
			'data-new': r.new, 'data-testid': r.new !== undefined ? `dline-${r.new}` : null,
			onclick: clickable ? () => opts.onLineClick(r.new) : null,
		},
		h('span', { class: 'ln' }, r.old ?? ''), h('span', { class: 'ln' }, r.new ?? ''),
		h('span', { class: 'sign' }, sign), h('span', { class: 'src' }, r.kind === 'meta' || r.kind === 'hunk' || r.kind === 'note' ? r.text : (r.text || ' '))));
		if (r.new !== undefined) {
			for (const f of findings.filter((f) => Number(f.line_number) === r.new)) rows.push(findingCard(f, f.actions));
			if (opts.form && opts.form.line === r.new) rows.push(opts.form.node);
		}
	}
	return h('div', { class: opts.full ? 'code diff full' : 'code diff', 'data-testid': opts.testid || 'diff' }, rows);
}

/* ------------------------------------------------------------ breakdowns */

function concepts(hit, total) {
	return total ? ` (${hit}/${total})` : '';
}

/* code_review breakdown: components, per issue, per finding. */
export function crBreakdown(b, findings) {
	const summary = kv([
		['score', num(b.score), 'bd-score'],
		['reward', num(b.reward), 'bd-reward'],
		['issues mean', num(b.issues_mean)],
		['coverage bonus', num(b.coverage_bonus)],
		['false-positive penalty', b.false_positive_penalty ? `−${num(b.false_positive_penalty)} each` : num(b.false_positive_penalty)],
		['issues found', `${b.issues_found ?? '–'} / ${b.num_issues ?? '–'}`, 'bd-found'],
		['findings', `${b.num_findings ?? '–'} (${b.false_positives ?? 0} false positive${b.false_positives === 1 ? '' : 's'})`],
		b.profile ? ['profile', b.profile] : null,
		b.attempt ? ['attempt', b.attempt] : null,
	], 'bd-summary');
	const issueRows = (b.issues || []).map((is) => h('tr', { class: is.finding === null ? 'row-missed' : 'row-matched' },
		h('td', null, `#${is.issue + 1}`),
		h('td', null, is.finding === null || is.finding === undefined ? badge('missed', 'bad') : `finding ${is.finding + 1}`),
		h('td', null, is.line_distance ?? '–'),
		h('td', null, num(is.line)),
		h('td', null, num(is.description) + concepts(is.concepts_hit, is.concepts_total)),
		h('td', null, num(is.type)),
		h('td', null, num(is.fix) + concepts(is.fix_concepts_hit, is.fix_concepts_total)),
		h('td', { class: 'strong' }, num(is.total))));
	const findingRows = (b.findings || []).map((f) => {
		const src = findings && findings[f.finding];
		return h('tr', { class: `row-${f.verdict}` },
			h('td', null, `${f.finding + 1}`), h('td', null, f.line ?? '–'),
			h('td', null, badge(f.verdict, `v-${f.verdict}`)),
			h('td', null, f.issue === null || f.issue === undefined ? '–' : `#${f.issue + 1}`),
			h('td', { class: 'wrap' }, src ? src.description || '' : ''));
	});
	return h('div', { class: 'breakdown', 'data-testid': 'breakdown' },
		summary,
		issueRows.length ? [h('h4', null, 'Per known issue'),
			table(['issue', 'matched by', 'line dist.', 'line', 'description', 'type', 'fix', 'total'], issueRows, { 'data-testid': 'bd-issues' })] : null,
		findingRows.length ? [h('h4', null, 'Per finding'),
			table(['finding', 'line', 'verdict', 'issue', 'description'], findingRows, { 'data-testid': 'bd-findings' })] : null);
}

/* pr_review breakdown: stance, naming of each problem, penalty. */
export function prBreakdown(b) {
	const summary = kv([
		['turn', b.turn],
		['revision verdict', b.verdict ? badge(b.verdict, `rv-${b.verdict}`) : '–'],
		['decision', b.decision],
		['stance', num(b.stance)],
		['naming', num(b.naming)],
		['root cause named', b.root_cause_named ? badge('yes', 'good') : badge('no', 'bad')],
		['findings', `${b.findings ?? 0} (${b.false_positives ?? 0} false positive${b.false_positives === 1 ? '' : 's'})`],
		['penalty', num(b.penalty)],
		['turn reward', num(b.turn_reward), 'bd-turn-reward'],
		['reward', num(b.reward), 'bd-reward'],
	], 'bd-summary');
	const rows = (b.issues || []).map((is) => h('tr', null,
		h('td', null, is.id), h('td', null, is.root_cause ? 'root cause' : ''),
		h('td', null, is.named ? badge('named', 'good') : badge('not named', 'bad')),
		h('td', null, is.focused ? 'yes' : badge('unfocused', 'bad')),
		h('td', null, `${is.concepts_hit}/${is.concepts_total}`), h('td', null, is.named_by || '–')));
	return h('div', { class: 'breakdown', 'data-testid': 'breakdown' }, summary,
		rows.length ? [h('h4', null, 'Problems in this revision'),
			table(['problem', '', 'named', 'focused', 'concepts', 'named by'], rows, { 'data-testid': 'bd-issues' })] : null);
}

/* Whichever shape the breakdown has (custom reviews with expected issues are
 * graded like code_review); unknown shapes are shown as key/value pairs. */
export function breakdownView(b, findings) {
	if (!b || typeof b !== 'object') return note('No reward breakdown for this step.');
	if ('issues_mean' in b || 'num_issues' in b) return crBreakdown(b, findings);
	if ('stance' in b || 'verdict' in b) return prBreakdown(b);
	return h('div', { class: 'breakdown', 'data-testid': 'breakdown' },
		kv(Object.entries(b).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])));
}

/* Findings of an action annotated with the breakdown's verdicts. */
export function withVerdicts(findings, b) {
	const v = b && Array.isArray(b.findings) ? b.findings : [];
	return (findings || []).map((f, i) => {
		const fv = v.find((x) => x.finding === i);
		return { ...f, verdict: fv ? fv.verdict : f.verdict, label: fv && fv.issue !== null && fv.issue !== undefined ? `→ issue #${fv.issue + 1}` : f.label };
	});
}

/* Ground-truth issues of a task with missed/found from a code_review breakdown. */
export function truthIssues(issues, b) {
	const per = b && Array.isArray(b.issues) ? b.issues : [];
	return (issues || []).map((is, i) => {
		const g = per.find((x) => x.issue === i);
		return { ...is, missed: !g || g.finding === null || g.finding === undefined };
	});
}

/* A labelled form field. */
export function field(label, control, hint) {
	return h('label', { class: 'field' }, h('span', { class: 'flabel' }, label), control,
		hint ? h('span', { class: 'hint' }, hint) : null);
}

export function select(options, value, attrs = {}) {
	return h('select', attrs, options.map((o) => {
		const [v, label] = Array.isArray(o) ? o : [o, o];
		return h('option', { value: v, selected: v === value }, label);
	}));
}

/* A busy-aware button: disables itself while the async handler runs. */
export function actionButton(label, handler, attrs = {}) {
	const b = h('button', { type: 'button', ...attrs }, label);
	b.addEventListener('click', async () => {
		if (b.disabled) return;
		b.disabled = true;
		b.classList.add('busy');
		try {
			await handler();
		} catch (e) {
			// a bug, not a server answer (views show those themselves): say so
			console.error(e);
			if (b.isConnected) b.after(errorBox(e, 'ui-error'));
		} finally {
			if (b.isConnected) {
				b.disabled = false;
				b.classList.remove('busy');
			}
		}
	});
	return b;
}
