/*
 * pr_grade.c - scoring pr_review turns and episodes (see pr_grade.h).
 */
#include "grade/pr_grade.h"

#include <string.h>

#include "core/alloc.h"

#define W_STANCE 0.6
#define W_NAMING 0.4

static const double stance_table[3][RG_DECISION__COUNT] = {
	/*                 approve  request_changes  escalate  comment */
	[RG_VERDICT_CORRECT] = { 1.0, 0.0, 0.0, 0.25 },
	[RG_VERDICT_FLAWED] = { 0.0, 1.0, 0.1, 0.25 },
	[RG_VERDICT_CRITICAL] = { 0.0, 0.3, 1.0, 0.1 },
};

double rg_pr_stance(enum rg_verdict v, enum rg_decision d)
{
	if ((unsigned)v > RG_VERDICT_CRITICAL || (unsigned)d >= RG_DECISION__COUNT)
		return 0.0;
	return stance_table[v][d];
}

/* Findings through the code_review grader: a matched finding names its issue as
 * well as its description does. Fills best naming per issue and the FP count. */
static int grade_findings(const rg_task *version, const rg_lexicon *lex, const rg_finding *f,
			  size_t n, const rg_grade_profile *p, rg_pr_turn_grade *out, rg_err *err)
{
	rg_grade_result *r = rg_malloc(sizeof *r);
	if (!r)
		return rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory grading findings");
	int rc = rg_grade_attempt(version, lex, f, n, p, r, err);
	if (!rc) {
		out->false_positives = r->n_false_positives;
		for (size_t i = 0; i < r->n_issues; i++) {
			const rg_issue_grade *g = &r->issues[i];
			if (g->finding < 0 || g->concepts_total == 0)
				continue;
			double frac = (double)g->concepts_hit / (double)g->concepts_total;
			if (frac > out->issues[i].fraction) {
				out->issues[i].hits = g->concepts_hit;
				out->issues[i].focused = true;
				out->issues[i].fraction = frac;
				out->issues[i].named = 2 * g->concepts_hit >= g->concepts_total;
				out->named_by[i] = g->finding;
			}
		}
	}
	rg_free(r);
	return rc;
}

int rg_grade_pr_turn(const rg_task *version, enum rg_verdict verdict, const rg_lexicon *lex,
		     enum rg_decision decision, const char *comment, size_t comment_len,
		     const rg_finding *findings, size_t n_findings, const rg_grade_profile *p,
		     rg_pr_turn_grade *out, rg_err *err)
{
	memset(out, 0, sizeof *out);
	out->verdict = verdict;
	out->decision = decision;
	out->n_issues = version->n_issues;
	out->n_findings = n_findings;
	int rc = rg_grade_naming(version, lex, comment, comment_len, p, out->issues, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < out->n_issues; i++)
		out->named_by[i] = out->issues[i].fraction > 0 ? -1 : -2;
	if (n_findings && (rc = grade_findings(version, lex, findings, n_findings, p, out, err)))
		return rc;
	double sum = 0;
	for (size_t i = 0; i < out->n_issues; i++)
		sum += out->issues[i].fraction;
	out->naming = out->n_issues ? sum / (double)out->n_issues : 0.0;
	out->root_cause_named = out->n_issues && out->issues[0].named;
	out->stance = rg_pr_stance(verdict, decision);
	out->catastrophic = decision == RG_DECIDE_APPROVE && verdict != RG_VERDICT_CORRECT;
	double r;
	if (out->catastrophic)
		r = 0.0;
	else if (verdict == RG_VERDICT_CORRECT)
		r = W_STANCE * out->stance + (decision == RG_DECIDE_APPROVE ? W_NAMING : 0.0);
	else
		r = out->stance * (W_STANCE + W_NAMING * out->naming);
	out->penalty = p->false_positive_penalty * (double)out->false_positives;
	r -= out->penalty;
	out->reward = rg_grade_round(r < 0 ? 0 : r > 1 ? 1 : r);
	return RG_OK;
}

double rg_pr_episode_score(const double *turn_rewards, size_t n, bool success, bool catastrophic)
{
	if (catastrophic)
		return 0.0;
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += turn_rewards[i];
	double mean = n ? sum / (double)n : 0.0;
	return rg_grade_round(0.5 * mean + (success ? 0.5 : 0.0));
}
