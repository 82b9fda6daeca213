/*
 * test_custom.c - the custom review task store (bank/custom.h): a user's own code
 * or diff, registered at run time (POST /config/custom) and reviewed as a
 * one-turn pr_review episode.
 *
 * What a user notices: a registration gives back an id of the form
 * custom-<16 hex>, the same body always gives the same id without using a new
 * slot, the task reads like a bank scenario (kind custom-review, one version with
 * its diff, the verdict from the expected issues); exactly one of code or diff is
 * required, language and title are checked, unknown fields are extra_forbidden,
 * and expected issues are validated with the bank's issue rules, errors naming the
 * request path ("expected_issues[0].lines", "expected_issues[0].class"). The store
 * is bounded: a registration past the limit evicts the oldest task no episode
 * holds, and fails with RG_ECAPACITY when every task is held. The lexicon is the
 * real bank's; request bodies are built with rg_json_parse as the server does.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank/custom.h"
#include "core/limits.h"
#include "unit/support.h"

static rg_bank *bank;

static void setup(void)
{
	bank = rg_test_load_bank();
	cr_assert_geq(rg_lexicon_find(rg_bank_lexicon(bank), "division_by_zero"), 0,
		      "the tests below use the division_by_zero class");
}

static void teardown(void)
{
	rg_bank_destroy(bank);
}

TestSuite(custom, .init = setup, .fini = teardown);

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

#define CODE "def average(items):\\n    return sum(items) / len(items)\\n"
/* A valid expected issue on line 2 of CODE; LINES and SEVERITY vary. */
#define ISSUE(LINES, SEVERITY)                                                              \
	"{\"id\":\"div-zero\",\"lines\":" LINES ",\"type\":\"bug\",\"severity\":\"" SEVERITY \
	"\",\"class\":\"division_by_zero\",\"concepts\":[[\"division by zero\","            \
	"\"zerodivisionerror\"],[\"empty\"]],\"fix_concepts\":[[\"guard*\"]],"              \
	"\"explanation\":\"An empty list divides by zero.\",\"fix\":\"Return 0.0 when empty.\"}"

static rg_json *body(const char *text)
{
	rg_err err;
	rg_err_clear(&err);
	rg_json *v = rg_json_parse(text, strlen(text), &err);
	cr_assert_not_null(v, "test JSON does not parse: %.200s (%s)", text, err.msg);
	return v;
}

static rg_custom_store *store(size_t max)
{
	rg_custom_store *cs = rg_custom_create(bank, max);
	cr_assert_not_null(cs);
	return cs;
}

/* Register text; returns the code, id and err filled. */
static int try_add(rg_custom_store *cs, const char *text, char *id, rg_err *err)
{
	rg_json *b = body(text);
	rg_err_clear(err);
	id[0] = '\0';
	int rc = rg_custom_add(cs, b, id, err);
	rg_json_free(b);
	return rc;
}

/* Register text, which must succeed; the id goes to id. */
static void add(rg_custom_store *cs, const char *text, char *id)
{
	rg_err err;
	int rc = try_add(cs, text, id, &err);
	cr_assert_eq(rc, RG_OK, "%.200s refused: %s %s: %s", text, rg_code_name(rc), err.field,
		     err.msg);
	cr_assert(rg_custom_is_id(id), "\"%s\" is not a custom id", id);
}

/* text must be refused with code, field, kind and msg_part, using no slot. */
static void refused(const char *text, int code, const char *field, const char *kind,
		    const char *msg_part)
{
	rg_custom_store *cs = store(4);
	char id[RG_MAX_ID_LEN + 1];
	rg_err err;
	int rc = try_add(cs, text, id, &err);
	cr_expect_eq(rc, code, "%.120s: %s, want %s (%s)", text, rg_code_name(rc), rg_code_name(code),
		     err.msg);
	cr_expect_str_eq(err.field, field, "%.120s", text);
	cr_expect_str_eq(err.kind, kind, "%.120s", text);
	cr_expect(strstr(err.msg, msg_part), "%.120s: \"%s\" lacks \"%s\"", text, err.msg, msg_part);
	cr_expect_eq(rg_custom_count(cs), 0, "a refused registration uses no slot");
	rg_custom_destroy(cs);
}

/* {"code": "<n lines>"} as text (caller frees). */
static char *code_of_lines(size_t n)
{
	size_t cap = n * 8 + 32;
	char *s = malloc(cap);
	cr_assert_not_null(s);
	size_t len = (size_t)snprintf(s, cap, "{\"code\":\"");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "x=%zu\\n", i % 100);
	snprintf(s + len, cap - len, "\"}");
	return s;
}

/* ------------------------------------------------------------------------ */
/* Registration                                                             */
/* ------------------------------------------------------------------------ */

Test(custom, code_becomes_a_one_turn_scenario)
{
	rg_custom_store *cs = store(4);
	char id[RG_MAX_ID_LEN + 1];
	add(cs, "{\"code\":\"" CODE "\"}", id);
	cr_expect_eq(rg_custom_count(cs), 1);
	const rg_task *t = rg_custom_at(cs, 0);
	cr_assert_not_null(t);
	cr_expect_null(rg_custom_at(cs, 1));
	cr_expect_str_eq(t->id, id);
	cr_expect_str_eq(t->family, "pr_review");
	cr_expect_str_eq(t->title, "Custom review", "the default title");
	cr_expect_str_eq(t->language, "python", "the default language");
	cr_expect_str_eq(t->code, "def average(items):\n    return sum(items) / len(items)\n");
	cr_expect_eq(t->n_lines, 2);
	cr_expect_eq(t->n_issues, 0);
	cr_assert_not_null(t->pr);
	const rg_pr_scenario *s = t->pr;
	cr_expect_eq(s->kind, RG_PR_CUSTOM);
	cr_expect_eq(s->max_turns, 1);
	cr_expect_str_eq(s->file, "snippet.py");
	cr_assert_eq(s->n_versions, 1);
	cr_assert_eq(s->n_states, 1);
	cr_expect_eq(s->states[0].version, 0);
	cr_expect_null(s->states[0].end, "the start state is not an end state");
	cr_expect_eq(s->versions[0].verdict, RG_VERDICT_CORRECT, "no expected issues");
	cr_expect_str_eq(s->versions[0].review.code, t->code);
	const char *d = s->versions[0].diff;
	cr_expect(!strncmp(d, "diff --git a/snippet.py b/snippet.py\n", 37), "%s", d);
	cr_expect_not_null(strstr(d, "--- /dev/null\n+++ b/snippet.py\n@@ -0,0 +1,2 @@\n"), "%s", d);
	rg_custom_destroy(cs);
	assert_no_leaks();
}

Test(custom, language_and_title_are_kept)
{
	rg_custom_store *cs = store(4);
	char id[RG_MAX_ID_LEN + 1];
	add(cs, "{\"code\":\"let x = 1;\",\"language\":\"javascript\",\"title\":\"Counter\"}", id);
	const rg_task *t = rg_custom_acquire(cs, id);
	cr_assert_not_null(t);
	cr_expect_str_eq(t->language, "javascript");
	cr_expect_str_eq(t->title, "Counter");
	cr_expect_str_eq(t->pr->pr_title, "Counter");
	cr_expect_str_eq(t->pr->file, "snippet", "only python snippets are named .py");
	cr_expect_eq(t->n_lines, 1, "a last line without a newline still counts");
	rg_custom_release(cs, t);
	rg_custom_destroy(cs);
}

Test(custom, diff_gives_the_new_side_at_its_line_numbers)
{
	rg_custom_store *cs = store(4);
	char id[RG_MAX_ID_LEN + 1];
	add(cs, "{\"diff\":\"--- a/app/stats.py\\n+++ b/app/stats.py\\n@@ -3,2 +3,3 @@\\n"
		" def average(items):\\n+    # mean\\n     return sum(items) / len(items)\\n\","
		"\"expected_issues\":[" ISSUE("[5, 5]", "high") "]}",
	    id);
	const rg_task *t = rg_custom_at(cs, 0);
	cr_expect_str_eq(t->code, "\n\ndef average(items):\n    # mean\n    return sum(items) / len(items)\n",
			 "lines the diff does not show are blank");
	cr_expect_eq(t->n_lines, 5);
	cr_expect_str_eq(t->pr->file, "app/stats.py");
	cr_expect(!strncmp(t->pr->versions[0].diff, "--- a/app/stats.py", 18),
		  "the diff is kept as sent");
	cr_assert_eq(t->n_issues, 1);
	cr_expect_eq(t->issues[0].first_line, 5, "issue lines are new-side line numbers");
	cr_expect_eq(t->pr->versions[0].verdict, RG_VERDICT_FLAWED);
	cr_expect_eq(t->pr->versions[0].review.n_issues, 1);
	rg_custom_destroy(cs);
	assert_no_leaks();
}

Test(custom, verdict_follows_the_expected_issues)
{
	rg_custom_store *cs = store(4);
	char id[RG_MAX_ID_LEN + 1];
	add(cs, "{\"code\":\"" CODE "\",\"expected_issues\":[" ISSUE("[2, 2]", "medium") "]}", id);
	const rg_task *t = rg_custom_at(cs, 0);
	cr_expect_eq(t->pr->versions[0].verdict, RG_VERDICT_FLAWED);
	cr_expect_str_eq(t->issues[0].id, "div-zero");
	cr_expect_eq(t->issues[0].lex_class,
		     rg_lexicon_find(rg_bank_lexicon(bank), "division_by_zero"));
	add(cs, "{\"code\":\"" CODE "\",\"expected_issues\":[" ISSUE("[2, 2]", "critical") "]}", id);
	cr_expect_eq(rg_custom_at(cs, 1)->pr->versions[0].verdict, RG_VERDICT_CRITICAL,
		     "a critical issue makes the change critical");
	add(cs, "{\"code\":\"" CODE "\",\"expected_issues\":null}", id);
	cr_expect_eq(rg_custom_at(cs, 2)->n_issues, 0, "null means none");
	rg_custom_destroy(cs);
}

/* ------------------------------------------------------------------------ */
/* Content-addressed ids                                                    */
/* ------------------------------------------------------------------------ */

Test(custom, key_order_inside_expected_issues_does_not_change_the_id)
{
	rg_custom_store *cs = store(8);
	char a[RG_MAX_ID_LEN + 1], b[RG_MAX_ID_LEN + 1];
	add(cs, "{\"code\":\"" CODE "\",\"expected_issues\":[" ISSUE("[2, 2]", "high") "]}", a);
	/* the same issue with its keys in another order */
	add(cs, "{\"code\":\"" CODE "\",\"expected_issues\":[{\"severity\":\"high\","
		"\"lines\":[2, 2],\"id\":\"div-zero\",\"type\":\"bug\",\"fix\":\"Return 0.0 when empty.\","
		"\"explanation\":\"An empty list divides by zero.\",\"class\":\"division_by_zero\","
		"\"fix_concepts\":[[\"guard*\"]],\"concepts\":[[\"division by zero\","
		"\"zerodivisionerror\"],[\"empty\"]]}]}", b);
	cr_expect_str_eq(a, b);
	cr_expect_eq(rg_custom_count(cs), 1, "the same task takes one slot");
	rg_custom_destroy(cs);
}

Test(custom, same_body_same_id_and_no_new_slot)
{
	rg_custom_store *cs = store(8);
	char a[RG_MAX_ID_LEN + 1], b[RG_MAX_ID_LEN + 1];
	add(cs, "{\"code\":\"x = 1\\n\",\"title\":\"T\"}", a);
	const rg_task *first = rg_custom_at(cs, 0);
	add(cs, "{\"title\":\"T\",\"code\":\"x = 1\\n\"}", b);
	cr_expect_str_eq(a, b, "key order does not change the content");
	cr_expect_eq(rg_custom_count(cs), 1, "a repeat uses no new slot");
	cr_expect_eq(rg_custom_at(cs, 0), first, "the first registration is kept");
	add(cs, "{\"code\":\"x = 1\\n\",\"title\":\"T\",\"language\":\"python\"}", b);
	cr_expect_str_eq(a, b, "python is the default language");
	static const char *const different[] = {
		"{\"code\":\"x = 2\\n\",\"title\":\"T\"}",
		"{\"code\":\"x = 1\\n\",\"title\":\"U\"}",
		"{\"code\":\"x = 1\\n\",\"title\":\"T\",\"language\":\"ruby\"}",
		"{\"code\":\"x = 1\\n\",\"title\":\"T\",\"expected_issues\":[]}",
	};
	for (size_t i = 0; i < sizeof different / sizeof *different; i++) {
		add(cs, different[i], b);
		cr_expect_str_neq(a, b, "%s must get its own id", different[i]);
		cr_expect_eq(rg_custom_count(cs), i + 2);
	}
	rg_custom_destroy(cs);
}

Test(custom, id_shape)
{
	cr_expect(rg_custom_is_id("custom-0123456789abcdef"));
	static const char *const not_ids[] = {
		"custom-0123456789ABCDEF", "custom-0123456789abcde", "custom-0123456789abcdef0",
		"custom-", "custom-0123456789abcdeg", "Custom-0123456789abcdef",
		"pr-medium-sqli-negotiation", "",
	};
	for (size_t i = 0; i < sizeof not_ids / sizeof *not_ids; i++)
		cr_expect_not(rg_custom_is_id(not_ids[i]), "\"%s\"", not_ids[i]);
}

/* ------------------------------------------------------------------------ */
/* Capacity                                                                 */
/* ------------------------------------------------------------------------ */

Test(custom, full_store_evicts_the_oldest_unheld_task)
{
	rg_custom_store *cs = store(2);
	char a[RG_MAX_ID_LEN + 1], b[RG_MAX_ID_LEN + 1], c[RG_MAX_ID_LEN + 1], d[RG_MAX_ID_LEN + 1];
	add(cs, "{\"code\":\"a = 1\"}", a);
	add(cs, "{\"code\":\"b = 1\"}", b);
	const rg_task *ta = rg_custom_acquire(cs, a);
	cr_assert_not_null(ta);
	add(cs, "{\"code\":\"c = 1\"}", c); /* a is held: b, the oldest free one, goes */
	cr_expect_eq(rg_custom_count(cs), 2);
	cr_expect_str_eq(rg_custom_at(cs, 0)->id, a);
	cr_expect_str_eq(rg_custom_at(cs, 1)->id, c);
	cr_expect_null(rg_custom_acquire(cs, b), "b was evicted");
	cr_expect_str_eq(ta->code, "a = 1", "a held task stays valid");
	rg_custom_release(cs, ta);
	add(cs, "{\"code\":\"d = 1\"}", d); /* now a is the oldest free one */
	cr_expect_null(rg_custom_acquire(cs, a), "a was evicted once released");
	cr_expect_str_eq(rg_custom_at(cs, 0)->id, c);
	cr_expect_str_eq(rg_custom_at(cs, 1)->id, d);
	rg_custom_destroy(cs);
	assert_no_leaks();
}

Test(custom, every_task_held_is_a_capacity_error)
{
	rg_custom_store *cs = store(1);
	char a[RG_MAX_ID_LEN + 1], b[RG_MAX_ID_LEN + 1];
	add(cs, "{\"code\":\"a = 1\"}", a);
	const rg_task *ta = rg_custom_acquire(cs, a);
	const rg_task *again = rg_custom_acquire(cs, a);
	cr_assert(ta && ta == again);
	rg_err err;
	cr_expect_eq(try_add(cs, "{\"code\":\"b = 1\"}", b, &err), RG_ECAPACITY);
	cr_expect(strstr(err.msg, "in use"), "%s", err.msg);
	cr_expect_eq(rg_custom_count(cs), 1);
	char same[RG_MAX_ID_LEN + 1];
	add(cs, "{\"code\":\"a = 1\"}", same);
	cr_expect_str_eq(same, a, "re-registering a held task needs no room");
	rg_custom_release(cs, ta); /* one hold left */
	cr_expect_eq(try_add(cs, "{\"code\":\"b = 1\"}", b, &err), RG_ECAPACITY,
		     "acquired twice, released once: still held");
	rg_custom_release(cs, again);
	rg_custom_release(cs, again); /* an extra release must not go below zero */
	add(cs, "{\"code\":\"b = 1\"}", b);
	cr_expect_null(rg_custom_acquire(cs, a));
	const rg_task *tb = rg_custom_acquire(cs, b);
	cr_assert_not_null(tb);
	rg_custom_release(cs, tb);
	rg_custom_release(cs, NULL);
	cr_expect_null(rg_custom_acquire(cs, "custom-0000000000000000"));
	rg_custom_destroy(cs);
	assert_no_leaks();
}

/* ------------------------------------------------------------------------ */
/* Refusals                                                                 */
/* ------------------------------------------------------------------------ */

Test(custom, request_errors_name_the_field)
{
	static const struct { const char *json; int code; const char *field, *kind, *msg; } cases[] = {
		{ "{}", RG_EINVAL, "code", "value_error", "field required" },
		{ "{\"title\":\"T\"}", RG_EINVAL, "code", "value_error", "field required" },
		{ "{\"code\":\"x\",\"diff\":\"y\"}", RG_EINVAL, "diff", "value_error", "not both" },
		{ "{\"code\":\"\"}", RG_EINVAL, "code", "string_too_short", "at least 1" },
		{ "{\"code\":5}", RG_EINVAL, "code", "string_type", "got integer" },
		{ "{\"code\":\"a\\u0000b\"}", RG_EINVAL, "code", "value_error", "NUL" },
		{ "{\"code\":\"x\",\"colour\":\"red\"}", RG_EINVAL, "colour", "extra_forbidden", "unknown field" },
		{ "{\"code\":\"x\",\"language\":\"Python\"}", RG_EINVAL, "language", "value_error", "got \"Python\"" },
		{ "{\"code\":\"x\",\"language\":\"c plus\"}", RG_EINVAL, "language", "value_error", "lower-case" },
		{ "{\"code\":\"x\",\"language\":\"\"}", RG_EINVAL, "language", "string_too_short", "at least" },
		{ "{\"code\":\"x\",\"language\":\"abcdefghijabcdefghijabcdefghijabc\"}", RG_ETOOBIG, "language", "string_too_long", "at most 32" },
		{ "{\"code\":\"x\",\"title\":7}", RG_EINVAL, "title", "string_type", "got integer" },
		{ "{\"code\":\"x\",\"expected_issues\":{}}", RG_EINVAL, "expected_issues", "list_type", "at most 16" },
		{ "{\"diff\":\"not a diff at all\"}", RG_EINVAL, "diff", "value_error", "not a unified diff" },
		{ "[]", RG_EINVAL, "body", "model_type", "expected an object" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		refused(cases[i].json, cases[i].code, cases[i].field, cases[i].kind, cases[i].msg);
	/* a title one past RG_MAX_TITLE_LEN */
	char text[256];
	char title[RG_MAX_TITLE_LEN + 2];
	memset(title, 't', sizeof title - 1);
	title[sizeof title - 1] = '\0';
	snprintf(text, sizeof text, "{\"code\":\"x\",\"title\":\"%s\"}", title);
	refused(text, RG_ETOOBIG, "title", "string_too_long", "at most 120");
	title[RG_MAX_TITLE_LEN] = '\0';
	snprintf(text, sizeof text, "{\"code\":\"x\",\"title\":\"%s\"}", title);
	rg_custom_store *cs = store(1);
	char id[RG_MAX_ID_LEN + 1];
	add(cs, text, id);
	rg_custom_destroy(cs);
}

Test(custom, expected_issue_errors_name_the_request_path)
{
	static const struct { const char *issues, *field, *msg; } cases[] = {
		{ "[" ISSUE("[2, 3]", "high") "]", "expected_issues[0].lines", "expected 1 <= first <= last <= 2, got [2, 3]" },
		{ "[" ISSUE("[2, 1]", "high") "]", "expected_issues[0].lines", "got [2, 1]" },
		{ "[" ISSUE("\"2\"", "high") "]", "expected_issues[0].lines", "expected [first, last] integers" },
		{ "[" ISSUE("[2, 2]", "severe") "]", "expected_issues[0].severity", "expected one of low, medium, high, critical" },
		{ "[{\"id\":\"x-1\",\"lines\":[1,1],\"type\":\"bug\",\"severity\":\"low\",\"class\":\"no_such_class\"}]",
		  "expected_issues[0].class", "unknown lexicon class \"no_such_class\"" },
		{ "[{\"id\":\"sqli\",\"lines\":[1,1],\"type\":\"security_vulnerability\",\"severity\":\"high\",\"class\":\"sql_injection\"}]",
		  "expected_issues[0].cwe", "required field is missing" },
		{ "[" ISSUE("[1, 1]", "low") "," ISSUE("[2, 2]", "low") "]", "expected_issues[1].id", "duplicate issue id \"div-zero\"" },
		{ "[7]", "expected_issues[0]", "expected an object" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char text[2048];
		snprintf(text, sizeof text, "{\"code\":\"" CODE "\",\"expected_issues\":%s}", cases[i].issues);
		refused(text, RG_EINVAL, cases[i].field, "", cases[i].msg);
	}
	/* seventeen issues: more than RG_MAX_ISSUES */
	char text[16384];
	size_t n = (size_t)snprintf(text, sizeof text, "{\"code\":\"" CODE "\",\"expected_issues\":[");
	for (int i = 0; i <= RG_MAX_ISSUES; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%s" ISSUE("[1, 1]", "low"), i ? "," : "");
	snprintf(text + n, sizeof text - n, "]}");
	refused(text, RG_EINVAL, "expected_issues", "list_type", "at most 16 issues");
	assert_no_leaks();
}

Test(custom, code_and_diff_at_and_past_the_line_limit)
{
	char *text = code_of_lines(RG_MAX_CODE_LINES);
	rg_custom_store *cs = store(2);
	char id[RG_MAX_ID_LEN + 1];
	add(cs, text, id);
	cr_expect_eq(rg_custom_at(cs, 0)->n_lines, RG_MAX_CODE_LINES);
	free(text);
	text = code_of_lines(RG_MAX_CODE_LINES + 1);
	refused(text, RG_ETOOBIG, "code", "too_long", "at most 400 lines, got 401");
	free(text);
	/* a diff whose new side reaches line 401 */
	refused("{\"diff\":\"--- a/x.py\\n+++ b/x.py\\n@@ -400 +400,2 @@\\n x\\n+y\\n\"}", RG_ETOOBIG,
		"diff", "too_long", "line 401");
	add(cs, "{\"diff\":\"--- a/x.py\\n+++ b/x.py\\n@@ -399 +399,2 @@\\n x\\n+y\\n\"}", id);
	cr_expect_eq(rg_custom_at(cs, 1)->n_lines, 400);
	rg_custom_destroy(cs);
	assert_no_leaks();
}
