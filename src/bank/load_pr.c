/*
 * load_pr.c - reading and validating pr_review scenarios (docs/pr-task-format.md).
 *
 * Design: a scenario is read in dependency order - PR text, issue definitions,
 * versions (each a code_review-shaped task over its file, so the grader needs no
 * pr_review knowledge), then states in two passes (ids first, so rules may point
 * forward). Everything is checked with the same typed getters as code_review
 * tasks and reported as "<file>: <json path>: <reason>". Each version's unified
 * diff against base.py is rendered once here, never per observation.
 *
 * Invariants the engine relies on (all checked): the start state is not an end
 * state; every rule points at a state of the scenario; every non-end state shows
 * a version; every version is shown by some state; end states carry success.
 */
#include "bank/bank.h"
#include "bank/bank_int.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "bank/diff.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/limits.h"

/* A version file name: [a-z0-9_-]{1,60}.py, no directories. */
static bool is_py_file(const char *s)
{
	size_t n = strlen(s);
	if (n < 4 || n > 64 || strcmp(s + n - 3, ".py") || !strcmp(s, "test.py"))
		return false;
	for (size_t i = 0; i < n - 3; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_'))
			return false;
	return true;
}

static const char *get_name(rg_bank_reader *v, const rg_json *obj, const char *path)
{
	char p[RG_ERR_FIELD_BYTES];
	snprintf(p, sizeof p, "%s.id", path);
	const char *id = rg__bank_get_str(v, obj, "id", p, 1, RG_MAX_ID_LEN, true);
	if (id && !rg__bank_is_name(id, 1)) {
		rg__bank_fail(v, p, "expected [a-z0-9-]{1,64}, got \"%s\"", id);
		return NULL;
	}
	return id;
}

/* ------------------------------------------------------------------------ */
/* Issues and versions                                                      */
/* ------------------------------------------------------------------------ */

static int load_issue_defs(rg_bank_reader *v, const rg_lexicon *lex, const rg_json *doc,
			   rg_issue **out, size_t *n_out)
{
	const rg_json *arr = rg_json_get(doc, "issues");
	if (!rg_json_is_arr(arr) || rg_json_size(arr) > RG_MAX_ISSUES)
		return rg__bank_fail(v, "issues", "expected an array of 0..%d issues", RG_MAX_ISSUES);
	size_t n = rg_json_size(arr);
	rg_issue *is = rg_arena_alloc(v->arena, (n ? n : 1) * sizeof *is);
	if (!is)
		return rg_err_set(v->err, RG_ENOMEM, v->file, NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		char p[64];
		snprintf(p, sizeof p, "issues[%zu]", i);
		const rg_json *j = rg_json_at(arr, i);
		if (rg_json_get(j, "lines") || rg_json_get(j, "line")) {
			snprintf(p, sizeof p, "issues[%zu].lines", i);
			return rg__bank_fail(v, p, "pr_review issues have no lines; give them per version in versions[].issues");
		}
		if (rg__bank_load_issue(v, lex, j, p, 0, &is[i]))
			return v->err->code;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(is[k].id, is[i].id)) {
				snprintf(p, sizeof p, "issues[%zu].id", i);
				return rg__bank_fail(v, p, "duplicate issue id \"%s\"", is[i].id);
			}
	}
	*out = is;
	*n_out = n;
	return RG_OK;
}

static enum rg_verdict verdict_of(const rg_task *review)
{
	if (review->n_issues == 0)
		return RG_VERDICT_CORRECT;
	for (size_t i = 0; i < review->n_issues; i++)
		if (review->issues[i].severity == RG_SEV_CRITICAL)
			return RG_VERDICT_CRITICAL;
	return RG_VERDICT_FLAWED;
}

/* The issues present in one version, with their lines there. */
static int load_present(rg_bank_reader *v, const rg_json *arr, const char *path,
			const rg_issue *defs, size_t n_defs, rg_task *review)
{
	if (!rg_json_is_arr(arr) || rg_json_size(arr) > n_defs)
		return rg__bank_fail(v, path, "expected an array of 0..%zu {id, lines} (the scenario's issues)",
				     n_defs);
	size_t n = rg_json_size(arr);
	rg_issue *is = rg_arena_alloc(v->arena, (n ? n : 1) * sizeof *is);
	if (!is)
		return rg_err_set(v->err, RG_ENOMEM, v->file, NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const rg_json *j = rg_json_at(arr, i);
		char p[RG_ERR_FIELD_BYTES], q[RG_ERR_FIELD_BYTES];
		snprintf(p, sizeof p, "%s[%zu]", path, i);
		if (!rg_json_is_obj(j))
			return rg__bank_fail(v, p, "expected an object {id, lines}");
		snprintf(q, sizeof q, "%s.id", p);
		const rg_json *id = rg_json_get(j, "id");
		const rg_issue *def = NULL;
		for (size_t k = 0; rg_json_is_str(id) && k < n_defs && !def; k++)
			if (!strcmp(defs[k].id, rg_json_str_val(id)))
				def = &defs[k];
		if (!def)
			return rg__bank_fail(v, q, "expected the id of one of the scenario's issues");
		for (size_t k = 0; k < i; k++)
			if (!strcmp(is[k].id, def->id))
				return rg__bank_fail(v, q, "issue \"%s\" listed twice", def->id);
		is[i] = *def;
		snprintf(q, sizeof q, "%s.lines", p);
		if (rg__bank_get_lines(v, j, q, review->n_lines, &is[i]))
			return v->err->code;
	}
	review->issues = is;
	review->n_issues = n;
	return RG_OK;
}

static int load_version(rg_bank_reader *v, const rg_task *t, const rg_json *j, const char *path,
			const rg_issue *defs, size_t n_defs, const char *base, const char *file,
			rg_pr_version *ver)
{
	char p[RG_ERR_FIELD_BYTES];
	if (!rg_json_is_obj(j))
		return rg__bank_fail(v, path, "expected an object {id, file, issues}");
	if (!(ver->id = get_name(v, j, path)))
		return v->err->code;
	snprintf(p, sizeof p, "%s.file", path);
	if (!(ver->file = rg__bank_get_str(v, j, "file", p, 4, 64, true)))
		return v->err->code;
	if (!is_py_file(ver->file))
		return rg__bank_fail(v, p, "expected a file name like \"v2.py\" in the task directory, got \"%s\"",
				     ver->file);
	rg_task *r = &ver->review;
	*r = *t; /* id, family, difficulty, title, dir, language */
	r->pr = NULL;
	r->fixed = NULL;
	if (!(r->code = rg__bank_load_code(v, t->dir, ver->file)) ||
	    rg__bank_index_lines(v, r, ver->file))
		return v->err->code;
	snprintf(p, sizeof p, "%s.issues", path);
	if (load_present(v, rg_json_get(j, "issues"), p, defs, n_defs, r))
		return v->err->code;
	ver->verdict = verdict_of(r);
	rg_buf b;
	rg_buf_init(&b, RG_MAX_DIFF_BYTES);
	int rc = rg_diff_texts(base[0] ? base : NULL, strlen(base), r->code, strlen(r->code), file,
			       3, &b, NULL, v->err);
	if (!rc && !(ver->diff = rg_arena_strndup(v->arena, b.data ? b.data : "", b.len)))
		rc = rg_err_set(v->err, RG_ENOMEM, v->file, NULL, "out of memory");
	rg_buf_free(&b);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* States                                                                   */
/* ------------------------------------------------------------------------ */

static int find_name(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return (int)i;
	return -1;
}

static int load_rule(rg_bank_reader *v, const rg_json *j, const char *path,
		     const char *const *state_ids, size_t n_states, rg_pr_rule *r)
{
	char p[RG_ERR_FIELD_BYTES];
	if (!rg_json_is_obj(j))
		return rg__bank_fail(v, path, "expected an object {decision?, root_cause?, to}");
	for (void *it = rg_json_iter(j); it; it = rg_json_iter_next(j, it)) {
		const char *k = rg_json_iter_key(it);
		if (strcmp(k, "decision") && strcmp(k, "root_cause") && strcmp(k, "to")) {
			snprintf(p, sizeof p, "%s.%s", path, k);
			return rg__bank_fail(v, p, "unknown field; expected decision, root_cause, to");
		}
	}
	r->decision = -1;
	const rg_json *d = rg_json_get(j, "decision");
	if (d) {
		snprintf(p, sizeof p, "%s.decision", path);
		const char *s = rg_json_str_val(d);
		if (s && !strcmp(s, "request_changes"))
			r->decision = RG_DECIDE_REQUEST_CHANGES;
		else if (s && !strcmp(s, "comment"))
			r->decision = RG_DECIDE_COMMENT;
		else
			return rg__bank_fail(v, p, "expected \"request_changes\" or \"comment\" (approve and escalate always end the episode)");
	}
	r->root_cause = -1;
	const rg_json *rc = rg_json_get(j, "root_cause");
	if (rc) {
		snprintf(p, sizeof p, "%s.root_cause", path);
		if (!rg_json_is_bool(rc))
			return rg__bank_fail(v, p, "expected true or false");
		r->root_cause = rg_json_bool_val(rc);
	}
	snprintf(p, sizeof p, "%s.to", path);
	const rg_json *to = rg_json_get(j, "to");
	r->to = rg_json_is_str(to) ? find_name(state_ids, n_states, rg_json_str_val(to)) : -1;
	if (r->to < 0)
		return rg__bank_fail(v, p, "expected the id of a state of this scenario");
	return RG_OK;
}

static int load_state(rg_bank_reader *v, const rg_json *j, const char *path,
		      const char *const *state_ids, size_t n_states, const rg_pr_version *vers,
		      size_t n_vers, rg_pr_state *st)
{
	char p[RG_ERR_FIELD_BYTES];
	snprintf(p, sizeof p, "%s.message", path);
	if (!(st->message = rg__bank_get_str(v, j, "message", p, 1, RG_MAX_PR_MESSAGE_LEN, true)))
		return v->err->code;
	snprintf(p, sizeof p, "%s.end", path);
	st->end = rg__bank_get_str(v, j, "end", p, 1, RG_MAX_ID_LEN, false);
	if (rg_err_is_set(v->err))
		return v->err->code;
	st->version = -1;
	if (st->end) {
		snprintf(p, sizeof p, "%s.success", path);
		const rg_json *s = rg_json_get(j, "success");
		if (!rg_json_is_bool(s))
			return rg__bank_fail(v, p, "end states need \"success\": true or false");
		st->success = rg_json_bool_val(s);
		if (rg_json_get(j, "on") || rg_json_get(j, "version")) {
			snprintf(p, sizeof p, "%s.%s", path, rg_json_get(j, "on") ? "on" : "version");
			return rg__bank_fail(v, p, "end states have no rules and no version");
		}
		return RG_OK;
	}
	snprintf(p, sizeof p, "%s.version", path);
	const rg_json *ver = rg_json_get(j, "version");
	for (size_t i = 0; rg_json_is_str(ver) && i < n_vers && st->version < 0; i++)
		if (!strcmp(vers[i].id, rg_json_str_val(ver)))
			st->version = (int)i;
	if (st->version < 0)
		return rg__bank_fail(v, p, "expected the id of one of the scenario's versions");
	snprintf(p, sizeof p, "%s.repeat", path);
	st->repeat = rg__bank_get_str(v, j, "repeat", p, 1, RG_MAX_PR_MESSAGE_LEN, false);
	if (rg_err_is_set(v->err))
		return v->err->code;
	const rg_json *on = rg_json_get(j, "on");
	if (!on)
		return RG_OK;
	snprintf(p, sizeof p, "%s.on", path);
	if (!rg_json_is_arr(on) || rg_json_size(on) > RG_MAX_PR_RULES)
		return rg__bank_fail(v, p, "expected an array of 0..%d rules", RG_MAX_PR_RULES);
	size_t n = rg_json_size(on);
	rg_pr_rule *rules = rg_arena_alloc(v->arena, (n ? n : 1) * sizeof *rules);
	if (!rules)
		return rg_err_set(v->err, RG_ENOMEM, v->file, NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		snprintf(p, sizeof p, "%s.on[%zu]", path, i);
		if (load_rule(v, rg_json_at(on, i), p, state_ids, n_states, &rules[i]))
			return v->err->code;
	}
	st->rules = rules;
	st->n_rules = n;
	return RG_OK;
}

static int load_states(rg_bank_reader *v, const rg_json *doc, rg_pr_scenario *s)
{
	const rg_json *arr = rg_json_get(doc, "states");
	if (!rg_json_is_arr(arr) || rg_json_size(arr) == 0 || rg_json_size(arr) > RG_MAX_PR_STATES)
		return rg__bank_fail(v, "states", "expected an array of 1..%d states", RG_MAX_PR_STATES);
	size_t n = rg_json_size(arr);
	const char *ids[RG_MAX_PR_STATES];
	for (size_t i = 0; i < n; i++) {
		char p[64];
		snprintf(p, sizeof p, "states[%zu]", i);
		if (!rg_json_is_obj(rg_json_at(arr, i)))
			return rg__bank_fail(v, p, "expected an object");
		if (!(ids[i] = get_name(v, rg_json_at(arr, i), p)))
			return v->err->code;
		if (find_name(ids, i, ids[i]) >= 0)
			return rg__bank_fail(v, p, "duplicate state id \"%s\"", ids[i]);
	}
	rg_pr_state *st = rg_arena_alloc(v->arena, n * sizeof *st);
	if (!st)
		return rg_err_set(v->err, RG_ENOMEM, v->file, NULL, "out of memory");
	memset(st, 0, n * sizeof *st);
	bool shown[RG_MAX_PR_VERSIONS] = { 0 };
	for (size_t i = 0; i < n; i++) {
		char p[64];
		snprintf(p, sizeof p, "states[%zu]", i);
		if (load_state(v, rg_json_at(arr, i), p, ids, n, s->versions, s->n_versions, &st[i]))
			return v->err->code;
		st[i].id = ids[i];
		if (st[i].version >= 0)
			shown[st[i].version] = true;
	}
	if (st[0].end)
		return rg__bank_fail(v, "states[0]", "the start state cannot be an end state");
	for (size_t i = 0; i < s->n_versions; i++)
		if (!shown[i]) {
			char p[64];
			snprintf(p, sizeof p, "versions[%zu]", i);
			return rg__bank_fail(v, p, "version \"%s\" is never shown by any state",
					     s->versions[i].id);
		}
	s->states = st;
	s->n_states = n;
	return RG_OK;
}

/* ------------------------------------------------------------------------ */
/* The scenario                                                             */
/* ------------------------------------------------------------------------ */

static int load_scenario(rg_bank_reader *v, const rg_bank *bank, const rg_json *doc, rg_task *t,
			 rg_pr_scenario *s)
{
	int kind = rg__bank_get_enum(v, doc, "kind", "kind", rg_pr_kind_parse,
				     "single-pass-review, iterative-negotiation, escalation-judgment");
	if (kind < 0)
		return v->err->code;
	s->kind = (enum rg_pr_kind)kind;
	if (!(s->pr_title = rg__bank_get_str(v, doc, "pr_title", "pr_title", 1, RG_MAX_TITLE_LEN, true)) ||
	    !(s->pr_description = rg__bank_get_str(v, doc, "pr_description", "pr_description", 1,
						    RG_MAX_DESCRIPTION_LEN, true)) ||
	    !(s->file = rg__bank_get_str(v, doc, "file", "file", 1, RG_MAX_TITLE_LEN, true)))
		return v->err->code;
	if (strstr(s->file, "..") || s->file[0] == '/' || strpbrk(s->file, " \t\r\n"))
		return rg__bank_fail(v, "file", "expected a relative path without \"..\" or spaces, got \"%s\"",
				     s->file);
	const rg_json *mt = rg_json_get(doc, "max_turns");
	if (!rg_json_is_int(mt) || rg_json_int_val(mt) < 1 || rg_json_int_val(mt) > RG_MAX_PR_TURNS)
		return rg__bank_fail(v, "max_turns", "expected an integer in 1..%d", RG_MAX_PR_TURNS);
	s->max_turns = (int)rg_json_int_val(mt);
	t->description = s->pr_description;
	t->language = "python";

	char path[4096];
	snprintf(path, sizeof path, "%s/base.py", t->dir);
	struct stat st;
	s->base = "";
	if (stat(path, &st) == 0 && !(s->base = rg__bank_load_code(v, t->dir, "base.py")))
		return v->err->code;

	rg_issue *defs = NULL;
	size_t n_defs = 0;
	if (load_issue_defs(v, rg_bank_lexicon(bank), doc, &defs, &n_defs))
		return v->err->code;
	t->issues = defs;
	t->n_issues = n_defs;

	const rg_json *vs = rg_json_get(doc, "versions");
	if (!rg_json_is_arr(vs) || rg_json_size(vs) == 0 || rg_json_size(vs) > RG_MAX_PR_VERSIONS)
		return rg__bank_fail(v, "versions", "expected an array of 1..%d versions",
				     RG_MAX_PR_VERSIONS);
	size_t nv = rg_json_size(vs);
	rg_pr_version *vers = rg_arena_alloc(v->arena, nv * sizeof *vers);
	if (!vers)
		return rg_err_set(v->err, RG_ENOMEM, v->file, NULL, "out of memory");
	memset(vers, 0, nv * sizeof *vers);
	for (size_t i = 0; i < nv; i++) {
		char p[64];
		snprintf(p, sizeof p, "versions[%zu]", i);
		if (load_version(v, t, rg_json_at(vs, i), p, defs, n_defs, s->base, s->file, &vers[i]))
			return v->err->code;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(vers[k].id, vers[i].id) || !strcmp(vers[k].file, vers[i].file))
				return rg__bank_fail(v, p, "version id or file repeats versions[%zu]", k);
	}
	s->versions = vers;
	s->n_versions = nv;
	if (load_states(v, doc, s))
		return v->err->code;
	/* The task's own code is what the reviewer sees first. */
	const rg_task *first = &vers[s->states[0].version].review;
	t->code = first->code;
	t->n_lines = first->n_lines;
	t->trimmed_lines = first->trimmed_lines;
	t->trimmed_lens = first->trimmed_lens;
	return RG_OK;
}

int rg__bank_load_pr_task(rg_bank *bank, const char *dir, const char *dir_id,
			  enum rg_difficulty dir_difficulty, rg_task *t, rg_err *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/task.json", dir);
	rg_bank_reader v = { .file = path, .err = err, .arena = bank->arena };
	rg_json *doc = rg__bank_read_json(path, err);
	if (!doc)
		return err->code;
	int rc = RG_EINVAL;
	rg_pr_scenario *s = rg_arena_alloc(bank->arena, sizeof *s);
	if (!s) {
		rc = rg_err_set(err, RG_ENOMEM, path, NULL, "out of memory");
		goto out;
	}
	memset(s, 0, sizeof *s);
	if (rg__bank_load_common(&v, doc, "pr_review", dir_id, dir_difficulty, t))
		goto out;
	if (!(t->dir = rg_arena_strdup(bank->arena, dir))) {
		rc = rg_err_set(err, RG_ENOMEM, path, NULL, "out of memory");
		goto out;
	}
	if (load_scenario(&v, bank, doc, t, s))
		goto out;
	t->pr = s;
	rc = rg__bank_need_test(dir, err);
out:
	rg_json_free(doc);
	return rc && err->code ? err->code : rc;
}
