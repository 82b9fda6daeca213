/*
 * custom.h - custom review tasks: a user's own code or diff, registered at run
 * time (POST /config/custom) and reviewed as a pr_review episode.
 *
 * Design: a custom task is built into the same rg_task/rg_pr_scenario shape as a
 * bank scenario (kind custom-review, one version, one author state), with its own
 * arena, so the environment reads it exactly like a bank task. Optional expected
 * issues use the bank's issue schema and loader, so their errors read like task
 * file errors but name the request field ("expected_issues[0].class: ...").
 *
 * Ids are content addressed ("custom-" + 16 hex digits of a 64-bit FNV-1a hash of
 * the request's fields): registering the same thing twice returns the same id and
 * uses no new slot. The store holds at most `max` tasks. Episodes hold a task by
 * reference count (acquire/release); a registration past the limit evicts the
 * oldest task no episode holds, and fails with RG_ECAPACITY when all are held.
 * Only the server thread touches the store.
 */
#ifndef RG_BANK_CUSTOM_H
#define RG_BANK_CUSTOM_H

#include <stddef.h>

#include "bank/bank.h"
#include "core/err.h"
#include "core/json.h"
#include "core/limits.h"

typedef struct rg_custom_store rg_custom_store;

/* New store borrowing the bank (for the lexicon); NULL on ENOMEM. */
rg_custom_store *rg_custom_create(const rg_bank *bank, size_t max);
/* Every task must have been released. */
void rg_custom_destroy(rg_custom_store *cs);

/* Register from a request body {code | diff, language?, title?, expected_issues?}.
 * Writes the task id into id (RG_MAX_ID_LEN + 1 bytes). Errors name the field. */
RG_MUST_CHECK int rg_custom_add(rg_custom_store *cs, const rg_json *body, char *id,
				rg_err *err);
/* The task with this id, its reference count raised; NULL when unknown. */
const rg_task *rg_custom_acquire(rg_custom_store *cs, const char *id);
void rg_custom_release(rg_custom_store *cs, const rg_task *t);

size_t rg_custom_count(const rg_custom_store *cs);
/* i-th task in registration order (borrowed, valid until the next rg_custom_add). */
const rg_task *rg_custom_at(const rg_custom_store *cs, size_t i);

/* True when id has the shape of a custom task id. */
int rg_custom_is_id(const char *id);

#endif
