/*
 * repair.h - find and parse the JSON inside a model's free-text output.
 *
 * Design: models emit almost-JSON. rg_repair_parse looks for the value after the
 * first ```json fence (else the first fence opening with { or [, else anywhere),
 * and tries balanced spans in order - objects first, then arrays, scanning with
 * awareness of both quote styles so brackets and fences inside strings do not
 * count - at most 32 of them. Each span gets a strict parse, and only if that
 * fails token-level repairs outside strings: single-quoted strings become
 * double-quoted, Python's True/False/None become true/false/null, trailing commas
 * before } or ] are dropped. Every repair is reported as a warning; nothing is
 * guessed beyond these, and what still fails to parse is an error naming the
 * position. Work is linear in the text, which is capped at RG_MAX_RAW_ACTION_BYTES.
 */
#ifndef RG_ENV_REPAIR_H
#define RG_ENV_REPAIR_H

#include <stddef.h>

#include "core/err.h"
#include "core/json.h"
#include "env/warn.h"

/* New reference to the parsed value, or NULL with err (field "action");
 * expected is the shape the error names, e.g. {"findings": [...]}. */
rg_json *rg_repair_parse(const char *text, size_t n, const char *expected, rg_warnings *w,
			 rg_err *err);

#endif
