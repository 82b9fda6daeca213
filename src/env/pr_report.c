/*
 * pr_report.c - pr_review feedback and reward breakdown (see pr_report.h).
 */
#include "env/pr_report.h"

#include <stdio.h>

static const char *stance_sentence(const rg_pr_turn_grade *g, bool late)
{
	switch (g->verdict) {
	case RG_VERDICT_CORRECT:
		switch (g->decision) {
		case RG_DECIDE_APPROVE: return "You approved a correct change.";
		case RG_DECIDE_REQUEST_CHANGES:
			return "You requested changes on a change that is correct: blocking a good change earns no stance credit.";
		case RG_DECIDE_ESCALATE:
			return "You escalated a correct change: over-escalation ends the review without success.";
		default: return "You commented without deciding; this change was ready for a decision.";
		}
	case RG_VERDICT_FLAWED:
		switch (g->decision) {
		case RG_DECIDE_APPROVE:
			return "You approved a change that is still broken: the worst outcome, the episode fails.";
		case RG_DECIDE_REQUEST_CHANGES: return "You requested changes on a flawed change: the right stance.";
		case RG_DECIDE_ESCALATE:
			return "You escalated a defect that is not a critical security flaw: over-escalation ends the review without success.";
		default: return "You commented without deciding; a flawed change needs a clear request for changes.";
		}
	default:
		switch (g->decision) {
		case RG_DECIDE_APPROVE:
			return "You approved a change with a critical security flaw: the worst outcome, the episode fails.";
		case RG_DECIDE_REQUEST_CHANGES:
			return "You requested changes on a change with a critical security flaw; it needed escalation at once.";
		case RG_DECIDE_ESCALATE:
			return late ? "You escalated, but only after the critical flaw had already been in front of you: escalation must be immediate."
				    : "You escalated a critical security flaw at once: the right call.";
		default: return "You commented on a change with a critical security flaw; it needed escalation at once.";
		}
	}
}

int rg__pr_feedback(rg_buf *b, const rg_pr_turn_grade *g, bool escalated_late)
{
	int rc = rg_buf_puts(b, stance_sentence(g, escalated_late));
	if (!rc && g->n_issues && !g->catastrophic) {
		const rg_naming *root = &g->issues[0];
		if (g->root_cause_named)
			rc = rg_buf_printf(b, " Your review names the root cause (%d/%d concept groups).",
					   root->hits, root->total);
		else if (root->hits && !root->focused)
			rc = rg_buf_puts(b, " Your comment names too many kinds of defect to count as naming any: lists of keywords earn nothing.");
		else if (root->hits)
			rc = rg_buf_printf(b, " Your review only touches the root cause (%d/%d concept groups): say what goes wrong and why.",
					   root->hits, root->total);
		else
			rc = rg_buf_puts(b, " Your review does not name the root cause; the author cannot fix what is not named.");
		if (!rc && g->n_issues > 1)
			rc = rg_buf_printf(b, " Naming across the %zu problems in this revision: %.0f%%.",
					   g->n_issues, 100.0 * g->naming);
	}
	if (!rc && g->false_positives)
		rc = rg_buf_printf(b, " %zu finding%s matched no problem in this revision (-%.2f).",
				   g->false_positives, g->false_positives == 1 ? "" : "s", g->penalty);
	if (!rc)
		rc = rg_buf_printf(b, " Turn reward %.4g.", g->reward);
	return rc;
}

rg_json *rg__pr_breakdown(const rg_task *version, const rg_pr_turn_grade *g, int turn,
			  double reward)
{
	rg_json *o = rg_json_obj();
	rg_json *issues = rg_json_arr();
	int rc = !o || !issues;
	for (size_t i = 0; !rc && i < g->n_issues; i++) {
		const rg_naming *n = &g->issues[i];
		rg_json *e = rg_json_obj();
		char by[32] = "";
		if (g->named_by[i] == -1)
			snprintf(by, sizeof by, "comment");
		else if (g->named_by[i] >= 0)
			snprintf(by, sizeof by, "findings[%d]", g->named_by[i]);
		rc = !e || rg_json_set_str(e, "id", version->issues[i].id) ||
		     rg_json_set_bool(e, "root_cause", i == 0) ||
		     rg_json_set_bool(e, "named", n->named) ||
		     rg_json_set_bool(e, "focused", n->focused || n->hits == 0) ||
		     rg_json_set_int(e, "concepts_hit", n->hits) ||
		     rg_json_set_int(e, "concepts_total", n->total) ||
		     (by[0] ? rg_json_set_str(e, "named_by", by) : rg_json_set_null(e, "named_by"));
		if (rc)
			rg_json_free(e);
		else
			rc = rg_json_push(issues, e);
	}
	rc = rc || rg_json_set_int(o, "turn", turn) ||
	     rg_json_set_str(o, "verdict", rg_verdict_name(g->verdict)) ||
	     rg_json_set_str(o, "decision", rg_decision_name(g->decision)) ||
	     rg_json_set_real(o, "stance", g->stance) ||
	     rg_json_set_real(o, "naming", rg_grade_round(g->naming)) ||
	     rg_json_set_bool(o, "root_cause_named", g->root_cause_named);
	if (!rc) {
		rc = rg_json_set(o, "issues", issues);
		issues = NULL;
	}
	rc = rc || rg_json_set_int(o, "findings", (long long)g->n_findings) ||
	     rg_json_set_int(o, "false_positives", (long long)g->false_positives) ||
	     rg_json_set_real(o, "penalty", rg_grade_round(g->penalty)) ||
	     rg_json_set_real(o, "turn_reward", g->reward) ||
	     rg_json_set_real(o, "reward", reward);
	rg_json_free(issues);
	if (rc) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}
