/*
 * registry.h - the server's task registry (GET /tasks) as seen by the runner,
 * for `reviewgym run --all-tasks`: every task of a family, once, in the server's
 * order, so baselines cover the whole bank without reading it from disk.
 */
#ifndef RG_AGENT_REGISTRY_H
#define RG_AGENT_REGISTRY_H

#include <stddef.h>

#include "core/err.h"

/* The ids of every bank task of family (custom tasks excluded; the held-out
 * split included only when with_eval). *ids is an rg_malloc'd array of
 * rg_malloc'd strings: free with rg_registry_free. */
RG_MUST_CHECK int rg_registry_fetch(const char *url, const char *family, int with_eval,
				    char ***ids, size_t *n, rg_err *err);
void rg_registry_free(char **ids, size_t n);

#endif
