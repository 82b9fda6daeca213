/*
 * bank.c - the bank object: load orchestration, lookups and the wire-name tables.
 *
 * Design: tasks sit in one array in load order (family, difficulty, id - sorted),
 * so an index is a stable handle and selection by seed is deterministic. Lookup by
 * id is a linear scan: it happens once per reset over at most RG_MAX_TASKS entries,
 * well under a microsecond per hundred tasks, so no hash table is warranted.
 */
#include "bank/bank.h"
#include "bank/bank_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "core/alloc.h"

/* ------------------------------------------------------------------------ */
/* Wire names                                                               */
/* ------------------------------------------------------------------------ */

static const char *const difficulty_names[] = { "easy", "medium", "hard" };
static const char *const issue_type_names[] = { "bug", "logic_error",
						"security_vulnerability" };
static const char *const severity_names[] = { "low", "medium", "high", "critical" };
static const char *const decision_names[] = { "approve", "request_changes", "escalate",
					      "comment" };
static const char *const verdict_names[] = { "correct", "flawed", "critical" };
static const char *const pr_kind_names[] = { "single-pass-review", "iterative-negotiation",
					     "escalation-judgment", "custom-review" };

static int parse_name(const char *s, const char *const *names, int n)
{
	for (int i = 0; s && i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

const char *rg_difficulty_name(enum rg_difficulty d)
{
	return (unsigned)d < RG_DIFFICULTY__COUNT ? difficulty_names[d] : "?";
}

const char *rg_issue_type_name(enum rg_issue_type t)
{
	return (unsigned)t < RG_ISSUE__COUNT ? issue_type_names[t] : "?";
}

const char *rg_severity_name(enum rg_severity s)
{
	return (unsigned)s < RG_SEV__COUNT ? severity_names[s] : "?";
}

const char *rg_decision_name(enum rg_decision d)
{
	return (unsigned)d < RG_DECISION__COUNT ? decision_names[d] : "?";
}

const char *rg_verdict_name(enum rg_verdict v)
{
	return (unsigned)v <= RG_VERDICT_CRITICAL ? verdict_names[v] : "?";
}

const char *rg_pr_kind_name(enum rg_pr_kind k)
{
	return (unsigned)k < RG_PR_KIND__COUNT ? pr_kind_names[k] : "?";
}

/* custom-review is the server's, never a bank file's. */
int rg_pr_kind_parse(const char *s) { return parse_name(s, pr_kind_names, RG_PR_CUSTOM); }
int rg_difficulty_parse(const char *s) { return parse_name(s, difficulty_names, RG_DIFFICULTY__COUNT); }
int rg_issue_type_parse(const char *s) { return parse_name(s, issue_type_names, RG_ISSUE__COUNT); }
int rg_severity_parse(const char *s) { return parse_name(s, severity_names, RG_SEV__COUNT); }

int rg_lexicon_find(const rg_lexicon *lex, const char *name)
{
	for (size_t i = 0; i < lex->n; i++)
		if (!strcmp(lex->names[i], name))
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------------------ */
/* Lifecycle                                                                */
/* ------------------------------------------------------------------------ */

int rg__bank_add_task(rg_bank *bank, const char *family, const char *dir, const char *dir_id,
		      enum rg_difficulty d, rg_err *err)
{
	if (bank->n >= RG_MAX_TASKS)
		return rg_err_set(err, RG_ETOOBIG, dir, NULL, "more than %d tasks", RG_MAX_TASKS);
	if (bank->n == bank->cap) {
		size_t cap = bank->cap ? bank->cap * 2 : 64;
		rg_task *t = rg_arena_alloc(bank->arena, cap * sizeof *t);
		if (!t)
			return rg_err_set(err, RG_ENOMEM, dir, NULL, "out of memory");
		if (bank->n)
			memcpy(t, bank->tasks, bank->n * sizeof *t);
		bank->tasks = t; /* the old array stays in the arena; bounded by doubling */
		bank->cap = cap;
	}
	rg_task *t = &bank->tasks[bank->n];
	memset(t, 0, sizeof *t);
	int rc = strcmp(family, "pr_review") ? rg__bank_load_task(bank, dir, dir_id, d, t, err)
					     : rg__bank_load_pr_task(bank, dir, dir_id, d, t, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < bank->n; i++)
		if (!strcmp(bank->tasks[i].id, t->id))
			return rg_err_set(err, RG_EINVAL, dir, NULL,
					  "task id \"%s\" is already used by %s", t->id,
					  bank->tasks[i].dir);
	bank->n++;
	return RG_OK;
}

rg_bank *rg_bank_load(const char *root, rg_err *err)
{
	rg_bank *bank = rg_calloc(1, sizeof *bank);
	if (!bank) {
		rg_err_set(err, RG_ENOMEM, root, NULL, "out of memory");
		return NULL;
	}
	bank->arena = rg__bank_arena_create();
	bank->root = rg_strdup(root);
	if (!bank->arena || !bank->root) {
		rg_err_set(err, RG_ENOMEM, root, NULL, "out of memory");
		goto fail;
	}
	if (rg__bank_load_lexicon(bank, root, err) ||
	    rg__bank_load_family(bank, root, "code_review", err) ||
	    rg__bank_load_family(bank, root, "pr_review", err))
		goto fail;
	if (rg_bank_select(bank, "code_review", -1, NULL, 0) == 0) {
		rg_err_set(err, RG_EINVAL, root, NULL,
			   "no tasks found (expected <root>/code_review/<difficulty>/<id>/task.json)");
		goto fail;
	}
	return bank;
fail:
	rg_bank_destroy(bank);
	return NULL;
}

void rg_bank_destroy(rg_bank *bank)
{
	if (!bank)
		return;
	rg_arena_destroy(bank->arena);
	rg_free(bank->root);
	rg_free(bank);
}

/* ------------------------------------------------------------------------ */
/* Queries                                                                  */
/* ------------------------------------------------------------------------ */

const char *rg_bank_root(const rg_bank *bank) { return bank->root; }
size_t rg_bank_count(const rg_bank *bank) { return bank->n; }
const rg_lexicon *rg_bank_lexicon(const rg_bank *bank) { return &bank->lexicon; }

const rg_task *rg_bank_at(const rg_bank *bank, size_t i)
{
	return i < bank->n ? &bank->tasks[i] : NULL;
}

const rg_task *rg_bank_find(const rg_bank *bank, const char *id)
{
	for (size_t i = 0; i < bank->n; i++)
		if (!strcmp(bank->tasks[i].id, id))
			return &bank->tasks[i];
	return NULL;
}

size_t rg_bank_select(const rg_bank *bank, const char *family, int difficulty,
		      size_t *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < bank->n; i++) {
		const rg_task *t = &bank->tasks[i];
		if (strcmp(t->family, family) || (difficulty >= 0 && (int)t->difficulty != difficulty))
			continue;
		if (n < cap)
			out[n] = i;
		n++;
	}
	return n;
}
