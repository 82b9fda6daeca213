/*
 * wire.c - OpenEnv envelopes and error mapping (see wire.h).
 */
#include "server/wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

rg_json *rg_wire_envelope_obj(rg_env_result *r)
{
	rg_json *o = rg_json_obj();
	rg_json *obs = r->observation;
	r->observation = NULL;
	if (!o) {
		rg_json_free(obs);
		return NULL;
	}
	/* rewards go out as float or null, as the reference coerces them (§3.5) */
	if (rg_json_set(o, "observation", obs) ||
	    rg_json_set(o, "reward", r->has_reward ? rg_json_real(r->reward) : rg_json_null()) ||
	    rg_json_set_bool(o, "done", r->done)) {
		rg_json_free(o);
		return NULL;
	}
	return o;
}

char *rg_wire_envelope(rg_env_result *r, size_t *len)
{
	rg_json *o = rg_wire_envelope_obj(r);
	char *s = o ? rg_json_dump(o, len) : NULL;
	rg_json_free(o);
	return s;
}

char *rg_wire_ws_frame(const char *type, rg_json *data, size_t *len)
{
	rg_json *o = rg_json_obj();
	char *s = NULL;
	if (!o || !data) {
		rg_json_free(o);
		rg_json_free(data);
		return NULL;
	}
	int r1 = rg_json_set_str(o, "type", type);
	int r2 = rg_json_set(o, "data", data); /* takes data either way */
	if (!r1 && !r2)
		s = rg_json_dump(o, len);
	rg_json_free(o);
	return s;
}

char *rg_wire_detail(const char *msg, size_t *len)
{
	rg_json *o = rg_json_obj();
	char *s = NULL;
	if (o && !rg_json_set_str(o, "detail", msg))
		s = rg_json_dump(o, len);
	rg_json_free(o);
	return s;
}

/* Split "findings[2].line_number" into "findings", 2, "line_number". */
static int push_path(rg_json *loc, const char *field)
{
	const char *p = field;
	while (*p) {
		if (*p == '.') {
			p++;
			continue;
		}
		if (*p == '[') {
			char *end;
			long idx = strtol(p + 1, &end, 10);
			if (*end != ']')
				return rg_json_push(loc, rg_json_str(p));
			if (rg_json_push(loc, rg_json_int(idx)))
				return RG_ENOMEM;
			p = end + 1;
			continue;
		}
		size_t n = strcspn(p, ".[");
		if (rg_json_push(loc, rg_json_strn(p, n)))
			return RG_ENOMEM;
		p += n;
	}
	return RG_OK;
}

rg_json *rg_wire_error_list(const rg_err *err, const char *const *prefix, size_t n_prefix)
{
	rg_json *list = rg_json_arr();
	rg_json *e = rg_json_obj();
	rg_json *loc = rg_json_arr();
	int rc = !list || !e || !loc;
	for (size_t i = 0; i < n_prefix && !rc; i++)
		rc = rg_json_push(loc, rg_json_str(prefix[i]));
	if (!rc && err->field[0])
		rc = push_path(loc, err->field);
	rc = rc || rg_json_set_str(e, "type", err->kind[0] ? err->kind : "value_error");
	if (!rc) {
		rc = rg_json_set(e, "loc", loc);
		loc = NULL;
	}
	char msg[RG_ERR_MSG_BYTES + RG_ERR_FIELD_BYTES + 4];
	if (err->field[0])
		snprintf(msg, sizeof msg, "%s: %s", err->field, err->msg);
	else
		snprintf(msg, sizeof msg, "%s", err->msg);
	rc = rc || rg_json_set_str(e, "msg", msg) || rg_json_set_null(e, "input");
	if (!rc) {
		rc = rg_json_push(list, e);
		e = NULL;
	}
	rg_json_free(loc);
	rg_json_free(e);
	if (rc) {
		rg_json_free(list);
		return NULL;
	}
	return list;
}

int rg_wire_http_status(int code)
{
	switch (code) {
	case RG_EINVAL:
	case RG_EJSON:
	case RG_ETOOBIG: return 422;
	case RG_ENOTFOUND: return 404;
	case RG_ESTATE: return 409;
	case RG_ECAPACITY: return 503;
	default: return 500;
	}
}

char *rg_wire_http_error(const rg_err *err, const char *const *prefix, size_t n_prefix,
			 int *status, size_t *len)
{
	*status = rg_wire_http_status(err->code);
	if (*status != 422)
		return rg_wire_detail(err->msg, len);
	rg_json *o = rg_json_obj();
	char *s = NULL;
	if (o && !rg_json_set(o, "detail", rg_wire_error_list(err, prefix, n_prefix)))
		s = rg_json_dump(o, len);
	rg_json_free(o);
	return s;
}

const char *rg_wire_ws_code(int code)
{
	switch (code) {
	case RG_EINVAL:
	case RG_ETOOBIG:
	case RG_EJSON: return "VALIDATION_ERROR";
	case RG_ECAPACITY: return "CAPACITY_REACHED";
	default: return "EXECUTION_ERROR";
	}
}

char *rg_wire_ws_error(const char *code, const char *message, rg_json *extra, size_t *len)
{
	rg_json *o = rg_json_obj();
	rg_json *d = rg_json_obj();
	char *s = NULL;
	int rc = !o || !d || rg_json_set_str(d, "message", message) ||
		 rg_json_set_str(d, "code", code);
	for (void *it = extra ? rg_json_iter(extra) : NULL; it && !rc;
	     it = rg_json_iter_next(extra, it))
		rc = rg_json_set(d, rg_json_iter_key(it), rg_json_ref(rg_json_iter_value(it)));
	if (!rc && !rg_json_set_str(o, "type", "error")) {
		rc = rg_json_set(o, "data", d);
		d = NULL;
		if (!rc)
			s = rg_json_dump(o, len);
	}
	rg_json_free(d);
	rg_json_free(o);
	rg_json_free(extra);
	return s;
}

char *rg_wire_ws_error_from(const rg_err *err, size_t *len)
{
	const char *code = rg_wire_ws_code(err->code);
	char msg[RG_ERR_MSG_BYTES + RG_ERR_FIELD_BYTES + 32];
	rg_json *extra = NULL;
	if (!strcmp(code, "VALIDATION_ERROR")) {
		snprintf(msg, sizeof msg, "Invalid message: %s%s%s", err->field,
			 err->field[0] ? ": " : "", err->msg);
		extra = rg_json_obj();
		if (extra && rg_json_set(extra, "errors", rg_wire_error_list(err, NULL, 0))) {
			rg_json_free(extra);
			return NULL;
		}
	} else {
		snprintf(msg, sizeof msg, "%s", err->msg);
	}
	return rg_wire_ws_error(code, msg, extra, len);
}
