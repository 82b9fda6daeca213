/*
 * err.h - the one error type every fallible reviewgym function reports into.
 *
 * Design: like jansson's json_error_t, an rg_err is fixed size and lives on the
 * caller's stack, so the error path allocates nothing. It carries a negative code,
 * the field the problem is in (a JSON path such as "findings[2].line_number", or a
 * file path for task files), a pydantic-style kind ("missing", "extra_forbidden",
 * ...) that the server reuses for FastAPI-shaped 422 bodies, and one sentence of
 * at most RG_ERR_MSG_BYTES. The first error set wins (curl's Curl_failf rule): the
 * innermost, most specific failure is what the user sees.
 *
 * Invariant: messages contain no newlines; rg_err_set maps them to spaces.
 * Only the server maps codes to HTTP statuses and OpenEnv error codes.
 */
#ifndef RG_CORE_ERR_H
#define RG_CORE_ERR_H

#include <stdbool.h>
#include <stddef.h>

#define RG_MUST_CHECK __attribute__((warn_unused_result))

enum rg_code {
	RG_OK = 0,
	RG_EINVAL = -1,    /* input failed validation (field names the culprit) */
	RG_ETOOBIG = -2,   /* input over a limit from limits.h */
	RG_ENOMEM = -3,    /* allocation failed */
	RG_ENOTFOUND = -4, /* unknown id (task, episode, route) */
	RG_ESTATE = -5,    /* call not valid in the current state (step before reset) */
	RG_EIO = -6,       /* file or process failure */
	RG_EJSON = -7,     /* bytes are not JSON */
	RG_ECAPACITY = -8, /* session limit reached */
	RG_EINTERNAL = -9  /* a believed-impossible condition, still handled */
};

#define RG_ERR_MSG_BYTES 160
#define RG_ERR_FIELD_BYTES 256
#define RG_ERR_KIND_BYTES 32

typedef struct rg_err {
	int code;                        /* RG_OK when unset */
	char field[RG_ERR_FIELD_BYTES];  /* "" when the error is not about one field */
	char kind[RG_ERR_KIND_BYTES];    /* pydantic error type, "" if none */
	char msg[RG_ERR_MSG_BYTES];
} rg_err;

/* Clear an error before reuse. */
void rg_err_clear(rg_err *err);

/* Set the error once; later calls are ignored until rg_err_clear. err may be NULL.
 * field and kind may be NULL. Returns code, so callers can `return rg_err_set(...)`. */
int rg_err_set(rg_err *err, int code, const char *field, const char *kind,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* True when an error has been set. */
bool rg_err_is_set(const rg_err *err);

/* Stable name of a code ("EINVAL"), for logs. */
const char *rg_code_name(int code);

#endif
