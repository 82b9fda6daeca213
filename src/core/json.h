/*
 * json.h - reviewgym's JSON values; the only module that includes jansson.
 *
 * Design: every layer reads and builds JSON through these calls, so the library
 * can be swapped if profiling ever shows JSON bounding the step (STACK.md). The
 * value type is jansson's, kept opaque: rg_json. Reference rules follow jansson's
 * "_new steals" convention, spelled out per call:
 *   - constructors return a new reference (release with rg_json_free);
 *   - rg_json_set / rg_json_push TAKE the value (even on failure);
 *   - getters BORROW (valid while the container lives).
 * Parsing is strict (UTF-8, duplicate keys rejected, NUL allowed in strings) and
 * the error names jansson's line, column and byte position (column and position
 * point at the end of the offending token, one past Python's 0-based offset). Dumping is compact, UTF-8
 * unescaped, keys in insertion order; reals print with 15 significant digits, which
 * is the shortest round-trip form for the 4-decimal scores we emit (0.3, not
 * 0.29999999999999999).
 */
#ifndef RG_CORE_JSON_H
#define RG_CORE_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

typedef struct json_t rg_json;

/* Parse n bytes. New reference, or NULL with err (code RG_EJSON, kind
 * "json_invalid", message with line, column and byte position). */
rg_json *rg_json_parse(const char *s, size_t n, rg_err *err);
/* Compact UTF-8 text, malloc'd (free()); *len optional. NULL on ENOMEM. */
char *rg_json_dump(const rg_json *v, size_t *len);
/* The same with object keys sorted: equal values give equal text (for hashing). */
char *rg_json_dump_sorted(const rg_json *v, size_t *len);
/* Release a reference; NULL is fine. */
void rg_json_free(rg_json *v);
/* Add a reference (returns v). */
rg_json *rg_json_ref(rg_json *v);
/* Deep copy, new reference. */
rg_json *rg_json_deep_copy(const rg_json *v);

/* Constructors (new references; NULL on ENOMEM). */
rg_json *rg_json_obj(void);
rg_json *rg_json_arr(void);
rg_json *rg_json_str(const char *s);
rg_json *rg_json_strn(const char *s, size_t n);
rg_json *rg_json_int(long long v);
rg_json *rg_json_real(double v);
rg_json *rg_json_bool(bool v);
rg_json *rg_json_null(void);

/* Containers. Both take val; return 0 or RG_ENOMEM (val is released then). */
RG_MUST_CHECK int rg_json_set(rg_json *obj, const char *key, rg_json *val);
RG_MUST_CHECK int rg_json_push(rg_json *arr, rg_json *val);
/* Remove key from obj (no-op when absent). */
void rg_json_del(rg_json *obj, const char *key);

/* Readers (borrowed results; NULL / 0 when the type does not match). */
rg_json *rg_json_get(const rg_json *obj, const char *key);
size_t rg_json_size(const rg_json *v); /* array length or object key count */
rg_json *rg_json_at(const rg_json *arr, size_t i);
bool rg_json_is_obj(const rg_json *v);
bool rg_json_is_arr(const rg_json *v);
bool rg_json_is_str(const rg_json *v);
bool rg_json_is_int(const rg_json *v);
bool rg_json_is_real(const rg_json *v);
bool rg_json_is_null(const rg_json *v);
bool rg_json_is_bool(const rg_json *v);
const char *rg_json_str_val(const rg_json *v);
size_t rg_json_str_len(const rg_json *v);
long long rg_json_int_val(const rg_json *v);
double rg_json_real_val(const rg_json *v); /* ints convert too */
bool rg_json_bool_val(const rg_json *v);
/* JSON type name as pydantic says it: "object", "array", "string", "integer",
 * "number", "boolean", "null". */
const char *rg_json_type_name(const rg_json *v);

/* Object iteration in insertion order:
 *   for (void *it = rg_json_iter(o); it; it = rg_json_iter_next(o, it))
 *       use rg_json_iter_key(it), rg_json_iter_value(it) (borrowed). */
void *rg_json_iter(const rg_json *obj);
void *rg_json_iter_next(const rg_json *obj, void *it);
const char *rg_json_iter_key(void *it);
rg_json *rg_json_iter_value(void *it);

/* Convenience builders used on hot paths: set a string/int/real/bool member.
 * Return 0 or RG_ENOMEM. */
RG_MUST_CHECK int rg_json_set_str(rg_json *obj, const char *key, const char *s);
RG_MUST_CHECK int rg_json_set_int(rg_json *obj, const char *key, long long v);
RG_MUST_CHECK int rg_json_set_real(rg_json *obj, const char *key, double v);
RG_MUST_CHECK int rg_json_set_bool(rg_json *obj, const char *key, bool v);
RG_MUST_CHECK int rg_json_set_null(rg_json *obj, const char *key);

#endif
