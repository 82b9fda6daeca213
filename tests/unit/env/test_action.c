/*
 * test_action.c - the code_review action normaliser (env/action.h, env/repair.h).
 *
 * Design: most cases are data. Every tests/fixtures/actions/ok/NAME.json is an
 * action as an agent sends it; NAME.expect says what the normaliser must make of
 * it:
 *   {"findings": N, "first_line": L|null, "first_type": "bug"|...|null,
 *    "warnings_contain": ["substring", ...],
 *    optional "first_line_end": L, "warnings": exact count, "summary": "..."}
 * Every tests/fixtures/actions/bad/NAME.json must be refused with the error its
 * .expect names: {"code": "EINVAL"|"ETOOBIG", "field": "...", "kind": "...",
 * "msg_contains": "..."}. Unknown keys in an .expect fail the test, so a typo
 * cannot turn a check off, and a fixture without its .expect (or the reverse) is
 * an error. A new case is a new pair of files. The direct tests below cover the
 * line-reference and type-alias parsers, raw-text detection and the limits at,
 * below and one past.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "env/action.h"
#include "env/repair.h"

#define FIXTURES "tests/fixtures/actions"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* Whole file, NUL-terminated, malloc'd; NULL when unreadable. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			char *p = realloc(buf, cap);
			if (!p) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		size_t got = fread(buf + n, 1, 4096, f);
		n += got;
		if (got < 4096)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static rg_json *load_json(const char *path)
{
	size_t n;
	char *s = slurp(path, &n);
	if (!s)
		return NULL;
	rg_err err;
	rg_err_clear(&err);
	rg_json *v = rg_json_parse(s, n, &err);
	free(s);
	return v;
}

static rg_json *parse(const char *text)
{
	rg_err err;
	rg_err_clear(&err);
	rg_json *v = rg_json_parse(text, strlen(text), &err);
	cr_assert_not_null(v, "test JSON does not parse: %s (%s)", text, err.msg);
	return v;
}

/* Normalise with fresh warnings and error. */
static int normalise(const rg_json *action, rg_cr_action *a, rg_warnings *w, rg_err *err)
{
	rg_warn_clear(w);
	rg_err_clear(err);
	return rg_cr_action_parse(action, a, w, err);
}

/* Normalise and release: the code, and in *n (optional) the findings count. */
static int try_normalise(const rg_json *action, size_t *n, rg_err *err)
{
	rg_cr_action a;
	rg_warnings w;
	int rc = normalise(action, &a, &w, err);
	if (n)
		*n = rc ? 0 : a.n;
	if (rc == RG_OK)
		rg_cr_action_release(&a);
	return rc;
}

static bool warned(const rg_warnings *w, const char *needle)
{
	for (size_t i = 0; i < w->n; i++)
		if (strstr(w->msg[i], needle))
			return true;
	return false;
}

static void warnings_text(const rg_warnings *w, char *out, size_t cap)
{
	out[0] = '\0';
	for (size_t i = 0; i < w->n; i++) {
		size_t l = strlen(out);
		snprintf(out + l, cap - l, "%s[%s]", i ? " " : "", w->msg[i]);
	}
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

static bool key_allowed(const char *k, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (!strcmp(k, *allowed))
			return true;
	return false;
}

typedef void fixture_fn(const char *name, const rg_json *action, const rg_json *expect);

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Loads NAME.json and NAME.expect of one fixture and calls fn. */
static void run_fixture(const char *dir, const char *name, fixture_fn *fn)
{
	char path[400];
	snprintf(path, sizeof path, "%s/%s.json", dir, name);
	rg_json *action = load_json(path);
	cr_expect_not_null(action, "%s is not strict JSON", path);
	snprintf(path, sizeof path, "%s/%s.expect", dir, name);
	rg_json *expect = load_json(path);
	cr_expect(rg_json_is_obj(expect), "%s is not a strict JSON object", path);
	if (action && rg_json_is_obj(expect))
		fn(name, action, expect);
	rg_json_free(action);
	rg_json_free(expect);
}

/* An .expect may hold only the keys its directory defines. */
static void expect_known_keys(const char *name, const rg_json *expect, const char *const *keys)
{
	for (void *it = rg_json_iter(expect); it; it = rg_json_iter_next(expect, it))
		cr_expect(key_allowed(rg_json_iter_key(it), keys), "%s.expect: unknown key \"%s\"",
			  name, rg_json_iter_key(it));
}

/* Runs fn on each fixture of dir, in name order; returns how many ran. Every
 * .json needs its .expect and the reverse. */
static size_t each_fixture(const char *dir, fixture_fn *fn)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "cannot open %s (tests run from the repository root)", dir);
	char names[512][128];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *ext = has_suffix(e->d_name, ".json")     ? ".json"
				  : has_suffix(e->d_name, ".expect") ? ".expect"
								     : NULL;
		if (!ext)
			continue;
		char other[300];
		size_t stem = strlen(e->d_name) - strlen(ext);
		snprintf(other, sizeof other, "%s/%.*s%s", dir, (int)stem, e->d_name,
			 !strcmp(ext, ".json") ? ".expect" : ".json");
		FILE *f = fopen(other, "rb");
		cr_expect_not_null(f, "%s/%s has no partner file %s", dir, e->d_name, other);
		if (f)
			fclose(f);
		if (!strcmp(ext, ".json") && f) {
			cr_assert_lt(n, sizeof names / sizeof *names);
			cr_assert_lt(stem, sizeof names[0]);
			snprintf(names[n++], sizeof names[0], "%.*s", (int)stem, e->d_name);
		}
	}
	closedir(d);
	/* readdir order is arbitrary; sort so failures read the same everywhere */
	qsort(names, n, sizeof names[0], by_name);
	for (size_t i = 0; i < n; i++)
		run_fixture(dir, names[i], fn);
	return n;
}

/* ------------------------------------------------------------------------ */
/* Fixture directories                                                      */
/* ------------------------------------------------------------------------ */

/* The action's record text (rg_cr_action_text) is JSON that says exactly what
 * the normaliser understood: same findings, fields and bytes (NUL included). */
static void check_text_round_trip(const char *name, const rg_cr_action *a)
{
	rg_buf b;
	rg_buf_init(&b, SIZE_MAX);
	cr_assert_eq(rg_cr_action_text(a, &b), RG_OK);
	rg_err err;
	rg_err_clear(&err);
	rg_json *t = rg_json_parse(b.data, b.len, &err);
	cr_assert_not_null(t, "ok/%s: record text is not JSON (%s): %s", name, err.msg, b.data);
	const rg_json *fs = rg_json_get(t, "findings");
	cr_expect_eq(rg_json_size(fs), a->n, "ok/%s: record text has %zu findings", name,
		     rg_json_size(fs));
	for (size_t i = 0; i < a->n && i < rg_json_size(fs); i++) {
		const rg_finding *f = &a->findings[i];
		const rg_json *o = rg_json_at(fs, i);
		const rg_json *d = rg_json_get(o, "description"), *x = rg_json_get(o, "suggested_fix");
		const rg_json *ty = rg_json_get(o, "issue_type");
		cr_expect_eq(rg_json_int_val(rg_json_get(o, "line_number")), f->line, "ok/%s", name);
		cr_expect_eq(rg_json_int_val(rg_json_get(o, "end_line")), f->line_end, "ok/%s", name);
		cr_expect(f->type < 0 ? rg_json_is_null(ty)
				      : !strcmp(rg_json_str_val(ty), rg_issue_type_name(f->type)),
			  "ok/%s: findings[%zu].issue_type", name, i);
		cr_expect(rg_json_str_len(d) == f->description_len &&
				  !memcmp(rg_json_str_val(d), f->description, f->description_len),
			  "ok/%s: findings[%zu].description differs in the record text", name, i);
		cr_expect(rg_json_str_len(x) == f->fix_len &&
				  !memcmp(rg_json_str_val(x), f->fix, f->fix_len),
			  "ok/%s: findings[%zu].suggested_fix differs in the record text", name, i);
	}
	cr_expect_str_eq(rg_json_str_val(rg_json_get(t, "review_summary")), a->summary ? a->summary : "");
	rg_json_free(t);
	rg_buf_free(&b);
}

static void check_ok(const char *name, const rg_json *action, const rg_json *ex)
{
	static const char *const keys[] = { "findings", "first_line", "first_type", "warnings_contain",
					    "first_line_end", "warnings", "summary", NULL };
	expect_known_keys(name, ex, keys);
	const rg_json *want_n = rg_json_get(ex, "findings");
	const rg_json *want_line = rg_json_get(ex, "first_line");
	const rg_json *want_type = rg_json_get(ex, "first_type");
	const rg_json *want_warn = rg_json_get(ex, "warnings_contain");
	cr_expect(rg_json_is_int(want_n) && want_line && want_type && rg_json_is_arr(want_warn),
		  "ok/%s.expect needs findings, first_line, first_type, warnings_contain", name);
	if (!rg_json_is_int(want_n) || !want_line || !want_type || !rg_json_is_arr(want_warn))
		return;
	/* every case pins its repairs: the substrings expected, or an exact count */
	cr_expect(rg_json_size(want_warn) > 0 || rg_json_get(ex, "warnings"),
		  "ok/%s.expect: give warnings_contain entries or an exact \"warnings\" count", name);

	rg_cr_action a;
	rg_warnings w;
	rg_err err;
	int rc = normalise(action, &a, &w, &err);
	cr_expect_eq(rc, RG_OK, "ok/%s: refused: %s %s (%s): %s", name, rg_code_name(rc), err.field,
		     err.kind, err.msg);
	if (rc)
		return;

	char wt[RG_MAX_WARNINGS * (RG_WARNING_BYTES + 4)];
	warnings_text(&w, wt, sizeof wt);
	cr_expect_eq((long long)a.n, rg_json_int_val(want_n), "ok/%s: %zu findings, want %lld", name,
		     a.n, rg_json_int_val(want_n));
	cr_expect_not_null(a.findings, "ok/%s: findings must be allocated even when empty", name);
	if (a.n == 0) {
		cr_expect(rg_json_is_null(want_line) && rg_json_is_null(want_type),
			  "ok/%s: no findings, so first_line and first_type must be null", name);
	} else {
		const rg_finding *f = &a.findings[0];
		cr_expect(rg_json_is_int(want_line) && f->line == rg_json_int_val(want_line),
			  "ok/%s: first line %d, want %lld%s", name, f->line, rg_json_int_val(want_line),
			  rg_json_is_int(want_line) ? "" : " (first_line must be an integer)");
		const rg_json *want_end = rg_json_get(ex, "first_line_end");
		if (want_end)
			cr_expect_eq(f->line_end, rg_json_int_val(want_end),
				     "ok/%s: first line_end %d, want %lld", name, f->line_end,
				     rg_json_int_val(want_end));
		else
			cr_expect_eq(f->line_end, f->line, "ok/%s: unexpected span %d-%d", name, f->line,
				     f->line_end);
		const char *got_type = f->type < 0 ? "null"
						   : rg_issue_type_name((enum rg_issue_type)f->type);
		const char *exp_type = rg_json_is_null(want_type) ? "null" : rg_json_str_val(want_type);
		cr_expect(exp_type && !strcmp(got_type, exp_type), "ok/%s: first type %s, want %s", name,
			  got_type, exp_type ? exp_type : "(not a string)");
		for (size_t i = 0; i < a.n; i++) {
			cr_expect_not_null(a.findings[i].description, "ok/%s: findings[%zu]", name, i);
			cr_expect_not_null(a.findings[i].fix, "ok/%s: findings[%zu]", name, i);
			cr_expect_geq(a.findings[i].line, 1, "ok/%s: findings[%zu]", name, i);
		}
	}
	for (size_t i = 0; i < rg_json_size(want_warn); i++) {
		const char *needle = rg_json_str_val(rg_json_at(want_warn, i));
		cr_expect(needle && warned(&w, needle), "ok/%s: no warning contains \"%s\"; got %s", name,
			  needle ? needle : "(not a string)", wt);
	}
	const rg_json *want_count = rg_json_get(ex, "warnings");
	if (want_count)
		cr_expect_eq((long long)w.n, rg_json_int_val(want_count),
			     "ok/%s: %zu warnings, want %lld: %s", name, w.n, rg_json_int_val(want_count),
			     wt);
	const rg_json *want_sum = rg_json_get(ex, "summary");
	if (want_sum)
		cr_expect(a.summary && !strcmp(a.summary, rg_json_str_val(want_sum)),
			  "ok/%s: summary \"%s\", want \"%s\"", name, a.summary ? a.summary : "(null)",
			  rg_json_str_val(want_sum));
	check_text_round_trip(name, &a);
	rg_cr_action_release(&a);
	cr_expect_null(a.findings, "release must reset the action");
}

static void check_bad(const char *name, const rg_json *action, const rg_json *ex)
{
	static const char *const keys[] = { "code", "field", "kind", "msg_contains", NULL };
	expect_known_keys(name, ex, keys);
	const char *code = rg_json_str_val(rg_json_get(ex, "code"));
	const char *field = rg_json_str_val(rg_json_get(ex, "field"));
	const char *kind = rg_json_str_val(rg_json_get(ex, "kind"));
	const char *msg = rg_json_str_val(rg_json_get(ex, "msg_contains"));
	cr_expect(code && field && kind && msg,
		  "bad/%s.expect needs code, field, kind and msg_contains (strings)", name);
	if (!code || !field || !kind || !msg)
		return;

	rg_cr_action a;
	rg_warnings w;
	rg_err err;
	int rc = normalise(action, &a, &w, &err);
	cr_expect_neq(rc, RG_OK, "bad/%s: accepted (%zu findings)", name, a.n);
	if (rc == RG_OK) {
		rg_cr_action_release(&a);
		return;
	}
	cr_expect_eq(rc, err.code, "bad/%s: returned %s but err says %s", name, rg_code_name(rc),
		     rg_code_name(err.code));
	cr_expect_str_eq(rg_code_name(rc), code, "bad/%s: code %s, want %s (%s)", name,
			 rg_code_name(rc), code, err.msg);
	cr_expect_str_eq(err.field, field, "bad/%s: field \"%s\", want \"%s\" (%s)", name, err.field,
			 field, err.msg);
	cr_expect_str_eq(err.kind, kind, "bad/%s: kind \"%s\", want \"%s\" (%s)", name, err.kind, kind,
			 err.msg);
	cr_expect(strstr(err.msg, msg), "bad/%s: message \"%s\" lacks \"%s\"", name, err.msg, msg);
	cr_expect(!strchr(err.msg, '\n'), "bad/%s: message has a newline", name);
	/* "On error nothing needs releasing": the action is left empty. */
	cr_expect(a.findings == NULL && a.owned == NULL && a.n == 0,
		  "bad/%s: the action must be empty after an error", name);
}

Test(action_fixtures, ok_directory)
{
	size_t n = each_fixture(FIXTURES "/ok", check_ok);
	/* guards against an empty or moved directory passing vacuously */
	cr_assert_geq(n, 60, "only %zu ok fixtures found", n);
}

Test(action_fixtures, bad_directory)
{
	size_t n = each_fixture(FIXTURES "/bad", check_bad);
	cr_assert_geq(n, 40, "only %zu bad fixtures found", n);
}

/* ------------------------------------------------------------------------ */
/* rg_parse_line_text                                                       */
/* ------------------------------------------------------------------------ */

Test(line_text, accepts_line_references)
{
	static const struct { const char *s; int first, last; } cases[] = {
		{ "12", 12, 12 },           { " 12 ", 12, 12 },         { "L12", 12, 12 },
		{ "l12", 12, 12 },          { "line 12", 12, 12 },      { "Line 12", 12, 12 },
		{ "LINE: 12", 12, 12 },     { "line.12", 12, 12 },      { "ln 7", 7, 7 },
		{ "#7", 7, 7 },             { "12-14", 12, 14 },        { "12 - 14", 12, 14 },
		{ "12:14", 12, 14 },        { "12..14", 12, 14 },       { "12 to 14", 12, 14 },
		{ "12\xe2\x80\x93" "14", 12, 14 }, { "L3:L5", 3, 5 },   { "L12-L14", 12, 14 },
		{ "lines 12-14", 12, 14 },  { "lines 3 to 5", 3, 5 },   { "7-7", 7, 7 },
		{ "1", 1, 1 },              { "1000000", 1000000, 1000000 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int a = -7, b = -7;
		int rc = rg_parse_line_text(cases[i].s, &a, &b);
		cr_expect_eq(rc, 0, "\"%s\" refused", cases[i].s);
		cr_expect(a == cases[i].first && b == cases[i].last, "\"%s\" -> %d..%d, want %d..%d",
			  cases[i].s, a, b, cases[i].first, cases[i].last);
	}
}

Test(line_text, refuses_non_references)
{
	static const char *const cases[] = {
		"", "   ", "abc", "line", "L", "-3", "+3", "12x", "L12x", "12-", "-12", "14-12",
		"12, 14", "12 14", "12to14", "12-14-16", "liner 12", "twelve", "1000001",
		"99999999999999999999", "12.5", "1e3", "0x10",
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int a = 0, b = 0;
		cr_expect_eq(rg_parse_line_text(cases[i], &a, &b), -1, "\"%s\" accepted as %d..%d",
			     cases[i], a, b);
	}
}

/* ------------------------------------------------------------------------ */
/* rg_issue_type_from_alias                                                 */
/* ------------------------------------------------------------------------ */

Test(type_alias, maps_aliases_to_canonical_types)
{
	static const struct { const char *s; int type; } cases[] = {
		{ "bug", RG_ISSUE_BUG },
		{ "BUG", RG_ISSUE_BUG },
		{ "error", RG_ISSUE_BUG },
		{ "Runtime Error", RG_ISSUE_BUG },
		{ "runtime-error", RG_ISSUE_BUG },
		{ "crash", RG_ISSUE_BUG },
		{ "logic_error", RG_ISSUE_LOGIC },
		{ "logic", RG_ISSUE_LOGIC },
		{ "Logic Error", RG_ISSUE_LOGIC },
		{ "logical", RG_ISSUE_LOGIC },
		{ "logic-error", RG_ISSUE_LOGIC },
		{ "security_vulnerability", RG_ISSUE_SECURITY },
		{ "SECURITY VULNERABILITY", RG_ISSUE_SECURITY },
		{ "security", RG_ISSUE_SECURITY },
		{ "vulnerability", RG_ISSUE_SECURITY },
		{ "vuln", RG_ISSUE_SECURITY },
		{ "injection", RG_ISSUE_SECURITY },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		cr_expect_eq(rg_issue_type_from_alias(cases[i].s), cases[i].type, "\"%s\" -> %d, want %d",
			     cases[i].s, rg_issue_type_from_alias(cases[i].s), cases[i].type);
}

Test(type_alias, canonical_names_round_trip)
{
	for (int t = 0; t < RG_ISSUE__COUNT; t++)
		cr_expect_eq(rg_issue_type_from_alias(rg_issue_type_name((enum rg_issue_type)t)), t);
}

Test(type_alias, refuses_unknown_types)
{
	char longer[200];
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	memcpy(longer, "bug", 3);
	const char *const cases[] = { "", "style", "bugs", "logic error ", " bug", "security!",
				      "performance", "security_vulnerabilityx", longer };
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		cr_expect_eq(rg_issue_type_from_alias(cases[i]), -1, "\"%.30s\" accepted", cases[i]);
}

/* ------------------------------------------------------------------------ */
/* Raw text detection and ownership                                         */
/* ------------------------------------------------------------------------ */

Test(raw_text, detects_text_actions)
{
	static const struct { const char *json; bool raw; } cases[] = {
		{ "\"{}\"", true },
		{ "{\"text\":\"x\"}", true },
		{ "{\"content\":\"x\",\"metadata\":{}}", true },
		{ "{\"metadata\":{},\"response\":\"x\"}", true },
		{ "{\"text\":5}", false },
		{ "{\"text\":\"a\",\"content\":\"b\"}", false },
		{ "{\"text\":\"a\",\"findings\":[]}", false },
		{ "{\"findings\":[]}", false },
		{ "{}", false },
		{ "{\"metadata\":{}}", false },
		{ "[]", false },
		{ "3", false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		rg_json *v = parse(cases[i].json);
		const rg_json *raw = rg_action_raw_text(v);
		cr_expect_eq(raw != NULL, cases[i].raw, "%s", cases[i].json);
		if (raw)
			cr_expect(rg_json_is_str(raw), "%s", cases[i].json);
		rg_json_free(v);
	}
}

Test(raw_text, parsed_strings_outlive_the_input)
{
	rg_json *v = parse("{\"text\":\"```json\\n{'findings':[{'line':3,'description':'off by one'}]}\\n```\"}");
	rg_cr_action a;
	rg_warnings w;
	rg_err err;
	cr_assert_eq(normalise(v, &a, &w, &err), RG_OK, "%s", err.msg);
	rg_json_free(v); /* the action owns the tree it parsed from the text */
	cr_assert_not_null(a.owned);
	cr_assert_eq(a.n, 1);
	cr_expect_str_eq(a.findings[0].description, "off by one");
	cr_expect_eq(a.findings[0].description_len, strlen("off by one"));
	cr_expect_str_eq(a.findings[0].fix, "");
	rg_cr_action_release(&a);
}

Test(raw_text, structured_action_borrows_from_the_input)
{
	rg_json *v = parse("{\"findings\":[{\"line_number\":3,\"issue_type\":\"bug\",\"description\":\"d\",\"suggested_fix\":\"f\"}]}");
	rg_cr_action a;
	rg_warnings w;
	rg_err err;
	cr_assert_eq(normalise(v, &a, &w, &err), RG_OK, "%s", err.msg);
	cr_expect_null(a.owned);
	const rg_json *d = rg_json_get(rg_json_at(rg_json_get(v, "findings"), 0), "description");
	cr_expect_eq(a.findings[0].description, rg_json_str_val(d), "strings are borrowed, not copied");
	cr_expect_eq(w.n, 0);
	rg_cr_action_release(&a);
	rg_json_free(v);
}

/* ------------------------------------------------------------------------ */
/* Limits and warnings                                                      */
/* ------------------------------------------------------------------------ */

static int parse_text_of_size(size_t size, rg_err *err)
{
	static const char body[] = "{\"findings\": []}";
	char *s = malloc(size);
	cr_assert_not_null(s);
	memset(s, ' ', size);
	memcpy(s, body, sizeof body - 1);
	rg_json *v = rg_json_strn(s, size);
	free(s);
	cr_assert_not_null(v);
	int rc = try_normalise(v, NULL, err);
	rg_json_free(v);
	return rc;
}

Test(limits, raw_text_at_and_past_the_limit)
{
	rg_err err;
	rg_err_clear(&err);
	cr_expect_eq(parse_text_of_size(RG_MAX_RAW_ACTION_BYTES - 1, &err), RG_OK, "%s", err.msg);
	rg_err_clear(&err);
	cr_expect_eq(parse_text_of_size(RG_MAX_RAW_ACTION_BYTES, &err), RG_OK, "%s", err.msg);
	rg_err_clear(&err);
	cr_expect_eq(parse_text_of_size(RG_MAX_RAW_ACTION_BYTES + 1, &err), RG_ETOOBIG);
	cr_expect_str_eq(err.field, "action");
	cr_expect_str_eq(err.kind, "string_too_long");
}

Test(limits, description_and_summary_at_and_past_the_limit)
{
	static const struct { const char *key; size_t max; bool in_finding; } cases[] = {
		{ "description", RG_MAX_FINDING_TEXT_CHARS, true },
		{ "suggested_fix", RG_MAX_FINDING_TEXT_CHARS, true },
		{ "review_summary", RG_MAX_SUMMARY_CHARS, false },
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		for (size_t len = cases[c].max - 1; len <= cases[c].max + 1; len++) {
			char *s = malloc(len + 1);
			cr_assert_not_null(s);
			memset(s, 'a', len);
			s[len] = '\0';
			rg_json *f = rg_json_obj();
			rg_json *arr = rg_json_arr();
			rg_json *act = rg_json_obj();
			cr_assert(f && arr && act);
			cr_assert_eq(rg_json_set_int(f, "line_number", 1), 0);
			if (strcmp(cases[c].key, "description"))
				cr_assert_eq(rg_json_set_str(f, "description", "d"), 0);
			cr_assert_eq(rg_json_set_str(cases[c].in_finding ? f : act, cases[c].key, s), 0);
			cr_assert_eq(rg_json_push(arr, f), 0);
			cr_assert_eq(rg_json_set(act, "findings", arr), 0);
			free(s);
			rg_err err;
			int rc = try_normalise(act, NULL, &err);
			if (len <= cases[c].max) {
				cr_expect_eq(rc, RG_OK, "%s of %zu bytes refused: %s", cases[c].key, len,
					     err.msg);
			} else {
				cr_expect_eq(rc, RG_ETOOBIG, "%s of %zu bytes accepted", cases[c].key, len);
				cr_expect(has_suffix(err.field, cases[c].key), "field \"%s\"", err.field);
			}
			rg_json_free(act);
		}
	}
}

Test(limits, findings_and_line_numbers_at_and_past_the_limit)
{
	for (size_t n = RG_MAX_FINDINGS - 1; n <= RG_MAX_FINDINGS + 1; n++) {
		rg_json *arr = rg_json_arr();
		cr_assert_not_null(arr);
		for (size_t i = 0; i < n; i++) {
			rg_json *f = rg_json_obj();
			cr_assert_not_null(f);
			long long line = i == 0 ? RG_MAX_LINE_NUMBER : (long long)i;
			cr_assert_eq(rg_json_set_int(f, "line_number", line), 0);
			cr_assert_eq(rg_json_set_str(f, "description", "d"), 0);
			cr_assert_eq(rg_json_push(arr, f), 0);
		}
		rg_cr_action a;
		rg_warnings w;
		rg_err err;
		int rc = normalise(arr, &a, &w, &err);
		if (n <= RG_MAX_FINDINGS) {
			cr_expect_eq(rc, RG_OK, "%zu findings refused: %s", n, err.msg);
			cr_expect_eq(a.n, n);
			cr_expect_eq(a.findings[0].line, RG_MAX_LINE_NUMBER);
			rg_cr_action_release(&a);
		} else {
			cr_expect_eq(rc, RG_ETOOBIG);
			cr_expect_str_eq(err.field, "findings");
		}
		rg_json_free(arr);
	}
	rg_json *v = parse("{\"findings\":[{\"line_number\":1000001,\"description\":\"d\"}]}");
	rg_err err;
	cr_expect_eq(try_normalise(v, NULL, &err), RG_EINVAL);
	cr_expect_str_eq(err.field, "findings[0].line_number");
	rg_json_free(v);
}

Test(warnings, repeated_repairs_are_reported_once)
{
	rg_json *v = parse("{\"issues\":[{\"line\":1,\"description\":\"a\"},{\"line\":2,\"description\":\"b\"},"
			   "{\"line\":3,\"description\":\"c\"}]}");
	rg_cr_action a;
	rg_warnings w;
	rg_err err;
	cr_assert_eq(normalise(v, &a, &w, &err), RG_OK, "%s", err.msg);
	size_t line_alias = 0;
	for (size_t i = 0; i < w.n; i++)
		line_alias += strstr(w.msg[i], "\"line\" as \"line_number\"") != NULL;
	cr_expect_eq(line_alias, 1, "the alias warning must appear once, not per finding");
	rg_cr_action_release(&a);
	rg_json_free(v);
}

Test(warnings, overflow_is_counted_not_lost)
{
	/* 20 findings with 20 different unknown types: 20 distinct warnings */
	rg_json *arr = rg_json_arr();
	cr_assert_not_null(arr);
	for (int i = 0; i < 20; i++) {
		char t[16];
		snprintf(t, sizeof t, "kind%d", i);
		rg_json *f = rg_json_obj();
		cr_assert_not_null(f);
		cr_assert_eq(rg_json_set_int(f, "line_number", i + 1), 0);
		cr_assert_eq(rg_json_set_str(f, "description", "d"), 0);
		cr_assert_eq(rg_json_set_str(f, "issue_type", t), 0);
		cr_assert_eq(rg_json_push(arr, f), 0);
	}
	rg_json *act = rg_json_obj();
	cr_assert_not_null(act);
	cr_assert_eq(rg_json_set(act, "findings", arr), 0);
	rg_cr_action a;
	rg_warnings w;
	rg_err err;
	cr_assert_eq(normalise(act, &a, &w, &err), RG_OK, "%s", err.msg);
	cr_expect_eq(w.n, RG_MAX_WARNINGS);
	cr_expect_eq(w.dropped, 20 - RG_MAX_WARNINGS);
	rg_json *wj = rg_warn_to_json(&w);
	cr_assert_not_null(wj);
	cr_expect_eq(rg_json_size(wj), RG_MAX_WARNINGS + 1);
	const char *last = rg_json_str_val(rg_json_at(wj, RG_MAX_WARNINGS));
	cr_assert_not_null(last);
	cr_expect(strstr(last, "4 more warnings not shown"), "%s", last);
	rg_json_free(wj);
	rg_cr_action_release(&a);
	rg_json_free(act);
}

Test(repair, failed_repair_names_the_position)
{
	static const char text[] = "{\"findings\": [1 2]}";
	rg_warnings w;
	rg_err err;
	rg_warn_clear(&w);
	rg_err_clear(&err);
	rg_json *v = rg_repair_parse(text, sizeof text - 1, "{\"findings\": [...]}", &w, &err);
	cr_assert_null(v);
	cr_expect_eq(err.code, RG_EINVAL);
	cr_expect_str_eq(err.field, "action");
	cr_expect(strstr(err.msg, "column") || strstr(err.msg, "line"), "no position in \"%s\"", err.msg);
}

Test(repair, strings_keep_their_content)
{
	/* repairs must not touch the insides of strings: True, commas before ],
	 * apostrophes and braces inside quoted text stay as they are */
	static const char text[] =
		"Here: {'findings': [{'line_number': 1, 'description': \"it's True, ] and }\", "
		"'suggested_fix': 'say \\'None\\', ]'},]}";
	rg_warnings w;
	rg_err err;
	rg_warn_clear(&w);
	rg_err_clear(&err);
	rg_json *v = rg_repair_parse(text, sizeof text - 1, "{\"findings\": [...]}", &w, &err);
	cr_assert_not_null(v, "%s", err.msg);
	const rg_json *f = rg_json_at(rg_json_get(v, "findings"), 0);
	cr_expect_str_eq(rg_json_str_val(rg_json_get(f, "description")), "it's True, ] and }");
	cr_expect_str_eq(rg_json_str_val(rg_json_get(f, "suggested_fix")), "say 'None', ]");
	rg_json_free(v);
}

/* ------------------------------------------------------------------------ */
/* Known bugs (disabled until fixed; enable each with its fix)              */
/* ------------------------------------------------------------------------ */

/* Parse text that must be accepted; returns the number of findings or -1. */
static long parse_text_action(const char *text, rg_err *err)
{
	rg_json *v = rg_json_str(text);
	cr_assert_not_null(v);
	size_t n;
	int rc = try_normalise(v, &n, err);
	rg_json_free(v);
	return rc ? -1 : (long)n;
}

/* Regression tests: bugs this suite found, now fixed. Each comment describes
 * the bug as it was. */

/* repair.c find_fence takes the first ``` fence whatever its language; a model
 * that quotes the code in ```python before answering in ```json is refused. */
Test(regressions, json_fence_after_a_code_fence)
{
	rg_err err;
	cr_expect_eq(parse_text_action("The bug is here:\n```python\nx = total / n\n```\n\n"
				       "```json\n{\"findings\": [{\"line_number\": 1, "
				       "\"description\": \"n may be zero\"}]}\n```",
				       &err),
		     1, "%s", err.msg);
}

/* repair.c find_fence ends the fence at the first ``` even inside a JSON
 * string, so a suggested_fix holding a code block breaks the action. */
Test(regressions, fence_inside_a_string_of_a_fenced_action)
{
	rg_err err;
	cr_expect_eq(parse_text_action("```json\n{\"findings\": [{\"line_number\": 1, \"description\": "
				       "\"n may be zero\", \"suggested_fix\": \"```python\\nif n:\\n```\"}]}\n```",
				       &err),
		     1, "%s", err.msg);
}

/* repair.c rg_repair_parse / find_balanced use the first bracketed span of the
 * text and never try the next, so brackets in the prose before the object
 * break "prose around one JSON object" (SPEC.md §3). */
Test(regressions, brackets_in_prose_before_the_object)
{
	rg_err err;
	cr_expect_eq(parse_text_action("Findings [draft 2]:\n{\"findings\": []}", &err), 0, "%s",
		     err.msg);
	cr_expect_eq(parse_text_action("As noted in [1], see below.\n{\"findings\": [{\"line_number\": 4, "
				       "\"description\": \"off by one\"}]}",
				       &err),
		     1, "%s (%s)", err.msg, err.field);
}

/* action.c names finding paths "findings[i]" whatever key the list came under,
 * although action.h promises "the JSON path as sent". */
Test(regressions, error_path_uses_the_alias_as_sent)
{
	rg_json *v = parse("{\"issues\":[{\"line_number\":1,\"description\":\"x\",\"colour\":1}]}");
	rg_err err;
	cr_expect_eq(try_normalise(v, NULL, &err), RG_EINVAL);
	cr_expect_str_eq(err.field, "issues[0].colour");
	rg_json_free(v);
}

/* action.c text_field counts bytes against RG_MAX_FINDING_TEXT_BYTES and says
 * "characters"; the published schema says maxLength 4000 (characters), so
 * 2001 two-byte characters are refused with "got 4002". */
Test(regressions, description_limit_counts_characters)
{
	char desc[2001 * 2 + 1];
	for (size_t i = 0; i < 2001; i++)
		memcpy(desc + 2 * i, "\xc3\xa9", 2);
	desc[sizeof desc - 1] = '\0';
	rg_json *f = rg_json_obj();
	cr_assert_not_null(f);
	cr_assert_eq(rg_json_set_int(f, "line_number", 1), 0);
	cr_assert_eq(rg_json_set_str(f, "description", desc), 0);
	rg_json *arr = rg_json_arr();
	cr_assert_not_null(arr);
	cr_assert_eq(rg_json_push(arr, f), 0);
	rg_err err;
	cr_expect_eq(try_normalise(arr, NULL, &err), RG_OK, "%s", err.msg);
	rg_json_free(arr);
}

/* action.c parse_line / rg_issue_type_from_alias read C strings, so text after
 * an embedded NUL (JSON "\u0000", which core/json accepts) is silently ignored:
 * "12\u0000abc" is read as line 12. */
Test(regressions, embedded_nul_is_not_ignored)
{
	rg_json *v = parse("{\"findings\":[{\"line_number\":\"12\\u0000abc\",\"description\":\"x\"}]}");
	rg_err err;
	cr_expect_eq(try_normalise(v, NULL, &err), RG_EINVAL);
	rg_json_free(v);
}
