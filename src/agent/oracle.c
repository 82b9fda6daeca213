/*
 * oracle.c - the oracle policy (see oracle.h).
 */
#include "agent/oracle.h"

#include <string.h>

#include "core/buf.h"
#include "core/limits.h"
#include "grade/audit.h"

enum rg_decision rg_oracle_decision(enum rg_verdict v)
{
	switch (v) {
	case RG_VERDICT_CORRECT: return RG_DECIDE_APPROVE;
	case RG_VERDICT_CRITICAL: return RG_DECIDE_ESCALATE;
	default: return RG_DECIDE_REQUEST_CHANGES;
	}
}

static rg_json *code_review_action(const rg_task *t)
{
	rg_finding f[RG_MAX_ISSUES];
	rg_audit_reference_findings(t, f);
	rg_json *a = rg_json_obj();
	rg_json *list = rg_json_arr();
	int rc = !a || !list;
	for (size_t i = 0; !rc && i < t->n_issues; i++) {
		rg_json *o = rg_json_obj();
		rc = !o || rg_json_set_int(o, "line_number", f[i].line) ||
		     rg_json_set_str(o, "issue_type", rg_issue_type_name(t->issues[i].type)) ||
		     rg_json_set_str(o, "description", t->issues[i].explanation) ||
		     rg_json_set_str(o, "suggested_fix", t->issues[i].fix);
		rc = rc ? (rg_json_free(o), rc) : rg_json_push(list, o);
	}
	if (!rc) {
		rc = rg_json_set(a, "findings", list);
		list = NULL;
	}
	rc = rc || rg_json_set_str(a, "review_summary", "Reference review.");
	rg_json_free(list);
	if (rc) {
		rg_json_free(a);
		return NULL;
	}
	return a;
}

static rg_json *pr_review_action(const rg_task *t, const rg_json *obs, rg_err *err)
{
	const rg_json *rev = rg_json_get(obs, "revision");
	long long r = rg_json_is_int(rev) ? rg_json_int_val(rev) : 0;
	if (r < 1 || (size_t)r > t->pr->n_versions) {
		rg_err_set(err, RG_EINVAL, "revision", "value_error",
			   "the observation's revision is not a version of %s", t->id);
		return NULL;
	}
	const rg_pr_version *v = &t->pr->versions[r - 1];
	rg_buf b;
	rg_buf_init(&b, 16 * 1024);
	int rc = v->review.n_issues ? 0 : rg_buf_puts(&b, "The change is correct and complete.");
	for (size_t i = 0; !rc && i < v->review.n_issues; i++)
		rc = rg_buf_printf(&b, "%s%s %s", i ? " " : "", v->review.issues[i].explanation,
				   v->review.issues[i].fix);
	rg_json *a = rc ? NULL : rg_json_obj();
	if (a && (rg_json_set_str(a, "decision", rg_decision_name(rg_oracle_decision(v->verdict))) ||
		  rg_json_set_str(a, "comment", b.data))) {
		rg_json_free(a);
		a = NULL;
	}
	rg_buf_free(&b);
	if (!a)
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory building the oracle action");
	return a;
}

rg_json *rg_oracle_action(const rg_bank *bank, const rg_json *obs, rg_err *err)
{
	const char *id = rg_json_str_val(rg_json_get(obs, "task_id"));
	const rg_task *t = id ? rg_bank_find(bank, id) : NULL;
	if (!t) {
		rg_err_set(err, RG_ENOTFOUND, "task_id", NULL, "the oracle knows only bank tasks, not \"%.64s\"",
			   id ? id : "(none)");
		return NULL;
	}
	if (t->pr)
		return pr_review_action(t, obs, err);
	rg_json *a = code_review_action(t);
	if (!a)
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory building the oracle action");
	return a;
}
