/*
 * warn.h - the repairs and notes reported back to the agent in `warnings`.
 *
 * Design: a fixed array (no allocation on the step path). Identical messages are
 * kept once, so an alias used in every finding is reported a single time; past
 * RG_MAX_WARNINGS the rest are counted in `dropped` and reported as one line.
 */
#ifndef RG_ENV_WARN_H
#define RG_ENV_WARN_H

#include <stddef.h>

#include "core/json.h"
#include "core/limits.h"

typedef struct rg_warnings {
	size_t n, dropped;
	char msg[RG_MAX_WARNINGS][RG_WARNING_BYTES];
} rg_warnings;

void rg_warn_clear(rg_warnings *w);
void rg_warn(rg_warnings *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* JSON array of the messages (new reference; NULL on ENOMEM). */
rg_json *rg_warn_to_json(const rg_warnings *w);

#endif
