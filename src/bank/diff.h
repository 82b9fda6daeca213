/*
 * diff.h - unified diffs between texts, and reading one back (libgit2).
 *
 * Design: libgit2 does the diffing (Myers, git's own output format) and the patch
 * parsing; this module only adapts it: texts in, our buffers and JSON out. The
 * pr_review bank renders every version's diff once at load; POST /diff renders on
 * request; custom review parses a user's diff into the file it produces, with each
 * line at its new-side line number, so findings and expected issues use the line
 * numbers a reviewer sees in the diff's `+` side.
 *
 * libgit2 is initialised and shut down around each call (it is reference counted),
 * so nothing global outlives a call. Inputs are bounded by the callers
 * (RG_MAX_CODE_BYTES for files, RG_MAX_DIFF_BYTES for diffs).
 */
#ifndef RG_BANK_DIFF_H
#define RG_BANK_DIFF_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/json.h"

/* Unified diff of old -> new with `context` lines of context and headers
 * a/<path>, b/<path>; an old of NULL means a new file (--- /dev/null). Appends to
 * out (empty when the texts are equal). hunks, when not NULL, receives a new JSON
 * array: [{old_start, old_lines, new_start, new_lines, header,
 *          lines: [{origin: " "|"+"|"-", old_lineno, new_lineno, content}]}]. */
RG_MUST_CHECK int rg_diff_texts(const char *old_text, size_t old_len, const char *new_text,
				size_t new_len, const char *path, int context, rg_buf *out,
				rg_json **hunks, rg_err *err);

/* Parse a unified diff of exactly one file and append to out the new side: every
 * context and added line at its new line number, lines the diff does not show left
 * empty. *path receives the new file's path (at most path_cap - 1 bytes).
 * Errors (field "diff"): not a diff, no hunks, more than one file, too many lines. */
RG_MUST_CHECK int rg_diff_new_side(const char *diff, size_t len, size_t max_lines, rg_buf *out,
				   char *path, size_t path_cap, rg_err *err);

#endif
