/*
 * registry.c - the list of environment families. Adding a family is one .c
 * file with a const rg_env_ops and one line here.
 */
#include "env/env.h"

#include <string.h>

extern const rg_env_ops rg_env_code_review;
extern const rg_env_ops rg_env_pr_review;

static const rg_env_ops *const families[] = {
	&rg_env_code_review, /* default */
	&rg_env_pr_review,
};

#define N_FAMILIES (sizeof families / sizeof *families)

const rg_env_ops *rg_env_family(const char *name)
{
	for (size_t i = 0; i < N_FAMILIES; i++)
		if (!strcmp(families[i]->family, name))
			return families[i];
	return NULL;
}

const rg_env_ops *rg_env_default_family(void) { return families[0]; }
size_t rg_env_family_count(void) { return N_FAMILIES; }

const rg_env_ops *rg_env_family_at(size_t i)
{
	return i < N_FAMILIES ? families[i] : NULL;
}
