/*
 * bank_int.h - shared between the bank's own files (bank.c, load.c); not part of
 * the bank's contract.
 */
#ifndef RG_BANK_BANK_INT_H
#define RG_BANK_BANK_INT_H

#include <stdbool.h>

#include "bank/bank.h"
#include "core/arena.h"
#include "core/json.h"

struct rg_bank {
	rg_arena *arena;   /* owns every task, issue, phrase and string */
	char *root;
	rg_task *tasks;    /* arena */
	size_t n, cap;
	rg_lexicon lexicon;
};

/* --- read.c: reading primitives -------------------------------------------- */

/* The file being read: where errors point and where values are copied. */
typedef struct rg_bank_reader {
	const char *file; /* path shown in errors; NULL for wire input (path only) */
	rg_err *err;
	rg_arena *arena;
} rg_bank_reader;

/* Whole file, at most max bytes, no NUL bytes; rg_free it. NULL with err. */
char *rg__bank_read_file(const char *path, size_t max, size_t *len, rg_err *err);
/* Sorted entry names of dir (no dot-files): directories when want_dirs, else
 * regular files. Count, 0 when dir does not exist, -1 with err. */
int rg__bank_list_dir(const char *dir, int want_dirs, char ***out, rg_err *err);
void rg__bank_free_names(char **names, int n);
/* Set err to "<file>: <path>: <message>"; returns RG_EINVAL. */
int rg__bank_fail(rg_bank_reader *v, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* [a-z0-9-]{3,64}: task and issue ids. */
bool rg__bank_is_id(const char *s);
/* [a-z0-9-]{min,64}: ids with a shorter floor (scenario versions and states). */
bool rg__bank_is_name(const char *s, size_t min);
/* A string field of length [min, max], copied into the arena; NULL if absent
 * (an error only when required) or invalid. */
const char *rg__bank_get_str(rg_bank_reader *v, const rg_json *obj, const char *key,
			     const char *path, size_t min, size_t max, bool required);
/* An enum field parsed with parse(); the value or -1 with err. */
int rg__bank_get_enum(rg_bank_reader *v, const rg_json *obj, const char *key, const char *path,
		      int (*parse)(const char *), const char *allowed);
/* An array of 1..max_phrases phrases compiled into a group. */
int rg__bank_get_group(rg_bank_reader *v, const rg_json *arr, const char *path,
		       size_t max_phrases, rg_group *out);
/* "lines": [first, last] within 1..n_lines, or "line": N; sets the issue's span. */
int rg__bank_get_lines(rg_bank_reader *v, const rg_json *obj, const char *path, size_t n_lines,
		       rg_issue *is);
/* An array of 1..RG_MAX_GROUPS groups. */
int rg__bank_get_groups(rg_bank_reader *v, const rg_json *obj, const char *key,
			const char *path, const rg_group **out, size_t *n_out);

/* --- load.c: the loaders ---------------------------------------------------- */
int rg__bank_load_lexicon(rg_bank *bank, const char *root, rg_err *err);
int rg__bank_load_family(rg_bank *bank, const char *root, const char *family, rg_err *err);
int rg__bank_load_task(rg_bank *bank, const char *dir, const char *dir_id,
		       enum rg_difficulty dir_difficulty, rg_task *t, rg_err *err);
/* Append a task of family loaded from dir (checks id uniqueness and the task limit). */
int rg__bank_add_task(rg_bank *bank, const char *family, const char *dir, const char *dir_id,
		      enum rg_difficulty d, rg_err *err);
/* One ground-truth issue at path (e.g. "issues[2]"). With n_lines > 0 its "lines"
 * are required and checked against 1..n_lines; with 0 the issue has no lines. */
int rg__bank_load_issue(rg_bank_reader *v, const rg_lexicon *lex, const rg_json *j,
			const char *path, size_t n_lines, rg_issue *is);
/* Split code into trimmed lines (for the paste rule); sets n_lines and friends. */
int rg__bank_index_lines(rg_bank_reader *v, rg_task *t, const char *name);
/* A code file of the task directory, copied into the arena (non-empty, capped). */
const char *rg__bank_load_code(rg_bank_reader *v, const char *dir, const char *name);
/* Fields shared by both families' task.json: id (== dir_id), family, difficulty
 * (== the directory's), title, split. */
int rg__bank_load_common(rg_bank_reader *v, const rg_json *doc, const char *family,
			 const char *dir_id, enum rg_difficulty dir_difficulty, rg_task *t);
/* RG_OK when dir/test.py exists (tasks check runs it). */
int rg__bank_need_test(const char *dir, rg_err *err);
/* Whole task.json parsed, or NULL with err. */
rg_json *rg__bank_read_json(const char *path, rg_err *err);

/* --- load_pr.c -------------------------------------------------------------- */
int rg__bank_load_pr_task(rg_bank *bank, const char *dir, const char *dir_id,
			  enum rg_difficulty dir_difficulty, rg_task *t, rg_err *err);
rg_arena *rg__bank_arena_create(void);

#endif
