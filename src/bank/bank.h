/*
 * bank.h - loading and querying the task bank.
 *
 * Design: rg_bank_load reads <root>/lexicon/ (every .json file) and every
 * <root>/code_review/<difficulty>/<id>/ directory (sorted, so loading is
 * deterministic), validates each field against docs/task-format.md, and fails on
 * the first malformed file with rg_err.field = "<file>: <json path>" and a message
 * giving expected and got. Deep checks that need the grader or python3
 * (reference review scores, tests both ways) live in `reviewgym tasks check`.
 *
 * Ownership: the bank owns all tasks (one arena); destroy frees everything.
 * Lookups return borrowed pointers valid until rg_bank_destroy.
 */
#ifndef RG_BANK_BANK_H
#define RG_BANK_BANK_H

#include <stddef.h>

#include "bank/task.h"
#include "core/err.h"

typedef struct rg_bank rg_bank;

/* Load and validate the bank under root. New bank or NULL with err set; err
 * must not be NULL (the reason is the point of a failed load). */
rg_bank *rg_bank_load(const char *root, rg_err *err);
void rg_bank_destroy(rg_bank *bank);

const char *rg_bank_root(const rg_bank *bank);
size_t rg_bank_count(const rg_bank *bank);
const rg_task *rg_bank_at(const rg_bank *bank, size_t i);
const rg_task *rg_bank_find(const rg_bank *bank, const char *id);
const rg_lexicon *rg_bank_lexicon(const rg_bank *bank);
/* Tasks of one family and difficulty, in bank order: writes up to cap indices
 * into out and returns how many exist. */
size_t rg_bank_select(const rg_bank *bank, const char *family, int difficulty,
		      size_t *out, size_t cap);

#endif
