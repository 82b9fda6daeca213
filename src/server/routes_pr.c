/*
 * routes_pr.c - the routes of the PR-review design (SPEC.md §2): the task
 * registry (GET /tasks), text diffs for the dashboard (POST /diff) and custom
 * review registration (POST /config/custom).
 *
 * Design: thin adapters. The registry is read from the bank and the custom store;
 * diffs come from bank/diff.c (libgit2); registration is rg_custom_add, whose
 * errors name the body field and are answered in FastAPI's 422 shape with
 * loc ["body", ...]. A full custom store answers 503, like capacity elsewhere.
 */
#include "server/server_int.h"

#include <string.h>

#include "bank/diff.h"
#include "core/json.h"
#include "core/limits.h"

static const char *const body_prefix[] = { "body" };

/* One registry entry. */
static rg_json *task_entry(const rg_task *t)
{
	const rg_pr_scenario *pr = t->pr;
	bool custom = pr && pr->kind == RG_PR_CUSTOM;
	rg_json *o = rg_json_obj();
	if (!o || rg_json_set_str(o, "id", t->id) || rg_json_set_str(o, "family", t->family) ||
	    (custom ? rg_json_set_null(o, "difficulty")
		    : rg_json_set_str(o, "difficulty", rg_difficulty_name(t->difficulty))) ||
	    rg_json_set_str(o, "title", t->title) ||
	    rg_json_set_str(o, "split", custom ? "custom" : t->eval_split ? "eval" : "train") ||
	    (pr ? rg_json_set_str(o, "kind", rg_pr_kind_name(pr->kind))
		: rg_json_set_null(o, "kind")) ||
	    rg_json_set_int(o, "num_issues", (long long)t->n_issues) ||
	    rg_json_set_int(o, "num_lines", (long long)t->n_lines) ||
	    (pr ? rg_json_set_int(o, "num_versions", (long long)pr->n_versions) ||
			  rg_json_set_int(o, "max_turns", pr->max_turns)
		: rg_json_set_null(o, "num_versions") || rg_json_set_null(o, "max_turns"))) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

void rg__h_tasks(rg_server *s, rg_conn *c, const char *b, size_t n)
{
	(void)b, (void)n;
	rg_json *o = rg_json_obj();
	rg_json *list = rg_json_arr();
	rg_json *counts = rg_json_obj();
	int rc = !o || !list || !counts;
	long long n_cr = 0, n_pr = 0, n_custom = 0;
	for (size_t i = 0; !rc && i < rg_bank_count(s->bank); i++) {
		const rg_task *t = rg_bank_at(s->bank, i);
		t->pr ? n_pr++ : n_cr++;
		rc = rg_json_push(list, task_entry(t));
	}
	for (size_t i = 0; !rc && i < rg_custom_count(s->custom); i++, n_custom++)
		rc = rg_json_push(list, task_entry(rg_custom_at(s->custom, i)));
	rc = rc || rg_json_set_int(counts, "code_review", n_cr) ||
	     rg_json_set_int(counts, "pr_review", n_pr) || rg_json_set_int(counts, "custom", n_custom) ||
	     rg_json_set_int(counts, "total", n_cr + n_pr + n_custom);
	if (!rc) {
		rc = rg_json_set(o, "counts", counts);
		counts = NULL;
	}
	if (!rc) {
		rc = rg_json_set(o, "tasks", list);
		list = NULL;
	}
	rg_json_free(counts);
	rg_json_free(list);
	if (rc) {
		rg_json_free(o);
		o = NULL;
	}
	rg__respond_json(c, 200, o);
}

/* A string member of the body, at most max bytes; NULL with err. */
static const char *body_text(const rg_json *body, const char *key, size_t max, bool required,
			     size_t *len, rg_err *err)
{
	const rg_json *v = rg_json_get(body, key);
	*len = 0;
	if (!v || rg_json_is_null(v)) {
		if (required)
			rg_err_set(err, RG_EINVAL, key, "missing", "field required");
		return required ? NULL : "";
	}
	if (!rg_json_is_str(v)) {
		rg_err_set(err, RG_EINVAL, key, "string_type", "expected a string, got %s",
			   rg_json_type_name(v));
		return NULL;
	}
	if (rg_json_str_len(v) > max) {
		rg_err_set(err, RG_ETOOBIG, key, "string_too_long", "at most %zu bytes, got %zu", max,
			   rg_json_str_len(v));
		return NULL;
	}
	*len = rg_json_str_len(v);
	return rg_json_str_val(v);
}

/* POST /diff {"old": "...", "new": "...", "path"?: "file.py", "context"?: 0..20}
 * -> {"diff": "<unified>", "hunks": [...], "path": ...}. */
void rg__h_diff(rg_server *s, rg_conn *c, const char *body, size_t n)
{
	(void)s;
	rg_json *req = rg__body_json(c, body, n);
	if (!req)
		return;
	rg_err err;
	rg_err_clear(&err);
	size_t ol = 0, nl = 0, pl = 0;
	const char *old_text = NULL, *new_text = NULL, *path = NULL;
	long long context = 3;
	if (!rg_json_is_obj(req)) {
		rg_err_set(&err, RG_EINVAL, NULL, "model_type", "expected an object {old, new, path?, context?}");
	} else {
		for (void *it = rg_json_iter(req); it && !rg_err_is_set(&err);
		     it = rg_json_iter_next(req, it)) {
			const char *k = rg_json_iter_key(it);
			if (strcmp(k, "old") && strcmp(k, "new") && strcmp(k, "path") && strcmp(k, "context"))
				rg_err_set(&err, RG_EINVAL, k, "extra_forbidden",
					   "unknown field; expected old, new, path, context");
		}
		const rg_json *ctx = rg_json_get(req, "context");
		if (!rg_err_is_set(&err) && ctx && !rg_json_is_null(ctx)) {
			if (!rg_json_is_int(ctx) || rg_json_int_val(ctx) < 0 || rg_json_int_val(ctx) > 20)
				rg_err_set(&err, RG_EINVAL, "context", "value_error",
					   "expected an integer in 0..20");
			else
				context = rg_json_int_val(ctx);
		}
		if (!rg_err_is_set(&err) &&
		    (old_text = body_text(req, "old", RG_MAX_DIFF_INPUT_BYTES, true, &ol, &err)) &&
		    (new_text = body_text(req, "new", RG_MAX_DIFF_INPUT_BYTES, true, &nl, &err)) &&
		    (path = body_text(req, "path", RG_MAX_TITLE_LEN, false, &pl, &err)) &&
		    (memchr(old_text, 0, ol) || memchr(new_text, 0, nl) || memchr(path, 0, pl)))
			rg_err_set(&err, RG_EINVAL, memchr(old_text, 0, ol) ? "old" : memchr(new_text, 0, nl) ? "new" : "path",
				   "value_error", "contains a NUL character");
	}
	if (rg_err_is_set(&err)) {
		rg__respond_err(c, &err, body_prefix, 1);
		rg_json_free(req);
		return;
	}
	if (!pl)
		path = "file";
	rg_buf out;
	rg_buf_init(&out, RG_MAX_DIFF_BYTES);
	rg_json *hunks = NULL;
	rg_json *o = NULL;
	if (rg_diff_texts(old_text, ol, new_text, nl, path, (int)context, &out, &hunks, &err)) {
		rg__respond_err(c, &err, body_prefix, 1);
	} else {
		o = rg_json_obj();
		if (!o || rg_json_set(o, "diff", rg_json_strn(out.data ? out.data : "", out.len)) ||
		    rg_json_set_str(o, "path", path) || rg_json_set(o, "hunks", hunks)) {
			rg_json_free(o);
			o = NULL;
		}
		hunks = NULL;
		rg__respond_json(c, 200, o);
	}
	rg_json_free(hunks);
	rg_buf_free(&out);
	rg_json_free(req);
}

/* POST /config/custom -> {"task_id": ..., "family": "pr_review", ...}. */
void rg__h_custom(rg_server *s, rg_conn *c, const char *body, size_t n)
{
	rg_json *req = rg__body_json(c, body, n);
	if (!req)
		return;
	rg_err err;
	rg_err_clear(&err);
	char id[RG_MAX_ID_LEN + 1];
	if (rg_custom_add(s->custom, req, id, &err)) {
		rg__respond_err(c, &err, body_prefix, 1);
		rg_json_free(req);
		return;
	}
	rg_json_free(req);
	const rg_task *t = rg_custom_acquire(s->custom, id);
	rg_json *o = rg_json_obj();
	if (!o || !t || rg_json_set_str(o, "task_id", id) ||
	    rg_json_set_str(o, "family", "pr_review") ||
	    rg_json_set_int(o, "num_lines", (long long)t->n_lines) ||
	    rg_json_set_int(o, "num_expected_issues", (long long)t->n_issues) ||
	    rg_json_set_bool(o, "graded", t->n_issues > 0) ||
	    rg_json_set_str(o, "diff", t->pr->versions[0].diff)) {
		rg_json_free(o);
		o = NULL;
	}
	rg_custom_release(s->custom, t);
	rg__respond_json(c, 200, o);
}
