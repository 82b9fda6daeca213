/*
 * cr_report.c - feedback text and reward breakdown (see cr_report.h).
 */
#include "env/cr_report.h"

#include <stdio.h>

static const char *line_words(int d, char *buf, size_t cap)
{
	if (d == 0)
		return "line exact";
	snprintf(buf, cap, "line off by %d", d);
	return buf;
}

int rg__cr_feedback(rg_buf *b, const rg_task *t, const rg_cr_action *a,
		    const rg_grade_result *r, int attempt, int max_attempts)
{
	int rc = rg_buf_printf(b, "Attempt %d/%d on %s: score %.4g.", attempt, max_attempts,
			       t->id, r->score);
	if (a->n == 0)
		rc = rc ? rc : rg_buf_puts(b, " No findings were reported.");
	for (size_t f = 0; f < a->n && !rc; f++) {
		const rg_finding_grade *fg = &r->findings[f];
		rc = rg_buf_printf(b, " Finding %zu (line %d): ", f + 1, a->findings[f].line);
		if (rc)
			break;
		switch (fg->verdict) {
		case RG_FINDING_MATCHED: {
			const rg_issue_grade *g = &r->issues[fg->issue];
			char lb[32];
			rc = rg_buf_printf(b,
					   "matches a known issue - %s, description %d/%d concepts, type %s, fix %d/%d recognised.",
					   line_words(g->line_distance, lb, sizeof lb), g->concepts_hit,
					   g->concepts_total, g->type > 0 ? "correct" : "wrong or missing",
					   g->fix_hit, g->fix_total);
			break;
		}
		case RG_FINDING_DUPLICATE:
			rc = rg_buf_puts(b, "duplicate of an issue another finding already earned (false positive).");
			break;
		case RG_FINDING_UNFOCUSED:
			rc = rg_buf_puts(b, "names too many different defect classes to credit (false positive).");
			break;
		case RG_FINDING_UNMATCHED:
			rc = rg_buf_puts(b, "does not match a known issue (false positive).");
			break;
		}
	}
	if (rc)
		return rc;
	size_t remain = r->n_issues - r->n_found;
	rc = rg_buf_printf(b, " Found %zu of %zu known issues; %zu remaining.", r->n_found,
			   r->n_issues, remain);
	if (!rc && r->n_false_positives)
		rc = rg_buf_printf(b, " False positives: %zu (-%.2f each).", r->n_false_positives,
				   r->penalty / (double)r->n_false_positives);
	if (!rc && r->bonus > 0)
		rc = rg_buf_printf(b, " Coverage bonus +%.2f for finding every issue.", r->bonus);
	return rc;
}

static int set_num(rg_json *o, const char *k, double v)
{
	return rg_json_set_real(o, k, rg_grade_round(v));
}

rg_json *rg__cr_breakdown(const rg_task *t, const rg_cr_action *a, const rg_grade_result *r,
			  const rg_grade_profile *p, int attempt, double reward)
{
	rg_json *o = rg_json_obj();
	rg_json *issues = rg_json_arr();
	rg_json *findings = rg_json_arr();
	int rc = !o || !issues || !findings;
	rc = rc || rg_json_set_str(o, "task_id", t->id) || rg_json_set_int(o, "attempt", attempt) ||
	     rg_json_set_str(o, "profile", p->name) || set_num(o, "score", r->score) ||
	     set_num(o, "reward", reward) || set_num(o, "issues_mean", r->issues_mean) ||
	     set_num(o, "coverage_bonus", r->bonus) ||
	     set_num(o, "false_positive_penalty", r->penalty) ||
	     rg_json_set_int(o, "num_issues", (long long)r->n_issues) ||
	     rg_json_set_int(o, "issues_found", (long long)r->n_found) ||
	     rg_json_set_int(o, "num_findings", (long long)r->n_findings) ||
	     rg_json_set_int(o, "false_positives", (long long)r->n_false_positives);
	for (size_t i = 0; i < r->n_issues && !rc; i++) {
		const rg_issue_grade *g = &r->issues[i];
		rg_json *e = rg_json_obj();
		rc = !e || rg_json_set_int(e, "issue", (long long)i);
		if (!rc && g->finding < 0) {
			rc = rg_json_set_null(e, "finding") || set_num(e, "total", 0);
		} else if (!rc) {
			rc = rg_json_set_int(e, "finding", g->finding) ||
			     rg_json_set_int(e, "line_distance", g->line_distance) ||
			     set_num(e, "line", g->line) || set_num(e, "description", g->description) ||
			     rg_json_set_int(e, "concepts_hit", g->concepts_hit) ||
			     rg_json_set_int(e, "concepts_total", g->concepts_total) ||
			     set_num(e, "type", g->type) || set_num(e, "fix", g->fix) ||
			     rg_json_set_int(e, "fix_concepts_hit", g->fix_hit) ||
			     rg_json_set_int(e, "fix_concepts_total", g->fix_total) ||
			     set_num(e, "total", g->total);
		}
		if (e)
			rc = rg_json_push(issues, e) || rc;
	}
	for (size_t f = 0; f < r->n_findings && !rc; f++) {
		rg_json *e = rg_json_obj();
		const rg_finding_grade *fg = &r->findings[f];
		rc = !e || rg_json_set_int(e, "finding", (long long)f) ||
		     rg_json_set_int(e, "line", a->findings[f].line) ||
		     rg_json_set_str(e, "verdict", rg_finding_verdict_name(fg->verdict)) ||
		     (fg->issue >= 0 ? rg_json_set_int(e, "issue", fg->issue)
				     : rg_json_set_null(e, "issue"));
		if (e)
			rc = rg_json_push(findings, e) || rc;
	}
	if (!rc) {
		int r1 = rg_json_set(o, "issues", issues); /* both calls take their value */
		int r2 = rg_json_set(o, "findings", findings);
		issues = findings = NULL;
		rc = r1 || r2;
	}
	if (rc) {
		rg_json_free(o);
		rg_json_free(issues);
		rg_json_free(findings);
		return NULL;
	}
	return o;
}
