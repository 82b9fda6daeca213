/*
 * diff.c - unified diffs through libgit2 (see diff.h).
 */
#include "bank/diff.h"

#include <git2.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/limits.h"

/* ------------------------------------------------------------------------ */
/* Texts -> diff                                                            */
/* ------------------------------------------------------------------------ */

static rg_json *line_json(const git_diff_line *l)
{
	char origin[2] = { l->origin, 0 };
	size_t n = l->content_len;
	if (n && l->content[n - 1] == '\n')
		n--;
	rg_json *o = rg_json_obj();
	if (!o || rg_json_set_str(o, "origin", origin) ||
	    rg_json_set_int(o, "old_lineno", l->old_lineno) ||
	    rg_json_set_int(o, "new_lineno", l->new_lineno) ||
	    rg_json_set(o, "content", rg_json_strn(l->content, n))) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

static rg_json *hunk_json(git_patch *patch, size_t h)
{
	const git_diff_hunk *hunk;
	size_t n_lines;
	if (git_patch_get_hunk(&hunk, &n_lines, patch, h))
		return NULL;
	size_t hl = strnlen(hunk->header, hunk->header_len);
	while (hl && (hunk->header[hl - 1] == '\n' || hunk->header[hl - 1] == '\r'))
		hl--;
	rg_json *o = rg_json_obj();
	rg_json *lines = rg_json_arr();
	int rc = !o || !lines || rg_json_set_int(o, "old_start", hunk->old_start) ||
		 rg_json_set_int(o, "old_lines", hunk->old_lines) ||
		 rg_json_set_int(o, "new_start", hunk->new_start) ||
		 rg_json_set_int(o, "new_lines", hunk->new_lines) ||
		 rg_json_set(o, "header", rg_json_strn(hunk->header, hl));
	for (size_t i = 0; !rc && i < n_lines; i++) {
		const git_diff_line *l;
		rc = git_patch_get_line_in_hunk(&l, patch, h, i) || rg_json_push(lines, line_json(l));
	}
	if (!rc) {
		rc = rg_json_set(o, "lines", lines);
		lines = NULL;
	}
	rg_json_free(lines);
	if (rc) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

int rg_diff_texts(const char *old_text, size_t old_len, const char *new_text, size_t new_len,
		  const char *path, int context, rg_buf *out, rg_json **hunks, rg_err *err)
{
	if (hunks)
		*hunks = NULL;
	git_libgit2_init();
	git_diff_options opts;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = (uint32_t)(context < 0 ? 0 : context);
	opts.flags |= GIT_DIFF_FORCE_TEXT;
	git_patch *patch = NULL;
	git_buf text = { 0 };
	int rc = RG_OK;
	if (git_patch_from_buffers(&patch, old_text, old_len, old_text ? path : NULL, new_text,
				   new_len, path, &opts)) {
		rc = rg_err_set(err, RG_EINTERNAL, NULL, NULL, "libgit2 could not diff the texts");
		goto out;
	}
	if (git_patch_to_buf(&text, patch)) {
		rc = rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory rendering a diff");
		goto out;
	}
	if (text.size && rg_buf_append(out, text.ptr, text.size)) {
		rc = rg_err_set(err, RG_ETOOBIG, NULL, NULL, "the diff is larger than its buffer");
		goto out;
	}
	if (hunks) {
		rg_json *arr = rg_json_arr();
		size_t nh = git_patch_num_hunks(patch);
		int bad = !arr;
		for (size_t h = 0; !bad && h < nh; h++)
			bad = rg_json_push(arr, hunk_json(patch, h));
		if (bad) {
			rg_json_free(arr);
			rc = rg_err_set(err, RG_ENOMEM, NULL, NULL, "out of memory listing hunks");
			goto out;
		}
		*hunks = arr;
	}
out:
	git_buf_dispose(&text);
	git_patch_free(patch);
	git_libgit2_shutdown();
	return rc;
}

/* ------------------------------------------------------------------------ */
/* Diff -> new side                                                         */
/* ------------------------------------------------------------------------ */

/* Append empty lines until the buffer holds `upto` complete lines. */
static int pad_to(rg_buf *out, size_t *have, size_t upto)
{
	while (*have < upto) {
		if (rg_buf_puts(out, "\n"))
			return -1;
		(*have)++;
	}
	return 0;
}

static int new_side(git_patch *patch, size_t max_lines, rg_buf *out, rg_err *err)
{
	size_t have = 0; /* complete lines written */
	size_t nh = git_patch_num_hunks(patch);
	if (nh == 0)
		return rg_err_set(err, RG_EINVAL, "diff", "value_error",
				  "the diff has no hunks (no @@ lines)");
	for (size_t h = 0; h < nh; h++) {
		const git_diff_hunk *hunk;
		size_t n;
		if (git_patch_get_hunk(&hunk, &n, patch, h))
			return rg_err_set(err, RG_EINVAL, "diff", "value_error", "unreadable hunk %zu", h);
		for (size_t i = 0; i < n; i++) {
			const git_diff_line *l;
			if (git_patch_get_line_in_hunk(&l, patch, h, i))
				return rg_err_set(err, RG_EINVAL, "diff", "value_error",
						  "unreadable line in hunk %zu", h);
			if (l->new_lineno <= 0)
				continue; /* deletions and "no newline" markers */
			if ((size_t)l->new_lineno > max_lines)
				return rg_err_set(err, RG_ETOOBIG, "diff", "too_long",
						  "the new file reaches line %d; at most %zu lines",
						  l->new_lineno, max_lines);
			if ((size_t)l->new_lineno <= have)
				return rg_err_set(err, RG_EINVAL, "diff", "value_error",
						  "hunks overlap or go backwards at new line %d",
						  l->new_lineno);
			size_t len = l->content_len;
			if (len && l->content[len - 1] == '\n')
				len--;
			if (pad_to(out, &have, (size_t)l->new_lineno - 1) ||
			    rg_buf_append(out, l->content, len) || rg_buf_puts(out, "\n"))
				return rg_err_set(err, RG_ETOOBIG, "diff", "too_long",
						  "the new file is too large");
			have++;
		}
	}
	if (have == 0)
		return rg_err_set(err, RG_EINVAL, "diff", "value_error",
				  "the diff deletes everything: there is no new code to review");
	return RG_OK;
}

/* A header path: after "--- " or "+++ ", up to a tab (diff -u puts a timestamp
 * there) or the end of the line, without git's a/ or b/ prefix. */
static size_t header_path(const char *p, const char *end, const char **out)
{
	size_t n = 0;
	while (p + n < end && p[n] != '\t' && p[n] != '\n' && p[n] != '\r')
		n++;
	while (n && p[n - 1] == ' ')
		n--;
	if (n > 2 && (!memcmp(p, "a/", 2) || !memcmp(p, "b/", 2))) {
		p += 2;
		n -= 2;
	}
	*out = p;
	return n;
}

/* libgit2 parses git's patch format: "diff --git a/P b/P", then "--- a/P" and
 * "+++ b/P" (or /dev/null). Plain `diff -u` output has other headers (no git line,
 * other prefixes, timestamps after a tab): rewrite them in git's form in a copy
 * (written to fixed), keeping every line from the first hunk on. Returns 0 when
 * the text is already git's, 1 when rewritten, -1 on ENOMEM. */
static int add_git_header(const char *diff, size_t len, rg_buf *fixed)
{
	const char *end = diff + len, *minus = NULL;
	for (const char *p = diff; p < end;) {
		if ((size_t)(end - p) >= 11 && !memcmp(p, "diff --git ", 11))
			return 0;
		if ((size_t)(end - p) >= 4 && !memcmp(p, "--- ", 4)) {
			minus = p;
			break;
		}
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	const char *plus = minus ? memchr(minus, '\n', (size_t)(end - minus)) : NULL;
	if (!plus || (size_t)(end - plus) < 5 || memcmp(plus + 1, "+++ ", 4))
		return 0;
	plus++;
	const char *rest = memchr(plus, '\n', (size_t)(end - plus));
	rest = rest ? rest + 1 : end;
	const char *oldp, *newp;
	size_t on = header_path(minus + 4, end, &oldp);
	size_t nn = header_path(plus + 4, end, &newp);
	bool added = on == 9 && !memcmp(oldp, "/dev/null", 9);
	bool deleted = nn == 9 && !memcmp(newp, "/dev/null", 9);
	const char *path = deleted ? oldp : newp;
	size_t pn = deleted ? on : nn;
	if (pn == 0 || pn > 255 || memchr(path, ' ', pn))
		return 0;
	int rc = rg_buf_printf(fixed, "diff --git a/%.*s b/%.*s\n", (int)pn, path, (int)pn, path);
	if (!rc && added)
		rc = rg_buf_printf(fixed, "new file mode 100644\n--- /dev/null\n+++ b/%.*s\n", (int)pn, path);
	else if (!rc && deleted)
		rc = rg_buf_printf(fixed, "deleted file mode 100644\n--- a/%.*s\n+++ /dev/null\n", (int)pn,
				   path);
	else if (!rc)
		rc = rg_buf_printf(fixed, "--- a/%.*s\n+++ b/%.*s\n", (int)pn, path, (int)pn, path);
	rc = rc || rg_buf_append(fixed, rest, (size_t)(end - rest));
	return rc ? -1 : 1;
}

int rg_diff_new_side(const char *diff, size_t len, size_t max_lines, rg_buf *out, char *path,
		     size_t path_cap, rg_err *err)
{
	if (path_cap)
		path[0] = 0;
	if (len == 0 || memchr(diff, 0, len))
		return rg_err_set(err, RG_EINVAL, "diff", "value_error",
				  "expected a unified diff (text with ---/+++ headers and @@ hunks)");
	rg_buf fixed;
	rg_buf_init(&fixed, len + 600);
	int added = add_git_header(diff, len, &fixed);
	if (added < 0) {
		rg_buf_free(&fixed);
		return rg_err_set(err, RG_ENOMEM, "diff", NULL, "out of memory");
	}
	if (added) {
		diff = fixed.data;
		len = fixed.len;
	}
	git_libgit2_init();
	git_diff *d = NULL;
	git_patch *patch = NULL;
	int rc;
	if (git_diff_from_buffer(&d, diff, len)) {
		const git_error *e = git_error_last();
		rc = rg_err_set(err, RG_EINVAL, "diff", "value_error", "not a unified diff: %s",
				e && e->message ? e->message : "unparseable");
		goto out;
	}
	size_t nd = git_diff_num_deltas(d);
	if (nd != 1) {
		rc = rg_err_set(err, RG_EINVAL, "diff", "value_error",
				nd ? "expected changes to one file, got %zu files"
				   : "expected a unified diff with ---/+++ headers and @@ hunks, found no file (%zu)",
				nd);
		goto out;
	}
	if (git_patch_from_diff(&patch, d, 0) || !patch) {
		rc = rg_err_set(err, RG_EINVAL, "diff", "value_error", "the diff has no text patch");
		goto out;
	}
	const git_diff_delta *delta = git_patch_get_delta(patch);
	if (path_cap && delta && delta->new_file.path)
		snprintf(path, path_cap, "%s", delta->new_file.path);
	rc = new_side(patch, max_lines, out, err);
out:
	git_patch_free(patch);
	git_diff_free(d);
	git_libgit2_shutdown();
	rg_buf_free(&fixed);
	return rc;
}
