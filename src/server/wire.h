/*
 * wire.h - OpenEnv wire shapes: the reset/step envelope, HTTP error bodies in
 * FastAPI's shapes, WebSocket error frames, and the one table that maps rg_err
 * codes to HTTP statuses and OpenEnv error codes (STYLE.md §4: no other layer
 * knows status codes).
 *
 * All returned strings are malloc'd JSON text (free()); NULL only on ENOMEM.
 */
#ifndef RG_SERVER_WIRE_H
#define RG_SERVER_WIRE_H

#include <stddef.h>

#include "core/err.h"
#include "core/json.h"
#include "env/env.h"

/* {"observation":{...},"reward":float|null,"done":bool}; takes r->observation. */
char *rg_wire_envelope(rg_env_result *r, size_t *len);
/* The same envelope as a value (new reference); takes r->observation. */
rg_json *rg_wire_envelope_obj(rg_env_result *r);
/* {"type":type,"data":data} as text; takes data. */
char *rg_wire_ws_frame(const char *type, rg_json *data, size_t *len);
/* {"detail":"message"} */
char *rg_wire_detail(const char *msg, size_t *len);
/* pydantic-style error list for err: [{"type","loc","msg","input"}]. loc is the
 * err field split into path items ("findings[2].line" -> "findings",2,"line"),
 * after prefix items (e.g. "body"). New reference. */
rg_json *rg_wire_error_list(const rg_err *err, const char *const *prefix, size_t n_prefix);
/* HTTP status for an error code. */
int rg_wire_http_status(int code);
/* HTTP error body for err: 422 -> {"detail":[...]} with prefix locs, others ->
 * {"detail":"message"}. */
char *rg_wire_http_error(const rg_err *err, const char *const *prefix, size_t n_prefix,
			 int *status, size_t *len);
/* OpenEnv WS error code for an error from reset/step ("VALIDATION_ERROR", ...). */
const char *rg_wire_ws_code(int code);
/* {"type":"error","data":{"message":..,"code":..,[extra fields]}}; takes extra
 * (an object whose members are merged into data; may be NULL). */
char *rg_wire_ws_error(const char *code, const char *message, rg_json *extra, size_t *len);
/* A WS error frame for err (VALIDATION_ERROR carries "errors"). */
char *rg_wire_ws_error_from(const rg_err *err, size_t *len);

#endif
