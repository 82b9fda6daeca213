/*
 * test_pr_grade.c - pr_review scoring (grade/pr_grade.h) and comment naming
 * (rg_grade_naming in grade/grade.h), on real versions of the bank's scenarios:
 *   pr-medium-sqli-negotiation v1 - flawed: name-injection (the root cause, lines
 *       18-19) and order-by-injection (line 19), both sql_injection, two concept
 *       groups each;
 *   pr-medium-sqli-negotiation v3 - correct (no issues);
 *   pr-hard-jwt-secret v1         - critical: a hard-coded signing key.
 * A reviewer notices these rules as rewards: the stance table, S x (0.6 + 0.4 R)
 * on flawed and critical code, 0.6 S + 0.4 [approve] on correct code, 0 and
 * "catastrophic" for approving broken code, -0.05 per finding that matches
 * nothing, and naming that cannot be gamed: keyword soup (too many defect classes)
 * and pasted code name nothing. The expected numbers are worked out by hand in
 * each test from the README's formula, so a changed weight fails here.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "grade/grade.h"
#include "grade/pr_grade.h"
#include "unit/support.h"

#define EPS 1e-9

static rg_bank *bank;
static const rg_lexicon *lex;
static const rg_task *flawed;   /* sqli v1 */
static const rg_task *correct;  /* sqli v3 */
static const rg_task *critical; /* jwt v1 */

/* Names both groups of the root cause and the first group of order-by-injection. */
static const char root_comment[] =
	"Escaping quotes with a backslash does not stop SQL injection: the name is still "
	"formatted into the query.";

static void setup(void)
{
	bank = rg_test_load_bank();
	lex = rg_bank_lexicon(bank);
	const rg_task *sqli = rg_bank_find(bank, "pr-medium-sqli-negotiation");
	const rg_task *jwt = rg_bank_find(bank, "pr-hard-jwt-secret");
	cr_assert(sqli && sqli->pr && jwt && jwt->pr, "the scenarios these tests use are gone");
	cr_assert_eq(sqli->pr->n_versions, 3);
	flawed = &sqli->pr->versions[0].review;
	correct = &sqli->pr->versions[2].review;
	critical = &jwt->pr->versions[0].review;
	/* the cases below are written against this layout */
	cr_assert_eq(sqli->pr->versions[0].verdict, RG_VERDICT_FLAWED);
	cr_assert_eq(sqli->pr->versions[2].verdict, RG_VERDICT_CORRECT);
	cr_assert_eq(jwt->pr->versions[0].verdict, RG_VERDICT_CRITICAL);
	cr_assert_eq(flawed->n_issues, 2);
	cr_assert_str_eq(flawed->issues[0].id, "name-injection");
	cr_assert_eq(flawed->issues[0].first_line, 18);
	cr_assert_eq(flawed->issues[1].first_line, 19);
	cr_assert_eq(flawed->issues[0].n_concepts, 2);
	cr_assert_eq(flawed->issues[1].n_concepts, 2);
	cr_assert_eq(correct->n_issues, 0);
	cr_assert_eq(critical->n_issues, 1);
	cr_assert_eq(critical->issues[0].n_concepts, 3);
}

static void teardown(void)
{
	rg_bank_destroy(bank);
}

TestSuite(pr_grade, .init = setup, .fini = teardown);

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static enum rg_verdict verdict_of(const rg_task *v)
{
	return v == correct ? RG_VERDICT_CORRECT : v == flawed ? RG_VERDICT_FLAWED : RG_VERDICT_CRITICAL;
}

static rg_pr_turn_grade turn_with(const rg_task *v, enum rg_decision d, const char *comment,
				  const rg_finding *f, size_t n)
{
	rg_pr_turn_grade g;
	rg_err err;
	rg_err_clear(&err);
	int rc = rg_grade_pr_turn(v, verdict_of(v), lex, d, comment, strlen(comment), f, n,
				  &rg_grade_default, &g, &err);
	cr_assert_eq(rc, RG_OK, "grading failed: %s", err.msg);
	cr_assert(g.reward >= 0 && g.reward <= 1, "reward %f outside [0, 1]", g.reward);
	return g;
}

static rg_pr_turn_grade turn(const rg_task *v, enum rg_decision d, const char *comment)
{
	return turn_with(v, d, comment, NULL, 0);
}

static void expect_reward(const rg_pr_turn_grade *g, double want, const char *what)
{
	cr_expect(fabs(g->reward - want) < EPS, "%s: reward %.6f, want %.6f", what, g->reward, want);
}

static rg_finding finding(int line, const char *desc)
{
	return (rg_finding){ .line = line, .line_end = line, .type = RG_ISSUE_SECURITY,
			     .description = desc, .description_len = strlen(desc),
			     .fix = "", .fix_len = 0 };
}

static void naming(const rg_task *t, const char *text, rg_naming *out)
{
	rg_err err;
	rg_err_clear(&err);
	cr_assert_eq(rg_grade_naming(t, lex, text, strlen(text), &rg_grade_default, out, &err),
		     RG_OK, "%s", err.msg);
}

/* Two phrases of every lexicon class: a comment that names everything. */
static void keyword_soup(char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t c = 0; c < lex->n; c++)
		for (size_t k = 0; k < lex->classes[c].n && k < 2; k++)
			n += (size_t)snprintf(out + n, cap - n, "%s, ", lex->classes[c].phrases[k].text);
	cr_assert_lt(n, cap - 1);
}

/* ------------------------------------------------------------------------ */
/* The stance table                                                         */
/* ------------------------------------------------------------------------ */

Test(pr_grade, stance_table_as_documented)
{
	static const double want[3][RG_DECISION__COUNT] = {
		{ 1.0, 0.0, 0.0, 0.25 }, /* correct */
		{ 0.0, 1.0, 0.1, 0.25 }, /* flawed */
		{ 0.0, 0.3, 1.0, 0.1 },  /* critical */
	};
	for (int v = 0; v < 3; v++)
		for (int d = 0; d < RG_DECISION__COUNT; d++)
			cr_expect_eq(rg_pr_stance((enum rg_verdict)v, (enum rg_decision)d), want[v][d],
				     "%s x %s", rg_verdict_name((enum rg_verdict)v),
				     rg_decision_name((enum rg_decision)d));
	cr_expect_eq(rg_pr_stance((enum rg_verdict)3, RG_DECIDE_APPROVE), 0.0, "unknown verdict");
	cr_expect_eq(rg_pr_stance(RG_VERDICT_CORRECT, RG_DECISION__COUNT), 0.0, "unknown decision");
}

/* ------------------------------------------------------------------------ */
/* Turn rewards                                                             */
/* ------------------------------------------------------------------------ */

Test(pr_grade, correct_code_rewards_approval_and_nothing_to_name)
{
	rg_pr_turn_grade g = turn(correct, RG_DECIDE_APPROVE, "");
	expect_reward(&g, 1.0, "approve a correct change without a word");
	cr_expect_not(g.catastrophic);
	cr_expect_eq(g.n_issues, 0);
	cr_expect_not(g.root_cause_named, "there is no root cause to name");
	g = turn(correct, RG_DECIDE_COMMENT, root_comment);
	expect_reward(&g, 0.6 * 0.25, "comment on a correct change");
	g = turn(correct, RG_DECIDE_REQUEST_CHANGES, root_comment);
	expect_reward(&g, 0.0, "request changes on a correct change");
	g = turn(correct, RG_DECIDE_ESCALATE, root_comment);
	expect_reward(&g, 0.0, "escalate a correct change");
}

Test(pr_grade, flawed_code_rewards_stance_times_naming)
{
	/* root cause 2/2 groups, order-by-injection 1/2: R = (1 + 0.5) / 2 = 0.75 */
	rg_pr_turn_grade g = turn(flawed, RG_DECIDE_REQUEST_CHANGES, root_comment);
	cr_expect(g.root_cause_named, "the comment names the root cause");
	cr_expect_eq(g.issues[0].hits, 2);
	cr_expect_eq(g.issues[1].hits, 1);
	cr_expect(fabs(g.naming - 0.75) < EPS, "naming %f", g.naming);
	cr_expect_eq(g.named_by[0], -1, "named by the comment");
	cr_expect_eq(g.stance, 1.0);
	expect_reward(&g, 1.0 * (0.6 + 0.4 * 0.75), "request changes naming the root cause");

	g = turn(flawed, RG_DECIDE_REQUEST_CHANGES, "Please rework this before it goes in.");
	cr_expect_not(g.root_cause_named);
	cr_expect_eq(g.naming, 0.0);
	cr_expect_eq(g.named_by[0], -2, "nobody named it");
	expect_reward(&g, 0.6, "request changes with a vague comment");

	g = turn(flawed, RG_DECIDE_COMMENT, root_comment);
	expect_reward(&g, 0.25 * 0.9, "comment naming the root cause");
	g = turn(flawed, RG_DECIDE_ESCALATE, root_comment);
	expect_reward(&g, 0.1 * 0.9, "over-escalation naming the root cause");
}

Test(pr_grade, critical_code_rewards_escalation)
{
	static const char comment[] = "The HMAC signing key is hardcoded in the source: anyone who "
				      "reads the repo can forge tokens.";
	rg_pr_turn_grade g = turn(critical, RG_DECIDE_ESCALATE, comment);
	cr_expect_eq(g.issues[0].hits, 3, "all three concept groups");
	cr_expect(g.root_cause_named);
	expect_reward(&g, 1.0, "escalate naming the flaw");
	g = turn(critical, RG_DECIDE_REQUEST_CHANGES, comment);
	expect_reward(&g, 0.3, "request changes on a critical flaw");
	g = turn(critical, RG_DECIDE_COMMENT, comment);
	expect_reward(&g, 0.1, "comment on a critical flaw");
	g = turn(critical, RG_DECIDE_ESCALATE, "");
	expect_reward(&g, 0.6, "escalation without a reason");
}

Test(pr_grade, approving_broken_code_is_catastrophic_whatever_the_comment)
{
	static const struct { const rg_task **v; const char *comment; } cases[] = {
		{ &flawed, root_comment },
		{ &flawed, "" },
		{ &critical, "The signing key is hardcoded in the source; anyone can forge tokens." },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		rg_pr_turn_grade g = turn(*cases[i].v, RG_DECIDE_APPROVE, cases[i].comment);
		cr_expect(g.catastrophic, "case %zu: approving %s code", i,
			  rg_verdict_name(verdict_of(*cases[i].v)));
		cr_expect_eq(g.reward, 0.0, "case %zu", i);
		cr_expect_eq(g.stance, 0.0, "case %zu", i);
	}
	rg_pr_turn_grade g = turn(correct, RG_DECIDE_APPROVE, "");
	cr_expect_not(g.catastrophic, "approving correct code is the right call");
}

Test(pr_grade, findings_that_match_nothing_cost_a_twentieth_each)
{
	rg_finding fp[21];
	for (size_t i = 0; i < 21; i++)
		fp[i] = finding(1 + (int)i % 3, "The module docstring has a typo.");
	rg_pr_turn_grade g = turn_with(flawed, RG_DECIDE_REQUEST_CHANGES, root_comment, fp, 1);
	cr_expect_eq(g.false_positives, 1);
	cr_expect_eq(g.n_findings, 1);
	expect_reward(&g, 0.9 - 0.05, "one false positive");
	g = turn_with(flawed, RG_DECIDE_REQUEST_CHANGES, root_comment, fp, 2);
	expect_reward(&g, 0.9 - 0.10, "two false positives");
	g = turn_with(correct, RG_DECIDE_APPROVE, "", fp, 1);
	cr_expect_eq(g.false_positives, 1, "on correct code every finding is a false positive");
	expect_reward(&g, 0.95, "approve with one invented problem");
	g = turn_with(correct, RG_DECIDE_APPROVE, "", fp, 21);
	expect_reward(&g, 0.0, "the reward clamps at 0");
	cr_expect(fabs(g.penalty - 21 * 0.05) < EPS, "penalty %f", g.penalty);
}

Test(pr_grade, a_matched_finding_names_its_issue)
{
	rg_finding f = finding(18, "Escaping quotes with a backslash does not prevent SQL injection.");
	rg_pr_turn_grade g = turn_with(flawed, RG_DECIDE_REQUEST_CHANGES, "", &f, 1);
	cr_expect_eq(g.false_positives, 0, "the finding matches the root cause");
	cr_expect_eq(g.named_by[0], 0, "named by findings[0]");
	cr_expect(g.root_cause_named);
	cr_expect_eq(g.named_by[1], -2, "order-by-injection is named by nobody");
	expect_reward(&g, 0.6 + 0.4 * 0.5, "R = (1 + 0) / 2");
}

/* ------------------------------------------------------------------------ */
/* Naming that cannot be gamed                                              */
/* ------------------------------------------------------------------------ */

Test(pr_grade, keyword_soup_names_nothing)
{
	char soup[16 * 1024];
	keyword_soup(soup, sizeof soup);
	/* even with the real root cause inside, a list of every defect names nothing */
	char text[sizeof soup + sizeof root_comment + 2];
	snprintf(text, sizeof text, "%s %s", root_comment, soup);
	rg_pr_turn_grade g = turn(flawed, RG_DECIDE_REQUEST_CHANGES, text);
	cr_expect_not(g.root_cause_named);
	cr_expect_eq(g.naming, 0.0);
	cr_expect_not(g.issues[0].focused, "the soup is unfocused");
	cr_expect_gt(g.issues[0].hits, 0, "its words do hit the concept groups");
	expect_reward(&g, 0.6, "soup earns the stance only");
	g = turn(critical, RG_DECIDE_ESCALATE, soup);
	expect_reward(&g, 0.6, "soup on the critical flaw");
}

Test(pr_grade, one_foreign_class_is_tolerated_two_are_not)
{
	rg_naming out[RG_MAX_ISSUES];
	naming(flawed, "Escaping quotes does not stop SQL injection; unrelated, there is also an XSS.",
	       out);
	cr_expect(out[0].focused && out[0].named, "one other class (xss) is still focused");
	cr_expect_eq(out[0].fraction, 1.0);
	naming(flawed, "Escaping quotes does not stop SQL injection; also an XSS and a path traversal.",
	       out);
	cr_expect_not(out[0].focused, "two other classes is spraying");
	cr_expect_not(out[0].named);
	cr_expect_eq(out[0].fraction, 0.0);
	cr_expect_eq(out[0].hits, 2, "hits are still counted for the feedback");
}

Test(pr_grade, pasted_code_names_nothing)
{
	/* line 19 holds ORDER BY {order_by}: in the reviewer's own words that is
	 * half of order-by-injection; pasted verbatim it is nothing */
	const char *line19 = flawed->trimmed_lines[18];
	cr_assert(strstr(line19, "ORDER BY"), "line 19 moved: %s", line19);
	char text[1024];
	snprintf(text, sizeof text, "%s\n%s", flawed->trimmed_lines[17], line19);
	rg_naming out[RG_MAX_ISSUES];
	naming(flawed, text, out);
	for (size_t i = 0; i < flawed->n_issues; i++)
		cr_expect_eq(out[i].hits, 0, "pasted code hits issue %zu: %s", i, text);
	naming(flawed, "The ORDER BY clause takes order_by straight from the caller.", out);
	cr_expect_eq(out[1].hits, 1, "control: the same words, not pasted, do count");
	rg_pr_turn_grade g = turn(flawed, RG_DECIDE_REQUEST_CHANGES, text);
	expect_reward(&g, 0.6, "pasted code earns the stance only");
}

Test(pr_grade, naming_fills_every_issue_and_nothing_more)
{
	rg_naming out[RG_MAX_ISSUES];
	memset(out, 0x5a, sizeof out);
	naming(flawed, "", out);
	for (size_t i = 0; i < 2; i++) {
		cr_expect_eq(out[i].hits, 0);
		cr_expect_eq(out[i].total, 2, "totals are set even for an empty text");
		cr_expect_not(out[i].named);
		cr_expect_eq(out[i].fraction, 0.0);
	}
	cr_expect_eq(out[2].hits, 0x5a5a5a5a, "nothing written past n_issues");
	naming(flawed, root_comment, out);
	cr_expect(out[0].named && out[0].fraction == 1.0);
	cr_expect(out[1].named && out[1].fraction == 0.5, "half the groups is named");
	memset(out, 0x5a, sizeof out);
	naming(correct, root_comment, out);
	cr_expect_eq(out[0].hits, 0x5a5a5a5a, "a version without issues writes nothing");
}

/* ------------------------------------------------------------------------ */
/* Episode score                                                            */
/* ------------------------------------------------------------------------ */

Test(pr_grade, episode_score_is_half_mean_half_success)
{
	const double r[] = { 0.6, 0.9, 1.0 };
	/* mean 2.5 / 3 = 0.8333...: half of it is 0.41666... */
	cr_expect_eq(rg_pr_episode_score(r, 3, true, false), 0.9167);
	cr_expect_eq(rg_pr_episode_score(r, 3, false, false), 0.4167);
	cr_expect_eq(rg_pr_episode_score(r, 3, true, true), 0.0, "catastrophe zeroes everything");
	cr_expect_eq(rg_pr_episode_score(r, 1, false, false), 0.3);
	cr_expect_eq(rg_pr_episode_score(NULL, 0, false, false), 0.0);
	cr_expect_eq(rg_pr_episode_score(NULL, 0, true, false), 0.5);
	const double third[] = { 1.0 / 3.0 };
	cr_expect_eq(rg_pr_episode_score(third, 1, false, false), 0.1667, "rounded to 4 decimals");
}

Test(pr_grade, same_input_same_grade)
{
	rg_finding f = finding(19, "ORDER BY is formatted into the SQL: injection via the sort column.");
	rg_pr_turn_grade a = turn_with(flawed, RG_DECIDE_REQUEST_CHANGES, root_comment, &f, 1);
	rg_pr_turn_grade b = turn_with(flawed, RG_DECIDE_REQUEST_CHANGES, root_comment, &f, 1);
	cr_expect_eq(a.reward, b.reward);
	cr_expect_eq(a.naming, b.naming);
	cr_expect_eq(memcmp(a.named_by, b.named_by, sizeof a.named_by), 0);
	cr_expect_eq(a.named_by[1], 0, "the finding names order-by-injection fully");
	expect_reward(&a, 1.0, "both issues fully named");
	assert_no_leaks();
}
