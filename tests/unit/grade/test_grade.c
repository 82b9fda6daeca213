/*
 * test_grade.c - the scoring rules of grade/grade.h on one real task
 * (cr-easy-order-stats: four one-line issues at lines 15, 26, 36 and 42):
 * line credit by distance, description and fix fractions, type credit, coverage
 * bonus, false-positive penalty, clamping, duplicates, pasted code, determinism.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/bank.h"
#include "grade/audit.h"
#include "grade/grade.h"
#include "unit/support.h"

#define TASK_ID "cr-easy-order-stats"
#define EPS 1e-9

static rg_bank *bank;
static const rg_task *task;
static const rg_lexicon *lex;

static void setup(void)
{
	bank = rg_test_load_bank();
	task = rg_bank_find(bank, TASK_ID);
	cr_assert_not_null(task, TASK_ID " is not in the bank");
	lex = rg_bank_lexicon(bank);
	/* the cases below are written against this layout */
	cr_assert_eq(task->n_issues, 4);
	const int lines[] = { 15, 26, 36, 42 };
	for (size_t i = 0; i < 4; i++) {
		cr_assert_eq(task->issues[i].first_line, lines[i], "issue %zu moved", i);
		cr_assert_eq(task->issues[i].last_line, lines[i], "issue %zu moved", i);
	}
	cr_assert_eq(task->issues[1].n_concepts, 3);
	cr_assert_eq(task->issues[3].n_fix_concepts, 2);
}

static void teardown(void)
{
	rg_bank_destroy(bank);
}

TestSuite(grade, .init = setup, .fini = teardown);

static rg_finding finding(int line, int type, const char *desc, const char *fix)
{
	return (rg_finding){ .line = line, .line_end = line, .type = type,
			     .description = desc, .description_len = strlen(desc),
			     .fix = fix, .fix_len = strlen(fix) };
}

/* Issue i's reference finding (its explanation and fix, right type, first line). */
static rg_finding reference(size_t i)
{
	rg_finding all[RG_MAX_ISSUES];
	rg_audit_reference_findings(task, all);
	return all[i];
}

static void grade(const rg_finding *f, size_t n, rg_grade_result *r)
{
	rg_err err = { 0 };
	int rc = rg_grade_attempt(task, lex, f, n, &rg_grade_default, r, &err);
	cr_assert_eq(rc, RG_OK, "grading failed: %s", err.msg);
}

/* The final score equals the mean of issue totals (+ bonus - penalty), rounded. */
static void assert_score(const rg_grade_result *r, double unrounded)
{
	double want = unrounded < 0 ? 0 : unrounded > 1 ? 1 : unrounded;
	cr_assert(fabs(r->score - want) <= 0.00005 + EPS, "score %.6f, expected %.6f", r->score,
		  want);
}

Test(grade, line_credit_falls_linearly_to_the_window_edge)
{
	static const struct {
		int offset;
		bool eligible;
		double line;
	} cases[] = {
		{ 0, true, 0.3 },    { 1, true, 0.225 },  { -1, true, 0.225 },
		{ 2, true, 0.15 },   { -2, true, 0.15 },  { 3, true, 0.075 },
		{ -3, true, 0.075 }, { 4, false, 0.0 },   { -4, false, 0.0 },
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		rg_finding f = reference(0);
		f.line = f.line_end = 15 + cases[c].offset;
		rg_grade_result r;
		grade(&f, 1, &r);
		const rg_issue_grade *g = &r.issues[0];
		if (!cases[c].eligible) {
			cr_assert_eq(g->finding, -1, "offset %d must be outside the window",
				     cases[c].offset);
			cr_assert_eq(r.findings[0].verdict, RG_FINDING_UNMATCHED);
			cr_assert_eq(r.n_false_positives, 1);
			cr_assert_eq(r.score, 0.0);
			continue;
		}
		cr_assert_eq(g->finding, 0, "offset %d", cases[c].offset);
		cr_assert_eq(g->line_distance, abs(cases[c].offset));
		cr_assert_float_eq(g->line, cases[c].line, EPS, "offset %d: line %f, want %f",
				   cases[c].offset, g->line, cases[c].line);
		cr_assert_float_eq(g->total, cases[c].line + 0.5 + 0.1 + 0.1, EPS);
		cr_assert_eq(r.n_false_positives, 0);
		assert_score(&r, g->total / 4.0);
	}
}

Test(grade, short_range_counts_as_span_long_range_by_its_start)
{
	rg_finding f = reference(0);
	f.line = 14;
	f.line_end = 16; /* 3 lines: a span covering 15 */
	rg_grade_result r;
	grade(&f, 1, &r);
	cr_assert_eq(r.issues[0].line_distance, 0);
	cr_assert_float_eq(r.issues[0].line, 0.3, EPS);

	f.line = 11;
	f.line_end = 40; /* a long range counts only from 11: four lines away */
	grade(&f, 1, &r);
	cr_assert_eq(r.issues[0].finding, -1, "a long range must not cover the issue");
	cr_assert_eq(r.score, 0.0);
}

Test(grade, description_earns_the_fraction_of_concept_groups_hit)
{
	/* issue 1 (line 26) groups: what goes wrong / loop bound / last element */
	static const struct {
		const char *desc;
		int hit;
	} cases[] = {
		{ "Off by one error.", 1 },
		{ "The loop bound is wrong.", 1 },
		{ "Off by one in the loop bound.", 2 },
		{ "Off by one in the loop bound, so the last element is never examined.", 3 },
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		rg_finding f = finding(26, RG_ISSUE_BUG, cases[c].desc, "");
		rg_grade_result r;
		grade(&f, 1, &r);
		const rg_issue_grade *g = &r.issues[1];
		cr_assert_eq(g->finding, 0, "\"%s\" should match issue 1", cases[c].desc);
		cr_assert_eq(g->concepts_hit, cases[c].hit, "\"%s\": hit %d groups, want %d",
			     cases[c].desc, g->concepts_hit, cases[c].hit);
		cr_assert_eq(g->concepts_total, 3);
		cr_assert_float_eq(g->description, 0.5 * cases[c].hit / 3.0, EPS);
		cr_assert_float_eq(g->total, 0.3 + 0.5 * cases[c].hit / 3.0 + 0.1, EPS);
	}
}

Test(grade, description_hitting_no_concept_earns_nothing)
{
	rg_finding f = finding(26, RG_ISSUE_BUG, "This line looks suspicious to me.",
			       reference(1).fix);
	rg_grade_result r;
	grade(&f, 1, &r);
	cr_assert_eq(r.issues[1].finding, -1);
	cr_assert_eq(r.findings[0].verdict, RG_FINDING_UNMATCHED);
	cr_assert_eq(r.findings[0].issue, -1);
	cr_assert_eq(r.score, 0.0, "exact line, right type and fix earn nothing alone");
}

Test(grade, type_earns_its_weight_only_when_right)
{
	static const struct {
		int type;
		double want;
	} cases[] = {
		{ RG_ISSUE_BUG, 0.1 },
		{ RG_ISSUE_LOGIC, 0.0 },
		{ RG_ISSUE_SECURITY, 0.0 },
		{ -1, 0.0 }, /* absent */
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		rg_finding f = reference(0);
		f.type = cases[c].type;
		rg_grade_result r;
		grade(&f, 1, &r);
		cr_assert_eq(r.issues[0].finding, 0, "a wrong type still matches");
		cr_assert_float_eq(r.issues[0].type, cases[c].want, EPS, "type %d", cases[c].type);
		cr_assert_float_eq(r.issues[0].total, 0.3 + 0.5 + cases[c].want + 0.1, EPS);
	}
}

Test(grade, fix_earns_the_fraction_of_fix_groups_hit)
{
	/* issue 3 (line 42) fix groups: guard the empty case / return 0.0 */
	static const struct {
		const char *fix;
		int hit;
	} cases[] = {
		{ "", 0 },
		{ "Rewrite the function.", 0 },
		{ "Add a guard.", 1 },
		{ "Return 0.0 instead.", 1 },
		{ "Add a guard and return 0.0 in that case.", 2 },
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		rg_finding f = reference(3);
		f.fix = cases[c].fix;
		f.fix_len = strlen(cases[c].fix);
		rg_grade_result r;
		grade(&f, 1, &r);
		const rg_issue_grade *g = &r.issues[3];
		cr_assert_eq(g->finding, 0, "the fix never decides eligibility");
		cr_assert_eq(g->fix_hit, cases[c].hit, "\"%s\": hit %d, want %d", cases[c].fix,
			     g->fix_hit, cases[c].hit);
		cr_assert_eq(g->fix_total, 2);
		cr_assert_float_eq(g->fix, 0.1 * cases[c].hit / 2.0, EPS);
		cr_assert_float_eq(g->total, 0.9 + 0.1 * cases[c].hit / 2.0, EPS);
	}
}

Test(grade, coverage_bonus_only_when_every_issue_is_matched)
{
	rg_finding all[4];
	rg_audit_reference_findings(task, all);
	rg_grade_result r;
	grade(all, 4, &r);
	cr_assert_eq(r.n_found, 4);
	cr_assert_float_eq(r.issues_mean, 1.0, EPS);
	cr_assert_float_eq(r.bonus, 0.1, EPS);
	cr_assert_eq(r.score, 1.0, "1.1 clamps to 1");

	for (size_t skip = 0; skip < 4; skip++) {
		rg_finding three[3];
		for (size_t i = 0, k = 0; i < 4; i++)
			if (i != skip)
				three[k++] = all[i];
		grade(three, 3, &r);
		cr_assert_eq(r.n_found, 3);
		cr_assert_eq(r.bonus, 0.0, "without issue %zu there is no bonus", skip);
		cr_assert_eq(r.issues[skip].finding, -1);
		cr_assert_float_eq(r.score, 0.75, EPS);
	}
}

Test(grade, each_false_positive_costs_a_twentieth_and_score_clamps_at_zero)
{
	rg_finding f[8];
	f[0] = reference(0);
	for (size_t k = 1; k < 8; k++)
		f[k] = finding(1, RG_ISSUE_BUG, "Consider adding a docstring example.", "");
	for (size_t fp = 0; fp < 8; fp++) {
		rg_grade_result r;
		grade(f, 1 + fp, &r);
		cr_assert_eq(r.n_found, 1);
		cr_assert_eq(r.n_false_positives, fp);
		cr_assert_float_eq(r.penalty, 0.05 * (double)fp, EPS);
		for (size_t k = 1; k <= fp; k++)
			cr_assert_eq(r.findings[k].verdict, RG_FINDING_UNMATCHED);
		assert_score(&r, 0.25 - 0.05 * (double)fp);
		cr_assert_geq(r.score, 0.0);
	}
}

Test(grade, score_clamps_to_one)
{
	rg_finding all[4];
	rg_audit_reference_findings(task, all);
	rg_grade_result r;
	grade(all, 4, &r);
	cr_assert_gt(r.issues_mean + r.bonus - r.penalty, 1.0);
	cr_assert_eq(r.score, 1.0);
}

Test(grade, duplicate_finding_is_a_false_positive)
{
	rg_finding f[2] = { reference(0), reference(0) };
	rg_grade_result r;
	grade(f, 2, &r);
	cr_assert_eq(r.n_found, 1);
	cr_assert_eq(r.n_false_positives, 1);
	cr_assert_eq(r.findings[0].verdict, RG_FINDING_MATCHED);
	cr_assert_eq(r.findings[0].issue, 0);
	cr_assert_eq(r.findings[1].verdict, RG_FINDING_DUPLICATE);
	cr_assert_eq(r.findings[1].issue, -1);
	assert_score(&r, 0.25 - 0.05);

	/* the better of two findings for one issue earns it, whatever the order */
	f[0].line = f[0].line_end = 16;
	grade(f, 2, &r);
	cr_assert_eq(r.issues[0].finding, 1, "the exact-line finding earns the issue");
	cr_assert_eq(r.findings[0].verdict, RG_FINDING_DUPLICATE);
	cr_assert_eq(r.findings[1].verdict, RG_FINDING_MATCHED);
	assert_score(&r, 0.25 - 0.05);
}

Test(grade, one_finding_earns_at_most_one_issue)
{
	/* line 39 is three lines from issue 2 (36) and from issue 3 (42); a description
	 * naming both (two classes: still focused) is eligible for both, yet one
	 * finding earns one issue; a second copy earns the other */
	char desc[1400];
	snprintf(desc, sizeof desc, "%s %s", task->issues[2].explanation,
		 task->issues[3].explanation);
	rg_finding f[2] = { finding(39, RG_ISSUE_BUG, desc, ""), finding(39, RG_ISSUE_BUG, desc, "") };
	rg_grade_result r;
	grade(f, 1, &r);
	cr_assert_eq(r.n_found, 1);
	cr_assert_eq(r.findings[0].verdict, RG_FINDING_MATCHED);
	grade(f, 2, &r);
	cr_assert_eq(r.n_found, 2, "the same text is eligible for both issues");
	cr_assert_neq(r.findings[0].issue, r.findings[1].issue);
}

Test(grade, unfocused_description_earns_nothing)
{
	char desc[1200];
	snprintf(desc, sizeof desc, "%s Also a sql injection, a path traversal and a race condition.",
		 task->issues[0].explanation);
	rg_finding f = finding(15, RG_ISSUE_BUG, desc, task->issues[0].fix);
	rg_grade_result r;
	grade(&f, 1, &r);
	cr_assert_eq(r.issues[0].finding, -1);
	cr_assert_eq(r.findings[0].verdict, RG_FINDING_UNFOCUSED);
	cr_assert_eq(r.score, 0.0);
}

Test(grade, pasted_code_earns_nothing_own_words_do)
{
	rg_finding f = finding(15, RG_ISSUE_BUG, "return round(subtotal * (1 + tax_rate), 2)", "");
	rg_grade_result r;
	grade(&f, 1, &r);
	cr_assert_eq(r.issues[0].finding, -1, "a pasted code line is blanked before matching");

	f = finding(15, RG_ISSUE_BUG, "tax_rate is not defined", "");
	grade(&f, 1, &r);
	cr_assert_eq(r.issues[0].finding, 0);
	cr_assert_eq(r.issues[0].concepts_hit, 2);
}

Test(grade, empty_review_scores_zero)
{
	rg_grade_result r;
	grade(NULL, 0, &r);
	cr_assert_eq(r.score, 0.0);
	cr_assert_eq(r.n_issues, 4);
	cr_assert_eq(r.n_found, 0);
	cr_assert_eq(r.n_findings, 0);
	cr_assert_eq(r.n_false_positives, 0);
	cr_assert_eq(r.bonus, 0.0);
	cr_assert_eq(r.penalty, 0.0);
	for (size_t i = 0; i < 4; i++) {
		cr_assert_eq(r.issues[i].finding, -1);
		cr_assert_eq(r.issues[i].concepts_total, (int)task->issues[i].n_concepts);
		cr_assert_eq(r.issues[i].fix_total, (int)task->issues[i].n_fix_concepts);
	}
}

Test(grade, too_many_findings_is_rejected)
{
	static rg_finding f[RG_MAX_FINDINGS + 1];
	for (size_t i = 0; i <= RG_MAX_FINDINGS; i++)
		f[i] = finding(1, -1, "x", "");
	static rg_grade_result r;
	rg_err err = { 0 };
	cr_assert_eq(rg_grade_attempt(task, lex, f, RG_MAX_FINDINGS + 1, &rg_grade_default, &r,
				      &err),
		     RG_ETOOBIG);
	cr_assert_str_eq(err.field, "findings");
	cr_assert_eq(rg_grade_attempt(task, lex, f, RG_MAX_FINDINGS, &rg_grade_default, &r, &err),
		     RG_OK, "exactly the limit is accepted");
}

static void assert_same_result(const rg_grade_result *a, const rg_grade_result *b)
{
	cr_assert_eq(a->score, b->score);
	cr_assert_eq(a->issues_mean, b->issues_mean);
	cr_assert_eq(a->bonus, b->bonus);
	cr_assert_eq(a->penalty, b->penalty);
	cr_assert_eq(a->n_issues, b->n_issues);
	cr_assert_eq(a->n_found, b->n_found);
	cr_assert_eq(a->n_findings, b->n_findings);
	cr_assert_eq(a->n_false_positives, b->n_false_positives);
	for (size_t i = 0; i < a->n_issues; i++) {
		const rg_issue_grade *x = &a->issues[i], *y = &b->issues[i];
		cr_assert_eq(x->finding, y->finding, "issue %zu", i);
		cr_assert_eq(x->line_distance, y->line_distance, "issue %zu", i);
		cr_assert_eq(x->line, y->line, "issue %zu", i);
		cr_assert_eq(x->description, y->description, "issue %zu", i);
		cr_assert_eq(x->type, y->type, "issue %zu", i);
		cr_assert_eq(x->fix, y->fix, "issue %zu", i);
		cr_assert_eq(x->total, y->total, "issue %zu", i);
		cr_assert_eq(x->concepts_hit, y->concepts_hit, "issue %zu", i);
		cr_assert_eq(x->concepts_total, y->concepts_total, "issue %zu", i);
		cr_assert_eq(x->fix_hit, y->fix_hit, "issue %zu", i);
		cr_assert_eq(x->fix_total, y->fix_total, "issue %zu", i);
	}
	for (size_t f = 0; f < a->n_findings; f++) {
		cr_assert_eq(a->findings[f].issue, b->findings[f].issue, "finding %zu", f);
		cr_assert_eq(a->findings[f].verdict, b->findings[f].verdict, "finding %zu", f);
	}
	cr_assert_arr_eq(a, b, sizeof *a, "the whole result, padding included, is identical");
}

Test(grade, same_input_gives_identical_result)
{
	rg_finding f[7];
	rg_audit_reference_findings(task, f);
	f[1].line = f[1].line_end = 28; /* off by two */
	f[2].description = "returns None"; /* half the concept groups */
	f[2].description_len = strlen(f[2].description);
	f[4] = reference(0); /* a duplicate */
	f[5] = finding(3, RG_ISSUE_SECURITY, "sql injection", ""); /* a false positive */
	f[6] = reference(3);
	f[6].line = f[6].line_end = 41; /* a near-duplicate, one line off */
	rg_grade_result *a = calloc(1, sizeof *a), *b = malloc(sizeof *b);
	cr_assert(a && b);
	memset(b, 0x5a, sizeof *b); /* grading must overwrite everything */
	grade(f, 7, a);
	grade(f, 7, b);
	assert_same_result(a, b);
	cr_assert_eq(a->n_found, 4);
	cr_assert_eq(a->n_false_positives, 3);
	free(a);
	free(b);
}
