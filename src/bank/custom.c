/*
 * custom.c - the custom review task store (see custom.h).
 */
#include "bank/custom.h"
#include "bank/bank_int.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bank/diff.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"

/* One custom task: code, diff, issues and the scenario, well under 1 MiB. */
#define CUSTOM_ARENA_MAX ((size_t)4 << 20)
#define ID_PREFIX "custom-"

typedef struct entry {
	rg_arena *arena;
	rg_task *task;
	int refs;
	char id[sizeof ID_PREFIX + 16];
} entry;

struct rg_custom_store {
	const rg_bank *bank;
	entry *entries; /* registration order */
	size_t n, max;
};

rg_custom_store *rg_custom_create(const rg_bank *bank, size_t max)
{
	rg_custom_store *cs = rg_calloc(1, sizeof *cs);
	if (!cs)
		return NULL;
	cs->entries = rg_calloc(max ? max : 1, sizeof *cs->entries);
	if (!cs->entries) {
		rg_free(cs);
		return NULL;
	}
	cs->bank = bank;
	cs->max = max ? max : 1;
	return cs;
}

void rg_custom_destroy(rg_custom_store *cs)
{
	if (!cs)
		return;
	for (size_t i = 0; i < cs->n; i++)
		rg_arena_destroy(cs->entries[i].arena);
	rg_free(cs->entries);
	rg_free(cs);
}

int rg_custom_is_id(const char *id)
{
	if (strncmp(id, ID_PREFIX, sizeof ID_PREFIX - 1) || strlen(id) != sizeof ID_PREFIX - 1 + 16)
		return 0;
	for (const char *p = id + sizeof ID_PREFIX - 1; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

size_t rg_custom_count(const rg_custom_store *cs) { return cs->n; }

const rg_task *rg_custom_at(const rg_custom_store *cs, size_t i)
{
	return i < cs->n ? cs->entries[i].task : NULL;
}

const rg_task *rg_custom_acquire(rg_custom_store *cs, const char *id)
{
	for (size_t i = 0; i < cs->n; i++)
		if (!strcmp(cs->entries[i].id, id)) {
			cs->entries[i].refs++;
			return cs->entries[i].task;
		}
	return NULL;
}

void rg_custom_release(rg_custom_store *cs, const rg_task *t)
{
	for (size_t i = 0; t && i < cs->n; i++)
		if (cs->entries[i].task == t && cs->entries[i].refs > 0) {
			cs->entries[i].refs--;
			return;
		}
}

/* ------------------------------------------------------------------------ */
/* Building a task from a request                                           */
/* ------------------------------------------------------------------------ */

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* A field's text, tagged so {"code": "x"} and {"diff": "x"} hash apart. */
static uint64_t hash_field(uint64_t h, const char *tag, const char *s, size_t n)
{
	h = fnv1a(h, tag, strlen(tag) + 1);
	h = fnv1a(h, (const char *)&n, sizeof n);
	return fnv1a(h, s, n);
}

static int get_text(const rg_json *body, const char *key, size_t min, size_t max,
		    const char **out, size_t *len, rg_err *err)
{
	const rg_json *v = rg_json_get(body, key);
	*out = NULL;
	*len = 0;
	if (!v || rg_json_is_null(v))
		return RG_OK;
	if (!rg_json_is_str(v))
		return rg_err_set(err, RG_EINVAL, key, "string_type", "expected a string, got %s",
				  rg_json_type_name(v));
	size_t n = rg_json_str_len(v);
	if (n > max)
		return rg_err_set(err, RG_ETOOBIG, key, "string_too_long",
				  "at most %zu bytes, got %zu", max, n);
	if (n < min)
		return rg_err_set(err, RG_EINVAL, key, "string_too_short",
				  "at least %zu character%s", min, min == 1 ? "" : "s");
	if (strlen(rg_json_str_val(v)) != n)
		return rg_err_set(err, RG_EINVAL, key, "value_error", "contains a NUL character");
	*out = rg_json_str_val(v);
	*len = n;
	return RG_OK;
}

static size_t count_lines(const char *s, size_t n)
{
	size_t lines = n && s[n - 1] != '\n';
	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	return lines;
}

typedef struct request {
	const char *code, *diff, *language, *title;
	size_t code_len, diff_len, language_len, title_len;
	const rg_json *issues;
} request;

static int read_request(const rg_json *body, request *r, rg_err *err)
{
	static const char *const keys[] = { "code", "diff", "language", "title", "expected_issues",
					    NULL };
	memset(r, 0, sizeof *r);
	if (!rg_json_is_obj(body))
		return rg_err_set(err, RG_EINVAL, "body", "model_type",
				  "expected an object like {\"code\": \"...\"} or {\"diff\": \"...\"}");
	for (void *it = rg_json_iter(body); it; it = rg_json_iter_next(body, it)) {
		const char *k = rg_json_iter_key(it);
		int known = 0;
		for (int i = 0; keys[i] && !known; i++)
			known = !strcmp(keys[i], k);
		if (!known) {
			char path[64];
			snprintf(path, sizeof path, "%.60s", k);
			return rg_err_set(err, RG_EINVAL, path, "extra_forbidden",
					  "unknown field; expected code or diff, language, title, expected_issues");
		}
	}
	int rc;
	if ((rc = get_text(body, "code", 1, RG_MAX_CODE_BYTES, &r->code, &r->code_len, err)) ||
	    (rc = get_text(body, "diff", 1, RG_MAX_DIFF_BYTES, &r->diff, &r->diff_len, err)) ||
	    (rc = get_text(body, "language", 1, 32, &r->language, &r->language_len, err)) ||
	    (rc = get_text(body, "title", 1, RG_MAX_TITLE_LEN, &r->title, &r->title_len, err)))
		return rc;
	if (!r->code == !r->diff)
		return rg_err_set(err, RG_EINVAL, r->code ? "diff" : "code", "value_error",
				  r->code ? "give either code or diff, not both"
					  : "field required: give the code to review (or a unified diff as \"diff\")");
	for (size_t i = 0; r->language && i < r->language_len; i++) {
		char c = r->language[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("+#._-", c)))
			return rg_err_set(err, RG_EINVAL, "language", "value_error",
					  "expected a lower-case name like \"python\", got \"%.32s\"",
					  r->language);
	}
	if (!r->language) {
		r->language = "python";
		r->language_len = 6;
	}
	if (!r->title) {
		r->title = "Custom review";
		r->title_len = strlen(r->title);
	}
	r->issues = rg_json_get(body, "expected_issues");
	if (rg_json_is_null(r->issues))
		r->issues = NULL;
	if (r->issues && (!rg_json_is_arr(r->issues) || rg_json_size(r->issues) > RG_MAX_ISSUES))
		return rg_err_set(err, RG_EINVAL, "expected_issues", "list_type",
				  "expected a list of at most %d issues", RG_MAX_ISSUES);
	return RG_OK;
}

static uint64_t hash_request(const request *r)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	if (r->code)
		h = hash_field(h, "code", r->code, r->code_len);
	if (r->diff)
		h = hash_field(h, "diff", r->diff, r->diff_len);
	h = hash_field(h, "language", r->language, r->language_len);
	h = hash_field(h, "title", r->title, r->title_len);
	if (r->issues) {
		size_t n = 0;
		char *dump = rg_json_dump_sorted(r->issues, &n); /* key order must not matter */
		/* Without the dump (ENOMEM) the id would collide with the no-issue one;
		 * a distinct marker keeps them apart and the build will fail anyway. */
		h = dump ? hash_field(h, "issues", dump, n) : hash_field(h, "issues?", "", 0);
		rg_free(dump);
	}
	return h;
}

/* The code under review and its diff, in the arena. */
static int build_code(const request *r, rg_arena *a, rg_task *t, const char **diff,
		      char *file, size_t file_cap, rg_err *err)
{
	rg_buf b;
	rg_buf_init(&b, RG_MAX_DIFF_BYTES);
	int rc;
	if (r->code) {
		if (count_lines(r->code, r->code_len) > RG_MAX_CODE_LINES) {
			rg_buf_free(&b);
			return rg_err_set(err, RG_ETOOBIG, "code", "too_long", "at most %d lines, got %zu",
					  RG_MAX_CODE_LINES, count_lines(r->code, r->code_len));
		}
		snprintf(file, file_cap, "%s", !strcmp(r->language, "python") ? "snippet.py" : "snippet");
		t->code = rg_arena_strndup(a, r->code, r->code_len);
		rc = rg_diff_texts(NULL, 0, r->code, r->code_len, file, 3, &b, NULL, err);
		*diff = rc ? NULL : rg_arena_strndup(a, b.data ? b.data : "", b.len);
	} else {
		rc = rg_diff_new_side(r->diff, r->diff_len, RG_MAX_CODE_LINES, &b, file, file_cap, err);
		t->code = rc ? NULL : rg_arena_strndup(a, b.data, b.len);
		*diff = rg_arena_strndup(a, r->diff, r->diff_len);
	}
	rg_buf_free(&b);
	if (!rc && (!t->code || !*diff))
		rc = rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
	return rc;
}

static int build_issues(const request *r, const rg_lexicon *lex, rg_bank_reader *v, rg_task *t)
{
	size_t n = r->issues ? rg_json_size(r->issues) : 0;
	rg_issue *is = rg_arena_alloc(v->arena, (n ? n : 1) * sizeof *is);
	if (!is)
		return rg_err_set(v->err, RG_ENOMEM, NULL, NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		char p[64];
		snprintf(p, sizeof p, "expected_issues[%zu]", i);
		if (rg__bank_load_issue(v, lex, rg_json_at(r->issues, i), p, t->n_lines, &is[i]))
			return v->err->code;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(is[k].id, is[i].id)) {
				snprintf(p, sizeof p, "expected_issues[%zu].id", i);
				return rg__bank_fail(v, p, "duplicate issue id \"%s\"", is[i].id);
			}
	}
	t->issues = is;
	t->n_issues = n;
	return RG_OK;
}

static rg_task *build_task(const rg_custom_store *cs, const request *r, const char *id,
			   rg_arena *a, rg_err *err)
{
	rg_bank_reader v = { .file = NULL, .err = err, .arena = a };
	rg_task *t = rg_arena_alloc(a, sizeof *t);
	rg_pr_scenario *s = rg_arena_alloc(a, sizeof *s);
	rg_pr_version *ver = rg_arena_alloc(a, sizeof *ver);
	rg_pr_state *st = rg_arena_alloc(a, sizeof *st);
	char file[RG_MAX_TITLE_LEN + 1];
	const char *diff = NULL;
	if (!t || !s || !ver || !st) {
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
		return NULL;
	}
	t->id = rg_arena_strdup(a, id);
	t->family = "pr_review";
	t->difficulty = RG_MEDIUM;
	t->title = rg_arena_strndup(a, r->title, r->title_len);
	t->language = rg_arena_strndup(a, r->language, r->language_len);
	t->description = "A change supplied by the user for review.";
	if (!t->id || !t->title || !t->language) {
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
		return NULL;
	}
	if (build_code(r, a, t, &diff, file, sizeof file, err) ||
	    rg__bank_index_lines(&v, t, r->code ? "code" : "diff") ||
	    build_issues(r, rg_bank_lexicon(cs->bank), &v, t))
		return NULL;
	ver->id = "v1";
	ver->file = rg_arena_strdup(a, file);
	ver->diff = diff;
	ver->review = *t;
	ver->verdict = t->n_issues ? RG_VERDICT_FLAWED : RG_VERDICT_CORRECT;
	for (size_t i = 0; i < t->n_issues; i++)
		if (t->issues[i].severity == RG_SEV_CRITICAL)
			ver->verdict = RG_VERDICT_CRITICAL;
	st->id = "review";
	st->version = 0;
	st->message = "Please review this change.";
	s->kind = RG_PR_CUSTOM;
	s->pr_title = t->title;
	s->pr_description = t->description;
	s->file = ver->file;
	s->base = "";
	s->max_turns = 1;
	s->versions = ver;
	s->n_versions = 1;
	s->states = st;
	s->n_states = 1;
	t->pr = s;
	if (!ver->file) {
		rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
		return NULL;
	}
	return t;
}

/* Make room for one more task: evict the oldest task no episode holds. */
static int make_room(rg_custom_store *cs, rg_err *err)
{
	if (cs->n < cs->max)
		return RG_OK;
	for (size_t i = 0; i < cs->n; i++)
		if (cs->entries[i].refs == 0) {
			rg_arena_destroy(cs->entries[i].arena);
			memmove(&cs->entries[i], &cs->entries[i + 1],
				(cs->n - i - 1) * sizeof *cs->entries);
			cs->n--;
			return RG_OK;
		}
	return rg_err_set(err, RG_ECAPACITY, NULL, NULL,
			  "all %zu custom tasks are in use by running episodes; try again later",
			  cs->max);
}

int rg_custom_add(rg_custom_store *cs, const rg_json *body, char *id, rg_err *err)
{
	request r;
	int rc = read_request(body, &r, err);
	if (rc)
		return rc;
	char new_id[sizeof ID_PREFIX + 16];
	snprintf(new_id, sizeof new_id, ID_PREFIX "%016llx", (unsigned long long)hash_request(&r));
	for (size_t i = 0; i < cs->n; i++)
		if (!strcmp(cs->entries[i].id, new_id)) {
			snprintf(id, RG_MAX_ID_LEN + 1, "%s", new_id);
			return RG_OK; /* already registered */
		}
	rg_arena *a = rg_arena_create(CUSTOM_ARENA_MAX);
	if (!a)
		return rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory");
	rg_task *t = build_task(cs, &r, new_id, a, err);
	if (!t || (rc = make_room(cs, err))) {
		rg_arena_destroy(a);
		return err->code ? err->code : RG_ENOMEM;
	}
	entry *e = &cs->entries[cs->n++];
	e->arena = a;
	e->task = t;
	e->refs = 0;
	snprintf(e->id, sizeof e->id, "%s", new_id);
	snprintf(id, RG_MAX_ID_LEN + 1, "%s", new_id);
	return RG_OK;
}
