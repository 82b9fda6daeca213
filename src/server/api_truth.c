/*
 * api_truth.c - ground truth for replays (see api_truth.h). The replay only asks
 * for it once an episode is done, so a running agent cannot read answers here.
 */
#include "server/api_truth.h"

static rg_json *issues_json(const rg_task *t)
{
	rg_json *arr = rg_json_arr();
	for (size_t i = 0; arr && i < t->n_issues; i++) {
		const rg_issue *is = &t->issues[i];
		rg_json *o = rg_json_obj();
		if (!o || rg_json_set_int(o, "line", is->first_line) ||
		    rg_json_set_int(o, "end_line", is->last_line) ||
		    rg_json_set_str(o, "type", rg_issue_type_name(is->type)) ||
		    rg_json_set_str(o, "severity", rg_severity_name(is->severity)) ||
		    rg_json_set_str(o, "description", is->explanation ? is->explanation : "") ||
		    rg_json_set_str(o, "fix", is->fix ? is->fix : "") || rg_json_push(arr, o)) {
			rg_json_free(arr);
			return NULL;
		}
	}
	return arr;
}

static rg_json *versions_json(const rg_pr_scenario *pr)
{
	rg_json *arr = rg_json_arr();
	for (size_t i = 0; arr && i < pr->n_versions; i++) {
		const rg_pr_version *v = &pr->versions[i];
		rg_json *o = rg_json_obj();
		if (!o || rg_json_set_str(o, "id", v->id) ||
		    rg_json_set_int(o, "revision", (long long)i + 1) ||
		    rg_json_set_str(o, "verdict", rg_verdict_name(v->verdict)) ||
		    rg_json_set_str(o, "code", v->review.code) ||
		    rg_json_set(o, "issues", issues_json(&v->review)) || rg_json_push(arr, o)) {
			rg_json_free(arr);
			return NULL;
		}
	}
	return arr;
}

static rg_json *task_json(const rg_task *t)
{
	rg_json *o = rg_json_obj();
	if (!o || rg_json_set_str(o, "family", t->family) || rg_json_set_str(o, "title", t->title) ||
	    rg_json_set_str(o, "difficulty", rg_difficulty_name(t->difficulty))) {
		rg_json_free(o);
		return NULL;
	}
	int rc = t->pr ? rg_json_set(o, "versions", versions_json(t->pr))
		       : rg_json_set_str(o, "code", t->code) ||
				 rg_json_set(o, "issues", issues_json(t));
	if (rc) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

rg_json *rg__api_truth(const rg_bank *bank, const rg_json *task_ids)
{
	rg_json *o = rg_json_obj();
	for (size_t i = 0; o && i < rg_json_size(task_ids); i++) {
		const rg_json *id = rg_json_at(task_ids, i);
		const rg_task *t = rg_json_is_str(id) ? rg_bank_find(bank, rg_json_str_val(id)) : NULL;
		if (t && rg_json_set(o, t->id, task_json(t))) {
			rg_json_free(o);
			return NULL;
		}
	}
	return o;
}
