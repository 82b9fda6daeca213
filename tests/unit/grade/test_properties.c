/*
 * test_properties.c - the grader's required properties, each checked over EVERY
 * code_review task of the real bank: the reference review is near perfect; the
 * cheap ways to game a keyword grader (flooding every line, spraying the lexicon,
 * pasting the code, every type on every line, one keyword-soup finding) average
 * <= 0.05; adding a true finding never lowers a score and adding a false positive
 * never raises it; the exact line beats a line two away. The measured averages are
 * printed ("property ...") so running the binary shows the figures.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "grade/audit.h"
#include "grade/grade.h"
#include "unit/support.h"

/* A gaming strategy must average at most this over the bank. */
#define GAMING_MAX 0.05
/* The reference review must score at least this on every task. */
#define PERFECT_MIN 0.95

static rg_bank *bank;
static const rg_lexicon *lex;

static void setup(void)
{
	bank = rg_test_load_bank();
	lex = rg_bank_lexicon(bank);
	cr_assert_gt(lex->n, 0);
}

static void teardown(void)
{
	rg_bank_destroy(bank);
}

TestSuite(props, .init = setup, .fini = teardown);

/* --- helpers ------------------------------------------------------------- */

/* The i-th code_review task, or NULL past the end (other families are skipped). */
static const rg_task *cr_task(size_t *cursor)
{
	while (*cursor < rg_bank_count(bank)) {
		const rg_task *t = rg_bank_at(bank, (*cursor)++);
		if (!strcmp(t->family, "code_review"))
			return t;
	}
	return NULL;
}

#define FOR_EACH_TASK(t) \
	for (size_t cur_ = 0, once_ = 1; once_; once_ = 0) \
		for (const rg_task *t; (t = cr_task(&cur_));)

typedef struct sbuf {
	char *s;
	size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		cr_assert_not_null(b->s);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Every phrase of the groups, separated so words never run together. */
static void sb_add_groups(sbuf *b, const rg_group *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < g[i].n; k++) {
			sb_add(b, g[i].phrases[k].text, g[i].phrases[k].len);
			sb_add(b, "; ", 2);
		}
}

/* Every phrase of every lexicon class. */
static void sb_add_lexicon(sbuf *b)
{
	sb_add_groups(b, lex->classes, lex->n);
}

static rg_finding finding(int line, int type, const char *desc, size_t dlen, const char *fix,
			  size_t flen)
{
	return (rg_finding){ .line = line, .line_end = line, .type = type, .description = desc,
			     .description_len = dlen, .fix = fix, .fix_len = flen };
}

static rg_grade_result result; /* large: keep it off the stack */

static double score(const rg_task *t, const rg_finding *f, size_t n)
{
	rg_err err = { 0 };
	int rc = rg_grade_attempt(t, lex, f, n, &rg_grade_default, &result, &err);
	cr_assert_eq(rc, RG_OK, "%s: grading failed: %s", t->id, err.msg);
	cr_assert(result.score >= 0.0 && result.score <= 1.0);
	return result.score;
}

/* Lines one finding per line can cover without exceeding the findings limit. */
static size_t lines_coverable(const rg_task *t, size_t per_line)
{
	size_t n = t->n_lines;
	return n * per_line <= RG_MAX_FINDINGS ? n : RG_MAX_FINDINGS / per_line;
}

/* One line of figures on stdout (shown when the binary is run directly). */
static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

typedef struct tally {
	const char *what;
	double sum, worst;
	const char *worst_task;
	size_t n;
	double credit;          /* issues_mean + bonus of the graded attempts, before penalty */
	size_t found, issues;   /* issues matched / issues, over the tasks */
} tally;

/* Record s, the score of the attempt just graded (result holds its breakdown). */
static void tally_add(tally *y, const rg_task *t, double s)
{
	y->sum += s;
	y->n++;
	y->credit += result.issues_mean + result.bonus;
	y->found += result.n_found;
	y->issues += t->n_issues;
	if (s > y->worst || !y->worst_task) {
		y->worst = s;
		y->worst_task = t->id;
	}
}

static double tally_report(const tally *y)
{
	cr_assert_gt(y->n, 0, "%s: no code_review task in the bank", y->what);
	double mean = y->sum / (double)y->n;
	double credit = y->credit / (double)y->n;
	note("property %s: mean %.4f over %zu tasks (worst %.4f on %s); before the penalty "
	     "%.4f, %zu of %zu issues matched",
	     y->what, mean, y->n, y->worst, y->worst_task, credit, y->found, y->issues);
	return mean;
}

static void assert_gaming_bounded(const tally *y)
{
	double mean = tally_report(y);
	cr_assert_leq(mean, GAMING_MAX, "%s averages %.4f > %.2f (worst %.4f on %s)", y->what,
		      mean, GAMING_MAX, y->worst, y->worst_task);
}

/* For max-over-attempts strategies: keep the best attempt's breakdown (higher
 * score, then more credit before the penalty). */
static rg_grade_result best_result;

static void keep_best(double *best, double s)
{
	double credit = result.issues_mean + result.bonus;
	if (s > *best || (s == *best && credit > best_result.issues_mean + best_result.bonus)) {
		*best = s;
		best_result = result;
	}
}

/* Flood: one finding with desc/fix on each line, with type (or 3 types per line
 * when type < 0). */
static double flood(const rg_task *t, const char *desc, size_t dlen, const char *fix,
		    size_t flen, int type)
{
	static rg_finding f[RG_MAX_FINDINGS];
	size_t per_line = type < 0 ? RG_ISSUE__COUNT : 1, n = 0;
	size_t lines = lines_coverable(t, per_line);
	for (size_t l = 1; l <= lines; l++)
		for (size_t k = 0; k < per_line; k++)
			f[n++] = finding((int)l, type < 0 ? (int)k : type, desc, dlen, fix, flen);
	return score(t, f, n);
}

/* Flood every task once per issue type (desc NULL: paste the task's own code as
 * description and fix); each type's bank average, and all of them, must be low. */
static void flood_each_type(const char *label, const char *desc, size_t dlen)
{
	char all_what[96];
	snprintf(all_what, sizeof all_what, "%s (all types)", label);
	tally all = { .what = all_what };
	for (int type = 0; type < RG_ISSUE__COUNT; type++) {
		char what[96];
		snprintf(what, sizeof what, "%s as %s", label,
			 rg_issue_type_name((enum rg_issue_type)type));
		tally y = { .what = what };
		FOR_EACH_TASK(t)
		{
			const char *d = desc ? desc : t->code;
			size_t n = desc ? dlen : strlen(t->code);
			double s = flood(t, d, n, d, n, type);
			tally_add(&y, t, s);
			tally_add(&all, t, s);
		}
		assert_gaming_bounded(&y);
	}
	assert_gaming_bounded(&all);
}

/* One finding with desc/fix tried at every line with every type; *best and
 * best_result keep the best attempt. */
static void best_single(const rg_task *t, const char *desc, size_t dlen, const char *fix,
			size_t flen, double *best)
{
	for (size_t l = 1; l <= t->n_lines; l++)
		for (int type = 0; type < RG_ISSUE__COUNT; type++) {
			rg_finding f = finding((int)l, type, desc, dlen, fix, flen);
			keep_best(best, score(t, &f, 1));
		}
}

/* --- a. the reference review ---------------------------------------------- */

Test(props, reference_review_is_near_perfect_on_every_task)
{
	rg_finding f[RG_MAX_ISSUES];
	tally y = { .what = "a. reference review" };
	FOR_EACH_TASK(t)
	{
		rg_audit_reference_findings(t, f);
		double s = score(t, f, t->n_issues);
		cr_expect_geq(s, PERFECT_MIN, "%s: the reference review scores %.4f", t->id, s);
		cr_expect_eq(result.n_found, t->n_issues, "%s: reference finds %zu of %zu issues",
			     t->id, result.n_found, t->n_issues);
		tally_add(&y, t, s);
	}
	tally_report(&y);
}

/* --- b-f. gaming strategies ------------------------------------------------ */

Test(props, flooding_every_line_with_a_generic_finding_earns_nothing)
{
	static const char generic[] = "possible bug here, check this line";
	flood_each_type("b. flooding", generic, strlen(generic));
}

Test(props, spraying_the_lexicon_on_every_line_earns_nothing)
{
	sbuf d = { 0 };
	sb_add_lexicon(&d);
	note("c. lexicon description: %zu bytes (graded up to %d)", d.len,
	     RG_MAX_FINDING_TEXT_BYTES);
	flood_each_type("c. keyword spraying", d.s, d.len);
	free(d.s);
}

Test(props, pasting_the_code_on_every_line_earns_nothing)
{
	flood_each_type("d. pasting the code", NULL, 0);
}

Test(props, pasting_the_nearby_code_on_every_line_earns_nothing)
{
	/* a sharper paste: each finding quotes the lines around it (+-3), which fits
	 * any description limit */
	static rg_finding f[RG_MAX_FINDINGS];
	tally y = { .what = "d. pasting nearby code (extra)" };
	FOR_EACH_TASK(t)
	{
		const char **starts = calloc(t->n_lines + 2, sizeof *starts);
		cr_assert_not_null(starts);
		starts[1] = t->code;
		for (size_t l = 2, k = 0; l <= t->n_lines + 1; l++) {
			const char *nl = strchr(t->code + k, '\n');
			starts[l] = nl ? nl + 1 : t->code + strlen(t->code);
			k = (size_t)(starts[l] - t->code);
		}
		size_t lines = lines_coverable(t, 1);
		for (size_t l = 1; l <= lines; l++) {
			size_t a = l > 3 ? l - 3 : 1, b = l + 4 <= t->n_lines + 1 ? l + 4 : t->n_lines + 1;
			size_t len = (size_t)(starts[b] - starts[a]);
			f[l - 1] = finding((int)l, RG_ISSUE_BUG, starts[a], len, starts[a], len);
		}
		tally_add(&y, t, score(t, f, lines));
		free(starts);
	}
	assert_gaming_bounded(&y);
}

Test(props, one_pasted_code_finding_earns_nothing_at_any_line)
{
	/* no flood, so no penalty to hide behind: the whole code in one finding, at
	 * the line (and type) where it scores best */
	tally y = { .what = "d. one pasted-code finding (extra, max over lines and types)" };
	FOR_EACH_TASK(t)
	{
		double best = -1;
		best_single(t, t->code, strlen(t->code), t->code, strlen(t->code), &best);
		result = best_result;
		tally_add(&y, t, best);
	}
	assert_gaming_bounded(&y);
}

Test(props, every_type_on_every_line_with_the_lexicon_earns_nothing)
{
	sbuf d = { 0 };
	sb_add_lexicon(&d);
	tally y = { .what = "e. every type on every line" };
	FOR_EACH_TASK(t)
		tally_add(&y, t, flood(t, d.s, d.len, d.s, d.len, -1));
	assert_gaming_bounded(&y);
	free(d.s);
}

Test(props, one_keyword_soup_finding_earns_nothing_at_any_line)
{
	/* Soups longer than the description limit are cut by the grader (the server
	 * would reject them), so both orders are tried: concepts first keeps every
	 * concept phrase, lexicon first keeps the whole lexicon. */
	tally y = { .what = "f. one keyword-soup finding (max over lines, types, orders)" };
	size_t longest = 0, over = 0;
	FOR_EACH_TASK(t)
	{
		double best = -1;
		sbuf fx = { 0 };
		for (size_t i = 0; i < t->n_issues; i++)
			sb_add_groups(&fx, t->issues[i].fix_concepts, t->issues[i].n_fix_concepts);
		for (int lexicon_first = 0; lexicon_first <= 1; lexicon_first++) {
			sbuf d = { 0 };
			if (lexicon_first)
				sb_add_lexicon(&d);
			for (size_t i = 0; i < t->n_issues; i++)
				sb_add_groups(&d, t->issues[i].concepts, t->issues[i].n_concepts);
			if (!lexicon_first)
				sb_add_lexicon(&d);
			if (d.len > longest)
				longest = d.len;
			over += !lexicon_first && d.len > RG_MAX_FINDING_TEXT_BYTES;
			best_single(t, d.s, d.len, fx.s, fx.len, &best);
			free(d.s);
		}
		result = best_result;
		tally_add(&y, t, best);
		free(fx.s);
	}
	note("f. soup descriptions: longest %zu bytes, %zu tasks over the %d graded", longest,
	     over, RG_MAX_FINDING_TEXT_BYTES);
	assert_gaming_bounded(&y);
}

Test(props, concept_only_soup_is_measured)
{
	/* Informational: the soup without the lexicon part. It names every issue's
	 * class, so it is unfocused wherever a task has issues of three or more
	 * classes; with two, naming one foreign class is allowed (max_foreign_classes),
	 * so the soup can earn one issue. Built from the answer key, it is no strategy
	 * an agent has. */
	tally y = { .what = "f. concept-only soup (extra, informational)" };
	FOR_EACH_TASK(t)
	{
		sbuf d = { 0 }, fx = { 0 };
		for (size_t i = 0; i < t->n_issues; i++) {
			sb_add_groups(&d, t->issues[i].concepts, t->issues[i].n_concepts);
			sb_add_groups(&fx, t->issues[i].fix_concepts, t->issues[i].n_fix_concepts);
		}
		double best = -1;
		best_single(t, d.s, d.len, fx.s, fx.len, &best);
		result = best_result;
		tally_add(&y, t, best);
		free(d.s);
		free(fx.s);
	}
	tally_report(&y);
}

/* --- g. monotonicity -------------------------------------------------------- */

Test(props, adding_a_true_finding_never_lowers_the_score)
{
	rg_finding ref[RG_MAX_ISSUES], f[RG_MAX_ISSUES];
	size_t checks = 0;
	FOR_EACH_TASK(t)
	{
		size_t n = t->n_issues;
		rg_audit_reference_findings(t, ref);
		for (size_t skip = 0; skip < n; skip++) {
			size_t k = 0;
			for (size_t i = 0; i < n; i++)
				if (i != skip)
					f[k++] = ref[i];
			double without = score(t, f, k);
			f[k] = ref[skip];
			double with = score(t, f, k + 1);
			cr_expect_geq(with, without, "%s: adding issue %zu's finding back: %.4f -> %.4f",
				      t->id, skip, without, with);
			/* and at the front, in case order matters */
			memmove(f + 1, f, k * sizeof *f);
			f[0] = ref[skip];
			double front = score(t, f, k + 1);
			cr_expect_eq(front, with, "%s: finding order changed the score", t->id);
			checks += 2;
		}
		/* every prefix of the reference review to the next */
		double prev = score(t, ref, 0);
		for (size_t k = 1; k <= n; k++) {
			double s = score(t, ref, k);
			cr_expect_geq(s, prev, "%s: prefix %zu scores %.4f < prefix %zu's %.4f", t->id,
				      k, s, k - 1, prev);
			prev = s;
			checks++;
		}
	}
	note("g. true finding added: %zu comparisons", checks);
}

/* First line of t farther than the window from every issue, or 0. */
static int far_line(const rg_task *t)
{
	int w = rg_grade_default.line_window;
	for (int l = 1; l <= (int)t->n_lines; l++) {
		bool far = true;
		for (size_t i = 0; i < t->n_issues && far; i++)
			far = l < t->issues[i].first_line - w - 1 || l > t->issues[i].last_line + w + 1;
		if (far)
			return l;
	}
	return 0;
}

/* score(prefix + fp) <= score(prefix), with fp appended and prepended; fp must
 * really be a false positive (it earns no extra issue). */
static size_t check_fp(const rg_task *t, const rg_finding *ref, size_t k, rg_finding fp,
		       const char *what)
{
	rg_finding f[RG_MAX_ISSUES + 1];
	double base = score(t, ref, k);
	size_t found = result.n_found;
	memcpy(f, ref, k * sizeof *f);
	f[k] = fp;
	double end = score(t, f, k + 1);
	cr_expect_eq(result.n_found, found, "%s: %s earned an issue", t->id, what);
	cr_expect_leq(end, base, "%s: %s after prefix %zu raised %.4f -> %.4f", t->id, what, k,
		      base, end);
	f[0] = fp;
	memcpy(f + 1, ref, k * sizeof *f);
	double front = score(t, f, k + 1);
	cr_expect_eq(result.n_found, found, "%s: %s earned an issue", t->id, what);
	cr_expect_leq(front, base, "%s: %s before prefix %zu raised %.4f -> %.4f", t->id, what,
		      k, base, front);
	return 2;
}

Test(props, adding_a_false_positive_never_raises_the_score)
{
	static const char unrelated[] =
		"Consider renaming this variable and adding a docstring for readability.";
	rg_finding ref[RG_MAX_ISSUES];
	size_t checks = 0, no_far_line = 0;
	FOR_EACH_TASK(t)
	{
		size_t n = t->n_issues;
		rg_audit_reference_findings(t, ref);
		int far = far_line(t);
		no_far_line += far == 0;
		for (size_t k = 0; k <= n; k++) {
			for (size_t i = 0; i < n; i++) {
				/* a true explanation, on a line far from every issue */
				if (far) {
					rg_finding fp = ref[i];
					fp.line = fp.line_end = far;
					checks += check_fp(t, ref, k, fp, "a far-away finding");
				}
				/* an unrelated description on the issue's own line */
				rg_finding fp = finding(t->issues[i].first_line, (int)t->issues[i].type,
							unrelated, strlen(unrelated), "", 0);
				checks += check_fp(t, ref, k, fp, "an unrelated finding");
				/* a duplicate of a finding already in the prefix */
				if (i < k)
					checks += check_fp(t, ref, k, ref[i], "a duplicate");
			}
		}
	}
	note("g. false positive added: %zu comparisons (%zu tasks have no far line)", checks,
	     no_far_line);
}

/* --- h. line precision --------------------------------------------------------- */

Test(props, exact_line_beats_two_lines_away)
{
	rg_finding ref[RG_MAX_ISSUES];
	size_t checks = 0;
	FOR_EACH_TASK(t)
	{
		rg_audit_reference_findings(t, ref);
		for (size_t i = 0; i < t->n_issues; i++) {
			const rg_issue *is = &t->issues[i];
			double exact = score(t, &ref[i], 1);
			cr_expect_eq(result.issues[i].finding, 0, "%s: issue %zu's reference unmatched",
				     t->id, i);
			for (int dir = -1; dir <= 1; dir += 2) {
				int l = is->first_line + 2 * dir;
				if (l < 1 || l > (int)t->n_lines || (l >= is->first_line && l <= is->last_line))
					continue;
				rg_finding f = ref[i];
				f.line = f.line_end = l;
				double off = score(t, &f, 1);
				cr_expect_gt(exact, off,
					     "%s: issue %zu at line %d scores %.4f, at %d %.4f", t->id, i,
					     is->first_line, exact, l, off);
				checks++;
			}
		}
	}
	cr_assert_gt(checks, 0);
	note("h. exact vs two lines away: %zu comparisons", checks);
}
