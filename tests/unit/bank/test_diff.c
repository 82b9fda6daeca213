/*
 * test_diff.c - unified diffs (bank/diff.h): rendering text -> diff, which the
 * pr_review bank shows reviewers and POST /diff returns, and reading a user's
 * diff back into the new file, which custom review grades against.
 *
 * What a user notices: the rendered diff is git's format (headers a/ and b/,
 * /dev/null for a new file, @@ hunks with `context` lines around each change),
 * the hunks JSON gives every line its old and new line number, identical texts
 * give an empty diff; the new side puts every line at the number the `+` side of
 * the diff shows it (lines the diff does not show are blank), so findings use the
 * line numbers the reviewer sees; and a malformed diff is refused with field
 * "diff" and a message saying what is wrong (not a diff, two files, no hunks,
 * overlapping hunks, too many lines). Round trips (render, then read back) tie
 * the two halves together.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "bank/diff.h"
#include "unit/support.h"

#define PATH "pkg/f.py"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* "l1\nl2\n...ln\n", with lines changed_a and changed_b (1-based; 0 = none)
 * reading "CHANGEDk" instead. */
static void numbered(char *out, size_t cap, int n, int changed_a, int changed_b)
{
	size_t len = 0;
	out[0] = '\0';
	for (int k = 1; k <= n; k++)
		len += (size_t)snprintf(out + len, cap - len, "%s%d\n",
					k == changed_a || k == changed_b ? "CHANGED" : "l", k);
	cr_assert_lt(len, cap - 1);
}

/* Render old -> new; returns the diff text (static) and hunks (caller frees). */
static const char *render(const char *old, const char *new_text, int context, rg_json **hunks)
{
	static char text[16384];
	rg_buf b;
	rg_buf_init(&b, sizeof text - 1);
	rg_err err;
	rg_err_clear(&err);
	int rc = rg_diff_texts(old, old ? strlen(old) : 0, new_text, strlen(new_text), PATH, context,
			       &b, hunks, &err);
	cr_assert_eq(rc, RG_OK, "rg_diff_texts: %s", err.msg);
	if (hunks)
		cr_assert(rg_json_is_arr(*hunks), "hunks is an array");
	snprintf(text, sizeof text, "%s", b.data ? b.data : "");
	rg_buf_free(&b);
	return text;
}

/* Read the new side of diff; returns the code and fills out (static) and path. */
static int new_side(const char *diff, size_t max_lines, const char **out, char *path,
		    rg_err *err)
{
	static char text[16384];
	rg_buf b;
	rg_buf_init(&b, sizeof text - 1);
	rg_err_clear(err);
	int rc = rg_diff_new_side(diff, strlen(diff), max_lines, &b, path, 256, err);
	snprintf(text, sizeof text, "%s", b.data ? b.data : "");
	rg_buf_free(&b);
	*out = text;
	return rc;
}

static void expect_line(const rg_json *l, const char *origin, long long old_no, long long new_no,
			const char *content)
{
	cr_assert(rg_json_is_obj(l));
	cr_expect_str_eq(rg_json_str_val(rg_json_get(l, "origin")), origin);
	cr_expect_eq(rg_json_int_val(rg_json_get(l, "old_lineno")), old_no, "%s", content);
	cr_expect_eq(rg_json_int_val(rg_json_get(l, "new_lineno")), new_no, "%s", content);
	cr_expect_str_eq(rg_json_str_val(rg_json_get(l, "content")), content,
			 "content without its newline");
}

static long long hunk_int(const rg_json *h, const char *key)
{
	const rg_json *v = rg_json_get(h, key);
	cr_assert(rg_json_is_int(v), "hunk field %s", key);
	return rg_json_int_val(v);
}

/* ------------------------------------------------------------------------ */
/* Texts -> diff                                                            */
/* ------------------------------------------------------------------------ */

Test(diff_texts, one_changed_line_in_git_format)
{
	rg_json *h;
	const char *d = render("a\nb\nc\n", "a\nB\nc\n", 3, &h);
	cr_expect(!strncmp(d, "diff --git a/" PATH " b/" PATH "\n", strlen("diff --git a/" PATH " b/" PATH "\n")),
		  "%s", d);
	cr_expect_not_null(strstr(d, "\n--- a/" PATH "\n+++ b/" PATH "\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"),
			   "%s", d);
	cr_assert_eq(rg_json_size(h), 1);
	const rg_json *hk = rg_json_at(h, 0);
	cr_expect_eq(hunk_int(hk, "old_start"), 1);
	cr_expect_eq(hunk_int(hk, "old_lines"), 3);
	cr_expect_eq(hunk_int(hk, "new_start"), 1);
	cr_expect_eq(hunk_int(hk, "new_lines"), 3);
	cr_expect_str_eq(rg_json_str_val(rg_json_get(hk, "header")), "@@ -1,3 +1,3 @@",
			 "the header without its newline");
	const rg_json *lines = rg_json_get(hk, "lines");
	cr_assert_eq(rg_json_size(lines), 4);
	expect_line(rg_json_at(lines, 0), " ", 1, 1, "a");
	expect_line(rg_json_at(lines, 1), "-", 2, -1, "b");
	expect_line(rg_json_at(lines, 2), "+", -1, 2, "B");
	expect_line(rg_json_at(lines, 3), " ", 3, 3, "c");
	rg_json_free(h);
	assert_no_leaks();
}

Test(diff_texts, null_old_text_is_a_new_file)
{
	rg_json *h;
	const char *d = render(NULL, "x = 1\ny = 2\n", 3, &h);
	cr_expect_not_null(strstr(d, "new file mode"), "%s", d);
	cr_expect_not_null(strstr(d, "\n--- /dev/null\n+++ b/" PATH "\n@@ -0,0 +1,2 @@\n+x = 1\n+y = 2\n"),
			   "%s", d);
	cr_assert_eq(rg_json_size(h), 1);
	const rg_json *hk = rg_json_at(h, 0);
	cr_expect_eq(hunk_int(hk, "old_start"), 0);
	cr_expect_eq(hunk_int(hk, "old_lines"), 0);
	cr_expect_eq(hunk_int(hk, "new_start"), 1);
	cr_expect_eq(hunk_int(hk, "new_lines"), 2);
	expect_line(rg_json_at(rg_json_get(hk, "lines"), 1), "+", -1, 2, "y = 2");
	rg_json_free(h);
}

Test(diff_texts, identical_texts_give_an_empty_diff)
{
	rg_json *h;
	const char *d = render("same\ntext\n", "same\ntext\n", 3, &h);
	cr_expect_str_eq(d, "", "no change, no diff");
	cr_expect_eq(rg_json_size(h), 0, "and no hunks");
	rg_json_free(h);
	/* appending: an empty diff leaves what the buffer held */
	rg_buf b;
	rg_buf_init(&b, 1024);
	cr_assert_eq(rg_buf_puts(&b, "kept"), 0);
	rg_err err;
	rg_err_clear(&err);
	cr_assert_eq(rg_diff_texts("x\n", 2, "x\n", 2, PATH, 3, &b, NULL, &err), RG_OK);
	cr_expect_str_eq(b.data, "kept");
	cr_assert_eq(rg_diff_texts("x\n", 2, "y\n", 2, PATH, 3, &b, NULL, &err), RG_OK);
	cr_expect(!strncmp(b.data, "keptdiff --git ", 15), "the diff is appended: %.40s", b.data);
	rg_buf_free(&b);
}

Test(diff_texts, context_parameter_sets_the_lines_around_a_change)
{
	char old[512], new_text[512];
	numbered(old, sizeof old, 20, 0, 0);
	numbered(new_text, sizeof new_text, 20, 10, 0);
	static const struct { int context; long long start, count; } cases[] = {
		{ 0, 10, 1 }, { 1, 9, 3 }, { 3, 7, 7 }, { -5, 10, 1 }, { 100, 1, 20 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		rg_json *h;
		const char *d = render(old, new_text, cases[i].context, &h);
		cr_assert_eq(rg_json_size(h), 1, "context %d: one hunk", cases[i].context);
		const rg_json *hk = rg_json_at(h, 0);
		cr_expect_eq(hunk_int(hk, "new_start"), cases[i].start, "context %d", cases[i].context);
		cr_expect_eq(hunk_int(hk, "new_lines"), cases[i].count, "context %d", cases[i].context);
		cr_expect_eq(hunk_int(hk, "old_lines"), cases[i].count, "context %d", cases[i].context);
		cr_expect_eq((long long)rg_json_size(rg_json_get(hk, "lines")), cases[i].count + 1,
			     "context %d: the context lines plus - and +", cases[i].context);
		bool shows_9 = strstr(d, "\n l9\n") != NULL;
		cr_expect_eq(shows_9, cases[i].context >= 1, "context %d: line 9 shown? %s",
			     cases[i].context, d);
		rg_json_free(h);
	}
}

Test(diff_texts, distant_changes_are_separate_hunks_until_context_joins_them)
{
	char old[512], new_text[512];
	numbered(old, sizeof old, 30, 0, 0);
	numbered(new_text, sizeof new_text, 30, 5, 25);
	rg_json *h;
	render(old, new_text, 3, &h);
	cr_assert_eq(rg_json_size(h), 2);
	cr_expect_eq(hunk_int(rg_json_at(h, 0), "new_start"), 2);
	cr_expect_eq(hunk_int(rg_json_at(h, 1), "new_start"), 22);
	rg_json_free(h);
	render(old, new_text, 10, &h);
	cr_expect_eq(rg_json_size(h), 1, "context 10 joins changes 20 lines apart");
	rg_json_free(h);
}

/* ------------------------------------------------------------------------ */
/* Diff -> new side                                                         */
/* ------------------------------------------------------------------------ */

Test(diff_new_side, lines_sit_at_their_new_numbers_with_blank_gaps)
{
	char old[512], new_text[512];
	numbered(old, sizeof old, 30, 0, 0);
	numbered(new_text, sizeof new_text, 30, 5, 25);
	const char *d = render(old, new_text, 1, NULL);
	const char *out;
	char path[256];
	rg_err err;
	cr_assert_eq(new_side(d, 400, &out, path, &err), RG_OK, "%s", err.msg);
	cr_expect_str_eq(path, PATH);
	/* hunks show 4-6 and 24-26; lines 1-3 and 7-23 are blank */
	char want[512];
	size_t n = 0;
	for (int k = 1; k <= 26; k++) {
		if (k == 5 || k == 25)
			n += (size_t)snprintf(want + n, sizeof want - n, "CHANGED%d\n", k);
		else if ((k >= 4 && k <= 6) || k >= 24)
			n += (size_t)snprintf(want + n, sizeof want - n, "l%d\n", k);
		else
			n += (size_t)snprintf(want + n, sizeof want - n, "\n");
	}
	cr_expect_str_eq(out, want);
}

Test(diff_new_side, round_trips_a_rendered_diff)
{
	static const char *const texts[] = {
		"def f(x):\n    return x + 1\n",
		"a\n\n\nb\n",
		"no newline at the end",
	};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		const char *d = render(NULL, texts[i], 3, NULL);
		const char *out;
		char path[256];
		rg_err err;
		cr_assert_eq(new_side(d, 400, &out, path, &err), RG_OK, "text %zu: %s", i, err.msg);
		char want[256];
		size_t l = strlen(texts[i]);
		snprintf(want, sizeof want, "%s%s", texts[i], texts[i][l - 1] == '\n' ? "" : "\n");
		cr_expect_str_eq(out, want, "a new file's diff gives the file back (text %zu)", i);
	}
	/* a change in the middle with whole-file context gives the new file */
	const char *d = render("a\nb\nc\nd\n", "a\nb\nC\nd\ne\n", 50, NULL);
	const char *out;
	char path[256];
	rg_err err;
	cr_assert_eq(new_side(d, 400, &out, path, &err), RG_OK, "%s", err.msg);
	cr_expect_str_eq(out, "a\nb\nC\nd\ne\n");
	assert_no_leaks();
}

Test(diff_new_side, diff_without_a_git_header_is_read)
{
	const char *out;
	char path[256];
	rg_err err;
	int rc = new_side("Here is my patch:\n--- a/app/views.py\n+++ b/app/views.py\n"
			  "@@ -2,2 +2,3 @@\n a\n+added\n b\n",
			  400, &out, path, &err);
	cr_assert_eq(rc, RG_OK, "%s", err.msg);
	cr_expect_str_eq(path, "app/views.py", "the path comes from +++ without its b/");
	cr_expect_str_eq(out, "\na\nadded\nb\n");
}

Test(diff_new_side, max_lines_at_and_past_the_limit)
{
	static const char d[] = "--- a/x.py\n+++ b/x.py\n@@ -5,2 +5,2 @@\n a\n-b\n+B\n";
	const char *out;
	char path[256];
	rg_err err;
	cr_expect_eq(new_side(d, 6, &out, path, &err), RG_OK, "the new file ends at line 6: %s",
		     err.msg);
	cr_expect_str_eq(out, "\n\n\n\na\nB\n");
	cr_expect_eq(new_side(d, 5, &out, path, &err), RG_ETOOBIG);
	cr_expect_str_eq(err.field, "diff");
	cr_expect_str_eq(err.kind, "too_long");
	cr_expect(strstr(err.msg, "line 6") && strstr(err.msg, "at most 5"), "%s", err.msg);
}

Test(diff_new_side, malformed_diffs_are_refused_naming_the_problem)
{
	static const struct { const char *diff, *msg; } cases[] = {
		{ "", "expected a unified diff" },
		{ "just some prose, no patch\n", "not a unified diff" },
		{ "--- a/x.py\n+++ b/x.py\n", "no hunks" },
		{ "diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+A\n"
		  "diff --git a/y.py b/y.py\n--- a/y.py\n+++ b/y.py\n@@ -1 +1 @@\n-c\n+C\n",
		  "expected changes to one file, got 2 files" },
		{ "--- a/x.py\n+++ b/x.py\n@@ -5,2 +5,2 @@\n a\n-b\n+B\n@@ -1,2 +1,2 @@\n c\n-d\n+D\n",
		  "hunks overlap or go backwards at new line 1" },
		{ "--- a/x.py\n+++ b/x.py\n@@ -1,2 +0,0 @@\n-a\n-b\n", "deletes everything" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *out;
		char path[256];
		rg_err err;
		int rc = new_side(cases[i].diff, 400, &out, path, &err);
		cr_expect_eq(rc, RG_EINVAL, "case %zu: %s (%s)", i, rg_code_name(rc), err.msg);
		cr_expect_str_eq(err.field, "diff", "case %zu", i);
		cr_expect_str_eq(err.kind, "value_error", "case %zu", i);
		cr_expect(strstr(err.msg, cases[i].msg), "case %zu: \"%s\" lacks \"%s\"", i, err.msg,
			  cases[i].msg);
	}
	/* a NUL byte inside the text */
	static const char nul[] = "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+\0\n";
	rg_buf b;
	rg_buf_init(&b, 1024);
	rg_err err;
	rg_err_clear(&err);
	char path[16];
	cr_expect_eq(rg_diff_new_side(nul, sizeof nul - 1, 400, &b, path, sizeof path, &err),
		     RG_EINVAL);
	cr_expect_str_eq(err.field, "diff");
	rg_buf_free(&b);
	assert_no_leaks();
}

/* ------------------------------------------------------------------------ */
/* Plain diff -u output                                                     */
/* ------------------------------------------------------------------------ */

/* Real `diff -u old new` output has no "diff --git" line, a tab and a timestamp
 * after each path, and paths without git's a/ b/ prefixes; all of it must read
 * as well as git's own format. (Found by this test: only "--- a/X / +++ b/X"
 * without timestamps used to be accepted.) */
Test(new_side, plain_diff_u_output_is_read)
{
	static const char *const cases[] = {
		"--- x.py\t2024-01-01 00:00:00 +0000\n+++ x.py\t2024-01-02 00:00:00 +0000\n@@ -1 +1 @@\n-a\n+A\n",
		"--- a/x.py\t2024-01-01 00:00:00 +0000\n+++ b/x.py\t2024-01-02 00:00:00 +0000\n@@ -1 +1 @@\n-a\n+A\n",
		"--- old/x.py\n+++ new/x.py\n@@ -1 +1 @@\n-a\n+A\n",
		"--- /dev/null\n+++ b/x.py\n@@ -0,0 +1 @@\n+A\n",
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *out;
		char path[256];
		rg_err err;
		cr_expect_eq(new_side(cases[i], 400, &out, path, &err), RG_OK, "case %zu: %s", i,
			     err.msg);
		cr_expect_str_eq(out, "A\n", "case %zu", i);
	}
}
