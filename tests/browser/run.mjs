/*
 * run.mjs - browser tests of the reviewgym dashboard against the real server.
 *
 *   cd tests/browser && npm ci && node run.mjs        (from the repository root:
 *   node tests/browser/run.mjs once node_modules is installed)
 *
 * Environment: REVIEWGYM_BIN (default build/release/reviewgym), REVIEWGYM_TASKS
 * (default tasks), CHROMIUM (default /usr/bin/chromium), BROWSER_ONLY=name,name
 * to run a subset, HEADED=1 to watch.
 *
 * It starts the server binary on 127.0.0.1, port 0 (--port-file), with a fresh
 * store in a temporary directory, --allow-model-calls and --web-dir <repo>/web,
 * plus a fake OpenAI-compatible endpoint (fake-llm.mjs) for the custom review's
 * model run; then drives headless Chromium through every view, asserting what a
 * user would see: values rendered, not only that elements exist. The tests read
 * the task bank from disk to know the right answers (issue lines, explanations,
 * the author's state machine), so they follow the bank as it grows.
 *
 * Each test saves a screenshot to build/artifacts/browser/<test>.png. A test
 * fails on a failed assertion, on any console error or uncaught exception in
 * the page (a test may allow a specific expected message, e.g. the 404 its own
 * error-display check provokes). Prints one line per test and a summary
 * "browser: N passed, M failed"; exits non-zero on any failure.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startFakeLlm } from './fake-llm.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const BIN = path.resolve(REPO, process.env.REVIEWGYM_BIN || 'build/release/reviewgym');
const TASKS = path.resolve(REPO, process.env.REVIEWGYM_TASKS || 'tasks');
const WEB = path.join(REPO, 'web');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.join(REPO, 'build', 'artifacts', 'browser');
const ONLY = process.env.BROWSER_ONLY ? process.env.BROWSER_ONLY.split(',') : null;
const T = 15000;

/* ------------------------------------------------------------------ helpers */

class Failure extends Error {}
function check(cond, msg) {
	if (!cond) throw new Failure(msg);
}
const tid = (id) => `[data-testid="${id}"]`;
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/* Wait until the first element matching sel has text matching re; return it. */
async function waitText(page, sel, re, timeout = T) {
	try {
		await page.waitForFunction(([s, src, flags]) => {
			const el = document.querySelector(s);
			return !!el && new RegExp(src, flags).test(el.textContent);
		}, [sel, re.source, re.flags], { timeout });
	} catch (e) {
		const now = await page.locator(sel).first().textContent({ timeout: 500 }).catch(() => '(absent)');
		throw new Failure(`${sel}: expected text matching ${re}, got ${JSON.stringify((now || '').slice(0, 300))}`);
	}
	return (await page.locator(sel).first().textContent()) || '';
}

async function waitCount(page, sel, pred, what, timeout = T) {
	const t0 = Date.now();
	let n = 0;
	while (Date.now() - t0 < timeout) {
		n = await page.locator(sel).count();
		if (pred(n)) return n;
		await sleep(100);
	}
	throw new Failure(`${sel}: expected ${what}, found ${n}`);
}

async function waitVisible(page, sel, timeout = T) {
	try {
		await page.locator(sel).first().waitFor({ state: 'visible', timeout });
	} catch (e) {
		const err = await page.locator('.error').allTextContents().catch(() => []);
		throw new Failure(`${sel} did not appear${err.length ? `; the page shows: ${err.join(' | ')}` : ''}`);
	}
}

async function http(base, method, p, body) {
	const res = await fetch(base + p, {
		method, headers: body ? { 'Content-Type': 'application/json' } : {},
		body: body ? JSON.stringify(body) : undefined,
	});
	const text = await res.text();
	let data = null;
	try {
		data = JSON.parse(text);
	} catch (e) {
		data = text;
	}
	return { status: res.status, headers: res.headers, data, text };
}

/* ------------------------------------------------------------------ the bank */

function readTasks(family) {
	const out = [];
	const root = path.join(TASKS, family);
	for (const diff of fs.readdirSync(root).sort())
		for (const id of fs.readdirSync(path.join(root, diff)).sort()) {
			const f = path.join(root, diff, id, 'task.json');
			if (fs.existsSync(f)) out.push({ ...JSON.parse(fs.readFileSync(f, 'utf8')), dir: path.join(root, diff, id) });
		}
	return out;
}

const lines = (is) => (is.lines ? is.lines : [is.line, is.line]);

/* A code_review task with at least two issues (so one can be missed). */
function pickCodeTask() {
	const t = readTasks('code_review').find((x) => (x.split || 'train') === 'train' && x.issues.length >= 2);
	check(t, `no code_review task with two issues under ${TASKS}`);
	const code = fs.readFileSync(path.join(t.dir, 'code.py'), 'utf8');
	const n = code.replace(/\n$/, '').split('\n').length;
	// a line at least 4 lines away from every issue: the false positive
	let fp = null;
	for (let l = 1; l <= n && fp === null; l++)
		if (t.issues.every((is) => l < lines(is)[0] - 4 || l > lines(is)[1] + 4)) fp = l;
	check(fp !== null, `${t.id}: no line far from every issue`);
	return { task: t, code, falsePositiveLine: fp };
}

/* A pr_review negotiation whose first turn, naming the root cause, brings a new revision. */
function pickPrTask() {
	for (const t of readTasks('pr_review')) {
		if ((t.split || 'train') !== 'train' || t.versions.length < 2) continue;
		const s0 = t.states[0];
		const rule = (s0.on || []).find((r) => (!r.decision || r.decision === 'request_changes') && r.root_cause !== false);
		const next = rule && t.states.find((s) => s.id === rule.to);
		const v0 = t.versions.find((v) => v.id === s0.version);
		const critical = v0.issues.some((vi) => (t.issues.find((i) => i.id === vi.id) || {}).severity === 'critical');
		if (rule && rule.root_cause === true && next && next.version && next.version !== s0.version && !critical && v0.issues.length)
			return { task: t, next };
	}
	throw new Failure(`no suitable pr_review negotiation under ${TASKS}`);
}

/* What an ideal reviewer does on the version in front of it. */
function oracleTurn(task, revision) {
	const v = task.versions[revision - 1];
	const issues = v.issues.map((vi) => task.issues.find((i) => i.id === vi.id));
	if (!issues.length) return { decision: 'approve', comment: 'The change is correct now; approving.' };
	if (issues.some((i) => i.severity === 'critical')) return { decision: 'escalate', comment: issues[0].explanation };
	return { decision: 'request_changes', comment: issues[0].explanation };
}

/* ------------------------------------------------------------------ processes */

async function startServer(tmp, { allowModels = true, name = 'server' } = {}) {
	const portFile = path.join(tmp, `${name}.port`);
	const args = ['serve', '--host', '127.0.0.1', '--port', '0', '--port-file', portFile,
		'--tasks', TASKS, '--web-dir', WEB, '--log-level', 'warn'];
	if (allowModels) args.push('--store', path.join(tmp, `${name}.db`), '--allow-model-calls');
	else args.push('--no-store');
	check(fs.existsSync(BIN), `server binary ${BIN} not found (build it with make, or set REVIEWGYM_BIN)`);
	const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
	let log = '';
	child.stdout.on('data', (d) => { log += d; });
	child.stderr.on('data', (d) => { log += d; });
	let exited = null;
	child.on('exit', (code, sig) => { exited = `exited with ${code ?? sig}`; });
	const t0 = Date.now();
	while (Date.now() - t0 < 15000) {
		if (exited) throw new Error(`${BIN} ${exited}:\n${log}`);
		if (fs.existsSync(portFile)) {
			const port = Number(fs.readFileSync(portFile, 'utf8').trim());
			if (port > 0) {
				const base = `http://127.0.0.1:${port}`;
				try {
					const r = await http(base, 'GET', '/health');
					if (r.status === 200) return { child, base, log: () => log, stop: () => stopChild(child) };
				} catch (e) {
					/* not yet */
				}
			}
		}
		await sleep(50);
	}
	child.kill('SIGKILL');
	throw new Error(`${BIN} did not start within 15 s:\n${log}`);
}

function stopChild(child) {
	return new Promise((ok) => {
		if (child.exitCode !== null || child.signalCode !== null) return ok();
		const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
		child.once('exit', () => { clearTimeout(timer); ok(); });
		child.kill('SIGTERM');
	});
}

/* ------------------------------------------------------------------ tests */

const shared = {};   // what later tests need from earlier ones

const tests = [];
const test = (name, fn, opts = {}) => tests.push({ name, fn, opts });

test('overview_live', async ({ page, base }) => {
	await page.goto(`${base}/web/#/overview`);
	await waitVisible(page, tid('stat-steps-total'));
	await waitText(page, tid('feed-status'), /connected/);
	// play a short episode over HTTP while the overview is open
	const { task } = pickCodeTask();
	const r = await http(base, 'POST', '/reset', { task_id: task.id, client: 'browser-test', episode_id: 'browser-overview-1' });
	check(r.status === 200, `POST /reset: ${r.status} ${r.text}`);
	const is = task.issues[0];
	const s = await http(base, 'POST', '/step', { episode_id: 'browser-overview-1', action: { findings: [
		{ line_number: lines(is)[0], issue_type: is.type, description: is.explanation, suggested_fix: is.fix }] } });
	check(s.status === 200, `POST /step: ${s.status} ${s.text}`);
	// the feed shows the step live, with its reward
	const row = await waitText(page, tid('feed-list'), new RegExp(task.id));
	check(row.includes(String(Number(s.data.reward.toFixed(4)))), `feed row lacks the reward ${s.data.reward}: ${row}`);
	// the next poll counts it
	const steps = await waitText(page, tid('stat-steps-total'), /^[1-9]\d*$/, 5000);
	check(Number(steps) >= 1, `steps_total ${steps}`);
	const sum = await page.locator(tid('chart-series')).getAttribute('data-sum');
	check(Number(sum) >= 1, `the 60 s series shows no step (data-sum=${sum})`);
	await waitVisible(page, tid(`hist-task-${task.id}`));
	const easy = await page.locator(tid(`hist-difficulty-${task.difficulty}`)).textContent();
	check(/n=[1-9]/.test(easy), `the ${task.difficulty} histogram counts nothing: ${easy}`);
	const written = await waitText(page, tid('stat-store-written'), /^[1-9]\d*$/, 5000);
	check(Number(written) >= 1, `store written ${written}`);
});

test('play_code_review', async ({ page, base }) => {
	const { task, falsePositiveLine } = pickCodeTask();
	const is = task.issues[0];
	const line = lines(is)[0];
	await page.goto(`${base}/web/#/play`);
	await waitVisible(page, tid('task-select'));
	await page.selectOption(tid('task-select'), task.id);
	await page.click(tid('play-start'));
	await waitText(page, tid('task-title'), new RegExp(task.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
	await waitText(page, tid('attempts-left'), /^3$/);
	const code = await page.locator(tid('code')).textContent();
	check(code.includes(fs.readFileSync(path.join(task.dir, 'code.py'), 'utf8').split('\n')[0]), 'the code is not shown');
	// click the issue's line: a form opens on it; add the right finding
	await page.click(tid(`line-${line}`));
	await waitVisible(page, tid('finding-form'));
	await page.selectOption(tid('finding-type'), is.type);
	await page.fill(tid('finding-description'), is.explanation);
	await page.fill(tid('finding-fix'), is.fix);
	await page.click(tid('finding-add'));
	// and a false positive far from every issue
	await page.click(tid(`line-${falsePositiveLine}`));
	await page.fill(tid('finding-description'), 'this line looks suspicious to me');
	await page.click(tid('finding-add'));
	await waitCount(page, tid('finding-ann'), (n) => n === 2, '2 findings drawn');
	const drawn = await page.locator(`${tid(`line-${line}`)} + ${tid('finding-ann')}`).textContent();
	check(drawn.includes(is.explanation.slice(0, 30)), `the finding is not drawn under line ${line}: ${drawn}`);
	await page.click(tid('submit-attempt'));
	const fb = await waitText(page, tid('feedback'), /Attempt 1\/3/);
	check(/false positive/.test(fb), `feedback does not mention the false positive: ${fb}`);
	const reward = Number(await page.locator(tid('reward')).textContent());
	check(reward > 0 && reward < 1, `reward ${reward} should be partial`);
	await waitText(page, tid('attempts-left'), /^2$/);
	const verdicts = await page.locator(`${tid('bd-findings')} tbody`).textContent();
	check(/matched/.test(verdicts) && /unmatched/.test(verdicts), `per-finding verdicts: ${verdicts}`);
	const issuesTable = await page.locator(`${tid('bd-issues')} tbody`).textContent();
	check(/missed/.test(issuesTable) && /finding 1/.test(issuesTable), `per-issue table: ${issuesTable}`);
	const summary = await page.locator(tid('bd-score')).textContent();
	check(Number(summary) === reward, `breakdown score ${summary} vs reward ${reward}`);
	// the findings stay for the next attempt, marked with their verdicts
	await waitCount(page, `.ann.finding.v-matched`, (n) => n === 1, 'one matched finding on the code');
	// finish the episode: two more attempts
	for (let a = 2; a <= 3; a++) {
		if (await page.locator(tid('episode-end')).count()) break;
		await page.click(tid('submit-attempt'));
		await waitText(page, tid('feedback'), new RegExp(`Attempt ${a}/3`));
	}
	await waitVisible(page, tid('episode-end'));
	const score = await page.locator(tid('episode-score')).textContent();
	check(Number(score) === reward, `episode score ${score} should be the best attempt ${reward}`);
	const link = await waitText(page, tid('replay-link'), /Replay episode #\d+/);
	shared.crStoreId = /#(\d+)/.exec(link)[1];
	shared.crTask = task;
	shared.crReward = reward;
});

test('play_code_review_episode', async ({ page, base }) => {
	// the default episode walks easy -> medium -> hard; a big seed goes through exactly
	const seed = '9007199254740993';
	await page.goto(`${base}/web/#/play`);
	await waitVisible(page, tid('task-select'));
	await page.selectOption(tid('task-select'), 'family:code_review');
	await page.fill(tid('seed'), seed);
	await page.click(tid('play-start'));
	await waitText(page, tid('task-progress'), /^1 \/ 3$/);
	const titles = [];
	for (let task = 1; task <= 3; task++) {
		await waitText(page, tid('task-progress'), new RegExp(`^${task} / 3$`));
		titles.push(await page.locator(tid('task-title')).textContent());
		for (let a = 1; a <= 3; a++) {
			await page.click(tid('submit-attempt'));
			await waitText(page, tid('feedback'), new RegExp(`Attempt ${a}/3`));
		}
	}
	check(new Set(titles).size === 3, `three different tasks expected: ${titles}`);
	await waitVisible(page, tid('episode-end'));
	await waitText(page, tid('episode-score'), /^0$/);
	await waitText(page, tid('episode-seed'), new RegExp(`^${seed}$`));
	await waitText(page, tid('replay-link'), /Replay episode #\d+/);
	// a task id in the route starts that task at once
	const { task } = pickCodeTask();
	await page.goto(`${base}/web/#/play/${task.id}`);
	await waitText(page, tid('task-title'), new RegExp(task.title.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
	await waitText(page, tid('attempts-left'), /^3$/);
});

test('play_pr_review', async ({ page, base }) => {
	const { task, next } = pickPrTask();
	await page.goto(`${base}/web/#/play`);
	await waitVisible(page, tid('task-select'));
	await page.selectOption(tid('task-select'), task.id);
	await page.click(tid('play-start'));
	await waitText(page, tid('pr-title'), new RegExp(task.pr_title.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
	await waitText(page, tid('author-message'), new RegExp(task.states[0].message.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
	await waitText(page, tid('revision'), /^1$/);
	const diff1 = await page.locator(tid('pr-diff')).textContent();
	check(/@@/.test(diff1), 'the diff has no hunk');
	check(await page.locator(`${tid('pr-diff')} .d-add`).count() > 0, 'the diff shows no added line');
	// turn 1: request changes naming the root cause
	const turn = oracleTurn(task, 1);
	check(turn.decision === 'request_changes', `unexpected first decision ${turn.decision}`);
	await page.check(tid('decision-request_changes'));
	await page.fill(tid('comment'), turn.comment);
	await page.click(tid('submit-turn'));
	await waitText(page, tid('feedback'), /Turn 1\//);
	await waitCount(page, tid('history-turn'), (n) => n === 1, 'one turn in the conversation');
	const hist = await page.locator(tid('history-turn')).first().textContent();
	check(hist.includes('request_changes') && hist.includes(turn.comment.slice(0, 30)), `history turn: ${hist}`);
	// the author's reply and the next revision
	await waitText(page, tid('author-message'), new RegExp(next.message.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
	const rev = Number(await waitText(page, tid('revision'), /^[2-9]$/));
	check(task.versions[rev - 1].id === next.version, `revision ${rev} is not ${next.version}`);
	await waitVisible(page, tid(`rev-tab-${rev}`));
	const reward1 = Number(await page.locator(tid('reward')).textContent());
	check(reward1 > 0, `turn reward ${reward1}`);
	await waitVisible(page, tid('bd-issues'));
	// earlier revisions stay viewable
	await page.click(tid('rev-tab-1'));
	const again = await page.locator(tid('pr-diff')).textContent();
	check(again === diff1, 'revision 1 diff changed when viewed again');
	await page.click(tid(`rev-tab-${rev}`));
	check((await page.locator(tid('pr-diff')).textContent()) !== diff1, 'the new revision shows the old diff');
	// the whole file of the current revision, with line numbers
	await page.check(tid('show-file'));
	await waitVisible(page, tid('pr-file'));
	const file = await page.locator(tid('pr-file')).textContent();
	const head = fs.readFileSync(path.join(task.dir, task.versions[rev - 1].file), 'utf8');
	check(await page.locator(`${tid('pr-file')} .cl`).count() === head.replace(/\n$/, '').split('\n').length
		&& file.includes(head.split('\n')[0]), 'the whole-file view does not show the current revision');
	await page.uncheck(tid('show-file'));
	await waitVisible(page, tid('pr-diff'));
	await page.screenshot({ path: path.join(SHOTS, 'play_pr_review-turn1.png'), fullPage: true });
	// play on like an ideal reviewer until the episode ends
	for (let i = 0; i < task.max_turns && !(await page.locator(tid('episode-end')).count()); i++) {
		const r = Number(await page.locator(tid('revision')).textContent());
		const t = oracleTurn(task, r);
		await page.check(tid(`decision-${t.decision}`));
		await page.fill(tid('comment'), t.comment);
		const before = await page.locator(tid('history-turn')).count();
		await page.click(tid('submit-turn'));
		await waitCount(page, tid('history-turn'), (n) => n === before + 1, `${before + 1} turns`);
	}
	await waitVisible(page, tid('episode-end'));
	const outcome = await page.locator(tid('outcome')).textContent();
	check(/success/.test(outcome), `the ideal path should succeed: ${outcome}`);
	const score = Number(await page.locator(tid('episode-score')).textContent());
	check(score > 0.5, `episode score ${score}`);
	const link = await waitText(page, tid('replay-link'), /Replay episode #\d+/);
	shared.prStoreId = /#(\d+)/.exec(link)[1];
	shared.prTurns = await page.locator(tid('history-turn')).count();
	shared.prTask = task;
});

test('replay_code_review', async ({ page, base }) => {
	check(shared.crStoreId, 'needs play_code_review');
	const task = shared.crTask;
	await page.goto(`${base}/web/#/play`);
	await page.goto(`${base}/web/#/replay/${shared.crStoreId}`);
	await waitText(page, tid('replay-family'), /code_review/);
	await waitCount(page, tid('replay-step'), (n) => n === 3, '3 attempts');
	const first = page.locator(tid('replay-step')).first();
	// findings drawn on their lines with verdicts
	const line = lines(task.issues[0])[0];
	const ann = await first.locator(`${tid(`line-${line}`)} + ${tid('finding-ann')}`).textContent();
	check(/matched/.test(ann), `line ${line}: ${ann}`);
	check(await first.locator('.ann.finding.v-unmatched').count() === 1, 'the false positive is not drawn as unmatched');
	// the episode is done: the ground truth is drawn, missed issues in red
	const missed = await first.locator(tid('missed-issue')).count();
	check(missed === task.issues.length - 1, `missed issues drawn: ${missed}, expected ${task.issues.length - 1}`);
	const truth = await first.locator(tid('truth-issue')).textContent();
	check(truth.includes(task.issues[0].explanation.slice(0, 30)), `the found issue is not drawn: ${truth}`);
	// each reward component
	const comp = await first.locator(tid('bd-summary')).textContent();
	check(comp.includes(String(shared.crReward)) && /coverage bonus/.test(comp) && /false-positive penalty/.test(comp), `components: ${comp}`);
	const rows = await first.locator(`${tid('bd-issues')} tbody tr`).count();
	check(rows === task.issues.length, `per-issue rows ${rows}`);
	await waitText(page, tid('replay-score'), new RegExp(`^${shared.crReward}$`));
});

test('replay_pr_review', async ({ page, base }) => {
	check(shared.prStoreId, 'needs play_pr_review');
	await page.goto(`${base}/web/#/replay/${shared.prStoreId}`);
	await waitText(page, tid('replay-family'), /pr_review/);
	await waitCount(page, tid('replay-turn'), (n) => n === shared.prTurns, `${shared.prTurns} turns`);
	const turns = page.locator(tid('replay-turn'));
	const d1 = await turns.nth(0).locator(tid('replay-diff')).textContent();
	const d2 = await turns.nth(1).locator(tid('replay-diff')).textContent();
	check(/@@/.test(d1) && d1 !== d2, 'each turn should show the diff of the revision it reviewed');
	const c1 = await turns.nth(0).locator(tid('replay-comment')).textContent();
	check(c1.includes(oracleTurn(shared.prTask, 1).comment.slice(0, 30)), `turn 1 comment: ${c1}`);
	const author = await turns.nth(0).locator(tid('replay-author')).textContent();
	check(author.length > 10, 'no author reply on turn 1');
	check(/truth/.test(await turns.nth(0).textContent()), 'the revision verdict (ground truth) is missing');
	await waitVisible(page, `${tid('replay-turn')} ${tid('bd-summary')}`);
});

const SNIPPET = [
	'def average(values):',
	'    """The mean of a list of numbers."""',
	'    total = 0',
	'    for v in values:',
	'        total += v',
	'    return total / len(values)',
	'',
].join('\n');
const FIXED = SNIPPET.replace('    return total / len(values)', '    if not values:\n        return 0.0\n    return total / len(values)');
const MODEL_ANSWER = {
	decision: 'request_changes',
	comment: 'average() divides by len(values): a division by zero when the list is empty.',
	findings: [{ line_number: 6, issue_type: 'bug', description: 'ZeroDivisionError: division by zero when values is empty',
		suggested_fix: 'guard: if not values, return 0.0' }],
	fixed_code: FIXED,
};

async function fillSnippetWithIssue(page) {
	await page.check(tid('custom-mode-code'));
	await page.fill(tid('custom-input'), SNIPPET);
	await page.click(tid('add-expected'));
	const row = page.locator(tid('expected-issue')).last();
	await row.locator(tid('expected-line')).fill('6');
	await row.locator(tid('expected-type')).selectOption('bug');
	await row.locator(tid('expected-severity')).selectOption('medium');
	await row.locator(tid('expected-class')).fill('division_by_zero');
	await row.locator(tid('expected-description')).fill('Division by zero when values is empty.');
	await row.locator(tid('expected-concepts')).fill('division by zero, divide by zero, zerodivisionerror');
	await row.locator(tid('expected-fix')).fill('Guard: if not values, return 0.0.');
	await row.locator(tid('expected-fix_concepts')).fill('guard, if not values, check');
}

test('custom_model_review', async ({ page, base, llm }) => {
	const secret = 'sk-browser-test-secret';
	await page.goto(`${base}/web/#/custom`);
	await waitVisible(page, tid('custom-input'));
	await fillSnippetWithIssue(page);
	await page.fill(tid('model-base-url'), llm.baseUrl);
	await page.fill(tid('model-name'), 'fake-reviewer');
	await page.fill(tid('model-api-key'), secret);
	check(await page.locator(tid('model-api-key')).getAttribute('type') === 'password', 'the key field is not a password field');
	await page.click(tid('custom-run'));
	await waitVisible(page, tid('model-result'));
	const reward = await waitText(page, tid('model-reward'), /^\d/);
	check(Number(reward) >= 0.9, `the model's matched finding should score high, got ${reward}`);
	const ann = await page.locator(`${tid('model-code')} ${tid('line-6')} + ${tid('finding-ann')}`).textContent();
	check(/matched/.test(ann) && /ZeroDivisionError/.test(ann), `finding on line 6: ${ann}`);
	const diff = await page.locator(tid('model-diff')).textContent();
	check(diff.includes('if not values:') && await page.locator(`${tid('model-diff')} .d-add`).count() === 2, `fix diff: ${diff}`);
	await waitVisible(page, `${tid('model-result')} ${tid('bd-issues')}`);
	// the server called the model with the user's key; the page kept it nowhere
	const call = llm.requests.find((r) => r.body && r.body.model === 'fake-reviewer');
	check(call, 'the fake model was not called');
	check(call.headers.authorization === `Bearer ${secret}`, `authorization header: ${call.headers.authorization}`);
	check(JSON.stringify(call.body.messages).includes('return total / len(values)'), 'the prompt lacks the pasted code');
	const stored = await page.evaluate(() => JSON.stringify({ l: { ...localStorage }, s: { ...sessionStorage }, c: document.cookie, u: location.href }));
	check(!stored.includes(secret), `the key leaked into storage/cookies/URL: ${stored}`);
	// Copy puts the diff on the clipboard; Accept replaces the code
	await page.click(tid('copy-diff'));
	await waitText(page, tid('fix-status'), /copied/);
	const clip = await page.evaluate(() => navigator.clipboard.readText());
	check(clip.includes('+    if not values:'), `clipboard: ${clip}`);
	await page.click(tid('accept-fix'));
	await waitText(page, tid('fix-status'), /accepted/);
	check(await page.locator(tid('custom-input')).inputValue() === FIXED, 'Accept did not replace the code with fixed_code');
	await page.screenshot({ path: path.join(SHOTS, 'custom_model_review-accepted.png'), fullPage: true });
	const link = await page.locator(tid('model-replay-link')).getAttribute('href');
	check(/#\/replay\/\d+/.test(link), `replay link ${link}`);
});

test('custom_by_hand', async ({ page, base }) => {
	await page.goto(`${base}/web/#/custom`);
	await waitVisible(page, tid('custom-input'));
	await page.fill(tid('custom-input'), SNIPPET);
	// the form kept the expected issue of the previous test; make sure there is one
	if (!(await page.locator(tid('expected-issue')).count())) await fillSnippetWithIssue(page);
	await page.click(tid('custom-hand'));
	await waitText(page, tid('custom-task'), /custom task custom-[0-9a-f]+ .*graded against 1 expected issue/);
	await waitVisible(page, tid('pr-diff'));
	await page.click(tid('dline-6'));
	await page.fill(tid('finding-description'), 'division by zero when the list is empty');
	await page.fill(tid('finding-fix'), 'guard: if not values return 0.0');
	await page.click(tid('finding-add'));
	await page.check(tid('decision-request_changes'));
	await page.fill(tid('comment'), 'Empty input crashes.');
	await page.click(tid('submit-turn'));
	await waitVisible(page, tid('episode-end'));
	const reward = Number(await page.locator(tid('reward')).textContent());
	check(reward >= 0.9, `hand review reward ${reward}`);
	const fb = await page.locator(tid('feedback')).textContent();
	check(/matches a known issue/.test(fb), `feedback: ${fb}`);
});

test('history', async ({ page, base }) => {
	// a dozen short episodes so the table has more than one page
	const pr = await http(base, 'POST', '/reset', { family: 'pr_review', seed: 1, client: 'browser-test', episode_id: 'browser-history-pr' });
	check(pr.status === 200, `reset: ${pr.text}`);
	const prStep = await http(base, 'POST', '/step', { episode_id: 'browser-history-pr', action: { decision: 'comment', comment: 'Looking at it.' } });
	check(prStep.status === 200, `step: ${prStep.text}`);
	for (let i = 0; i < 12; i++) {
		const r = await http(base, 'POST', '/reset', { family: 'code_review', seed: i, client: 'browser-test', episode_id: `browser-history-${i}` });
		check(r.status === 200, `reset: ${r.text}`);
	}
	// the store writes asynchronously: wait until the last one is readable
	let all = null;
	for (let i = 0; i < 50; i++) {
		all = await http(base, 'GET', '/api/episodes?limit=200');
		if (all.data.episodes.some((e) => e.episode_id === 'browser-history-11')) break;
		await sleep(100);
	}
	check(all.data.episodes.some((e) => e.episode_id === 'browser-history-11'), 'the store never listed the new episodes');
	await page.goto(`${base}/web/#/history`);
	await page.selectOption(tid('filter-limit'), '10');
	await waitCount(page, tid('history-row'), (n) => n === 10, '10 rows on page 1');
	const first = await page.locator(tid('history-row')).first().getAttribute('data-episode-id');
	check(first === all.data.episodes[0].episode_id, `newest first: ${first} vs ${all.data.episodes[0].episode_id}`);
	await page.click(tid('page-older'));
	await waitText(page, tid('page-number'), /page 2/);
	await waitCount(page, tid('history-row'), (n) => n >= 1, 'rows on page 2');
	const p2 = await page.locator(tid('history-row')).first().getAttribute('data-episode-id');
	check(p2 === all.data.episodes[10].episode_id, `page 2 starts at the 11th episode: ${p2}`);
	await page.click(tid('page-newer'));
	await waitText(page, tid('page-number'), /page 1/);
	// filter by family: only pr_review episodes, including the one played
	await page.selectOption(tid('filter-family'), 'pr_review');
	await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="history-row"]')].every((r) => r.children[2].textContent === 'pr_review')
		&& document.querySelectorAll('[data-testid="history-row"]').length > 0, null, { timeout: T });
	const prRows = await page.locator(tid('history-row')).count();
	const prCount = all.data.episodes.filter((e) => e.family === 'pr_review').length;
	check(prRows === Math.min(10, prCount), `pr_review rows ${prRows}, store has ${prCount}`);
	// per-task means, table and chart
	await waitVisible(page, tid('means-table'));
	const means = await page.locator(tid('means-table')).textContent();
	check(shared.prTask ? means.includes(shared.prTask.id) : /pr-/.test(means), `means table: ${means}`);
	check(await page.locator(`${tid('means-chart')} g`).count() >= 1, 'no bar in the means chart');
	// export links carry the filter and answer 200
	for (const [id, type] of [['export-jsonl', /ndjson|jsonl|json/], ['export-csv', /csv/]]) {
		const href = await page.locator(tid(id)).getAttribute('href');
		check(/family=pr_review/.test(href), `${id} lacks the filter: ${href}`);
		const abs = new URL(href, page.url()).toString();
		const r = await fetch(abs);
		const body = await r.text();
		check(r.status === 200, `${id} ${abs}: HTTP ${r.status} ${body.slice(0, 200)}`);
		check(type.test(r.headers.get('content-type') || ''), `${id} content-type ${r.headers.get('content-type')}`);
		if (id === 'export-csv') {
			const rows = body.trim().split('\n');
			check(/^id,episode_id,family/.test(rows[0]) && rows.length === prCount + 1, `csv: ${rows.length} lines, header ${rows[0]}`);
		} else {
			const eps = body.trim().split('\n').map((l) => JSON.parse(l));
			check(eps.length === prCount && eps.every((e) => e.family === 'pr_review'), `jsonl: ${eps.length} episodes`);
		}
	}
	await page.selectOption(tid('filter-family'), '');
	await waitCount(page, tid('history-row'), (n) => n === 10, '10 rows again');
});

test('errors_are_shown', async ({ page, base }) => {
	await page.goto(`${base}/web/#/replay/999999`);
	await waitText(page, tid('replay-error'), /404.*no stored episode/);
	await page.goto(`${base}/web/#/custom`);
	await waitVisible(page, tid('custom-input'));
	await page.fill(tid('custom-input'), '');
	for (let i = await page.locator(tid('expected-remove')).count(); i > 0; i--) await page.locator(tid('expected-remove')).first().click();
	await page.click(tid('custom-hand'));
	await waitText(page, tid('custom-error'), /422.*code/);
}, { allowConsole: [/Failed to load resource: the server responded with a status of (404|422)/] });

test('model_calls_disabled', async ({ page, tmp }) => {
	const off = await startServer(tmp, { allowModels: false, name: 'nomodels' });
	try {
		await page.goto(`${off.base}/web/#/custom`);
		await waitText(page, tid('model-disabled'), /disabled by the operator/);
		check(await page.locator(tid('custom-run')).isDisabled(), 'Run model is enabled on a server without --allow-model-calls');
		await waitText(page, tid('server-info'), /model calls off/);
	} finally {
		await off.stop();
	}
});

/* ------------------------------------------------------------------ runner */

async function main() {
	fs.mkdirSync(SHOTS, { recursive: true });
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reviewgym-browser-'));
	let server = null, llm = null, browser = null;
	let passed = 0, failed = 0;
	const cleanup = async () => {
		if (browser) await browser.close().catch(() => {});
		if (server) await server.stop();
		if (llm) await llm.close();
		fs.rmSync(tmp, { recursive: true, force: true });
	};
	process.on('SIGINT', () => { cleanup().finally(() => process.exit(130)); });
	try {
		if (!fs.existsSync(CHROMIUM))
			throw new Error(`no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM`);
		llm = await startFakeLlm(() => JSON.stringify(MODEL_ANSWER));
		server = await startServer(tmp);
		browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: !process.env.HEADED });
	} catch (e) {
		console.log(`browser: setup failed: ${e.message}`);
		await cleanup();
		console.log('browser: 0 passed, 1 failed');
		process.exit(1);
	}
	for (const t of tests) {
		if (ONLY && !ONLY.includes(t.name)) continue;
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
		const page = await context.newPage();
		const problems = [];
		const allowed = t.opts.allowConsole || [];
		page.on('console', (m) => {
			if (m.type() === 'error' && !allowed.some((re) => re.test(m.text())))
				problems.push(`console error: ${m.text()}${m.location() && m.location().url ? ` (${m.location().url})` : ''}`);
		});
		page.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
		const t0 = Date.now();
		let error = null;
		try {
			await t.fn({ page, base: server.base, llm, tmp });
			await sleep(100); // late console errors of the last action
		} catch (e) {
			error = e;
		}
		await page.screenshot({ path: path.join(SHOTS, `${t.name}.png`), fullPage: true }).catch(() => {});
		await context.close();
		const secs = ((Date.now() - t0) / 1000).toFixed(1);
		if (!error && problems.length) error = new Failure(problems.join('; '));
		else if (error && problems.length) error.message += ` [page: ${problems.join('; ')}]`;
		if (error) {
			failed++;
			console.log(`FAIL ${t.name} (${secs} s): ${error instanceof Failure ? error.message : error.stack}`);
		} else {
			passed++;
			console.log(`ok   ${t.name} (${secs} s)`);
		}
	}
	if (failed) {
		const log = server.log().trim();
		if (log) console.log(`--- server log (last 40 lines)\n${log.split('\n').slice(-40).join('\n')}`);
	}
	await cleanup();
	console.log(`browser: ${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}

main().catch((e) => {
	console.log(`browser: crashed: ${e.stack}`);
	console.log('browser: 0 passed, 1 failed');
	process.exit(1);
});
