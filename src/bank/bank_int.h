/*
 * bank_int.h - shared between the bank's own files (bank.c, load.c); not part of
 * the bank's contract.
 */
#ifndef RG_BANK_BANK_INT_H
#define RG_BANK_BANK_INT_H

#include "bank/bank.h"
#include "core/arena.h"

struct rg_bank {
	rg_arena *arena;   /* owns every task, issue, phrase and string */
	char *root;
	rg_task *tasks;    /* arena */
	size_t n, cap;
	rg_lexicon lexicon;
};

char *rg__bank_read_file(const char *path, size_t max, size_t *len, rg_err *err);
int rg__bank_load_lexicon(rg_bank *bank, const char *root, rg_err *err);
int rg__bank_load_family(rg_bank *bank, const char *root, const char *family, rg_err *err);
int rg__bank_load_task(rg_bank *bank, const char *dir, const char *dir_id,
		       enum rg_difficulty dir_difficulty, rg_task *t, rg_err *err);
/* Append a task loaded from dir (checks id uniqueness and the task limit). */
int rg__bank_add_task(rg_bank *bank, const char *dir, const char *dir_id,
		      enum rg_difficulty d, rg_err *err);
rg_arena *rg__bank_arena_create(void);

#endif
